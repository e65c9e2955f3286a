/**
 * The audit chain's secret, kept outside the database: AUDIT_HMAC_KEY (at least 32 characters), else a random
 * key created once in the data directory (audit-hmac.key, mode 0600). Losing it makes the chain unverifiable;
 * back it up apart from the database (README « Configuration »).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "~/platform/db/adapters.server";

export const AUDIT_KEY_FILE = "audit-hmac.key";
let cached: Uint8Array | undefined;

export function auditKeyFrom(env: Record<string, string | undefined>, directory: string): Uint8Array {
  const configured = env.AUDIT_HMAC_KEY?.trim();
  if (configured) {
    if (configured.length < 32) throw new Error("AUDIT_HMAC_KEY doit compter au moins 32 caractères.");
    return new TextEncoder().encode(configured);
  }
  const file = path.join(directory, AUDIT_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    try {
      // "wx": never overwrite a key another process has just created.
      writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, "utf8").trim();
  if (text.length < 32) throw new Error(`Clé d'audit illisible : ${file}`);
  return new TextEncoder().encode(text);
}

export function auditKey(): Uint8Array {
  return (cached ??= auditKeyFrom(process.env, dataDir()));
}
