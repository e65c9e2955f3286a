/**
 * Use case: sign in with e-mail and password, throttled per account and per address with growing delays.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { LOGIN_WINDOW_MS, retryAfterMs, tooManyAttemptsMessage, type FailureCount } from "~/domain/login-throttle";
import { ACCESS_ACTIONS, recordAccessIn } from "~/platform/audit/record-access.server";
import { BURST_TRANSACTION, BUSY_MESSAGE, isDatabaseBusy } from "~/platform/db/busy.server";
import { hashPassword, verifyPassword } from "./password.server";
import { createAuthSession } from "./session.server";

export { LOGIN_WINDOW_MS } from "~/domain/login-throttle";

export const WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.";

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; error: string; throttled?: boolean; busy?: boolean };

let dummyHash: Promise<string> | undefined;

async function failuresOf(where: Prisma.LoginAttemptWhereInput, since: Date): Promise<FailureCount> {
  const result = await prisma.loginAttempt.aggregate({
    where: { ...where, succeeded: false, createdAt: { gte: since } },
    _count: { _all: true },
    _max: { createdAt: true },
  });
  return { count: result._count._all, last: result._max.createdAt };
}

/**
 * The French refusal while this account or address must wait (growing delays, app/domain/login-throttle.ts),
 * or null when a password check may run now.
 */
async function throttleRefusal(email: string, ip: string): Promise<string | null> {
  const now = new Date();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const [accountFromAddress, address, account] = await Promise.all([
    failuresOf({ email, ip }, since),
    failuresOf({ ip }, since),
    failuresOf({ email }, since),
  ]);
  const wait = retryAfterMs({ accountFromAddress, address, account }, now);
  return wait > 0 ? tooManyAttemptsMessage(wait) : null;
}

/**
 * Re-authentication of a signed-in user (signing a grid): the same password check and the same throttle as the
 * login, so the signing form cannot be used to guess a password. Returns a French refusal, or null when verified.
 */
export async function reauthenticate(userId: string, password: string, ip: string | null): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) return WRONG_PASSWORD;
  const address = ip ?? "inconnue";
  const throttled = await throttleRefusal(user.email, address);
  if (throttled) return throttled;
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
  // A refused attempt is not recorded: it cannot extend the delay (a stranger never holds the owner out).
  const throttled = await throttleRefusal(email, ip);
  if (throttled) return { ok: false, error: throttled, throttled: true };

  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  // Same work whether or not the account exists, so timing does not reveal registered addresses.
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await (dummyHash ??= hashPassword("quorum-timing-equaliser")), input.password).then(() => false);

  // The attempt, its audit event and the session: one transaction, which may queue behind a burst of sign-ins.
  try {
    return await prisma.$transaction(async (tx): Promise<LoginResult> => {
      await tx.loginAttempt.create({ data: { email, ip, succeeded: valid } });
      await recordAccessIn(tx, {
        action: valid ? ACCESS_ACTIONS.signIn : ACCESS_ACTIONS.signInFailed,
        actorId: valid && user ? user.id : null,
        subjectType: "User",
        subjectId: user?.id ?? email,
        data: { email },
        ip: input.ip,
        userAgent: input.userAgent,
        anchor: valid,
      });
      if (!user || !valid) return { ok: false, error: WRONG_CREDENTIALS };
      const meta = { ip: input.ip, userAgent: input.userAgent };
      const { token, expiresAt } = await createAuthSession(user.id, meta, tx);
      return { ok: true, token, expiresAt, userId: user.id };
    }, BURST_TRANSACTION);
  } catch (error) {
    // Nothing was written: the attempt counts for nothing and may be made again.
    if (isDatabaseBusy(error)) return { ok: false, error: BUSY_MESSAGE, busy: true };
    throw error;
  }
}
