/**
 * A creation form sent twice — a double click before the button is disabled, a page without JavaScript posted twice,
 * a retried request, the back button — creates one thing, and both answers lead to it. Against the real production
 * server with the demo seed; the two requests run at once (on PostgreSQL, the second waits on the first's key). A
 * corrected form after a refusal goes through with the same key, and a new load of the page creates again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisDateKey } from "~/domain/planning";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";

/** A small valid PDF. */
const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);

describe("creation forms sent twice", () => {
  let database: TestDatabase;
  let server: TestServer;
  let secretariat: string;

  const page = async (path: string) => {
    const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: secretariat } });
    expect(res.status, path).toBe(200);
    return decodeHtml(await res.text());
  };
  const post = (path: string, body: URLSearchParams | FormData) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: secretariat, Origin: server.baseUrl },
      body,
    });
  /** The submission key of the page's creation form (its hidden field). */
  const keyOf = (html: string) => {
    const match = /name="submissionKey" value="([0-9a-f-]{36})"/.exec(html);
    if (!match) throw new Error("no submission key on the page");
    return match[1]!;
  };
  const count = (html: string, text: string) => html.split(text).length - 1;

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    server = await startServer({ database });
    secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  it("plans one session for a form sent twice at once; a refused one is corrected with the same key; a new page plans again", async () => {
    const form = await page("/sessions/new");
    const key = keyOf(form);
    const certificationId = /<option value="([^"]+)"[^>]*>CQP Assistant\(e\) de formation/.exec(form)?.[1] ?? "";
    const fields = (title: string, date: string, submissionKey: string) =>
      new URLSearchParams({
        kind: "COMMISSION",
        title,
        certificationId,
        date,
        startTime: "09:00",
        endTime: "12:00",
        mode: "remote",
        remoteMeans: "Visioconférence Quorum",
        submissionKey,
      });
    const day = addDays(parisDateKey(new Date()), 40);

    // Refused (a date in the past): nothing planned, the key is not used up.
    const refused = await post("/sessions/new", fields("Commission du double clic", "2020-01-06", key));
    expect(refused.status).toBe(400);
    expect(decodeHtml(await refused.text())).toContain("La session ne peut pas commencer dans le passé.");

    // Corrected, then sent twice at once with the same key.
    const [first, second] = await Promise.all([
      post("/sessions/new", fields("Commission du double clic", day, key)),
      post("/sessions/new", fields("Commission du double clic", day, key)),
    ]);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(first.headers.get("location")).toMatch(/^\/sessions\/[a-z0-9]+\/planning$/);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(count(await page("/sessions?q=double+clic"), ">Commission du double clic<")).toBe(1);

    // The same form sent again later (the back button): still that session.
    const again = await post("/sessions/new", fields("Commission du double clic", day, key));
    expect(again.headers.get("location")).toBe(first.headers.get("location"));

    // A new load of the form has a new key: a second session with the same title is a deliberate one.
    const nextKey = keyOf(await page("/sessions/new"));
    expect(nextKey).not.toBe(key);
    const deliberate = await post("/sessions/new", fields("Commission du double clic", day, nextKey));
    expect(deliberate.status).toBe(302);
    expect(deliberate.headers.get("location")).not.toBe(first.headers.get("location"));
    expect(count(await page("/sessions?q=double+clic"), ">Commission du double clic<")).toBe(2);
  });

  it("registers one candidate and opens one dossier for forms sent twice at once", async () => {
    const key = keyOf(await page("/candidates/new"));
    const candidate = new URLSearchParams({
      birthName: "Doublon",
      usageName: "",
      givenNames: "Clément",
      sex: "M",
      birthDate: "1990-02-11",
      birthCommune: "Rennes",
      birthDepartment: "35",
      birthCountry: "",
      email: "clement.doublon@example.fr",
      phone: "",
      employer: "",
      trainerId: "",
      trainerName: "",
      submissionKey: key,
    });
    const created = await Promise.all([post("/candidates/new", candidate), post("/candidates/new", candidate)]);
    expect(created.map((r) => r.status)).toEqual([302, 302]);
    const location = created[0]!.headers.get("location") ?? "";
    expect(location).toMatch(/^\/candidates\/[a-z0-9]+$/);
    expect(created[1]!.headers.get("location")).toBe(location);
    expect(count(await page("/candidates?q=doublon"), "Clément DOUBLON")).toBe(1);

    const candidatePage = await page(location);
    const certificationId = /<option value="([^"]+)"[^>]*>[^<]*CQP Assistant\(e\) de formation/.exec(candidatePage)?.[1] ?? "";
    expect(certificationId).not.toBe("");
    const dossier = new URLSearchParams({ certificationId, route: "FORMATION", submissionKey: keyOf(candidatePage) });
    const opened = await Promise.all([post(location, dossier), post(location, dossier)]);
    expect(opened.map((r) => r.status)).toEqual([302, 302]);
    expect(opened[0]!.headers.get("location")).toMatch(/^\/dossiers\/[a-z0-9]+$/);
    expect(opened[1]!.headers.get("location")).toBe(opened[0]!.headers.get("location"));
    expect(count(await page(location), 'href="/dossiers/')).toBe(1);

    // One piece for an upload sent twice; the next upload (the page reloaded) is stored.
    const dossierPath = opened[0]!.headers.get("location")!;
    const upload = (submissionKey: string, name: string) => {
      const form = new FormData();
      form.set("intent", "upload-evidence");
      form.set("kind", "IDENTITY");
      form.set("file", new File([PDF], name, { type: "application/pdf" }));
      form.set("submissionKey", submissionKey);
      return form;
    };
    const uploadKey = keyOf(await page(dossierPath));
    const uploads = await Promise.all([post(dossierPath, upload(uploadKey, "piece.pdf")), post(dossierPath, upload(uploadKey, "piece.pdf"))]);
    expect(uploads.map((r) => r.status)).toEqual([302, 302]);
    const afterOne = await page(dossierPath);
    expect(count(afterOne, 'data-testid="sha256"')).toBe(1);
    expect((await post(dossierPath, upload(keyOf(afterOne), "piece-2.pdf"))).status).toBe(302);
    expect(count(await page(dossierPath), 'data-testid="sha256"')).toBe(2);
  });

  it("issues one duplicata for a click sent twice, and another for the next click", async () => {
    // A candidate of the demo holding a delivery record.
    const list = await page("/candidates");
    let holder = "";
    let recordId = "";
    for (const [, id] of list.matchAll(/href="\/candidates\/(c[a-z0-9]+)"/g)) {
      const html = await page(`/candidates/${id}`);
      const record = /action="\/delivrance\/documents\/([a-z0-9]+)"/.exec(html);
      if (record) {
        holder = `/candidates/${id}`;
        recordId = record[1]!;
        break;
      }
    }
    expect(recordId, "a demo candidate with a delivery record").not.toBe("");
    const records = async () => count(await page(holder), "data-record=");
    const before = await records();
    // As the record card's fetcher posts it (single fetch: the route's `.data` URL).
    const click = (submissionKey: string) =>
      post(`/delivrance/documents/${recordId}.data`, new URLSearchParams({ intent: "duplicate", submissionKey }));

    const key = keyOf(await page(holder));
    const answers = await Promise.all([click(key), click(key)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = await Promise.all(answers.map((r) => r.text()));
    expect(a).toMatch(/Duplicata n° [^ ]+ émis/);
    expect(b).toBe(a);
    expect(await records()).toBe(before + 1);

    const next = await click(keyOf(await page(holder)));
    expect(next.status).toBe(200);
    expect(await next.text()).not.toBe(a);
    expect(await records()).toBe(before + 2);
  });
});
