/**
 * The lists' page number as a person may edit it in the address bar: a number too large for the database's OFFSET
 * (`1e308` and `99999999999999999999` are integers to JavaScript) shows the list's last page, as any page past the
 * end does, instead of a 500; nonsense shows the first page. On the real server with the demo (one page per list).
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
