/**
 * The benchmark's baseline: a bare in-memory y-protocols relay (the classic y-websocket server recipe) — no auth,
 * no persistence, no limits, no acknowledgements. One Y.Doc + Awareness per room (`ws://host/<room>`); sync step 1
 * is answered with step 2, updates are applied and broadcast to the room's other sockets on receipt, awareness is
 * relayed. Whatever Quorum adds (cookie auth, access check, durable group commit, acks, rate limits) shows up as
 * the difference against this.
 *
 * Run as a child process by tests/bench/realtime.ts: `node --import tsx tests/bench/bare-relay.ts` with PORT
 * (0 = any); prints `bare-relay listening on <port>`; stops on SIGTERM.
 */
import http from "node:http";
import { fileURLToPath } from "node:url";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocketServer, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

type Room = { doc: Y.Doc; awareness: awarenessProtocol.Awareness; sockets: Set<WebSocket> };

export function createBareRelay(): { server: http.Server; close(): Promise<void> } {
  const rooms = new Map<string, Room>();
  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1024 * 1024 });

  function broadcast(room: Room, message: Uint8Array, except: unknown): void {
    for (const socket of room.sockets) {
      if (socket !== except && socket.readyState === socket.OPEN) socket.send(message);
    }
  }

  function roomFor(name: string): Room {
    let room = rooms.get(name);
    if (room) return room;
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const created: Room = { doc, awareness, sockets: new Set() };
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      broadcast(created, encoding.toUint8Array(encoder), origin);
    });
    awareness.on("update", ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = added.concat(updated, removed);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      broadcast(created, encoding.toUint8Array(encoder), origin);
    });
    rooms.set(name, created);
    room = created;
    return room;
  }

  wss.on("connection", (socket, req) => {
    const name = decodeURIComponent((req.url ?? "/").split("?")[0].slice(1));
    const room = roomFor(name);
    room.sockets.add(socket);
    const clientIds = new Set<number>();

    socket.on("message", (data: Buffer) => {
      try {
        const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        const encoder = encoding.createEncoder();
        const type = decoding.readVarUint(decoder);
        if (type === MESSAGE_SYNC) {
          encoding.writeVarUint(encoder, MESSAGE_SYNC);
          syncProtocol.readSyncMessage(decoder, encoder, room.doc, socket);
          if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder));
        } else if (type === MESSAGE_AWARENESS) {
          const update = decoding.readVarUint8Array(decoder);
          // Remember which awareness ids this socket drives, to remove them when it leaves.
          const entries = decoding.createDecoder(update);
          const count = decoding.readVarUint(entries);
          for (let i = 0; i < count; i++) {
            clientIds.add(decoding.readVarUint(entries));
            decoding.readVarUint(entries);
            decoding.readVarString(entries);
          }
          awarenessProtocol.applyAwarenessUpdate(room.awareness, update, socket);
        } else if (type === MESSAGE_QUERY_AWARENESS) {
          encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(
            encoder,
            awarenessProtocol.encodeAwarenessUpdate(room.awareness, Array.from(room.awareness.getStates().keys())),
          );
          socket.send(encoding.toUint8Array(encoder));
        }
      } catch (error) {
        console.error("[bare-relay] bad message", error);
        socket.close(1002);
      }
    });
    socket.on("close", () => {
      room.sockets.delete(socket);
      const ids = Array.from(clientIds).filter((id) => room.awareness.states.has(id));
      if (ids.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, ids, null);
    });

    // Open the sync: our state vector, then who is here.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, room.doc);
    socket.send(encoding.toUint8Array(encoder));
    const present = Array.from(room.awareness.getStates().keys());
    if (present.length > 0) {
      const awarenessEncoder = encoding.createEncoder();
      encoding.writeVarUint(awarenessEncoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(awarenessEncoder, awarenessProtocol.encodeAwarenessUpdate(room.awareness, present));
      socket.send(encoding.toUint8Array(awarenessEncoder));
    }
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => server.close(() => resolve()));
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const relay = createBareRelay();
  relay.server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const address = relay.server.address();
    console.log(`bare-relay listening on ${typeof address === "object" && address ? address.port : "?"}`);
  });
  process.on("SIGTERM", () => void relay.close().then(() => process.exit(0)));
}
