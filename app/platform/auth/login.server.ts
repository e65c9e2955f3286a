/**
 * Use case: sign in with e-mail and password, with rate limiting per account and per address.
 */
import { prisma } from "~/platform/db/db.server";
import { hashPassword, verifyPassword } from "./password.server";
import { createAuthSession } from "./session.server";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export const WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.";
export const TOO_MANY_ATTEMPTS = "Trop de tentatives de connexion. Réessayez dans 15 minutes.";

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; error: string };

let dummyHash: Promise<string> | undefined;

/** Too many failed password checks for this account or this address in the window (login and re-authentication). */
async function isThrottled(email: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const [emailFailures, ipFailures] = await Promise.all([
    prisma.loginAttempt.count({ where: { email, succeeded: false, createdAt: { gte: since } } }),
    prisma.loginAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } }),
  ]);
  return emailFailures >= MAX_FAILURES_PER_EMAIL || ipFailures >= MAX_FAILURES_PER_IP;
}

/**
 * Re-authentication of a signed-in user (signing a grid): the same password check and the same throttle as the
 * login, so the signing form cannot be used to guess a password. Returns a French refusal, or null when verified.
 */
export async function reauthenticate(userId: string, password: string, ip: string | null): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) return WRONG_PASSWORD;
  const address = ip ?? "inconnue";
  if (await isThrottled(user.email, address)) return TOO_MANY_ATTEMPTS;
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid) await prisma.loginAttempt.create({ data: { email: user.email, ip: address, succeeded: false } });
  return valid ? null : WRONG_PASSWORD;
}

export const WRONG_PASSWORD = "Mot de passe incorrect : la signature n'a pas été enregistrée.";

export async function attemptLogin(input: {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const ip = input.ip ?? "inconnue";
  if (await isThrottled(email, ip)) {
    await prisma.loginAttempt.create({ data: { email, ip, succeeded: false } });
    return { ok: false, error: TOO_MANY_ATTEMPTS };
  }

  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  // Same work whether or not the account exists, so timing does not reveal registered addresses.
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await (dummyHash ??= hashPassword("quorum-timing-equaliser")), input.password).then(() => false);

  await prisma.loginAttempt.create({ data: { email, ip, succeeded: valid } });
  if (!user || !valid) return { ok: false, error: WRONG_CREDENTIALS };

  const { token, expiresAt } = await createAuthSession(user.id, { ip: input.ip, userAgent: input.userAgent });
  return { ok: true, token, expiresAt, userId: user.id };
}
