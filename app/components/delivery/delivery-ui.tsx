/**
 * Delivery records on the secretariat's pages (a session's « Délivrance », the candidate's page): each record with
 * its state, its PDF's render progress, its downloads (sealed PDF, Open Badges credential, public verification) and
 * its commands (duplicata, revocation with a reason, a rectified record once revoked), posted to /delivrance/documents/:recordId without leaving the
 * page. Pages with a PDF in preparation refresh themselves until it is ready.
 */
import { SubmissionKeyField } from "~/components/submission-key-field";
import { Link } from "@remix-run/react";
import { useCommand } from "~/components/live/use-command";
import { RetryRenderButton } from "~/components/signing/render-failed";
import { useState, type ReactNode } from "react";
import { RECORD_STATUS_LABELS, type RecordStatus } from "~/domain/delivery-record";
import { formatParisLongDate } from "~/domain/paris-date";
import { FormErrors, inputClass } from "../field";
import { dangerButtonClass, secondaryButtonClass } from "../candidates/dossier-ui";

export type RecordRow = {
  id: string;
  kind: "PARCHEMIN" | "ATTESTATION";
  kindLabel: string;
  number: string;
  /** The holder: a rectified record takes their identity as the candidate's file says it now. */
  candidateId: string;
  blocs: { code: string; title: string }[];
  issuedAt: string;
  validUntil: string | null;
  status: RecordStatus;
  revokedAt: string | null;
  revocationReason: string | null;
  duplicate: boolean;
  /** A rectified record: the revoked one it replaces. */
  replaces: { number: string; revokedAt: string | null } | null;
  /** A revoked record rectified: the number of the one that replaces it. */
  replacedBy: string | null;
  /** A revoked original whose decision may get a rectified record (app/delivery/issue-rectified-record.server.ts). */
  canRectify: boolean;
  verificationCode: string;
  hasCredential: boolean;
  progress: { state: "pending" | "running" | "done" | "failed"; attempts: number; error: string | null };
};

/** The day of an instant in Paris, written as on the records' PDFs and /verifier: « 2 juillet 2026 ». */
export const frDate = (iso: string | null) => {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? formatParisLongDate(date) : "—";
};

const STATUS_CLASSES: Record<RecordStatus, string> = {
  valid: "bg-emerald-100 text-emerald-800",
  expired: "bg-amber-100 text-amber-900",
  revoked: "bg-red-100 text-red-800",
};

export function RecordStatusBadge({ status }: { status: RecordStatus }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_CLASSES[status]}`}>{RECORD_STATUS_LABELS[status]}</span>;
}

/** « PDF en préparation… » with the job's progress, then the download link. */
export function RenderProgress({
  progress,
  href,
  label,
  retry,
}: {
  progress: RecordRow["progress"];
  href: string;
  label: string;
  /** The document, for the « Relancer la production du PDF » button once its render failed (managers only). */
  retry?: { kind: string; documentId: string };
}) {
  if (progress.state === "done") {
    return (
      <a href={href} className="text-brand-700 underline" download>
        {label}
      </a>
    );
  }
  const text =
    progress.state === "failed"
      ? `Échec du rendu du PDF après ${progress.attempts} essais${progress.error ? ` : ${progress.error}` : ""}`
      : progress.state === "running"
        ? `PDF en cours de rendu et de scellement${progress.attempts > 1 ? ` (essai ${progress.attempts})` : ""}…`
        : progress.attempts > 0
          ? `PDF en attente d'un nouvel essai (${progress.attempts} essai${progress.attempts > 1 ? "s" : ""})…`
          : "PDF en préparation (file d'attente)…";
  const status = (
    <span role="status" className={progress.state === "failed" ? "text-red-700" : "text-slate-600"}>
      {text}
    </span>
  );
  if (progress.state !== "failed") return status;
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="pdf-failed">
      {status}
      {retry ? <RetryRenderButton {...retry} /> : <span className="text-slate-600">Le secrétariat de l'organisme peut relancer sa production.</span>}
    </span>
  );
}

export { UnreachableNotice, useRefreshWhile } from "~/components/use-refresh-while";

/** A record command's answer; `error`: the command never reached the server (useCommand). */
type CommandResult = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; message?: string; error?: string };

/** `submissionKey`: the page's (its loader's): a duplicata clicked twice is issued once. */
/** `extra`: what a page adds under the record's facts (the candidate's page: its holder's declaration). */
export function RecordCard({ record, canManage, submissionKey, extra }: { record: RecordRow; canManage: boolean; submissionKey: string; extra?: ReactNode }) {
  // Commands, not fetchers: a click while the network is down is answered here instead of replacing the page by the
  // route's error page.
  const duplicate = useCommand<CommandResult>();
  const revoke = useCommand<CommandResult>();
  const rectify = useCommand<CommandResult>();
  const [revoking, setRevoking] = useState(false);
  const base = `/delivrance/documents/${record.id}`;
  // « délivrée », « révoquée » for an attestation; « délivré », « révoqué » for a parchemin.
  const feminine = record.kind === "ATTESTATION";
  const reasonError = revoke.data && !revoke.data.ok ? revoke.data.fieldErrors?.reason?.[0] : undefined;
  const revokeFormErrors = revoke.data && !revoke.data.ok ? [...(revoke.data.formErrors ?? []), ...(revoke.data.error ? [revoke.data.error] : [])] : undefined;
  return (
    <li className="py-3" data-record={record.number}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">
          {record.kindLabel} n° {record.number}
        </span>
        {record.duplicate ? <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold uppercase">Duplicata</span> : null}
        <RecordStatusBadge status={record.status} />
      </div>
      <p className="text-sm text-slate-700">
        {record.blocs.map((b) => b.code).join(", ")} · {feminine ? "délivrée" : "délivré"} le {frDate(record.issuedAt)}
        {record.kind === "ATTESTATION" ? (record.validUntil ? ` · valable jusqu'au ${frDate(record.validUntil)}` : " · valable sans limite de durée") : ""}
      </p>
      {record.revokedAt ? (
        <p className="text-sm text-red-800">
          {feminine ? "Révoquée" : "Révoqué"} le {frDate(record.revokedAt)} : {record.revocationReason}
        </p>
      ) : null}
      {record.replaces ? (
        <p className="text-sm text-slate-800" data-testid="record-replaces">
          Document rectifié. Remplace le n° {record.replaces.number}, {feminine ? "révoquée" : "révoqué"} le {frDate(record.replaces.revokedAt)}.
        </p>
      ) : null}
      {record.replacedBy ? (
        <p className="text-sm text-slate-800" data-testid="record-replaced-by">
          {feminine ? "Remplacée" : "Remplacé"} par le document rectifié n° {record.replacedBy}.
        </p>
      ) : null}
      {extra}
      <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <RenderProgress
          progress={record.progress}
          href={`/delivrance/pdf/${record.kind === "PARCHEMIN" ? "parchemin" : "attestation"}/${record.id}`}
          label="Télécharger le PDF scellé"
          retry={canManage ? { kind: record.kind === "PARCHEMIN" ? "parchemin" : "attestation", documentId: record.id } : undefined}
        />
        {record.hasCredential ? (
          <a href={`${base}/credential.json`} className="text-brand-700 underline" download>
            Attestation numérique (Open Badge)
          </a>
        ) : null}
        <a href={`/verifier/${record.verificationCode}`} className="text-brand-700 underline" target="_blank" rel="noreferrer">
          Page de vérification publique
        </a>
      </div>
      {canManage && record.status !== "revoked" ? (
        <div className="mt-2 flex flex-wrap items-start gap-2">
          <form method="post" action={base} onSubmit={duplicate.onSubmit}>
            <input type="hidden" name="intent" value="duplicate" />
            <SubmissionKeyField value={submissionKey} />
            <button
              type="submit"
              className={secondaryButtonClass}
              disabled={duplicate.state !== "idle"}
              title="Un nouvel exemplaire numéroté, marqué « Duplicata », qui renvoie à l'original ; l'original reste valide."
            >
              {duplicate.state !== "idle" ? "Émission du duplicata…" : "Émettre un duplicata"}
            </button>
          </form>
          {!revoking ? (
            <button type="button" className={dangerButtonClass} onClick={() => setRevoking(true)}>
              Révoquer…
            </button>
          ) : (
            <form method="post" action={base} onSubmit={revoke.onSubmit} className="flex flex-wrap items-start gap-2">
              <input type="hidden" name="intent" value="revoke" />
              <label className="text-sm">
                Motif de la révocation
                <input
                  name="reason"
                  className={`${inputClass} mt-1 w-72 max-w-full`}
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={`revoke-${record.id}-error`}
                  maxLength={500}
                />
                <span id={`revoke-${record.id}-error`} className="block min-h-5 text-sm text-red-700" aria-live="polite">
                  {reasonError ?? ""}
                </span>
              </label>
              <button type="submit" className={dangerButtonClass} disabled={revoke.state !== "idle"}>
                Confirmer la révocation
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setRevoking(false)}>
                Annuler
              </button>
              <p className="w-full text-sm text-slate-700">
                La révocation est définitive : la page de vérification publique et l'attestation numérique (Open Badge)
                diront que ce document est révoqué, avec ce motif, et ses duplicatas avec lui.
              </p>
            </form>
          )}
          <FormErrors
            errors={[
              ...(duplicate.data && !duplicate.data.ok ? [...(duplicate.data.formErrors ?? []), ...(duplicate.data.error ? [duplicate.data.error] : [])] : []),
              ...(revokeFormErrors ?? []),
            ]}
          />
        </div>
      ) : null}
      {canManage && record.canRectify ? (
        <form method="post" action={base} onSubmit={rectify.onSubmit} className="mt-2 space-y-1">
          <input type="hidden" name="intent" value="rectify" />
          <SubmissionKeyField value={submissionKey} />
          <button type="submit" className={secondaryButtonClass} disabled={rectify.state !== "idle"}>
            {rectify.state !== "idle" ? "Délivrance du document rectifié…" : "Délivrer un document rectifié"}
          </button>
          <p className="max-w-prose text-sm text-slate-700">
            Un nouveau document, avec un nouveau numéro, pour la même décision du jury : il reprend l'identité du candidat
            telle que son dossier l'indique maintenant (corrigez-la d'abord :{" "}
            <Link to={`/candidates/${record.candidateId}/edit`} className="text-brand-700 underline" data-testid="record-edit-candidate">
              Modifier le candidat
            </Link>
            ) et mentionne qu'il remplace le n° {record.number}.
          </p>
          <FormErrors
            errors={rectify.data && !rectify.data.ok ? [...(rectify.data.formErrors ?? []), ...(rectify.data.error ? [rectify.data.error] : [])] : []}
          />
        </form>
      ) : null}
    </li>
  );
}

export function RecordList({
  records,
  canManage,
  submissionKey,
  extra,
}: {
  records: RecordRow[];
  canManage: boolean;
  submissionKey: string;
  extra?: (record: RecordRow) => ReactNode;
}) {
  if (records.length === 0) return <p className="text-sm text-slate-600">Aucun document délivré.</p>;
  return (
    <ul className="divide-y divide-slate-200">
      {records.map((r) => (
        <RecordCard key={r.id} record={r} canManage={canManage} submissionKey={submissionKey} extra={extra?.(r)} />
      ))}
    </ul>
  );
}

