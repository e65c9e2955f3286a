/**
 * The live session as its members' browsers meet it, against the real production server with real sign-in
 * cookies: the shared grid (Yjs over /yjs, y-websocket clients) and the session events (socket.io presence).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  connectEvents,
  connectGrid,
  declareNoConflict,
  passageCommand,
  findCommission,
  type GridClient,
  type SessionIds,
  until,
  clientTracker,
} from "../support/clients";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

const READ_ONLY = "Lecture seule";
const NO_SESSION = "Session expirée ou absente : reconnectez-vous.";

let database: TestDatabase;
let server: TestServer;
let cookies: Record<"membre1" | "membre2" | "observateur" | "secretariat" | "president", string>;
let ids: SessionIds;
/** Every client a test opened, closed after it whatever happened. */
const clients = clientTracker();
const track = clients.track;

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database });
  const [membre1, membre2, observateur, secretariat, president] = await Promise.all(
    (["membre1", "membre2", "observateur", "secretariat", "president"] as const).map((who) =>
      login(server.baseUrl, DEMO_ACCOUNTS[who]),
    ),
  );
  cookies = { membre1, membre2, observateur, secretariat, president };
  ids = await findCommission(server.baseUrl, cookies.membre1);
  // Members write a grid once they declared no conflict of interest with its candidate.
  await declareNoConflict(server.baseUrl, cookies.membre1, ids.sessionId, ids.slotIds[0]);
  await declareNoConflict(server.baseUrl, cookies.membre2, ids.sessionId, ids.slotIds[0]);
  await declareNoConflict(server.baseUrl, cookies.president, ids.sessionId, ids.slotIds[0]);
  // Scoring opens after « Accueil »; the consolidated result and comments are the president's (the grid's schema).
  const phase = await passageCommand(server.baseUrl, cookies.president, ids.sessionId, ids.slotIds[0], { intent: "phase", to: "EVALUATION" });
  expect(phase.status).toBe(200);
});

afterEach(() => {
  clients.closeAll();
});

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
});

describe("shared grid (Yjs)", () => {
  it("delivers one member's edit to the other, acknowledges it to the sender, and shares who is on the grid", async () => {
    const [c1, c2] = ids.competenceIds;
    const marie = track(connectGrid(server.baseUrl, ids.documentName, cookies.president, { userName: "Pierre Président" }));
    const mehdi = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre2, { userName: "Mehdi Membre" }));
    await until(() => marie.synced && mehdi.synced, "both members synced"); // `marie` is the president

    marie.results.set(c1, "ACQUIS");
    marie.comments.set(c1, "Démarche qualité bien présentée.");
    await until(
      () => mehdi.results.get(c1) === "ACQUIS" && mehdi.comments.get(c1) === "Démarche qualité bien présentée.",
      "Mehdi sees Marie's result and comment",
    );
    await until(() => marie.acked >= 2, "Marie's two edits acknowledged (stored)");

    void c2;
    mehdi.doc.getText("synthesis").insert(0, "Synthèse de Mehdi. ");
    await until(() => marie.doc.getText("synthesis").toString().startsWith("Synthèse de Mehdi."), "Marie sees Mehdi's synthesis");
    await until(() => mehdi.acked >= 1, "Mehdi's edit acknowledged");

    await until(
      () => marie.peers().some((p) => p.name === "Mehdi Membre") && mehdi.peers().some((p) => p.name === "Pierre Président"),
      "each sees the other on the grid",
    );
  });

  it("lets an observer follow the grid but refuses their edit, which no member ever receives", async () => {
    const [c1, , c3, c4] = ids.competenceIds;
    const marie = track(connectGrid(server.baseUrl, ids.documentName, cookies.president));
    const mehdi = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre2));
    await until(() => marie.synced && mehdi.synced, "members synced");
    marie.results.set(c3, "NON_ACQUIS");
    await until(() => marie.acked >= 1, "Marie's edit stored");

    const odile = track(connectGrid(server.baseUrl, ids.documentName, cookies.observateur));
    await until(() => odile.synced, "observer synced");
    expect(odile.results.get(c3)).toBe("NON_ACQUIS");
    expect(odile.results.get(c1)).toBe("ACQUIS"); // stored by the previous test

    odile.results.set(c4, "ACQUIS");
    await until(() => odile.denied.length > 0, "observer's edit refused");
    expect(odile.denied[0]).toContain(READ_ONLY);

    // Barrier: an edit made after the refusal reaches Marie, so anything sent before it would have too.
    mehdi.doc.getText("synthesis").insert(0, "Relances non tracées. ");
    await until(() => marie.doc.getText("synthesis").toString().startsWith("Relances non tracées."), "Marie sees Mehdi's later edit");
    expect(marie.results.has(c4)).toBe(false);
    expect(mehdi.results.has(c4)).toBe(false);
    expect(odile.acked).toBe(0);

    // Nor is it stored: a client connecting now does not get it.
    const pierre = track(connectGrid(server.baseUrl, ids.documentName, cookies.president));
    await until(() => pierre.synced, "president synced");
    expect(pierre.results.get(c3)).toBe("NON_ACQUIS");
    expect(pierre.results.has(c4)).toBe(false);
  });

  it.each([
    ["without a session cookie", null, 4401],
    ["for a user not seated in the session (secretariat)", "secretariat", 4403],
  ] as const)("closes the socket %s, sending no document content", async (_case, who, code) => {
    const client = track(connectGrid(server.baseUrl, ids.documentName, who ? cookies[who] : null));
    await until(() => client.closes.length > 0, `socket closed with ${code}`);
    expect(client.closes[0].code).toBe(code);
    expect(client.closes[0].reason).not.toBe("");
    expect(client.framesReceived).toBe(0);
    expect(client.synced).toBe(false);
    expect(client.results.size).toBe(0);
    // A 44xx close is final: the client does not retry.
    expect(client.provider.shouldConnect).toBe(false);
  });

  it("refuses a member's score for a competence the référentiel lacks or outside the scale; the president still writes", async () => {
    const last = ids.competenceIds.at(-1)!;
    const [marie, mehdi] = (["Marie Membre", "Mehdi Membre"] as const).map((name) => ids.members.find((m) => m.displayName === name)!.userId);
    // Each refused edit from a fresh client (a refused one keeps its change, so its later updates depend on it).
    const refusal = async (cookie: string, edit: (grid: GridClient) => void) => {
      const grid = track(connectGrid(server.baseUrl, ids.documentName, cookie));
      await until(() => grid.synced, "synced");
      edit(grid);
      await until(() => grid.denied.length > 0, "edit refused");
      return grid.denied[0];
    };
    // The probe's junk: a key of her own under a competence that does not exist, a 1,999-character value.
    expect(await refusal(cookies.membre1, (grid) => grid.assessments.set(`${marie}|junk1`, "x".repeat(1_999)))).toBe(
      "Modification refusée : cette compétence n'existe pas dans le référentiel de la grille.",
    );
    expect(await refusal(cookies.membre1, (grid) => grid.assessments.set(`${marie}|${last}`, "NON"))).toBe(
      "Modification refusée : cette valeur n'appartient pas à l'échelle de la certification.",
    );
    expect(await refusal(cookies.membre1, (grid) => grid.assessments.set(`${mehdi}|${last}`, "ACQUIS"))).toBe(
      "Modification refusée : vous ne pouvez modifier que votre propre évaluation.",
    );
    expect(await refusal(cookies.president, (grid) => grid.results.set("pas-une-competence", "ACQUIS"))).toBe(
      "Modification refusée : cette compétence n'existe pas dans le référentiel de la grille.",
    );

    // A level of the scale under a competence of the référentiel: stored; the president's result and synthesis too.
    const member = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre1));
    const president = track(connectGrid(server.baseUrl, ids.documentName, cookies.president));
    await until(() => member.synced && president.synced, "synced");
    member.assessments.set(`${marie}|${last}`, "ACQUIS");
    await until(() => member.acked >= 1, "the member's assessment stored");
    president.results.set(last, "ACQUIS");
    president.doc.getText("synthesis").insert(0, "Synthèse du président. ");
    await until(() => president.acked >= 2, "the president's result and synthesis stored");
    expect([...member.denied, ...president.denied]).toEqual([]);
    await until(() => president.assessments.get(`${marie}|${last}`) === "ACQUIS", "the president sees the member's score");
    expect([...president.assessments.keys()].filter((key) => key.includes("junk"))).toEqual([]);
  });
});

describe("session events (socket.io)", () => {
  it("shows both connected members in each one's presence", async () => {
    const marie = track(connectEvents(server.baseUrl, cookies.membre1));
    const mehdi = track(connectEvents(server.baseUrl, cookies.membre2));

    const first = await marie.join(ids.sessionId);
    expect(first).toMatchObject({ ok: true, seat: { role: "MEMBER" } });
    const second = await mehdi.join(ids.sessionId);
    expect(second.ok).toBe(true);

    const both = ["Marie Membre", "Mehdi Membre"];
    await until(
      () => String(marie.membersOf(ids.sessionId)) === String(both) && String(mehdi.membersOf(ids.sessionId)) === String(both),
      "presence of the two members on both clients",
      { details: () => ({ marie: marie.membersOf(ids.sessionId), mehdi: mehdi.membersOf(ids.sessionId) }) },
    );
    expect(marie.presence.get(ids.sessionId)?.members.every((m) => m.role === "MEMBER" && m.devices === 1)).toBe(true);

    mehdi.close();
    await until(() => String(marie.membersOf(ids.sessionId)) === "Marie Membre", "Mehdi gone from Marie's presence");
  });

  it("lets the secretariat follow a commission it does not sit in, read-only: no seat, never shown present", async () => {
    const marie = track(connectEvents(server.baseUrl, cookies.membre1));
    expect((await marie.join(ids.sessionId)).ok).toBe(true);
    const samia = track(connectEvents(server.baseUrl, cookies.secretariat));
    const ack = await samia.join(ids.sessionId);
    expect(ack).toMatchObject({ ok: true, seat: null });
    expect(samia.membersOf(ids.sessionId)).toContain("Marie Membre");
    expect(samia.membersOf(ids.sessionId)).not.toContain("Samia Secrétariat");
    expect(marie.membersOf(ids.sessionId)).not.toContain("Samia Secrétariat");
  });

  it("refuses a handshake without a session cookie, in French", async () => {
    const anonymous = track(connectEvents(server.baseUrl, null));
    await until(() => anonymous.errors.length > 0, "connection refused");
    expect(anonymous.errors[0]).toBe(NO_SESSION);
    expect(anonymous.connected).toBe(false);
  });
});

describe("durability", () => {
  it("keeps an acknowledged edit across a server restart on the same database", async () => {
    const c5 = ids.competenceIds[4];
    const marie = track(connectGrid(server.baseUrl, ids.documentName, cookies.president));
    await until(() => marie.synced, "synced");
    marie.results.set(c5, "ACQUIS");
    marie.comments.set(c5, "Questionnaires exploités.");
    await until(() => marie.acked >= 2, "both edits acknowledged");
    marie.close();

    expect(await server.stop()).toBe(0);
    server = await startServer({ database, demo: false });

    const mehdi = track(connectGrid(server.baseUrl, ids.documentName, cookies.membre2));
    await until(() => mehdi.synced, "synced after restart");
    expect(mehdi.results.get(c5)).toBe("ACQUIS");
    expect(mehdi.comments.get(c5)).toBe("Questionnaires exploités.");
    expect(mehdi.results.get(ids.competenceIds[0])).toBe("ACQUIS");
  });
});
