/**
 * The real client libraries as load-generator clients (`--client=provider`): y-websocket 3's `WebsocketProvider`
 * (against Quorum and the bare relay; `WebSocketPolyfill` = a `ws` subclass adding Quorum's session cookie) and
 * Hocuspocus 4's `HocuspocusProvider` on its own `HocuspocusProviderWebsocket` (`WebSocketPolyfill: ws`).
 * Same edits and arrival probe as the lean client (./lean-client), so both kinds of client measure the same thing.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { installAckHandler, MESSAGE_AUTH, type ProviderWithHandlers } from "../../realtime/yjs/protocol";
import { type BenchClientOptions, gridEdit, observeRemoteEdits } from "./lean-client";

export type ProviderClientOptions = BenchClientOptions & {
  /** y-websocket: the server URL before the room name (e.g. ws://host/yjs); hocuspocus: the server root. */
  serverUrl: string;
};

export class ProviderClient {
  readonly doc = new Y.Doc();
  closed = false;
  closeInfo: string | null = null;
  /** The server's permission-denied reason (y-websocket framing; the Hocuspocus bench server has no auth). */
  denied: string | null = null;
  /** Update messages the server will count for acknowledgements: sync step 2 on connect, then one per edit. */
  updateMessagesSent = 0;
  private provider: WebsocketProvider | HocuspocusProvider | null = null;
  private socket: HocuspocusProviderWebsocket | null = null;

  constructor(private readonly options: ProviderClientOptions) {
    observeRemoteEdits(this.doc, options.editStride, options.onRemoteEdits);
  }

  connect(timeoutMs = 30_000): Promise<void> {
    const { options } = this;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.destroy();
        reject(new Error(`${options.documentName}: provider not synced after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (options.framing === "y-websocket") {
        const headers = options.headers ?? {};
        class CookieWebSocket extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers, perMessageDeflate: false });
          }
        }
        const provider = new WebsocketProvider(options.serverUrl, options.documentName, this.doc, {
          WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        });
        this.provider = provider;
        installAckHandler(provider as unknown as ProviderWithHandlers, (count) => options.onAck?.(count, performance.now()));
        // y-websocket only logs a refusal: record it (y-protocols/auth: subtype 0 = permission denied + reason).
        (provider as unknown as ProviderWithHandlers).messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
          if (decoding.readVarUint(decoder) !== 0) return;
          this.denied = decoding.readVarString(decoder) || "permission denied";
          options.onDenied?.(this.denied);
        };
        provider.awareness.setLocalStateField("user", options.user);
        provider.on("sync", (synced: boolean) => {
          if (!synced) return;
          this.updateMessagesSent = 1; // the provider answered the server's sync step 1 with its step 2
          done();
        });
        provider.on("connection-close", (event: { code: number; reason: string } | null) => {
          this.closeInfo = event ? `${event.code} ${event.reason}` : "closed";
        });
      } else {
        const socket = new HocuspocusProviderWebsocket({ url: options.serverUrl, WebSocketPolyfill: WebSocket });
        this.socket = socket;
        const provider = new HocuspocusProvider({
          websocketProvider: socket,
          name: options.documentName,
          document: this.doc,
          onSynced: ({ state }) => {
            if (state) done();
          },
          onClose: ({ event }) => {
            this.closeInfo = `${event.code} ${event.reason}`;
          },
        });
        provider.attach();
        this.provider = provider;
        provider.awareness?.setLocalStateField("user", options.user);
      }
    });
  }

  /** The providers' own Awareness renews itself every 15 s (all clients in step: see LeanClient). */
  renewAwareness(): void {}

  edit(id: number): void {
    gridEdit(this.doc, this.options.write, id);
    this.updateMessagesSent++;
  }

  close(): void {
    this.closed = true;
    this.provider?.destroy();
    this.socket?.destroy();
  }

  destroy(): void {
    this.close();
    this.doc.destroy();
  }
}
