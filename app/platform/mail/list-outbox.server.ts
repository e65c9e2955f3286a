/**
 * The organisation's outbox: e-mails written by Quorum (convocations, notices, resets), newest first, a page at a time,
 * searched by recipient or subject and filtered by delivery state (a year of sessions writes thousands: each one stays
 * reachable); and one of them.
 */
import { data } from "@remix-run/node";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { smtpUrl } from "./deliver-emails.server";
import type { OutboxState } from "./outbox-states";
import { askedPage } from "~/domain/pagination";

/** E-mails per page. */
export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(organisationId: string, filter: { query?: string; state?: OutboxState | null } = {}, requestedPage = 1) {
  const words = (filter.query ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const where: Prisma.OutboxEmailWhereInput = {
    organisationId,
    AND: words.map((word) => ({
      OR: [{ to: { contains: word, mode: "insensitive" as const } }, { subject: { contains: word, mode: "insensitive" as const } }],
    })),
    ...(filter.state === "sent" ? { sentAt: { not: null } } : {}),
    ...(filter.state === "failed" ? { sentAt: null, error: { not: null } } : {}),
    ...(filter.state === "pending" ? { sentAt: null, error: null } : {}),
  };
  const asked = askedPage(requestedPage);
  const pageOf = (page: number) =>
    prisma.outboxEmail.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * OUTBOX_PAGE_SIZE,
      take: OUTBOX_PAGE_SIZE,
      select: { id: true, to: true, subject: true, createdAt: true, sentAt: true, error: true, ics: true, sessionId: true },
    });
  const [matching, askedEmails] = await Promise.all([prisma.outboxEmail.count({ where }), pageOf(asked)]);
  const pageCount = Math.max(1, Math.ceil(matching / OUTBOX_PAGE_SIZE));
  // A page past the end (a link kept, a typed number) shows the last one.
  const page = Math.min(asked, pageCount);
  const emails = page === asked ? askedEmails : await pageOf(page);
  return {
    smtp: smtpUrl() !== null,
    emails: emails.map(({ ics, ...e }) => ({ ...e, hasIcs: ics !== null })),
    matching,
    page,
    pageCount,
  };
}

/** Invitations and password resets carry a personal link: only its recipient reads it. */
export const CONFIDENTIAL_TEXT =
  "Contenu confidentiel : ce courriel contient un lien personnel (invitation ou réinitialisation du mot de passe), réservé à son destinataire ; il n'est pas affiché.";

export async function getOutboxEmail(emailId: string, organisationId: string) {
  const email = await prisma.outboxEmail.findFirst({ where: { id: emailId, organisationId } });
  if (!email) throw data("Ce courriel n'existe pas ou n'appartient pas à votre organisation.", { status: 404 });
  // A personal link (invitation, password reset) is for its recipient only: the secretariat sees that it was sent.
  return email.confidential ? { ...email, text: CONFIDENTIAL_TEXT } : email;
}
