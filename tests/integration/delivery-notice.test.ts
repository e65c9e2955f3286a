/**
 * Decision notices through the real HTTP routes (production server, demo seed): the demo's catch-up jury
 * (« session de rattrapage ») validated Mamadou DIALLO's remaining bloc, BC01 having been acquired earlier; « Délivrer »
 * issues him a parchemin, and « Notifier » tells him the certification is delivered — both blocs acquired, none
 * left, no validity limit — consistently with that parchemin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, readPage } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let secretariat = "";

const page = async (path: string) => {
  const { status, text } = await readPage(server.baseUrl, secretariat, path);
  expect(status, path).toBe(200);
  return text;
};
const post = (path: string, body: Record<string, string>) => postForm(server.baseUrl, secretariat, path, body);

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database });
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
});

describe("decision notice of a catch-up jury", () => {
  it("tells a candidate whose partial decision completes earlier blocs that the certification is delivered", async () => {
    const sessions = await page("/sessions?filtre=delivrances");
    const sessionId = /href="\/sessions\/([a-z0-9]+)[^"]*"[^>]*>[^<]*session de rattrapage/.exec(sessions)?.[1];
    expect(sessionId, "the demo's catch-up jury").toBeTruthy();
    const delivery = `/sessions/${sessionId}/delivrance`;
    expect((await post(`${delivery}.data`, { intent: "issue", placeOfIssue: "Lyon" })).status).toBe(200);
    const issued = await page(delivery);
    const parchemin = /Parchemin n° ([A-Z0-9-]+)/.exec(issued)?.[1];
    expect(parchemin, "a parchemin issued on cumulation").toBeTruthy();
    expect((await post(`${delivery}.data`, { intent: "notify" })).status).toBe(200);

    // His e-mail is the one this jury's page links to (the demo also notified him of the past jury's partial decision).
    const notified = await page(delivery);
    const row = notified.slice(notified.indexOf("Mamadou DIALLO"));
    const link = /<a[^>]*data-testid="notice-email"[^>]*>/.exec(row)?.[0] ?? "";
    const emailId = /href="\/outbox\/([a-z0-9]+)"/.exec(link)?.[1];
    expect(emailId, "his notice's e-mail on the delivery page").toBeTruthy();
    const email = await page(`/outbox/${emailId}`);
    expect(email).toContain("mamadou.diallo@example.fr");
    const text = /data-testid="email-text"[^>]*>([\s\S]*?)<\/pre>/.exec(email)?.[1] ?? "";
    expect(text, "the notice e-mailed to Mamadou DIALLO").toContain("Monsieur,\n");
    expect(text).toContain("il vous délivre la certification");
    expect(text).not.toContain("une partie des blocs");
    expect(text).toMatch(/BC01 — [^\n]*\(acquis le /);
    expect(text).toMatch(/BC02 — [^\n]*\(validé par ce jury\)/);
    expect(text).not.toContain("Ces acquis sont valables");
    expect(text).not.toContain("Blocs restant à acquérir");
    expect(text).toContain(`Parchemin n° ${parchemin}`);
  }, 180_000);
});
