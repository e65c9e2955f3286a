/**
 * Delivers e-mails kept in the OutboxEmail table. Every e-mail is first written there, in the transaction of the
 * change that causes it (nothing is sent for a change that rolled back); then, when SMTP_URL is set, it is handed
 * to the SMTP relay through nodemailer (docs/decisions/0007-nodemailer.md) and marked sent (sentAt) or failed
 * (error). Without SMTP_URL the e-mails stay in the outbox, which the secretariat reads at /outbox.
 *
 *   SMTP_URL=smtp://user:password@relay.example:587   (STARTTLS when the server offers it)
 *   SMTP_URL=smtps://user:password@relay.example:465  (TLS from the start)
 *   SMTP_URL=smtp://127.0.0.1:1025?tls=off            (local catcher: never upgrade)
 *   MAIL_FROM="CPNEF <convocations@cpnef.example>"   sender address (default: Quorum <no-reply@localhost>)
 */
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { prisma } from "~/platform/db/db.server";

export type MailAddress = { name?: string | null; email: string };

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

/** nodemailer options from SMTP_URL (smtp:// or smtps://, credentials in the URL, `?tls=off` never upgrades). */
export function smtpOptions(value: string): SMTPTransport.Options {
  const url = new URL(value);
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new Error(`SMTP_URL: unsupported scheme ${url.protocol}`);
  const secure = url.protocol === "smtps:";
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ignoreTLS: url.searchParams.get("tls") === "off",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  };
}

let transport: { url: string; transporter: Transporter<SMTPTransport.SentMessageInfo> } | undefined;
function transporterFor(url: string) {
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(smtpOptions(url)) };
  return transport.transporter;
}

export const ICS_FILE_NAME = "convocation.ics";

export type DeliveryReport = { mode: "outbox" } | { mode: "smtp"; sent: number; failed: number };

/** Sends the given outbox e-mails that are not sent yet (SMTP_URL set), one at a time. */
export async function deliverEmails(ids: readonly string[]): Promise<DeliveryReport> {
  const url = smtpUrl();
  if (!url) return { mode: "outbox" };
  const transporter = transporterFor(url);
  const from = mailFrom();
  const emails = await prisma.outboxEmail.findMany({ where: { id: { in: [...ids] }, sentAt: null } });
  let sent = 0;
  let failed = 0;
  for (const email of emails) {
    try {
      await transporter.sendMail({
        from: from.name ? { name: from.name, address: from.email } : from.email,
        to: email.to,
        subject: email.subject,
        text: email.text,
        attachments: email.ics
          ? [
              {
                filename: ICS_FILE_NAME,
                content: email.ics,
                contentType: "text/calendar; charset=utf-8; method=PUBLISH",
                contentTransferEncoding: "base64",
              },
            ]
          : [],
      });
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
