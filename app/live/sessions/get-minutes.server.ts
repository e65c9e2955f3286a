/**
 * Query: the procès-verbal page of a session — generated sections (live: recomputed from the facts; sealed: the
 * sealed content), remarks, signing state with the signatures (voided ones kept and shown), the changes members
 * asked for, whether the PDF is ready, and what the viewer may do. 404 unless seated or managing the organisation.
 */
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { buildMinutes, MINUTES_REMARKS_TEXT, minutesDocumentName } from "~/domain/minutes";
import { replacedByView, replacementLines, viewerSigningDuties } from "~/domain/signer-unavailability";
import { prisma } from "~/platform/db/db.server";
import { minutesKind, MINUTES_KIND, type SealedMinutes } from "~/signing/kinds/minutes/minutes-kind.server";
import { gatherMinutesFacts } from "./minutes-facts.server";
import type { RealtimePort } from "../realtime-port";
import { readCollabText, storeLiveEdits } from "./collab-text.server";
import { renderFailureOf } from "~/signing/render-failure.server";
import { getSessionForViewer, managedOrganisationIds } from "./queries.server";

export async function getMinutes(userId: string, sessionId: string, realtime: Pick<RealtimePort, "storeAcknowledgedEdits">) {
  const { session, seat } = await getSessionForViewer(userId, sessionId); // 404 unless seated or managing
  const document = await minutesKind.load(prisma, { documentId: sessionId });
  let content: SealedMinutes;
  if (document.sealedContent && document.status !== "OPEN") {
    content = document.sealedContent as SealedMinutes;
  } else {
    // The remarks and the préconisations as typed up to now, not as of the journal's last ingestion.
    await storeLiveEdits(realtime);
    const facts = (await gatherMinutesFacts(prisma, sessionId))!;
    content = { generated: buildMinutes(facts), remarks: await readCollabText(prisma, minutesDocumentName(sessionId), MINUTES_REMARKS_TEXT) };
  }
  const [signatures, unavailable, reopened, pdf, managed] = await Promise.all([
    prisma.signature.findMany({ where: { documentKind: MINUTES_KIND, documentId: sessionId }, orderBy: { signedAt: "asc" } }),
    // Signers recorded as prevented from signing this round (decision 0028): none before it is finalised.
    document.status === "OPEN"
      ? []
      : prisma.signerUnavailability.findMany({
          where: { documentKind: MINUTES_KIND, documentId: sessionId, round: document.round, voidedAt: null },
          select: { userId: true, replacedById: true, replacementSignedAt: true },
        }),
    prisma.auditEvent.findMany({
      where: { action: "minutes.reopened", subjectType: "SessionMinutes", subjectId: sessionId },
      orderBy: { seq: "asc" },
      select: { actorId: true, createdAt: true, data: true },
    }),
    prisma.signedDocument.findUnique({ where: { kind_documentId: { kind: MINUTES_KIND, documentId: sessionId } }, select: { sha256: true, round: true } }),
    managedOrganisationIds(userId),
  ]);
  // Signed by all but no PDF: being rendered, or given up on (said as such, never « en préparation » forever).
  const pdfFailure = document.status === "SIGNED" && !pdf ? await renderFailureOf(MINUTES_KIND, sessionId) : null;
  const nameOf = (id: string | null) => session.members.find((m) => m.userId === id)?.user.displayName ?? "Secrétariat";
  const role = (seat?.role ?? null) as SeatRole | null;
  const signedNow = new Set(signatures.filter((g) => g.round === document.round && !g.voidedAt).map((g) => g.userId));
  const duties = viewerSigningDuties(userId, { signerIds: document.signers.map((s) => s.userId), signed: signedNow, unavailable });
  const seatOf = (id: string) => session.members.find((m) => m.userId === id);
  return {
    session: { id: session.id, title: session.title, kind: session.kind, status: session.status, organisationId: session.organisation.id },
    documentName: minutesDocumentName(sessionId),
    content,
    status: document.status,
    round: document.round,
    sealedHash: document.sealedHash,
    signers: document.signers.map((s) => ({
      ...s,
      roleLabel: SEAT_LABELS[s.role as SeatRole],
      signed: signatures.some((g) => g.userId === s.userId && g.round === document.round && !g.voidedAt),
      prevented: unavailable.some((u) => u.userId === s.userId),
      // Signed for by the vice-president named in their stead (decision 0028): said so, never « signé ».
      replacedBy: replacedByView(
        unavailable.find((u) => u.userId === s.userId),
        s.displayName,
        nameOf,
      ),
    })),
    replacements: replacementLines(unavailable, nameOf, (id) => SEAT_LABELS[(seatOf(id)?.role ?? "VICE_PRESIDENT") as SeatRole]),
    signatures: signatures.map((s) => ({
      name: nameOf(s.userId),
      round: s.round,
      signedAt: s.signedAt.toISOString(),
      voidedAt: s.voidedAt?.toISOString() ?? null,
    })),
    changeRequests: reopened.map((r) => ({
      by: nameOf(r.actorId),
      at: r.createdAt.toISOString(),
      reason: String((r.data as { reason?: string } | null)?.reason ?? ""),
    })),
    pdf: pdf ? { sha256: pdf.sha256 } : null,
    pdfFailure,
    viewer: {
      role,
      /** Manages the organisation: may retry a PDF whose render failed. */
      manages: managed.includes(session.organisation.id),
      canWrite: document.status === "OPEN" && (role === "SECRETARY" || role === "PRESIDENT"),
      canFinalise: document.status === "OPEN" && (role === "SECRETARY" || role === "PRESIDENT") && document.finaliseRefusal === null,
      /** Why the secretary or the president cannot finalise it yet (said where the button would be), or null. */
      finaliseRefusal: document.status === "OPEN" && (role === "SECRETARY" || role === "PRESIDENT") ? document.finaliseRefusal : null,
      canRequestChange: document.status === "SIGNING" && role !== null && role !== "OBSERVER",
      isSigner: duties.isSigner,
      hasSigned: duties.hasSigned,
      isPrevented: duties.isPrevented,
      /** The prevented presidents this viewer still signs for (names), said by the consent. */
      signsFor: duties.signsFor.map(nameOf),
    },
  };
}
export type MinutesView = Awaited<ReturnType<typeof getMinutes>>;
