/**
 * The parts every list's search form shares (candidates, outbox…): a select's options with « Tous » first, and the
 * submit button with the link that clears the search when one is applied.
 */
import { Link } from "@remix-run/react";
import { secondaryButtonClass } from "./candidates/dossier-ui";

export function AllOrOneOptions<T extends string>({ values, labels }: { values: readonly T[]; labels: Record<T, string> }) {
  return (
    <>
      <option value="">Tous</option>
      {values.map((value) => (
        <option key={value} value={value}>
          {labels[value]}
        </option>
      ))}
    </>
  );
}

export function SearchSubmit({ clearTo, clearLabel = "Effacer les filtres" }: { clearTo: string | null; clearLabel?: string }) {
  return (
    <>
      <button type="submit" className={secondaryButtonClass}>
        Rechercher
      </button>
      {clearTo ? (
        <Link to={clearTo} className="py-1.5 text-sm text-brand-700 underline">
          {clearLabel}
        </Link>
      ) : null}
    </>
  );
}
