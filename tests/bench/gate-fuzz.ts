/**
 * In-process fuzz of the schema gate (realtime/yjs/schema.ts) against a server doc, far denser than the server fuzz
 * (tests/integration/fuzz.test.ts): per schema (any content, the grid's, the minutes'), an honest client and an
 * attacker edit a shared doc; the attacker's updates are bit-flipped. Every update goes through the gate as the
 * write pipeline does, then to the server doc when allowed. Reports, and stops at the first:
 * - an exception escaping the gate;
 * - the doc's apply throwing although the gate allowed the update (the trial ran on a shadow that did not behave
 *   like the doc) — the server survives it (its write pipeline discards and reloads the document), but a seated
 *   writer could force that reload (found with seed 1 while the doc could hold pending structs; it no longer can:
 *   an update that depends on what the doc does not hold waits aside);
 * - the doc left unencodable by an allowed update;
 * - the honest client unable to take the server's state.
 * Deterministic per seed (client ids included): `node --import tsx tests/bench/gate-fuzz.ts <seed> [rounds]`; the
 * state before and the update are written to `gate-fuzz-<seed>.json` for a regression test.
 */
import { writeFileSync } from "node:fs";
import * as Y from "yjs";
import { minutesSchema } from "../../realtime/yjs/minutes-schema";
import { gridSchema } from "../../realtime/yjs/grid-schema";
import { ANY_CONTENT, type DocumentSchema, PENDING, SchemaGate, UNINTEGRABLE } from "../../realtime/yjs/schema";

const seed = Number(process.argv[2] ?? 1) >>> 0;
const rounds = Number(process.argv[3] ?? 60);
let state = seed;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const below = (n: number) => Math.floor(random() * n);
const newDoc = () => {
  const doc = new Y.Doc();
  doc.clientID = 1 + below(2 ** 30);
  return doc;
};
const SCHEMAS: Array<[string, DocumentSchema]> = [
  ["any", ANY_CONTENT],
  ["grid", gridSchema],
  ["minutes", minutesSchema],
];
// Any key and value in the vocabulary: the fuzz explores the gate's machinery (prediction, trial, pending), so the
// grid's map edits must reach the doc as often as they can (the vocabulary's own check is tested in
// tests/unit/realtime-schema.test.ts).
const writer = { userId: "u", rights: new Set(["score", "decide"]), vocabulary: { has: () => true, fits: () => true } };
const counts = { accepted: 0, refused: 0, unintegrable: 0, pending: 0, released: 0, undecodable: 0 };

function finding(kind: string, label: string, round: number, step: number, before: Uint8Array | null, update: Uint8Array): never {
  const file = `gate-fuzz-${seed}.json`;
  writeFileSync(file, JSON.stringify({ kind, schema: label, round, step, before: before && Buffer.from(before).toString("hex"), update: Buffer.from(update).toString("hex") }));
  console.log(`seed ${seed}: ${kind} (${label}, round ${round}, step ${step}) — written to ${file}`);
  process.exit(1);
}

function edit(doc: Y.Doc): void {
  const value = Array.from({ length: 1 + below(8) }, () => String.fromCharCode(32 + below(300))).join("");
  const text = doc.getText("remarks");
  switch (below(6)) {
    case 0:
      return void doc.getMap("result").set(`c${below(10)}`, value);
    case 1:
      return void text.insert(below(text.length + 1), value);
    case 2:
      return void (text.length > 0 ? text.delete(0, Math.min(text.length, 1 + below(3))) : text.insert(0, value));
    case 3: {
      const nested = new Y.Map<Uint8Array>();
      doc.getMap("comment").set(`n${below(5)}`, nested);
      return void nested.set("b", new Uint8Array([below(256)]));
    }
    case 4:
      return void doc.getArray("a").push([below(1000), { x: value }, null]);
    default:
      return void doc.getText("synthesis").insert(0, value);
  }
}

const started = Date.now();
for (const [label, schema] of SCHEMAS) {
  for (let round = 0; round < rounds; round++) {
    const server = newDoc();
    schema.prepare(server);
    const gate = new SchemaGate(schema, server);
    const aside: Uint8Array[] = [];
    let honest = newDoc();
    let attacker = newDoc();
    for (let step = 0; step < 150; step++) {
      const attacking = below(2) === 1;
      const client = attacking ? attacker : honest;
      try {
        Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
      } catch {
        if (!attacking) finding("honest client cannot take the server's state", label, round, step, null, Y.encodeStateAsUpdate(server));
        attacker = newDoc();
        continue;
      }
      const vector = Y.encodeStateVector(client);
      edit(client);
      let update = Y.encodeStateAsUpdate(client, vector);
      if (attacking) {
        if (random() < 0.3) update = Y.encodeStateAsUpdate(client);
        update = Uint8Array.from(update);
        for (let flips = 1 + below(3); flips > 0; flips--) update[below(update.length)] ^= 1 << below(8);
        attacker = newDoc(); // afresh next time (its own doc holds what the server may not)
      }
      let decoded;
      try {
        decoded = Y.decodeUpdate(update);
      } catch {
        counts.undecodable++;
        continue;
      }
      const before = Y.encodeStateAsUpdate(server);
      let verdict;
      try {
        verdict = gate.check(update, writer, decoded);
      } catch {
        finding("exception escaped the gate", label, round, step, before, update);
      }
      if (verdict === UNINTEGRABLE) {
        counts.unintegrable++;
        continue;
      }
      if (verdict === PENDING) {
        counts.pending++; // the document keeps it aside, off the doc, and offers it again after each update applied
        if (aside.length < 64) aside.push(update);
        continue;
      }
      if (verdict !== null) {
        counts.refused++;
        if (!attacking) honest = newDoc(); // rebuilt from the server's state, as the pages do
        continue;
      }
      counts.accepted++;
      try {
        Y.applyUpdate(server, update);
      } catch {
        finding("the doc's apply threw after the gate allowed the update", label, round, step, before, update);
      }
      try {
        Y.encodeStateAsUpdate(server);
      } catch {
        finding("the doc is left unencodable", label, round, step, before, update);
      }
      // As the document does: what was set aside is offered again, in order, while one of them applies.
      for (let progress = true; progress; ) {
        progress = false;
        for (const waiting of [...aside]) {
          const again = Y.encodeStateAsUpdate(server);
          let retry;
          try {
            retry = gate.check(waiting, writer);
          } catch {
            finding("exception escaped the gate (update set aside)", label, round, step, again, waiting);
          }
          if (retry === PENDING) continue;
          aside.splice(aside.indexOf(waiting), 1);
          if (retry !== null) continue;
          counts.released++;
          progress = true;
          try {
            Y.applyUpdate(server, waiting);
            Y.encodeStateAsUpdate(server);
          } catch {
            finding("the doc's apply of an update set aside threw, or left it unencodable", label, round, step, again, waiting);
          }
        }
      }
    }
  }
}
console.log(`seed ${seed}: nothing found in ${Date.now() - started} ms`, JSON.stringify(counts));
