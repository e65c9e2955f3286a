import { OUTCOME_LABELS, type CertificationOutcomeKind } from "~/domain/aggregation";
import { renderFailedText, type RenderFailure } from "~/domain/render-failure";
import { formatDateTime } from "../format";

/** The evaluation commission's result and the link to its signed grid (dossier, candidate and session pages). */
export function CommissionResult({
  result,
}: {
  result: { outcome: CertificationOutcomeKind | string; signedAt: string | Date | null; pdfUrl: string | null; pdfFailure?: RenderFailure | null };
}) {
  const label = OUTCOME_LABELS[result.outcome as CertificationOutcomeKind] ?? result.outcome;
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="commission-result">
      <span className="font-medium">Résultat de la commission : {label}</span>
      {result.signedAt ? <span className="text-slate-600">(grille signée le {formatDateTime(result.signedAt)})</span> : null}
      {result.pdfUrl ? (
        <a href={result.pdfUrl} className="text-brand-700 underline" download>
          Grille signée (PDF)
        </a>
      ) : result.pdfFailure ? (
        <span role="status" className="text-red-700" data-testid="pdf-failed">
          {renderFailedText(result.pdfFailure)}
        </span>
      ) : (
        <span className="text-slate-600">PDF en préparation…</span>
      )}
    </p>
  );
}
