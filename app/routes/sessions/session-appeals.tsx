/**
 * The appeals on a jury's agenda: each with the contested decision and its grounds; the president (or the
 * vice-president when the president is absent) records the jury's outcome while the sitting is open — rejected,
 * or upheld with the blocs / competences now acquired — and its reason. The outcome goes into the jury's minutes.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { Breadcrumb } from "~/components/breadcrumb";
import { AppError, attempt } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { Field, FormErrors, inputClass, primaryButtonClass } from "~/components/field";
import { APPEAL_STATUS_LABELS, type AppealStatus } from "~/domain/appeal";
import { formatDateFr } from "~/domain/identity";
import { decideAppeal } from "~/live/jury/decide-appeal.server";
import { getJuryAppeals } from "~/live/jury/get-jury-appeals.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Recours — ${data.session.title} — Quorum` : "Recours — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  try {
    return await getJuryAppeals(args.params.sessionId ?? "", user.id);
  } catch (error) {
    if (error instanceof AppError) throw data(error.message, { status: error.status });
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  const appealId = String(form.get("appealId") ?? "");
  const result = await attempt(() =>
    decideAppeal({
      sessionId: args.params.sessionId ?? "",
      actorId: user.id,
      meta: auditMeta(args.request, args.context),
      realtime: args.context.realtime,
      appealId,
      outcome: String(form.get("outcome") ?? ""),
      reason: String(form.get("reason") ?? "").slice(0, 6000),
      acquiredTargetIds: form.getAll("acquired").map(String),
    }),
  );
  if (!result.ok) return data({ appealId, formErrors: result.formErrors, fieldErrors: result.fieldErrors }, { status: result.status });
  return { appealId, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> };
}

export default function SessionAppeals() {
  const { session, appeals, presiding, quorumMet } = useLoaderData<typeof loader>();
  const reply = useFormResult<typeof action>();
  const navigation = useNavigation();
  const canDecide = presiding && session.status === "OPEN";
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb items={[{ to: "/sessions", label: "Sessions" }, { to: `/sessions/${session.id}`, label: session.title }, { label: "Recours" }]} />
        <h1 className="text-2xl font-semibold text-brand-900">Recours examinés par le jury</h1>
        <p className="text-sm text-slate-600">
          {session.status === "PLANNED"
            ? "La séance n'est pas encore ouverte : le jury statuera sur ces recours en séance."
            : session.status === "CLOSED"
              ? "La séance est close."
              : !presiding
                ? "Le président (ou le vice-président en son absence) enregistre la décision du jury sur chaque recours."
                : !quorumMet
                  ? "Quorum non atteint : le jury ne peut pas statuer pour l'instant."
                  : "Le jury statue sur chaque recours : sa décision et son motif figurent au procès-verbal."}
        </p>
      </div>
      {appeals.length === 0 ? <p className="text-slate-600">Aucun recours à l'ordre du jour de ce jury.</p> : null}
      {appeals.map((a) => {
        const errors = reply && reply.appealId === a.id ? reply : null;
        const decided = a.status === "UPHELD" || a.status === "REJECTED";
        return (
          <section key={a.id} aria-labelledby={`appeal-${a.id}`} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="jury-appeal">
            <h2 id={`appeal-${a.id}`} className="text-lg font-semibold">
              Recours de {a.candidate}
            </h2>
            <p className="text-sm">
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium" data-testid="appeal-status">
                {APPEAL_STATUS_LABELS[a.status as AppealStatus]}
              </span>{" "}
              Contre : {a.contested.label} ({formatDateFr(a.contested.decidedAt)}) · reçu le {formatDateFr(a.receivedAt)}
            </p>
            <p className="mt-2 whitespace-pre-line text-sm">Motifs : {a.grounds}</p>
            <p className="mt-2 text-sm text-slate-700">
              Décision contestée :{" "}
              {a.contested.items.length
                ? a.contested.items.map((i) => `${i.code} ${i.acquired ? "acquis" : "non acquis"}`).join(" ; ")
                : "sans détail par bloc"}
            </p>
            {decided ? (
              <p className="mt-2 text-sm" data-testid="appeal-outcome">
                {a.status === "UPHELD" ? "Recours accueilli" : "Recours rejeté"}
                {a.outcomeAt ? ` le ${formatDateFr(a.outcomeAt)}` : ""} : {a.outcomeReason}
                {a.revised ? ` — nouvelle décision : ${a.revised.label}${a.revised.acquired.length ? ` (acquis : ${a.revised.acquired.join(", ")})` : ""}` : ""}
              </p>
            ) : canDecide ? (
              <Form method="post" className="mt-4 space-y-3 border-t border-slate-200 pt-4">
                <input type="hidden" name="appealId" value={a.id} />
                <FormErrors errors={errors?.formErrors} />
                <fieldset>
                  <legend className="text-sm font-medium">Décision du jury</legend>
                  <label className="mr-4 text-sm">
                    <input type="radio" name="outcome" value="REJECTED" defaultChecked className="mr-1" />
                    Recours rejeté
                  </label>
                  <label className="text-sm">
                    <input type="radio" name="outcome" value="UPHELD" className="mr-1" />
                    Recours accueilli
                  </label>
                  <p className="min-h-5 text-sm text-red-700">{errors?.fieldErrors?.outcome?.[0] ?? ""}</p>
                </fieldset>
                {a.contested.items.length ? (
                  <fieldset>
                    <legend className="text-sm font-medium">Si le recours est accueilli : acquis après recours</legend>
                    {a.contested.items.map((i) => (
                      <label key={i.targetId} className="mr-4 block text-sm sm:inline-block">
                        <input type="checkbox" name="acquired" value={i.targetId} defaultChecked={i.acquired} className="mr-1" />
                        {i.code}
                      </label>
                    ))}
                  </fieldset>
                ) : null}
                <Field label="Motif de la décision du jury" errorId={`reason-${a.id}`} errors={errors?.fieldErrors?.reason}>
                  <textarea name="reason" rows={3} className={inputClass} aria-describedby={`reason-${a.id}`} />
                </Field>
                <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting" || !quorumMet}>
                  Enregistrer la décision sur le recours
                </button>
              </Form>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
