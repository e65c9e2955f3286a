/**
 * A login session that ends — sign-out, « Fermer cette session » from another device, a password change — takes its
 * open websockets with it: the grids it opened are closed with 4401 (final for y-websocket) and no longer write,
 * its session room's socket gets `session:removed` in French and is disconnected. Until then only the upgrade and
 * the handshake read the cookie: a grid opened before the sign-out kept writing the member's assessment. The same
 * member's other login sessions go on. Real server, real sign-in cookies, embedded PGlite.
 */
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientTracker, connectEvents, connectGrid, declareNoConflict, findCommission, type SessionIds, until } from "../support/clients";
import { postForm, readPage } from "../support/html";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, login, startServer, type TestServer } from "../support/server";

const SIGNED_OUT = "Session fermée : reconnectez-vous pour continuer.";

let server: TestServer;
let president: string;
let ids: SessionIds;
const clients = clientTracker();
const track = clients.track;

beforeAll(async () => {
  server = await startServer();
  president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
  ids = await findCommission(server.baseUrl, president);
  for (const who of ["membre1", "membre2"] as const) {
    await declareNoConflict(server.baseUrl, await login(server.baseUrl, DEMO_ACCOUNTS[who]), ids.sessionId, ids.slotIds[0]);
  }
});

afterEach(() => {
  clients.closeAll();
});

afterAll(async () => {
  await server?.stop();
});

/** Types into the grid's synthesis and waits until the president's grid shows it. */
async function writes(grid: ReturnType<typeof connectGrid>, watcher: ReturnType<typeof connectGrid>, text: string) {
  grid.doc.getText("synthesis").insert(0, text);
  await until(() => watcher.doc.getText("synthesis").toString().includes(text), `the president sees « ${text} »`);
}

describe("a login session that ends closes its open grids and session rooms", () => {
  it("sign-out: that session's grid is closed and its edits go nowhere, the same member's other session goes on", async () => {
    const here = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    const elsewhere = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    const watcher = track(connectGrid(server.baseUrl, ids.documentName, president));
    const grid = track(connectGrid(server.baseUrl, ids.documentName, here));
    const other = track(connectGrid(server.baseUrl, ids.documentName, elsewhere));
    const room = track(connectEvents(server.baseUrl, here));
    await until(() => watcher.synced && grid.synced && other.synced, "grids synced");
    expect((await room.join(ids.sessionId)).ok).toBe(true);
    await writes(grid, watcher, "Avant la déconnexion. ");

    expect((await postForm(server.baseUrl, here, "/logout", {})).status).toBe(302);

    await until(() => grid.closes.length > 0, "the signed-out session's grid closed");
    expect(grid.closes[0]).toEqual({ code: 4401, reason: SIGNED_OUT });
    await until(() => !room.connected, "the signed-out session's socket disconnected");
    expect(room.removals).toEqual([{ sessionId: ids.sessionId, message: SIGNED_OUT }]);
    // Typed after the sign-out: never reaches the others (the provider does not reconnect after 4401).
    grid.doc.getText("synthesis").insert(0, "Après la déconnexion. ");
    await writes(other, watcher, "Depuis l'autre appareil. ");
    expect(watcher.doc.getText("synthesis").toString()).not.toContain("Après la déconnexion.");
    expect(other.closes).toEqual([]);
  });

  it("« Fermer cette session » from another device and a password change close the grids those sessions opened", async () => {
    const mine = await login(server.baseUrl, DEMO_ACCOUNTS.membre2);
    const stolen = await login(server.baseUrl, DEMO_ACCOUNTS.membre2);
    const another = await login(server.baseUrl, DEMO_ACCOUNTS.membre2);
    const watcher = track(connectGrid(server.baseUrl, ids.documentName, president));
    const stolenGrid = track(connectGrid(server.baseUrl, ids.documentName, stolen));
    const anotherGrid = track(connectGrid(server.baseUrl, ids.documentName, another));
    const myGrid = track(connectGrid(server.baseUrl, ids.documentName, mine));
    await until(() => watcher.synced && stolenGrid.synced && anotherGrid.synced && myGrid.synced, "grids synced");

    // « Mes sessions » lists the others (an id is the SHA-256 of its cookie's token); closing one closes its grid only.
    const page = await readPage(server.baseUrl, mine, "/mes-sessions");
    const stolenId = createHash("sha256").update(stolen.split("=")[1]).digest("hex");
    expect(page.text).toContain(`name="id" value="${stolenId}"`);
    expect((await postForm(server.baseUrl, mine, "/mes-sessions", { intent: "revoke", id: stolenId })).status).toBe(302);
    await until(() => stolenGrid.closes.length > 0, "the closed session's grid closed");
    expect(stolenGrid.closes[0]).toEqual({ code: 4401, reason: SIGNED_OUT });
    await writes(anotherGrid, watcher, "Toujours connecté. ");
    expect(anotherGrid.closes).toEqual([]);

    // The password change closes every other session: the last one's grid too; this device's stays.
    const changed = await postForm(server.baseUrl, mine, "/mes-sessions", {
      intent: "change-password",
      currentPassword: DEMO_PASSWORD,
      password: "un-nouveau-secret",
      confirm: "un-nouveau-secret",
    });
    expect(changed.status).toBe(302);
    await until(() => anotherGrid.closes.length > 0, "the other session's grid closed by the password change");
    expect(anotherGrid.closes[0]).toEqual({ code: 4401, reason: SIGNED_OUT });
    await writes(myGrid, watcher, "Après le changement de mot de passe. ");
    expect(myGrid.closes).toEqual([]);
  });
});
