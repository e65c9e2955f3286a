/**
 * Use case: a member signs the sealed grid after re-entering their password and giving explicit consent.
 * Idempotent by construction (one signature per member and round: a double click or a second tab gives the same
 * signature). The last signature makes the grid SIGNED and produces its PDF, in the same transaction.
 */
import { createHash } from "node:crypto";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { reauthenticate, WRONG_PASSWORD } from "~/platform/auth/login.server";
import { candidateName } from "~/components/format";
import { Prisma, prisma } from "~/platform/db/db.server";
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { renderGridPdf } from "./grid-pdf.server";
import { parseGridContent } from "./grid-content";
import type { RealtimePort } from "../realtime-port";
import { CommissionError, loadSlotContext, lockSlot, requireSigner, slotState, type SlotContext } from "./slot-context.server";

export async function signGrid(input: {
  sessionId: string;
  slotId: string;
  actorId: string;
  password: string;
  consent: boolean;
  meta: { ip: string | null; userAgent: string | null };
  realtime: RealtimePort;
}) {
  if (!input.consent) {
    throw new CommissionError("Cochez la case de consentement pour signer.", 400);
  }
  const refusal = await reauthenticate(input.actorId, input.password, input.meta.ip);
  if (refusal) throw new CommissionError(refusal, refusal === WRONG_PASSWORD ? 400 : 429);
  try {
    await prisma.$transaction(
      async (tx) => {
        await lockSlot(tx, input.slotId);
        const ctx = await loadSlotContext(tx, input.sessionId, input.slotId);
        requireSigner(ctx, input.actorId);
        const already = ctx.activeSignatures.some((s) => s.userId === input.actorId);
        if (already) return; // idempotent: the signature already stands
        if (ctx.slot.gridStatus !== "SIGNING" || !ctx.slot.sealedHash) {
          throw new CommissionError(
            ctx.slot.gridStatus === "SIGNED" ? "La grille est déjà signée par tous." : "La grille n'est pas ouverte à la signature.",
          );
        }
        const signature = await tx.gridSignature.create({
          data: {
            slotId: ctx.slot.id,
            round: ctx.slot.signingRound,
            userId: input.actorId,
            contentHash: ctx.slot.sealedHash,
            ...input.meta,
          },
        });
        await recordAudit(tx, {
          organisationId: ctx.session.organisationId,
          actorId: input.actorId,
          action: "grid.signed",
          subjectType: "SessionSlot",
          subjectId: ctx.slot.id,
          data: { round: ctx.slot.signingRound, contentHash: ctx.slot.sealedHash, signatureId: signature.id },
          ...input.meta,
        });
        const signed = new Set([...ctx.activeSignatures.map((s) => s.userId), input.actorId]);
        if (!ctx.signers.every((s) => signed.has(s.userId))) return;

        const { count } = await tx.sessionSlot.updateMany({
          where: { id: ctx.slot.id, gridStatus: "SIGNING", signingRound: ctx.slot.signingRound },
          data: { gridStatus: "SIGNED", signedAt: new Date() },
        });
        if (count === 0) throw new CommissionError("La grille vient de changer d'état : réessayez.");
        const pdf = await renderGridPdf(pdfInput(ctx, [...ctx.activeSignatures, signature]));
        const pdfHash = createHash("sha256").update(pdf).digest("hex");
        await tx.signedDocument.create({
          data: {
            slotId: ctx.slot.id,
            kind: "grid",
            fileName: `grille-${ctx.slot.candidate.birthName.toLowerCase()}-${ctx.slot.id}.pdf`,
            sha256: pdfHash,
            content: Buffer.from(pdf),
          },
        });
        await recordAudit(tx, {
          organisationId: ctx.session.organisationId,
          actorId: input.actorId,
          action: "grid.completed",
          subjectType: "SessionSlot",
          subjectId: ctx.slot.id,
          data: { round: ctx.slot.signingRound, contentHash: ctx.slot.sealedHash, pdfSha256: pdfHash },
          ...input.meta,
        });
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    // Two tabs signing at once: the unique (slot, round, member) index refuses the second insert.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
  const state = slotState(await loadSlotContext(prisma, input.sessionId, input.slotId));
  input.realtime.notifySession(input.sessionId, "slot:state", state);
  return state;
}

function pdfInput(ctx: SlotContext, signatures: Array<{ userId: string; signedAt: Date; ip: string | null }>) {
  const content = ctx.slot.sealedContent ? parseGridContent(JSON.stringify(ctx.slot.sealedContent)) : null;
  const member = (userId: string) => ctx.session.members.find((m) => m.userId === userId);
  return {
    organisation: ctx.session.organisation.legalName,
    certification: {
      code: ctx.version.certification.code,
      title: ctx.version.certification.title,
      version: ctx.version.version,
    },
    candidate: candidateName(ctx.slot.candidate),
    session: {
      title: ctx.session.title,
      date: ctx.slot.startsAt,
      place: ctx.session.remote ? `à distance (${ctx.session.remoteMeans ?? "Quorum"})` : (ctx.session.place ?? ""),
    },
    scheme: ctx.scheme,
    blocs: ctx.version.blocs.map((b) => ({
      code: b.code,
      title: b.title,
      competences: b.competences.map((c) => ({
        id: c.id,
        code: c.code,
        statement: c.statement,
        criteria: c.criteria.map((cr) => ({ statement: cr.statement })),
      })),
    })),
    results: content?.result ?? {},
    comments: content?.comment ?? {},
    synthesis: content?.synthesis ?? "",
    members: ctx.session.members.map((m) => ({ name: m.user.displayName, role: SEAT_LABELS[m.role as SeatRole] })),
    signatures: signatures.map((s) => ({
      name: member(s.userId)?.user.displayName ?? s.userId,
      role: SEAT_LABELS[(member(s.userId)?.role ?? "MEMBER") as SeatRole],
      signedAt: s.signedAt,
      ip: s.ip,
    })),
    contentHash: ctx.slot.sealedHash ?? "",
  };
}
