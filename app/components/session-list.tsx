import { Link } from "@remix-run/react";
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { formatDateTime, SESSION_KIND_LABELS } from "./format";

export type SessionRow = {
  id: string;
  kind: "COMMISSION" | "JURY";
  title: string;
  startsAt: string | Date;
  endsAt: string | Date;
  remote: boolean;
  place: string | null;
  seatRole: SeatRole | null;
  organisation: { id: string; name: string };
};

/**
 * `activeOrganisationId`: the « organisation active » of the page (app/domain/active-organisation.ts). A seat in a
 * session of another of the person's organisations names that organisation, so it is never taken for one of this one.
 */
export function SessionList({ sessions, empty, activeOrganisationId }: { sessions: SessionRow[]; empty: string; activeOrganisationId?: string }) {
  if (sessions.length === 0) return <p className="text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {sessions.map((s) => (
        <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
          <div>
            <Link to={`/sessions/${s.id}`} className="font-medium text-brand-700 hover:underline">
              {s.title}
            </Link>
            <p className="text-sm text-slate-600">
              {SESSION_KIND_LABELS[s.kind]} · {formatDateTime(s.startsAt)} · {s.remote ? "à distance" : s.place}
            </p>
          </div>
          <span className="rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-700">
            {s.seatRole
              ? activeOrganisationId && s.organisation.id !== activeOrganisationId
                ? `${SEAT_LABELS[s.seatRole]} · ${s.organisation.name}`
                : SEAT_LABELS[s.seatRole]
              : s.organisation.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
