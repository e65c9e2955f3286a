/**
 * The characters a co-edited document refuses are the ones a form refuses (app/domain/safe-text.ts), on the real
 * server through real y-websocket clients: the commission's grid (its synthesis and comments, realtime/yjs/grid-schema)
 * and the minutes' remarks (one shared text, realtime/yjs/text-schema, as the préconisations). Each bidirectional
 * control or invisible character is refused with its French message, nothing of it is stored, and the text stays
 * editable; a French text with its no-break spaces, quotes and ligatures (and an emoji joiner) is kept as typed. A
 * grid stored with such a character before the schema refused it cannot be sealed: opening its signature names the
 * character. A change request on the minutes holding a zero-width space is refused at its field, the minutes left
 * finalised.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { asSignedFromPage, closeAll, connectGrid, gridName, passageCommand, rememberShownHash, until, type GridClient } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { pastJuryWithOpenMinutes } from "../support/jury-fixtures";

let server: TestServer;
let database: TestDatabase;
const cookies: Record<string, string> = {};
const clients: GridClient[] = [];
let commissionId = "";
let slotId = "";
/** Another passage of the commission, whose grid was stored with a right-to-left mark in its synthesis. */
let storedSlotId = "";
let juryId = "";

const UNSAFE = "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";

/** Each dangerous character, by its code: bidirectional controls, then invisible characters. */
const DANGEROUS: Array<[string, string]> = [
  ["U+200E", "\u200E"],
  ["U+200F", "\u200F"],
  ["U+061C", "\u061C"],
  ["U+202A", "\u202A"],
  ["U+202E", "\u202E"],
  ["U+2066", "\u2066"],
  ["U+2069", "\u2069"],
  ["U+200B", "\u200B"],
  ["U+2060", "\u2060"],
  ["U+FEFF", "\uFEFF"],
];

/** What a French text needs: « » with narrow no-break spaces, a no-break space before « : », ’, œ, €, a line break. */
const FRENCH = "«\u202FTrès bonne maîtrise\u202F» de l\u2019\u0153uvre\u00A0: 12\u00A0\u20AC.\nÀ revoir\u00A0: la sécurité ; emoji 😀\u200D😀.";

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
    await seedDemoIfEmpty(prisma);
    const slot = await prisma.sessionSlot.findFirstOrThrow({ where: { candidate: { birthName: "NGUYEN" }, session: { kind: "COMMISSION" } } });
    commissionId = slot.sessionId;
    slotId = slot.id;
    storedSlotId = (await prisma.sessionSlot.findFirstOrThrow({ where: { sessionId: commissionId, id: { not: slot.id } } })).id;
    const stored = new Y.Doc();
    stored.getText("synthesis").insert(0, "Dossier solide\u200F, oral convaincant.");
    await prisma.collabDocument.create({
      data: { name: gridName(commissionId, storedSlotId), snapshot: Buffer.from(Y.encodeStateAsUpdate(stored)) },
    });
    // A deliberated jury whose minutes are left open (the secretary writes their remarks), members signing them.
    ({ juryId } = await pastJuryWithOpenMinutes(prisma));
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  // The commission scores (the president writes the synthesis and the comments from « Évaluation » on).
  const passage = (who: string, fields: Record<string, string>) => passageCommand(server.baseUrl, cookies[who]!, commissionId, slotId, fields);
  for (const who of ["president", "membre1", "membre2"]) expect((await passage(who, { intent: "declare" })).status).toBe(200);
  expect((await passage("president", { intent: "phase", to: "PRESENTATION" })).status).toBe(200);
  expect((await passage("president", { intent: "phase", to: "EVALUATION" })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  closeAll(...clients);
  await server?.stop();
  await database?.dispose();
});

/** A connection of `who` to `name`, synced. */
async function open(name: string, who: string): Promise<GridClient> {
  const client = connectGrid(server.baseUrl, name, cookies[who]!);
  clients.push(client);
  await until(() => client.synced, `${who} synced on ${name}`);
  return client;
}

/**
 * Each dangerous character, inserted by `edit` (each from a fresh connection, as the editor reconnects after a
 * refusal), is refused with `message(code)`. Then a French text goes through and the reader, connected all along,
 * sees it as typed and none of the refused characters: they were never stored nor relayed.
 */
async function expectEachRefusedThenFrenchKept(
  name: string,
  [writer, reader]: [string, string],
  edit: (client: GridClient, text: string) => void,
  read: (client: GridClient) => string,
) {
  const watcher = await open(name, reader);
  for (const [code, character] of DANGEROUS) {
    const client = await open(name, writer);
    edit(client, `Avis favorable${character}, dossier solide.`);
    await until(() => client.denied.length > 0, `${code} refused`);
    expect(client.denied, code).toEqual([`Modification refusée : caractère interdit (${code}).`]);
    client.close();
  }
  const client = await open(name, writer);
  edit(client, FRENCH);
  await until(() => read(watcher).includes(FRENCH), "the French text stored");
  expect(client.denied).toEqual([]);
  for (const [code, character] of DANGEROUS) expect(read(watcher), code).not.toContain(character);
  return { watcher, client };
}

describe("co-edited documents refuse the characters forms refuse", () => {
  it("the grid's synthesis and comments: each bidirectional or invisible character refused, French kept as typed", async () => {
    const name = gridName(commissionId, slotId);
    const { watcher } = await expectEachRefusedThenFrenchKept(
      name,
      ["president", "membre1"],
      (client, text) => client.doc.getText("synthesis").insert(0, text),
      (client) => client.doc.getText("synthesis").toString(),
    );
    // A comment (a map value) goes through the same rule.
    const president = await open(name, "president");
    president.comments.set("c1", "Très bien\u200F vu");
    await until(() => president.denied.length > 0, "comment refused");
    expect(president.denied).toEqual(["Modification refusée : caractère interdit (U+200F)."]);
    expect(watcher.comments.has("c1")).toBe(false);
  });

  it("the minutes' remarks (one shared text, as the préconisations): each one refused, French kept as typed", async () => {
    await expectEachRefusedThenFrenchKept(
      `minutes:${juryId}`,
      ["secretariat", "president"],
      (client, text) => client.doc.getText("remarks").insert(0, text),
      (client) => client.doc.getText("remarks").toString(),
    );
  });

  it("a grid stored with such a character before cannot be sealed: opening its signature names it", async () => {
    const passage = (fields: Record<string, string>) => passageCommand(server.baseUrl, cookies.president!, commissionId, storedSlotId, fields);
    expect((await passage({ intent: "declare" })).status).toBe(200);
    expect((await passage({ intent: "phase", to: "PRESENTATION" })).status).toBe(200);
    const opened = await passage({ intent: "open-signing" });
    expect(opened.status).toBe(409);
    expect(opened.body.details).toContain("La synthèse contient un caractère invisible ou de contrôle interdit (U+200F) : retirez-le.");
  });

  it("a change request hiding a zero-width space is refused at its field; the minutes stay finalised", async () => {
    const url = `/sessions/${juryId}/proces-verbal/commande`;
    const post = async (who: string, fields: Record<string, string>) => {
      const res = await fetch(`${server.baseUrl}${url}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(asSignedFromPage(url, fields)),
      });
      const body = (await res.json()) as { error?: string; fieldErrors?: Record<string, string[]>; state?: { status: string } };
      rememberShownHash(url, body);
      return { status: res.status, body };
    };
    expect((await post("secretariat", { intent: "finalise" })).status).toBe(200);
    const hidden = await post("membre1", { intent: "request-change", reason: "Préciser l'heure de re\u200Bprise." });
    expect(hidden.status).toBe(400);
    expect(hidden.body.fieldErrors?.reason).toEqual([UNSAFE]);
    // Nothing voided: the minutes are still finalised, and the same request typed cleanly goes through.
    const clean = await post("membre1", { intent: "request-change", reason: "Préciser l'heure de reprise." });
    expect(clean.status).toBe(200);
    expect(clean.body.state?.status).toBe("OPEN");
  });
});
