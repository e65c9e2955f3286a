/** Use case: a member gives a proxy to another (where the scheme allows it); quorum is recomputed. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { computeQuorum, proxyGrantRefusal } from "~/domain/quorum";
import { actsForOthers, broadcast, loadJury, lockJury, recordQuorumChange, requireSeat, type JuryCommand } from "./jury-context.server";

export async function grantProxy(input: JuryCommand & { giverId?: string; holderId: string }) {
  const giverId = input.giverId || input.actorId;
  const proxy = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    // A proxy given on paper is recorded by the one presiding or the secretariat, as another member's arrival is.
    if (giverId !== input.actorId && !(await actsForOthers(tx, ctx, input.actorId))) {
      throw new AppError("FORBIDDEN", "Seul le membre lui-même (ou le président de séance, le secrétariat) enregistre sa procuration.");
    }
    if (ctx.session.status === "CLOSED") throw new AppError("CONFLICT", "La séance du jury est close.");
    const existing = ctx.session.proxies.find((p) => p.giverId === giverId && p.holderId === input.holderId);
    if (existing) return { proxy: existing, changed: false }; // the same proxy twice is one proxy
    const refusal = proxyGrantRefusal(ctx.scheme.jury, ctx.members, ctx.session.proxies, { giverId, holderId: input.holderId });
    if (refusal) throw AppError.field("holderId", refusal, "CONFLICT");
    const created = await tx.juryProxy.create({
      data: { sessionId: ctx.session.id, giverId, holderId: input.holderId, grantedById: input.actorId },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.proxy_granted",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { proxyId: created.id, giverId, holderId: input.holderId },
      ...input.meta,
    });
    const proxies = [...ctx.session.proxies, created];
    const quorum = computeQuorum({ rules: ctx.scheme.jury, members: ctx.members, presentUserIds: ctx.present, proxies });
    await recordQuorumChange(tx, { ...ctx, quorum }, { actorId: input.actorId, ...input.meta });
    return { proxy: created, changed: true };
  });
  if (proxy.changed) {
    await broadcast(prisma, input, { type: "proxy", proxyId: proxy.proxy.id, giverId, holderId: input.holderId, revoked: false });
  }
  return { proxyId: proxy.proxy.id, changed: proxy.changed };
}
