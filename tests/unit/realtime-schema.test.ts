/**
 * What the document server enforces on a grid beyond read/write access: the grid's schema (realtime/yjs/grid-schema.ts)
 * checked on every update before it is applied or stored, server-set presence (realtime/yjs/awareness.ts), and
 * acknowledgements only for what was stored (realtime/yjs/document.ts). Fake `authenticate` (cookie
 * `quorum_session=<user>`) and a resolver answering grants; the real stores on an in-process PGlite.
 */
import * as decoding from "lib0/decoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import * as Y from "yjs";
import {
  encodeAwarenessMessage,
  encodeAwarenessUpdateEntries,
  encodeSyncUpdate,
  MESSAGE_ACK,
  MESSAGE_AUTH,
} from "../../realtime/yjs/protocol";
import type { DocumentSchema } from "../../realtime/yjs/schema";
import type { AccessGrant } from "../../realtime/yjs/server";
import { gridVocabulary } from "~/domain/grid-vocabulary";
import { LEVEL_PRESETS } from "~/domain/scales";
import type { TestDatabase } from "../support/database";
import {
  cookieWebSocket,
  fullyAcked,
  inProcessDatabase,
  recordingLogger,
  type ProviderClient,
  synced,
  until,
  type YjsHarness,
  yjsTestKit,
} from "../support/yjs-harness";

const USERS = {
  pierre: { id: "pierre", email: "pierre@example.test", displayName: "Pierre Président" },
  mehdi: { id: "mehdi", email: "mehdi@example.test", displayName: "Mehdi Membre" },
  marie: { id: "marie", email: "marie@example.test", displayName: "Marie Membre" },
  carl: { id: "carl", email: "carl@example.test", displayName: "Carl Accueil" },
  olga: { id: "olga", email: "olga@example.test", displayName: "Olga Observatrice" },
} as const;
type UserName = keyof typeof USERS;
/** The grid's référentiel: three competences, scored on the scale « acquis / en cours d'acquisition / non acquis ». */
const VOCABULARY = gridVocabulary(
  { kind: "levels", levels: LEVEL_PRESETS.acquiredInProgress },
  ["c0", "c1", "c2"].map((id) => ({ id, code: id.toUpperCase() })),
);
const LEVELS = LEVEL_PRESETS.acquiredInProgress.map((level) => level.value); // ACQUIS, EN_COURS, NON_ACQUIS
const GRANTS: Record<string, AccessGrant> = {
  pierre: { access: "write", rights: ["score", "decide"], vocabulary: VOCABULARY, seatRank: 0 },
  mehdi: { access: "write", rights: ["score"], vocabulary: VOCABULARY, seatRank: 1 },
  marie: { access: "write", rights: ["score"], vocabulary: VOCABULARY, seatRank: 2 },
  carl: { access: "write", rights: [], vocabulary: VOCABULARY, seatRank: 3 }, // « Accueil »: no scoring yet
  olga: { access: "read", seatRank: 4 },
};

let database: TestDatabase;
let yjsServer: typeof import("../../realtime/yjs/server");
let gridSchema: typeof import("../../realtime/yjs/grid-schema");
let stores: typeof import("../../realtime/yjs/stores");
let canonical: typeof import("~/domain/canonical");
const { logged, logger } = recordingLogger();

beforeAll(async () => {
  ({ database } = await inProcessDatabase());
  yjsServer = await import("../../realtime/yjs/server");
  gridSchema = await import("../../realtime/yjs/grid-schema");
  stores = await import("../../realtime/yjs/stores");
  canonical = await import("~/domain/canonical");
  await stores.prismaDocumentStore.load("grid:warmup"); // the first query pays for the database's start
}, 180_000);

afterAll(async () => {
  const { disconnectDatabase } = await import("~/platform/db/db.server");
  await disconnectDatabase();
  await database.dispose();
});

/** A schema with a bug: it throws on the key `boom` (an error inside the write pipeline, as any bug there would). */
const faultySchema: DocumentSchema = {
  prepare(doc) {
    doc.getMap("m");
  },
  check(change) {
    for (const keys of change.changed.values()) if (keys.has("boom")) throw new Error("schéma en défaut");
    return null;
  },
};

const kit = yjsTestKit(() => yjsServer.createYjsServer, {
  authenticate: async (req) => {
    const match = /quorum_session=([a-z]+)/.exec(req.headers.cookie ?? "");
    return match ? (USERS[match[1] as UserName] ?? null) : null;
  },
  resolveAccess: async (userId) => GRANTS[userId] ?? "none",
  schemaFor: (name) => (name.startsWith("grid:") ? gridSchema.gridSchema : name.startsWith("faulty:") ? faultySchema : null),
  logger,
});
const startServer = kit.startServer;
const client = (harness: YjsHarness, name: string, user: UserName): ProviderClient => kit.client(harness, name, user);
const sockets: WebSocket[] = [];
let counter = 0;
const freshName = () => `grid:schema${Date.now().toString(36)}:${(counter++).toString(36)}x`;

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await kit.cleanup();
  expect(logged.filter((entry) => entry.level === "error")).toEqual([]);
  logged.length = 0;
});

/** Two members on a fresh grid; `barrier` proves that what `from` sent before was handled and relayed to `to`. */
async function room(overrides: Parameters<typeof startServer>[0] = {}) {
  const harness = await startServer(overrides);
  const name = freshName();
  const pierre = client(harness, name, "pierre");
  const mehdi = client(harness, name, "mehdi");
  await Promise.all([synced(pierre), synced(mehdi)]);
  let round = 0;
  const barrier = async (from: ProviderClient, to: ProviderClient) => {
    const mark = `barrier-${round++}`;
    from.provider.awareness.setLocalStateField("focus", mark);
    await until(() => to.provider.awareness.getStates().get(from.doc.clientID)?.focus === mark, "barrier");
  };
  return { harness, name, pierre, mehdi, barrier };
}

async function storedContent(name: string): Promise<string> {
  return canonical.canonicalDocumentJson(await stores.readStoredState(name));
}

/** Nests `depth` maps under `parent[key]`, one level integrated at a time (as a hostile client would). */
function nestMaps(parent: Y.Map<unknown>, key: string, depth: number): void {
  let current = parent;
  let name = key;
  for (let i = 0; i < depth; i++) {
    const next = new Y.Map<unknown>();
    current.set(name, next);
    current = next;
    name = "x";
  }
  current.set("x", "fond");
}

describe("grid schema", () => {
  it("refuses a 3,000-deep map: not applied, not stored, and the grid can still be sealed", async () => {
    const { harness, name, pierre, mehdi, barrier } = await room();
    pierre.doc.getMap("comment").set("c1", "Bien");
    await fullyAcked(pierre, "comment stored");
    nestMaps(pierre.doc.getMap("comment"), "c2", 3_000);
    await until(() => pierre.denied.length > 0, "refusal");
    expect(new Set(pierre.denied)).toEqual(new Set([gridSchema.GRID_REFUSALS.notText]));
    await barrier(pierre, mehdi);
    expect(mehdi.doc.getMap("comment").has("c2")).toBe(false);
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe('{"comment":{"c1":"Bien"}}');
    const sealed = await harness.yjs.seal(name);
    expect(sealed.canonical).toBe('{"comment":{"c1":"Bien"}}');
  });

  it("hashes a document nested 3,000 levels deep without overflowing the stack", () => {
    const doc = new Y.Doc();
    nestMaps(doc.getMap("comment"), "c1", 3_000);
    const json = canonical.canonicalDocumentJson(Y.encodeStateAsUpdate(doc));
    expect(json.startsWith('{"comment":{"c1":{"x":{"x":')).toBe(true);
    expect(json.match(/\{/g)?.length).toBe(3_002); // the document, `comment`, 3,000 maps
    expect(canonical.sha256Hex(json)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses NUL, bidirectional overrides and what the PDF cannot print in text", async () => {
    const { name, harness, pierre } = await room();
    pierre.doc.getMap("comment").set("c1", "a\u0000b");
    await until(() => pierre.denied.length === 1, "NUL refused");
    expect(pierre.denied[0]).toBe(gridSchema.GRID_REFUSALS.character("U+0000"));
    pierre.doc.getText("synthesis").insert(0, "facture\u202Eexe.pdf");
    await until(() => pierre.denied.length === 2, "bidi override refused");
    expect(pierre.denied[1]).toBe(gridSchema.GRID_REFUSALS.character("U+202E"));
    // What the signed grid's PDF could not print: an emoji in a comment.
    pierre.doc.getMap("comment").set("c1", "Bravo 🎉");
    await until(() => pierre.denied.length === 3, "emoji refused");
    expect(pierre.denied[2]).toBe(gridSchema.GRID_REFUSALS.unprintable("« 🎉 » (U+1F389)"));
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe("{}");
  });

  it("refuses a number or a map where text is expected", async () => {
    const { pierre } = await room();
    pierre.doc.getMap("result").set("c1", 42);
    await until(() => pierre.denied.length === 1, "number refused");
    expect(pierre.denied[0]).toBe(gridSchema.GRID_REFUSALS.notText);
  });

  it("lets a member write their own assessment only, and the consolidated result only to the president", async () => {
    const { name, harness, pierre, mehdi, barrier } = await room();
    mehdi.doc.getMap("assessment").set("mehdi|c1", "ACQUIS");
    await fullyAcked(mehdi, "own assessment stored");
    mehdi.doc.getMap("assessment").set("pierre|c1", "NON_ACQUIS");
    await until(() => mehdi.denied.length === 1, "another member's key refused");
    expect(mehdi.denied[0]).toBe(gridSchema.GRID_REFUSALS.notYours);
    await barrier(mehdi, pierre);
    expect(pierre.doc.getMap("assessment").toJSON()).toEqual({ "mehdi|c1": "ACQUIS" });

    const other = client(harness, name, "marie");
    await synced(other);
    other.doc.getMap("result").set("c1", "ACQUIS");
    await until(() => other.denied.length === 1, "a member's consolidated result refused");
    expect(other.denied[0]).toBe(gridSchema.GRID_REFUSALS.notPresident);
    pierre.doc.getMap("result").set("c1", "ACQUIS");
    await fullyAcked(pierre, "the president's result stored");
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe('{"assessment":{"mehdi|c1":"ACQUIS"},"result":{"c1":"ACQUIS"}}');
  });

  it("refuses scores without the scoring right (« Accueil »)", async () => {
    const harness = await startServer();
    const carl = client(harness, freshName(), "carl");
    await synced(carl);
    carl.doc.getMap("assessment").set("carl|c1", "ACQUIS");
    await until(() => carl.denied.length === 1, "refused");
    expect(carl.denied[0]).toBe(gridSchema.GRID_REFUSALS.notScoring);
    carl.doc.getText("synthesis").insert(0, "Accueil du candidat");
  });

  it("finds the key an overwrite or a deletion lands in from the entry it follows (the prediction, without a trial apply)", async () => {
    const { name, harness, pierre, mehdi, barrier } = await room();
    pierre.doc.getMap("assessment").set("pierre|c1", "ACQUIS");
    await fullyAcked(pierre, "pierre's assessment stored");
    await barrier(pierre, mehdi);
    // Overwriting pierre's key: mehdi's struct only names pierre's entry as its origin (no parent, no key on the wire).
    mehdi.doc.getMap("assessment").set("pierre|c1", "NON_ACQUIS");
    await until(() => mehdi.denied.length === 1, "overwrite of another member's key refused");
    expect(mehdi.denied[0]).toBe(gridSchema.GRID_REFUSALS.notYours);
    // Deleting it: only a delete set naming pierre's entry.
    const fresh = client(harness, name, "mehdi");
    await synced(fresh);
    fresh.doc.getMap("assessment").delete("pierre|c1");
    await until(() => fresh.denied.length === 1, "deletion of another member's key refused");
    expect(fresh.denied[0]).toBe(gridSchema.GRID_REFUSALS.notYours);
    // Their own key (a client whose edit was refused is never fully acknowledged: a new one each time): written,
    // overwritten too long, overwritten within its length, then deleted.
    const own = client(harness, name, "mehdi");
    await synced(own);
    own.doc.getMap("assessment").set("mehdi|c1", "ACQUIS");
    await fullyAcked(own, "own assessment stored");
    own.doc.getMap("assessment").set("mehdi|c1", "x".repeat(gridSchema.GRID_LIMITS.resultLength + 1));
    await until(() => own.denied.length === 1, "too long overwrite refused");
    expect(own.denied[0]).toBe(gridSchema.GRID_REFUSALS.tooLong);
    const last = client(harness, name, "mehdi");
    await synced(last);
    last.doc.getMap("assessment").set("mehdi|c1", "EN_COURS");
    await fullyAcked(last, "overwrite stored");
    last.doc.getMap("assessment").set("mehdi|c2", "ACQUIS");
    last.doc.getMap("assessment").delete("mehdi|c1");
    await fullyAcked(last, "deletion stored");
    await barrier(last, pierre);
    expect(pierre.doc.getMap("assessment").toJSON()).toEqual({ "pierre|c1": "ACQUIS", "mehdi|c2": "ACQUIS" });
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe('{"assessment":{"mehdi|c2":"ACQUIS","pierre|c1":"ACQUIS"}}');
  });

  it("checks map edits the same way before, during and after a trial-checked synthesis edit", async () => {
    const { name, harness, pierre, mehdi, barrier } = await room();
    for (let i = 0; i < 80; i++) pierre.doc.getMap("result").set(`c${i % 3}`, LEVELS[Math.floor(i / 3) % 3]); // predicted
    pierre.doc.getText("synthesis").insert(0, "Candidat"); // a text: the trial
    pierre.doc.getMap("comment").set("c1", "Bien");
    pierre.doc.getText("synthesis").insert(8, " sérieux");
    mehdi.doc.getMap("result").set("c1", "NON_ACQUIS");
    await until(() => mehdi.denied.length === 1, "a member's result refused");
    expect(mehdi.denied[0]).toBe(gridSchema.GRID_REFUSALS.notPresident);
    await fullyAcked(pierre, "pierre's edits stored");
    for (let i = 0; i < 80; i++) pierre.doc.getMap("result").set("c0", LEVELS[i % 3]); // the shadow is dropped
    pierre.doc.getText("synthesis").insert(0, "\u0000");
    await until(() => pierre.denied.length === 1, "NUL refused in the synthesis");
    await barrier(pierre, mehdi);
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe(
      '{"comment":{"c1":"Bien"},"result":{"c0":"EN_COURS","c1":"NON_ACQUIS","c2":"EN_COURS"},"synthesis":"Candidat sérieux"}',
    );
  });

  it("accepts only the référentiel's competences and the scale's values, in assessments, results and comments", async () => {
    const { name, harness, pierre, mehdi, barrier } = await room();
    // What the grid's inputs write: a level of the scale, its deletion (« — Non évalué — »), a comment in free text.
    mehdi.doc.getMap("assessment").set("mehdi|c1", "EN_COURS");
    mehdi.doc.getMap("assessment").set("mehdi|c2", "ACQUIS");
    mehdi.doc.getMap("assessment").delete("mehdi|c2");
    await fullyAcked(mehdi, "the member's assessments stored");
    pierre.doc.getMap("result").set("c1", "NON_ACQUIS");
    pierre.doc.getMap("comment").set("c1", "Démarche à reprendre.");
    await fullyAcked(pierre, "the president's result and comment stored");

    // Each refused edit from a fresh client (a refused one keeps its change, so its later updates depend on it).
    const attempt = async (user: "pierre" | "mehdi", edit: (doc: Y.Doc) => void) => {
      const writer = client(harness, name, user);
      await synced(writer);
      edit(writer.doc);
      await until(() => writer.denied.length === 1, "refused");
      return writer.denied[0];
    };
    const { unknownCompetence, offScale, notYours } = gridSchema.GRID_REFUSALS;
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("mehdi|junk1", "ACQUIS"))).toBe(unknownCompetence);
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("mehdi|c1", "NON"))).toBe(offScale);
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("mehdi|c1", "acquis"))).toBe(offScale);
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("mehdi|c1", "ACQUIS#1"))).toBe(offScale);
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("mehdi|", "ACQUIS"))).toBe(unknownCompetence);
    // Another member's key, even a real competence with a level of the scale.
    expect(await attempt("mehdi", (doc) => doc.getMap("assessment").set("pierre|c1", "ACQUIS"))).toBe(notYours);
    expect(await attempt("pierre", (doc) => doc.getMap("result").set("c9", "ACQUIS"))).toBe(unknownCompetence);
    expect(await attempt("pierre", (doc) => doc.getMap("result").set("c1", "12"))).toBe(offScale);
    expect(await attempt("pierre", (doc) => doc.getMap("comment").set("pas-une-competence", "Bien"))).toBe(unknownCompetence);

    await barrier(mehdi, pierre);
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe(
      '{"assessment":{"mehdi|c1":"EN_COURS"},"comment":{"c1":"Démarche à reprendre."},"result":{"c1":"NON_ACQUIS"}}',
    );
  });

  it("refuses a member's junk keys whatever their number, so the president still sets the result and the synthesis", async () => {
    // 5.9 MiB from one user: past the budget of edit bytes (realtime-yjs.test.ts « hostile frames »), which would close
    // the connection first; here the schema alone has to refuse each update.
    const { name, harness, pierre, mehdi, barrier } = await room({ updateBytesBurst: 8 * 1024 * 1024 });
    // The probe's attack: updates of 40 keys `<own id>|junkN` holding 1,999 characters each, 5.9 MiB in all (more
    // than a document may hold), each from a fresh Yjs client so that none depends on another.
    const attacker = rawSocket(harness, name, "mehdi");
    await attacker.opened;
    const junk = "x".repeat(1_999);
    for (let update = 0; update < 75; update++) {
      const doc = new Y.Doc();
      doc.transact(() => {
        for (let key = 0; key < 40; key++) doc.getMap("assessment").set(`mehdi|junk${update * 40 + key}`, junk);
      });
      attacker.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
      doc.destroy();
    }
    await until(() => attacker.denied.length === 75, "every junk update refused", { timeoutMs: 20_000 });
    expect(new Set(attacker.denied)).toEqual(new Set([gridSchema.GRID_REFUSALS.unknownCompetence]));

    // The president's edits still fit.
    pierre.doc.getMap("result").set("c0", "ACQUIS");
    pierre.doc.getText("synthesis").insert(0, "Candidat sérieux.");
    await fullyAcked(pierre, "the president's result and synthesis stored");
    expect(pierre.denied).toEqual([]);
    await barrier(pierre, mehdi);
    expect(mehdi.doc.getMap("assessment").size).toBe(0);
    expect(mehdi.doc.getMap("result").toJSON()).toEqual({ c0: "ACQUIS" });
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe('{"result":{"c0":"ACQUIS"},"synthesis":"Candidat sérieux."}');
  });

  it("refuses an extra top-level part", async () => {
    const { pierre, mehdi, barrier } = await room();
    pierre.doc.getMap("evil").set("x", "y");
    await until(() => pierre.denied.length === 1, "refused");
    expect(pierre.denied[0]).toBe(gridSchema.GRID_REFUSALS.unknownPart);
    await barrier(pierre, mehdi);
    expect(mehdi.doc.share.has("evil")).toBe(false);
  });
});

/* ------------------------------------------------------------------------------------------------ raw sockets */

function rawSocket(harness: YjsHarness, name: string, user: UserName) {
  const Socket = cookieWebSocket(`quorum_session=${user}`);
  const ws = new Socket(`${harness.url}/${encodeURIComponent(name)}`);
  sockets.push(ws);
  const acks: number[] = [];
  const denied: string[] = [];
  ws.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_ACK) acks.push(decoding.readVarUint(decoder));
    if (type === MESSAGE_AUTH) {
      decoding.readVarUint(decoder);
      denied.push(decoding.readVarString(decoder));
    }
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, acks, denied, opened };
}

describe("presence", () => {
  it("overwrites a spoofed name and colour with the authenticated seat's, and drops unknown fields", async () => {
    const { harness, name, pierre } = await room();
    const olga = rawSocket(harness, name, "olga");
    await olga.opened;
    const spoof = {
      user: { name: "Pierre Président", color: "red; position:fixed; inset:0; background:url(https://evil.example/x)" },
      focus: "c1",
      style: "position:fixed",
    };
    olga.ws.send(encodeAwarenessMessage(encodeAwarenessUpdateEntries([{ clientId: 9_001, clock: 1, stateJson: JSON.stringify(spoof) }])));
    await until(() => pierre.provider.awareness.getStates().get(9_001)?.focus === "c1", "olga's presence relayed");
    const state = pierre.provider.awareness.getStates().get(9_001)!;
    expect(state.user.name).toBe("Olga Observatrice");
    expect(state.user.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(state.style).toBeUndefined();

    // Two seats never share a colour.
    const mehdiId = 9_002;
    const mehdiSocket = rawSocket(harness, name, "mehdi");
    await mehdiSocket.opened;
    mehdiSocket.ws.send(
      encodeAwarenessMessage(encodeAwarenessUpdateEntries([{ clientId: mehdiId, clock: 1, stateJson: JSON.stringify({ user: { color: state.user.color } }) }])),
    );
    await until(() => pierre.provider.awareness.getStates().has(mehdiId), "mehdi's presence relayed");
    const mehdi = pierre.provider.awareness.getStates().get(mehdiId)!;
    expect(mehdi.user.name).toBe("Mehdi Membre");
    expect(mehdi.user.color).not.toBe(state.user.color);
  });
});

describe("a failure inside the write pipeline", () => {
  it("drops the document, not the process: everyone resyncs from the database and goes on", async () => {
    const harness = await startServer();
    const name = `faulty:${Date.now().toString(36)}x${counter++}`;
    const pierre = client(harness, name, "pierre");
    const mehdi = client(harness, name, "mehdi");
    await Promise.all([synced(pierre), synced(mehdi)]);
    const closes: number[] = [];
    mehdi.provider.on("connection-close", (event: CloseEvent | null) => void closes.push(event?.code ?? 0));
    pierre.doc.getMap("m").set("ok", "avant");
    await until(() => mehdi.doc.getMap("m").get("ok") === "avant", "first edit relayed");

    const marie = rawSocket(harness, name, "marie");
    await marie.opened;
    const closed = new Promise<number>((resolve) => marie.ws.once("close", (code: number) => resolve(code)));
    const hostile = new Y.Doc();
    hostile.getMap("m").set("boom", "x");
    marie.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(hostile)));
    expect(await closed).toBe(1011);
    await until(() => closes.includes(1011), "mehdi closed with 1011");
    await synced(mehdi);

    pierre.doc.getMap("m").set("ok", "après");
    await until(() => mehdi.doc.getMap("m").get("ok") === "après", "the document serves again");
    expect(mehdi.doc.getMap("m").has("boom")).toBe(false);
    expect(JSON.parse(await storedContent(name))).toMatchObject({ m: { ok: "après" } });
    expect(await storedContent(name)).not.toContain("boom");
    const errors = logged.filter((entry) => entry.level === "error");
    expect(errors.map((entry) => entry.message)).toEqual([expect.stringContaining("échec inattendu de la file d'écriture")]);
    logged.length = 0;
  });
});

describe("acknowledgements", () => {
  it("does not acknowledge an update whose dependency never came, until it is integrated and stored", async () => {
    const { harness, name, pierre } = await room();
    const mehdi = rawSocket(harness, name, "mehdi");
    await mehdi.opened;
    const local = new Y.Doc();
    const text = local.getText("synthesis");
    text.insert(0, "a");
    const first = Y.encodeStateAsUpdate(local);
    const afterFirst = Y.encodeStateVector(local);
    text.insert(1, "b");
    const second = Y.encodeStateAsUpdate(local, afterFirst); // depends on `first`

    mehdi.ws.send(encodeSyncUpdate(second));
    // Barrier: the write pipeline handles updates in arrival order; pierre's later edit acknowledged means mehdi's
    // update was handled (and any acknowledgement of it sent) before.
    pierre.doc.getMap("comment").set("c1", "Bien");
    await fullyAcked(pierre, "a later edit stored");
    expect(mehdi.acks).toEqual([]);
    expect(pierre.doc.getText("synthesis").toString()).toBe("");

    mehdi.ws.send(encodeSyncUpdate(first));
    await until(() => mehdi.acks.at(-1) === 2, "both acknowledged once integrated");
    await harness.yjs.flush(name);
    expect(await storedContent(name)).toBe('{"comment":{"c1":"Bien"},"synthesis":"ab"}');
  });
});
