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
  organisation: { name: string };
};

export function SessionList({ sessions, empty }: { sessions: SessionRow[]; empty: string }) {
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
            {s.seatRole ? SEAT_LABELS[s.seatRole] : s.organisation.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
