/**
 * The load generator: a child process (forked by tests/bench/realtime.ts, IPC) holding every simulated client of
 * one phase, so its CPU never competes with the orchestrator's bookkeeping and its own stalls are visible
 * (event-loop delay is reported).
 *
 * Schedule (coordinated omission avoided): with N clients at `rate` edits/s each, edit j (j = 0, 1, …) is due at
 * t0 + j / (N · rate) and is made by the client at position j mod N of a fixed order that interleaves the rooms
 * (so each room's clients are evenly spread over the period 1/rate). Client k thus sends its i-th edit at
 * t0 + offset_k + i / rate. Latency = arrival − INTENDED time: a stalled generator or server shows up as latency
 * instead of silently postponing the next sends.
 *
 * An edit's latency is the time until it has arrived at EVERY other client of its room (the headline number);
 * the per-delivery latencies (each peer separately) and, where the server acknowledges, the ack latency (Quorum:
 * stored in the database; Hocuspocus: applied in memory) are reported too. Edits due during the warm-up are sent
 * and checked for loss but not counted in the latency statistics.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fingerprint, type Framing, LeanClient, seatWrite } from "./lean-client";
import { ProviderClient } from "./provider-client";
import { round, type Summary, summarize } from "./stats";

export type LoadConfig = {
  target: string;
  framing: Framing;
  client: "lean" | "provider";
  /** ws://127.0.0.1:<port> */
  baseUrl: string;
  /** y-websocket framing: the path before the document name ("/yjs" for Quorum, "" for the bare relay). */
  pathPrefix: string;
  /**
   * Per room: the document, per seat its login cookie (Quorum; null elsewhere) and user id, and the competences of
   * its référentiel (Quorum's fixture; ids of the same length elsewhere). Seat 0 writes the commission's result (the
   * president), the others their own assessment (see `seatWrite`).
   */
  rooms: { documentName: string; tokens: (string | null)[]; userIds: string[]; competenceIds: string[] }[];
  rate: number;
  warmupS: number;
  durationS: number;
  /** After the last send: how long to wait for in-flight edits before counting the missing ones as lost. */
  drainS: number;
  connectConcurrency: number;
};

export type LoadResult = {
  target: string;
  clients: number;
  rooms: number;
  editsSent: number;
  editsMeasured: number;
  /** Edits that never reached every peer of their room (within the drain time). */
  lost: number;
  /** Deliveries (edit × peer) missing. */
  missingDeliveries: number;
  allPeers: Summary;
  perDelivery: Summary;
  ack: Summary | null;
  /** Send time − intended time: how late the generator itself was. */
  sendLag: Summary;
  /**
   * Edit → every peer from the ACTUAL send time: the server and the network only, without the generator's own
   * lateness. Not the headline (a stalled generator is real latency), a diagnostic: it tells which side a tail is on.
   */
  afterSend: Summary;
  /** The measured seconds with the highest edit→every-peer max, worst first (second 0 = start of the warm-up). */
  worstSeconds: { second: number; edits: number; p50: number; max: number }[];
  converged: boolean;
  divergentRooms: string[];
  connectSeconds: number;
  connectFailures: number;
  closedDuringRun: number;
  /** Clients whose edits the server refused (permission denied: read-only, sealed, schema…): a broken fixture. */
  deniedClients: number;
  /** The distinct refusal reasons (at most 5). */
  deniedReasons: string[];
  generator: { cpuSeconds: number; cpuShare: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };
};

type Client = LeanClient | ProviderClient;

export type ParentMessage = { type: "run"; config: LoadConfig };
export type ChildMessage =
  | { type: "connected"; seconds: number }
  | { type: "window-start" }
  | { type: "window-end" }
  | { type: "result"; result: LoadResult }
  | { type: "error"; message: string };

function send(message: ChildMessage): void {
  process.send?.(message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(config: LoadConfig): Promise<LoadResult> {
  const roomCount = config.rooms.length;
  const perRoom = config.rooms[0].tokens.length;
  const clientCount = roomCount * perRoom;
  const peers = perRoom - 1;
  const intervalMs = 1000 / (clientCount * config.rate);
  const totalEdits = Math.ceil((config.warmupS + config.durationS) * clientCount * config.rate);
  const firstMeasured = Math.ceil(config.warmupS * clientCount * config.rate);

  // Per edit: arrivals so far, latest arrival, actual send time, ack time.
  const arrivals = new Uint16Array(totalEdits);
  const lastArrival = new Float64Array(totalEdits).fill(NaN);
  const sentAt = new Float64Array(totalEdits).fill(NaN);
  const ackedAt = new Float64Array(totalEdits).fill(NaN);
  const deliveries = new Float64Array(Math.max(0, totalEdits - firstMeasured) * peers);
  let deliveryCount = 0;
  let t0 = NaN;
  const intended = (j: number) => t0 + j * intervalMs;

  const onRemoteEdits = (ids: number[], at: number) => {
    for (const id of ids) {
      if (id >= totalEdits || Number.isNaN(sentAt[id])) continue; // an edit its closed sender skipped never arrives
      arrivals[id]++;
      if (!(lastArrival[id] >= at)) lastArrival[id] = at;
      if (id >= firstMeasured && deliveryCount < deliveries.length) deliveries[deliveryCount++] = at - intended(id);
    }
  };

  // The first refusal ends the run: refused edits are not lost ones, and nothing would be measured.
  let refusal: string | null = null;
  const onDenied = (reason: string) => {
    refusal ??= reason;
  };

  /* ---------------------------------------------------------------------------------------- clients */
  // Position p in the sending order → client (room p mod R, member ⌊p / R⌋): rooms interleaved.
  const clients: Client[] = new Array(clientCount);
  const pendingAcks: { message: number; edit: number }[][] = Array.from({ length: clientCount }, () => []);
  const roomOf = (p: number) => p % roomCount;
  const makeClient = (p: number): Client => {
    const room = config.rooms[roomOf(p)];
    const member = Math.floor(p / roomCount);
    const token = room.tokens[member];
    const headers = token ? { Cookie: `quorum_session=${token}` } : undefined;
    const user = { id: `u${p}`, name: `Jury ${p}` };
    const write = seatWrite(room.userIds[member], member, room.competenceIds);
    const onAck = (count: number, at: number) => {
      const queue = pendingAcks[p];
      let done = 0;
      while (done < queue.length && queue[done].message <= count) {
        ackedAt[queue[done].edit] = at;
        done++;
      }
      if (done > 0) queue.splice(0, done);
    };
    return config.client === "lean"
      ? new LeanClient({
          url:
            config.framing === "hocuspocus"
              ? config.baseUrl
              : `${config.baseUrl}${config.pathPrefix}/${encodeURIComponent(room.documentName)}`,
          documentName: room.documentName,
          framing: config.framing,
          headers,
          user,
          write,
          onDenied,
          onRemoteEdits,
          editStride: clientCount,
          onAck,
        })
      : new ProviderClient({
          serverUrl: config.framing === "hocuspocus" ? config.baseUrl : `${config.baseUrl}${config.pathPrefix}`,
          documentName: room.documentName,
          framing: config.framing,
          headers,
          user,
          write,
          onDenied,
          onRemoteEdits,
          editStride: clientCount,
          onAck,
        });
  };
  for (let p = 0; p < clientCount; p++) clients[p] = makeClient(p);

  const connectStarted = performance.now();
  let connectFailures = 0;
  let next = 0;
  const connectOne = async (p: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await clients[p].connect();
        return;
      } catch (error) {
        connectFailures++;
        if (attempt >= 3) throw error;
        clients[p].destroy(); // a failed connect leaves a closed client behind: build the same one again
        clients[p] = makeClient(p);
        await sleep(200 * attempt);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(config.connectConcurrency, clientCount) }, async () => {
      while (next < clientCount) await connectOne(next++);
    }),
  );
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  send({ type: "connected", seconds: connectSeconds });
  await sleep(500); // let the joins' awareness traffic settle

  // Presence renewals every 15 s per client, client p at phase p/N of the period (browsers joined at different times).
  const RENEW_MS = 15_000;
  const renewStarted = performance.now();
  let renewed = 0;
  const renewal = setInterval(() => {
    const due = Math.floor(((performance.now() - renewStarted) / RENEW_MS) * clientCount);
    for (; renewed < due; renewed++) clients[renewed % clientCount].renewAwareness();
  }, 50);

  /* ---------------------------------------------------------------------------------------- schedule */
  const eventLoop = monitorEventLoopDelay({ resolution: 1 });
  let cpuAtWindowStart = process.cpuUsage();
  let windowStartedAt = 0;
  t0 = performance.now() + 20;
  let j = 0;
  let windowStarted = false;
  await new Promise<void>((resolve, reject) => {
    const tick = () => {
      if (refusal !== null) {
        const denied = clients.filter((client) => client.denied !== null).length;
        return reject(new Error(`${config.target}: the server refused edits (permission denied) of ${denied} client(s): « ${refusal} »`));
      }
      const now = performance.now();
      if (!windowStarted && now >= intended(firstMeasured)) {
        windowStarted = true;
        windowStartedAt = now;
        cpuAtWindowStart = process.cpuUsage();
        eventLoop.enable();
        send({ type: "window-start" });
      }
      while (j < totalEdits && intended(j) <= now) {
        const p = j % clientCount;
        const client = clients[p];
        if (!client.closed) {
          client.edit(j);
          sentAt[j] = performance.now();
          if (config.target !== "bare") pendingAcks[p].push({ message: client.updateMessagesSent, edit: j });
        }
        j++;
      }
      if (j >= totalEdits) return resolve();
      setTimeout(tick, Math.max(0, intended(j) - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  eventLoop.disable();
  const windowCpu = process.cpuUsage(cpuAtWindowStart);
  const windowSeconds = (performance.now() - windowStartedAt) / 1000;
  send({ type: "window-end" });

  /* ---------------------------------------------------------------------------------------- drain, verify */
  const complete = () => {
    for (let id = 0; id < totalEdits; id++) if (arrivals[id] < peers && !Number.isNaN(sentAt[id])) return false;
    return true;
  };
  const drainDeadline = performance.now() + config.drainS * 1000;
  while (!complete() && performance.now() < drainDeadline) await sleep(50);

  let lost = 0;
  let missingDeliveries = 0;
  const allPeers: number[] = [];
  const bySecond: number[][] = [];
  const acks: number[] = [];
  const sendLag: number[] = [];
  const afterSend: number[] = [];
  for (let id = 0; id < totalEdits; id++) {
    const missing = peers - arrivals[id];
    if (missing > 0) {
      lost++;
      missingDeliveries += missing;
    }
    if (id < firstMeasured) continue;
    if (!Number.isNaN(sentAt[id])) sendLag.push(sentAt[id] - intended(id));
    if (missing <= 0) {
      const latency = lastArrival[id] - intended(id);
      allPeers.push(latency);
      if (!Number.isNaN(sentAt[id])) afterSend.push(lastArrival[id] - sentAt[id]);
      const second = Math.floor((intended(id) - t0) / 1000);
      (bySecond[second] ??= []).push(latency);
    }
    if (!Number.isNaN(ackedAt[id])) acks.push(ackedAt[id] - intended(id));
  }

  // Convergence: every client of a room holds the same document, and so does a fresh client synced from the server.
  const divergentRooms: string[] = [];
  for (let r = 0; r < roomCount; r++) {
    const members = clients.filter((_, p) => roomOf(p) === r);
    const prints = new Set(members.map((client) => fingerprint(client.doc)));
    const room = config.rooms[r];
    const verifierOptions = {
      documentName: room.documentName,
      framing: config.framing,
      headers: room.tokens[0] ? { Cookie: `quorum_session=${room.tokens[0]}` } : undefined,
      user: { id: `verifier${r}`, name: "Vérification" },
      write: seatWrite(room.userIds[0], 0, room.competenceIds), // never used: the verifier only syncs
      onRemoteEdits: () => {},
      editStride: clientCount,
    };
    const verifier = new LeanClient({
      ...verifierOptions,
      url:
        config.framing === "hocuspocus"
          ? config.baseUrl
          : `${config.baseUrl}${config.pathPrefix}/${encodeURIComponent(room.documentName)}`,
    });
    try {
      await verifier.connect();
      prints.add(fingerprint(verifier.doc));
    } catch (error) {
      prints.add(`verifier failed: ${(error as Error).message}`);
    } finally {
      verifier.destroy();
    }
    if (prints.size !== 1) divergentRooms.push(room.documentName);
  }

  clearInterval(renewal);
  const closedDuringRun = clients.filter((client) => client.closed).length;
  const deniedClients = clients.filter((client) => client.denied !== null).length;
  const deniedReasons = [...new Set(clients.flatMap((client) => (client.denied === null ? [] : [client.denied])))].slice(0, 5);
  for (const client of clients) client.destroy();

  const generatorCpu = (windowCpu.user + windowCpu.system) / 1e6;
  return {
    target: config.target,
    clients: clientCount,
    rooms: roomCount,
    editsSent: sentAt.filter((t) => !Number.isNaN(t)).length,
    editsMeasured: totalEdits - firstMeasured,
    lost,
    missingDeliveries,
    allPeers: summarize(allPeers),
    perDelivery: summarize(deliveries.subarray(0, deliveryCount)),
    ack: acks.length > 0 ? summarize(acks) : null,
    sendLag: summarize(sendLag),
    afterSend: summarize(afterSend),
    worstSeconds: bySecond
      .map((latencies, second) => ({ second, ...summarize(latencies) }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.max - a.max)
      .slice(0, 5)
      .map(({ second, count, p50, max }) => ({ second, edits: count, p50: round(p50, 1), max: round(max, 1) })),
    converged: divergentRooms.length === 0,
    divergentRooms,
    connectSeconds: round(connectSeconds, 2),
    connectFailures,
    closedDuringRun,
    deniedClients,
    deniedReasons,
    generator: {
      cpuSeconds: round(generatorCpu, 2),
      cpuShare: round(generatorCpu / windowSeconds, 3),
      eventLoopDelayP99Ms: round(eventLoop.percentile(99) / 1e6, 2),
      eventLoopDelayMaxMs: round(eventLoop.max / 1e6, 2),
    },
  };
}

process.on("message", (message: ParentMessage) => {
  if (message.type !== "run") return;
  run(message.config)
    .then((result) => send({ type: "result", result }))
    .catch((error: unknown) => send({ type: "error", message: (error as Error).stack ?? String(error) }));
});
// The orchestrator went away: nothing to report to.
process.on("disconnect", () => process.exit(0));
