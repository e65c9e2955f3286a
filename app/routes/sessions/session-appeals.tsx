/**
 * The appeals on a jury's agenda: each with the contested decision and its grounds. Each voting member declares, for
 * the appellant, « Je n'ai aucun lien avec ce candidat » or a conflict of interest (which recuses him); then the
 * president (or the vice-president when the president is absent or recused for the appellant) records the jury's
 * outcome while the sitting is open, with the appellant's quorum — rejected, or upheld with what the appeal grants
 * (what the contested decision acquired is kept: an appeal cannot worsen the candidate's position) — and its reason.
 * The outcome goes into the jury's minutes.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { Breadcrumb } from "~/components/breadcrumb";
import { AppError, attempt } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { Field, FormErrors, inputClass, primaryButtonClass } from "~/components/field";
import { APPEAL_OUTCOME_LABELS, APPEAL_STATUS_LABELS, type AppealStatus } from "~/domain/appeal";
import { DECLARATION_CHOICE_MISSING, declaredConflictOf } from "~/domain/jury-vote";
import { secondaryButtonClass } from "~/components/jury/shared";
import { declareAppealConflict } from "~/live/jury/declare-appeal-conflict.server";
import { formatParisLongDate } from "~/domain/paris-date";
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

/** The declaration's choice (« no link » or a conflict); a form that says neither is refused, never taken for « no link ». */
function declaredConflict(value: FormDataEntryValue | null): boolean {
  const conflict = declaredConflictOf(value);
  if (conflict === null) throw AppError.field("conflict", DECLARATION_CHOICE_MISSING);
  return conflict;
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  const appealId = String(form.get("appealId") ?? "");
  const intent = String(form.get("intent") ?? "decide");
  const command = {
    sessionId: args.params.sessionId ?? "",
    actorId: user.id,
    meta: auditMeta(args.request, args.context),
    realtime: args.context.realtime,
    appealId,
  };
  const result = await attempt(async (): Promise<object> =>
    intent === "declare"
      ? declareAppealConflict({ ...command, conflict: declaredConflict(form.get("conflict")), note: String(form.get("note") ?? "").slice(0, 2000) })
      : decideAppeal({
          ...command,
          outcome: String(form.get("outcome") ?? ""),
          reason: String(form.get("reason") ?? "").slice(0, 6000),
          acquiredTargetIds: form.getAll("acquired").map(String),
        }),
  );
  if (!result.ok) return data({ appealId, intent, formErrors: result.formErrors, fieldErrors: result.fieldErrors }, { status: result.status });
  return { appealId, intent, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> };
}

/** Each voting member's declaration for the appellant, as the jury room words it per candidate. */
const DECLARATION_LABELS = {
  noLink: { label: "aucun lien déclaré", style: "text-emerald-900" },
  conflict: { label: "conflit d'intérêts déclaré (récusé·e)", style: "text-amber-900" },
  recused: { label: "récusé·e (lien connu), sans déclaration à faire", style: "text-amber-900" },
  missing: { label: "n'a pas encore déclaré : le jury ne peut pas statuer avant", style: "text-red-800" },
} as const;

export default function SessionAppeals() {
  const { session, appeals, presiding, quorumMet, viewer } = useLoaderData<typeof loader>();
  const reply = useFormResult<typeof action>();
  const navigation = useNavigation();
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
                ? "Chaque membre votant déclare d'abord, pour chaque candidat, l'absence de lien ou un conflit d'intérêts ; le président (ou le vice-président en son absence, ou s'il est récusé) enregistre ensuite la décision du jury sur chaque recours."
                : !quorumMet
                  ? "Quorum non atteint : le jury ne peut pas statuer pour l'instant."
                  : "Le jury statue sur chaque recours, une fois que chaque membre présent a déclaré pour ce candidat : sa décision et son motif figurent au procès-verbal."}
        </p>
      </div>
      {appeals.length === 0 ? (
        <div className="text-slate-600">
          <p>Aucun recours à l'ordre du jour de ce jury.</p>
          {/* The secretariat puts an appeal awaiting a jury on this one's agenda from its preparation page. */}
          {viewer.manages && session.status !== "CLOSED" ? (
            <p className="mt-2">
              <Link className="text-brand-700 underline" to={`/sessions/${session.id}/planning`}>
                Inscrire un recours à l'ordre du jour
              </Link>{" "}
              (page « Préparer la session » : recours en attente d'un jury).
            </p>
          ) : null}
        </div>
      ) : null}
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
              Contre : {a.contested.label} ({formatParisLongDate(a.contested.decidedAt)}) · reçu le {formatParisLongDate(a.receivedAt)}
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
                {a.status === "UPHELD" ? APPEAL_OUTCOME_LABELS.UPHELD : APPEAL_OUTCOME_LABELS.REJECTED}
                {a.outcomeAt ? ` le ${formatParisLongDate(a.outcomeAt)}` : ""} : {a.outcomeReason}
                {a.revised ? ` — nouvelle décision : ${a.revised.label}${a.revised.acquired.length ? ` (acquis : ${a.revised.acquired.join(", ")})` : ""}` : ""}
              </p>
            ) : a.ruling ? (
              <AppealRuling appeal={{ ...a, ruling: a.ruling }} sessionOpen={session.status === "OPEN"} sessionClosed={session.status === "CLOSED"} viewer={viewer} reply={errors} busy={navigation.state === "submitting"} />
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

type LoadedAppeal = ReturnType<typeof useLoaderData<typeof loader>>["appeals"][number];
type Reply = { intent: string; formErrors?: string[]; fieldErrors?: Record<string, string[]> } | null;

/**
 * An appeal not yet decided: who is recused for the appellant and who conducts on him, each voting member's
 * declaration (the viewer declares here), then, for whoever conducts on him while the sitting is open, the jury's
 * ruling: « Recours rejeté », or « Recours accueilli » with what the appeal grants — what the contested decision
 * acquired is shown kept (sent as such), only what it had not acquired can be ticked.
 */
function AppealRuling({
  appeal: a,
  sessionOpen,
  sessionClosed,
  viewer,
  reply,
  busy,
}: {
  appeal: LoadedAppeal & { ruling: NonNullable<LoadedAppeal["ruling"]> };
  sessionOpen: boolean;
  sessionClosed: boolean;
  viewer: { userId: string; voting: boolean };
  reply: Reply;
  busy: boolean;
}) {
  const { ruling } = a;
  const names = new Map(ruling.declarations.map((d) => [d.userId, d.displayName]));
  const mine = ruling.declarations.find((d) => d.userId === viewer.userId) ?? null;
  const missing = ruling.declarations.filter((d) => d.status === "missing");
  const declareErrors = reply?.intent === "declare" ? reply : null;
  const decideErrors = reply && reply.intent !== "declare" ? reply : null;
  const president = ruling.chairsRecused.includes("PRESIDENT");
  const vice = ruling.chairsRecused.includes("VICE_PRESIDENT");
  const kept = a.contested.items.filter((i) => i.acquired);
  const grantable = a.contested.items.filter((i) => !i.acquired);
  return (
    <div className="mt-4 space-y-3 border-t border-slate-200 pt-4">
      {president || vice ? (
        <p className="text-sm text-amber-900" data-testid="appeal-presidency">
          Présidence pour ce candidat :{" "}
          {ruling.presidingId ? names.get(ruling.presidingId) : "personne, le jury ne peut pas statuer sur ce recours"} (
          {president && vice ? "le président et le vice-président sont récusés" : president ? "le président est récusé" : "le vice-président est récusé"}).
        </p>
      ) : null}
      {ruling.recused.length > 0 ? (
        <ul className="text-sm">
          {ruling.recused.map((r) => (
            <li key={r.userId}>
              {r.displayName} — récusé·e ({r.reason}) : ne prend pas part à la décision sur ce recours et ne compte pas pour son quorum.
            </li>
          ))}
        </ul>
      ) : null}
      <div className="text-sm" data-testid="appeal-declarations">
        <p className="font-medium">
          {/* The list below names every member, whatever they declared: the heading counts, it does not introduce the missing ones. */}
          {missing.length === 0
            ? "Déclarations des membres pour ce candidat (tous les membres votants ont déclaré) :"
            : `Déclarations des membres pour ce candidat (${missing.length} ${missing.length > 1 ? "membres votants n'ont" : "membre votant n'a"} pas encore déclaré) :`}
        </p>
        <ul className="mt-1 space-y-0.5">
          {ruling.declarations.map((d) => (
            <li key={d.userId} data-testid="appeal-declaration">
              {d.displayName}
              {d.present ? "" : " (absent·e)"} — <span className={DECLARATION_LABELS[d.status].style}>{DECLARATION_LABELS[d.status].label}</span>
            </li>
          ))}
        </ul>
      </div>
      {viewer.voting && mine && mine.status !== "recused" && !sessionClosed ? (
        <Form method="post" className="flex flex-wrap items-end gap-2 text-sm" aria-label={`Déclaration pour le recours de ${a.candidate}`}>
          <input type="hidden" name="intent" value="declare" />
          <input type="hidden" name="appealId" value={a.id} />
          <p className="w-full" data-testid="my-appeal-declaration">
            Votre déclaration :{" "}
            <strong className={mine.status === "missing" ? "text-red-800" : mine.status === "conflict" ? "text-amber-900" : "text-emerald-900"}>
              {mine.status === "missing" ? "non faite" : mine.status === "conflict" ? "conflit d'intérêts déclaré" : "aucun lien avec ce candidat"}
            </strong>
          </p>
          <label className="text-sm">
            Précision (facultative)
            <input name="note" className={inputClass} maxLength={1000} />
          </label>
          <button type="submit" name="conflict" value="false" className={secondaryButtonClass} disabled={busy}>
            Je n'ai aucun lien avec ce candidat
          </button>
          <button type="submit" name="conflict" value="true" className={secondaryButtonClass} disabled={busy}>
            Je déclare un conflit d'intérêts
          </button>
          <FormErrors errors={[...(declareErrors?.formErrors ?? []), ...Object.values(declareErrors?.fieldErrors ?? {}).flat()]} />
        </Form>
      ) : null}
      {ruling.presidingId === viewer.userId && sessionOpen ? (
        <Form method="post" className="space-y-3 border-t border-slate-200 pt-4" aria-label={`Décision sur le recours de ${a.candidate}`}>
          <input type="hidden" name="appealId" value={a.id} />
          <input type="hidden" name="intent" value="decide" />
          <FormErrors errors={decideErrors?.formErrors} />
          {!ruling.quorum.met ? (
            <p className="text-sm text-red-800">Quorum non atteint pour ce candidat : {ruling.quorum.reasons.join(" ")}</p>
          ) : missing.some((d) => d.present) ? (
            <p className="text-sm text-red-800">
              Le jury statue une fois que chaque membre présent a déclaré pour ce candidat (
              {missing
                .filter((d) => d.present)
                .map((d) => d.displayName)
                .join(", ")}
              ).
            </p>
          ) : null}
          <fieldset>
            <legend className="text-sm font-medium">Décision du jury</legend>
            <label className="mr-4 text-sm">
              <input type="radio" name="outcome" value="REJECTED" defaultChecked className="mr-1" />
              {APPEAL_OUTCOME_LABELS.REJECTED}
            </label>
            <label className="text-sm">
              <input type="radio" name="outcome" value="UPHELD" className="mr-1" disabled={grantable.length === 0} />
              {APPEAL_OUTCOME_LABELS.UPHELD}
            </label>
            <p className="min-h-5 text-sm text-red-700">{decideErrors?.fieldErrors?.outcome?.[0] ?? ""}</p>
          </fieldset>
          {a.contested.items.length ? (
            <fieldset>
              <legend className="text-sm font-medium">Si le recours est accueilli : ce que le jury accorde sur recours</legend>
              {kept.length ? (
                <p className="text-sm text-slate-700" data-testid="appeal-kept">
                  Déjà acquis par la décision contestée, maintenu (un recours ne peut aggraver la situation du candidat) :{" "}
                  {kept.map((i) => i.code).join(", ")}
                </p>
              ) : null}
              {kept.map((i) => (
                <input key={i.targetId} type="hidden" name="acquired" value={i.targetId} />
              ))}
              {grantable.length ? (
                grantable.map((i) => (
                  <label key={i.targetId} className="mr-4 block text-sm sm:inline-block">
                    <input type="checkbox" name="acquired" value={i.targetId} className="mr-1" />
                    {i.code}
                  </label>
                ))
              ) : (
                <p className="text-sm text-slate-700">Tout est déjà acquis : il n'y a rien à accorder, le recours ne peut qu'être rejeté.</p>
              )}
              <p className="min-h-5 text-sm text-red-700">{decideErrors?.fieldErrors?.acquired?.[0] ?? ""}</p>
            </fieldset>
          ) : null}
          <Field label="Motif de la décision du jury" errorId={`reason-${a.id}`} errors={decideErrors?.fieldErrors?.reason}>
            <textarea name="reason" rows={3} className={inputClass} aria-describedby={`reason-${a.id}`} />
          </Field>
          <button type="submit" className={primaryButtonClass} disabled={busy || !ruling.quorum.met}>
            Enregistrer la décision sur le recours
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
