/**
 * Kinds of signed or issued documents the archive lists. A document of a new kind appears in the archive by being
 * stored like the others (a `SignedDocument` row with this `kind`): the archive never lists kinds by hand.
 */
export const ARCHIVE_KINDS = ["grid", "decision", "minutes", "validation", "parchemin", "attestation", "credential", "notice"] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

export const ARCHIVE_KIND_LABELS: Record<ArchiveKind, string> = {
  grid: "Grille d'évaluation signée",
  decision: "Fiche de décision",
  minutes: "Procès-verbal",
  parchemin: "Parchemin",
  attestation: "Attestation de blocs",
  credential: "Badge numérique",
  // The CPNE's signed validation of a jury's decisions, and the letter notifying a candidate of the decision.
  validation: "Validation des décisions (CPNE)",
  notice: "Lettre de notification de la décision",
};

export function archiveKindLabel(kind: string): string {
  return (ARCHIVE_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

/** Last day a document is kept: its creation + the organisation's retention period (years). */
export function retentionUntil(createdAt: Date, years: number): Date {
  const end = new Date(createdAt);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

/** The candidate's decision, as the archive filters on it (jury decision, else the signed grid's outcome). */
export const ARCHIVE_DECISIONS = ["total", "partial", "none", "adjourned"] as const;
export type ArchiveDecision = (typeof ARCHIVE_DECISIONS)[number];
export const ARCHIVE_DECISION_LABELS: Record<ArchiveDecision, string> = {
  total: "Délivrance totale",
  partial: "Délivrance partielle",
  none: "Non-délivrance",
  adjourned: "Ajournement",
};
