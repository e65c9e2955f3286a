/**
 * Who writes a candidate's préconisations (the Yjs document `preconisations:<sessionId>:<agendaItemId>`) follows who
 * takes part in the deliberation on him: a voting member absent from the sitting, or who has not declared « no link »
 * with the candidate, reads only — his edit refused by the server, the text unchanged for the others — and his open
 * connection becomes writable at once when he arrives or declares, read-only again when he leaves. The room says why
 * (`preconisationsReadOnly`, the banner above the editor).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { closeAll, connectGrid, until, type GridClient } from "../support/clients";
import { demoJuryWithRules } from "../support/jury-fixtures";
import { juryAsserts } from "../support/jury-asserts";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";
let itemIds: string[] = [];

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]> };
type Room = { agenda: Array<{ agendaItemId: string; preconisationsReadOnly: string | null }> };

const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne
const ABSENT = "Lecture seule : vous n'êtes pas présent à la séance (absent ou parti) : émargez votre arrivée (« J'arrive ») pour rédiger les préconisations.";
const UNDECLARED =
  "Lecture seule : déclarez d'abord l'absence de lien avec ce candidat (« Je n'ai aucun lien avec ce candidat ») pour rédiger ses préconisations.";

const { ok, declareNoLink } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId }));

async function banner(who: string, agendaItemId: string): Promise<string | null> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room.agenda.find((a) => a.agendaItemId === agendaItemId)!.preconisationsReadOnly;
}

const text = (client: GridClient) => client.doc.getText("preconisations").toString();
const write = (client: GridClient, words: string) => client.doc.getText("preconisations").insert(text(client).length, words);

/**
 * `refused`'s edit was refused (« Lecture seule ») and never reached the others: a writer's later edit reaches the
 * observer, without it (the server relays edits in the order it handles them).
 */
async function refusedAndUnseen(refused: GridClient, words: string, writer: GridClient, observer: GridClient, marker: string) {
  const before = refused.denied.length;
  write(refused, words);
  await until(() => refused.denied.slice(before).some((d) => /Lecture seule/.test(d)), "edit refused read-only");
  write(writer, marker);
  await until(() => text(observer).includes(marker), "the writer's later edit seen");
  expect(text(observer)).not.toContain(words);
  expect(text(writer)).not.toContain(words);
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, {}));
  });
  server = await startServer({ database });
  for (const who of WHO) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  // Jeanne is not there yet; the others arrive and the sitting opens.
  for (const who of ["president", "membre1", "membre2"]) await ok(who, { intent: "arrive" });
  await ok("president", { intent: "start" });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("the préconisations are written by the members taking part in the deliberation on the candidate", () => {
  it("refuses an absent member's edit, text unchanged for the others; his open connection writes once he arrives, and reads again when he leaves", async () => {
    const item = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    // Jeanne declares from afar (a declaration does not need presence): only her absence holds her back.
    await declareNoLink(WHO, item);
    expect(await banner("membre3", item)).toBe(ABSENT);
    expect(await banner("membre1", item)).toBeNull();

    const name = `preconisations:${sessionId}:${item}`;
    const marie = connectGrid(server.baseUrl, name, cookies.membre1!);
    const pierre = connectGrid(server.baseUrl, name, cookies.president!);
    const jeanne = connectGrid(server.baseUrl, name, cookies.membre3!);
    // Jeanne's second tab, open all along and never refused an edit: the one whose rights switch.
    const tab = connectGrid(server.baseUrl, name, cookies.membre3!);
    try {
      await until(() => marie.synced && pierre.synced && jeanne.synced && tab.synced, "all synced");
      write(marie, "Reprendre le bloc 2.");
      await until(() => text(jeanne) === "Reprendre le bloc 2." && text(tab) === "Reprendre le bloc 2.", "Jeanne reads Marie's text");
      await refusedAndUnseen(jeanne, " Jeanne absente.", marie, pierre, " Stage conseillé.");
      expect(text(pierre)).toBe("Reprendre le bloc 2. Stage conseillé.");

      // She arrives: the room answers once her connections were re-read — her open tab writes, nothing reconnected.
      await ok("membre3", { intent: "arrive" });
      expect(await banner("membre3", item)).toBeNull();
      write(tab, " Jeanne présente.");
      await until(() => text(pierre).endsWith(" Jeanne présente.") && text(marie).endsWith(" Jeanne présente."), "Jeanne's edit reaches the others");
      expect(tab.denied).toEqual([]);
      expect(tab.closes).toEqual([]);

      // She leaves: the same tab reads only again, told so.
      await ok("membre3", { intent: "leave" });
      expect(await banner("membre3", item)).toBe(ABSENT);
      await refusedAndUnseen(tab, " Jeanne partie.", marie, pierre, " Fin.");
      expect(text(pierre)).toBe("Reprendre le bloc 2. Stage conseillé. Jeanne présente. Fin.");
      expect(tab.closes).toEqual([]);
    } finally {
      closeAll(marie, pierre, jeanne, tab);
    }
  });

  it("has a present member read only before his declaration of no link with the candidate, and write from it on, on the same connection", async () => {
    const item = itemIds[2]!;
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    await declareNoLink(["president", "membre1"], item);
    expect(await banner("membre2", item)).toBe(UNDECLARED);
    expect(await banner("membre1", item)).toBeNull();

    const name = `preconisations:${sessionId}:${item}`;
    const marie = connectGrid(server.baseUrl, name, cookies.membre1!);
    const pierre = connectGrid(server.baseUrl, name, cookies.president!);
    const mehdi = connectGrid(server.baseUrl, name, cookies.membre2!);
    const tab = connectGrid(server.baseUrl, name, cookies.membre2!);
    try {
      await until(() => marie.synced && pierre.synced && mehdi.synced && tab.synced, "all synced");
      await refusedAndUnseen(mehdi, "Mehdi sans déclaration.", marie, pierre, "Accompagnement tutoré.");
      expect(text(pierre)).toBe("Accompagnement tutoré.");

      await declareNoLink(["membre2"], item);
      expect(await banner("membre2", item)).toBeNull();
      write(tab, " Mehdi a déclaré.");
      await until(() => text(pierre) === "Accompagnement tutoré. Mehdi a déclaré." && text(marie) === text(pierre), "Mehdi's edit reaches the others");
      expect(tab.denied).toEqual([]);
      expect(tab.closes).toEqual([]);
    } finally {
      closeAll(marie, pierre, mehdi, tab);
    }
  });
});
