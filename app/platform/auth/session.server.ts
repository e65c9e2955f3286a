/**
 * Login sessions, following Lucia's current recipe: a random token in an HttpOnly SameSite=Lax cookie, only its
 * SHA-256 stored, sliding expiry. No framework types here: the websocket upgrade uses it too.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { prisma, type Prisma } from "~/platform/db/db.server";
import type { OrgRole } from "~/domain/permissions";
import { trustProxyFromEnv } from "~/platform/security/request-origin";
import { ACCESS_ACTIONS, recordAccessIn } from "~/platform/audit/record-access.server";

/** Behind an HTTPS proxy (TRUST_PROXY) the cookie is `Secure` and `__Host-` prefixed (no Domain, Path=/). */
export const SESSION_COOKIE = trustProxyFromEnv() ? "__Host-quorum_session" : "quorum_session";
const MINUTE_MS = 60 * 1000;

/** Idle timeout (SESSION_IDLE_MINUTES, default 120) and absolute lifetime (SESSION_MAX_HOURS, default 12). */
export function sessionTimeouts(env: Record<string, string | undefined> = process.env) {
  const positive = (raw: string | undefined, fallback: number) => {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    idleMs: positive(env.SESSION_IDLE_MINUTES, 120) * MINUTE_MS,
    absoluteMs: positive(env.SESSION_MAX_HOURS, 12) * 60 * MINUTE_MS,
  };
}
/** lastSeenAt is written at most this often (one write per minute per session, not one per request). */
const touchEveryMs = (idleMs: number) => Math.min(MINUTE_MS, idleMs / 4);

export type SessionUser = { id: string; email: string; displayName: string };
/** One of the user's organisation roles (oldest first), read with the session. */
export type SessionMembership = { role: OrgRole; organisation: { id: string; name: string } };
export type ValidSession = {
  id: string;
  expiresAt: Date;
  renewed: boolean;
  user: SessionUser;
  memberships: SessionMembership[];
  /** The organisation chosen in the header (a stored preference, re-checked against `memberships`: activeMembership). */
  activeOrganisationId: string | null;
};

/** The user's memberships, oldest first: what a session carries (app/platform/auth/memberships.server.ts). */
export const MEMBERSHIP_SELECT = {
  orderBy: { createdAt: "asc" },
  select: { role: true, organisation: { select: { id: true, name: true } } },
} as const;

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
  db: Prisma.TransactionClient = prisma,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const now = Date.now();
  const { idleMs, absoluteMs } = sessionTimeouts();
  const expiresAt = new Date(now + absoluteMs); // the absolute end; idleness is measured from lastSeenAt
  await db.authSession.create({
    data: {
      id: sessionIdFromToken(token),
      userId,
      expiresAt,
      lastSeenAt: new Date(now),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    },
  });
  return { token, expiresAt: new Date(Math.min(now + idleMs, expiresAt.getTime())) };
}

/**
 * Returns the session and its user, or null for an unknown, forged, idle or expired token (such rows are removed).
 * `expiresAt` is when the cookie should expire: the earlier of the idle and the absolute end; `renewed` says the
 * idle end moved (the cookie is sent again).
 */
export async function validateSessionToken(token: string): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  // One query (relation joins): the session (with its chosen organisation), its user and the user's memberships.
  const row = await prisma.authSession.findUnique({
    where: { id },
    include: { user: { select: { id: true, email: true, displayName: true, memberships: MEMBERSHIP_SELECT } } },
  });
  if (!row) return null;
  const now = Date.now();
  const { idleMs } = sessionTimeouts();
  if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + idleMs <= now) {
    await prisma.authSession.deleteMany({ where: { id } });
    return null;
  }
  let renewed = false;
  if (now - row.lastSeenAt.getTime() >= touchEveryMs(idleMs)) {
    await prisma.authSession.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
    renewed = true;
  }
  const expiresAt = new Date(Math.min(now + idleMs, row.expiresAt.getTime()));
  const { memberships, ...user } = row.user;
  return { id, expiresAt, renewed, user, memberships, activeOrganisationId: row.activeOrganisationId };
}

export type SessionListing = {
  id: string;
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
};

/** « Mes sessions »: the user's open sessions, most recent first (expired ones are not listed). */
export async function listUserSessions(userId: string, currentSessionId: string): Promise<SessionListing[]> {
  const { idleMs } = sessionTimeouts();
  const now = Date.now();
  const rows = await prisma.authSession.findMany({
    where: { userId, expiresAt: { gt: new Date(now) }, lastSeenAt: { gt: new Date(now - idleMs) } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
  return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}

/**
 * Of these login sessions' ids, those that still exist and have not reached their absolute end (SESSION_MAX_HOURS): the
 * others were signed out, closed from « Mes sessions », by a password change or reset, or expired (their websockets
 * are closed: realtime/sign-in-sweep.ts). The idle end is not applied here: a member typing in a live document for
 * hours sends no HTTP request that would renew it.
 */
export async function openSignInIds(ids: string[]): Promise<Set<string>> {
  // Past its absolute end the login session is over, even while its row waits for the next request to remove it: its
  // websockets (opened shortly before that end) kept writing for as long as they stayed open.
  const rows = await prisma.authSession.findMany({ where: { id: { in: ids }, expiresAt: { gt: new Date() } }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/** Revokes one of the user's own sessions (another user's id revokes nothing). Returns whether one was revoked. */
/**
 * « Fermer cette session » (« Mes sessions »): closes one of the user's own sessions (another device), recorded in the
 * audit trail in the same transaction, as a sign-out is. Answers whether there was one to close.
 */
export async function revokeUserSession(
  userId: string,
  sessionId: string,
  meta: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.authSession.deleteMany({ where: { id: sessionId, userId } });
    if (count === 0) return false;
    // The session's id is the SHA-256 of its cookie: the trail names it by a prefix, enough to tell sessions apart.
    const event = { action: ACCESS_ACTIONS.sessionRevoked, actorId: userId, subjectType: "User", subjectId: userId, data: { session: sessionId.slice(0, 12) }, ...meta };
    await recordAccessIn(tx, event);
    return true;
  });
}

/**
 * « Fermer les autres sessions » (« Mes sessions »): closes every session of the user but the current one (a lost
 * phone, a shared computer left signed in), recorded in the audit trail in the same transaction. Answers how many.
 */
export async function revokeOtherSessions(
  userId: string,
  keepSessionId: string,
  meta: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.authSession.deleteMany({ where: { userId, id: { not: keepSessionId } } });
    if (count === 0) return 0;
    const event = { action: ACCESS_ACTIONS.sessionRevoked, actorId: userId, subjectType: "User", subjectId: userId, data: { others: count }, ...meta };
    await recordAccessIn(tx, event);
    return count;
  });
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

/** The session cookie; `Secure` whenever the cookie name carries the `__Host-` prefix (TRUST_PROXY). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  secure ||= SESSION_COOKIE.startsWith("__Host-");
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
  secure ||= SESSION_COOKIE.startsWith("__Host-");
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join(
    "; ",
  );
}

/** Resolves the user behind a cookie header (HTTP requests and websocket upgrades alike). */
export async function authenticateCookieHeader(cookieHeader: string | null | undefined): Promise<ValidSession | null> {
  const token = readSessionToken(cookieHeader);
  return token ? validateSessionToken(token) : null;
}
