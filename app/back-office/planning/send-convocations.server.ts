/**
 * Convenes a planned session's members: one e-mail each with the session as an iCalendar attachment, written to
 * the outbox and the seat's convokedAt set in one transaction, then handed to SMTP when configured. Refused while
 * something blocks the session (habilitation, conflict of interest, composition). A jury convened less than
 * 15 days ahead is sent anyway, with a warning. The candidates of a commission who have an e-mail address are
 * convened with it: their passage time, the place or how to join at a distance, what to bring, and their own
 * .ics (a jury's candidates are not convened: they do not attend the deliberation).
 */
import type { Actor, Refusal, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { COLLEGE_LABELS, formatWeekdayDate, frenchTime, SESSION_KIND_LABELS } from "~/domain/format";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { SEAT_LABELS } from "~/domain/access";
import { buildCalendar, remoteLocation } from "~/domain/ical";
import { isShortNotice } from "~/domain/planning";
import { deliverEmails, queuedForRelay, type DeliveryReport } from "~/platform/mail/deliver-emails.server";
import {
  assessPlanning,
  isRefusal,
  loadEditableSession,
  refuse,
  toCandidateRef,
} from "./planning-context.server";

export type ConvocationScope = "pending" | "all";


export async function sendConvocations(
  sessionId: string,
  input: { scope: ConvocationScope; baseUrl: string },
  actor: Actor,
  now = new Date(),
): Promise<Result<{ count: number; candidates: number; shortNotice: boolean; delivery: DeliveryReport }>> {
  const outcome = await prisma.$transaction((tx) => writeConvocations(tx, sessionId, input, actor, now));
  if (!outcome.ok) return outcome;
  const delivery = await deliverEmails([...outcome.emailIds, ...outcome.candidateEmailIds]);
  return {
    ok: true,
    count: outcome.emailIds.length,
    candidates: outcome.candidateEmailIds.length,
    shortNotice: outcome.shortNotice,
    delivery,
  };
}

/**
 * The convocations written inside the caller's transaction (the outbox rows dated `now`, the seats' convokedAt, the
 * audit event), not yet handed to SMTP: sendConvocations above, and the demo seed (prisma/seed/demo.ts), which convenes
 * its commission as the secretariat would have.
 */
export async function writeConvocations(
  tx: Prisma.TransactionClient,
  sessionId: string,
  input: { scope: ConvocationScope; baseUrl: string },
  actor: Actor,
  now: Date,
): Promise<Refusal | { ok: true; emailIds: string[]; candidateEmailIds: string[]; shortNotice: boolean }> {
  const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
  if (isRefusal(ctx)) return ctx;
  const { session, certification } = ctx;
  if (session.members.length === 0) return refuse(["Aucun membre ne siège encore : il n'y a personne à convoquer."]);
  const { errors } = await assessPlanning(tx, ctx);
  if (errors.length > 0) return refuse(["Convocations impossibles tant que ces points ne sont pas réglés :", ...errors]);

  const recipients =
    input.scope === "all" ? session.members : session.members.filter((m) => m.convokedAt === null);
  const candidateSlots = [];
  if (session.kind === "COMMISSION") {
    for (const slot of session.slots) {
      const address = slot.candidate.email?.trim();
      if (!address) continue;
      const already =
        input.scope === "pending" &&
        (await tx.outboxEmail.count({ where: { sessionId: session.id, to: address, subject: { startsWith: "Votre convocation" } } })) > 0;
      if (!already) candidateSlots.push({ slot, address });
    }
  }
  if (recipients.length === 0 && candidateSlots.length === 0) return refuse(["Tous les membres ont déjà été convoqués."]);

  const organizer = await tx.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { displayName: true, email: true },
  });
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: actor.organisationId },
    select: { name: true },
  });

  const kindLabel = SESSION_KIND_LABELS[session.kind];
  const day = formatWeekdayDate(session.startsAt);
  const from = frenchTime(session.startsAt);
  const to = frenchTime(session.endsAt);
  const where = session.remote ? remoteLocation(session.remoteMeans) : (session.place ?? "");
  const sessionUrl = `${input.baseUrl}/sessions/${session.id}`;
  const programme =
    session.kind === "COMMISSION"
      ? session.slots.length > 0
        ? [
            "Ordre de passage :",
            ...session.slots.map(
              (s) =>
                `- ${frenchTime(s.startsAt)} – ${frenchTime(s.endsAt)} : ${toCandidateRef(s.candidate).name}`,
            ),
          ]
        : ["Ordre de passage : à venir."]
      : session.agenda.length > 0
        ? ["Ordre du jour :", ...session.agenda.map((a, i) => `${i + 1}. Dossier de ${toCandidateRef(a.dossier.candidate).name}`)]
        : ["Ordre du jour : à venir."];
  const referential = session.referentialVersion;
  const certificationLine = certification
    ? `Certification : ${certification.title} (${certification.code})${referential ? ` — référentiel version ${referential.version}` : ""}`
    : null;

  const emailIds: string[] = [];
  for (const member of recipients) {
    const seat = `${SEAT_LABELS[member.role]}${member.college ? `, ${COLLEGE_LABELS[member.college]}` : ""}`;
    const description = [
      `${kindLabel} — vous siégez en qualité de : ${seat}.`,
      ...(certificationLine ? [certificationLine] : []),
      ...programme,
      `Accès à la session : ${sessionUrl}`,
    ].join("\n");
    const sequence = await tx.outboxEmail.count({ where: { sessionId: session.id, to: member.user.email } });
    const ics = buildCalendar({
      uid: `session-${session.id}@quorum`,
      dtstamp: now,
      start: session.startsAt,
      end: session.endsAt,
      summary: `${kindLabel} — ${session.title}`,
      location: session.remote ? null : session.place,
      remoteMeans: session.remoteMeans,
      description,
      organizer: { name: `${organizer.displayName} (${organisation.name})`, email: organizer.email },
      sequence,
      url: sessionUrl,
    });
    const text = [
      `Bonjour ${member.user.displayName},`,
      "",
      `Vous êtes convoqué(e) à la session « ${session.title} » (${kindLabel.toLowerCase()}), en qualité de : ${seat}.`,
      "",
      ...(certificationLine ? [certificationLine] : []),
      `Date : ${day}, de ${from} à ${to} (heure de Paris)`,
      `Lieu : ${where}`,
      "",
      ...programme,
      "",
      `Accès à la session : ${sessionUrl}`,
      "",
      "Le fichier joint (convocation.ics) ajoute la session à votre agenda.",
      "Si vous avez un lien avec l'un des candidats (formation, employeur, famille), signalez-le au secrétariat avant la session.",
      "",
      organizer.displayName,
      organisation.name,
      organizer.email,
    ].join("\n");
    const email = await tx.outboxEmail.create({
      data: {
        organisationId: actor.organisationId,
        to: member.user.email,
        subject: `Convocation : ${session.title} — ${day}`,
        text,
        ics,
        sessionId: session.id,
        createdAt: now,
        ...queuedForRelay(now),
      },
    });
    emailIds.push(email.id);
    await tx.sessionMember.update({ where: { id: member.id }, data: { convokedAt: now } });
  }
  const candidateEmailIds: string[] = [];
  for (const { slot, address } of candidateSlots) {
    const candidate = toCandidateRef(slot.candidate).name;
    const passage = `${frenchTime(slot.startsAt)} – ${frenchTime(slot.endsAt)}`;
    const bring = session.remote
      ? [
          "À prévoir :",
          "- votre pièce d'identité en cours de validité, à présenter à la caméra ;",
          "- un ordinateur avec caméra et micro, et une connexion testée avant le jour de l'épreuve ;",
          "- un endroit calme ; connectez-vous 15 minutes avant votre heure de passage.",
        ]
      : [
          "À apporter :",
          "- votre pièce d'identité en cours de validité ;",
          "- cette convocation ;",
          "- les documents demandés par votre organisme de formation, le cas échéant.",
          "Présentez-vous 15 minutes avant votre heure de passage.",
        ];
    const join = session.remote
      ? [`Épreuve à distance${session.remoteMeans?.trim() ? ` (${session.remoteMeans.trim()})` : ""} : le lien de connexion vous est communiqué par le secrétariat ; en cas de difficulté, contactez-le à l'adresse ci-dessous.`]
      : [];
    const ics = buildCalendar({
      uid: `slot-${slot.id}@quorum`,
      dtstamp: now,
      start: slot.startsAt,
      end: slot.endsAt,
      summary: `Votre passage — ${kindLabel} — ${certification?.title ?? session.title}`,
      location: session.remote ? null : session.place,
      remoteMeans: session.remoteMeans,
      description: [`Passage de ${candidate} : ${passage}.`, ...(certificationLine ? [certificationLine] : []), ...bring].join("\n"),
      organizer: { name: `${organizer.displayName} (${organisation.name})`, email: organizer.email },
      sequence: await tx.outboxEmail.count({ where: { sessionId: session.id, to: address } }),
      url: input.baseUrl,
    });
    const text = [
      `Bonjour ${candidate},`,
      "",
      `Vous êtes convoqué(e) à votre évaluation (${kindLabel.toLowerCase()}).`,
      ...(certificationLine ? [certificationLine] : []),
      "",
      `Date : ${day}`,
      `Heure de passage : ${passage} (heure de Paris)`,
      `Lieu : ${where}`,
      ...join,
      "",
      ...bring,
      "",
      "Le fichier joint (convocation.ics) ajoute votre passage à votre agenda.",
      "En cas d'empêchement, prévenez le secrétariat au plus vite.",
      "",
      organizer.displayName,
      organisation.name,
      organizer.email,
    ].join("\n");
    const email = await tx.outboxEmail.create({
      data: {
        organisationId: actor.organisationId,
        to: address,
        subject: `Votre convocation : ${certification?.title ?? session.title} — ${day} à ${frenchTime(slot.startsAt)}`,
        text,
        ics,
        sessionId: session.id,
        createdAt: now,
        ...queuedForRelay(now),
      },
    });
    candidateEmailIds.push(email.id);
  }
  const shortNotice = isShortNotice(session.kind, session.startsAt, now);
  await recordAudit(tx, {
    organisationId: actor.organisationId,
    actorId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    action: "session.convocations.send",
    subjectType: "Session",
    subjectId: session.id,
    data: {
      scope: input.scope,
      recipients: recipients.map((m) => ({ userId: m.userId, email: m.user.email, role: m.role })),
      emailIds,
      candidates: candidateSlots.map(({ slot, address }) => ({ candidateId: slot.candidate.id, email: address })),
      candidateEmailIds,
      shortNotice,
    },
  });
  return { ok: true as const, emailIds, candidateEmailIds, shortNotice };
}
