/**
 * Which archived documents a reader may open — one rule for the archive's list, its search and counts, its downloads,
 * its « Vérifier », a session's ZIP, and the delivery routes. Pure, no I/O.
 *
 * The secretariat and administrators (`manages`) read every document of their organisation. A jury or commission
 * member reads, for the sessions they sat on, only the documents of the deliberation they took part in: the signed
 * evaluation grids, the decision sheets (fiches de décision) and the minutes (procès-verbal) — with the attendance
 * sheet the session's ZIP writes. What the organisation addresses to the candidate or issues for them — the decision
 * notice letters (with the candidate's postal address, re-issued letters included), parchemins, attestations de blocs
 * (duplicates included), their digital badges, the CPNE's validation — is the secretariat's: a member does not need
 * that personal data (GDPR data minimisation). The rule is an allow-list: a kind added later stays the secretariat's
 * until it is listed here as a document of the deliberation.
 */

/** The kinds of the deliberation itself, which a member who sat on the session reads. */
export const DELIBERATION_KINDS = ["grid", "decision", "minutes"] as const;

/** The kinds the delivery routes (`/delivrance/pdf/:kind/:id`) serve: documents issued for or addressed to the candidate. */
export const DELIVERY_PDF_KINDS = ["parchemin", "attestation", "notice", "validation"] as const;

export type ArchiveReader = { manages: boolean };

/** Whether `reader` may open an archived document of `kind` (of a session they sat on, for a member). */
export function mayReadArchivedKind(reader: ArchiveReader, kind: string): boolean {
  return reader.manages || (DELIBERATION_KINDS as readonly string[]).includes(kind);
}

/** The kinds `reader` may open, or null for every kind (the secretariat, administrators). */
export function readableArchiveKinds(reader: ArchiveReader): readonly string[] | null {
  return reader.manages ? null : DELIBERATION_KINDS;
}

/** The refusal a member reads when they ask for a document of a session they sat on that is not theirs to read. */
export const WITHHELD_FROM_MEMBER =
  "Ce document est adressé au candidat ou délivré pour lui et contient ses données personnelles : il est réservé au secrétariat et à l'administration. En tant que membre, vous consultez les documents de la délibération (grilles signées, fiches de décision, procès-verbal).";
