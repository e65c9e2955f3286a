/**
 * The audit chain: each event's hash covers its content and the previous event's hash, so any edit or deletion
 * breaks every later link. The hash is an HMAC-SHA-256 under a server secret kept outside the database
 * (app/platform/audit/audit-key.server.ts): whoever edits the database cannot recompute the later links.
 * Events written before the chain was keyed (plain SHA-256) are accepted only before the first keyed one.
 * Pure functions; storage is app/platform/audit/record-audit.server.ts.
 */
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
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

/** The link's hash: HMAC-SHA-256 under `key` (the chain's secret); without a key, the legacy plain SHA-256. */
export function computeAuditHash(prevHash: string, payload: AuditPayload, key?: Uint8Array): string {
  const message = `${prevHash}\n${canonicalJson(payload)}`;
  if (!key) return sha256Hex(message);
  return encodeHexLowerCase(hmac(SHA256, key, new TextEncoder().encode(message)));
}

/**
 * The session an event belongs to, read from its hashed payload: `data.sessionId` (set by every live command whose
 * subject is keyed otherwise — a poll, an agenda item, a decision, a passage, a signed document of the session), or
 * the subject itself when it is keyed by the session id. AuditEvent.sessionId mirrors this value as an indexed
 * column: the minutes' evidence selects a session's events with one indexed lookup, and `npm run audit:verify`
 * checks the column still matches the payload the HMAC covers (the column is an index, not part of the hash, so
 * existing links keep their hashes; rows written before the column were backfilled by joining their subject).
 */
export function auditSessionId(payload: Pick<AuditPayload, "subjectType" | "subjectId" | "data">): string | null {
  const data = payload.data;
  if (data && typeof data === "object" && !Array.isArray(data)) {
    const sessionId = (data as { sessionId?: unknown }).sessionId;
    if (typeof sessionId === "string" && sessionId !== "") return sessionId;
  }
  return SESSION_KEYED_SUBJECTS.has(payload.subjectType) ? payload.subjectId : null;
}

/** Subjects whose id is the session's id (the session, its minutes, its CPNE validation). */
const SESSION_KEYED_SUBJECTS = new Set(["Session", "SessionMinutes", "SessionValidation"]);

/** A chain head: the last event's seq and hash (printed on signed documents, stored as anchors). */
export type AuditHead = { seq: string; hash: string };

export type StoredAuditEvent = AuditPayload & { seq: bigint | number | string; prevHash: string; hash: string };

/** Where a walk of the chain stands: the last hash, and whether a keyed link was met (legacy links end there). */
export type ChainWalk = { prevHash: string; keyed: boolean; legacy: number };

/**
 * The first broken link of a chain given in seq order, or null when the chain is intact. With `key`, every link
 * must be keyed, except legacy (unkeyed) links before the first keyed one; `walk` carries the state across pages.
 */
export function findBrokenLink(
  events: Iterable<StoredAuditEvent>,
  previousHash: string = GENESIS_HASH,
  key?: Uint8Array,
  walk: ChainWalk = { prevHash: previousHash, keyed: false, legacy: 0 },
): { seq: string; reason: string } | null {
  walk.prevHash = previousHash;
  for (const e of events) {
    const { seq, prevHash, hash, ...payload } = e;
    if (prevHash !== walk.prevHash) return { seq: String(seq), reason: "le maillon précédent ne correspond pas" };
    if (computeAuditHash(prevHash, payload, key) === hash) {
      if (key) walk.keyed = true;
    } else if (key && !walk.keyed && computeAuditHash(prevHash, payload) === hash) {
      walk.legacy += 1; // written before the chain was keyed
    } else {
      return { seq: String(seq), reason: "contenu modifié ou maillon recalculé sans la clé" };
    }
    walk.prevHash = hash;
  }
  return null;
}

/** Anchors (heads stored elsewhere) that the chain no longer matches: a missing event or another hash. */
export function brokenAnchors(
  anchors: Iterable<AuditHead & { source: string }>,
  hashAt: (seq: string) => string | undefined,
): Array<{ seq: string; source: string; reason: string }> {
  const broken: Array<{ seq: string; source: string; reason: string }> = [];
  for (const anchor of anchors) {
    const found = hashAt(anchor.seq);
    if (found === undefined) broken.push({ ...anchor, reason: "événement disparu (chaîne tronquée ou réécrite)" });
    else if (found !== anchor.hash) broken.push({ ...anchor, reason: "empreinte différente (chaîne réécrite)" });
  }
  return broken;
}
