/**
 * Use case: sign in with e-mail and password, throttled per account and per address with growing delays.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { LOGIN_WINDOW_MS, retryAfterMs, tooManyAttemptsMessage, type FailureCount } from "~/domain/login-throttle";
import { ACCESS_ACTIONS, recordAccessIn } from "~/platform/audit/record-access.server";
import { BURST_TRANSACTION, BUSY_MESSAGE, isDatabaseBusy, refusingWhenBusy } from "~/platform/db/busy.server";
import { hashPassword, verifyPassword } from "./password.server";
import { createAuthSession } from "./session.server";

export { LOGIN_WINDOW_MS } from "~/domain/login-throttle";

export const WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.";
/** The right password of an account removed from every organisation (said only to whoever holds the password). */
export const NO_ORGANISATION =
  "Votre compte ne fait plus partie d'aucune organisation sur Quorum : adressez-vous à l'administration de votre organisation pour y être invité(e) à nouveau.";

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; error: string; throttled?: boolean; busy?: boolean };

let dummyHash: Promise<string> | undefined;

type Db = Prisma.TransactionClient | typeof prisma;

async function failuresOf(db: Db, where: Prisma.LoginAttemptWhereInput, since: Date): Promise<FailureCount> {
  const result = await db.loginAttempt.aggregate({
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
async function throttleRefusal(db: Db, email: string, ip: string, purpose: "login" | "signature"): Promise<string | null> {
  const now = new Date();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  // Attempts still being checked count as failures from their address (guesses sent at once from one place), not
  // for the account from anywhere: many right passwords of one account at once, from many places, all get in.
  const [accountFromAddress, address, account] = await Promise.all([
    failuresOf(db, { email, ip }, since),
    failuresOf(db, { ip }, since),
    failuresOf(db, { email, pending: false }, since),
  ]);
  const wait = retryAfterMs({ accountFromAddress, address, account }, now);
  return wait > 0 ? tooManyAttemptsMessage(wait, purpose) : null;
}

/**
 * The throttle's check and the attempt's reservation, in one short transaction serialised per account and per
 * address (advisory locks, the account's first, so two of them never wait for each other crosswise). The reserved
 * attempt counts as a failure from its address until its password check settles it (`settleAttempt`): guesses sent
 * all at once meet the delays they would meet one after the other, instead of all passing a check that saw none of
 * them. A refused attempt is not reserved: it cannot extend the delay (a stranger never holds the owner out).
 */
async function reserveAttempt(
  email: string,
  ip: string,
  purpose: "login" | "signature" = "login",
): Promise<{ attemptId: string } | { refusal: string }> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`login-account|${email}`}, 0))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`login-address|${ip}`}, 0))`;
    const refusal = await throttleRefusal(tx, email, ip, purpose);
    if (refusal) return { refusal };
    const attempt = await tx.loginAttempt.create({ data: { email, ip, succeeded: false, pending: true }, select: { id: true } });
    return { attemptId: attempt.id };
  }, BURST_TRANSACTION);
}

/** A reserved attempt once its password was checked: a success, or a failure for every scope. */
async function settleAttempt(db: Db, attemptId: string, succeeded: boolean): Promise<void> {
  await db.loginAttempt.update({ where: { id: attemptId }, data: { succeeded, pending: false } });
}

/**
 * Re-authentication of a signed-in user (signing a grid): the same password check and the same throttle as the
 * login, so the signing form cannot be used to guess a password. Returns a French refusal, or null when verified.
 */
export async function reauthenticate(userId: string, password: string, ip: string | null): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) return WRONG_PASSWORD;
  const address = ip ?? "inconnue";
  // Refused, it speaks of the signature's password, not of a login: the signatory is signed in.
  const reserved = await refusingWhenBusy(() => reserveAttempt(user.email, address, "signature"));
  if ("refusal" in reserved) return reserved.refusal;
  const valid = await verifyPassword(user.passwordHash, password);
  await settleAttempt(prisma, reserved.attemptId, valid);
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
  let reserved: Awaited<ReturnType<typeof reserveAttempt>>;
  try {
    reserved = await reserveAttempt(email, ip);
  } catch (error) {
    if (isDatabaseBusy(error)) return { ok: false, error: BUSY_MESSAGE, busy: true };
    throw error;
  }
  if ("refusal" in reserved) return { ok: false, error: reserved.refusal, throttled: true };

  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  // Same work whether or not the account exists (or waits for its invited owner to choose a password: an empty
  // hash), so timing does not reveal registered addresses.
  const valid = user && user.passwordHash !== ""
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await (dummyHash ??= hashPassword("quorum-timing-equaliser")), input.password).then(() => false);

  // The attempt's outcome, its audit event and the session: one transaction, which may queue behind a burst of
  // sign-ins. If it cannot run, the reserved attempt stays pending (a failure from this address: the safe side).
  try {
    return await prisma.$transaction(async (tx): Promise<LoginResult> => {
      await settleAttempt(tx, reserved.attemptId, valid);
      // An account removed from every organisation keeps its password (what it signed keeps its name) but no longer
      // signs in: its seats in closed sessions would otherwise still open their pages, dossiers and evidence.
      const removed = valid && user ? (await tx.membership.count({ where: { userId: user.id } })) === 0 : false;
      const signedIn = valid && !removed;
      await recordAccessIn(tx, {
        action: signedIn ? ACCESS_ACTIONS.signIn : ACCESS_ACTIONS.signInFailed,
        actorId: valid && user ? user.id : null,
        subjectType: "User",
        subjectId: user?.id ?? email,
        data: removed ? { email, reason: "no-organisation" } : { email },
        ip: input.ip,
        userAgent: input.userAgent,
        anchor: signedIn,
      });
      if (!user || !valid) return { ok: false, error: WRONG_CREDENTIALS };
      if (removed) return { ok: false, error: NO_ORGANISATION };
      const meta = { ip: input.ip, userAgent: input.userAgent };
      const { token, expiresAt } = await createAuthSession(user.id, meta, tx);
      return { ok: true, token, expiresAt, userId: user.id };
    }, BURST_TRANSACTION);
  } catch (error) {
    // Nothing of this transaction was written; the reserved attempt stays pending (a failure from this address).
    if (isDatabaseBusy(error)) return { ok: false, error: BUSY_MESSAGE, busy: true };
    throw error;
  }
}
