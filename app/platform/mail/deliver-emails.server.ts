/**
 * Delivers e-mails kept in the OutboxEmail table. Every e-mail is first written there, in the transaction of the
 * change that causes it (nothing is sent for a change that rolled back); then, when SMTP_URL is set, it is handed
 * to the SMTP relay and marked sent (sentAt) or failed (error). Without SMTP_URL the e-mails stay in the outbox,
 * which the secretariat reads at /outbox.
 *
 *   MAIL_FROM="CPNEF <convocations@cpnef.example>"   sender address (default: Quorum <no-reply@localhost>)
 */
import { prisma } from "~/platform/db/db.server";
import { buildMimeMessage, type MailAddress } from "./mime.server";
import { parseSmtpUrl, sendSmtp } from "./smtp.server";

export function smtpUrl(): string | null {
  const value = process.env.SMTP_URL?.trim();
  return value ? value : null;
}

export function mailFrom(): MailAddress {
  const value = process.env.MAIL_FROM?.trim() || "Quorum <no-reply@localhost>";
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (match) return { name: match[1].replace(/^"|"$/g, "") || null, email: match[2] };
  return { email: value };
}

export const ICS_FILE_NAME = "convocation.ics";

export type DeliveryReport = { mode: "outbox" } | { mode: "smtp"; sent: number; failed: number };

/** Sends the given outbox e-mails that are not sent yet (SMTP_URL set), one at a time. */
export async function deliverEmails(ids: readonly string[]): Promise<DeliveryReport> {
  const url = smtpUrl();
  if (!url) return { mode: "outbox" };
  const config = parseSmtpUrl(url);
  const from = mailFrom();
  const emails = await prisma.outboxEmail.findMany({ where: { id: { in: [...ids] }, sentAt: null } });
  let sent = 0;
  let failed = 0;
  for (const email of emails) {
    try {
      const message = buildMimeMessage({
        from,
        to: { email: email.to },
        subject: email.subject,
        text: email.text,
        attachments: email.ics
          ? [{ fileName: ICS_FILE_NAME, contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: email.ics }]
          : [],
      });
      await sendSmtp(config, { from: from.email, to: email.to }, message);
      await prisma.outboxEmail.update({ where: { id: email.id }, data: { sentAt: new Date(), error: null } });
      sent++;
    } catch (error) {
      failed++;
      const reason = error instanceof Error ? error.message : String(error);
      await prisma.outboxEmail.update({ where: { id: email.id }, data: { error: reason.slice(0, 500) } });
    }
  }
  return { mode: "smtp", sent, failed };
}
