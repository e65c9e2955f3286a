/**
 * The juries of a dossier on the candidate's and the dossier's pages: awaiting deliberation (with the session), or
 * the decision and its fiche de décision (the self-contained panel, refreshed on focus: these pages are not in the
 * session's room).
 */
import { formatParisLongDate } from "~/domain/paris-date";
import { Link } from "@remix-run/react";
import type { DossierJury } from "~/back-office/dossiers/list-dossier-juries.server";
import { DecisionSheetPanel } from "./decision-sheet-panel";

export function DossierJuries({ juries }: { juries: DossierJury[] }) {
  if (juries.length === 0) return null;
  return (
    <div className="space-y-3">
      {juries.map((jury) => (
        <div key={jury.agendaItemId} className="space-y-2" data-testid="dossier-jury">
          <p className="text-sm text-slate-700">
            <Link to={`/sessions/${jury.session.id}`} className="font-medium text-brand-700 underline">
              {jury.session.title}
            </Link>{" "}
            du {formatParisLongDate(jury.session.startsAt)} —{" "}
            {jury.decision ? (
              <span className="font-medium">{jury.decision.label}</span>
            ) : jury.postponedAt ? (
              "reporté à un jury ultérieur, non délibéré dans cette séance"
            ) : jury.session.status === "CLOSED" ? (
              "séance close sans décision pour ce dossier"
            ) : (
              "à l'ordre du jour, délibération à venir"
            )}
          </p>
          {jury.decision ? <DecisionSheetPanel sessionId={jury.session.id} slotId={jury.agendaItemId} live={false} /> : null}
        </div>
      ))}
    </div>
  );
}
