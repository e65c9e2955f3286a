/**
 * Appeals on a jury's planning: those on its agenda (« Retirer » while planned) and those awaiting a jury
 * (« Inscrire à l'ordre du jour »).
 */
import { Link } from "@remix-run/react";
import { Form } from "~/components/form";
import { formatParisLongDate } from "~/domain/paris-date";
import { dangerButtonClass, ErrorList, secondaryButtonClass } from "./planning-form";

type AppealRow = { id: string; dossierId: string; candidate: string; decision: string; receivedAt: string; grounds: string };

function Row({ appeal, children }: { appeal: AppealRow; children?: React.ReactNode }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 py-2">
      <div className="min-w-0 text-sm">
        <p className="font-medium">
          <Link to={`/dossiers/${appeal.dossierId}#recours`} className="underline">
            {appeal.candidate}
          </Link>{" "}
          <span className="font-normal text-slate-600">— contre : {appeal.decision}</span>
        </p>
        <p className="text-slate-600">
          Reçu le {formatParisLongDate(appeal.receivedAt)} · {appeal.grounds.length > 140 ? `${appeal.grounds.slice(0, 140)}…` : appeal.grounds}
        </p>
      </div>
      {children}
    </li>
  );
}

export function AppealsAgenda({
  sessionId,
  appeals,
  editable,
  errors,
}: {
  sessionId: string;
  appeals: { scheduled: AppealRow[]; awaiting: AppealRow[] };
  editable: boolean;
  errors: string[] | null;
}) {
  return (
    <div id="recours" className="mt-6 border-t border-slate-200 pt-4" data-testid="planning-appeals">
      <h3 className="font-semibold">Recours à examiner</h3>
      <ErrorList errors={errors} />
      {appeals.scheduled.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Aucun recours à l'ordre du jour de ce jury.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100" data-testid="appeals-scheduled">
          {appeals.scheduled.map((a) => (
            <Row key={a.id} appeal={a}>
              {editable ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="unschedule-appeal" />
                  <input type="hidden" name="id" value={a.id} />
                  <button type="submit" className={dangerButtonClass} aria-label={`Retirer le recours de ${a.candidate}`}>
                    Retirer
                  </button>
                </Form>
              ) : null}
            </Row>
          ))}
        </ul>
      )}
      {appeals.scheduled.length > 0 ? (
        <p className="mt-1 text-sm">
          <Link to={`/sessions/${sessionId}/recours`} className="underline">
            Recours examinés par ce jury
          </Link>
        </p>
      ) : null}
      <h4 className="mt-4 text-sm font-semibold">Recours en attente d'un jury</h4>
      {appeals.awaiting.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Aucun recours en attente pour cette certification.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100" data-testid="appeals-awaiting">
          {appeals.awaiting.map((a) => (
            <Row key={a.id} appeal={a}>
              {editable ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="schedule-appeal" />
                  <input type="hidden" name="id" value={a.id} />
                  <button type="submit" className={secondaryButtonClass} aria-label={`Inscrire le recours de ${a.candidate} à l'ordre du jour`}>
                    Inscrire à l'ordre du jour
                  </button>
                </Form>
              ) : null}
            </Row>
          ))}
        </ul>
      )}
    </div>
  );
}
