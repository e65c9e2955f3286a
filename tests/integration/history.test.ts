/**
 * A secretariat with years of history behind it (tests/bench/volume-fixture.ts: settled total deliveries of past juries,
 * each with its parchemin and its passage to the Caisse des Dépôts accepted), against the real production server: the
 * desk's to-dos and their lists are those of the demo alone (the desk reads what is pending, not the history), and the
 * declaration of holders pages its list while its counts cover every holder.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { runVolumeFixture } from "../bench/demo-pages";

const HISTORY = 120;
const TODO_KEYS = ["dossiers", "convocations", "habilitations", "signatures", "declarations", "partials", "cpne", "records", "sheets", "appeals"];

function todoCount(html: string, key: string): number | null {
  const start = html.indexOf(`data-testid="todo-${key}"`);
  const count = start < 0 ? undefined : /data-testid="todo-count">(\d+)</.exec(html.slice(start))?.[1];
  return count === undefined ? null : Number(count);
}

describe("a secretariat's years of history", () => {
  let db: TestDatabase;
  let server: TestServer;
  let secretariat: string;
  const page = async (p: string) => {
    const res = await fetch(`${server.baseUrl}${p}`, { headers: { Cookie: secretariat } });
    expect(res.status, p).toBe(200);
    return decodeHtml(await res.text());
  };
  /** A CSV export's lines (BOM and header line included, as the first line). */
  const csvLines = async (p: string) => {
    const res = await fetch(`${server.baseUrl}${p}`, { headers: { Cookie: secretariat } });
    expect(res.status, p).toBe(200);
    return new TextDecoder().decode(await res.arrayBuffer()).split("\r\n").filter(Boolean);
  };
  const open = async () => {
    // The exports read 40 rows at a time here (250 in production): the history is read in several batches.
    server = await startServer({ database: db, bootTimeoutMs: 180_000, env: { QUORUM_EXPORT_BATCH: "40" } });
    secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  };
  /** What the desk and its lists show, history aside. */
  const deskView = async () => {
    const desk = await page("/");
    const records = await page("/sessions?filtre=delivrances");
    const partials = await page("/candidates?filtre=validations-partielles");
    return {
      todos: TODO_KEYS.map((key) => `${key}=${todoCount(desk, key)}`),
      records: [...records.matchAll(/href="\/sessions\/[a-z0-9]+"[^>]*>([^<]+)</g)].map((m) => m[1]).sort(),
      partials: [...partials.matchAll(/validation partielle \(([^)]*)\) valable jusqu'au [^<]+/g)].map((m) => m[0]).sort(),
    };
  };

  let before: Awaited<ReturnType<typeof deskView>>;
  let beforeExports: { decisions: string[]; candidates: string[] };

  beforeAll(async () => {
    db = await prepareDemoDatabase();
    await open();
    before = await deskView();
    beforeExports = { decisions: await csvLines("/exports/decisions.csv"), candidates: await csvLines("/exports/candidats.csv") };
    // The history goes in with no server on the database (the embedded one admits one process).
    await server.stop();
    await runVolumeFixture(db, HISTORY);
    await open();
  }, 400_000);

  afterAll(async () => {
    await server?.stop();
    await db?.dispose();
  });

  it("the desk and its lists show what is pending, the same as before the history", async () => {
    expect(before.todos.every((t) => !t.endsWith("=null"))).toBe(true);
    expect(before.partials.length).toBeGreaterThan(0);
    expect(before.records.length).toBeGreaterThan(0);
    expect(await deskView()).toEqual(before);
  });

  it("the declaration of holders counts every holder and lists them fifty at a time", async () => {
    const first = await page("/declarations");
    const accepted = /Accepté <span class="font-semibold">(\d+)<\/span>/.exec(first)?.[1];
    expect(Number(accepted)).toBe(HISTORY);
    const all = HISTORY + 2; // the demo's two holders (one to declare, one not declarable)
    expect(first.match(/data-testid="holder-row"/g)).toHaveLength(50);
    // What is to be done first (the demo's two holders), then the settled ones, the latest delivered first (over the
    // three pages).
    const rowsOf = (html: string) => html.split('data-testid="holder-row"').slice(1);
    const rows = [...rowsOf(first), ...rowsOf(await page("/declarations?page=2")), ...rowsOf(await page("/declarations?page=3"))];
    expect(rows[0]).toMatch(/Élodie Marie FAURE|Lucas Henri BONNET/);
    expect(rows[1]).toMatch(/Élodie Marie FAURE|Lucas Henri BONNET/);
    const delivered = rows.slice(2).map((row) => {
      const [, d, m, y] = /(\d{2})\/(\d{2})\/(\d{4})/.exec(row)!;
      return `${y}-${m}-${d}`;
    });
    expect(delivered).toHaveLength(HISTORY);
    expect(delivered.every((date, i) => i === 0 || date <= delivered[i - 1])).toBe(true);
    expect(delivered[0] > delivered.at(-1)!).toBe(true);
    expect(first).toContain(`Page 1 sur 3 (${all} titulaires)`);
    expect(first).toContain('href="/declarations?page=2"');
    const last = await page("/declarations?page=3");
    expect(last.match(/data-testid="holder-row"/g)).toHaveLength(all - 100);
    expect(last).not.toContain("Suivante");
    // A page past the end shows the last one; a status keeps its filter from page to page.
    expect((await page("/declarations?page=99")).match(/data-testid="holder-row"/g)).toHaveLength(all - 100);
    const accepted2 = await page("/declarations?statut=accepted&page=2");
    expect(accepted2.match(/data-testid="holder-row"/g)).toHaveLength(50);
    expect(accepted2).toContain('href="/declarations?statut=accepted&page=3"');
  });

  it("the exports list every row once, in order, read a batch at a time", async () => {
    const frenchToIso = (date: string) => date.split("/").reverse().join("-");
    const decisions = await csvLines("/exports/decisions.csv");
    expect(decisions[0]).toBe(beforeExports.decisions[0]);
    expect(decisions).toHaveLength(beforeExports.decisions.length + HISTORY);
    // The demo's final decisions are all there still; the history's each once; by date of decision.
    for (const line of beforeExports.decisions) expect(decisions).toContain(line);
    const history = decisions.filter((line) => /^[^;]*HISTORIQUE\d+;/.test(line));
    expect(new Set(history.map((line) => line.split(";")[0])).size).toBe(HISTORY);
    const dates = decisions.slice(1).map((line) => frenchToIso(line.split(";")[4]));
    expect(dates.every((date, i) => i === 0 || date >= dates[i - 1])).toBe(true);

    const candidates = await csvLines("/exports/candidats.csv");
    expect(candidates).toHaveLength(beforeExports.candidates.length + HISTORY);
    expect(new Set(candidates.filter((line) => line.startsWith("HISTORIQUE")).map((line) => line.split(";")[0])).size).toBe(HISTORY);
    // By name (uppercase letters and digits: the same order in every collation).
    const names = candidates.slice(1).map((line) => line.split(";")[0]).filter((name) => name.startsWith("HISTORIQUE"));
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // Every holder once, with the statuses the declaration page counts.
    const holders = (await csvLines("/exports/titulaires.csv")).slice(1);
    expect(holders).toHaveLength(HISTORY + 2);
    expect(new Set(holders.map((line) => line.split(";")[3])).size).toBe(HISTORY + 2);
    expect(holders.filter((line) => line.split(";")[4] === "Accepté")).toHaveLength(HISTORY);
    const declarations = await page("/declarations");
    expect(declarations).toContain(`Accepté <span class="font-semibold">${HISTORY}</span>`);
  });

  it("the candidates' list shows every candidate, fifty a page, its search and filters kept from page to page", async () => {
    const total = beforeExports.candidates.length - 1 + HISTORY;
    const pages = Math.ceil(total / 50);
    const idsOn = (html: string) => [...html.matchAll(/href="\/candidates\/(?!new")([^"?/]+)"/g)].map((m) => m[1]);
    const seen: string[] = [];
    for (let n = 1; n <= pages; n++) {
      const html = await page(`/candidates?page=${n}`);
      expect(html).toContain(`Page ${n} sur ${pages} (${total} candidats)`);
      seen.push(...idsOn(html));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // A search pages its own results, and its links keep it.
    const search = await page("/candidates?q=historique");
    expect(search).toContain(`Page 1 sur 3 (${HISTORY} candidats)`);
    expect(search).toContain('href="/candidates?q=historique&page=2"');
    expect(idsOn(await page("/candidates?q=historique&page=3"))).toHaveLength(HISTORY - 100);
    // Past the end: the last page.
    expect(idsOn(await page("/candidates?q=historique&page=99"))).toHaveLength(HISTORY - 100);
  });
});
