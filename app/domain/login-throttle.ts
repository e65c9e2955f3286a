/**
 * Login throttling: growing delays, never a hard lock a stranger controls. Three scopes are counted over the
 * window (failed password checks in the last 15 minutes):
 * - the account from this address: 3 free failures, then 2 s, 4 s, 8 s… up to 15 minutes;
 * - this address, whatever the account: 10 free failures, then 1 s, 2 s, 4 s… up to 15 minutes;
 * - the account from any address: 5 free failures, then 1 s, 2 s… but never more than 60 s, so the owner's
 *   correct password from a new address works after at most a minute, however many failures strangers caused.
 * Attempts refused because of a delay are not counted (they cannot extend it).
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export type ThrottleRule = { freeFailures: number; baseMs: number; capMs: number };

export const THROTTLE_RULES = {
  accountFromAddress: { freeFailures: 3, baseMs: 2_000, capMs: LOGIN_WINDOW_MS },
  address: { freeFailures: 10, baseMs: 1_000, capMs: LOGIN_WINDOW_MS },
  account: { freeFailures: 5, baseMs: 1_000, capMs: 60_000 },
} as const satisfies Record<string, ThrottleRule>;

export type ThrottleScope = keyof typeof THROTTLE_RULES;

/** Failures of one scope within the window: how many, and when the last one happened. */
export type FailureCount = { count: number; last: Date | null };

/** The delay imposed after `count` failures in the window. */
export function delayAfter(count: number, rule: ThrottleRule): number {
  if (count < rule.freeFailures) return 0;
  const exponent = Math.min(count - rule.freeFailures, 30);
  return Math.min(rule.baseMs * 2 ** exponent, rule.capMs);
}

/** Milliseconds to wait before the next password check is allowed (0: now). */
export function retryAfterMs(failures: Record<ThrottleScope, FailureCount>, now: Date): number {
  let wait = 0;
  for (const scope of Object.keys(THROTTLE_RULES) as ThrottleScope[]) {
    const { count, last } = failures[scope];
    if (!last) continue;
    const until = last.getTime() + delayAfter(count, THROTTLE_RULES[scope]);
    wait = Math.max(wait, until - now.getTime());
  }
  return Math.max(0, wait);
}

/**
 * « Réessayez dans 8 secondes. » / « … dans 2 minutes. », said of what the password was typed for: signing in, or
 * re-typing it to sign (the same throttle guards both; a signatory is already signed in).
 */
export function tooManyAttemptsMessage(waitMs: number, purpose: "login" | "signature" = "login"): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const wait =
    seconds < 60
      ? `${seconds} seconde${seconds > 1 ? "s" : ""}`
      : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) > 1 ? "s" : ""}`;
  return purpose === "signature"
    ? `Trop d'essais de mot de passe : réessayez de signer dans ${wait}.`
    : `Trop de tentatives de connexion. Réessayez dans ${wait}.`;
}
