/**
 * The « Recours » section of a dossier: the secretariat records an appeal against a jury decision (grounds, day
 * received) within the scheme's deadline, and follows each appeal (awaiting a jury, on a jury's agenda, upheld or
 * rejected with the jury's reason).
 */
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useNavigation } from "@remix-run/react";
import { Form } from "~/components/form";
import { APPEAL_STATUS_LABELS, frenchDay, type AppealStatus } from "~/domain/appeal";
import { formatParisLongDate } from "~/domain/paris-date";
import { Field, FormErrors, inputClass, primaryButtonClass } from "../field";
import { sectionClass } from "./dossier-ui";

export type AppealsView = {
  appealsAllowed: boolean;
  deadlineDays: number | null;
  today: string;
  decisions: Array<{ id: string; label: string; decidedAt: string; deadline: string | null; contestable: boolean }>;
  appeals: Array<{
    id: string;
    status: string;
    decision: string;
    receivedAt: string;
    grounds: string;
    jury: { id: string; title: string; startsAt: string } | null;
    outcomeReason: string | null;
    outcomeAt: string | null;
    revisedDecision: string | null;
  }>;
};

const STATUS_STYLE: Record<AppealStatus, string> = {
  RECEIVED: "bg-amber-50 text-amber-900",
  SCHEDULED: "bg-sky-50 text-sky-900",
  UPHELD: "bg-emerald-50 text-emerald-900",
  REJECTED: "bg-slate-100 text-slate-800",
};

export function AppealsSection({
  view,
  canWrite,
  lastResult,
}: {
  view: AppealsView;
  canWrite: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const contestable = view.decisions.filter((d) => d.contestable);
  const [form, fields] = useForm<{ decisionId: string; receivedAt: string; grounds: string }>({
    id: "record-appeal",
    lastResult,
    defaultValue: { receivedAt: view.today, decisionId: contestable.at(-1)?.id ?? "", grounds: "" },
  });
  return (
    <section id="recours" aria-labelledby="appeals-title" className={sectionClass} data-testid="appeals">
      <h2 id="appeals-title" className="text-lg font-semibold">
        Recours
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {!view.appealsAllowed
          ? "Le dispositif de cette certification ne prévoit pas de recours."
          : view.deadlineDays === null
            ? "Recours admis sans délai fixé par le dispositif."
            : `Recours admis dans les ${view.deadlineDays} jours suivant la notification de la décision.`}
      </p>
      {view.appeals.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">Aucun recours enregistré.</p>
      ) : (
        <ul className="mt-3 space-y-3">
          {view.appeals.map((a) => (
            <li key={a.id} className="rounded border border-slate-200 p-3 text-sm" data-testid="appeal">
              <p className="flex flex-wrap items-center gap-2">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status as AppealStatus]}`}>
                  {APPEAL_STATUS_LABELS[a.status as AppealStatus]}
                </span>
                <span>Contre : {a.decision}</span>
              </p>
              <p className="mt-1 text-slate-600">Reçu le {formatParisLongDate(a.receivedAt)}</p>
              <p className="mt-1 whitespace-pre-line">Motifs : {a.grounds}</p>
              {a.jury ? (
                <p className="mt-1 text-slate-600">
                  Examiné par :{" "}
                  <Link to={`/sessions/${a.jury.id}/recours`} className="underline">
                    {a.jury.title}
                  </Link>{" "}
                  ({formatParisLongDate(a.jury.startsAt)})
                </p>
              ) : null}
              {a.status === "RECEIVED" && !a.jury ? (
                <p className="mt-1 text-slate-700" data-testid="appeal-next-step">
                  Étape suivante : l'inscrire à l'ordre du jour d'un jury de cette certification, depuis la page
                  « Préparer la session » de ce jury (<Link to="/sessions" className="underline">Sessions</Link>), section
                  « Recours en attente d'un jury ».
                </p>
              ) : null}
              {a.outcomeReason ? (
                <p className="mt-1">
                  Décision du jury{a.outcomeAt ? ` du ${formatParisLongDate(a.outcomeAt)}` : ""} : {a.outcomeReason}
                  {a.revisedDecision ? ` — nouvelle décision : ${a.revisedDecision}` : ""}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canWrite && view.appealsAllowed && contestable.length > 0 ? (
        <Form method="post" className="mt-4 space-y-2 border-t border-slate-200 pt-4" {...getFormProps(form)}>
          <h3 className="font-medium">Enregistrer un recours</h3>
          <input type="hidden" name="intent" value="record-appeal" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field label="Décision contestée" errorId={fields.decisionId.errorId} errors={fields.decisionId.errors}>
            <select {...getSelectProps(fields.decisionId)} className={inputClass}>
              {contestable.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label} ({formatParisLongDate(d.decidedAt)}
                  {d.deadline ? `, recours jusqu'au ${frenchDay(d.deadline)}` : ""})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reçu le" errorId={fields.receivedAt.errorId} errors={fields.receivedAt.errors}>
            <input {...getInputProps(fields.receivedAt, { type: "date" })} max={view.today} className={inputClass} />
          </Field>
          <Field label="Motifs du recours" errorId={fields.grounds.errorId} errors={fields.grounds.errors}>
            <textarea {...getTextareaProps(fields.grounds)} rows={4} className={inputClass} />
          </Field>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            Enregistrer le recours
          </button>
        </Form>
      ) : null}
    </section>
  );
}
