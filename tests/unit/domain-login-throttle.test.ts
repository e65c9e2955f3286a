import { describe, expect, it } from "vitest";
import { delayAfter, LOGIN_WINDOW_MS, retryAfterMs, THROTTLE_RULES, tooManyAttemptsMessage } from "~/domain/login-throttle";

const now = new Date("2026-12-02T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const none = { count: 0, last: null };

describe("login throttling: growing delays, no hard lock", () => {
  it("lets the first failures through, then doubles the delay", () => {
    const rule = THROTTLE_RULES.accountFromAddress;
    expect(delayAfter(2, rule)).toBe(0);
    expect(delayAfter(3, rule)).toBe(2_000);
    expect(delayAfter(4, rule)).toBe(4_000);
    expect(delayAfter(50, rule)).toBe(LOGIN_WINDOW_MS);
  });

  it("per address: an address that failed on many accounts waits, whatever the account", () => {
    const failures = { accountFromAddress: none, account: none, address: { count: 12, last: ago(500) } };
    expect(retryAfterMs(failures, now)).toBe(4_000 - 500);
    expect(retryAfterMs({ ...failures, address: { count: 9, last: ago(10) } }, now)).toBe(0);
  });

  it("per account from any address: strangers can hold the owner out for a minute at most", () => {
    const failures = { accountFromAddress: none, address: none, account: { count: 500, last: ago(0) } };
    expect(retryAfterMs(failures, now)).toBe(60_000);
    expect(retryAfterMs({ ...failures, account: { count: 500, last: ago(60_000) } }, now)).toBe(0);
  });

  it("the delay runs from the last failure: once it has passed, the next attempt is allowed", () => {
    const failures = { accountFromAddress: { count: 5, last: ago(8_000) }, address: none, account: none };
    expect(retryAfterMs(failures, now)).toBe(0);
    expect(retryAfterMs({ ...failures, accountFromAddress: { count: 5, last: ago(7_000) } }, now)).toBe(1_000);
  });

  it("says how long to wait, in French", () => {
    expect(tooManyAttemptsMessage(1_200)).toBe("Trop de tentatives de connexion. Réessayez dans 2 secondes.");
    expect(tooManyAttemptsMessage(900)).toBe("Trop de tentatives de connexion. Réessayez dans 1 seconde.");
    expect(tooManyAttemptsMessage(90_000)).toBe("Trop de tentatives de connexion. Réessayez dans 2 minutes.");
  });

  it("speaks of the signature's password, not of a login, to a signatory re-typing it", () => {
    expect(tooManyAttemptsMessage(1_200, "signature")).toBe("Trop d'essais de mot de passe : réessayez de signer dans 2 secondes.");
  });
});
