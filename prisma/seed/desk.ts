/**
 * Demo data for the secretariat's desk (issue 17), so every to-do, chart, archive entry and declaration shows
 * something right after `npm start`: a past commission whose grids are signed (PDF archived with its SHA-256) — both
 * proposing a total delivery — and, the next day, a grid still awaiting signatures (Camille MOREAU, evaluated by
 * Pierre Président alone: he is recused for her on the demo jury); the jury that followed it (closed, its records
 * issued; presided by Jeanne Jurée with Mehdi Membre, who evaluated none of its candidates): Élodie FAURE delivered in
 * full with her INSEE birth code (a holder to declare), Léa DURAND's outcome overturned by the jury (its second bloc
 * not acquired: a partial delivery, no holder); a CQPM commission and jury of almost five years ago with a partial
 * validation about to expire; an habilitation expiring within 60 days (Mehdi Membre, CléA), and the organisation's
 * CDC identifiers. Decisions are the jury's: a signed grid decides nothing.
 */
import { createHash } from "node:crypto";
import type { Prisma } from "~/platform/db/db.server";
import { searchKeyOf } from "~/domain/search";
import { candidateLine } from "~/domain/format";
import { issueRecordForDecisionTx } from "~/delivery/issue-records.server";
import { seedSignedDecisionSheet } from "./decision-sheet";
import { resolveArchiveLinks } from "~/archive/documents/index-archive.server";
import { createClosedJury, declaredNoLink } from "./past-jury";
import { sealedGridDocument } from "./grid-document";
import type { SeededCatalogue } from "./catalogue";

const DAY = 86_400_000;

async function demoPdf(lines: string[]): Promise<Uint8Array> {
  // Loaded only when the demo is seeded (an empty database): the server's main thread does not load pdf-lib otherwise.
  const { PDFDocument, StandardFonts } = await import("pdf-lib");
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595.28, 841.89]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 790 - i * 18, size: i === 0 ? 14 : 11, font }));
  pdf.setTitle(lines[0]);
  pdf.setCreationDate(new Date("2026-01-01T00:00:00Z"));
  pdf.setModificationDate(new Date("2026-01-01T00:00:00Z"));
  return pdf.save();
}

type Tx = Prisma.TransactionClient;

async function competencesOf(tx: Tx, versionId: string) {
  return tx.bloc.findMany({
    where: { versionId },
    orderBy: { position: "asc" },
    select: { id: true, code: true, competences: { orderBy: { position: "asc" }, select: { id: true } } },
  });
}

async function signedSlot(
  tx: Tx,
  input: {
    sessionId: string;
    candidate: { id: string; birthName: string; givenNames: string };
    position: number;
    at: Date;
    results: Record<string, string>;
    certification: string;
    sessionTitle: string;
    dossierId: string;
    /** The seated members who scored and signed (the president first). */
    signers: string[];
  },
) {
  const created = await tx.sessionSlot.create({
    data: {
      sessionId: input.sessionId,
      candidateId: input.candidate.id,
      dossierId: input.dossierId,
      position: input.position,
      startsAt: input.at,
      endsAt: new Date(input.at.getTime() + 90 * 60_000),
      phase: "SIGNATURE",
      gridStatus: "SIGNED",
      sealedAt: input.at,
      signedAt: input.at,
      declarations: { create: input.signers.map((userId) => ({ userId, noConflict: true, declaredAt: input.at })) },
    },
  });
  // The grid as sealed (its document, hash and content) and every member's signature: the live room showed « Grille
  // signée par tous » above members « en attente de signature » and an empty grid.
  const { sealedHash, sealedContent } = await sealedGridDocument(tx, {
    sessionId: input.sessionId,
    slotId: created.id,
    content: { result: input.results, comment: {}, assessment: {}, synthesis: "Synthèse de la commission (démonstration)." },
    sealedAt: input.at,
  });
  const slot = await tx.sessionSlot.update({ where: { id: created.id }, data: { sealedHash, sealedContent } });
  await tx.signature.createMany({
    data: input.signers.map((userId) => ({ documentKind: "grid", documentId: slot.id, round: 0, userId, contentHash: sealedHash, signedAt: input.at })),
  });
  const pdf = await demoPdf([
    "Grille d'évaluation signée (démonstration)",
    candidateLine(`${input.candidate.givenNames} ${input.candidate.birthName}`),
    `Certification : ${input.certification}`,
    `Session : ${input.sessionTitle}`,
    `Empreinte du contenu scellé (SHA-256) : ${sealedHash}`,
  ]);
  // Indexed for the archive as it is stored, like the render job's documents (app/signing/render-jobs.server.ts).
  const links = await resolveArchiveLinks(tx, slot.id);
  await tx.signedDocument.create({
    data: {
      ...links,
      slotId: slot.id,
      documentId: slot.id,
      kind: "grid",
      fileName: `grille-${input.candidate.birthName.toLowerCase().normalize("NFD").replace(/[^a-z]/g, "")}-${slot.id}.pdf`,
      sha256: createHash("sha256").update(pdf).digest("hex"),
      content: Buffer.from(pdf),
      createdAt: input.at,
    },
  });
  return slot;
}

/** A closed dossier (registered `registeredAt`) for a decision of the demo's desk. */
function decidedDossier(tx: Tx, input: { organisationId: string; candidateId: string; certification: { certificationId: string; version: { id: string } }; registeredAt: Date }) {
  return tx.dossier.create({
    data: {
      organisationId: input.organisationId,
      candidateId: input.candidateId,
      certificationId: input.certification.certificationId,
      referentialVersionId: input.certification.version.id,
      route: "FORMATION",
      status: "DECIDED",
      createdAt: input.registeredAt,
    },
  });
}

/**
 * A closed jury of the demo's desk, presided by Jeanne Jurée with Mehdi Membre: neither sat on the commissions of its
 * candidates (Pierre Président and Marie did), so neither is recused for them (decision 0020) and both read their
 * grids and fiches. It decides per bloc by consensus after the commission's signed grids (its outcome per bloc,
 * followed or not), each fiche de décision signed by its president at the sitting, its records issued next day.
 */
async function closedJury(
  tx: Tx,
  input: {
    organisationId: string;
    title: string;
    at: Date;
    versionId: string;
    blocs: { id: string; code: string }[];
    users: Record<string, string>;
    decisions: { dossierId: string; overall: "TOTAL" | "PARTIAL"; commission: boolean[]; acquired: boolean[]; reason?: string }[];
    /** Records issued the next day (default); false: the decisions await the CPNE's validation, nothing issued. */
    issue?: boolean;
  },
) {
  const president = input.users["membre3@quorum.test"]!;
  const member = input.users["membre2@quorum.test"]!;
  const session = await createClosedJury(tx, {
    organisationId: input.organisationId,
    title: input.title,
    at: input.at,
    place: null,
    versionId: input.versionId,
    members: [
      { userId: president, role: "PRESIDENT", college: "EMPLOYER" },
      { userId: member, role: "MEMBER", college: "EMPLOYEE" },
    ],
  });
  const actor = { userId: input.users["secretariat@quorum.test"]!, organisationId: input.organisationId, ip: null, userAgent: null };
  for (const [index, d] of input.decisions.entries()) {
    const item = await tx.juryAgendaItem.create({
      data: { sessionId: session.id, dossierId: d.dossierId, position: index + 1, phase: "DECISION", phaseStartedAt: input.at },
    });
    await declaredNoLink(tx, item.id, [president, member], input.at);
    const decision = await tx.juryDecision.create({
      data: {
        sessionId: session.id,
        agendaItemId: item.id,
        dossierId: d.dossierId,
        overall: d.overall,
        granularity: "bloc",
        method: "CONSENSUS",
        preconisationsDoc: `preconisations:${session.id}:${item.id}`,
        decidedById: president,
        decidedAt: new Date(input.at.getTime() + (index + 1) * 20 * 60_000),
        items: {
          create: input.blocs.map((bloc, b) => ({
            target: "BLOC" as const,
            targetId: bloc.id,
            code: bloc.code,
            commissionOutcome: d.commission[b] ? "acquired" : "notAcquired",
            acquired: d.acquired[b]!,
            followed: d.commission[b] === d.acquired[b],
            reason: d.acquired[b] ? null : (d.reason ?? "Compétences non démontrées."),
          })),
        },
      },
    });
    await tx.dossier.update({ where: { id: d.dossierId }, data: { commissionOutcome: d.commission.every(Boolean) ? "total" : "partial" } });
    // The president signs the fiche de décision before the records or the CPNE's validation (docs/decisions/0019).
    await seedSignedDecisionSheet(tx, { agendaItemId: item.id, signerId: president, at: new Date(decision.decidedAt.getTime() + 5 * 60_000), render: true });
    if (input.issue === false) continue;
    await issueRecordForDecisionTx(tx, { actor, decisionId: decision.id, preconisations: null, placeOfIssue: "Paris", issuedAt: new Date(input.at.getTime() + 86_400_000) });
  }
  return session;
}

export async function seedDesk(
  tx: Tx,
  input: { organisationId: string; users: Record<string, string>; catalogue: SeededCatalogue },
): Promise<void> {
  const { organisationId, users, catalogue } = input;
  const now = Date.now();
  await tx.organisation.update({ where: { id: organisationId }, data: { cdcIdClient: "12ABC345", cdcIdContrat: "MCFCER000123" } });
  // Every demo user and candidate is searchable without accents.
  for (const user of await tx.user.findMany({ select: { id: true, displayName: true, email: true } })) {
    await tx.user.update({ where: { id: user.id }, data: { searchKey: searchKeyOf(user.displayName, user.email) } });
  }
  for (const c of await tx.candidate.findMany({ where: { organisationId } })) {
    await tx.candidate.update({ where: { id: c.id }, data: { searchKey: searchKeyOf(c.birthName, c.usageName, c.givenNames) } });
  }
  for (const s of await tx.session.findMany({ where: { organisationId } })) {
    await tx.session.update({ where: { id: s.id }, data: { searchKey: searchKeyOf(s.title, s.place) } });
  }
  const find = (birthName: string) =>
    tx.candidate.findFirstOrThrow({ where: { organisationId, birthName }, select: { id: true, birthName: true, givenNames: true } });
  const [faure, durand, moreau, schmitt] = await Promise.all([find("FAURE"), find("DURAND"), find("MOREAU"), find("SCHMITT")]);
  // Élodie FAURE, born in Grenoble: INSEE 38185.
  await tx.candidate.update({ where: { id: faure.id }, data: { birthCode: "38185" } });

  // A commission of 40 days ago (CQP Assistant(e) de formation): two grids signed; one awaiting signatures the next day.
  const assistantBlocs = await competencesOf(tx, catalogue.assistant.version.id);
  const allAcquired = Object.fromEntries(assistantBlocs.flatMap((b) => b.competences.map((c) => [c.id, "ACQUIS"])));
  const pastAt = new Date(now - 40 * DAY);
  pastAt.setUTCHours(8, 0, 0, 0);
  const title = "Commission d'évaluation — CQP Assistant(e) de formation (session passée)";
  const past = await tx.session.create({
    data: {
      organisationId,
      kind: "COMMISSION",
      title,
      searchKey: searchKeyOf(title),
      startsAt: pastAt,
      endsAt: new Date(pastAt.getTime() + 6 * 3_600_000),
      status: "CLOSED",
      remote: true,
      remoteMeans: "Quorum (visioconférence et grille partagée)",
      referentialVersionId: catalogue.assistant.version.id,
      members: {
        create: [
          { userId: users["president@quorum.test"], role: "PRESIDENT", convokedAt: new Date(pastAt.getTime() - 30 * DAY) },
          { userId: users["membre1@quorum.test"], role: "MEMBER", convokedAt: new Date(pastAt.getTime() - 30 * DAY) },
        ],
      },
    },
  });
  const certification = "RNCP38544 — CQP Assistant(e) de formation";
  const registeredAt = new Date(pastAt.getTime() - 200 * DAY);
  const [faureDossier, durandDossier] = await Promise.all(
    [faure, durand].map((c) => decidedDossier(tx, { organisationId, candidateId: c.id, certification: catalogue.assistant, registeredAt })),
  );
  const pastSigners = [users["president@quorum.test"]!, users["membre1@quorum.test"]!];
  await signedSlot(tx, {
    sessionId: past.id,
    candidate: faure,
    position: 1,
    at: pastAt,
    results: allAcquired,
    certification,
    sessionTitle: title,
    dossierId: faureDossier.id,
    signers: pastSigners,
  });
  await signedSlot(tx, {
    sessionId: past.id,
    candidate: durand,
    position: 2,
    at: new Date(pastAt.getTime() + 2 * 3_600_000),
    results: allAcquired,
    certification,
    sessionTitle: title,
    dossierId: durandDossier.id,
    signers: pastSigners,
  });
  // Camille MOREAU's grid, the next day, awaits signatures: Pierre Président evaluated her, alone (Marie was not
  // there). On the demo jury, where she is second on the agenda, Pierre is therefore recused for her and Marie,
  // the vice-president, conducts her deliberation (both chairs recused would leave nobody to conduct it).
  const nextAt = new Date(pastAt.getTime() + DAY);
  const nextTitle = "Commission d'évaluation — CQP Assistant(e) de formation, seconde journée (session passée)";
  const next = await tx.session.create({
    data: {
      organisationId,
      kind: "COMMISSION",
      title: nextTitle,
      searchKey: searchKeyOf(nextTitle),
      startsAt: nextAt,
      endsAt: new Date(nextAt.getTime() + 2 * 3_600_000),
      status: "CLOSED",
      remote: true,
      remoteMeans: "Quorum (visioconférence et grille partagée)",
      referentialVersionId: catalogue.assistant.version.id,
      members: { create: [{ userId: users["president@quorum.test"], role: "PRESIDENT", convokedAt: new Date(nextAt.getTime() - 30 * DAY) }] },
    },
  });
  const moreauSlot = await tx.sessionSlot.create({
    data: {
      sessionId: next.id,
      candidateId: moreau.id,
      position: 1,
      startsAt: nextAt,
      endsAt: new Date(nextAt.getTime() + 3_600_000),
      phase: "SIGNATURE",
      gridStatus: "SIGNING",
      sealedAt: new Date(nextAt.getTime() + 3_600_000),
      declarations: { create: { userId: users["president@quorum.test"]!, noConflict: true, declaredAt: nextAt } },
    },
  });
  // Sealed for real (its document, hash and content, not a hash of zeros): the president can sign it in the demo.
  const moreauSeal = await sealedGridDocument(tx, {
    sessionId: next.id,
    slotId: moreauSlot.id,
    content: { result: allAcquired, comment: {}, assessment: {}, synthesis: "En attente des signatures." },
    sealedAt: new Date(nextAt.getTime() + 3_600_000),
  });
  await tx.sessionSlot.update({ where: { id: moreauSlot.id }, data: moreauSeal });

  // Its jury, five days later: Élodie's total delivery followed; Léa's overturned (the second bloc not acquired).
  const juryAt = new Date(pastAt.getTime() + 5 * DAY);
  await closedJury(tx, {
    organisationId,
    title: "Délibération du jury — CQP Assistant(e) de formation",
    at: juryAt,
    versionId: catalogue.assistant.version.id,
    blocs: assistantBlocs,
    users,
    decisions: [
      { dossierId: faureDossier.id, overall: "TOTAL", commission: [true, true], acquired: [true, true] },
      {
        dossierId: durandDossier.id,
        overall: "PARTIAL",
        commission: [true, true],
        acquired: [true, false],
        reason: "Le jury ne retient pas le bloc 2 : le projet de financement présenté n'est pas celui de la candidate.",
      },
    ],
  });

  // A CQPM commission of almost five years ago: a partial validation (first bloc only) expiring within 90 days.
  const cqpmBlocs = await competencesOf(tx, catalogue.cqpm.version.id);
  const partialResults = Object.fromEntries(
    cqpmBlocs.flatMap((b, i) => b.competences.map((c) => [c.id, i === 0 ? "MAITRISE" : "NON_MAITRISE"])),
  );
  const oldAt = new Date(now);
  oldAt.setUTCFullYear(oldAt.getUTCFullYear() - 5);
  oldAt.setTime(oldAt.getTime() + 45 * DAY);
  oldAt.setUTCHours(8, 0, 0, 0);
  const oldTitle = "Commission d'évaluation — CQPM Opérateur régleur (archives)";
  const old = await tx.session.create({
    data: {
      organisationId,
      kind: "COMMISSION",
      title: oldTitle,
      searchKey: searchKeyOf(oldTitle),
      startsAt: oldAt,
      endsAt: new Date(oldAt.getTime() + 4 * 3_600_000),
      status: "CLOSED",
      remote: false,
      place: "Lyon",
      referentialVersionId: catalogue.cqpm.version.id,
      members: { create: [{ userId: users["president@quorum.test"], role: "PRESIDENT", convokedAt: new Date(oldAt.getTime() - 30 * DAY) }] },
    },
  });
  const schmittDossier = await decidedDossier(tx, { organisationId, candidateId: schmitt.id, certification: catalogue.cqpm, registeredAt: new Date(oldAt.getTime() - 150 * DAY) });
  await signedSlot(tx, {
    sessionId: old.id,
    candidate: schmitt,
    position: 1,
    at: oldAt,
    results: partialResults,
    certification: "CQPM Opérateur(trice) régleur(se)",
    sessionTitle: oldTitle,
    dossierId: schmittDossier.id,
    signers: [users["president@quorum.test"]!],
  });
  // Its jury, the next day, followed the commission: the first bloc acquired, valid five years.
  await closedJury(tx, {
    organisationId,
    title: "Délibération du jury — CQPM Opérateur régleur (archives)",
    at: new Date(oldAt.getTime() + DAY),
    versionId: catalogue.cqpm.version.id,
    blocs: cqpmBlocs,
    users,
    decisions: [{ dossierId: schmittDossier.id, overall: "PARTIAL", commission: cqpmBlocs.map((_, i) => i === 0), acquired: cqpmBlocs.map((_, i) => i === 0) }],
  });

  // The food-sector CQP's jury only proposes: the CPNEFP validates its decisions (scheme jury.cpneValidation). Its
  // commission of twelve days ago and its jury of a week ago: two decisions awaiting the CPNE's validation, nothing
  // issued — the desk's « Décisions en attente de validation CPNE », the délivrance page's « Valider les décisions ».
  const foodBlocs = await competencesOf(tx, catalogue.food.version.id);
  const foodAt = new Date(now - 12 * DAY);
  foodAt.setUTCHours(8, 0, 0, 0);
  const foodTitle = "Commission d'évaluation — CQP Conducteur(trice) de ligne de production alimentaire";
  const foodCommission = await tx.session.create({
    data: {
      organisationId,
      kind: "COMMISSION",
      title: foodTitle,
      searchKey: searchKeyOf(foodTitle, "Rennes"),
      startsAt: foodAt,
      endsAt: new Date(foodAt.getTime() + 4 * 3_600_000),
      status: "CLOSED",
      remote: false,
      place: "Rennes",
      referentialVersionId: catalogue.food.version.id,
      members: { create: [{ userId: users["president@quorum.test"], role: "PRESIDENT", convokedAt: new Date(foodAt.getTime() - 30 * DAY) }] },
    },
  });
  const foodCandidates = await tx.candidate.createManyAndReturn({
    data: [
      { birthName: "LEROY", givenNames: "Thomas", sex: "M", birthDate: new Date("1991-06-12T00:00:00Z"), birthPlace: "Quimper (29)", email: "thomas.leroy@example.fr", employer: "Laiterie de Bretagne" },
      { birthName: "MARCHAND", givenNames: "Julie Anne", sex: "F", birthDate: new Date("1993-03-28T00:00:00Z"), birthPlace: "Vannes (56)", email: "julie.marchand@example.fr", employer: "Conserverie de l'Odet" },
    ].map((c) => ({ ...c, organisationId, searchKey: searchKeyOf(c.birthName, null, c.givenNames) })),
    select: { id: true, birthName: true, givenNames: true },
  });
  // Percentages per competence (70 % to pass): Thomas everywhere, Julie short on hygiene (the second bloc).
  const foodResults = (weakBloc: number | null) =>
    Object.fromEntries(foodBlocs.flatMap((b, i) => b.competences.map((c, j) => [c.id, String(i === weakBloc ? 55 + j : 78 + 4 * j)])));
  const foodDecisions = [];
  for (const [index, candidate] of foodCandidates.entries()) {
    const dossier = await decidedDossier(tx, { organisationId, candidateId: candidate.id, certification: catalogue.food, registeredAt: new Date(foodAt.getTime() - 120 * DAY) });
    const weak = index === 0 ? null : 1;
    await signedSlot(tx, {
      sessionId: foodCommission.id,
      candidate,
      position: index + 1,
      at: new Date(foodAt.getTime() + index * 2 * 3_600_000),
      results: foodResults(weak),
      certification: "RNCP37421 — CQP Conducteur(trice) de ligne de production alimentaire",
      sessionTitle: foodTitle,
      dossierId: dossier.id,
      signers: [users["president@quorum.test"]!],
    });
    const blocsAcquired = foodBlocs.map((_, i) => i !== weak);
    foodDecisions.push({ dossierId: dossier.id, overall: weak === null ? ("TOTAL" as const) : ("PARTIAL" as const), commission: blocsAcquired, acquired: blocsAcquired });
  }
  await closedJury(tx, {
    organisationId,
    title: "Délibération du jury — CQP Conducteur(trice) de ligne de production alimentaire",
    at: new Date(foodAt.getTime() + 5 * DAY),
    versionId: catalogue.food.version.id,
    blocs: foodBlocs,
    users,
    decisions: foodDecisions,
    issue: false,
  });

  // An habilitation expiring within 60 days: Mehdi Membre's for CléA ends in 30 days.
  await tx.habilitation.updateMany({
    where: { userId: users["membre2@quorum.test"], certificationId: catalogue.clea.certificationId },
    data: { validUntil: new Date(now + 30 * DAY) },
  });
}
