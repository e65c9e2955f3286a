/**
 * A small SMTP client (RFC 5321) over node:net / node:tls, enough to hand convocations to a relay:
 * EHLO, STARTTLS when offered (smtp://) or implicit TLS (smtps://), AUTH PLAIN when the URL has credentials,
 * one recipient per message, dot-stuffing. No dependency.
 *
 *   SMTP_URL=smtp://user:password@relay.example:587   (STARTTLS when the server offers it)
 *   SMTP_URL=smtps://user:password@relay.example:465  (TLS from the start)
 *   SMTP_URL=smtp://127.0.0.1:1025?tls=off            (local catcher: never upgrade)
 */
import net from "node:net";
import os from "node:os";
import tls from "node:tls";

export type SmtpConfig = {
  host: string;
  port: number;
  secure: boolean;
  startTls: "auto" | "off";
  user: string | null;
  password: string | null;
};

export function parseSmtpUrl(value: string): SmtpConfig {
  const url = new URL(value);
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new Error(`SMTP_URL: unsupported scheme ${url.protocol}`);
  const secure = url.protocol === "smtps:";
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    startTls: url.searchParams.get("tls") === "off" ? "off" : "auto",
    user: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

/** Escapes lines starting with a dot and terminates DATA (RFC 5321 §4.5.2). */
export function dotStuff(message: string): string {
  const normalised = message.replace(/\r?\n/g, "\r\n");
  const stuffed = normalised.replace(/^\./gm, "..");
  return `${stuffed.endsWith("\r\n") ? stuffed : `${stuffed}\r\n`}.\r\n`;
}

type Reply = { code: number; lines: string[] };

/** Reads SMTP replies (multi-line "250-…" up to "250 …") from a socket, one at a time. */
class ReplyReader {
  private buffer = "";
  private lines: string[] = [];
  private pending: Reply[] = [];
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  attach(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("utf8");
      this.drain();
    });
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("SMTP connection closed")));
  }

  private fail(error: Error) {
    this.failure ??= error;
    if (this.waiting) {
      this.waiting.reject(this.failure);
      this.waiting = null;
    }
  }

  private drain() {
    let index: number;
    while ((index = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, index).replace(/\r$/, "");
      this.buffer = this.buffer.slice(index + 1);
      this.lines.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.lines.map((l) => l.slice(4)) };
        this.lines = [];
        if (this.waiting) {
          this.waiting.resolve(reply);
          this.waiting = null;
        } else {
          this.pending.push(reply);
        }
      }
    }
  }

  next(): Promise<Reply> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

function connect(config: SmtpConfig, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = config.secure
      ? tls.connect({ host: config.host, port: config.port, servername: config.host })
      : net.connect({ host: config.host, port: config.port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error("SMTP timeout")));
    socket.once(config.secure ? "secureConnect" : "connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function upgrade(socket: net.Socket, host: string, timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    socket.removeAllListeners("data");
    socket.removeAllListeners("error");
    socket.removeAllListeners("close");
    const secure = tls.connect({ socket, servername: host });
    secure.setTimeout(timeoutMs, () => secure.destroy(new Error("SMTP timeout")));
    secure.once("secureConnect", () => resolve(secure));
    secure.once("error", reject);
  });
}

export type Envelope = { from: string; to: string };

/** Sends one message (already MIME-encoded, CRLF) to one recipient. Throws SmtpError on refusal. */
export async function sendSmtp(
  config: SmtpConfig,
  envelope: Envelope,
  message: string,
  options: { timeoutMs?: number; heloName?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const helo = options.heloName ?? (os.hostname() || "quorum.local");
  let socket = await connect(config, timeoutMs);
  const reader = new ReplyReader(socket);
  const expect = async (ok: number[], what: string) => {
    const reply = await reader.next();
    if (!ok.includes(reply.code)) {
      throw new SmtpError(`SMTP ${what} refusé : ${reply.code} ${reply.lines.join(" ")}`.trim(), reply.code);
    }
    return reply;
  };
  const command = async (line: string, ok: number[], what = line.split(" ")[0]) => {
    socket.write(`${line}\r\n`);
    return expect(ok, what);
  };
  try {
    await expect([220], "accueil");
    let ehlo = await command(`EHLO ${helo}`, [250]);
    const offersStartTls = ehlo.lines.some((l) => /^STARTTLS\b/i.test(l));
    if (!config.secure && config.startTls === "auto" && offersStartTls) {
      await command("STARTTLS", [220]);
      socket = await upgrade(socket, config.host, timeoutMs);
      reader.attach(socket);
      ehlo = await command(`EHLO ${helo}`, [250]);
    }
    if (config.user) {
      const token = Buffer.from(`\u0000${config.user}\u0000${config.password ?? ""}`, "utf8").toString("base64");
      await command(`AUTH PLAIN ${token}`, [235], "AUTH");
    }
    await command(`MAIL FROM:<${envelope.from}>`, [250], "MAIL FROM");
    await command(`RCPT TO:<${envelope.to}>`, [250, 251], "RCPT TO");
    await command("DATA", [354]);
    socket.write(dotStuff(message));
    await expect([250], "DATA");
    socket.write("QUIT\r\n");
    await expect([221], "QUIT").catch(() => undefined);
  } finally {
    socket.destroy();
  }
}
