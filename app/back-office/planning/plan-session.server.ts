/**
 * Plans a session (commission d'évaluation or jury paritaire) for one of the organisation's certifications,
 * pinned to its latest published référentiel version. Times are Paris wall-clock times, stored in UTC.
 */
import { refusal, type Actor, type Result } from "~/platform/app-error";
import { searchKeyOf } from "~/domain/search";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { checkSessionTimes, parisLocalToUtc, phaseDurationsFrom, type SessionCreateInput } from "~/domain/planning";
import { refuseField } from "./planning-context.server";

export const NONEXISTENT_TIME = "Cette heure n'existe pas ce jour-là (passage à l'heure d'été).";

/** Paris date + times → UTC instants, or the field errors. */
export function sessionInstants(
  input: { date: string; startTime: string; endTime: string },
  now: Date,
): { ok: true; startsAt: Date; endsAt: Date } | { ok: false; fieldErrors: Record<string, string[]> } {
  const startsAt = parisLocalToUtc(input.date, input.startTime);
  const endsAt = parisLocalToUtc(input.date, input.endTime);
  if (!startsAt) return { ok: false, fieldErrors: { startTime: [NONEXISTENT_TIME] } };
  if (!endsAt) return { ok: false, fieldErrors: { endTime: [NONEXISTENT_TIME] } };
  const timesError = checkSessionTimes({ startsAt, endsAt });
  if (timesError) return { ok: false, fieldErrors: { endTime: [timesError] } };
  if (startsAt.getTime() < now.getTime()) {
    return { ok: false, fieldErrors: { date: ["La session ne peut pas commencer dans le passé."] } };
  }
  return { ok: true, startsAt, endsAt };
}

/** `submissionKey`: the form's (app/platform/http/submission-key.server.ts): sent twice, it plans one session. */
export async function planSession(
  input: SessionCreateInput,
  actor: Actor,
  options: { now?: Date; submissionKey?: string | null } = {},
): Promise<Result<{ sessionId: string }>> {
  const now = options.now ?? new Date();
  const instants = sessionInstants(input, now);
  if (!instants.ok) return refusal("INVALID", [], instants.fieldErrors);
  const { startsAt, endsAt } = instants;
  const remote = input.mode === "remote";
  const phaseDurations = input.kind === "COMMISSION" ? phaseDurationsFrom(input) : null;

  const submission = { userId: actor.userId, key: options.submissionKey ?? null, action: "session.plan" };
  return prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const result = await plan(tx);
        return { value: result, resultId: result.ok ? result.sessionId : null };
      },
      async (sessionId) => ({ ok: true as const, sessionId }),
    ),
  );

  async function plan(tx: Prisma.TransactionClient): Promise<Result<{ sessionId: string }>> {
    const certification = await tx.certification.findFirst({
      where: { id: input.certificationId, organisationId: actor.organisationId },
      select: {
        id: true,
        code: true,
        versions: {
          where: { publishedAt: { not: null } },
          orderBy: { version: "desc" },
          take: 1,
          select: { id: true, version: true },
        },
      },
    });
    if (!certification) return refuseField("certificationId", "Choisissez une certification de votre organisation.");
    const version = certification.versions[0];
    if (!version) {
      return refuseField(
        "certificationId",
        "Aucune version publiée du référentiel pour cette certification : publiez-en une avant de planifier.",
      );
    }
    const session = await tx.session.create({
      data: {
        organisationId: actor.organisationId,
        kind: input.kind,
        title: input.title,
        startsAt,
        endsAt,
        remote,
        place: remote ? null : (input.place ?? null),
        remoteMeans: remote ? (input.remoteMeans ?? null) : null,
        ...(phaseDurations ? { phaseDurations } : {}),
        referentialVersionId: version.id,
        searchKey: searchKeyOf(input.title, remote ? null : (input.place ?? null)),
      },
    });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.plan",
      subjectType: "Session",
      subjectId: session.id,
      data: {
        kind: session.kind,
        title: session.title,
        startsAt: session.startsAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
        remote,
        place: session.place,
        remoteMeans: session.remoteMeans,
        certification: certification.code,
        referentialVersion: version.version,
        phaseDurations,
      },
    });
    return { ok: true as const, sessionId: session.id };
  }
}
