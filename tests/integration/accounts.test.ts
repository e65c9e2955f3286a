/**
 * Accounts against the real production server: sign-out, idle and absolute session timeouts, « Mes sessions »
 * with revoke, password change (current password required, other sessions closed) and reset by e-mail
 * (single use, no account enumeration), e-mail through a fake SMTP relay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, login, postLogin, sessionCookieFrom, startServer, type TestServer } from "../support/server";
import { mailText as textOf, startFakeSmtp } from "../support/fake-smtp";
import { decodeHtml, readPage } from "../support/html";
import { connectGrid, findCommission, until } from "../support/clients";


async function waitFor<T>(probe: () => Promise<T | null> | T | null, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const form = (baseUrl: string, path: string, fields: Record<string, string>, cookie?: string) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  });
const status = async (baseUrl: string, path: string, cookie: string) =>
  (await fetch(`${baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } })).status;

describe("accounts", () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    server = await startServer({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
        PUBLIC_URL: "https://quorum.example.fr",
        SESSION_IDLE_MINUTES: "0.05", // 3 s
        SESSION_MAX_HOURS: "0.002", // 7.2 s
        QUORUM_SIGN_IN_SWEEP_MS: "500", // the websockets of ended login sessions looked for twice a second
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it("signs out: the cookie no longer opens a page", async () => {
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.observateur);
    expect(await status(server.baseUrl, "/sessions", cookie)).toBe(200);
    const out = await form(server.baseUrl, "/logout", {}, cookie);
    expect(out.status).toBe(302);
    expect(await status(server.baseUrl, "/sessions", cookie)).toBe(302);
  });

  it("closes an idle session, and a used one at its absolute end", async () => {
    const idle = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    const used = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    const started = Date.now();
    // The used session stays open past the idle timeout while the idle one closes.
    await waitFor(async () => {
      expect(await status(server.baseUrl, "/sessions", used)).toBe(200);
      return Date.now() - started > 3_500 ? true : null;
    }, 10_000);
    expect(await status(server.baseUrl, "/sessions", idle)).toBe(302);
    // Absolute end (7.2 s) however active.
    await waitFor(async () => ((await status(server.baseUrl, "/sessions", used)) === 302 ? true : null), 10_000);
    expect(Date.now() - started).toBeGreaterThan(6_000);
  });

  it("closes the live documents a session opened once it reaches its absolute end", async () => {
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.observateur);
    const started = Date.now();
    const ids = await findCommission(server.baseUrl, cookie);
    const grid = connectGrid(server.baseUrl, ids.documentName, cookie);
    try {
      await until(() => grid.synced, "the observer follows the grid");
      // No page read meanwhile: only the websocket holds the session. At its end (7.2 s) the grid is closed for good,
      // as at a sign-out (it stayed open, its cookie dead, for as long as the connection lasted).
      await until(() => grid.closes.length > 0, "the grid closed at the session's end", { timeoutMs: 15_000 });
      expect(grid.closes[0]).toEqual({ code: 4401, reason: "Session fermée : reconnectez-vous pour continuer." });
      expect(grid.provider.shouldConnect).toBe(false);
      expect(Date.now() - started).toBeGreaterThan(6_000);
    } finally {
      grid.close();
    }
  });

  it("sends the cookie again with its later end once the session was used, whichever page answers", async () => {
    const signedIn = await postLogin(server.baseUrl, DEMO_ACCOUNTS.observateur, DEMO_PASSWORD);
    const cookie = sessionCookieFrom(signedIn)!;
    const expiryOf = (res: Response) => {
      const header = res.headers.getSetCookie().find((h) => h.startsWith(`${cookie}; `));
      return header ? Date.parse(/Expires=([^;]+)/.exec(header)![1]) : null;
    };
    const first = expiryOf(signedIn)!;
    expect(first).toBeGreaterThan(Date.now());
    // lastSeenAt is written at most every idle/4 (0.75 s here): each page below comes after such a wait, and renews.
    const renewedBy = async (path: string, after: number) => {
      return waitFor(async () => {
        const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
        await res.arrayBuffer();
        const expiry = expiryOf(res);
        return expiry !== null && expiry > after ? expiry : null;
      }, 2_500);
    };
    // A guarded page, then one whose loader never looks at the sign-in (GET /logout only redirects): the cookie read
    // meanwhile is renewed on both answers.
    const second = await renewedBy("/sessions", first);
    await renewedBy("/logout", second);
  });

  it("lists one's sessions and revokes another one", async () => {
    const mine = await login(server.baseUrl, DEMO_ACCOUNTS.president);
    const other = await login(server.baseUrl, DEMO_ACCOUNTS.president);
    const page = await (await fetch(`${server.baseUrl}/mes-sessions`, { headers: { Cookie: mine } })).text();
    expect(page).toContain("cette session");
    const ids = [...page.matchAll(/name="id" value="([0-9a-f]{64})"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect((await form(server.baseUrl, "/mes-sessions", { intent: "revoke", id }, mine)).status).toBe(302);
    expect(await status(server.baseUrl, "/sessions", other)).toBe(302);
    expect(await status(server.baseUrl, "/sessions", mine)).toBe(200);
  });

  it("closes every other session at once (« Fermer les autres sessions »), keeping this one", async () => {
    const email = DEMO_ACCOUNTS.membre3;
    const mine = await login(server.baseUrl, email);
    const lost = [await login(server.baseUrl, email), await login(server.baseUrl, email)];
    const before = await (await fetch(`${server.baseUrl}/mes-sessions`, { headers: { Cookie: mine } })).text();
    expect(before).toContain("Fermer les autres sessions");
    for (const cookie of lost) expect(await status(server.baseUrl, "/sessions", cookie)).toBe(200);
    const closed = await form(server.baseUrl, "/mes-sessions", { intent: "revoke-others" }, mine);
    expect(closed.status).toBe(302);
    for (const cookie of lost) expect(await status(server.baseUrl, "/sessions", cookie)).toBe(302);
    expect(await status(server.baseUrl, "/sessions", mine)).toBe(200);
    const after = await (await fetch(`${server.baseUrl}${closed.headers.get("location")}`, { headers: { Cookie: mine } })).text();
    expect(after).toContain("2 autres sessions fermées.");
    // Nothing left to close: the button is gone, and the command sent again closes nothing.
    expect(after).not.toContain("Fermer les autres sessions");
    const again = await form(server.baseUrl, "/mes-sessions", { intent: "revoke-others" }, mine);
    expect((await readPage(server.baseUrl, mine, again.headers.get("location")!)).text).toContain("Aucune autre session n'était ouverte.");
    expect(await status(server.baseUrl, "/sessions", mine)).toBe(200);
  });

  it("changes the password only with the current one, closing the other sessions", async () => {
    const email = DEMO_ACCOUNTS.membre2;
    const mine = await login(server.baseUrl, email);
    const other = await login(server.baseUrl, email);
    const wrong = await form(server.baseUrl, "/mes-sessions", { intent: "change-password", currentPassword: "non", password: "un-nouveau-secret", confirm: "un-nouveau-secret" }, mine);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Mot de passe actuel incorrect.");
    const ok = await form(server.baseUrl, "/mes-sessions", { intent: "change-password", currentPassword: DEMO_PASSWORD, password: "un-nouveau-secret", confirm: "un-nouveau-secret" }, mine);
    expect(ok.status).toBe(302);
    expect(await status(server.baseUrl, "/sessions", other)).toBe(302);
    expect(await status(server.baseUrl, "/sessions", mine)).toBe(200);
    expect(sessionCookieFrom(await postLogin(server.baseUrl, email, "un-nouveau-secret"))).not.toBeNull();
  });

  it("refuses a new password made only of spaces, in French at the field, and keeps the current one", async () => {
    const email = DEMO_ACCOUNTS.membre3;
    const mine = await login(server.baseUrl, email);
    const blank = " ".repeat(12);
    const refused = await form(server.baseUrl, "/mes-sessions", { intent: "change-password", currentPassword: DEMO_PASSWORD, password: blank, confirm: blank }, mine);
    expect(refused.status).toBe(400);
    expect(decodeHtml(await refused.text())).toContain("Le mot de passe ne peut pas être fait que d'espaces.");
    expect(sessionCookieFrom(await postLogin(server.baseUrl, email, DEMO_PASSWORD))).not.toBeNull();
    expect(sessionCookieFrom(await postLogin(server.baseUrl, email, blank))).toBeNull();
  });

  it("withdraws a reset link still unused when the password is changed from « Mes sessions »", async () => {
    const email = DEMO_ACCOUNTS.membre1;
    await form(server.baseUrl, "/mot-de-passe-oublie", { email });
    const mail = await waitFor(() => smtp.messages.find((m) => m.to.includes(email)) ?? null, 10_000);
    const token = /\/mot-de-passe-oublie\/([a-z2-7]{32})/.exec(textOf(mail.data))![1];
    const mine = await login(server.baseUrl, email);
    const changed = await form(server.baseUrl, "/mes-sessions", { intent: "change-password", currentPassword: DEMO_PASSWORD, password: "choisi-par-moi-1", confirm: "choisi-par-moi-1" }, mine);
    expect(changed.status).toBe(302);
    // The older link would have replaced the password just chosen (by whoever holds the e-mail).
    const used = await form(server.baseUrl, `/mot-de-passe-oublie/${token}`, { password: "pris-par-le-lien", confirm: "pris-par-le-lien" });
    expect(used.status).toBe(400);
    expect(await used.text()).toContain("n'est plus valable");
    expect(sessionCookieFrom(await postLogin(server.baseUrl, email, "choisi-par-moi-1"))).not.toBeNull();
  });

  it("refuses overlong fields in French: the forgotten password's address, the current password", async () => {
    const forgot = await form(server.baseUrl, "/mot-de-passe-oublie", { email: `${"a".repeat(400)}@quorum.test` });
    expect(forgot.status).toBe(400);
    const forgotPage = decodeHtml(await forgot.text());
    expect(forgotPage).toContain("Adresse e-mail trop longue.");
    expect(forgotPage).not.toContain("String must contain");
    const mine = await login(server.baseUrl, DEMO_ACCOUNTS.observateur);
    const change = await form(
      server.baseUrl,
      "/mes-sessions",
      { intent: "change-password", currentPassword: "x".repeat(600), password: "un-nouveau-secret", confirm: "un-nouveau-secret" },
      mine,
    );
    expect(change.status).toBe(400);
    const changePage = decodeHtml(await change.text());
    expect(changePage).toContain("Mot de passe trop long.");
    expect(changePage).not.toContain("String must contain");
  });

  it("resets a forgotten password by an e-mailed link, once; the answer never reveals whether the account exists", async () => {
    const known = await form(server.baseUrl, "/mot-de-passe-oublie", { email: DEMO_ACCOUNTS.secretariat });
    const unknown = await form(server.baseUrl, "/mot-de-passe-oublie", { email: "personne@quorum.test" });
    const message = "Si un compte correspond à cette adresse";
    expect(await known.text()).toContain(message);
    expect(await unknown.text()).toContain(message);
    const mail = await waitFor(() => smtp.messages.find((m) => m.to.includes(DEMO_ACCOUNTS.secretariat)) ?? null, 10_000);
    expect(smtp.messages.some((m) => m.to.includes("personne@quorum.test"))).toBe(false);
    const link = /https:\/\/quorum\.example\.fr\/mot-de-passe-oublie\/([a-z2-7]{32})/.exec(textOf(mail.data));
    expect(link).not.toBeNull();
    const path = `/mot-de-passe-oublie/${link![1]}`;
    const done = await form(server.baseUrl, path, { password: "secret-retrouve-1", confirm: "secret-retrouve-1" });
    expect(done.status).toBe(302);
    const again = await form(server.baseUrl, path, { password: "secret-retrouve-2", confirm: "secret-retrouve-2" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("n'est plus valable");
    expect(sessionCookieFrom(await postLogin(server.baseUrl, DEMO_ACCOUNTS.secretariat, "secret-retrouve-1"))).not.toBeNull();
    // The secretariat's outbox shows the e-mail was sent, never the link.
    const admin = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
    const outbox = await (await fetch(`${server.baseUrl}/outbox`, { headers: { Cookie: admin } })).text();
    const id = /href="\/outbox\/([^"/]+)"[^>]*>[^<]*réinitialisation/.exec(outbox)?.[1];
    if (id) expect(await (await fetch(`${server.baseUrl}/outbox/${id}`, { headers: { Cookie: admin } })).text()).not.toContain(link![1]);
  });
});
