/**
 * A fiche de décision signed as the jury's president would have signed it (demo seeds and test fixtures): its content
 * frozen from the recorded decision and its préconisations (app/live/jury/decision-sheet-facts.server.ts, as
 * « Soumettre à la signature » does), the préconisations' Yjs document sealed with it, the president's signature, and
 * — for the demo — the render job of its sealed PDF. A parchemin or attestation is issued only on a decision whose
 * fiche is signed (docs/decisions/0019): seeds that issue records sign the fiche first.
 */
import { canonicalDocumentJson, canonicalJson, sha256Hex } from "~/domain/canonical";
import type { SealedDecisionSheet } from "~/domain/decision-sheet";
import type { Prisma } from "~/platform/db/db.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import { gatherDecisionSheet } from "~/live/jury/decision-sheet-facts.server";
import { readCollabText } from "~/live/sessions/collab-text.server";

type Tx = Prisma.TransactionClient;

export async function seedSignedDecisionSheet(
  tx: Tx,
  input: { agendaItemId: string; signerId: string; at: Date; render?: boolean },
): Promise<void> {
  const decision = await tx.juryDecision.findUniqueOrThrow({ where: { agendaItemId: input.agendaItemId }, select: { id: true, preconisationsDoc: true } });
  const preconisations = await readCollabText(tx, decision.preconisationsDoc, "preconisations");
  const canonical = canonicalJson({ sheet: await gatherDecisionSheet(tx, input.agendaItemId), preconisations } satisfies SealedDecisionSheet);
  const hash = sha256Hex(canonical);
  const text = await tx.collabDocument.findUnique({ where: { name: decision.preconisationsDoc }, select: { snapshot: true } });
  if (text) {
    // Seeded documents hold their text in the snapshot alone.
    await tx.collabDocument.update({
      where: { name: decision.preconisationsDoc },
      data: { sealedAt: input.at, sealedHash: sha256Hex(canonicalDocumentJson(text.snapshot ? new Uint8Array(text.snapshot) : null)) },
    });
  }
  const signed = {
    status: "SIGNED" as const,
    round: 0,
    sealedHash: hash,
    sealedContent: JSON.parse(canonical) as Prisma.InputJsonValue,
    signerIds: [input.signerId],
    sealedAt: input.at,
    signedAt: input.at,
  };
  // Its public verification code, printed on its PDF (kept if the row had one).
  const code = { verificationCode: newVerificationCode() };
  await tx.juryDecisionSheet.upsert({ where: { decisionId: decision.id }, create: { decisionId: decision.id, ...signed, ...code }, update: signed });
  await tx.signature.create({
    data: { documentKind: "decision", documentId: input.agendaItemId, round: 0, userId: input.signerId, contentHash: hash, signedAt: input.at },
  });
  if (input.render) await tx.renderJob.create({ data: { documentKind: "decision", documentId: input.agendaItemId, round: 0 } });
}
