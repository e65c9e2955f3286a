/**
 * What the jury examines for one candidate of its agenda: the dossier's completeness, the commission grids (signed
 * or not) with each evaluator's assessment, the consolidated results and the outcome per competence and bloc
 * computed by the scheme, and the conformity checklist.
 */
import { getDossierCompleteness } from "~/back-office/dossiers/dossier-completeness.server";
import { certificationOutcome, type BlocSpec, type CertificationOutcome } from "~/domain/aggregation";
import { computeConformity, type ConformityChecklist, type GridFacts } from "~/domain/conformity";
import type { BlocTargets } from "~/domain/jury-decision";
import { decodeResult } from "~/domain/scales";
import { parseGridContent, type GridContent } from "../commission/grid-content";
import type { AgendaItem, Db, JuryContext } from "./jury-context.server";

export type GridView = {
  slotId: string;
  sessionId: string;
  sessionTitle: string;
  evaluatedAt: string;
  status: "OPEN" | "SIGNING" | "SIGNED";
  signedAt: string | null;
  sealedHash: string | null;
  pdfUrl: string | null;
  evaluators: Array<{ userId: string; displayName: string; profile: string | null; signed: boolean }>;
  content: GridContent | null;
};

export async function candidateFacts(db: Db, ctx: JuryContext, item: AgendaItem) {
  const { scheme } = ctx;
  const dossier = await db.dossier.findUniqueOrThrow({
    where: { id: item.dossierId },
    include: {
      referentialVersion: {
        include: {
          blocs: {
            orderBy: { position: "asc" },
            include: { competences: { orderBy: { position: "asc" }, include: { criteria: { orderBy: { position: "asc" } } } } },
          },
        },
      },
    },
  });
  const completeness = await getDossierCompleteness(item.dossierId, ctx.session.organisationId, db);
  const targeted = new Set(item.dossier.blocs.map((b) => b.blocId));
  const blocs = dossier.referentialVersion.blocs.filter((b) => targeted.size === 0 || targeted.has(b.id));
  const specs: BlocSpec[] = blocs.map((b) => ({
    id: b.id,
    competences: b.competences.map((c) => ({ id: c.id, code: c.code, criteria: c.criteria.map((cr) => ({ id: cr.id, mandatory: cr.mandatory })) })),
  }));

  const slots = await db.sessionSlot.findMany({
    where: {
      OR: [
        { dossierId: item.dossierId },
        { dossierId: null, candidateId: item.dossier.candidateId, session: { referentialVersion: { certificationId: dossier.certificationId } } },
      ],
      session: { kind: "COMMISSION" },
    },
    orderBy: { startsAt: "asc" },
    include: {
      documents: { select: { kind: true } },
      session: {
        select: {
          id: true,
          title: true,
          startsAt: true,
          members: { include: { user: { select: { displayName: true } } } },
        },
      },
    },
  });
  const signatures = await db.signature.findMany({
    where: { documentKind: "grid", documentId: { in: slots.map((s) => s.id) }, voidedAt: null },
    select: { documentId: true, round: true, userId: true },
  });
  const evaluatorIds = [...new Set(slots.flatMap((s) => s.session.members.filter((m) => m.role === "PRESIDENT" || m.role === "MEMBER").map((m) => m.userId)))];
  const habilitations = await db.habilitation.findMany({
    where: { userId: { in: evaluatorIds }, certificationId: dossier.certificationId },
  });

  const grids: GridView[] = [];
  const gridFacts: GridFacts[] = [];
  for (const slot of slots) {
    const evaluators = slot.session.members.filter((m) => m.role === "PRESIDENT" || m.role === "MEMBER");
    const signedIds = new Set(signatures.filter((s) => s.documentId === slot.id && s.round === slot.signingRound).map((s) => s.userId));
    const content = slot.sealedContent ? parseGridContent(JSON.stringify(slot.sealedContent)) : null;
    grids.push({
      slotId: slot.id,
      sessionId: slot.sessionId,
      sessionTitle: slot.session.title,
      evaluatedAt: slot.startsAt.toISOString(),
      status: slot.gridStatus,
      signedAt: slot.signedAt?.toISOString() ?? null,
      sealedHash: slot.sealedHash,
      pdfUrl: slot.documents.length > 0 ? `/sessions/${slot.sessionId}/passages/${slot.id}/grille.pdf` : null,
      evaluators: evaluators.map((m) => ({ userId: m.userId, displayName: m.user.displayName, profile: m.evaluatorProfile, signed: signedIds.has(m.userId) })),
      content,
    });
    gridFacts.push({
      evaluatedAt: slot.startsAt,
      evaluators: evaluators.map((m) => ({
        userId: m.userId,
        name: m.user.displayName,
        profile: m.evaluatorProfile,
        habilitations: habilitations.filter((h) => h.userId === m.userId),
      })),
      competences: blocs.flatMap((b) =>
        b.competences.map((c) => ({
          spec: { id: c.id, code: c.code, criteria: c.criteria.map((cr) => ({ id: cr.id, mandatory: cr.mandatory })) },
          code: c.code,
          result: content?.result[c.id] ?? null,
          comment: content?.comment[c.id] ?? null,
        })),
      ),
      signed: slot.gridStatus === "SIGNED",
      missingSignerNames: evaluators.filter((m) => !signedIds.has(m.userId)).map((m) => m.user.displayName),
    });
  }

  // The commission's outcome: from the last signed grid (else the last sealed one; else nothing yet).
  const reference = [...grids].reverse().find((g) => g.status === "SIGNED") ?? [...grids].reverse().find((g) => g.content);
  const results = Object.fromEntries(
    blocs.flatMap((b) => b.competences.map((c) => [c.id, decodeResult(scheme.scale, reference?.content?.result[c.id] ?? null)])),
  );
  const outcome: CertificationOutcome = certificationOutcome(scheme, specs, results);
  const targets: BlocTargets[] = blocs.map((b) => {
    const bo = outcome.blocs.find((o) => o.id === b.id);
    return {
      id: b.id,
      code: b.code,
      commissionOutcome: bo?.status ?? "pending",
      competences: b.competences.map((c) => ({
        id: c.id,
        code: c.code,
        commissionOutcome: bo?.competences.find((co) => co.id === c.id)?.status ?? "pending",
      })),
    };
  });
  const conformity: ConformityChecklist = computeConformity({
    scheme,
    dossierComplete: completeness.complete,
    dossierMissing: completeness.missing.map((m) => m.label),
    trainerId: item.dossier.candidate.trainerId,
    trainerName: item.dossier.candidate.trainerName,
    grids: gridFacts.filter((g, i) => grids[i]?.status === "SIGNED" || grids.every((x) => x.status !== "SIGNED")),
  });
  return {
    dossier,
    completeness,
    blocs,
    grids,
    outcome,
    targets,
    conformity,
    evaluatorIds,
  };
}
export type CandidateFacts = Awaited<ReturnType<typeof candidateFacts>>;
