/**
 * Query: one candidate's fiche de décision as its panel shows it — the decision in short, the signing state, the
 * signers (signed or not in this round), voided signatures and the changes asked for, whether the sealed PDF is
 * ready, and what the viewer may do. Readers: the jury's seated members, and the organisation's secretariat and
 * administrators; anyone else gets « introuvable » (never « interdit »). Before the decision: `sheet: null`.
 */
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { acquiredCodes } from "~/domain/decision-sheet";
import { candidateName } from "~/domain/identity";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { replacedByView, replacementLines, viewerSigningDuties } from "~/domain/signer-unavailability";
import { recusedEvaluationRefusal } from "~/domain/jury-vote";
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { readerOf } from "~/live/sessions/session-reader.server";
import { DECISION_KIND, decisionKind, decisionSheetState } from "~/signing/kinds/decision/decision-kind.server";
import { renderFailureOf } from "~/signing/render-failure.server";
import { managedOrganisationIds } from "~/live/sessions/queries.server";

const NOT_FOUND = "Cette fiche de décision n'existe pas ou ne vous est pas accessible.";

/** The agenda item if the viewer may read its sheet (seated in the jury and a member, or managing the organisation). */
export async function requireSheetReader(userId: string, sessionId: string, agendaItemId: string) {
  const item = await prisma.juryAgendaItem.findFirst({
    where: { id: agendaItemId, sessionId, session: { kind: "JURY" } },
    select: {
      id: true,
      session: { select: { id: true, title: true, organisationId: true, members: { where: { userId }, select: { userId: true, role: true } } } },
      dossier: { select: { id: true, status: true, candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } } } },
      decision: { select: { id: true, overall: true, decidedAt: true, adjournmentReason: true, items: { select: { code: true, acquired: true } } } },
    },
  });
  // Seated and still a member of the organisation, or managing it (the memberships came with the sign-in).
  const reader = item ? await readerOf(item.session.members, userId, item.session.organisationId) : null;
  if (!item || !reader) throw new AppError("NOT_FOUND", NOT_FOUND);
  return { item, role: (reader.seat?.role ?? null) as SeatRole | null };
}

export async function getDecisionSheet(userId: string, sessionId: string, agendaItemId: string) {
  const { item, role } = await requireSheetReader(userId, sessionId, agendaItemId);
  const base = {
    sessionId,
    agendaItemId,
    sessionTitle: item.session.title,
    organisationId: item.session.organisationId,
    candidate: candidateName(item.dossier.candidate),
    dossierId: item.dossier.id,
  };
  if (!item.decision) return { ...base, decision: null, sheet: null };
  const decision = {
    overall: item.decision.overall,
    label: OVERALL_DECISION_LABELS[item.decision.overall as OverallDecision],
    decidedAt: item.decision.decidedAt.toISOString(),
    adjournmentReason: item.decision.adjournmentReason,
    ...acquiredCodes(item.decision.items),
  };
  const document = await decisionKind.load(prisma, { documentId: agendaItemId, within: sessionId });
  const [state, signatures, unavailable, reopened] = await Promise.all([
    decisionSheetState(prisma, document),
    prisma.signature.findMany({ where: { documentKind: DECISION_KIND, documentId: agendaItemId }, orderBy: { signedAt: "asc" } }),
    // Signers recorded as prevented from signing this round (decision 0028): none before its submission.
    document.status === "OPEN"
      ? []
      : prisma.signerUnavailability.findMany({
          where: { documentKind: DECISION_KIND, documentId: agendaItemId, round: document.round, voidedAt: null },
          select: { userId: true, replacedById: true, replacementSignedAt: true },
        }),
    prisma.auditEvent.findMany({
      where: { action: "decision.reopened", subjectType: "JuryDecisionSheet", subjectId: agendaItemId },
      orderBy: { seq: "asc" },
      select: { actorId: true, createdAt: true, data: true },
    }),
  ]);
  // Signed by all but no PDF: being rendered, or given up on (said as such, never « en préparation » forever).
  const pdfFailure = state.status === "SIGNED" && !state.pdfSha256 ? await renderFailureOf(DECISION_KIND, agendaItemId) : null;
  // Given up on: the organisation's secretariat or an administrator may relaunch it (POST /sessions/pdf/relancer, whose
  // guard checks again); a seated member is told who can.
  const canRetry = pdfFailure !== null && (await managedOrganisationIds(userId)).includes(item.session.organisationId);
  const nameOf = (id: string | null) => document.seats.find((s) => s.userId === id)?.displayName ?? "Membre";
  const current = (id: string) => signatures.some((g) => g.userId === id && g.round === document.round && !g.voidedAt);
  const voting = role === "PRESIDENT" || role === "VICE_PRESIDENT" || role === "MEMBER";
  const duties = viewerSigningDuties(userId, {
    signerIds: document.signers.map((s) => s.userId),
    signed: new Set(document.signers.filter((s) => current(s.userId)).map((s) => s.userId)),
    unavailable,
  });
  const seatRoleOf = (id: string) => document.seats.find((s) => s.userId === id)?.role ?? "VICE_PRESIDENT";
  // A seated member recused for the candidate is refused the sealed PDF (its route too): why, instead of its link.
  const pdfWithheld = role !== null ? recusedEvaluationRefusal(document.recused.get(userId)) : null;
  return {
    ...base,
    decision,
    sheet: {
      ...state,
      sealedHash: document.sealedHash,
      signers: document.signers.map((s) => ({
        userId: s.userId,
        displayName: s.displayName,
        roleLabel: SEAT_LABELS[s.role as SeatRole],
        signed: current(s.userId),
        prevented: unavailable.some((u) => u.userId === s.userId),
        // Signed for by the vice-president named in their stead (decision 0028): said so, never « signé ».
        replacedBy: replacedByView(
          unavailable.find((u) => u.userId === s.userId),
          s.displayName,
          nameOf,
        ),
      })),
      replacements: replacementLines(unavailable, nameOf, (id) => SEAT_LABELS[seatRoleOf(id) as SeatRole]),
      voidedSignatures: signatures
        .filter((s) => s.voidedAt)
        .map((s) => ({ name: nameOf(s.userId), round: s.round, signedAt: s.signedAt.toISOString(), voidedAt: s.voidedAt!.toISOString() })),
      changeRequests: reopened.map((r) => ({
        by: nameOf(r.actorId),
        at: r.createdAt.toISOString(),
        reason: String((r.data as { reason?: string } | null)?.reason ?? ""),
      })),
      pdfUrl: state.pdfSha256 && !pdfWithheld ? `/sessions/${sessionId}/decisions/${agendaItemId}/fiche.pdf` : null,
      pdfWithheld,
      pdfFailure,
      viewer: {
        role,
        canOpen: state.status === "OPEN" && (role === "PRESIDENT" || role === "VICE_PRESIDENT") && !document.recused.has(userId),
        canRequestChange: state.status === "SIGNING" && voting && !document.recused.has(userId),
        isSigner: duties.isSigner,
        hasSigned: duties.hasSigned,
        isPrevented: duties.isPrevented,
        /** The prevented presidents this viewer still signs for (names), said by the consent. */
        signsFor: duties.signsFor.map(nameOf),
        canRetry,
      },
    },
  };
}
export type DecisionSheetView = Awaited<ReturnType<typeof getDecisionSheet>>;
