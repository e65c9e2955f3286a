/**
 * The planning page of one session of the organisation: details, seats with their habilitation state, slots or
 * agenda, what blocks the convocations, and the choices offered by the forms (people, dossiers).
 */
import { data } from "@remix-run/node";
import { candidateName } from "~/domain/identity";
import { prisma } from "~/platform/db/db.server";
import { DOSSIER_STATUS_LABELS, type DossierStatus } from "~/domain/completeness";
import {
  habilitationStateForSession,
  recusedPanelShortfall,
  seatRequiresHabilitation,
  type HabilitationState,
} from "~/domain/eligibility";
import { isShortNotice, nextSlotStart, readPhaseDurations, toParisParts } from "~/domain/planning";
import { recusals } from "~/domain/jury-vote";
import type { Prisma } from "~/platform/db/db.server";
import { assessPlanning, habilitationsOf, loadSessionForPlanning, NOT_FOUND, type PlanningContext } from "./planning-context.server";
import { formatLongDay } from "~/domain/paris-date";

/**
 * A jury's candidates to whom members are linked — trainer, evaluator, declared conflict — so that each is recused for
 * that candidate (French warnings): every chair (president and vice-president), and nobody could conduct the
 * deliberation; or so many members that those left cannot make the quorum, and the jury could not decide at all.
 */
async function recusalWarnings(tx: Prisma.TransactionClient, ctx: PlanningContext, certificationId: string): Promise<string[]> {
  const chairs = ctx.seats.filter((s) => s.role === "PRESIDENT" || s.role === "VICE_PRESIDENT");
  if (ctx.session.kind !== "JURY") return [];
  // A panel short of members anyway is a blocking error already (checkComposition): only recusals are told here.
  const panelComplete = recusedPanelShortfall(ctx.seats, new Set(), ctx.rules.jury).length === 0;
  const members = ctx.seats.map((s) => ({ userId: s.userId, role: s.role, college: s.college }));
  const conflicts = await tx.juryConflictDeclaration.findMany({
    where: { agendaItemId: { in: ctx.session.agenda.map((a) => a.id) }, conflict: true },
    select: { agendaItemId: true, userId: true },
  });
  const evaluatorsOf = await evaluatorsOfAgenda(tx, ctx.session.agenda, certificationId);
  const warnings: string[] = [];
  for (const item of ctx.session.agenda) {
    const candidate = item.dossier.candidate;
    const evaluatorIds = evaluatorsOf(item);
    const recused = recusals(members, {
      declaredConflictIds: conflicts.filter((c) => c.agendaItemId === item.id).map((c) => c.userId),
      trainerId: candidate.trainerId,
      evaluatorIds,
    });
    const name = candidateName(candidate, { givenNames: "first" });
    const shortfall = panelComplete ? recusedPanelShortfall(ctx.seats, recused, ctx.rules.jury) : [];
    if (shortfall.length > 0) {
      const who = ctx.seats
        .filter((s) => recused.has(s.userId))
        .map((s) => `${s.displayName} (${recused.get(s.userId)!.toLowerCase()})`)
        .join(", ");
      warnings.push(
        `${name} : ${who} ${recused.size > 1 ? "sont récusés" : "est récusé"} pour ce candidat, et le jury ne peut plus atteindre son quorum sur son dossier (${shortfall.join(" ; ")}). Faites siéger un autre membre habilité ou retirez ce dossier de l'ordre du jour.`,
      );
    }
    if (chairs.length === 0 || !chairs.every((c) => recused.has(c.userId))) continue;
    const chair = (c: (typeof chairs)[number]) =>
      `${c.role === "PRESIDENT" ? "le président" : "le vice-président"} (${c.displayName}, ${recused.get(c.userId)!.toLowerCase()})`;
    const why =
      chairs.length > 1
        ? `${chairs.map(chair).join(" et ")} sont tous deux récusés pour ce candidat`
        : `${chair(chairs[0]!)} est récusé pour ce candidat, et aucun ${chairs[0]!.role === "PRESIDENT" ? "vice-président" : "président"} n'est désigné`;
    warnings.push(`${name} : ${why}. Personne ne pourra conduire sa délibération : changez la présidence ou retirez ce dossier de l'ordre du jour.`);
  }
  return warnings;
}

/**
 * The evaluators of every agenda item's candidate in one statement (the rule of evaluatorIdsOfDossier in
 * app/live/jury/jury-context.server.ts: the sealed passages of the dossier, or of the candidate without a dossier in a
 * commission of the certification), rather than one read per candidate.
 */
async function evaluatorsOfAgenda(
  tx: Prisma.TransactionClient,
  agenda: PlanningContext["session"]["agenda"],
  certificationId: string,
): Promise<(item: PlanningContext["session"]["agenda"][number]) => string[]> {
  if (agenda.length === 0) return () => [];
  const slots = await tx.sessionSlot.findMany({
    where: {
      OR: [
        { dossierId: { in: agenda.map((a) => a.dossierId) } },
        {
          dossierId: null,
          candidateId: { in: agenda.map((a) => a.dossier.candidate.id) },
          session: { referentialVersion: { certificationId } },
        },
      ],
      session: { kind: "COMMISSION" },
      sealedHash: { not: null },
    },
    select: {
      dossierId: true,
      candidateId: true,
      session: { select: { members: { where: { role: { in: ["PRESIDENT", "MEMBER"] } }, select: { userId: true } } } },
    },
  });
  return (item) => [
    ...new Set(
      slots
        .filter((s) => s.dossierId === item.dossierId || (s.dossierId === null && s.candidateId === item.dossier.candidate.id))
        .flatMap((s) => s.session.members.map((m) => m.userId)),
    ),
  ];
}

export function habilitationLabel(state: HabilitationState): string {
  switch (state.kind) {
    case "valid":
      return `habilité(e) jusqu'au ${formatLongDay(state.validUntil)}`;
    case "expired":
      return `habilitation expirée le ${formatLongDay(state.validUntil)}`;
    case "notYetValid":
      return `habilitation valable à partir du ${formatLongDay(state.validFrom)}`;
    case "missing":
      return "sans habilitation";
  }
}

export async function getSessionPlanning(sessionId: string, organisationId: string, now = new Date()) {
  const result = await prisma.$transaction(async (tx) => {
    const ctx = await loadSessionForPlanning(tx, sessionId, organisationId, { lock: false });
    if (!ctx) return null;
    const { session, certification } = ctx;
    const memberships = await tx.membership.findMany({
      where: { organisationId },
      select: { role: true, user: { select: { id: true, displayName: true, email: true } } },
      orderBy: { user: { displayName: "asc" } },
    });
    // Everyone who may be seated and everyone seated, read once: the seats' checks and the form's choices.
    const habilitations = certification
      ? await habilitationsOf(tx, [...new Set([...memberships.map((m) => m.user.id), ...ctx.seats.map((s) => s.userId)])], certification.id)
      : new Map<string, Array<{ validFrom: Date; validUntil: Date }>>();
    const assessed = await assessPlanning(tx, ctx, habilitations);
    const issues = certification
      ? { ...assessed, warnings: [...assessed.warnings, ...(await recusalWarnings(tx, ctx, certification.id))] }
      : assessed;

    const stateOf = (userId: string) => habilitationStateForSession(habilitations.get(userId) ?? [], session.startsAt);

    const dossiers = certification
      ? await tx.dossier.findMany({
          where: { organisationId, certificationId: certification.id, status: { notIn: ["WITHDRAWN", "DECIDED"] } },
          select: {
            id: true,
            status: true,
            candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true } },
          },
          orderBy: [{ candidate: { birthName: "asc" } }, { createdAt: "asc" }],
        })
      : [];
    const slotted = new Set(session.slots.map((s) => s.candidateId));
    const onAgenda = new Set(session.agenda.map((a) => a.dossierId));
    const { date, time: startTime } = toParisParts(session.startsAt);
    const phaseDurations = readPhaseDurations(session.phaseDurations);

    return {
      session: {
        id: session.id,
        kind: session.kind,
        title: session.title,
        status: session.status,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        date,
        startTime,
        endTime: toParisParts(session.endsAt).time,
        remote: session.remote,
        place: session.place,
        remoteMeans: session.remoteMeans,
        phaseDurations,
        editable: session.status === "PLANNED",
      },
      certification: certification
        ? {
            id: certification.id,
            code: certification.code,
            title: certification.title,
            version: session.referentialVersion?.version ?? null,
            evaluatorMustNotBeTrainer: ctx.rules.evaluatorMustNotBeTrainer,
            jury: ctx.rules.jury,
          }
        : null,
      members: session.members.map((m) => ({
        id: m.id,
        userId: m.userId,
        displayName: m.user.displayName,
        email: m.user.email,
        role: m.role,
        college: m.college,
        convokedAt: m.convokedAt,
        habilitation: seatRequiresHabilitation(m.role) ? habilitationLabel(stateOf(m.userId)) : null,
      })),
      slots: session.slots.map((s) => ({
        id: s.id,
        candidate: candidateName(s.candidate, { givenNames: "first" }),
        startTime: toParisParts(s.startsAt).time,
        endTime: toParisParts(s.endsAt).time,
      })),
      agenda: session.agenda.map((a) => ({
        id: a.id,
        dossierId: a.dossierId,
        candidate: candidateName(a.dossier.candidate, { givenNames: "first" }),
        status: DOSSIER_STATUS_LABELS[a.dossier.status as DossierStatus],
      })),
      issues,
      shortNotice: isShortNotice(session.kind, session.startsAt, now),
      convocations: {
        convened: session.members.filter((m) => m.convokedAt !== null).length,
        pending: session.members.filter((m) => m.convokedAt === null).length,
      },
      nextSlotStartTime: toParisParts(nextSlotStart(session, session.slots)).time,
      options: {
        people: memberships
          .filter((m) => !session.members.some((s) => s.userId === m.user.id))
          .map((m) => ({
            id: m.user.id,
            label: `${m.user.displayName} — ${habilitationLabel(stateOf(m.user.id))}`,
          })),
        dossiers: dossiers
          .filter((d) => (session.kind === "COMMISSION" ? !slotted.has(d.candidate.id) : !onAgenda.has(d.id)))
          .map((d) => ({
            id: d.id,
            label: `${candidateName(d.candidate, { givenNames: "first" })} — ${DOSSIER_STATUS_LABELS[d.status as DossierStatus]}`,
          })),
      },
    };
    // One snapshot for the whole page, without locking the session (a read-only REPEATABLE READ never fails).
  }, { isolationLevel: "RepeatableRead" });
  if (!result) throw data(NOT_FOUND, { status: 404 });
  return result;
}
