/**
 * Per holder, where the declaration to the Caisse des Dépôts stands — what the secretariat sees: to declare (with
 * the days left before the 3-month deadline), past the deadline, not declarable (what is missing), exported and
 * awaiting the acknowledgement, accepted, rejected (with the Caisse des Dépôts' message), to declare again (the
 * holder's identity corrected since the file that declared it). Pure rules over the passage's stored state; the
 * acknowledgement import flips states; a new file takes the passages never sent, the rejected ones and those whose
 * holder's identity changed since (same idTechnique: the Caisse des Dépôts matches the passage, and the holder, again),
 * never an accepted one nor one still awaiting its acknowledgement as they were declared.
 */
import type { Acknowledgement } from "./acknowledgement";

export type PassageState = "pending" | "exported" | "accepted" | "rejected";

/** What is stored per passage (one per total delivery). */
export type PassageRecord = {
  idTechnique: string;
  state: PassageState;
  /** Flow of the last file that carried it. */
  idFlux: string | null;
  /** Caisse des Dépôts' message when rejected. */
  message: string | null;
  /** Exported or accepted, but the holder's identity no longer is the one the file declared. */
  identityChanged?: boolean;
};

export type DeclarationStatus =
  | { kind: "not_declarable"; missing: string[]; deadline: string; daysLeft: number }
  | { kind: "to_declare"; deadline: string; daysLeft: number }
  | { kind: "past_deadline"; deadline: string; daysLate: number }
  | { kind: "exported"; idFlux: string | null }
  | { kind: "accepted" }
  | { kind: "rejected"; message: string; deadline: string; daysLeft: number }
  /** `declaredOn`: the day of the file that declared the former identity ("YYYY-MM-DD"), null when unknown. */
  | { kind: "identity_changed"; declaredOn: string | null };

export const DECLARATION_STATUS_LABELS: Record<DeclarationStatus["kind"], string> = {
  not_declarable: "Non déclarable",
  to_declare: "À déclarer",
  past_deadline: "Délai dépassé",
  exported: "Exporté, accusé attendu",
  accepted: "Accepté",
  rejected: "Rejeté",
  identity_changed: "Identité modifiée",
};

/**
 * The holders still to declare — what the next file carries: never sent (within the deadline or past it) and
 * rejected. The desk counts them and links to the declarations page filtered on exactly these (TO_SEND_FILTER).
 */
export const TO_SEND_KINDS: ReadonlyArray<DeclarationStatus["kind"]> = ["to_declare", "past_deadline", "rejected", "identity_changed"];
/** The declarations page's `statut` value for TO_SEND_KINDS, and what the page says of it. */
export const TO_SEND_FILTER = "a_declarer";
export const TO_SEND_LABEL = "titulaires à déclarer (à déclarer, délai dépassé, rejetés, identité modifiée)";
/**
 * Every holder still to be done: those the next file carries and those it cannot carry yet (not declarable, their
 * identity or the certification's code to complete first). The desk counts them all, and says how many are which.
 */
export const TO_DO_KINDS: ReadonlyArray<DeclarationStatus["kind"]> = [...TO_SEND_KINDS, "not_declarable"];
export const TO_DO_FILTER = "a_traiter";
export const TO_DO_LABEL = "titulaires restant à déclarer (prêts à déclarer et non déclarables)";

/**
 * Why « Générer le fichier XML » gives no file, by key: the declarations page says it under its button, beforehand
 * (the button disabled) or after a refused attempt (the file route sends the page back with `?refus=<key>`; a fixed
 * set of keys, so no address can make the page print a text of its choosing).
 */
export const DECLARATION_FILE_REFUSALS = {
  identifiants: "Renseignez d'abord l'identifiant client et le numéro de contrat Caisse des Dépôts de l'organisation.",
  rien: "Aucun titulaire à déclarer : rien de nouveau, de rejeté ni d'identité modifiée à envoyer.",
  incomplets: "Aucun titulaire déclarable : complétez ce qui est signalé à « Non déclarable » (l'identité du titulaire, ou le code RNCP ou RS de la certification).",
  entretemps:
    "Un fichier de déclaration vient d'être généré (ou un accusé importé) pour ces titulaires : rechargez la page avant d'en générer un autre.",
} as const;
export type DeclarationFileRefusal = keyof typeof DECLARATION_FILE_REFUSALS;

/** The refusal key of a message of DECLARATION_FILE_REFUSALS, or null. */
export function declarationFileRefusalKey(message: string): DeclarationFileRefusal | null {
  return (Object.keys(DECLARATION_FILE_REFUSALS) as DeclarationFileRefusal[]).find((key) => DECLARATION_FILE_REFUSALS[key] === message) ?? null;
}

/**
 * Why no file can be generated now, from the page's counts and the organisation's identifiers (null: a file can be):
 * nothing to send, or only holders whose identity is incomplete.
 */
export function declarationFileBlocked(
  counts: Record<DeclarationStatus["kind"], number>,
  settingsComplete: boolean,
): string | null {
  if (!settingsComplete) return DECLARATION_FILE_REFUSALS.identifiants;
  if (TO_SEND_KINDS.some((kind) => counts[kind] > 0)) return null;
  if (counts.not_declarable > 0) {
    return `Aucun titulaire à déclarer : ${counts.not_declarable > 1 ? `${counts.not_declarable} titulaires ne sont pas déclarables` : "1 titulaire n'est pas déclarable"}, complétez d'abord ce qui ${counts.not_declarable > 1 ? "leur" : "lui"} manque (voir « ${DECLARATION_STATUS_LABELS.not_declarable} » : l'identité du titulaire, ou le code RNCP ou RS de la certification).`;
  }
  return DECLARATION_FILE_REFUSALS.rien;
}

/** The distinct items missing to a set of holders, most frequent first (then as first met). */
export function missingSummary(missing: ReadonlyArray<readonly string[]>): string[] {
  const counts = new Map<string, number>();
  for (const items of missing) for (const item of new Set(items)) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([item]) => item);
}

const DAY = 86_400_000;

function utcDate(iso: string): Date {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * The day the certification was obtained (the jury's decision, not the parchemin's issue) + 3 months (the last day
 * of the month when it has fewer days: 30/11 → 28/02), "YYYY-MM-DD".
 */
export function declarationDeadline(deliveredOn: string): string {
  const [y, m, d] = deliveredOn.split("-").map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1 + 4, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + 3, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** Days from `today` to `deadline` (0 on the day itself, negative once past). */
export function daysUntil(deadline: string, today: string): number {
  return Math.round((utcDate(deadline).getTime() - utcDate(today).getTime()) / DAY);
}

/** `declaredOn`: the day the passage's last file was generated ("YYYY-MM-DD"), when it was. */
export function declarationStatus(
  input: { deliveredOn: string; missing: string[]; record: PassageRecord | null; declaredOn?: string | null },
  today: string,
): DeclarationStatus {
  const state = input.record?.state ?? "pending";
  if ((state === "accepted" || state === "exported") && input.record?.identityChanged) {
    // Declared under the former identity: to send again once the corrected one is complete.
    if (input.missing.length > 0) {
      const deadline = declarationDeadline(input.deliveredOn);
      return { kind: "not_declarable", missing: input.missing, deadline, daysLeft: daysUntil(deadline, today) };
    }
    return { kind: "identity_changed", declaredOn: input.declaredOn ?? null };
  }
  // Settled (most holders of an organisation's years): no deadline to compute.
  if (state === "accepted") return { kind: "accepted" };
  if (state === "exported") return { kind: "exported", idFlux: input.record?.idFlux ?? null };
  const deadline = declarationDeadline(input.deliveredOn);
  const daysLeft = daysUntil(deadline, today);
  if (input.missing.length > 0) return { kind: "not_declarable", missing: input.missing, deadline, daysLeft };
  if (state === "rejected") return { kind: "rejected", message: input.record?.message ?? "", deadline, daysLeft };
  if (daysLeft < 0) return { kind: "past_deadline", deadline, daysLate: -daysLeft };
  return { kind: "to_declare", deadline, daysLeft };
}

/**
 * The passages a new file should carry: never sent, rejected, or declared under an identity since corrected (resent
 * with the same idTechnique).
 */
export function passagesToSend(records: PassageRecord[]): PassageRecord[] {
  return records.filter((record) => record.state === "pending" || record.state === "rejected" || record.identityChanged === true);
}

/** After a file is offered: its passages await the acknowledgement. */
export function markExported(records: PassageRecord[], included: string[], idFlux: string): PassageRecord[] {
  const sent = new Set(included);
  return records.map(({ identityChanged, ...record }) =>
    sent.has(record.idTechnique) && (record.state !== "accepted" || identityChanged)
      ? { ...record, state: "exported", idFlux, message: null }
      : { ...record, ...(identityChanged === undefined ? {} : { identityChanged }) },
  );
}

/**
 * Applies an acknowledgement: accepted and rejected passages flip; an accepted passage never goes back. An
 * acknowledgement names its file (idFlux): a passage whose last file is another one (rejected, then resent in a newer
 * file) is left as it is and returned as stale — the answer is for an earlier file, and flipping it would resend it, or
 * declare the holder twice. An acknowledgement without idFlux (or an empty one) cannot be matched to a file: it applies as it reads.
 * Returns the records that changed, the idTechnique the file names that Quorum does not know, and the stale ones.
 */
export function applyAcknowledgement(
  records: PassageRecord[],
  acknowledgement: Acknowledgement,
): { changed: PassageRecord[]; unknown: string[]; stale: string[] } {
  const byId = new Map(records.map((record) => [record.idTechnique, record]));
  const changed: PassageRecord[] = [];
  const unknown: string[] = [];
  const stale: string[] = [];
  for (const outcome of acknowledgement.passages) {
    const record = byId.get(outcome.idTechnique);
    if (!record) {
      unknown.push(outcome.idTechnique);
      continue;
    }
    // An empty idFlux names no file either.
    if (acknowledgement.idFlux && record.idFlux !== acknowledgement.idFlux) {
      stale.push(outcome.idTechnique);
      continue;
    }
    if (record.state === "accepted") continue;
    const next: PassageRecord =
      outcome.status === "accepted"
        ? { ...record, state: "accepted", message: null }
        : { ...record, state: "rejected", message: outcome.message ?? "Rejeté sans message" };
    if (next.state !== record.state || next.message !== record.message) changed.push(next);
  }
  return { changed, unknown, stale };
}

/**
 * What a delivery record says of its holder's declaration, on the candidate's page: the holder's status (the same
 * `declarationStatus` the declarations page shows) on the parchemin that makes them a holder, or why there is none —
 * an attestation de blocs is not declared (only a certification obtained in full, its parchemin, is); a parchemin revoked
 * and not rectified no longer makes a holder; one whose decision is not final yet is not due yet. A duplicate, or a revoked
 * record whose decision still has a holder (rectified), says nothing: the record that stands for the decision says it.
 */
export type RecordDeclaration<H> = { kind: "holder"; holder: H } | { kind: "none"; reason: string } | null;

export const RECORD_NOT_DECLARED = {
  attestation: "non concernée — seule la certification obtenue en totalité (son parchemin) est déclarée, pas une attestation de blocs.",
  revoked: "plus due — parchemin révoqué et non rectifié : son titulaire n'est plus à déclarer.",
  notFinal: "pas encore due — la décision du jury n'est pas définitive (validation de la CPNE attendue, ou décision remplacée sur recours).",
} as const;

export function recordDeclaration<H>(
  record: { kind: "PARCHEMIN" | "ATTESTATION"; duplicate: boolean; revoked: boolean },
  holder: H | null,
): RecordDeclaration<H> {
  if (record.duplicate) return null;
  if (record.kind === "ATTESTATION") return record.revoked ? null : { kind: "none", reason: RECORD_NOT_DECLARED.attestation };
  if (record.revoked) return holder ? null : { kind: "none", reason: RECORD_NOT_DECLARED.revoked };
  return holder ? { kind: "holder", holder } : { kind: "none", reason: RECORD_NOT_DECLARED.notFinal };
}
