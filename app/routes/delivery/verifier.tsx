import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RECORD_STATUS_LABELS, DELIVERY_KIND_LABELS, duplicateMention } from "~/domain/delivery-record";
import { verificationLimiter } from "~/delivery/rate-limit.server";
import { findRecordForVerification } from "~/delivery/verify-record.server";
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";

export const meta: MetaFunction = () => [{ title: "Vérification d'un document — Quorum" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const ip = (context as { clientIp?: string | null }).clientIp ?? "unknown";
  if (!verificationLimiter.take(ip)) {
    throw data("Trop de vérifications depuis cette adresse : réessayez dans une minute.", { status: 429, headers: { "Retry-After": "60" } });
  }
  const record = await findRecordForVerification(params.code ?? "");
  const headers = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  if (!record) return data({ found: false as const, code: params.code ?? "" }, { status: 404, headers });
  return data(
    {
      found: true as const,
      code: params.code ?? "",
      record: {
        ...record,
        issuedAt: record.issuedAt.toISOString(),
        validUntil: record.validUntil?.toISOString() ?? null,
        revokedAt: record.revokedAt?.toISOString() ?? null,
        duplicateOf: record.duplicateOf ? { ...record.duplicateOf, issuedAt: record.duplicateOf.issuedAt.toISOString() } : null,
      },
    },
    { headers },
  );
}

/** Issue and revocation: the day of the instant in Paris, as on the PDF. */
const frDate = (iso: string) => formatParisLongDate(iso);

export default function Verifier() {
  const result = useLoaderData<typeof loader>();
  if (!result.found) {
    return (
      <main className="mx-auto max-w-2xl p-8">
        <h1 className="text-xl font-semibold">Vérification d'un document</h1>
        <p className="mt-4" data-testid="verification-status">Document introuvable.</p>
      </main>
    );
  }
  const r = result.record;
  const tone = r.status === "valid" ? "text-green-800 bg-green-50" : "text-red-800 bg-red-50";
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-xl font-semibold">Vérification d'un document</h1>
      <p className={`mt-4 rounded px-3 py-2 font-semibold ${tone}`} data-testid="verification-status">
        {RECORD_STATUS_LABELS[r.status]}
        {r.status === "revoked" && r.revokedAt ? ` le ${frDate(r.revokedAt)}` : ""}
      </p>
      {r.status === "revoked" && r.replacedBy ? (
        <p className="mt-2 text-sm text-slate-800" data-testid="replaced-by">
          Remplacé à la suite d'un recours par le document n° {r.replacedBy}.
        </p>
      ) : null}
      <dl className="mt-4 grid grid-cols-1 gap-x-2 gap-y-1 sm:grid-cols-[12rem_1fr] sm:gap-2 [&>dd]:mb-2 [&>dd]:min-w-0 [&>dd]:[overflow-wrap:anywhere] sm:[&>dd]:mb-0">
        <dt className="font-medium">Document</dt>
        <dd>
          {DELIVERY_KIND_LABELS[r.kind]} n° {r.number}
          {r.duplicate ? " (duplicata)" : ""}
          {r.duplicateOf ? (
            <span className="block text-sm text-slate-800" data-testid="duplicate-of">
              {duplicateMention(r.duplicateOf, frDate(r.duplicateOf.issuedAt))}.
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
      {r.hasCredential ? (
        <p className="mt-6">
          <Link reloadDocument className="underline" to={`/verifier/${result.code}/credential.json`}>
            Télécharger l'attestation numérique (Open Badges 3.0)
          </Link>
        </p>
      ) : null}
    </main>
  );
}
