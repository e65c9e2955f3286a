/**
 * Addresses a person edits, keeps or replays by hand, on the real server with the demo:
 * - a list's page number too large for the database's OFFSET (`1e308` and `99999999999999999999` are integers to
 *   JavaScript) shows the list's last page, as any page past the end does, instead of a 500; nonsense, the first;
 * - a form posted to a page that takes none is a French 405, without the router's English message naming its file;
 * - the declaration file's address opened again (it is made by a POST) leads back to its page, not to an English 400;
 * - a download posted to is a French 405 (text for a browser, the refusal's JSON for a script), not « Unexpected
 *   Server Error ».
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, startServer, type TestServer } from "../support/server";

let server: TestServer;
let secretariat = "";

beforeAll(async () => {
  server = await startServer();
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** The rows a list page links to (candidates, sessions, e-mails), in order, with the status of the page. */
async function rows(path: string): Promise<{ status: number; links: string[] }> {
  const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: secretariat } });
  const html = await res.text();
  return { status: res.status, links: [...html.matchAll(/href="(\/(?:candidates|sessions|outbox)\/c[a-z0-9]{24})"/g)].map((m) => m[1]!) };
}

describe("a list's page number edited by hand", () => {
  for (const list of ["/candidates", "/sessions", "/outbox"]) {
    it(`${list}: past the database's range, the last page; nonsense, the first`, async () => {
      const first = await rows(`${list}?page=1`);
      expect(first.status).toBe(200);
      expect(first.links.length).toBeGreaterThan(0);
      for (const page of ["1e308", "99999999999999999999", "9007199254740993", "-3", "2.5", "abc", ""]) {
        const asked = await rows(`${list}?page=${page}`);
        expect(asked.status, `${list}?page=${page}`).toBe(200);
        // The demo's lists hold one page: the last page is the first.
        expect(asked.links, `${list}?page=${page}`).toEqual(first.links);
      }
    });
  }
});

describe("a request a page does not expect", () => {
  it("a form posted to a page without one is refused in French, without the router's English message", async () => {
    for (const path of ["/sessions", "/", "/outbox"]) {
      const res = await fetch(`${server.baseUrl}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: secretariat, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=x",
      });
      // What the page shows (its scripts aside: the route manifest names every route).
      const shown = (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
      expect(res.status, path).toBe(405);
      expect(shown, path).toContain("Cette page ne reçoit pas de formulaire : revenez-y et utilisez ses boutons.");
      expect(shown, path).not.toMatch(/You made a|did not provide/);
    }
  });

  it("the declaration file's address opened again leads back to the declarations page", async () => {
    const res = await fetch(`${server.baseUrl}/declarations/fichier.xml`, { redirect: "manual", headers: { Cookie: secretariat } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/declarations");
  });

  it("a download posted to is refused in French, as text for a browser and as JSON for a script", async () => {
    for (const path of ["/chiffres.csv", "/exports/candidats.csv", "/delivrance/pdf/parchemin/inconnu"]) {
      const post = (accept: string) =>
        fetch(`${server.baseUrl}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: secretariat, Origin: server.baseUrl, Accept: accept, "Content-Type": "application/x-www-form-urlencoded" },
          body: "x=1",
        });
      const browser = await post("text/html");
      expect(browser.status, path).toBe(405);
      expect(await browser.text(), path).toBe("Cette adresse ne reçoit pas de formulaire : ouvrez-la depuis sa page.");
      const script = await post("application/json");
      expect(script.status, path).toBe(405);
      expect(await script.json(), path).toMatchObject({ ok: false, formErrors: ["Cette adresse ne reçoit pas de formulaire : ouvrez-la depuis sa page."] });
    }
  });
});
