/**
 * Read models of the délivrance pages: each record with its state (valid, expired, revoked), its PDF's render
 * progress (the durable render job) and whether its credential exists; and a candidate's acquisitions per
 * certification (./acquired-for.server.ts).
 */
import { holderName, recordStatus, DELIVERY_KIND_LABELS } from "~/domain/delivery-record";
import { prisma } from "~/platform/db/db.server";
import { acquiredForMany } from "./acquired-for.server";
import { documentKindOf } from "./finish-record.server";
import type { RecordSnapshot } from "./record-store.server";

export type RenderProgress = { state: "pending" | "running" | "done" | "failed"; attempts: number; error: string | null };

export type RecordView = Awaited<ReturnType<typeof recordViews>>[number];

export async function recordViews(where: { organisationId: string; decisionId?: { in: string[] }; candidateId?: string }, on = new Date()) {
  const records = await prisma.deliveryRecord.findMany({ where, orderBy: [{ issuedAt: "asc" }, { sequence: "asc" }] });
  const jobs = records.length
    ? await prisma.renderJob.findMany({ where: { documentKind: { in: ["parchemin", "attestation"] }, documentId: { in: records.map((r) => r.id) } } })
    : [];
  // A revoked original may be rectified (./issue-rectified-record.server.ts) when its whole chain is revoked, no valid
  // record attests its decision, it was not rectified yet, and no upheld appeal replaced the decision (read only then).
  const byId = new Map(records.map((r) => [r.id, r]));
  const rectifiable = records.filter(
    (r) =>
      r.revokedAt &&
      !r.duplicateOfId &&
      r.decisionId &&
      !records.some((other) => other.replacesId === r.id) &&
      !records.some((other) => other.decisionId === r.decisionId && !other.revokedAt),
  );
  const replacedOnAppeal = rectifiable.length
    ? new Set(
        (
          await prisma.appeal.findMany({
            where: { decisionId: { in: rectifiable.map((r) => r.decisionId!) }, status: "UPHELD", newDecisionId: { not: null } },
            select: { decisionId: true },
          })
        ).map((a) => a.decisionId),
      )
    : new Set<string>();
  const canRectify = new Set(rectifiable.filter((r) => !replacedOnAppeal.has(r.decisionId!)).map((r) => r.id));
  return records.map((r) => {
    const replaced = r.replacesId ? byId.get(r.replacesId) : undefined;
    const replacement = records.find((other) => other.replacesId === r.id);
    const job = jobs.find((j) => j.documentId === r.id && j.documentKind === documentKindOf(r.kind));
    const progress: RenderProgress = r.pdfSha256
      ? { state: "done", attempts: job?.attempts ?? 1, error: null }
      : !job
        ? { state: "pending", attempts: 0, error: null }
        : {
            state: job.status === "FAILED" ? "failed" : job.status === "RUNNING" ? "running" : job.status === "DONE" ? "done" : "pending",
            attempts: job.attempts,
            error: job.lastError,
          };
    return {
      id: r.id,
      kind: r.kind,
      kindLabel: DELIVERY_KIND_LABELS[r.kind],
      number: r.number,
      decisionId: r.decisionId,
      candidateId: r.candidateId,
      holder: holderName(r.holder as RecordSnapshot["holder"]),
      certification: (r.certification as RecordSnapshot["certification"]).code,
      blocs: r.blocs as RecordSnapshot["blocs"],
      issuedAt: r.issuedAt.toISOString(),
      validUntil: r.validUntil?.toISOString() ?? null,
      status: recordStatus(r, on),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revocationReason: r.revocationReason,
      duplicate: r.duplicateOfId !== null,
      /** A rectified record: the revoked one it replaces (its number and revocation). */
      replaces: replaced ? { number: replaced.number, revokedAt: replaced.revokedAt?.toISOString() ?? null } : null,
      /** A revoked record rectified: the number of the record that replaces it. */
      replacedBy: replacement?.number ?? null,
      canRectify: canRectify.has(r.id),
      verificationCode: r.verificationCode,
      hasCredential: r.credential !== null,
      progress,
    };
  });
}

/** The candidate's records and, per certification of their dossiers, what is acquired and still valid. */
type DeliveryDossier = { certificationId: string; certification: { code: string; title: string } };

/**
 * What a candidate acquired of each certification of its dossiers, and its records. `known`: its dossiers already
 * read in this organisation, oldest first (the candidate page reads them with the candidate).
 */
export async function getCandidateDelivery(organisationId: string, candidateId: string, on = new Date(), known?: readonly DeliveryDossier[]) {
  const dossiers =
    known ??
    (await prisma.dossier.findMany({
      where: { organisationId, candidateId },
      select: { certificationId: true, certification: { select: { code: true, title: true } } },
      orderBy: { createdAt: "asc" },
    }));
  const seen = new Set<string>();
  const acquisitions = [];
  // Every certification of the candidate at once (four statements, not four per certification).
  const [summaries, records] = await Promise.all([
    acquiredForMany(organisationId, [...new Set(dossiers.map((d) => d.certificationId))].map((certificationId) => ({ candidateId, certificationId })), on),
    recordViews({ organisationId, candidateId }, on),
  ]);
  for (const d of dossiers) {
    if (seen.has(d.certificationId)) continue;
    seen.add(d.certificationId);
    const summary = summaries.get(`${candidateId}:${d.certificationId}`);
    if (!summary) continue;
    acquisitions.push({
      certificationId: d.certificationId,
      code: d.certification.code,
      title: d.certification.title,
      status: summary.status,
      items: summary.acquisitions.map((a) => ({
        code: a.code,
        title: a.title,
        decidedAt: a.decidedAt.toISOString(),
        validUntil: a.validUntil?.toISOString() ?? null,
        state: a.state,
      })),
      missing: summary.missing.map((m) => ({ code: m.code, title: m.title })),
    });
  }
  return { acquisitions, records };
}
