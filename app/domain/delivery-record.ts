/**
 * Delivery records (parchemin, attestation de blocs): number format, public status, wording. Pure, no I/O.
 */
import { frenchTime } from "./format";
import { endOfParisDay } from "./paris-date";

export type DeliveryKindName = "PARCHEMIN" | "ATTESTATION";
export type RecordStatus = "valid" | "expired" | "revoked";

/** `ORG-2026-000123`: the organisation's slug in capitals, the year and the 6-digit sequence of that year. */
export function formatRecordNumber(organisationSlug: string, year: number, sequence: number): string {
  const prefix = organisationSlug.toUpperCase().replace(/[^A-Z0-9]+/g, "-").replace(/^-|-$/g, "") || "ORG";
  return `${prefix}-${year}-${String(sequence).padStart(6, "0")}`;
}

/**
 * The last instant of a record's last valid day: `validUntil` is a calendar day (stored at midnight UTC), valid
 * whole in France, so until 23:59:59.999 that day in Paris (21:59:59.999Z in summer, 22:59:59.999Z in winter). The
 * public verification page and the Open Badge's `validUntil` both use it, so they agree at every instant.
 */
export function endOfValidity(validUntil: Date): Date {
  return endOfParisDay(validUntil.toISOString().slice(0, 10));
}

/** Status shown on the public verification page. */
export function recordStatus(record: { revokedAt: Date | null; validUntil: Date | null }, on: Date): RecordStatus {
  if (record.revokedAt) return "revoked";
  if (record.validUntil && on.getTime() > endOfValidity(record.validUntil).getTime()) return "expired";
  return "valid";
}

/** A record as a link of its chain: the original has no `duplicateOfId`, a duplicate points to what it duplicates. */
export type ChainLink = { id: string; duplicateOfId: string | null };

/**
 * The original of a record's chain: `duplicateOfId` followed up to a record that duplicates nothing (a cycle or a
 * missing link stops at the last record found). The record itself for an original.
 */
export function chainRoot<T extends ChainLink>(records: readonly T[], id: string): T | undefined {
  const byId = new Map(records.map((r) => [r.id, r]));
  let current = byId.get(id);
  const seen = new Set<string>();
  while (current?.duplicateOfId && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = byId.get(current.duplicateOfId);
    if (!parent) break;
    current = parent;
  }
  return current;
}

/**
 * A record's whole chain: its original and every duplicate of it, at any depth (a duplicate of a duplicate), in
 * the order of `records`. They all attest the same jury decision, so they are valid or revoked together: revoking
 * any of them revokes the chain, and no duplicate is issued from a chain with a revoked record.
 */
export function recordChain<T extends ChainLink>(records: readonly T[], id: string): T[] {
  const root = chainRoot(records, id);
  if (!root) return [];
  const members = new Set([root.id]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const r of records) {
      if (r.duplicateOfId && members.has(r.duplicateOfId) && !members.has(r.id)) {
        members.add(r.id);
        grown = true;
      }
    }
  }
  return records.filter((r) => members.has(r.id));
}

export const RECORD_STATUS_LABELS: Record<RecordStatus, string> = {
  valid: "Valide",
  expired: "Expiré",
  revoked: "Révoqué",
};

export const DELIVERY_KIND_LABELS: Record<DeliveryKindName, string> = {
  PARCHEMIN: "Parchemin",
  ATTESTATION: "Attestation de blocs de compétences",
};

/**
 * What a duplicate says of the record it replaces, on its PDF and on /verifier: « Duplicata du parchemin
 * n° ORG-2026-000123, délivré le 5 décembre 2026 » (an attestation: « délivrée »). `issuedOn` is the original's
 * issue date already written in French.
 */
export function duplicateMention(original: { kind: DeliveryKindName; number: string }, issuedOn: string): string {
  return original.kind === "PARCHEMIN"
    ? `Duplicata du parchemin n° ${original.number}, délivré le ${issuedOn}`
    : `Duplicata de l'attestation de blocs de compétences n° ${original.number}, délivrée le ${issuedOn}`;
}

/**
 * What a rectified record says of the revoked one it replaces (issued again for the same decision, after a material
 * error): « Document rectifié : remplace le parchemin n° …, révoqué le … ».
 */
export function rectificationMention(replaced: { kind: DeliveryKindName; number: string }, revokedOn: string): string {
  return replaced.kind === "PARCHEMIN"
    ? `Document rectifié : remplace le parchemin n° ${replaced.number}, révoqué le ${revokedOn}`
    : `Document rectifié : remplace l'attestation de blocs de compétences n° ${replaced.number}, révoquée le ${revokedOn}`;
}

/** Why a record was replaced: an upheld appeal revised its decision, or it was rectified after its revocation. */
export type ReplacementCause = "appeal" | "rectification";

/**
 * The banner of /verifier: the record's status, except that a record replaced by another one is never « Valide »,
 * even before its revocation (after an appeal, the replacement is issued, then the contested records revoked).
 */
export function verificationHeadline(status: RecordStatus, replaced: boolean): { label: string; valid: boolean } {
  if (status === "valid" && replaced) return { label: "Remplacé", valid: false };
  return { label: RECORD_STATUS_LABELS[status], valid: status === "valid" };
}

/**
 * What the public verification page of a replaced record says, in three parts so that the reference can link to the
 * replacement's own page: « Ce document a été remplacé le 3 décembre 2026 par le | document n° ORG-2026-000124 |
 * (parchemin), délivré à la suite d'un recours : il n'est plus valide. ». `replacedOn`: the replacement's issue day,
 * already written in French.
 */
export function replacedNotice(
  replacement: { kind: DeliveryKindName; number: string; cause: ReplacementCause },
  replacedOn: string,
): { lead: string; reference: string; tail: string } {
  const why = replacement.cause === "appeal" ? "délivré à la suite d'un recours" : "délivré en rectification de celui-ci";
  return {
    lead: `Ce document a été remplacé le ${replacedOn} par le`,
    reference: `document n° ${replacement.number}`,
    tail: ` (${DELIVERY_KIND_LABELS[replacement.kind].toLowerCase()}), ${why} : il n'est plus valide.`,
  };
}

/** `replacedNotice` as one sentence (the answer of « Vérifier un fichier »). */
export function replacedSentence(replacement: { kind: DeliveryKindName; number: string; cause: ReplacementCause }, replacedOn: string): string {
  const { lead, reference, tail } = replacedNotice(replacement, replacedOn);
  return `${lead} ${reference}${tail}`;
}

/**
 * What a record issued for a decision revised on appeal says of the contested decision's record it replaces, on
 * /verifier: « Document délivré à la suite d'un recours : remplace l'attestation de blocs de compétences n° …,
 * révoquée le … » (without the revocation day while the replaced record is not revoked yet).
 */
export function appealReplacementMention(replaced: { kind: DeliveryKindName; number: string }, revokedOn: string | null): string {
  const what = replaced.kind === "PARCHEMIN" ? `le parchemin n° ${replaced.number}` : `l'attestation de blocs de compétences n° ${replaced.number}`;
  const revoked = revokedOn ? `, ${replaced.kind === "PARCHEMIN" ? "révoqué" : "révoquée"} le ${revokedOn}` : "";
  return `Document délivré à la suite d'un recours : remplace ${what}${revoked}`;
}

/** The sentence an attestation must carry: it covers only the named blocs. */
export function attestationScope(certificationCode: string, blocCodes: readonly string[]): string {
  return `La présente attestation porte uniquement sur ${blocCodes.length > 1 ? "les blocs" : "le bloc"} ${blocCodes.join(", ")} de la certification ${certificationCode} ; elle ne vaut pas délivrance de la certification.`;
}

/**
 * The holder's birth as a record prints it after « Né(e) le »: `23 août 1992 à Lyon (69)` for a commune; for a
 * country, a form right whatever its article (« au Sénégal », « en France », « aux Comores »):
 * `23 août 1992 (Sénégal)`. `birthDay` is the date already written in French.
 */
export function birthMention(birthDay: string, holder: { birthPlace: string | null; birthCountry?: string | null }): string {
  if (holder.birthPlace) return `${birthDay} à ${holder.birthPlace}`;
  if (holder.birthCountry) return `${birthDay} (${holder.birthCountry})`;
  return birthDay;
}

/** Verification code alphabet (RFC 4648 base32, lowercase, no padding). */
export function base32(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Whether a string has the shape of a verification code (26 base32 characters = 130 bits ≥ 128-bit random). */
export function isVerificationCodeShape(code: string): boolean {
  return /^[a-z2-7]{26}$/.test(code);
}

/** The lookup key of a code as typed or followed: trimmed, lower case; a malformed one becomes a key no code has. */
export function verificationKey(code: string): string {
  const normalised = code.trim().toLowerCase();
  return isVerificationCodeShape(normalised) ? normalised : "-";
}

/** The holder's name as a record prints it: given names, birth name, and the usage name when there is one. */
export function holderName(holder: { givenNames: string; birthName: string; usageName: string | null }): string {
  const usage = holder.usageName ? ` (nom d'usage ${holder.usageName})` : "";
  return `${holder.givenNames} ${holder.birthName}${usage}`;
}

/** The public page where anyone checks an issued document by its code (printed on it, in its QR code). */
export function verificationUrl(baseUrl: string, code: string): string {
  return `${baseUrl}/verifier/${code}`;
}

/**
 * A duplicata asked again without the form's submission key (a form stripped of it, a script, a replay) within this
 * window after the same person's duplicata of the same record is refused (app/delivery/issue-duplicate.server.ts):
 * the form always sends its key, so a keyless request this soon is the same request sent twice.
 */
export const KEYLESS_WINDOW_MS = 2 * 60_000;

/** The refusal of a keyless duplicata sent again within KEYLESS_WINDOW_MS (French). */
export function duplicateJustIssued(number: string | null, at: Date): string {
  const time = frenchTime(at);
  return `Un duplicata de ce document vient d'être émis${number ? ` (n° ${number}, à ${time})` : ` (à ${time})`} : la même demande reçue une seconde fois n'en émet pas un autre. Pour un nouvel exemplaire, rechargez la page et recommencez.`;
}
