/**
 * Login sessions, following Lucia's current recipe: a random token in an HttpOnly SameSite=Lax cookie, only its
 * SHA-256 stored, sliding expiry. No framework types here: the websocket upgrade uses it too.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { prisma } from "~/platform/db/db.server";

export const SESSION_COOKIE = "quorum_session";
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_DURATION_MS = 30 * DAY_MS;
/** A session used when less than this remains is extended to a full duration. */
const RENEW_BEFORE_MS = 15 * DAY_MS;

export type SessionUser = { id: string; email: string; displayName: string };
export type ValidSession = { id: string; expiresAt: Date; renewed: boolean; user: SessionUser };

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createAuthSession(
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_DURATION_MS);
  await prisma.authSession.create({
    data: { id: sessionIdFromToken(token), userId, expiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent ?? null },
  });
  return { token, expiresAt };
}

/** Returns the session and its user, or null for an unknown, forged or expired token (expired rows are removed). */
export async function validateSessionToken(token: string): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const row = await prisma.authSession.findUnique({
    where: { id },
    include: { user: { select: { id: true, email: true, displayName: true } } },
  });
  if (!row) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) {
    await prisma.authSession.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now < RENEW_BEFORE_MS) {
    expiresAt = new Date(now + SESSION_DURATION_MS);
    await prisma.authSession.update({ where: { id }, data: { expiresAt } });
    renewed = true;
  }
  return { id, expiresAt, renewed, user: row.user };
}

export async function invalidateAuthSession(sessionId: string): Promise<void> {
  await prisma.authSession.deleteMany({ where: { id: sessionId } });
}

/* ------------------------------------------------------------------------------------------------ cookies */

export function readCookie(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  return readCookie(cookieHeader, SESSION_COOKIE);
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join(
    "; ",
  );
}

/** Resolves the user behind a cookie header (HTTP requests and websocket upgrades alike). */
export async function authenticateCookieHeader(cookieHeader: string | null | undefined): Promise<ValidSession | null> {
  const token = readSessionToken(cookieHeader);
  return token ? validateSessionToken(token) : null;
}
