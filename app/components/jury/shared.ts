/** Types and classes shared by the jury room's parts. */
import type { JuryRoom } from "~/live/jury/get-jury-room.server";

export type Viewer = { id: string; displayName: string };
export type AgendaEntry = JuryRoom["agenda"][number];

export const secondaryButtonClass =
  "rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60";
export const smallPrimaryClass =
  "rounded bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60";
