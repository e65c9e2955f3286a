/**
 * Bounded fuzz of the real production server (tests/support/server.ts): more than 10,000 random and malformed
 * frames on the Yjs endpoint, from many short-lived connections (random bytes, truncated sync messages, huge
 * varUint lengths, unknown types, text frames, frames just over 1 MiB, awareness garbage, bit-flipped updates,
 * mixed with well-formed messages so connections live long enough to take several), plus malformed socket.io /
 * engine.io packets. Meanwhile two members co-edit another grid through real y-websocket clients: their edits keep
 * converging, and at the end the server answers /healthz and never exited.
 *
 * Reproducible: frame contents come from a seeded PRNG (one stream per connection). The seed is printed; replay
 * with QUORUM_FUZZ_SEED=<seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import {
  closeAll,
  connectGrid,
  declareNoConflict,
  passageCommand,
  findCommission,
  gridName,
  type GridClient,
  until,
} from "../support/clients";
import { DEMO_ACCOUNTS, login, startServer, type TestServer } from "../support/server";

const SEED = Number(process.env.QUORUM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
/** Frames the server reads, at least (see `Tally`). */
const YJS_FRAMES = 10_000;
const SOCKET_IO_FRAMES = 2_500;
/** Hard cap on the fuzzing phase (the whole file stays under a minute on 2 cores). */
const FUZZ_DEADLINE_MS = 45_000;
const YJS_WORKERS = 8;
const SOCKET_IO_WORKERS = 3;
/** One connection in this many sends a frame just over the 1 MiB limit first. */
const OVERSIZED_EVERY = 25;

/* ------------------------------------------------------------------------------------------------ PRNG */

/** mulberry32: small, fast, good enough to pick frames. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (max: number) => Math.floor(next() * max); // [0, max)
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)],
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = int(256);
      return out;
    },
    string(length: number): string {
      let out = "";
      for (let i = 0; i < length; i++) {
        const kind = int(10);
        out += String.fromCharCode(kind < 6 ? 32 + int(95) : kind < 9 ? int(0x3000) : 0xd800 + int(0x800));
      }
      return out;
    },
  };
}
type Rng = ReturnType<typeof prng>;

/** One independent stream per connection: contents do not depend on scheduling. */
const streamFor = (kind: number, index: number) => prng((SEED ^ Math.imul(index + 1, 0x9e3779b1) ^ kind) >>> 0);

/* ------------------------------------------------------------------------------------------------ Yjs frames */

type Frame = { data: Uint8Array | string; binary: boolean };

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** A real Yjs update from a throwaway doc with random edits. */
function randomUpdate(rng: Rng): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1 + rng.int(2 ** 30);
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    switch (rng.int(4)) {
      case 0:
        doc.getMap("result").set(`fuzz-${rng.int(50)}`, rng.string(rng.int(12)));
        break;
      case 1:
        doc.getText(rng.pick(["notes", "t"])).insert(0, rng.string(1 + rng.int(20)));
        break;
      case 2:
        doc.getArray("a").push([rng.int(1000), { x: rng.string(3) }, null]);
        break;
      default: {
        const nested = new Y.Map<unknown>();
        doc.getMap("comment").set(`n${rng.int(10)}`, nested);
        nested.set("b", rng.bytes(rng.int(8)));
      }
    }
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

const syncFrame = (subtype: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, subtype);
    encoding.writeVarUint8Array(e, payload);
  });

function awarenessPayload(rng: Rng, valid: boolean): Uint8Array {
  return frame((e) => {
    const count = rng.chance(0.1) ? 50 + rng.int(100) : 1 + rng.int(3);
    encoding.writeVarUint(e, count);
    for (let i = 0; i < count; i++) {
      encoding.writeVarUint(e, rng.int(2 ** 31));
      encoding.writeVarUint(e, rng.int(1000));
      const big = rng.chance(0.1);
      const odd = [null, 42, "texte", [], true, { user: null }, { user: { name: 7 } }];
      const state = valid
        ? JSON.stringify(rng.chance(0.2) ? rng.pick(odd) : { user: { name: rng.string(big ? 6000 : 10) }, cursor: rng.int(9) })
        : rng.string(rng.int(30));
      encoding.writeVarString(e, state);
    }
  });
}

/**
 * Frames a live connection survives: well-formed envelopes with random contents, and malformed ones the server
 * tolerates (junk after an auth type or after a complete message, bit-flipped updates that still decode, awareness
 * states over the size limit or of odd JSON types). They let one connection deliver many frames.
 */
function survivableFrame(rng: Rng): Frame {
  // Weighted: sync step 1 (answered with the whole document) is the costliest for both sides, so the rarest.
  const weights = [1, 3, 2, 3, 5, 1, 2, 3];
  let roll = rng.int(weights.reduce((a, b) => a + b, 0));
  let kind = 0;
  while (roll >= weights[kind]) roll -= weights[kind++];
  switch (kind) {
    case 0: {
      const vector = frame((e) => {
        const n = rng.int(4);
        encoding.writeVarUint(e, n);
        for (let i = 0; i < n; i++) {
          encoding.writeVarUint(e, rng.int(2 ** 32));
          encoding.writeVarUint(e, rng.int(2 ** 20));
        }
      });
      return { data: syncFrame(0, vector), binary: true }; // sync step 1 with a random state vector
    }
    case 1:
      return { data: syncFrame(rng.chance(0.5) ? 1 : 2, randomUpdate(rng)), binary: true };
    case 2:
      return { data: frame((e) => encoding.writeVarUint(e, 3)), binary: true }; // query awareness
    case 3: {
      const junk = rng.bytes(rng.int(40));
      const auth = frame((e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeUint8Array(e, junk);
      });
      return { data: auth, binary: true }; // auth message with anything after its type
    }
    case 4: {
      const payload = awarenessPayload(rng, true);
      const awareness = frame((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(e, payload);
      });
      return { data: awareness, binary: true };
    }
    case 5:
      return { data: syncFrame(1, new Uint8Array([0, 0])), binary: true }; // empty step 2
    case 6: {
      // A bit-flipped update that still decodes (it may reference structs nobody has).
      for (let attempt = 0; attempt < 8; attempt++) {
        const update = randomUpdate(rng);
        for (let flips = 1 + rng.int(2); flips > 0; flips--) update[rng.int(update.length)] ^= 1 << rng.int(8);
        try {
          Y.decodeUpdate(update);
          return { data: syncFrame(2, update), binary: true };
        } catch {
          // try another
        }
      }
      return { data: syncFrame(2, randomUpdate(rng)), binary: true };
    }
    default: {
      // A well-formed message followed by trailing garbage.
      const valid = rng.chance(0.5) ? syncFrame(2, randomUpdate(rng)) : frame((e) => encoding.writeVarUint(e, 3));
      const tail = rng.bytes(1 + rng.int(16));
      const out = new Uint8Array(valid.length + tail.length);
      out.set(valid);
      out.set(tail, valid.length);
      return { data: out, binary: true };
    }
  }
}

/** Frames that break the protocol (the server closes that connection only). */
function hostileFrame(rng: Rng): Frame {
  switch (rng.int(13)) {
    case 0:
      return { data: rng.bytes(rng.int(64)), binary: true };
    case 1:
      return { data: rng.bytes(64 + rng.int(8192)), binary: true };
    case 2: {
      const valid = syncFrame(rng.int(3), randomUpdate(rng));
      return { data: valid.subarray(0, rng.int(valid.length)), binary: true }; // truncated
    }
    case 3: {
      const huge = rng.pick([2 ** 31, 2 ** 32 - 1, 2 ** 40, Number.MAX_SAFE_INTEGER]);
      const type = rng.pick([0, 1]);
      return {
        data: frame((e) => {
          encoding.writeVarUint(e, type);
          if (type === 0) encoding.writeVarUint(e, rng.int(3));
          encoding.writeVarUint(e, huge); // length prefix far beyond the frame
          encoding.writeUint8Array(e, rng.bytes(rng.int(32)));
        }),
        binary: true,
      };
    }
    case 4:
      return { data: new Uint8Array(Array.from({ length: 10 + rng.int(10) }, () => 0xff)), binary: true }; // varUint overflow
    case 5: {
      const type = rng.pick([4, 5, 99, 100, 101, 255, 2 ** 20, 2 ** 40]);
      const junk = rng.bytes(rng.int(20));
      const unknown = frame((e) => {
        encoding.writeVarUint(e, type);
        encoding.writeUint8Array(e, junk);
      });
      return { data: unknown, binary: true };
    }
    case 6:
      return { data: rng.pick([rng.string(rng.int(200)), '{"type":"sync"}', "\u0000\u0001", ""]), binary: false };
    case 7:
      return { data: frame((e) => encoding.writeVarUint(e, 0)), binary: true }; // sync without a subtype
    case 8: {
      const payload = rng.chance(0.5) ? rng.bytes(rng.int(64)) : awarenessPayload(rng, false);
      const awareness = frame((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(e, payload);
      });
      return { data: awareness, binary: true };
    }
    case 9: {
      // A real update with a few bits flipped.
      const update = randomUpdate(rng);
      for (let flips = 1 + rng.int(3); flips > 0; flips--) update[rng.int(update.length)] ^= 1 << rng.int(8);
      return { data: syncFrame(2, update), binary: true };
    }
    case 10:
      return { data: new Uint8Array(0), binary: true };
    case 11:
      return { data: syncFrame(rng.pick([3, 7, 2 ** 20]), rng.bytes(rng.int(10))), binary: true }; // unknown sync subtype
    default:
      return { data: syncFrame(0, rng.bytes(1 + rng.int(30))), binary: true }; // garbled state vector
  }
}

/* ------------------------------------------------------------------------------------------------ socket.io frames */

/** Packets the socket survives: events with bad payloads, unknown names, ack ids, noops. */
function socketIoSurvivable(rng: Rng, sessionId: string): Frame {
  const id = rng.int(1000);
  const junk = rng.pick(["1", "null", "[]", "{}", '"../../etc"', '{"__proto__":{"x":1}}', `"${"é".repeat(100)}"`]);
  const data = rng.pick([
    '42["session:join",null]',
    `42${id}["session:join",null]`,
    `42${id}["session:join",{"sessionId":"${sessionId}"}]`,
    `42${id}["session:join",{"sessionId":${junk}}]`,
    `42${id}["presence:idle",{"sessionId":"${sessionId}","idle":"oui"}]`,
    `42${id}["session:leave",{"sessionId":${junk}}]`,
    `42["${rng.pick(["__proto__", "constructor", "toString", "hasOwnProperty", "session:leave", ""])}",{}]`,
    `42[${rng.int(100)},2,3]`,
    `43${id}[]`,
    "6",
    "3",
  ]);
  return { data, binary: false };
}

/** Packets that break engine.io or socket.io parsing (the connection is closed). */
function socketIoHostile(rng: Rng): Frame {
  switch (rng.int(10)) {
    case 0:
      return { data: "42garbage", binary: false };
    case 1:
      return { data: `42${"[".repeat(1 + rng.int(5000))}`, binary: false };
    case 2:
      return { data: `42["session:join",{"sessionId":"${"x".repeat(70_000 + rng.int(1000))}"}]`, binary: false }; // > 64 KiB
    case 3:
      return { data: rng.bytes(1 + rng.int(200)), binary: true }; // binary junk
    case 4:
      return { data: `451-["session:join",{"_placeholder":true,"num":${rng.pick([0, 1, -1, 99])}}]`, binary: false };
    case 5:
      return { data: rng.pick(["", "9", "1", "5", "44", "2probe", "40/admin,"]), binary: false };
    case 6:
      return { data: `4${rng.int(10)}${rng.string(rng.int(60))}`, binary: false };
    case 7:
      return { data: '42{"a":1}', binary: false };
    case 8:
      return { data: '42["disconnect"]', binary: false }; // reserved event name
    default:
      return { data: rng.string(rng.int(300)), binary: false };
  }
}

/* ------------------------------------------------------------------------------------------------ connections */

/**
 * `frames`: frames written on open sockets. `delivered`: those the server reads, i.e. each connection's frames up
 * to and including the first one built to break the protocol (the server closes the connection on it and ignores
 * what follows).
 */
type Tally = { frames: number; delivered: number; connections: number; closes: Map<string, number> };
const newTally = (): Tally => ({ frames: 0, delivered: 0, connections: 0, closes: new Map() });

type Sender = {
  send(f: Frame, hostile: boolean): void;
  /** Resolves once everything sent so far is handed to the kernel. */
  drained(): Promise<void>;
  /** Resolves when the connection closed, or after `ms`. */
  closedWithin(ms: number): Promise<void>;
};

/** Opens a websocket, runs `script` once open, and resolves when it is closed (or after a short deadline). */
function shortLived(
  url: string,
  cookie: string | null,
  tally: Tally,
  script: (ws: WebSocket, sender: Sender) => Promise<void> | void,
): Promise<void> {
  return new Promise((resolve) => {
    tally.connections++;
    const ws = new WebSocket(url, { headers: cookie ? { Cookie: cookie } : {}, handshakeTimeout: 5_000 });
    let done = false;
    const finish = (label: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      tally.closes.set(label, (tally.closes.get(label) ?? 0) + 1);
      if (ws.readyState !== ws.CLOSED) ws.terminate();
      resolve();
    };
    const timer = setTimeout(() => finish("client deadline"), 3_000);
    let broken = false;
    let last: Promise<void> = Promise.resolve();
    const closed = new Promise<void>((resolved) => ws.once("close", () => resolved()));
    const sender: Sender = {
      send(f, hostile) {
        if (ws.readyState !== ws.OPEN) return;
        tally.frames++;
        if (!broken) tally.delivered++;
        if (hostile) broken = true;
        last = new Promise((written) => ws.send(f.data, { binary: f.binary }, () => written()));
      },
      drained: () => last,
      closedWithin: (ms) => Promise.race([closed, new Promise<void>((resolved) => setTimeout(resolved, ms))]),
    };
    ws.on("error", (error) => finish(`error ${error.message.slice(0, 40)}`));
    ws.on("unexpected-response", (_req, res) => {
      res.resume();
      finish(`HTTP ${res.statusCode}`);
    });
    ws.on("close", (code) => finish(String(code)));
    ws.on("open", () => {
      Promise.resolve(script(ws, sender)).catch(() => finish("script error"));
    });
  });
}

/**
 * One connection's frames: mostly frames it survives, rarely a hostile one early, and usually a hostile one last.
 * Then it drops the connection, closes it cleanly, or lets the server close it.
 */
async function playConnection(
  ws: WebSocket,
  sender: Sender,
  rng: Rng,
  count: number,
  survivable: () => Frame,
  hostile: () => Frame,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const breaks = last ? rng.chance(0.75) : rng.chance(0.005);
    sender.send(breaks ? hostile() : survivable(), breaks);
    if (breaks && rng.chance(0.5)) {
      // Let the server close it; some frames built to break the protocol happen to be valid, then drop it.
      await sender.closedWithin(500);
      ws.terminate();
      return;
    }
  }
  await sender.drained();
  if (rng.chance(0.5)) ws.close(1000);
  else ws.terminate();
}

/* ------------------------------------------------------------------------------------------------ test */

describe("fuzz", () => {
  let server: TestServer;
  let cookies: { membre1: string; membre2: string; president: string; observateur: string };

  beforeAll(async () => {
    console.log(`[fuzz] seed=${SEED} (rejouer : QUORUM_FUZZ_SEED=${SEED})`);
    server = await startServer();
    console.log(`[fuzz] server healthy after ${server.bootMs} ms`);
    const [membre1, membre2, president, observateur] = await Promise.all(
      [DEMO_ACCOUNTS.membre1, DEMO_ACCOUNTS.membre2, DEMO_ACCOUNTS.president, DEMO_ACCOUNTS.observateur].map(
        (email) => login(server.baseUrl, email),
      ),
    );
    cookies = { membre1, membre2, president, observateur };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(`survives ${YJS_FRAMES}+ hostile Yjs frames and ${SOCKET_IO_FRAMES}+ socket.io packets while another grid converges`, { timeout: 90_000 }, async () => {
    const ids = await findCommission(server.baseUrl, cookies.membre1);
    expect(ids.slotIds.length).toBeGreaterThanOrEqual(2);
    const target = gridName(ids.sessionId, ids.slotIds[0]);
    const edited = gridName(ids.sessionId, ids.slotIds[1]);
    const wsBase = server.baseUrl.replace(/^http/, "ws");
    // Members write a grid once they declared no conflict of interest for its candidate.
    for (const [cookie, slotId] of [
      [cookies.president, ids.slotIds[1]],
      [cookies.membre1, ids.slotIds[0]],
      [cookies.president, ids.slotIds[0]],
    ]) {
      await declareNoConflict(server.baseUrl, cookie, ids.sessionId, slotId);
    }

    /*
     * Two connections co-edit the other grid's comments for the whole run: the president's (only the president writes
     * them, once the passage has left « Accueil », and only under the référentiel's competences — the grid's schema)
     * from two devices, each overwriting the comments of its own half of the competences.
     */
    const moved = await passageCommand(server.baseUrl, cookies.president, ids.sessionId, ids.slotIds[1], {
      intent: "phase",
      to: "PRESENTATION",
    });
    expect(moved.status).toBe(200);
    expect(ids.competenceIds.length).toBeGreaterThanOrEqual(2);
    const half = (parity: number) => ids.competenceIds.filter((_, i) => i % 2 === parity);
    const editors: Array<{ name: string; grid: GridClient; keys: string[]; last: Map<string, string>; made: number; lagMs: number[] }> = [
      { name: "tablette", grid: connectGrid(server.baseUrl, edited, cookies.president, { userName: "Pierre" }), keys: half(0), last: new Map(), made: 0, lagMs: [] },
      { name: "portable", grid: connectGrid(server.baseUrl, edited, cookies.president, { userName: "Pierre" }), keys: half(1), last: new Map(), made: 0, lagMs: [] },
    ];
    await until(() => editors.every((editor) => editor.grid.synced), "editors synced");
    for (const editor of editors) {
      editor.grid.comments.observe((event) => {
        for (const key of event.keysChanged) {
          if (editor.keys.includes(key)) continue;
          const sentAt = Number(editor.grid.comments.get(key)?.split("@")[1]);
          if (Number.isFinite(sentAt)) editor.lagMs.push(Date.now() - sentAt);
        }
      });
    }
    let fuzzing = true;
    const editing = editors.map(async (editor) => {
      for (let i = 0; fuzzing; i++) {
        const key = editor.keys[i % editor.keys.length];
        const value = `${editor.name} ${i}@${Date.now()}`;
        editor.grid.comments.set(key, value);
        editor.last.set(key, value);
        editor.made++;
        await new Promise((resolve) => setTimeout(resolve, 25)); // steady pace: 40 edits/s each
      }
    });

    /* The fuzz. */
    const started = Date.now();
    const deadline = started + FUZZ_DEADLINE_MS;
    const running = () => server.exitCode === null && server.exitSignal === null;
    const yjsTally = newTally();
    const ioTally = newTally();
    let yjsIndex = 0;
    let ioIndex = 0;

    async function yjsWorker() {
      while (yjsTally.delivered < YJS_FRAMES && Date.now() < deadline && running()) {
        const index = yjsIndex++;
        const rng = streamFor(1, index);
        const roll = rng.int(100);
        // Mostly seated members on the target grid (the observer most of the time: its edits are refused, not
        // stored, which keeps the document small enough to answer quickly);
        // sometimes the session's minutes (a text document: the president writes it, a member reads it), no cookie,
        // a forged one, or another document.
        const forged = `quorum_session=${Buffer.from(rng.bytes(24)).toString("base64url")}`;
        const cookie =
          roll < 3 ? null : roll < 6 ? forged : roll < 85 ? cookies.observateur : rng.pick([cookies.membre1, cookies.president]);
        const name =
          roll >= 94
            ? rng.pick([`grid:${ids.sessionId}:inconnu${rng.int(1e6)}`, "grid:x:y", "%E0%A4%A", "a".repeat(300), ""])
            : roll >= 90
              ? `minutes:${ids.sessionId}`
              : target;
        const url = `${wsBase}/yjs/${name.startsWith("%") ? name : encodeURIComponent(name)}`;
        // Opening a connection (authentication, access, document) costs far more than a frame: many frames each.
        const count = 30 + rng.int(151);
        const oversized = index % OVERSIZED_EVERY === 12;
        await shortLived(url, cookie, yjsTally, async (ws, sender) => {
          if (oversized) {
            sender.send({ data: new Uint8Array(1024 * 1024 + 1 + rng.int(64)).fill(rng.int(256)), binary: true }, true);
          }
          await playConnection(ws, sender, rng, count, () => survivableFrame(rng), () => hostileFrame(rng));
        });
      }
    }

    async function socketIoWorker() {
      while (ioTally.delivered < SOCKET_IO_FRAMES && Date.now() < deadline && running()) {
        const index = ioIndex++;
        const rng = streamFor(2, index);
        const cookie = rng.chance(0.1) ? null : rng.pick([cookies.membre1, cookies.observateur]);
        const url = `${wsBase}/socket.io/?EIO=4&transport=websocket`;
        const count = 2 + rng.int(30);
        await shortLived(url, cookie, ioTally, async (ws, sender) => {
          if (rng.chance(0.9)) sender.send({ data: "40", binary: false }, false); // connect to the main namespace
          await playConnection(
            ws,
            sender,
            rng,
            count,
            () => socketIoSurvivable(rng, ids.sessionId),
            () => socketIoHostile(rng),
          );
        });
      }
    }

    // First, frames over 1 MiB on connections the server refuses (4401, 4403) or accepts: once, a refused
    // connection without an 'error' listener turned such a frame into an uncaught exception.
    const oversized = (): Frame => ({ data: new Uint8Array(1024 * 1024 + 7).fill(0), binary: true });
    await Promise.all(
      [
        [null, target],
        [cookies.observateur, gridName(ids.sessionId, "inconnu0000")],
        [cookies.membre1, target],
      ].map(([cookie, name]) =>
        shortLived(`${wsBase}/yjs/${encodeURIComponent(name!)}`, cookie, yjsTally, async (ws, sender) => {
          sender.send(oversized(), true);
          await sender.closedWithin(2_000);
        }),
      ),
    );
    await Promise.all([
      ...Array.from({ length: YJS_WORKERS }, () => yjsWorker()),
      ...Array.from({ length: SOCKET_IO_WORKERS }, () => socketIoWorker()),
    ]);
    const fuzzMs = Date.now() - started;
    fuzzing = false;
    await Promise.all(editing);
    const summary = (tally: Tally) =>
      `${tally.delivered} frames read by the server (${tally.frames} sent) / ${tally.connections} connections, closes ${JSON.stringify(Object.fromEntries(tally.closes))}`;
    console.log(`[fuzz] seed=${SEED} in ${fuzzMs} ms — Yjs: ${summary(yjsTally)} — socket.io: ${summary(ioTally)}`);

    const alive = server.exitCode === null && server.exitSignal === null;
    expect(alive, `server exited (seed ${SEED}):\n${server.logs().slice(-6000)}`).toBe(true);
    expect(yjsTally.delivered, `seed ${SEED}`).toBeGreaterThanOrEqual(YJS_FRAMES);
    expect(ioTally.delivered, `seed ${SEED}`).toBeGreaterThanOrEqual(SOCKET_IO_FRAMES);

    /* The editors' grid converged: each sees the last edit of both, and a newcomer loads them. */
    const expected = JSON.stringify(Object.fromEntries(editors.flatMap((editor) => [...editor.last]).sort(([a], [b]) => (a < b ? -1 : 1))));
    const commentsOf = (grid: GridClient) =>
      JSON.stringify(Object.fromEntries([...grid.comments.entries()].sort(([a], [b]) => (a < b ? -1 : 1))));
    const made = editors.reduce((sum, editor) => sum + editor.made, 0);
    for (const editor of editors) {
      await until(() => commentsOf(editor.grid) === expected, `${editor.name} sees the last edit of both (seed ${SEED})`, {
        timeoutMs: 20_000,
        details: () => ({
          seen: commentsOf(editor.grid),
          expected,
          closes: editors.map((e) => e.grid.closes),
          denied: editors.map((e) => e.grid.denied),
          acked: editors.map((e) => e.grid.acked),
          logs: server.logs().split("\n").filter((line) => !line.includes("refusée")).slice(-40),
        }),
      });
      expect(editor.grid.closes, `${editor.name} was never disconnected (seed ${SEED})`).toEqual([]);
      expect(editor.grid.denied, `${editor.name} was never refused (seed ${SEED})`).toEqual([]);
    }
    const lags = editors.flatMap((editor) => editor.lagMs).sort((a, b) => a - b);
    console.log(
      `[fuzz] editors: ${made} edits, peer lag p50 ${lags[Math.floor(lags.length / 2)]} ms, max ${lags.at(-1)} ms`,
    );
    const newcomer = connectGrid(server.baseUrl, edited, cookies.president);
    await until(() => newcomer.synced && commentsOf(newcomer) === expected, "a newcomer loads the last edits", {
      timeoutMs: 20_000,
    });
    closeAll(newcomer, ...editors.map((editor) => editor.grid));

    /* Still up, never exited. */
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(server.exitCode).toBeNull();
    expect(server.exitSignal).toBeNull();
    expect(server.logs()).not.toMatch(/uncaught|unhandled/i);
  });
});
