/**
 * Convenes a planned session's members: one e-mail each with the session as an iCalendar attachment, written to
 * the outbox and the seat's convokedAt set in one transaction, then handed to SMTP when configured. Refused while
 * something blocks the session (habilitation, conflict of interest, composition). A jury convened less than
 * 15 days ahead is sent anyway, with a warning.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { COLLEGE_LABELS, SESSION_KIND_LABELS } from "~/domain/format";
import { prisma } from "~/platform/db/db.server";
import { SEAT_LABELS } from "~/domain/access";
import { buildCalendar, remoteLocation } from "~/domain/ical";
import { isShortNotice, toParisParts } from "~/domain/planning";
import { deliverEmails, type DeliveryReport } from "~/platform/mail/deliver-emails.server";
import {
  assessPlanning,
  isRefusal,
  loadEditableSession,
  refuse,
  toCandidateRef,
} from "./planning-context.server";

export type ConvocationScope = "pending" | "all";

const longDate = new Intl.DateTimeFormat("fr-FR", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/Paris",
});

export async function sendConvocations(
  sessionId: string,
  input: { scope: ConvocationScope; baseUrl: string },
  actor: Actor,
  now = new Date(),
): Promise<Result<{ count: number; shortNotice: boolean; delivery: DeliveryReport }>> {
  const outcome = await prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const { session, certification } = ctx;
    if (session.members.length === 0) return refuse(["Aucun membre ne siège encore : il n'y a personne à convoquer."]);
    const { errors } = await assessPlanning(tx, ctx);
    if (errors.length > 0) return refuse(["Convocations impossibles tant que ces points ne sont pas réglés :", ...errors]);

    const recipients =
      input.scope === "all" ? session.members : session.members.filter((m) => m.convokedAt === null);
    if (recipients.length === 0) return refuse(["Tous les membres ont déjà été convoqués."]);

    const organizer = await tx.user.findUniqueOrThrow({
      where: { id: actor.userId },
      select: { displayName: true, email: true },
    });
    const organisation = await tx.organisation.findUniqueOrThrow({
      where: { id: actor.organisationId },
      select: { name: true },
    });

    const kindLabel = SESSION_KIND_LABELS[session.kind];
    const day = longDate.format(session.startsAt);
    const from = toParisParts(session.startsAt).time;
    const to = toParisParts(session.endsAt).time;
    const where = session.remote ? remoteLocation(session.remoteMeans) : (session.place ?? "");
    const sessionUrl = `${input.baseUrl}/sessions/${session.id}`;
    const programme =
      session.kind === "COMMISSION"
        ? session.slots.length > 0
          ? [
              "Ordre de passage :",
              ...session.slots.map(
                (s) =>
                  `- ${toParisParts(s.startsAt).time} – ${toParisParts(s.endsAt).time} : ${toCandidateRef(s.candidate).name}`,
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
        },
      });
      emailIds.push(email.id);
      await tx.sessionMember.update({ where: { id: member.id }, data: { convokedAt: now } });
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
        shortNotice,
      },
    });
    return { ok: true as const, emailIds, shortNotice };
  });
  if (!outcome.ok) return outcome;
  const delivery = await deliverEmails(outcome.emailIds);
  return { ok: true, count: outcome.emailIds.length, shortNotice: outcome.shortNotice, delivery };
}
