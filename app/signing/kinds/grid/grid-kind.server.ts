/**
 * The commission's evaluation grid as a signed-document kind. Document id = the passage (SessionSlot) id, within its
 * session; the content is the live Yjs grid (sealed by the document store); the signers are the scoring members
 * (president and members, never observers); signing opens once the passage has started; the last signature records
 * the commission's result on the dossier (it leaves « En évaluation » for « Complet », ready for a jury agenda).
 */
import { gridSigningRefusal, SEAT_LABELS, type SeatRole } from "~/domain/access";
import { gridOutcome, gridReopenRefusal, missingForSignature } from "~/domain/commission";
import { blocSpecs, OUTCOME_LABELS, STATUS_LABELS } from "~/domain/aggregation";
import { candidateName } from "~/domain/identity";
import { forbiddenCharacter } from "~/domain/safe-text";
import { fileNameSlug } from "~/domain/search";
import { AppError } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import { parseGridContent, type GridContent } from "~/live/commission/grid-content";
import { CANDIDATE_RECUSAL_SELECT, declaredConflictIdsOf } from "~/live/commission/passage-recusal.server";
import {
  GRID_KIND,
  juryDecidedOnGrid,
  loadSlotContext,
  loadSlotStateContext,
  lockSlot,
  requirePresident,
  slotState,
  type SlotContext,
} from "~/live/commission/slot-context.server";
import type { Db, DocumentKind, DocumentRef, LoadedDocument, SealedContent } from "../../document-kind";
import { pdfUnavailabilities } from "../signing-row.server";
import type { GridPdfInput } from "./grid-pdf";

type GridDocument = LoadedDocument & { ctx: SlotContext };

/** Beyond these, the grid is refused at opening with a message (a render or a hash would freeze the server). */
export const GRID_LIMITS = { synthesis: 100_000, comment: 10_000, canonical: 1_000_000 } as const;


function toDocument(ref: DocumentRef, ctx: SlotContext): GridDocument {
  return {
    ref,
    ctx,
    organisationId: ctx.session.organisationId,
    status: ctx.slot.gridStatus,
    round: ctx.slot.signingRound,
    sealedHash: ctx.slot.sealedHash,
    signers: ctx.signers.map((s) => ({ userId: s.userId, displayName: s.displayName, role: s.role })),
    sessionId: ctx.session.id,
  };
}

/** Content that can never be signed as is: refused with where it is, in French. */
function unusableContent(ctx: SlotContext, content: GridContent, canonical: string): string[] {
  const problems: string[] = [];
  const codeOf = (id: string) => ctx.competences.find((c) => c.id === id)?.code ?? "Une compétence";
  if (content.synthesis.length > GRID_LIMITS.synthesis) {
    problems.push(
      `La synthèse compte ${content.synthesis.length.toLocaleString("fr-FR")} caractères : ${GRID_LIMITS.synthesis.toLocaleString("fr-FR")} au plus.`,
    );
  }
  for (const [id, text] of Object.entries(content.comment)) {
    if (text.length > GRID_LIMITS.comment) {
      problems.push(`${codeOf(id)} : le commentaire dépasse ${GRID_LIMITS.comment.toLocaleString("fr-FR")} caractères.`);
    }
  }
  if (problems.length === 0 && canonical.length > GRID_LIMITS.canonical) {
    problems.push("La grille contient trop de données (plus d'un million de caractères).");
  }
  // The characters the grid's schema refuses at the edit (app/domain/safe-text.ts), for a grid stored before it did.
  const synthesisCode = forbiddenCharacter(content.synthesis);
  if (synthesisCode) problems.push(`La synthèse contient un caractère invisible ou de contrôle interdit (${synthesisCode}) : retirez-le.`);
  for (const [what, texts] of [
    ["le commentaire", content.comment],
    ["le résultat", content.result],
  ] as const) {
    for (const [id, text] of Object.entries(texts)) {
      const code = forbiddenCharacter(text);
      if (code) problems.push(`${codeOf(id)} : ${what} contient un caractère invisible ou de contrôle interdit (${code}) : retirez-le.`);
    }
  }
  return problems;
}

export const gridKind: DocumentKind<GridDocument> = {
  kind: GRID_KIND,
  label: "la grille",
  messages: {
    alreadySigned: "La grille est déjà signée.",
    notOpenForSigning: "La grille n'est pas ouverte à la signature.",
    signedByAll: "La grille est déjà signée par tous.",
    cannotReopenSigned: "La grille est signée par tous : elle ne peut plus être rouverte.",
    notInSigning: "La grille n'est pas en signature.",
    notSigner: "Vous ne siégez pas comme évaluateur de ce candidat.",
    changedMeanwhile: "La grille vient de changer d'état : réessayez.",
  },
  audit: { subjectType: "SessionSlot", prefix: "grid" },

  async load(db, ref) {
    return toDocument(ref, await loadSlotContext(db, ref.within, ref.documentId));
  },
  async lock(tx, ref) {
    await lockSlot(tx, ref.documentId);
    return toDocument(ref, await loadSlotContext(tx, ref.within, ref.documentId));
  },

  requireManager(document, actorId, action) {
    requirePresident(document.ctx, actorId);
    if (action === "open" && document.ctx.slot.phase === "ACCUEIL") {
      throw new AppError("CONFLICT", "Le passage n'a pas commencé : passez d'abord à la présentation du candidat.");
    }
  },

  // Signing attests the evaluation: not by the candidate's trainer, nor by a member who declared before a jury a
  // conflict of interest with him — even after his « aucun conflit d'intérêts » here and his scoring (`evaluationBar`).
  async signRefusal(tx, document, actorId) {
    const candidate = await tx.candidate.findUniqueOrThrow({ where: { id: document.ctx.slot.candidate.id }, select: CANDIDATE_RECUSAL_SELECT });
    return gridSigningRefusal({ trainsCandidate: candidate.trainerId === actorId, declaredConflict: declaredConflictIdsOf(candidate).includes(actorId) });
  },

  // Not once a jury decided for the candidate on this grid, nor once the commission is closed: `gridReopenRefusal`.
  async reopenRefusal(tx, document) {
    const juryDecided = await juryDecidedOnGrid(tx, document.ctx);
    const refusal = gridReopenRefusal({ juryDecided, sessionClosed: document.ctx.session.status === "CLOSED" });
    return refusal && `${refusal} Rien n'a été annulé.`;
  },

  liveDocumentName: (document) => document.ctx.documentName,

  missing(document, sealed) {
    const { ctx } = document;
    const content = parseGridContent(sealed.canonical);
    const unusable = unusableContent(ctx, content, sealed.canonical);
    if (unusable.length > 0) {
      throw new AppError("CONFLICT", "Passage à la signature impossible : la grille contient des données inacceptables.", {
        details: unusable,
      });
    }
    return missingForSignature({
      scheme: ctx.scheme,
      competences: ctx.competences,
      results: content.result,
      comments: content.comment,
      synthesis: content.synthesis,
      signers: ctx.signers,
    });
  },

  async markSealed(tx, document, sealed: SealedContent) {
    const now = new Date();
    const { count } = await tx.sessionSlot.updateMany({
      where: { id: document.ctx.slot.id, gridStatus: "OPEN", signingRound: document.round },
      data: {
        gridStatus: "SIGNING",
        phase: "SIGNATURE",
        phaseStartedAt: now,
        sealedHash: sealed.hash,
        sealedContent: JSON.parse(sealed.canonical) as Prisma.InputJsonValue,
        sealedAt: now,
      },
    });
    if (count === 0) throw new AppError("CONFLICT", "La signature vient d'être ouverte par ailleurs.");
  },

  async markCompleted(tx, document) {
    const { ctx } = document;
    const signedAt = new Date();
    const { count } = await tx.sessionSlot.updateMany({
      where: { id: ctx.slot.id, gridStatus: "SIGNING", signingRound: document.round },
      data: { gridStatus: "SIGNED", signedAt },
    });
    if (count === 0) throw new AppError("CONFLICT", "La grille vient de changer d'état : réessayez.");
    // The commission's result goes to the candidate's dossier for this certification: it leaves « En évaluation ».
    const content = ctx.slot.sealedContent ? parseGridContent(JSON.stringify(ctx.slot.sealedContent)) : null;
    const outcome = gridOutcome(ctx.scheme, blocSpecs(ctx.version.blocs), content?.result ?? {});
    const dossier = ctx.slot.dossierId
      ? await tx.dossier.findFirst({ where: { id: ctx.slot.dossierId, organisationId: ctx.session.organisationId } })
      : await tx.dossier.findFirst({
          where: {
            organisationId: ctx.session.organisationId,
            candidateId: ctx.slot.candidate.id,
            certificationId: ctx.version.certificationId,
            status: "IN_EVALUATION",
          },
          orderBy: { createdAt: "desc" },
        });
    if (!dossier) return { outcome: outcome.outcome, dossierId: null };
    const status = dossier.status === "IN_EVALUATION" ? "COMPLETE" : dossier.status;
    await tx.dossier.update({
      where: { id: dossier.id },
      data: { status, commissionOutcome: outcome.outcome, commissionSlotId: ctx.slot.id, commissionSignedAt: signedAt },
    });
    return { outcome: outcome.outcome, dossierId: dossier.id, dossierStatus: { from: dossier.status, to: status } };
  },

  async markReopened(tx, document) {
    const { count } = await tx.sessionSlot.updateMany({
      where: { id: document.ctx.slot.id, gridStatus: "SIGNING", signingRound: document.round },
      data: {
        gridStatus: "OPEN",
        phase: "EVALUATION",
        phaseStartedAt: new Date(),
        signingRound: { increment: 1 },
        sealedHash: null,
        sealedContent: undefined,
        sealedAt: null,
      },
    });
    if (count === 0) throw new AppError("CONFLICT", "La grille vient de changer d'état : réessayez.");
  },

  async publish(db, ref, realtime) {
    const state = slotState(await loadSlotStateContext(db, ref.within, ref.documentId));
    realtime.notifySession(state.sessionId, "slot:state", state);
    return state;
  },

  pdf: {
    async fileName(db, ref) {
      const slot = await db.sessionSlot.findUniqueOrThrow({ where: { id: ref.documentId }, select: { candidate: { select: { birthName: true } } } });
      return gridFileName(ref, slot.candidate.birthName);
    },
    async input(db, ref, round) {
      const ctx = await loadSlotContext(db, ref.within, ref.documentId);
      return { ...gridPdfInput(ctx, round), unavailable: await gridUnavailabilities(db, ctx, round) };
    },
    async job(db, ref, round) {
      const ctx = await loadSlotContext(db, ref.within, ref.documentId);
      const input = { ...gridPdfInput(ctx, round), unavailable: await gridUnavailabilities(db, ctx, round) };
      return { input, fileName: gridFileName(ref, ctx.slot.candidate.birthName), document: toDocument(ref, ctx) };
    },
    links: (ref) => ({ slotId: ref.documentId }),
    // The jury room shows the signed grids of its candidates (app/live/jury/candidate-facts.server.ts): every jury
    // with one of this candidate's dossiers on its agenda.
    async alsoShownIn(db, ref) {
      const slot = await db.sessionSlot.findUnique({ where: { id: ref.documentId }, select: { candidateId: true } });
      if (!slot) return [];
      const items = await db.juryAgendaItem.findMany({
        where: { dossier: { candidateId: slot.candidateId }, session: { kind: "JURY" } },
        select: { sessionId: true },
        distinct: ["sessionId"],
      });
      return items.map((i) => i.sessionId);
    },
  },
};

/** « grille-dupont-<passage>.pdf » (ASCII). */
function gridFileName(ref: DocumentRef, birthName: string): string {
  return `grille-${fileNameSlug(birthName, "candidat")}-${ref.documentId}.pdf`;
}

/** The round's empêchements constatés, as the grid's certificate page names them (decision 0028). */
function gridUnavailabilities(db: Db, ctx: SlotContext, round: number) {
  const member = (userId: string) => ctx.session.members.find((m) => m.userId === userId);
  return pdfUnavailabilities(db, GRID_KIND, ctx.slot.id, round, (id) => ({
    name: member(id)?.user.displayName ?? id,
    role: SEAT_LABELS[(member(id)?.role ?? "MEMBER") as SeatRole],
  }));
}

/** The renderer's input, read after the commit (plain data: it crosses to the render worker). */
export function gridPdfInput(ctx: SlotContext, round: number): GridPdfInput {
  const content = ctx.slot.sealedContent ? parseGridContent(JSON.stringify(ctx.slot.sealedContent)) : null;
  const results = content?.result ?? {};
  const outcome = gridOutcome(ctx.scheme, blocSpecs(ctx.version.blocs), results);
  const member = (userId: string) => ctx.session.members.find((m) => m.userId === userId);
  const signatures = ctx.signatures.filter((s) => s.round === round && !s.voidedAt);
  return {
    organisation: ctx.session.organisation.legalName,
    certification: {
      code: ctx.version.certification.code,
      title: ctx.version.certification.title,
      version: ctx.version.version,
    },
    candidate: candidateName(ctx.slot.candidate, { givenNames: "first" }),
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
    results,
    comments: content?.comment ?? {},
    synthesis: content?.synthesis ?? "",
    blocResults: Object.fromEntries(
      ctx.version.blocs.map((b) => {
        const bloc = outcome.blocs.find((o) => o.id === b.id);
        const score = bloc?.score != null ? ` (${bloc.score.toLocaleString("fr-FR")})` : "";
        return [b.code, bloc ? `${STATUS_LABELS[bloc.status]}${score}` : STATUS_LABELS.pending];
      }),
    ),
    outcome:
      OUTCOME_LABELS[outcome.outcome] +
      (outcome.finalScore != null ? ` — note finale ${outcome.finalScore.toLocaleString("fr-FR")}` : ""),
    members: ctx.signers.map((s) => ({ name: s.displayName, role: SEAT_LABELS[s.role] })),
    signatures: signatures.map((s) => ({
      name: member(s.userId)?.user.displayName ?? s.userId,
      role: SEAT_LABELS[(member(s.userId)?.role ?? "MEMBER") as SeatRole],
      signedAt: s.signedAt,
    })),
    contentHash: ctx.slot.sealedHash ?? "",
  };
}
