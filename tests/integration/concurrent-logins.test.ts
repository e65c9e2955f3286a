/**
 * Many people sign in at the same moment (the start of a jury sitting): every request gets a proper answer —
 * a session, or the form again with its French message — never a 500, and every right password opens a session
 * that works. Sign-outs and « mot de passe oublié » requests run in the same burst.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  type TestServer,
  login,
  postLoginFrom,
  sessionCookieFrom,
  startServer,
} from "../support/server";

const WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.";
const TOO_MANY_ATTEMPTS = "Trop de tentatives";
const ACCOUNTS = Object.values(DEMO_ACCOUNTS);
/**
 * Right passwords: every demo account many times, each from its own loopback address. A burst this size made
 * sign-ins' transactions wait past Prisma's 2 s default to start (P2028) and answer 500 on PGlite.
 */
const RIGHT = 150;
/** Wrong passwords on an account that also signs in (fewer than its 5 free failures) and on unknown addresses. */
const WRONG_ON_KNOWN = 4;
const WRONG_ON_UNKNOWN = 40;

type Outcome = { kind: "right" | "wrong"; email: string; status: number; cookie: string | null; body: string };

describe("simultaneous sign-ins", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(
    `answers ${RIGHT + WRONG_ON_KNOWN + WRONG_ON_UNKNOWN} simultaneous sign-ins, sign-outs and reset requests without a 5xx; every right password opens a working session`,
    { timeout: 180_000 },
    async () => {
      const { baseUrl } = server;
      // Sessions to close during the burst.
      const toClose = await Promise.all(ACCOUNTS.slice(0, 3).map((email) => login(baseUrl, email)));

      const attempt = async (kind: Outcome["kind"], email: string, password: string, address: string) => {
        const res = await postLoginFrom(baseUrl, address, email, password);
        return { kind, email, status: res.status, cookie: sessionCookieFrom(res), body: await res.text() };
      };
      const logins: Array<Promise<Outcome>> = [];
      for (let i = 0; i < RIGHT; i++) {
        logins.push(attempt("right", ACCOUNTS[i % ACCOUNTS.length], DEMO_PASSWORD, `127.0.1.${i + 1}`));
      }
      for (let i = 0; i < WRONG_ON_KNOWN; i++) {
        logins.push(attempt("wrong", DEMO_ACCOUNTS.president, `pas-le-bon-${i}`, `127.0.2.${i + 1}`));
      }
      for (let i = 0; i < WRONG_ON_UNKNOWN; i++) {
        logins.push(attempt("wrong", `inconnu-${i}@quorum.test`, DEMO_PASSWORD, `127.0.3.${i + 1}`));
      }
      const logouts = toClose.map((cookie) =>
        fetch(`${baseUrl}/logout`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: baseUrl } }),
      );
      const resets = [DEMO_ACCOUNTS.membre1, DEMO_ACCOUNTS.membre1, DEMO_ACCOUNTS.membre2, "inconnu@quorum.test"].map(
        (email) =>
          fetch(`${baseUrl}/mot-de-passe-oublie`, {
            method: "POST",
            redirect: "manual",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
            body: new URLSearchParams({ email }),
          }),
      );

      const [outcomes, closed, reset] = await Promise.all([
        Promise.all(logins),
        Promise.all(logouts),
        Promise.all(resets),
      ]);

      const failures = [...outcomes.map((o) => o.status), ...closed.map((r) => r.status), ...reset.map((r) => r.status)];
      expect(failures.filter((status) => status >= 500), server.logs().slice(-4000)).toEqual([]);
      expect(closed.map((r) => r.status)).toEqual(toClose.map(() => 302));
      expect(reset.map((r) => r.status)).toEqual(resets.map(() => 200));

      for (const outcome of outcomes.filter((o) => o.kind === "wrong")) {
        expect(outcome.cookie).toBeNull();
        expect(outcome.status).toBe(200);
        expect(outcome.body.includes(WRONG_CREDENTIALS) || outcome.body.includes(TOO_MANY_ATTEMPTS)).toBe(true);
      }
      const right = outcomes.filter((o) => o.kind === "right");
      expect(right.map((o) => o.status)).toEqual(right.map(() => 302));
      // Each right password opened its own session, and each session opens the user's pages.
      const cookies = right.map((o) => o.cookie);
      expect(new Set(cookies).size).toBe(RIGHT);
      const pages = await Promise.all(
        cookies.map((cookie) =>
          fetch(`${baseUrl}/mes-sessions`, { redirect: "manual", headers: { Cookie: cookie ?? "" } }),
        ),
      );
      expect(pages.map((page) => page.status)).toEqual(pages.map(() => 200));
      // The closed sessions stay closed.
      for (const cookie of toClose) {
        const page = await fetch(`${baseUrl}/mes-sessions`, { redirect: "manual", headers: { Cookie: cookie } });
        expect(page.status).toBe(302);
      }
    },
  );
});
