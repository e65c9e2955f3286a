/**
 * Test data built on the demo seed, in the test process (tests/support/prisma.ts's client): a closed jury session of
 * the demo certification, with one partial decision (the first bloc acquired, the others not) for a new candidate,
 * decided the day before, its fiche de décision signed by the president (unless `sheetSigned: false`: docs/decisions/0019),
 * not issued yet.
 */
import { inDemoOrganisation } from "./demo-organisation";

type PrismaClient = import("~/platform/db/db.server").PrismaClient;

export async function closedJuryWithPartialDecision(
  prisma: PrismaClient,
  options: {
    title: string;
    candidate: { birthName: string; givenNames: string; email?: string };
    sheetSigned?: boolean;
    /** More candidates of the same sitting, each with the same partial decision and signed fiche, in this order. */
    others?: Array<{ birthName: string; givenNames: string }>;
  },
) {
  const past = await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire de délivrance — session passée" } });
  const version = await prisma.referentialVersion.findUniqueOrThrow({
    where: { id: past.referentialVersionId! },
    include: { blocs: { orderBy: { position: "asc" } } },
  });
  const president = await prisma.user.findUniqueOrThrow({ where: { email: "president@quorum.test" }, select: { id: true } });
  const session = await prisma.session.create({
    data: {
      organisationId: past.organisationId,
      kind: "JURY",
      title: options.title,
      startsAt: new Date(Date.now() - 86_400_000),
      endsAt: new Date(Date.now() - 80_000_000),
      status: "CLOSED",
      referentialVersionId: version.id,
    },
  });
  /** A candidate on the agenda at `position`, decided partially (the first bloc acquired, the others not). */
  const decide = async (person: { birthName: string; givenNames: string; email?: string }, position: number) => {
    const candidate = await prisma.candidate.create({ data: { organisationId: past.organisationId, ...person } });
    const dossier = await prisma.dossier.create({
      data: {
        organisationId: past.organisationId,
        candidateId: candidate.id,
        certificationId: version.certificationId,
        referentialVersionId: version.id,
        route: "FORMATION",
        status: "DECIDED",
      },
    });
    const item = await prisma.juryAgendaItem.create({ data: { sessionId: session.id, dossierId: dossier.id, position, phase: "DECISION" } });
    const decision = await prisma.juryDecision.create({
      data: {
        sessionId: session.id,
        agendaItemId: item.id,
        dossierId: dossier.id,
        overall: "PARTIAL",
        granularity: "bloc",
        method: "CONSENSUS",
        preconisationsDoc: `preconisations:${session.id}:${item.id}`,
        decidedById: president.id,
        decidedAt: new Date(Date.now() - 82_000_000 + position),
        items: {
          create: version.blocs.map((bloc, b) => ({
            target: "BLOC" as const,
            targetId: bloc.id,
            code: bloc.code,
            commissionOutcome: b === 0 ? "acquired" : "notAcquired",
            acquired: b === 0,
            followed: true,
          })),
        },
      },
    });
    return { candidate, decision, agendaItemId: item.id };
  };
  const { candidate, decision, agendaItemId } = await decide(options.candidate, 1);
  if (options.sheetSigned !== false) await signDecisionSheet(prisma, agendaItemId);
  const others = [];
  for (const [i, person] of (options.others ?? []).entries()) {
    const other = await decide(person, i + 2);
    await signDecisionSheet(prisma, other.agendaItemId);
    others.push(other);
  }
  return { session, decision, candidate, agendaItemId, others, certificationId: version.certificationId, firstBloc: version.blocs[0]! };
}

/** Turns the CPNE validation of a certification's jury rules on or off (other jury rules kept, or set by `rules`). */
export async function setCpneValidation(prisma: PrismaClient, certificationId: string, on: boolean, rules: Record<string, unknown> = {}) {
  const certification = await prisma.certification.findUniqueOrThrow({ where: { id: certificationId } });
  const scheme = certification.scheme as { jury?: Record<string, string | number | boolean> };
  await prisma.certification.update({
    where: { id: certificationId },
    data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), cpneValidation: on, ...rules } } },
  });
}

/**
 * Seeds the demo and returns its planned jury (the one with an agenda) and its agenda items in order, its
 * certification's jury rules changed by `rules` (e.g. proxies allowed, members signing the decision).
 */
export async function demoJuryWithRules(prisma: PrismaClient, rules: Record<string, string | number | boolean>) {
  const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
  await seedDemoIfEmpty(prisma);
  const demo = await prisma.session.findFirstOrThrow({
    where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } },
    include: { agenda: { orderBy: { position: "asc" } }, referentialVersion: true },
  });
  const certification = await prisma.certification.findUniqueOrThrow({ where: { id: demo.referentialVersion!.certificationId } });
  const scheme = certification.scheme as { jury?: Record<string, string | number | boolean> };
  await prisma.certification.update({
    where: { id: certification.id },
    data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), ...rules } } },
  });
  return { sessionId: demo.id, itemIds: demo.agenda.map((a) => a.id) };
}

/**
 * The demo, plus a past jury deliberated two days ago (prisma/seed/past-jury.ts) whose minutes are left open, members
 * signing them (`membersSignMinutes`): its id, and the demo's past jury whose minutes were sealed at start.
 */
export async function pastJuryWithOpenMinutes(prisma: PrismaClient): Promise<{ juryId: string; demoSessionId: string }> {
  const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
  const { seedPastJury } = await import("../../prisma/seed/past-jury");
  await seedDemoIfEmpty(prisma);
  const demoSessionId = (await prisma.sessionMinutes.findFirstOrThrow({ where: { status: "SIGNED" } })).sessionId;
  const demo = await prisma.session.findUniqueOrThrow({ where: { id: demoSessionId }, include: { referentialVersion: true, members: true } });
  const version = demo.referentialVersion!;
  const certification = await prisma.certification.findUniqueOrThrow({ where: { id: version.certificationId } });
  const scheme = certification.scheme as { jury?: Record<string, unknown> };
  await prisma.certification.update({
    where: { id: certification.id },
    data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), membersSignMinutes: true } } },
  });
  const byRole = (role: string) => demo.members.find((m) => m.role === role)!.userId;
  const candidates = await prisma.candidate.findMany({ where: { organisationId: demo.organisationId }, orderBy: { birthName: "asc" }, take: 3 });
  const juryId = await prisma.$transaction((tx) =>
    seedPastJury(tx, {
      organisationId: demo.organisationId,
      certificationId: certification.id,
      versionId: version.id,
      candidateIds: [candidates[0]!.id, candidates[1]!.id, candidates[2]!.id],
      users: { president: byRole("PRESIDENT"), vice: byRole("VICE_PRESIDENT"), member: byRole("MEMBER"), secretary: byRole("SECRETARY") },
      daysAgo: 2,
      signed: false,
    }),
  );
  return { juryId, demoSessionId };
}

/** The fiche de décision of a decided agenda item, signed by the demo's president (as prisma/seed/decision-sheet.ts). */
export async function signDecisionSheet(prisma: PrismaClient, agendaItemId: string) {
  const { seedSignedDecisionSheet } = await import("../../prisma/seed/decision-sheet");
  const president = await prisma.user.findUniqueOrThrow({ where: { email: "president@quorum.test" }, select: { id: true } });
  await prisma.$transaction((tx) => seedSignedDecisionSheet(tx, { agendaItemId, signerId: president.id, at: new Date() }));
}

/**
 * The demo jury, and the open demo commission's passage of a candidate on its agenda (Yasmine MARTIN): the member who
 * evaluates her there is the one whose jury conflict or recusal the tests exercise.
 */
export async function demoJuryAndSharedPassage(prisma: PrismaClient) {
  const jury = await prisma.session.findFirstOrThrow({
    where: { title: "Jury paritaire — CQP Assistant(e) de formation", kind: "JURY" },
    include: { agenda: { include: { dossier: true } } },
  });
  const commission = await prisma.session.findFirstOrThrow({
    where: { title: "Commission d'évaluation — CQP Assistant(e) de formation", kind: "COMMISSION", status: { not: "CLOSED" } },
    include: { slots: true },
  });
  const slot = commission.slots.find((s) => jury.agenda.some((a) => a.dossier.candidateId === s.candidateId))!;
  return { jury, commission, slot };
}

/**
 * The ids the tests of that shared passage use: the commission, its slot, the jury and the candidate's agenda item
 * there, Marie (membre1), and the commission's competences in their order (the first one for a single cell).
 */
export async function demoSharedPassageIds(prisma: PrismaClient) {
  const { jury, commission, slot } = await demoJuryAndSharedPassage(prisma);
  const competences = await prisma.competence.findMany({
    where: { bloc: { versionId: commission.referentialVersionId! } },
    orderBy: [{ bloc: { position: "asc" } }, { position: "asc" }],
    select: { id: true },
  });
  return {
    commission: commission.id,
    slot: slot.id,
    jury: jury.id,
    item: jury.agenda.find((a) => a.dossier.candidateId === slot.candidateId)!.id,
    marie: (await prisma.user.findUniqueOrThrow({ where: { email: "membre1@quorum.test" } })).id,
    competence: competences[0]!.id,
    competences: competences.map((c) => c.id),
    candidateId: slot.candidateId,
  };
}

/**
 * The state the commission leaves once a passage's grid is sealed and signed by `signerEmails` (its seated evaluators):
 * the grid's document sealed with its hash (prisma/seed/grid-document.ts), the slot signed, every signature. From
 * then on those evaluators are recused for the candidate before any jury of the certification (decision 0020).
 */
export async function sealPassage(prisma: PrismaClient, input: { sessionId: string; slotId: string; signerEmails: string[] }) {
  const { sealedGridDocument } = await import("../../prisma/seed/grid-document");
  const signers = await prisma.user.findMany({ where: { email: { in: input.signerEmails } }, select: { id: true } });
  await prisma.$transaction(async (tx) => {
    const at = new Date();
    const content = { result: {}, comment: {}, assessment: {}, synthesis: "Synthèse de la commission." };
    const { sealedHash, sealedContent } = await sealedGridDocument(tx, { sessionId: input.sessionId, slotId: input.slotId, content, sealedAt: at });
    await tx.sessionSlot.update({
      where: { id: input.slotId },
      data: { phase: "SIGNATURE", gridStatus: "SIGNED", sealedAt: at, signedAt: at, sealedHash, sealedContent },
    });
    await tx.signature.createMany({
      data: signers.map((s) => ({ documentKind: "grid", documentId: input.slotId, round: 0, userId: s.id, contentHash: sealedHash, signedAt: at })),
    });
  });
}
