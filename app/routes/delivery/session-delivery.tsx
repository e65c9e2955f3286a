/**
 * « Délivrance » of a jury session, for the secretariat: whether the decisions are final (the jury closed, and the
 * CPNE's validation when the scheme asks for it — validate in one signed act, or return to the jury with a reason),
 * issuing the records of every decision in one act (parchemin for a total delivery, attestation de blocs for a
 * partial one), each record's PDF progress, downloads and commands, and the candidates' decision notices. A candidate
 * whose fiche de décision is not signed shows « Fiche de décision à signer par le président » instead of being issued
 * (docs/decisions/0019).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { Breadcrumb } from "~/components/breadcrumb";
import { FormErrors, inputClass, primaryButtonClass } from "~/components/field";
import { sectionClass, secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { frDate, RecordList, useRefreshWhile } from "~/components/delivery/delivery-ui";
import { countOf } from "~/components/format";
import { SHEET_TO_SIGN, sheetToSignHint } from "~/domain/decision-validation";
import { getSessionDelivery } from "~/delivery/get-session-delivery.server";
import { issueSessionRecords } from "~/delivery/issue-session-records.server";
import { returnSessionDecisions } from "~/delivery/return-session-decisions.server";
import { reissueDecisionNotice } from "~/delivery/reissue-decision-notice.server";
import { sendDecisionNotices } from "~/delivery/send-decision-notice.server";
import { smtpUrl } from "~/platform/mail/deliver-emails.server";
import { validateSessionDecisions } from "~/delivery/validate-session-decisions.server";
import { AppError, attempt, refusalOf, type Actor } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { SubmissionKeyField } from "~/components/submission-key-field";
import { RouteErrorBoundary } from "~/components/route-error";
import { RetryRenderButton } from "~/components/signing/render-failed";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Délivrance — ${d.session.title} — Quorum` : "Délivrance — Quorum" }];

const OVERALL_LABELS: Record<string, string> = {
  TOTAL: "Délivrance totale",
  PARTIAL: "Délivrance partielle",
  NONE: "Non-délivrance",
  ADJOURNED: "Ajournement",
};

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args, { session: args.params.sessionId ?? "" });
  try {
    return { ...(await getSessionDelivery(access.organisationId, args.params.sessionId ?? "")), submissionKey: newSubmissionKey() };
  } catch (error) {
    const refusal = refusalOf(error);
    throw data(refusal.formErrors[0] ?? "Séance introuvable.", { status: refusal.status });
  }
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireManager(args, { session: args.params.sessionId ?? "" });
  const form = await readForm(args.request);
  const actor: Actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) };
  const sessionId = args.params.sessionId ?? "";
  const intent = String(form.get("intent") ?? "");
  const ports = { realtime: args.context.realtime, renderQueue: args.context.renderQueue };
  const run = async (): Promise<{ intent: string; message: string }> => {
    switch (intent) {
      case "validate":
        await validateSessionDecisions({
          actor,
          sessionId,
          password: String(form.get("password") ?? ""),
          consent: form.get("consent") === "on",
          ports,
        });
        return { intent, message: "Décisions validées et signées pour la CPNE : les documents peuvent être délivrés." };
      case "return":
        await returnSessionDecisions({ actor, sessionId, reason: String(form.get("reason") ?? "") });
        return { intent, message: "Décisions renvoyées au jury avec le motif indiqué." };
      case "issue": {
        const { issued, awaitingSheet } = await issueSessionRecords({ actor, sessionId, placeOfIssue: String(form.get("placeOfIssue") ?? ""), ...ports });
        const waiting = awaitingSheet.length ? ` En attente de leur fiche de décision signée par le président : ${awaitingSheet.join(", ")}.` : "";
        return {
          intent,
          message:
            (issued === 0
              ? "Aucun nouveau document à délivrer."
              : `${countOf(issued, "document délivré", "documents délivrés")} : ${issued > 1 ? "leurs PDF scellés sont" : "son PDF scellé est"} en préparation. Étape suivante : notifier les candidats.`) + waiting,
        };
      }
      case "notify": {
        const { emailed, letterOnly } = await sendDecisionNotices({ actor, sessionId, ...ports });
        return {
          intent,
          message:
            emailed + letterOnly === 0
              ? "Tous les candidats ont déjà été notifiés."
              : [
                  emailed
                    ? smtpUrl()
                      ? `${countOf(emailed, "notification envoyée", "notifications envoyées")} par e-mail`
                      : `${countOf(emailed, "e-mail de notification écrit", "e-mails de notification écrits")} dans Courriels (aucun serveur SMTP configuré : ils y attendent l'envoi)`
                    : null,
                  letterOnly
                    ? `${countOf(letterOnly, "candidat", "candidats")} sans adresse e-mail : lettre à envoyer par courrier`
                    : null,
                ]
                  .filter(Boolean)
                  .join(" ; ") + ". Les lettres scellées (PDF) sont en préparation ci-dessous.",
        };
      }
      case "reissue-notice": {
        const { created } = await reissueDecisionNotice({
          actor,
          decisionId: String(form.get("decisionId") ?? ""),
          renderQueue: ports.renderQueue,
          submissionKey: submissionKeyOf(form),
        });
        return {
          intent,
          message: created
            ? "Nouvelle lettre de notification écrite avec l'adresse de la fiche du candidat : son PDF scellé est en préparation ci-dessous. L'ancienne lettre reste dans les archives, marquée remplacée."
            : "La lettre porte déjà l'adresse de la fiche du candidat : rien à réémettre.",
        };
      }
      default:
        throw new AppError("INVALID", "Action inconnue.");
    }
  };
  const result = await attempt(run);
  // A re-issue's answer names its decision: its error shows on that candidate's row.
  const decisionId = intent === "reissue-notice" ? String(form.get("decisionId") ?? "") : undefined;
  return data({ ...result, intent, decisionId }, { status: result.ok ? 200 : result.status });
}

/** Where an appeal against the decision stands, after « Recours reçu le … ». */
const APPEAL_STATES: Record<string, string> = {
  RECEIVED: "en attente d'un jury",
  SCHEDULED: "inscrit à l'ordre du jour d'un jury",
  UPHELD: "accueilli",
  REJECTED: "rejeté",
};

const EMAIL_STATES: Record<string, string> = {
  sent: "e-mail envoyé",
  pending: "e-mail en attente d'envoi",
  held: "e-mail dans Courriels (SMTP non configuré)",
  failed: "échec de l'envoi de l'e-mail",
};

type ActionResult = { ok: boolean; intent: string; decisionId?: string; message?: string; formErrors?: string[]; fieldErrors?: Record<string, string[]> };

function Errors({ result, intent }: { result: ActionResult | undefined; intent: string }) {
  if (!result || result.ok || result.intent !== intent) return null;
  return <FormErrors errors={result.formErrors} />;
}

function fieldError(result: ActionResult | undefined, intent: string, field: string) {
  return result && !result.ok && result.intent === intent ? result.fieldErrors?.[field]?.[0] : undefined;
}

export default function SessionDeliveryPage() {
  const { session, finality, validation, decisions, submissionKey } = useLoaderData<typeof loader>();
  const result = useFormResult<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const pending =
    decisions.some((d) => d.records.some((r) => r.progress.state === "pending" || r.progress.state === "running")) ||
    decisions.some((d) => d.notice && !d.notice.pdfReady && !d.notice.failed) ||
    (validation?.status === "SIGNED" && !validation.pdfReady);
  const unreachableNotice = useRefreshWhile(pending);
  // The two steps after final decisions: records for every total or partial decision, then every candidate notified.
  const issuable = decisions.filter((d) => d.overall === "TOTAL" || d.overall === "PARTIAL");
  // A document follows the signed fiche de décision (docs/decisions/0019): the others wait for the president.
  const awaitingSheet = issuable.filter((d) => d.records.length === 0 && d.sheetStatus !== "SIGNED");
  const toIssue = issuable.filter((d) => d.records.length === 0 && d.sheetStatus === "SIGNED").length;
  const sheetsWaiting = awaitingSheet.length
    ? `${countOf(awaitingSheet.length, "décision attend", "décisions attendent")} la signature de sa fiche de décision par le président (${awaitingSheet.map((d) => d.candidate.name).join(", ")}).`
    : null;
  const issuedCount = decisions.reduce((n, d) => n + d.records.filter((r) => !r.duplicate).length, 0);
  // Notified once its document is issued (the notice gives its verification link).
  const toNotify = decisions.filter((d) => !d.notice && !awaitingSheet.includes(d)).length;
  // A letter to post (no e-mail) with no address to post it to: said before notifying, not refused (the letter can
  // be handed over, or the address completed first; once notified, the letter is sealed as it is).
  const unpostable = decisions.filter((d) => !d.notice && !d.candidate.email && !d.candidate.postalAddress);
  const issueState = !finality.final
    ? "En attente des décisions définitives (ci-dessus)."
    : issuable.length === 0
      ? "Aucun document à délivrer : ce jury n'a prononcé aucune délivrance totale ou partielle."
      : toIssue === 0 && sheetsWaiting
        ? `${issuedCount > 0 ? `${countOf(issuedCount, "document délivré", "documents délivrés")} ; ` : ""}${sheetsWaiting}`
        : toIssue === 0
          ? `Fait : ${countOf(issuedCount, "document délivré", "documents délivrés")}.`
          : `${countOf(toIssue, "décision attend son document", "décisions attendent leur document")}.${sheetsWaiting ? ` ${sheetsWaiting}` : ""}`;
  const notifyState =
    decisions.length === 0
      ? "Aucune décision à notifier."
      : toNotify === 0 && awaitingSheet.length > 0
        ? `${countOf(awaitingSheet.length, "candidat sera notifié", "candidats seront notifiés")} une fois ${awaitingSheet.length > 1 ? "leurs documents délivrés" : "son document délivré"} (fiche de décision à signer).`
        : toNotify === 0
          ? `Fait : ${decisions.length > 1 ? `les ${decisions.length} candidats ont été notifiés` : "le candidat a été notifié"}.`
          : !finality.final
            ? "En attente des décisions définitives (ci-dessus)."
            : toIssue > 0
              ? "Délivrez d'abord les documents (étape 1) : la notification donne leurs liens de vérification."
              : `${countOf(toNotify, "candidat à notifier", "candidats à notifier")}.`;
  const canValidate = finality.cpneValidation && session.status === "CLOSED" && validation?.status !== "SIGNED";
  // The CPNE validates what the jury signed: every fiche de décision first (docs/decisions/0019).
  const unsignedSheets = decisions.filter((d) => d.sheetStatus !== "SIGNED");

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb items={[{ to: "/sessions", label: "Sessions" }, { to: `/sessions/${session.id}`, label: session.title }, { label: "Délivrance" }]} />
        <h1 className="text-2xl font-semibold text-brand-900">Délivrance — {session.title}</h1>
        <p className="text-slate-700">
          {frDate(session.startsAt)}
          {session.certification ? ` · ${session.certification.title} (${session.certification.code})` : ""}
        </p>
      </div>

      {unreachableNotice}
      {result?.ok && result.message ? (
        <p role="status" className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900">
          {result.message}
        </p>
      ) : null}

      <section aria-labelledby="finality-title" className={sectionClass}>
        <h2 id="finality-title" className="text-lg font-semibold">
          Décisions définitives
        </h2>
        {finality.final ? (
          <p className="mt-2 text-emerald-800">
            {finality.by === "cpne"
              ? `Décisions validées par la CPNE${validation?.validator ? ` (${validation.validator}` : ""}${validation?.signedAt ? `, le ${frDate(validation.signedAt)})` : validation?.validator ? ")" : ""}.`
              : "Les décisions du jury sont définitives (aucune validation de la CPNE n'est requise par les règles de la certification)."}
            {finality.by === "cpne" && validation?.pdfReady ? (
              <>
                {" "}
                <a href={`/delivrance/pdf/validation/${session.id}`} className="text-brand-700 underline" download>
                  Validation scellée (PDF)
                </a>
              </>
            ) : null}
          </p>
        ) : (
          <p className="mt-2 text-amber-900">{finality.reason}</p>
        )}
        {validation?.returnedAt && validation.status !== "SIGNED" ? (
          <p className="mt-1 text-sm text-slate-700">
            Renvoyées au jury le {frDate(validation.returnedAt)} : {validation.returnReason}
          </p>
        ) : null}
        {canValidate ? (
          <div className="mt-4 grid gap-6 md:grid-cols-2">
            {unsignedSheets.length > 0 ? (
              <div className="space-y-2" data-testid="validation-awaits-sheets">
                <h3 className="font-semibold">Valider les décisions (CPNE)</h3>
                <p className="text-sm text-amber-900">
                  {unsignedSheets.length > 1 ? "Fiches de décision à signer par le président" : SHEET_TO_SIGN} avant la validation :{" "}
                  {unsignedSheets.map((d, index) => (
                    <span key={d.id}>
                      {index > 0 ? ", " : ""}
                      <Link to={`/dossiers/${d.dossierId}`} className="text-brand-700 underline">
                        {d.candidate.name}
                      </Link>
                    </span>
                  ))}
                  . La CPNE valide des décisions dont les fiches sont signées.
                </p>
              </div>
            ) : (
              <Form method="post" className="space-y-2" aria-labelledby="validate-title">
                <h3 id="validate-title" className="font-semibold">
                  Valider les décisions (CPNE)
                </h3>
                <p className="text-sm text-slate-600">
                  Vous validez en un acte toutes les décisions de ce jury ; votre signature porte sur leur empreinte.
                </p>
                <input type="hidden" name="intent" value="validate" />
                <label className="block text-sm font-medium">
                  Mot de passe
                  <input
                    type="password"
                    name="password"
                    autoComplete="current-password"
                    className={`${inputClass} mt-1`}
                    aria-invalid={fieldError(result, "validate", "password") ? true : undefined}
                  />
                  <span className="block min-h-5 text-sm text-red-700" aria-live="polite">
                    {fieldError(result, "validate", "password") ?? ""}
                  </span>
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="consent" className="h-4 w-4" />
                  Je valide et signe les décisions de ce jury pour la CPNE.
                </label>
                <span className="block min-h-5 text-sm text-red-700" aria-live="polite">
                  {fieldError(result, "validate", "consent") ?? ""}
                </span>
                <Errors result={result} intent="validate" />
                <button type="submit" className={primaryButtonClass} disabled={busy}>
                  Valider et signer
                </button>
              </Form>
            )}
            <Form method="post" className="space-y-2" aria-labelledby="return-title">
              <h3 id="return-title" className="font-semibold">
                Renvoyer au jury
              </h3>
              <input type="hidden" name="intent" value="return" />
              <label className="block text-sm font-medium">
                Motif du renvoi
                <textarea
                  name="reason"
                  rows={3}
                  maxLength={2000}
                  className={`${inputClass} mt-1`}
                  aria-invalid={fieldError(result, "return", "reason") ? true : undefined}
                />
                <span className="block min-h-5 text-sm text-red-700" aria-live="polite">
                  {fieldError(result, "return", "reason") ?? ""}
                </span>
              </label>
              <Errors result={result} intent="return" />
              <button type="submit" className={secondaryButtonClass} disabled={busy}>
                Renvoyer les décisions au jury
              </button>
            </Form>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="issue-title" className={sectionClass}>
        <h2 id="issue-title" className="text-lg font-semibold">
          Documents et notification des candidats
        </h2>
        <ol className="mt-2 space-y-4">
          <li data-testid="step-issue">
            <h3 className="font-semibold">1. Délivrer les documents</h3>
            <p className="text-sm text-slate-700" data-testid="step-issue-state">
              {issueState}
            </p>
            {toIssue > 0 ? (
              <Form method="post" className="mt-2 flex flex-wrap items-end gap-3">
                <input type="hidden" name="intent" value="issue" />
                <label className="text-sm font-medium">
                  Lieu de délivrance
                  <input name="placeOfIssue" defaultValue={session.place ?? ""} maxLength={200} className={`${inputClass} mt-1 w-64 max-w-full`} />
                  <span className="block min-h-5 text-sm text-red-700" aria-live="polite">
                    {fieldError(result, "issue", "placeOfIssue") ?? ""}
                  </span>
                </label>
                <button type="submit" className={primaryButtonClass} disabled={busy || !finality.final}>
                  {busy && navigation.formData?.get("intent") === "issue" ? "Délivrance en cours…" : `Délivrer ${toIssue > 1 ? `les ${toIssue} documents` : "le document"}`}
                </button>
              </Form>
            ) : null}
            <Errors result={result} intent="issue" />
            <p className="mt-1 text-sm text-slate-600">
              Parchemin pour une délivrance totale, attestation de blocs pour une délivrance partielle, numérotés et
              scellés ; leurs PDF sont préparés en arrière-plan (quelques secondes).
            </p>
          </li>
          <li data-testid="step-notify">
            <h3 className="font-semibold">2. Notifier les candidats</h3>
            <p className="text-sm text-slate-700" data-testid="step-notify-state">
              {notifyState}
            </p>
            {toNotify > 0 ? (
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="notify" />
                <button type="submit" className={secondaryButtonClass} disabled={busy || !finality.final || toIssue > 0}>
                  {busy && navigation.formData?.get("intent") === "notify"
                    ? "Notification en cours…"
                    : `Notifier ${toNotify > 1 ? `les ${toNotify} candidats` : "le candidat"}`}
                </button>
              </Form>
            ) : null}
            {unpostable.length > 0 ? (
              <p className="mt-2 text-sm text-amber-900" role="note" data-testid="notify-unpostable">
                {unpostable.length > 1
                  ? `${unpostable.length} candidats sans e-mail n'ont pas d'adresse postale : leurs lettres ne pourront pas être postées.`
                  : "Un candidat sans e-mail n'a pas d'adresse postale : sa lettre ne pourra pas être postée."}{" "}
                {unpostable.length > 1
                  ? "Complétez leurs fiches avant de notifier (une lettre est scellée avec l'adresse connue à la notification), ou remettez-leur la lettre en main propre."
                  : "Complétez sa fiche avant de notifier (la lettre est scellée avec l'adresse connue à la notification), ou remettez-lui la lettre en main propre."}
              </p>
            ) : null}
            <Errors result={result} intent="notify" />
            <p className="mt-1 text-sm text-slate-600">
              Chaque candidat reçoit sa décision, les liens de vérification de ses documents, les préconisations du jury
              et les voies de recours avec leur date limite (par e-mail, et une lettre scellée en PDF à poster) ; le délai
              de recours court à compter de la notification.
            </p>
          </li>
        </ol>
      </section>

      <section aria-labelledby="decisions-title" className={sectionClass}>
        <h2 id="decisions-title" className="text-lg font-semibold">
          Candidats et décisions
        </h2>
        {decisions.length === 0 ? <p className="mt-2 text-slate-600">Ce jury n'a rendu aucune décision.</p> : null}
        <ul className="mt-2 divide-y divide-slate-300">
          {decisions.map((d) => (
            <li key={d.id} className="py-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-semibold">
                  <Link to={`/candidates/${d.candidate.id}`} className="text-brand-700 underline decoration-brand-600/40 underline-offset-2 hover:decoration-brand-700">
                    {d.candidate.name}
                  </Link>{" "}
                  — {OVERALL_LABELS[d.overall] ?? d.overall}
                </h3>
                <span className="text-sm text-slate-600">décidé le {frDate(d.decidedAt)}</span>
              </div>
              <p className="text-sm text-slate-700">
                {d.acquired.length ? `Acquis : ${d.acquired.join(", ")}` : "Aucun bloc acquis"}
                {d.notAcquired.length ? ` · Non acquis : ${d.notAcquired.join(", ")}` : ""}
              </p>
              {d.overall === "PARTIAL" && d.records.some((r) => r.kind === "PARCHEMIN" && !r.duplicate) ? (
                <p className="text-sm text-emerald-800">
                  Les blocs validés par ce jury complètent ceux que le candidat avait déjà acquis : la certification est
                  délivrée, d'où un parchemin.
                </p>
              ) : null}
              {awaitingSheet.includes(d) ? (
                <p className="mt-1 text-sm text-amber-900" data-testid="sheet-to-sign">
                  <strong className="font-semibold">{SHEET_TO_SIGN}</strong> : {sheetToSignHint(d.sheetStatus)} ; son document sera
                  délivré une fois la fiche signée.{" "}
                  <Link to={`/dossiers/${d.dossierId}`} className="text-brand-700 underline">
                    Voir la fiche de décision
                  </Link>
                </p>
              ) : null}
              <div className="mt-1">
                <RecordList records={d.records} canManage submissionKey={submissionKey} />
              </div>
              {unpostable.includes(d) ? (
                <p className="text-sm text-amber-900" data-testid="missing-address">
                  <strong className="font-semibold">Adresse postale manquante : la lettre ne pourra pas être postée</strong> (pas
                  d'e-mail non plus).{" "}
                  <Link to={`/candidates/${d.candidate.id}/edit`} className="text-brand-700 underline">
                    Compléter la fiche du candidat
                  </Link>
                </p>
              ) : null}
              <p className="text-sm text-slate-700" data-testid="notice">
                {d.notice ? (
                  <>
                    Notifié le {frDate(d.notice.notifiedAt)}
                    {d.candidate.email ? ` (e-mail à ${d.candidate.email})` : " (sans e-mail : lettre à poster)"} ·{" "}
                    {d.notice.email ? (
                      <>
                        <Link to={`/outbox/${d.notice.email.id}`} className="text-brand-700 underline" data-testid="notice-email">
                          {EMAIL_STATES[d.notice.email.state]}
                          {d.notice.email.sentAt ? ` le ${frDate(d.notice.email.sentAt)}` : ""}
                        </Link>
                        {d.notice.email.error ? <span className="text-red-700"> : {d.notice.email.error}</span> : null} ·{" "}
                      </>
                    ) : null}
                    {d.notice.pdfReady ? (
                      <>
                        <a href={`/delivrance/pdf/notice/${d.notice.documentId}`} className="text-brand-700 underline" download>
                          {d.notice.letter.sequence > 0 ? `Lettre réémise le ${frDate(d.notice.letter.writtenAt)} (PDF)` : "Lettre de notification (PDF)"}
                        </a>
                        {d.notice.letter.verificationCode ? (
                          <>
                            {" · "}
                            <a href={`/verifier/${d.notice.letter.verificationCode}`} className="text-brand-700 underline" target="_blank" rel="noreferrer" data-testid="notice-verifier">
                              Page de vérification publique
                            </a>
                          </>
                        ) : null}
                      </>
                    ) : d.notice.failed ? (
                      <span className="inline-flex flex-wrap items-center gap-2" data-testid="notice-failed">
                        <span role="status" className="text-red-700">
                          {`La lettre n'a pas pu être produite (${countOf(d.notice.attempts, "essai", "essais")}).`}
                        </span>
                        <RetryRenderButton kind="notice" documentId={d.notice.documentId} />
                      </span>
                    ) : (
                      <span role="status">{d.notice.letter.sequence > 0 ? "nouvelle lettre en préparation…" : "lettre en préparation…"}</span>
                    )}
                  </>
                ) : (
                  "Pas encore notifié."
                )}
              </p>
              {d.notice ? <NoticeLetterState decision={d} candidateId={d.candidate.id} submissionKey={submissionKey} busy={busy} result={result} /> : null}
              {d.notice ? (
                <p className="text-sm text-slate-700" data-testid="appeal-deadline">
                  {d.notice.appeal.state === "none"
                    ? "Le dispositif ne prévoit pas de recours."
                    : d.notice.appeal.state === "undated"
                      ? "Recours possible, sans délai fixé par le dispositif."
                      : d.notice.appeal.state === "open"
                        ? `Recours possible jusqu'au ${d.notice.appeal.deadline} inclus.`
                        : `Délai de recours expiré le ${d.notice.appeal.deadline}.`}
                  {d.appeals.map((a) => (
                    <span key={a.receivedAt}>
                      {" "}
                      <Link to={`/dossiers/${d.dossierId}`} className="text-brand-700 underline">
                        Recours reçu le {frDate(a.receivedAt)}
                      </Link>{" "}
                      ({APPEAL_STATES[a.status] ?? a.label}).
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

type DecisionRow = ReturnType<typeof useLoaderData<typeof loader>>["decisions"][number];

/** What the sealed letter's window says against the candidate's file now (app/domain/decision-notice.ts). */
const LETTER_ADDRESS_STATES: Record<string, string> = {
  missing: "La lettre scellée ne porte pas d'adresse postale : elle ne peut pas être postée.",
  changed: "L'adresse postale du candidat a changé depuis le scellement de la lettre : la lettre porte l'ancienne.",
  unknown: "La fiche du candidat a changé depuis le scellement de la lettre : l'adresse qu'elle porte n'est pas connue avec certitude.",
};

/**
 * Under a notified candidate's line: whether the sealed letter can be posted to the file's address, « Réémettre la
 * lettre » when a new one would print it, and the letters it superseded (kept, downloadable).
 */
function NoticeLetterState({
  decision: d,
  candidateId,
  submissionKey,
  busy,
  result,
}: {
  decision: DecisionRow;
  candidateId: string;
  submissionKey: string;
  busy: boolean;
  result: ActionResult | undefined;
}) {
  const notice = d.notice;
  if (!notice) return null;
  const { letter } = notice;
  // A letter of an earlier version whose address is not known, the file giving none now: nothing to post it to anyway.
  const stale = letter.addressState !== "current" && (letter.addressState !== "unknown" || letter.reissuable);
  return (
    <>
      {stale ? (
        <div className="mt-1 text-sm text-amber-900" data-testid="notice-address">
          <p>
            <strong className="font-semibold">{LETTER_ADDRESS_STATES[letter.addressState]}</strong>{" "}
            {letter.reissuable
              ? "Réémettez la lettre : une nouvelle lettre scellée portera l'adresse de la fiche, avec la même date de notification et le même délai de recours ; l'ancienne reste dans les archives, marquée remplacée."
              : "La fiche du candidat ne donne pas d'adresse postale : complétez-la, puis réémettez la lettre."}{" "}
            {!letter.reissuable ? (
              <Link to={`/candidates/${candidateId}/edit`} className="text-brand-700 underline">
                Compléter la fiche du candidat
              </Link>
            ) : null}
          </p>
          {letter.reissuable ? (
            <Form method="post" className="mt-1">
              <input type="hidden" name="intent" value="reissue-notice" />
              <input type="hidden" name="decisionId" value={d.id} />
              <SubmissionKeyField value={submissionKey} />
              <button type="submit" className={secondaryButtonClass} disabled={busy}>
                Réémettre la lettre avec l'adresse de la fiche
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {result && !result.ok && result.intent === "reissue-notice" && result.decisionId === d.id ? <FormErrors errors={result.formErrors} /> : null}
      {notice.superseded.length > 0 ? (
        <ul className="mt-1 text-sm text-slate-600" data-testid="notice-superseded">
          {notice.superseded.map((l) => (
            <li key={l.documentId}>
              {l.pdfReady ? (
                <a href={`/delivrance/pdf/notice/${l.documentId}`} className="text-brand-700 underline" download>
                  {`Lettre du ${frDate(l.writtenAt)} (PDF)`}
                </a>
              ) : (
                `Lettre du ${frDate(l.writtenAt)}`
              )}
              {` : remplacée le ${frDate(l.supersededAt)}, à ne plus envoyer.`}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
