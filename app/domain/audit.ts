/**
 * The audit chain: each event's hash covers its content and the previous event's hash, so any edit or deletion
 * breaks every later link. Pure functions; storage is app/platform/audit/record-audit.server.ts.
 */
import { canonicalJson, sha256Hex } from "./canonical";

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

export function computeAuditHash(prevHash: string, payload: AuditPayload): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(payload)}`);
}

export type StoredAuditEvent = AuditPayload & { seq: bigint | number | string; prevHash: string; hash: string };

/** The first broken link of a chain given in seq order, or null when the chain is intact. */
export function findBrokenLink(
  events: Iterable<StoredAuditEvent>,
  previousHash: string = GENESIS_HASH,
): { seq: string; reason: string } | null {
  let prev = previousHash;
  for (const e of events) {
    const { seq, prevHash, hash, ...payload } = e;
    if (prevHash !== prev) return { seq: String(seq), reason: "le maillon précédent ne correspond pas" };
    if (computeAuditHash(prevHash, payload) !== hash) return { seq: String(seq), reason: "contenu modifié" };
    prev = hash;
  }
  return null;
}
