/**
 * Appends an audit event inside the caller's transaction (same transaction as the change it records).
 * The chain is serialised with a transaction-level advisory lock, so concurrent writers never fork it.
 */
import type { Prisma } from "~/platform/db/db.server";
import { auditSessionId, computeAuditHash, GENESIS_HASH, type AuditHead, type AuditPayload } from "~/domain/audit";
import type { AuditAction } from "~/domain/audit-actions";
import type { Actor } from "~/platform/app-error";
import { auditKey } from "./audit-key.server";

const AUDIT_LOCK_KEY = 7_240_001;

/** What a use case records; `action` is one of the closed list in app/domain/audit-actions.ts. */
export type AuditInput = Omit<AuditPayload, "action" | "createdAt" | "ip" | "userAgent" | "organisationId" | "actorId"> & {
  action: AuditAction;
  organisationId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export async function recordAudit(tx: Prisma.TransactionClient, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const payload: AuditPayload = {
    organisationId: input.organisationId ?? null,
    actorId: input.actorId ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    data: JSON.parse(JSON.stringify(input.data ?? null)),
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    createdAt: new Date().toISOString(),
  };
  const hash = computeAuditHash(prevHash, payload, auditKey());
  // In SQL: a Prisma create naming new values each time is compiled each time (about 1 ms of the event loop, for
  // every audited action) and returned the whole row, which no caller reads.
  await tx.$executeRaw`
    INSERT INTO "AuditEvent"
      ("organisationId", "actorId", "action", "subjectType", "subjectId", "data", "ip", "userAgent", "createdAt", "prevHash", "hash", "sessionId")
    VALUES (${payload.organisationId}, ${payload.actorId}, ${payload.action}, ${payload.subjectType}, ${payload.subjectId},
      ${JSON.stringify(payload.data)}::jsonb, ${payload.ip}, ${payload.userAgent}, ${new Date(payload.createdAt)}, ${prevHash}, ${hash},
      ${auditSessionId(payload)})`;
}

/** Who acted, as an audit event records it (spread into `recordAudit`'s input). */
export function auditActor(actor: Actor) {
  return { organisationId: actor.organisationId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
}

/** Request metadata for audit events, from a Remix action's arguments. */
export function auditMeta(request: Request, context: { clientIp: string | null }) {
  return { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
}

/**
 * The chain head (last seq and its keyed hash), for a use case to print on a signed document or store as an
 * anchor. Inside a transaction after recordAudit, it is that event.
 */
export async function currentAuditHead(tx: Prisma.TransactionClient): Promise<AuditHead | null> {
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return last ? { seq: String(last.seq), hash: last.hash } : null;
}

/** Anchors are written at most this often by routine events (sign-ins); signing may anchor every time. */
export const ANCHOR_EVERY_MS = 60 * 60 * 1000;

/**
 * Stores the current head as an anchor (`npm run audit:verify` checks each one still matches the chain), unless
 * `routine` and an anchor was written in the last hour. Returns the head anchored, if any.
 */
export async function anchorAuditHead(
  tx: Prisma.TransactionClient,
  reason: string,
  options: { routine?: boolean } = {},
): Promise<AuditHead | null> {
  if (options.routine) {
    const recent = await tx.auditAnchor.findFirst({
      where: { createdAt: { gt: new Date(Date.now() - ANCHOR_EVERY_MS) } },
      select: { id: true },
    });
    if (recent) return null;
  }
  const head = await currentAuditHead(tx);
  if (!head) return null;
  await tx.auditAnchor.create({ data: { seq: BigInt(head.seq), hash: head.hash, reason } });
  return head;
}
