/**
 * Delivers e-mails kept in the OutboxEmail table. Every e-mail is first written there, in the transaction of the
 * change that causes it (nothing is sent for a change that rolled back); then, when SMTP_URL is set, it is handed
 * to the SMTP relay through nodemailer (docs/decisions/0007-nodemailer.md) and marked sent (sentAt) or failed
 * (error). Without SMTP_URL the e-mails stay in the outbox, which the secretariat reads at /outbox.
 *
 * The outbox is a queue shared by the server processes (one or several, scale mode): an e-mail written while a relay
 * is configured is due at once (`queuedForRelay`, in its own transaction); the use case hands it to the relay right
 * after its commit (`deliverEmails`), and the runner every server starts (`startOutboxDelivery`) sends what is still
 * due — an e-mail whose process was killed before it reached the relay, one the relay refused (again after 1, 2, 4…
 * minutes, given up after MAX_ATTEMPTS), one whose use case does not wait for the relay (the decision notices).
 * Sending claims the e-mail first (one statement, `FOR UPDATE SKIP LOCKED`, its `nextAttemptAt` becomes the end of a
 * lease): two processes never hand the same e-mail over at once; a process killed mid-send leaves it to be taken back
 * once its lease ran out. A kill between the relay's acceptance and the `sentAt` write sends it once more: a relay
 * hands over at least once.
 *
 *   SMTP_URL=smtp://user:password@relay.example:587   (STARTTLS when the server offers it)
 *   SMTP_URL=smtps://user:password@relay.example:465  (TLS from the start)
 *   SMTP_URL=smtp://127.0.0.1:1025?tls=off            (local catcher: never upgrade)
 *   MAIL_FROM="CPNEF <convocations@cpnef.example>"   sender address (default: Quorum <no-reply@localhost>)
 */
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { prisma, type OutboxEmail } from "~/platform/db/db.server";
import { drainLoop } from "~/platform/workers/drain-loop.server";

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

/** Hand-overs to the relay tried before an e-mail is given up (marked failed for good). */
const MAX_ATTEMPTS = 6;
/** Longer than one hand-over can take (connection 15 s, greeting 15 s, socket 30 s): a live sender's claim never runs out. */
const LEASE_MS = 2 * 60_000;
/** How often the runner looks at the queue. */
const POLL_MS = 30_000;

/**
 * The delivery fields of an e-mail being written (spread into `outboxEmail.create`'s data): due to the relay now when
 * one is configured; otherwise it stays in the outbox, and a relay configured later does not send it.
 */
export function queuedForRelay(now = new Date()): { nextAttemptAt: Date | null } {
  return { nextAttemptAt: smtpUrl() ? now : null };
}

/**
 * Claims due e-mails (those given, or the oldest due) for this process: one more attempt, `nextAttemptAt` = the end
 * of its lease. An e-mail another process is claiming is skipped, one it holds (lease running) is not due.
 */
async function claimDue(ids: readonly string[] | null, limit: number): Promise<OutboxEmail[]> {
  const now = new Date();
  const lease = new Date(now.getTime() + LEASE_MS);
  if (ids) {
    if (ids.length === 0) return [];
    return prisma.$queryRaw<OutboxEmail[]>`
      UPDATE "OutboxEmail" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${lease}
      WHERE "id" IN (
        SELECT "id" FROM "OutboxEmail" WHERE "id" = ANY(${[...ids]}::text[]) AND "sentAt" IS NULL AND "nextAttemptAt" <= ${now}
        ORDER BY "createdAt" FOR UPDATE SKIP LOCKED
      )
      RETURNING *`;
  }
  return prisma.$queryRaw<OutboxEmail[]>`
    UPDATE "OutboxEmail" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${lease}
    WHERE "id" IN (
      SELECT "id" FROM "OutboxEmail" WHERE "sentAt" IS NULL AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
}

/** Hands claimed e-mails to the relay one at a time, each marked sent, or failed (due again later, or given up). */
async function send(url: string, emails: OutboxEmail[]): Promise<{ sent: number; failed: number }> {
  const transporter = transporterFor(url);
  const from = mailFrom();
  let sent = 0;
  let failed = 0;
  for (const email of emails.sort((x, y) => new Date(x.createdAt).getTime() - new Date(y.createdAt).getTime())) {
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
      await prisma.outboxEmail.update({ where: { id: email.id }, data: { sentAt: new Date(), error: null, nextAttemptAt: null } });
      sent++;
    } catch (error) {
      failed++;
      const reason = error instanceof Error ? error.message : String(error);
      const retry = email.attempts < MAX_ATTEMPTS ? new Date(Date.now() + 60_000 * 2 ** (email.attempts - 1)) : null;
      await prisma.outboxEmail.update({ where: { id: email.id }, data: { error: reason.slice(0, 500), nextAttemptAt: retry } });
    }
  }
  return { sent, failed };
}

/**
 * Sends the given outbox e-mails that are due (SMTP_URL set), one at a time: those another process is sending, or
 * already sent, are left alone (not counted).
 */
export async function deliverEmails(ids: readonly string[]): Promise<DeliveryReport> {
  const url = smtpUrl();
  if (!url) return { mode: "outbox" };
  return { mode: "smtp", ...(await send(url, await claimDue(ids, ids.length))) };
}

type Logger = { info(message: string): void; error(message: string, error?: unknown): void };

/**
 * The outbox runner (server.ts, when SMTP_URL is set): at start, then every `pollMs`, sends the e-mails still due,
 * a batch at a time, until none is.
 */
export function startOutboxDelivery(options: { logger: Logger; pollMs?: number }): { kick(): void; stop(): Promise<void> } {
  const url = smtpUrl();
  if (!url) return { kick() {}, async stop() {} };
  const pollMs = options.pollMs ?? Number(process.env.QUORUM_OUTBOX_POLL_MS ?? POLL_MS);
  const loop = drainLoop(
    async (stopping) => {
      for (let batch = await claimDue(null, 10); batch.length > 0 && !stopping(); batch = stopping() ? [] : await claimDue(null, 10)) {
        const { sent, failed } = await send(url, batch);
        if (failed > 0) options.logger.error(`[mail] ${failed} courriel(s) refusé(s) par le relais SMTP (nouvel essai plus tard)`);
        if (sent > 0) options.logger.info(`[mail] ${sent} courriel(s) en attente remis au relais SMTP`);
      }
    },
    (error: unknown) => options.logger.error("[mail] file d'envoi", error),
  );
  const kick = loop.kick;

  kick();
  const poll = setInterval(kick, pollMs);
  poll.unref();
  return {
    kick,
    async stop() {
      clearInterval(poll);
      await loop.stop();
    },
  };
}
