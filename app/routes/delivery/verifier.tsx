import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { checkRecordFile, RECORD_FILE_MAX_BYTES } from "~/delivery/check-record-file.server";
import { readForm } from "~/platform/http/read-form.server";
import {
  DELIVERY_KIND_LABELS,
  appealReplacementMention,
  duplicateMention,
  rectificationMention,
  replacedNotice,
  replacedSentence,
  verificationHeadline,
} from "~/domain/delivery-record";
import { verificationLimiter } from "~/delivery/rate-limit.server";
import { findDocumentForVerification, type DocumentVerification } from "~/delivery/verify-document.server";
import { findRecordForVerification } from "~/delivery/verify-record.server";
import { documentHeadline, documentReplacedNotice, reissueMention, VERIFIED_DOCUMENT_LABELS } from "~/domain/document-verification";
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Vérification d'un document — Quorum" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const ip = (context as { clientIp?: string | null }).clientIp ?? "unknown";
  if (!verificationLimiter.take(ip)) {
    throw data("Trop de vérifications depuis cette adresse : réessayez dans une minute.", { status: 429, headers: { "Retry-After": "60" } });
  }
  const code = params.code ?? "";
  const record = await findRecordForVerification(code);
  // A notice letter or a fiche de décision carries a code too (docs/decisions/0029).
  const document = record ? null : await findDocumentForVerification(code);
  const headers = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  const found = record
    ? { type: "record" as const, record: recordView(record) }
    : document
      ? { type: "document" as const, document: documentView(document) }
      : null;
  if (!found) return data({ found: false as const, code }, { status: 404, headers });
  return data({ found: true as const, code, ...found }, { headers });
}

/** A delivery record as the page receives it (dates as ISO text). */
function recordView(record: NonNullable<Awaited<ReturnType<typeof findRecordForVerification>>>) {
  return {
    ...record,
    issuedAt: record.issuedAt.toISOString(),
    validUntil: record.validUntil?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
    duplicateOf: record.duplicateOf ? { ...record.duplicateOf, issuedAt: record.duplicateOf.issuedAt.toISOString() } : null,
    replacedBy: record.replacedBy ? { ...record.replacedBy, issuedAt: record.replacedBy.issuedAt.toISOString() } : null,
    replaces: record.replaces ? { ...record.replaces, revokedAt: record.replaces.revokedAt?.toISOString() ?? null } : null,
  };
}

/** A notice letter or a fiche de décision as the page receives it (dates as ISO text). */
function documentView(document: DocumentVerification) {
  return {
    ...document,
    issuedAt: document.issuedAt.toISOString(),
    decidedAt: document.decidedAt.toISOString(),
    replacedBy: document.replacedBy ? { ...document.replacedBy, on: document.replacedBy.on.toISOString() } : null,
    replaces: document.replaces ? { ...document.replaces, on: document.replaces.on.toISOString() } : null,
  };
}

const TOO_LARGE = "Fichier trop volumineux : un document délivré pèse moins de 900 Ko. Ce n'est pas le document délivré sous ce code.";

/** « Vérifier un fichier »: is the PDF one was handed exactly the document issued under this code? */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ip = (context as { clientIp?: string | null }).clientIp ?? "unknown";
  const headers = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  if (!verificationLimiter.take(ip)) {
    return data({ ok: false as const, message: "Trop de vérifications depuis cette adresse : réessayez dans une minute." }, { status: 429, headers: { ...headers, "Retry-After": "60" } });
  }
  if (Number(request.headers.get("content-length") ?? "0") > RECORD_FILE_MAX_BYTES + 64 * 1024) {
    return data({ ok: false as const, message: TOO_LARGE }, { status: 413, headers });
  }
  const form = await readForm(request);
  const file = form.get("document");
  if (!(file instanceof File) || file.size === 0) {
    return data({ ok: false as const, message: "Choisissez le fichier PDF à vérifier." }, { status: 400, headers });
  }
  if (file.size > RECORD_FILE_MAX_BYTES) return data({ ok: false as const, message: TOO_LARGE }, { status: 413, headers });
  const check = await checkRecordFile(params.code ?? "", new Uint8Array(await file.arrayBuffer()));
  if (!check) return data({ ok: false as const, message: "Document introuvable : aucun document ne porte ce code." }, { status: 404, headers });
  if (check.outcome === "pending") {
    return data({ ok: false as const, message: "Le PDF de ce document est en cours de production : réessayez dans quelques minutes." }, { headers });
  }
  if (check.outcome === "identical") {
    const same = "Ce fichier est bien le document délivré sous ce code (même empreinte SHA-256)";
    const { standing } = check;
    if (standing.status === "replaced") {
      const revoked = standing.revokedAt ? `, mais ce document a été révoqué le ${frDate(standing.revokedAt.toISOString())}` : "";
      const message = `${same}${revoked}. ${replacedSentence(standing.replacedBy, frDate(standing.replacedBy.issuedAt.toISOString()))}`;
      return data({ ok: false as const, warning: true, message, sha256: check.sha256 }, { headers });
    }
    if (standing.status === "superseded") {
      const { lead, reference, tail } = documentReplacedNotice(standing.kind, standing.replacedBy, frDate(standing.replacedBy.on.toISOString()));
      const message = `${same}, mais ${lowerFirst(`${lead}${reference ? ` ${reference}` : ""}${tail}`)}`;
      return data({ ok: false as const, warning: true, message, sha256: check.sha256 }, { headers });
    }
    if (standing.status === "revoked") {
      const message = `${same}, mais ce document a été révoqué le ${frDate(standing.revokedAt.toISOString())} : il n'est plus valide.`;
      return data({ ok: false as const, warning: true, message, sha256: check.sha256 }, { headers });
    }
    if (standing.status === "expired") {
      const message = `${same}, mais sa validité a pris fin le ${formatLongDay(standing.validUntil.toISOString())} : il n'est plus valide.`;
      return data({ ok: false as const, warning: true, message, sha256: check.sha256 }, { headers });
    }
    return data({ ok: true as const, message: "Fichier intact : c'est exactement le document délivré sous ce code (même empreinte SHA-256).", sha256: check.sha256 }, { headers });
  }
  return data({ ok: false as const, message: check.message, sha256: check.sha256 }, { headers });
}

/** Issue and revocation: the day of the instant in Paris, as on the PDF. */
const frDate = (iso: string) => formatParisLongDate(iso);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export default function Verifier() {
  const result = useLoaderData<typeof loader>();
  if (!result.found) {
    return (
      <div className="mx-auto max-w-2xl p-8">
        <h1 className="text-xl font-semibold">Vérification d'un document</h1>
        <p className="mt-4" data-testid="verification-status">
          Document introuvable : aucun document délivré ne porte le code « {result.code.length > 60 ? `${result.code.slice(0, 60)}…` : result.code} ».
        </p>
        <p className="mt-2 text-sm text-slate-700">
          Vérifiez l'adresse recopiée du document : elle est imprimée sous son QR code, « /verifier/ » suivi du code. Si elle
          est exacte, adressez-vous à l'organisme qui a délivré le document.
        </p>
      </div>
    );
  }
  if (result.type === "document") return <DocumentVerificationView document={result.document} />;
  const r = result.record;
  // A replaced record is never « Valide », even before its revocation (the step after the replacement's issue).
  const headline = verificationHeadline(r.status, r.replacedBy !== null);
  const tone = headline.valid ? "text-green-800 bg-green-50" : "text-red-800 bg-red-50";
  const replaced = r.replacedBy ? replacedNotice(r.replacedBy, frDate(r.replacedBy.issuedAt)) : null;
  return (
    <div className="mx-auto max-w-2xl p-8">
      <h1 className="text-xl font-semibold">Vérification d'un document</h1>
      <p className={`mt-4 rounded px-3 py-2 font-semibold ${tone}`} data-testid="verification-status">
        {headline.label}
        {r.status === "revoked" && r.revokedAt ? ` le ${frDate(r.revokedAt)}` : ""}
      </p>
      {r.replacedBy && replaced ? <ReplacedBy notice={replaced} code={r.replacedBy.verificationCode} /> : null}
      <dl className={FACTS_CLASS}>
        <dt className="font-medium">Document</dt>
        <dd>
          {DELIVERY_KIND_LABELS[r.kind]} n° {r.number}
          {r.duplicate ? " (duplicata)" : ""}
          {r.duplicateOf ? (
            <span className="block text-sm text-slate-800" data-testid="duplicate-of">
              {duplicateMention(r.duplicateOf, frDate(r.duplicateOf.issuedAt))}.
            </span>
          ) : null}
          {r.replaces ? (
            <span className="block text-sm text-slate-800">
              <span data-testid="replaces">
                {`${
                  r.replaces.cause === "appeal"
                    ? appealReplacementMention(r.replaces, r.replaces.revokedAt ? frDate(r.replaces.revokedAt) : null)
                    : rectificationMention(r.replaces, r.replaces.revokedAt ? frDate(r.replaces.revokedAt) : "—")
                }.`}
              </span>{" "}
              <Link className="underline" to={`/verifier/${r.replaces.verificationCode}`} data-testid="replaces-link">
                Vérifier le document remplacé
              </Link>
            </span>
          ) : null}
        </dd>
        <dt className="font-medium">Titulaire</dt>
        <dd>{r.holder}</dd>
        <dt className="font-medium">Certification</dt>
        <dd>
          {r.certification.title} ({r.certification.code}) — {r.certification.certifier}
        </dd>
        <dt className="font-medium">{r.kind === "ATTESTATION" ? "Blocs acquis (uniquement)" : "Blocs"}</dt>
        <dd>
          <ul>
            {r.blocs.map((b) => (
              <li key={b.code}>
                {b.code} — {b.title}
              </li>
            ))}
          </ul>
        </dd>
        <dt className="font-medium">Délivré le</dt>
        <dd>{frDate(r.issuedAt)}</dd>
        <dt className="font-medium">Validité</dt>
        <dd>{r.validUntil ? `jusqu'au ${formatLongDay(r.validUntil)}` : "sans limite de durée"}</dd>
        <dt className="font-medium">Empreinte SHA-256 du PDF</dt>
        <dd className="break-all font-mono text-sm">{r.pdfSha256 ?? "en cours de production"}</dd>
      </dl>
      {r.pdfSha256 ? <FileCheck /> : null}
      {r.hasCredential ? (
        <p className="mt-6">
          <Link reloadDocument className="underline" to={`/verifier/${result.code}/credential.json`}>
            Télécharger l'attestation numérique (Open Badges 3.0)
          </Link>
        </p>
      ) : null}
    </div>
  );
}

/** The facts of a verified document, label beside value (one column on a phone). */
const FACTS_CLASS =
  "mt-4 grid grid-cols-1 gap-x-2 gap-y-1 sm:grid-cols-[12rem_1fr] sm:gap-2 [&>dd]:mb-2 [&>dd]:min-w-0 [&>dd]:[overflow-wrap:anywhere] sm:[&>dd]:mb-0";

/** « Ce document a été remplacé le … par le | document n° … | … »: the reference links the replacement's own page when it has one. */
function ReplacedBy({ notice, code }: { notice: { lead: string; reference: string | null; tail: string }; code: string | null }) {
  return (
    <p className="mt-2 font-medium text-slate-900" data-testid="replaced-by">
      {notice.lead}
      {notice.reference && code ? (
        <>
          {" "}
          <Link className="underline" to={`/verifier/${code}`}>
            {notice.reference}
          </Link>
        </>
      ) : null}
      {notice.tail}
    </p>
  );
}

/** « Vérifier un fichier »: the PDF one was handed, compared with the document issued under this code (the action). */
function FileCheck() {
  const fileCheck = useFormResult<typeof action>();
  const checking = useNavigation().state === "submitting";
  return (
    <section className="mt-6 rounded border border-slate-200 p-4" aria-labelledby="file-check-title">
      <h2 id="file-check-title" className="font-semibold">
        Vérifier un fichier
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Déposez le PDF que l'on vous a remis : Quorum calcule son empreinte et la compare à celle du document délivré.
        Le fichier n'est pas conservé.
      </p>
      <Form method="post" encType="multipart/form-data" className="mt-3 flex flex-wrap items-center gap-3">
        <label className="text-sm">
          <span className="sr-only">Fichier PDF à vérifier</span>
          <input type="file" name="document" accept="application/pdf,.pdf" required className="max-w-full text-sm" />
        </label>
        <button type="submit" disabled={checking} className="rounded bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {checking ? "Vérification…" : "Vérifier"}
        </button>
      </Form>
      {fileCheck ? (
        <p
          role="status"
          data-testid="file-check"
          data-tone={fileCheck.ok ? "success" : "warning" in fileCheck ? "warning" : "error"}
          className={`mt-3 rounded px-3 py-2 text-sm font-semibold [overflow-wrap:anywhere] ${fileCheck.ok ? "bg-green-50 text-green-800" : "warning" in fileCheck ? "border border-amber-300 bg-amber-50 text-amber-900" : "bg-red-50 text-red-800"}`}
        >
          {fileCheck.message}
          {"sha256" in fileCheck && fileCheck.sha256 ? (
            <span className="mt-1 block font-mono text-xs font-normal">Empreinte du fichier déposé : {fileCheck.sha256}</span>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

/** A notice letter or a fiche de décision: what it prints that a third party may see, and whether a newer version replaces it. */
function DocumentVerificationView({ document: d }: { document: ReturnType<typeof documentView> }) {
  const headline = documentHeadline(d.replacedBy !== null);
  const tone = headline.valid ? "text-green-800 bg-green-50" : "text-red-800 bg-red-50";
  const replaced = d.replacedBy ? documentReplacedNotice(d.kind, d.replacedBy, frDate(d.replacedBy.on)) : null;
  return (
    <div className="mx-auto max-w-2xl p-8">
      <h1 className="text-xl font-semibold">Vérification d'un document</h1>
      <p className={`mt-4 rounded px-3 py-2 font-semibold ${tone}`} data-testid="verification-status">
        {headline.label}
      </p>
      {d.replacedBy && replaced ? <ReplacedBy notice={replaced} code={d.replacedBy.verificationCode} /> : null}
      <dl className={FACTS_CLASS}>
        <dt className="font-medium">Document</dt>
        <dd>
          {VERIFIED_DOCUMENT_LABELS[d.kind]}
          {d.replaces ? (
            <span className="block text-sm text-slate-800" data-testid="replaces">
              {reissueMention(frDate(d.replaces.on))}.{" "}
              {d.replaces.verificationCode ? (
                <Link className="underline" to={`/verifier/${d.replaces.verificationCode}`}>
                  Vérifier la lettre remplacée
                </Link>
              ) : null}
            </span>
          ) : null}
        </dd>
        <dt className="font-medium">Candidat(e)</dt>
        <dd>{d.holder}</dd>
        <dt className="font-medium">Certification</dt>
        <dd>
          {d.certification ? `${d.certification.title} (${d.certification.code}) — ` : ""}
          {d.organisation}
        </dd>
        <dt className="font-medium">Décision du jury du</dt>
        <dd>{frDate(d.decidedAt)}</dd>
        <dt className="font-medium">{d.kind === "NOTICE" ? "Lettre du" : "Signée le"}</dt>
        <dd>{frDate(d.issuedAt)}</dd>
        <dt className="font-medium">Empreinte SHA-256 du PDF</dt>
        <dd className="break-all font-mono text-sm">{d.pdfSha256 ?? "en cours de production"}</dd>
      </dl>
      {d.pdfSha256 ? <FileCheck /> : null}
    </div>
  );
}
