/**
 * A MIME message (RFC 5322 + RFC 2045/2046/2047): UTF-8 text body and optional attachments, base64-encoded so
 * that no line exceeds 76 characters and no 8-bit data reaches a 7-bit SMTP server.
 */
import { randomBytes } from "node:crypto";

export type MailAddress = { name?: string | null; email: string };

export type MailAttachment = { fileName: string; contentType: string; content: string };

export type MailMessage = {
  from: MailAddress;
  to: MailAddress;
  replyTo?: MailAddress | null;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
};

const CRLF = "\r\n";

/** "=?UTF-8?B?…?=" for any header text that is not plain printable ASCII. */
export function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7E]*$/.test(value)) return value;
  // Encoded words are at most 75 characters: split the UTF-8 text on code points into chunks of ≤ 45 bytes.
  const words: string[] = [];
  let chunk = "";
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join(`${CRLF} `);
}

export function formatAddress(address: MailAddress): string {
  if (/[\r\n<>]/.test(address.email)) throw new Error("invalid e-mail address");
  if (!address.name) return `<${address.email}>`;
  const name = address.name.replace(/[\r\n"]/g, "");
  const display = /^[\x20-\x7E]*$/.test(name) ? `"${name.replace(/\\/g, "\\\\")}"` : encodeHeaderWord(name);
  return `${display} <${address.email}>`;
}

function base64Lines(content: string): string {
  return (Buffer.from(content, "utf8").toString("base64").match(/.{1,76}/g) ?? []).join(CRLF);
}

/** The whole message, CRLF line endings, ready for SMTP DATA (before dot-stuffing). */
export function buildMimeMessage(message: MailMessage, options: { date?: Date; messageIdDomain?: string } = {}): string {
  const boundary = `quorum-${randomBytes(12).toString("hex")}`;
  const domain = options.messageIdDomain ?? (message.from.email.split("@")[1] || "quorum.local");
  const headers = [
    `From: ${formatAddress(message.from)}`,
    `To: ${formatAddress(message.to)}`,
    ...(message.replyTo ? [`Reply-To: ${formatAddress(message.replyTo)}`] : []),
    `Subject: ${encodeHeaderWord(message.subject.replace(/[\r\n]+/g, " "))}`,
    `Date: ${(options.date ?? new Date()).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${randomBytes(16).toString("hex")}@${domain}>`,
    "MIME-Version: 1.0",
  ];
  const textPart = [
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.text),
  ].join(CRLF);
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) {
    return [...headers, textPart].join(CRLF) + CRLF;
  }
  const parts = [textPart];
  for (const a of attachments) {
    const fileName = a.fileName.replace(/["\r\n\\]/g, "");
    parts.push(
      [
        `Content-Type: ${a.contentType}; name="${fileName}"`,
        "Content-Transfer-Encoding: base64",
        `Content-Disposition: attachment; filename="${fileName}"`,
        "",
        base64Lines(a.content),
      ].join(CRLF),
    );
  }
  return (
    [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", "This is a MIME message."].join(CRLF) +
    CRLF +
    parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join("") +
    `--${boundary}--${CRLF}`
  );
}
