/**
 * Appends an audit event inside the caller's transaction (same transaction as the change it records).
 * The chain is serialised with a transaction-level advisory lock, so concurrent writers never fork it.
 */
import type { Prisma } from "~/platform/db/db.server";
import { computeAuditHash, GENESIS_HASH, type AuditPayload } from "~/domain/audit";
import type { AuditAction } from "~/domain/audit-actions";
import type { Actor } from "~/platform/app-error";

const AUDIT_LOCK_KEY = 7_240_001;

/** What a use case records; `action` is one of the closed list in app/domain/audit-actions.ts. */
export type AuditInput = Omit<AuditPayload, "action" | "createdAt" | "ip" | "userAgent" | "organisationId" | "actorId"> & {
  action: AuditAction;
  organisationId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export async function recordAudit(tx: Prisma.TransactionClient, input: AuditInput) {
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
  const hash = computeAuditHash(prevHash, payload);
  return tx.auditEvent.create({
    data: {
      ...payload,
      data: payload.data as Prisma.InputJsonValue,
      createdAt: new Date(payload.createdAt),
      prevHash,
      hash,
    },
  });
}

/** Who acted, as an audit event records it (spread into `recordAudit`'s input). */
export function auditActor(actor: Actor) {
  return { organisationId: actor.organisationId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
}

/** Request metadata for audit events, from a Remix action's arguments. */
export function auditMeta(request: Request, context: { clientIp: string | null }) {
  return { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
}
