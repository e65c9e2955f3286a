/**
 * The audit chain: each event's hash covers its content and the previous event's hash, so any edit or deletion
 * breaks every later link. Pure functions; storage is app/audit/record-audit.server.ts.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

export const GENESIS_HASH = "0".repeat(64);

export type AuditPayload = {
  organisationId: string | null;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
  createdAt: string; // ISO 8601, set by the writer so the hash can be recomputed
};

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function computeAuditHash(prevHash: string, payload: AuditPayload): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${prevHash}\n${stableStringify(payload)}`)));
}

export type StoredAuditEvent = AuditPayload & { seq: bigint | number | string; prevHash: string; hash: string };

/** The first broken link of a chain given in seq order, or null when the chain is intact. */
export function findBrokenLink(events: Iterable<StoredAuditEvent>): { seq: string; reason: string } | null {
  let prev = GENESIS_HASH;
  for (const e of events) {
    const { seq, prevHash, hash, ...payload } = e;
    if (prevHash !== prev) return { seq: String(seq), reason: "le maillon précédent ne correspond pas" };
    if (computeAuditHash(prevHash, payload) !== hash) return { seq: String(seq), reason: "contenu modifié" };
    prev = hash;
  }
  return null;
}
