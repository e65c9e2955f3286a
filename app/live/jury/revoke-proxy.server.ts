/** Use case: a proxy is revoked (by its giver, or the one presiding / the secretariat); quorum is recomputed. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { computeQuorum } from "~/domain/quorum";
import { actsForOthers, broadcast, loadJury, lockJury, recordQuorumChange, requireSeat, type JuryCommand } from "./jury-context.server";

export async function revokeProxy(input: JuryCommand & { proxyId: string }) {
  const result = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    const proxy = await tx.juryProxy.findFirst({ where: { id: input.proxyId, sessionId: ctx.session.id } });
    if (!proxy) throw new AppError("NOT_FOUND", "Procuration introuvable.");
    if (proxy.revokedAt) return { proxy, changed: false };
    if (proxy.giverId !== input.actorId && !(await actsForOthers(tx, ctx, input.actorId))) {
      throw new AppError("FORBIDDEN", "Seul le mandant (ou le président de séance, le secrétariat) peut révoquer cette procuration.");
    }
    await tx.juryProxy.update({ where: { id: proxy.id }, data: { revokedAt: new Date(), revokedById: input.actorId } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.proxy_revoked",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { proxyId: proxy.id, giverId: proxy.giverId, holderId: proxy.holderId },
      ...input.meta,
    });
    const proxies = ctx.session.proxies.filter((p) => p.id !== proxy.id);
    const quorum = computeQuorum({ rules: ctx.scheme.jury, members: ctx.members, presentUserIds: ctx.present, proxies });
    await recordQuorumChange(tx, { ...ctx, quorum }, { actorId: input.actorId, ...input.meta });
    return { proxy, changed: true };
  });
  if (result.changed) {
    const { proxy } = result;
    await broadcast(prisma, input, { type: "proxy", proxyId: proxy.id, giverId: proxy.giverId, holderId: proxy.holderId, revoked: true });
  }
  return { changed: result.changed };
}
