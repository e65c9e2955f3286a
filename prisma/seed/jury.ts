/**
 * The demo jury, deliberable at once: three complete dossiers of CQP Assistant(e) de formation on its agenda, each
 * with a commission grid signed by an evaluator pair (a professional of the sector and an external evaluator, who
 * do not sit on the jury) — one clearly total, one partial, one where the evaluators diverged and the jury must vote.
 */
import type { Prisma } from "~/platform/db/db.server";
import { sealedGridDocument } from "./grid-document";

type Tx = Prisma.TransactionClient;

export async function seedDemoJury(
  tx: Tx,
  input: { organisationId: string; juryId: string; versionId: string; certificationId: string; passwordHash: string; today: Date },
): Promise<number> {
  const { organisationId, today } = input;
  const shift = (days: number, hour = 9) => new Date(today.getTime() + days * 86_400_000 + hour * 3_600_000);
  const evaluators = [];
  for (const [email, displayName, profile] of [
    ["evaluateur-pro@quorum.test", "Paul Professionnel", "PROFESSIONAL"],
    ["evaluateur-externe@quorum.test", "Emma Externe", "EXTERNAL"],
  ] as const) {
    const user = await tx.user.create({
      data: { email, displayName, passwordHash: input.passwordHash, memberships: { create: { organisationId, role: "MEMBER" } } },
    });
    await tx.habilitation.create({
      data: { userId: user.id, certificationId: input.certificationId, validFrom: shift(-180, 0), validUntil: shift(185, 0) },
    });
    evaluators.push({ userId: user.id, profile });
  }
  const dossiers = await tx.dossier.findMany({
    where: { organisationId, referentialVersionId: input.versionId, status: "COMPLETE" },
    orderBy: { createdAt: "asc" },
    take: 3,
    include: { referentialVersion: { include: { blocs: { orderBy: { position: "asc" }, include: { competences: { orderBy: { position: "asc" } } } } } } },
  });
  if (dossiers.length === 0) return 0;
  const commission = await tx.session.create({
    data: {
      organisationId,
      kind: "COMMISSION",
      title: "Commission d'évaluation (passée) — CQP Assistant(e) de formation",
      startsAt: shift(-10, 8),
      endsAt: shift(-10, 14),
      status: "CLOSED",
      remote: true,
      remoteMeans: "Quorum (visioconférence et grille partagée)",
      referentialVersionId: input.versionId,
      members: {
        create: [
          { userId: evaluators[0]!.userId, role: "PRESIDENT", evaluatorProfile: "PROFESSIONAL" },
          { userId: evaluators[1]!.userId, role: "MEMBER", evaluatorProfile: "EXTERNAL" },
        ],
      },
    },
  });
  let position = 0;
  for (const [index, dossier] of dossiers.entries()) {
    const competences = dossier.referentialVersion.blocs.flatMap((b, blocIndex) => b.competences.map((c) => ({ c, blocIndex })));
    const result: Record<string, string> = {};
    const comment: Record<string, string> = {};
    const assessment: Record<string, string> = {};
    for (const { c, blocIndex } of competences) {
      // 0: all acquired (total); 1: the first bloc only (partial where the référentiel has several blocs; with a
      // single bloc, its last two competences fail); 2: the evaluators diverge on the last competence (a vote).
      const lastTwo = competences.slice(-2).map((x) => x.c);
      const multiBloc = dossier.referentialVersion.blocs.length > 1;
      const positive =
        index === 0 ||
        (index === 1 && (multiBloc ? blocIndex === 0 : !lastTwo.includes(c))) ||
        (index === 2 && c !== competences.at(-1)?.c);
      const value = positive ? "ACQUIS" : "NON_ACQUIS";
      result[c.id] = value;
      if (!positive) comment[c.id] = index === 2 ? "Avis partagés : un évaluateur juge la compétence acquise." : "Compétence non démontrée lors de la mise en situation.";
      assessment[`${evaluators[0]!.userId}|${c.id}`] = value;
      assessment[`${evaluators[1]!.userId}|${c.id}`] = index === 2 && !positive ? "ACQUIS" : value;
    }
    const content = { assessment, comment, result, synthesis: "Synthèse de la commission (démonstration)." };
    const signedAt = shift(-10, 9 + index);
    const created = await tx.sessionSlot.create({
      data: {
        sessionId: commission.id,
        candidateId: dossier.candidateId,
        dossierId: dossier.id,
        position: index + 1,
        startsAt: shift(-10, 8 + index),
        endsAt: shift(-10, 9 + index),
        phase: "SIGNATURE",
        gridStatus: "SIGNED",
        sealedAt: signedAt,
        signedAt,
        declarations: { create: evaluators.map((e) => ({ userId: e.userId, noConflict: true, declaredAt: signedAt })) },
      },
    });
    // The grid's document as it was sealed: the live room shows what was signed.
    const sealed = await sealedGridDocument(tx, { sessionId: commission.id, slotId: created.id, content, sealedAt: signedAt });
    const hash = sealed.sealedHash;
    const slot = await tx.sessionSlot.update({ where: { id: created.id }, data: sealed });
    await tx.signature.createMany({
      data: evaluators.map((e) => ({ documentKind: "grid", documentId: slot.id, round: 0, userId: e.userId, contentHash: hash, signedAt })),
    });
    // The signed grid's PDF, rendered by the render runner at the server's start (the jury room links it).
    await tx.renderJob.create({ data: { documentKind: "grid", documentId: slot.id, round: 0 } });
    await tx.juryAgendaItem.create({ data: { sessionId: input.juryId, dossierId: dossier.id, position: ++position } });
    await tx.dossier.update({ where: { id: dossier.id }, data: { status: "ON_AGENDA" } });
  }
  return position;
}
