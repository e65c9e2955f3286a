/**
 * What the jury examines for one candidate of its agenda: the dossier's completeness, the commission grids (signed
 * or not) with each evaluator's assessment, the consolidated results and the outcome per competence and bloc
 * computed by the scheme, and the conformity checklist.
 */
import { CANDIDATE_IDENTITY_SELECT } from "~/back-office/candidates/get-candidate.server";
import { DOSSIER_FACTS_SELECT, getDossiersCompleteness } from "~/back-office/dossiers/dossier-completeness.server";
import { AppError } from "~/platform/app-error";
import { referentialTree, type ReferentialTree } from "~/live/sessions/referential-tree.server";
import { blocSpecs, certificationOutcome, competenceSpec, type BlocSpec, type CertificationOutcome, type OutcomeStatus } from "~/domain/aggregation";
import { computeConformity, type ConformityChecklist, type GridFacts } from "~/domain/conformity";
import type { BlocTargets } from "~/domain/jury-decision";
import { evaluatedAtOf } from "~/domain/jury-vote";
import { decodeResult } from "~/domain/scales";
import { formatParisLongDate } from "~/domain/paris-date";
import { parseGridContent, type GridContent } from "../commission/grid-content";
import type { AgendaItem, Db, JuryContext } from "./jury-context.server";
import type { RenderFailure } from "~/domain/render-failure";
import { renderFailures } from "~/signing/render-failure.server";

export type GridView = {
  slotId: string;
  sessionId: string;
  sessionTitle: string;
  evaluatedAt: string;
  status: "OPEN" | "SIGNING" | "SIGNED";
  signedAt: string | null;
  sealedHash: string | null;
  pdfUrl: string | null;
  /** Signed by all, and its PDF's render given up on (app/signing/render-failure.server.ts). */
  pdfFailure: RenderFailure | null;
  evaluators: Array<{ userId: string; displayName: string; profile: string | null; signed: boolean }>;
  content: GridContent | null;
  /**
   * This grid's own outcome per bloc and competence (id → status), computed by the scheme from its sealed results:
   * « Non évalué » throughout while nothing is sealed. Each grid's table shows its own (until 2026-12-06 every table
   * showed the reference grid's, « Acquis » beside a blank or contrary grid).
   */
  outcomes: Record<string, OutcomeStatus>;
};

/** The facts of one candidate (a command's view: see candidatesFacts). */
export async function candidateFacts(db: Db, ctx: JuryContext, item: AgendaItem) {
  return (await candidatesFacts(db, ctx, [item]))[0]!;
}

/**
 * The facts of several candidates of the agenda in one go (the jury room reads them all): one query per table for
 * all of them (dossiers with their referential and what their completeness reads, commission passages with their
 * evaluators' habilitations, grid signatures). Also, per candidate, the evaluators of its sealed grids in this jury's certification
 * (`recusalEvaluatorIds`, for recusalsOf), from the same passages.
 */
export async function candidatesFacts(db: Db, ctx: JuryContext, items: readonly AgendaItem[]) {
  const { scheme } = ctx;
  if (items.length === 0) return [];
  const juryCertificationId = ctx.session.referentialVersion?.certification.id ?? "";
  // The agenda names each dossier's certification: the dossiers, their completeness and the passages are read at once.
  const certificationIds = [...new Set([...items.map((i) => i.dossier.certificationId), juryCertificationId])];
  const [dossiers, allSlots] = await Promise.all([
    // With what their checklists read (DOSSIER_FACTS_SELECT), in the same statement.
    db.dossier.findMany({
      where: { id: { in: items.map((i) => i.dossierId) } },
      include: {
        candidate: { select: { ...CANDIDATE_IDENTITY_SELECT, employer: true, birthDate: true, sex: true } },
        evidence: { orderBy: { createdAt: "asc" }, select: { id: true, kind: true, fileName: true, size: true } },
        referentialVersion: { select: { id: true, publishedAt: true } },
        certification: DOSSIER_FACTS_SELECT.certification,
        blocs: DOSSIER_FACTS_SELECT.blocs,
      },
    }),
    db.sessionSlot.findMany({
      where: {
        OR: [
          { dossierId: { in: items.map((i) => i.dossierId) } },
          {
            dossierId: null,
            candidateId: { in: items.map((i) => i.dossier.candidateId) },
            session: { referentialVersion: { certificationId: { in: certificationIds } } },
          },
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
            referentialVersion: { select: { certificationId: true } },
            // Each member's habilitations for these certifications, in the same statement (the evaluators' are read).
            members: { include: { user: { select: { displayName: true, habilitations: { where: { certificationId: { in: certificationIds } } } } } } },
          },
        },
      },
    }),
  ]);
  const [completenesses, allSignatures] = await Promise.all([
    getDossiersCompleteness(items.map((i) => i.dossierId), ctx.session.organisationId, db, dossiers),
    db.signature.findMany({
      where: { documentKind: "grid", documentId: { in: allSlots.map((s) => s.id) }, voidedAt: null },
      select: { documentId: true, round: true, userId: true },
    }),
  ]);
  type Slot = (typeof allSlots)[number];
  const evaluatorsOf = (slot: Slot) => slot.session.members.filter((m) => m.role === "PRESIDENT" || m.role === "MEMBER");
  // A candidate's passages: on its dossier, or (planned before the dossier) on the candidate in this certification.
  const passagesOf = (item: AgendaItem, certificationId: string) =>
    allSlots.filter(
      (s) =>
        s.dossierId === item.dossierId ||
        (s.dossierId === null && s.candidateId === item.dossier.candidateId && s.session.referentialVersion?.certificationId === certificationId),
    );
  // Each dossier's référentiel tree, from memory for a published version (decision 0011).
  const trees = new Map<string, ReferentialTree>();
  for (const version of new Map(dossiers.map((d) => [d.referentialVersion.id, d.referentialVersion])).values()) {
    trees.set(version.id, await referentialTree(db, version));
  }
  const allHabilitations = [
    ...new Map(allSlots.flatMap((s) => evaluatorsOf(s).flatMap((m) => m.user.habilitations)).map((h) => [h.id, h])).values(),
  ];

  // Grids signed by all without their PDF: being rendered, or given up on (one more read, only then).
  const gridFailures = await renderFailures(
    "grid",
    allSlots.filter((s) => s.gridStatus === "SIGNED" && s.documents.length === 0).map((s) => s.id),
    db,
  );

  return items.map((item) => {
    const dossier = dossiers.find((d) => d.id === item.dossierId);
    const completeness = completenesses.get(item.dossierId);
    if (!dossier || !completeness) throw new AppError("NOT_FOUND", "Dossier introuvable.");
    const targeted = new Set(item.dossier.blocs.map((b) => b.blocId));
    const blocs = trees.get(dossier.referentialVersion.id)!.filter((b) => targeted.size === 0 || targeted.has(b.id));
    const specs: BlocSpec[] = blocSpecs(blocs);
    const slots = passagesOf(item, dossier.certificationId);
    const signatures = allSignatures.filter((sig) => slots.some((slot) => slot.id === sig.documentId));
    const evaluatorIds = [...new Set(slots.flatMap((s) => evaluatorsOf(s).map((m) => m.userId)))];
    const habilitations = allHabilitations.filter((h) => h.certificationId === dossier.certificationId && evaluatorIds.includes(h.userId));
    const sealedPassages = passagesOf(item, juryCertificationId).filter((s) => s.sealedHash !== null);
    const recusalEvaluatorIds = [...new Set(sealedPassages.flatMap((s) => evaluatorsOf(s).map((m) => m.userId)))];
    // When each of them evaluated the candidate (the commission's date): said where recusals block the deliberation.
    const recusalEvaluatedAt = evaluatedAtOf(sealedPassages.map((s) => ({ at: s.session.startsAt, userIds: evaluatorsOf(s).map((m) => m.userId) })));

    /** The outcome the scheme computes from one grid's results (none sealed: every competence pending). */
    const outcomeOf = (content: GridContent | null): CertificationOutcome =>
      certificationOutcome(
        scheme,
        specs,
        Object.fromEntries(blocs.flatMap((b) => b.competences.map((c) => [c.id, decodeResult(scheme.scale, content?.result[c.id] ?? null)]))),
      );
    const grids: GridView[] = [];
    const gridFacts: GridFacts[] = [];
    for (const slot of slots) {
      const evaluators = evaluatorsOf(slot);
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
        pdfFailure: gridFailures.get(slot.id) ?? null,
        evaluators: evaluators.map((m) => ({ userId: m.userId, displayName: m.user.displayName, profile: m.evaluatorProfile, signed: signedIds.has(m.userId) })),
        content,
        outcomes: Object.fromEntries(outcomeOf(content).blocs.flatMap((b) => [[b.id, b.status], ...b.competences.map((c) => [c.id, c.status] as const)])),
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
            spec: competenceSpec(c),
            code: c.code,
            result: content?.result[c.id] ?? null,
            comment: content?.comment[c.id] ?? null,
          })),
        ),
        signed: slot.gridStatus === "SIGNED",
        missingSignerNames: evaluators.filter((m) => !signedIds.has(m.userId)).map((m) => m.user.displayName),
        label: `grille du ${formatParisLongDate(slot.startsAt)} (${slot.session.title})`,
      });
    }

    // The commission's outcome: from the last signed grid (else the last sealed one; else nothing yet).
    const reference = [...grids].reverse().find((g) => g.status === "SIGNED") ?? [...grids].reverse().find((g) => g.content);
    const outcome: CertificationOutcome = outcomeOf(reference?.content ?? null);
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
      // Every grid: the checks retain the signed ones once there is one (retainedGrids), and name the others.
      grids: gridFacts,
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
      recusalEvaluatorIds,
      recusalEvaluatedAt,
    };
  });
}
export type CandidateFacts = Awaited<ReturnType<typeof candidateFacts>>;
