/**
 * A member removed from a live session by the secretariat, through the real planning route, while their grids and
 * their session page are open: their grid connections are closed with 4403 (final for y-websocket), their session
 * socket gets `session:removed` in French and is disconnected, and the other members keep working. Real server,
 * real sign-in cookies, embedded PGlite (or PostgreSQL with QUORUM_TEST_DATABASE_URL).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  connectEvents,
  connectGrid,
  declareNoConflict,
  findCommission,
  gridName,
  type SessionIds,
  unseatMember,
  until,
  clientTracker,
} from "../support/clients";
import { DEMO_ACCOUNTS, login, startServer, type TestServer } from "../support/server";

const REVOKED = "Accès retiré : vous ne siégez plus dans cette session.";
const REMOVED = "Vous ne siégez plus dans cette session.";
const NOT_SEATED = "Vous ne siégez pas dans cette session.";

let server: TestServer;
let cookies: Record<"membre1" | "membre2" | "president" | "secretariat", string>;
let ids: SessionIds;
/** Every client a test opened, closed after it whatever happened. */
const clients = clientTracker();
const track = clients.track;

beforeAll(async () => {
  server = await startServer();
  const [membre1, membre2, president, secretariat] = await Promise.all(
    (["membre1", "membre2", "president", "secretariat"] as const).map((who) => login(server.baseUrl, DEMO_ACCOUNTS[who])),
  );
  cookies = { membre1, membre2, president, secretariat };
  ids = await findCommission(server.baseUrl, cookies.membre1);
  for (const who of ["membre1", "membre2", "president"] as const) {
    await declareNoConflict(server.baseUrl, cookies[who], ids.sessionId, ids.slotIds[0]);
  }
});

afterEach(() => {
  clients.closeAll();
});

afterAll(async () => {
  await server?.stop();
});

describe("a seat removed mid-session", () => {
  it("closes the member's grids with 4403 and their session socket with a French message; the others go on", async () => {
    const [c1, c2] = ids.competenceIds;
    const secondGrid = gridName(ids.sessionId, ids.slotIds[1]); // not declared there: read access
    const marie = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre1, { userName: "Marie Membre" }));
    const pierre = track(connectGrid(server.baseUrl, ids.documentName, cookies.president, { userName: "Pierre Président" }));
    const mehdi = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre2, { userName: "Mehdi Membre" }));
    const mehdiReading = track(connectGrid(server.baseUrl, secondGrid, cookies.membre2));
    await until(() => marie.synced && pierre.synced && mehdi.synced && mehdiReading.synced, "everyone synced");
    const marieEvents = track(connectEvents(server.baseUrl, cookies.membre1));
    const mehdiEvents = track(connectEvents(server.baseUrl, cookies.membre2));
    expect((await marieEvents.join(ids.sessionId)).ok).toBe(true);
    expect((await mehdiEvents.join(ids.sessionId)).ok).toBe(true);
    await until(() => String(marieEvents.membersOf(ids.sessionId)) === "Marie Membre,Mehdi Membre", "both present");

    // Mehdi writes, as a seated member does.
    // (the synthesis: during « Accueil » the grid's schema refuses scores, and the consolidated result is the president's)
    void c1;
    mehdi.doc.getText("synthesis").insert(0, "Accueil du candidat. ");
    await until(
      () => mehdi.acked >= 1 && marie.doc.getText("synthesis").toString() === "Accueil du candidat. ",
      "Mehdi's edit stored and shared",
    );
    await until(() => marie.peers().some((p) => p.name === "Mehdi Membre"), "Marie sees Mehdi on the grid");

    await unseatMember(server.baseUrl, cookies.secretariat, ids.sessionId, DEMO_ACCOUNTS.membre2);

    // His grids: closed with 4403 and the reason, and y-websocket does not retry.
    for (const grid of [mehdi, mehdiReading]) {
      await until(() => grid.closes.length > 0, "Mehdi's grid connection closed", { details: () => grid.closes });
      expect(grid.closes[0]).toEqual({ code: 4403, reason: REVOKED });
      expect(grid.provider.shouldConnect).toBe(false);
    }
    // His session socket: told why, in French, then disconnected by the server (no retry).
    await until(() => !mehdiEvents.connected, "Mehdi's session socket disconnected");
    expect(mehdiEvents.removals).toEqual([{ sessionId: ids.sessionId, message: REMOVED }]);
    expect(mehdiEvents.disconnects).toEqual(["io server disconnect"]);
    // The others see him gone, from the presence and from the grid.
    await until(() => String(marieEvents.membersOf(ids.sessionId)) === "Marie Membre", "Mehdi gone from the presence");
    await until(() => !marie.peers().some((p) => p.name === "Mehdi Membre"), "Mehdi gone from the grid");

    // The others keep editing, on the same connections.
    void c2;
    marie.doc.getText("synthesis").insert(0, "Rédigé après le départ de Mehdi. ");
    await until(
      () => pierre.doc.getText("synthesis").toString().startsWith("Rédigé après le départ de Mehdi."),
      "Pierre sees Marie's edit",
    );
    await until(() => marie.acked >= 1, "Marie's edit stored");
    expect(marieEvents.connected).toBe(true);
    expect(marie.closes).toEqual([]);
    expect(pierre.closes).toEqual([]);

    // Coming back is refused from the start.
    const again = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre2));
    await until(() => again.closes.length > 0, "new grid connection refused");
    expect(again.closes[0].code).toBe(4403);
    expect(again.framesReceived).toBe(0);
    const againEvents = track(connectEvents(server.baseUrl, cookies.membre2));
    expect(await againEvents.join(ids.sessionId)).toEqual({ ok: false, error: NOT_SEATED });
  });

  it("closes the procès-verbal's remarks of a president taken off the session: he writes them no more", async () => {
    const remarksName = `minutes:${ids.sessionId}`;
    const pierre = track(connectGrid(server.baseUrl, remarksName, cookies.president));
    const reader = track(connectGrid(server.baseUrl, remarksName, cookies.secretariat));
    await until(() => pierre.synced && reader.synced, "both on the remarks");
    pierre.doc.getText("remarks").insert(0, "Séance ouverte à 9 h. ");
    await until(() => pierre.acked >= 1 && reader.doc.getText("remarks").toString() === "Séance ouverte à 9 h. ", "the president's remark stored");

    await unseatMember(server.baseUrl, cookies.secretariat, ids.sessionId, DEMO_ACCOUNTS.president);

    // His remarks' connection: closed with 4403 and the reason, no retry (he kept writing the minutes until he reloaded).
    await until(() => pierre.closes.length > 0, "the president's remarks connection closed", { details: () => pierre.closes });
    expect(pierre.closes[0]).toEqual({ code: 4403, reason: REVOKED });
    expect(pierre.provider.shouldConnect).toBe(false);
    // The secretariat still reads them, as they were.
    expect(reader.closes).toEqual([]);
    expect(reader.doc.getText("remarks").toString()).toBe("Séance ouverte à 9 h. ");
  });
});
