/**
 * The front door against the real production server: security headers and CSP nonce, body limits before reading,
 * 4xx for unknown methods and unreadable bodies, same-origin redirects after login, login throttling per address
 * and per account, TRUST_PROXY (trusted X-Forwarded-*, __Host- Secure cookie).
 */
import http from "node:http";
import { Agent, fetch as fetchThrough, FormData as UndiciFormData } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, login, postLogin, sessionCookieFrom, startServer, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { CROSS_SITE_MESSAGE } from "~/platform/security/origin.server";

const TOO_MANY = "Trop de tentatives";

/**
 * A form POSTed as `curl -X POST -b <cookie> -d …` sends it: no Origin, no Sec-Fetch-Site, unless `headers` add one.
 * Node's http client, so nothing is added behind the test's back.
 */
function curlPost(
  baseUrl: string,
  path: string,
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | undefined; text: string }> {
  const body = Buffer.from(new URLSearchParams(fields).toString());
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, baseUrl),
      {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A raw request whose declared length we choose; resolves with the status and how much body was accepted. */
function rawPost(baseUrl: string, path: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { Origin: baseUrl, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error) => ((error as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(error)));
    req.write(body);
    // The rest of the declared body is never sent: the answer must come without reading it.
  });
}

async function loginWhenAllowed(baseUrl: string, email: string, headers: Record<string, string>, withinMs: number) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await postLogin(baseUrl, email, DEMO_PASSWORD, headers);
    const cookie = sessionCookieFrom(res);
    if (cookie) return { cookie, res };
    const text = await res.text();
    if (!text.includes(TOO_MANY) || Date.now() > deadline) throw new Error(`not let through: ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("front door (direct, no proxy)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("sends security headers and a CSP nonce that Remix's inline scripts carry", async () => {
    const res = await fetch(`${server.baseUrl}/login`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${server.baseUrl}/login`);
    expect(again.headers.get("content-security-policy")).not.toContain(`'nonce-${nonce}'`);
    // Static files get the headers too.
    expect((await fetch(`${server.baseUrl}/favicon.svg`)).headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses an anonymous 100 MB POST to /login by its declared length, without reading it", async () => {
    const status = await rawPost(
      server.baseUrl,
      "/login",
      { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(100 * 1024 * 1024) },
      Buffer.from("email=a"),
    );
    expect(status).toBe(413);
  });

  it("answers a form whose body it does not read (a file sent after the session expired) and goes on on the same connection", async () => {
    // One connection for everything: each answer must come, and the next request on it must be read.
    const oneConnection = new Agent({ connections: 1 });
    try {
      const send = async (path: string, init: { method?: string; body?: UndiciFormData | URLSearchParams } = {}) => {
        const res = await fetchThrough(`${server.baseUrl}${path}`, { ...init, redirect: "manual", headers: { Origin: server.baseUrl }, dispatcher: oneConnection });
        await res.arrayBuffer();
        return { status: res.status, location: res.headers.get("location") };
      };
      // A 6 MB piece for a dossier, without a session: the sign-in guard redirects before the form is read.
      const upload = () => {
        const form = new UndiciFormData();
        form.set("intent", "upload-evidence");
        form.set("file", new Blob([new Uint8Array(6 * 1024 * 1024).fill(37)], { type: "application/pdf" }), "piece.pdf");
        return form;
      };
      for (let i = 0; i < 3; i++) {
        const answer = await send("/dossiers/cmquelconque000000000000", { method: "POST", body: upload() });
        expect(answer.status).toBe(302);
        expect(answer.location).toMatch(/^\/login/);
      }
      // A form under the general 1 MB limit but larger than the socket's buffers, to a page that refuses it unread.
      const fields = new URLSearchParams({ intent: "x", note: "é".repeat(400_000) });
      expect((await send("/dossiers/cmquelconque000000000000", { method: "POST", body: fields })).status).toBe(302);
      expect((await send("/login")).status).toBe(200);
    } finally {
      await oneConnection.close();
    }
  });

  it("answers a file over its page's limit in French, at the form or on the page, and goes on on the same connection", async () => {
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const oneConnection = new Agent({ connections: 1 });
    try {
      const send = async (path: string, body: UndiciFormData | URLSearchParams, extra: Record<string, string> = {}) => {
        const res = await fetchThrough(`${server.baseUrl}${path}`, {
          method: "POST",
          body,
          redirect: "manual",
          headers: { Origin: server.baseUrl, Cookie: cookie, ...extra },
          dispatcher: oneConnection,
        });
        return { status: res.status, text: decodeHtml(await res.text()) };
      };
      // An acknowledgement of the Caisse des Dépôts lists every passage: a large organisation's is over 1 MB.
      const acknowledgement = (passages: number) => {
        const ids = Array.from({ length: passages }, (_, i) => `<idTechnique>Q-${String(i).padStart(12, "0")}</idTechnique>`).join("\n");
        const form = new UndiciFormData();
        form.set("intent", "acknowledgement");
        form.set("file", new Blob([`<?xml version="1.0"?><rapport xmlns="urn:cdc:cpf:pc5:rapport:schema"><PassagesOK>${ids}</PassagesOK></rapport>`], { type: "text/xml" }), "accuse.xml");
        return form;
      };
      const read = await send("/declarations", acknowledgement(40_000)); // 1.7 MB
      expect(read.status).toBe(200);
      expect(read.text).toContain("Accusé importé : 0 passage accepté, 0 rejeté, 40000 passages inconnus");
      // Over the page's 5 MB: refused at its form, unread.
      const atForm = await send("/declarations", acknowledgement(150_000)); // 6.3 MB
      expect(atForm.status).toBe(413);
      expect(atForm.text).toContain("Fichier trop volumineux : un accusé de traitement de 5 Mo au plus.");
      expect(atForm.text).toContain("Importer l'accusé de traitement");
      // Over what the front door lets through: the page's error, as a page and as a client navigation's data.
      const page = await send("/declarations", acknowledgement(300_000)); // 12.6 MB
      expect(page.status).toBe(413);
      expect(page.text).toContain("Fichier trop volumineux");
      expect(page.text).toContain("le fichier dépasse la taille indiquée sur la page. Rien n'a été enregistré.");
      expect(page.text).toContain("Revenir au formulaire");
      // Inside the layout, with the signed-in user's header and menu (the root's loader ran above the page's boundary).
      expect(page.text).toContain('aria-label="Navigation principale"');
      expect(page.text).toContain("Se déconnecter");
      const data = await send("/declarations.data", acknowledgement(300_000));
      expect(data.status).toBe(413);
      expect(data.text).toContain("le fichier dépasse la taille indiquée sur la page.");
      // Any other form over 1 MB (the sign-in page: no one is signed in, nothing is read).
      const signIn = await send("/login", new URLSearchParams({ email: "a@b.fr", password: "x".repeat(2 * 1024 * 1024) }), { Cookie: "" });
      expect(signIn.status).toBe(413);
      expect(signIn.text).toContain("Envoi trop volumineux : 1 Mo au plus. Rien n'a été enregistré.");
      // Every body was read to its end: the connection takes the next request.
      const res = await fetchThrough(`${server.baseUrl}/login`, { dispatcher: oneConnection });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    } finally {
      await oneConnection.close();
    }
  });

  it("a download's or a command route's refusal is answered in French: text for a link, the refusal's JSON for a script", async () => {
    const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const member = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    const get = async (path: string, cookie: string, accept: string) => {
      const res = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie, Accept: accept } });
      return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
    };
    // A link followed by a browser (Accept: text/html): the message as text.
    const document = await get("/archives/nope/document.pdf", secretariat, "text/html,application/xhtml+xml");
    expect(document).toEqual({ status: 404, type: "text/plain; charset=utf-8", text: "Ce document n'existe pas ou ne fait pas partie de vos archives." });
    const figures = await get("/chiffres.csv", member, "text/html");
    expect(figures.status).toBe(403);
    expect(figures.text).toBe("Cette page est réservée au secrétariat et à l'administration.");
    // A script or a page's fetcher: the same shape as the routes' own refusals.
    const unknown = await get("/exports/nope.csv", secretariat, "*/*");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ ok: false, code: "NOT_FOUND", status: 404, formErrors: ["Export inconnu."], fieldErrors: {} });
    // The jury room's commands (a fetcher): a body over the limit is a refusal the room shows, in French.
    const tooLarge = await fetch(`${server.baseUrl}/sessions/any/jury`, {
      method: "POST",
      headers: { Cookie: member, Origin: server.baseUrl },
      body: new URLSearchParams({ intent: "declare", note: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { formErrors: string[] }).formErrors).toEqual(["Envoi trop volumineux : 1 Mo au plus. Rien n'a été enregistré."]);
  });

  it("answers JSON bodies, broken multipart and unknown methods with a 4xx, never a 500", async () => {
    const json = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.baseUrl },
      body: JSON.stringify({ email: "x" }),
    });
    expect(json.status).toBe(415);
    const multipart = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zzz", Origin: server.baseUrl },
      body: "--zzz\r\nnot a part",
    });
    expect(multipart.status).toBe(400);
    const put = await fetch(`${server.baseUrl}/login`, { method: "PUT", headers: { Origin: server.baseUrl } });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("never answers a 500 to a NUL character: refused in a URL, dropped from a form's text", async () => {
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const get = (path: string) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
    const post = (path: string, fields: Record<string, string>, who = cookie) =>
      fetch(`${server.baseUrl}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: who, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    for (const path of ["/candidates?q=%00", "/dossiers/%00", "/archives?session=a%00b"]) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toBe("Adresse invalide : elle contient un caractère nul.");
    }
    // A form's text: registered without the invisible characters (PostgreSQL refuses a NUL: it was a 500).
    const created = await post("/candidates/new", {
      birthName: "Nul\u0000lard",
      usageName: "",
      givenNames: "Cla\u0001ire",
      sex: "F",
      birthDate: "1991-06-02",
      birthCommune: "Nantes\u0000",
      birthDepartment: "44",
      birthCountry: "",
      email: "",
      phone: "",
      employer: "",
      trainerId: "",
      trainerName: "",
    });
    expect(created.status).toBe(302);
    const page = decodeHtml(await (await get(created.headers.get("location") ?? "")).text());
    expect(page).toContain("Claire NULLARD");
    expect(page.includes("\u0000") || page.includes("\u0001")).toBe(false);
    // An identifier holding one: the usual French refusal.
    const candidateId = /href="\/candidates\/(c[a-z0-9]+)"/.exec(decodeHtml(await (await get("/candidates?q=durand")).text()))?.[1];
    const dossierId = /href="\/dossiers\/(c[a-z0-9]+)"/.exec(decodeHtml(await (await get(`/candidates/${candidateId}`)).text()))?.[1];
    expect(dossierId).toBeDefined();
    const removal = await post(`/dossiers/${dossierId}`, { intent: "delete-evidence", evidenceId: "\u0000" });
    expect(removal.status).toBeLessThan(500);
    const signIn = await fetch(`${server.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
      body: new URLSearchParams({ email: "a\u0000@quorum.test", password: "x" }),
    });
    expect(signIn.status).toBeLessThan(500);
  });

  it.each([["/\t/evil.example/x"], ["//evil.example/"], ["/\\evil.example"], ["/\n/evil.example"]])(
    "redirects to / after login, never off-site, for redirectTo=%j",
    async (redirectTo) => {
      const res = await fetch(`${server.baseUrl}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
        body: new URLSearchParams({ email: DEMO_ACCOUNTS.observateur, password: DEMO_PASSWORD, redirectTo }),
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
    },
  );

  it("refuses a signed-in secretariat's form POSTed without Origin (curl with the session cookie): 403 in French, nothing created", async () => {
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const candidate = {
      birthName: "Sansorigine",
      usageName: "",
      givenNames: "Lucie",
      sex: "F",
      birthDate: "1990-03-14",
      birthCommune: "Tours",
      birthDepartment: "37",
      birthCountry: "",
      email: "",
      phone: "",
      employer: "",
      trainerId: "",
      trainerName: "",
    };
    const search = async () => decodeHtml(await (await fetch(`${server.baseUrl}/candidates?q=Sansorigine`, { headers: { Cookie: cookie } })).text());
    const none = "Aucun candidat ne correspond à votre recherche.";

    const refused = await curlPost(server.baseUrl, "/candidates/new", cookie, candidate);
    expect(refused.status).toBe(403);
    expect(refused.text).toBe(CROSS_SITE_MESSAGE);
    expect(await search()).toContain(none);
    // A browser that says it comes from another site, or an Origin « null », is refused the same way.
    const foreign: Array<Record<string, string>> = [{ Origin: server.baseUrl, "Sec-Fetch-Site": "cross-site" }, { Origin: "null" }, { Origin: "http://evil.example" }];
    for (const headers of foreign) {
      const res = await curlPost(server.baseUrl, "/candidates/new", cookie, candidate, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toBe(CROSS_SITE_MESSAGE);
    }
    expect(await search()).toContain(none);
    // Signing out without Origin is refused too: the session still opens the pages.
    expect((await curlPost(server.baseUrl, "/logout", cookie, {})).status).toBe(403);
    expect((await fetch(`${server.baseUrl}/candidates`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);

    // The same form as the browser sends it (its Origin, Sec-Fetch-Site same-origin): the candidate is created.
    const created = await curlPost(server.baseUrl, "/candidates/new", cookie, candidate, { Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" });
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/candidates\/c[a-z0-9]+$/);
    expect(await search()).toContain("Lucie SANSORIGINE");
  });

  it("ignores X-Forwarded-Host when no proxy is trusted", async () => {
    const res = await postLogin(server.baseUrl, DEMO_ACCOUNTS.admin, DEMO_PASSWORD, {
      Origin: "https://proxy.example",
      "X-Forwarded-Host": "proxy.example",
    });
    expect(res.status).toBe(403);
  });
});

describe("front door behind a trusted proxy (TRUST_PROXY=1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: "1" } });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const from = (address: string) => ({ "X-Forwarded-For": address });

  it("sets a __Host- Secure session cookie and trusts X-Forwarded-Host and -Proto (HSTS)", async () => {
    const res = await postLogin(server.baseUrl, DEMO_ACCOUNTS.admin, DEMO_PASSWORD, {
      Origin: "https://proxy.example",
      "X-Forwarded-Host": "proxy.example",
      "X-Forwarded-Proto": "https",
      ...from("198.51.100.1"),
    });
    expect(res.status).toBe(302);
    const setCookie = res.headers.getSetCookie().find((h) => h.startsWith("__Host-quorum_session="));
    expect(setCookie).toMatch(/;\s*Secure/);
    expect(setCookie).toMatch(/;\s*Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
  });

  it("per address: an address that failed on many accounts waits; another address does not", async () => {
    const attacker = from("203.0.113.7");
    for (let i = 0; i < 10; i++) {
      const res = await postLogin(server.baseUrl, `inconnu${i}@quorum.test`, "x", attacker);
      expect(await res.text()).toContain("Adresse e-mail ou mot de passe incorrect.");
    }
    const blocked = await postLogin(server.baseUrl, DEMO_ACCOUNTS.secretariat, DEMO_PASSWORD, attacker);
    expect(sessionCookieFrom(blocked)).toBeNull();
    expect(await blocked.text()).toContain(TOO_MANY);
    const other = await postLogin(server.baseUrl, DEMO_ACCOUNTS.secretariat, DEMO_PASSWORD, from("203.0.113.8"));
    expect(sessionCookieFrom(other)).not.toBeNull();
  });

  it("per account: strangers' failures delay the owner's correct password from a new address only briefly", async () => {
    const email = DEMO_ACCOUNTS.membre1;
    for (let i = 0; i < 6; i++) {
      const res = await postLogin(server.baseUrl, email, "devine", from(`192.0.2.${10 + i}`));
      expect(sessionCookieFrom(res)).toBeNull();
    }
    const owner = from("198.51.100.42");
    const first = await postLogin(server.baseUrl, email, DEMO_PASSWORD, owner);
    expect(sessionCookieFrom(first)).toBeNull();
    expect(await first.text()).toMatch(/Réessayez dans \d+ seconde/);
    // Within the per-account cap (60 s): here 2 s after the 6th failure.
    const { cookie } = await loginWhenAllowed(server.baseUrl, email, owner, 10_000);
    expect(cookie).toMatch(/^__Host-quorum_session=/);
  });
});
