/**
 * The organisation's decisions (`listDecisions`, `listHolders`) on a real database (PGlite, or PostgreSQL in the
 * postgres tier), on the demo: they are the juries' final decisions, never a commission's grid. Léa's commission
 * proposed a total delivery, the jury overturned it; the grids signed ten days ago, their jury not held, decide
 * nothing; an upheld appeal's revised decision replaces the contested one; a decision counts once its session is
 * closed and, where the scheme asks for it, the CPNE has validated it; a holder is a parchemin issued and not revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/server";
import { openDemoInProcess } from "../support/demo-in-process";
import { signDecisionSheet } from "../support/jury-fixtures";

let database: TestDatabase;
let prisma: import("~/platform/db/db.server").PrismaClient;
let disconnect: () => Promise<void>;
let decisionsModule: typeof import("~/archive/list-decisions.server");
let organisationId = "";

const decisions = () => decisionsModule.listDecisions(organisationId);
const holders = async () => (await decisionsModule.listHolders(organisationId)).map((d) => `${d.candidate.givenNames} ${d.candidate.birthName}`).sort();
const of = async (birthName: string) => (await decisions()).filter((d) => d.candidate.birthName === birthName);

beforeAll(async () => {
  ({ database, prisma, disconnect } = await openDemoInProcess("decisions"));
  decisionsModule = await import("~/archive/list-decisions.server");
  // The demo's CPNEF (the demo has a second organisation, the CPNE de la propreté).
  organisationId = (await prisma.organisation.findUniqueOrThrow({ where: { slug: "cpnef-demo" } })).id;
}, 300_000);

afterAll(async () => {
  await disconnect?.();
  await database?.dispose();
});

describe("the organisation's decisions are the juries'", () => {
  it("follows the jury where it overturned the commission; a signed grid without a jury decides nothing", async () => {
    const [lea] = await of("DURAND");
    expect(lea).toMatchObject({ outcome: "partial", overturned: true, certificationCode: "RNCP38544" });
    expect(lea.blocs.map((b) => [b.code, b.judged, b.acquired])).toEqual([
      ["RNCP38544BC01", true, true],
      ["RNCP38544BC02", true, false],
    ]);
    expect(lea.record?.kind).toBe("ATTESTATION");
    expect(lea.partialValidUntil).not.toBeNull();
    // The three dossiers on the planned jury's agenda have signed grids, and no decision yet.
    const onAgenda = await prisma.juryAgendaItem.findMany({ where: { decision: null }, select: { dossier: { select: { candidateId: true } } } });
    expect(onAgenda.length).toBeGreaterThan(0);
    const decided = new Set((await decisions()).map((d) => d.candidateId));
    for (const item of onAgenda) expect(decided.has(item.dossier.candidateId)).toBe(false);
    expect(await holders()).toEqual(["Lucas Henri BONNET", "Élodie Marie FAURE"]);
  });

  it("an upheld appeal's revised decision replaces the contested one; a holder needs a parchemin, not revoked", async () => {
    const contested = await prisma.juryDecision.findFirstOrThrow({
      where: { overall: "NONE", session: { title: "Jury paritaire de délivrance — session passée" } },
      include: { items: true, dossier: true },
    });
    const catchUp = await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire — session de rattrapage" } });
    const item = await prisma.juryAgendaItem.create({ data: { sessionId: catchUp.id, dossierId: contested.dossierId, position: 9, phase: "DECISION" } });
    const revised = await prisma.juryDecision.create({
      data: {
        sessionId: catchUp.id,
        agendaItemId: item.id,
        dossierId: contested.dossierId,
        overall: "TOTAL",
        granularity: "bloc",
        method: "CONSENSUS",
        preconisationsDoc: `preconisations:${catchUp.id}:${item.id}`,
        decidedById: contested.decidedById,
        items: {
          create: contested.items.map((i) => ({ target: i.target, targetId: i.targetId, code: i.code, commissionOutcome: i.commissionOutcome, acquired: true, followed: true })),
        },
      },
    });
    const faureCqpm = async () => (await of("FAURE")).filter((d) => d.certificationCode === "MQ 2017 10 69 0312").map((d) => d.outcome);
    // Before the appeal is upheld: the 2022 partial validation, the non-delivery, the revised decision.
    expect(await faureCqpm()).toEqual(["partial", "none", "total"]);
    await prisma.appeal.updateMany({
      where: { decisionId: contested.id },
      data: { status: "UPHELD", sessionId: catchUp.id, outcomeAt: new Date(), newDecisionId: revised.id },
    });
    expect(await faureCqpm()).toEqual(["partial", "total"]);
    // A total decision without its parchemin: no holder yet.
    expect(await holders()).toEqual(["Lucas Henri BONNET", "Élodie Marie FAURE"]);
    const { issueRecordForDecisionTx } = await import("~/delivery/issue-records.server");
    const secretariat = await prisma.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" } });
    await signDecisionSheet(prisma, item.id); // its fiche de décision first (docs/decisions/0019)
    const record = await prisma.$transaction((tx) =>
      issueRecordForDecisionTx(tx, { actor: { userId: secretariat.id, organisationId, ip: null, userAgent: null }, decisionId: revised.id }),
    );
    expect(record?.kind).toBe("PARCHEMIN");
    const holdersNow = (await decisionsModule.listHolders(organisationId)).filter((d) => d.candidate.birthName === "FAURE");
    expect(holdersNow.map((d) => d.certificationCode).sort()).toEqual(["MQ 2017 10 69 0312", "RNCP38544"]);
    await prisma.deliveryRecord.update({ where: { id: record!.id }, data: { revokedAt: new Date(), revocationReason: "Erreur de saisie (test)." } });
    expect((await decisionsModule.listHolders(organisationId)).filter((d) => d.candidate.birthName === "FAURE")).toHaveLength(1);
  });

  it("counts a decision once its session is closed and, where the scheme asks, validated by the CPNE", async () => {
    const jury = await prisma.session.findFirstOrThrow({ where: { title: "Délibération du jury — CQP Assistant(e) de formation" } });
    await prisma.session.update({ where: { id: jury.id }, data: { status: "OPEN" } });
    expect(await of("DURAND")).toEqual([]);
    await prisma.session.update({ where: { id: jury.id }, data: { status: "CLOSED" } });
    expect(await of("DURAND")).toHaveLength(1);

    const certification = await prisma.certification.findFirstOrThrow({ where: { code: "RNCP38544" } });
    const scheme = certification.scheme as { jury?: Record<string, unknown> };
    await prisma.certification.update({
      where: { id: certification.id },
      data: { scheme: { ...scheme, jury: { ...scheme.jury, cpneValidation: true } } },
    });
    expect(await of("DURAND")).toEqual([]);
    expect(await holders()).toEqual(["Lucas Henri BONNET"]);
    await prisma.sessionValidation.create({ data: { sessionId: jury.id, status: "SIGNED", signedAt: new Date() } });
    expect(await of("DURAND")).toHaveLength(1);
    expect(await holders()).toEqual(["Lucas Henri BONNET", "Élodie Marie FAURE"]);
  });
  it("a holder exported under its grid's old slot: key keeps that passage and its idTechnique: never declared twice", async () => {
    const cdc = await import("~/archive/cdc/holder-declarations.server");
    const { exportDeclaration } = await import("~/archive/cdc/export-declaration.server");
    const before = await cdc.listHolderDeclarations(organisationId);
    expect(before.every((h) => h.record === null)).toBe(true);
    const holder = before.find((h) => h.missing.length === 0)!;
    const decision = await prisma.juryDecision.findUniqueOrThrow({ where: { id: holder.sourceKey.replace("decision:", "") } });
    // Its signed commission grid, exported when holders came from signed grids, then rejected by the Caisse des
    // Dépôts: to resend as it was.
    const commission = await prisma.session.findFirstOrThrow({ where: { organisationId, kind: "COMMISSION" } });
    const slot = await prisma.sessionSlot.create({
      data: {
        sessionId: commission.id,
        candidateId: holder.candidateId,
        dossierId: decision.dossierId,
        startsAt: commission.startsAt,
        endsAt: commission.endsAt,
        position: 99,
        gridStatus: "SIGNED",
        signedAt: commission.startsAt,
      },
    });
    await prisma.cdcPassage.create({
      data: { organisationId, sourceKey: `slot:${slot.id}`, candidateId: holder.candidateId, idTechnique: "QRMLEGACY0001", status: "rejected", message: "Nom inconnu" },
    });
    const listed = await cdc.listHolderDeclarations(organisationId);
    const legacy = listed.find((h) => h.sourceKey === holder.sourceKey)!;
    expect(legacy.passage.idTechnique).toBe("QRMLEGACY0001");
    expect(legacy.status.kind).toBe("rejected");
    expect(listed.filter((h) => h.record).map((h) => h.sourceKey)).toEqual([holder.sourceKey]);
    const actor = { userId: decision.decidedById, organisationId, ip: null, userAgent: null };
    await exportDeclaration(actor);
    const passages = await prisma.cdcPassage.findMany({ where: { candidateId: holder.candidateId } });
    expect(passages.map((p) => [p.sourceKey, p.idTechnique, p.status])).toEqual([[`slot:${slot.id}`, "QRMLEGACY0001", "exported"]]);
  });
});
