/** The organisation's outbox: e-mails written by Quorum (convocations…), newest first, and one of them. */
import { data } from "@remix-run/node";
import { prisma } from "~/platform/db/db.server";
import { smtpUrl } from "./deliver-emails.server";

export async function listOutbox(organisationId: string, take = 200) {
  const emails = await prisma.outboxEmail.findMany({
    where: { organisationId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, createdAt: true, sentAt: true, error: true, ics: true, sessionId: true },
  });
  return {
    smtp: smtpUrl() !== null,
    emails: emails.map(({ ics, ...e }) => ({ ...e, hasIcs: ics !== null })),
  };
}

export const CONFIDENTIAL_TEXT = "Contenu confidentiel (lien personnel de réinitialisation du mot de passe) : non affiché.";

export async function getOutboxEmail(emailId: string, organisationId: string) {
  const email = await prisma.outboxEmail.findFirst({ where: { id: emailId, organisationId } });
  if (!email) throw data("Ce courriel n'existe pas ou n'appartient pas à votre organisation.", { status: 404 });
  // A personal link (password reset) is for its recipient only: the secretariat sees that it was sent.
  return email.confidential ? { ...email, text: CONFIDENTIAL_TEXT } : email;
}
