import { useEffect, useState } from "react";
import type * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { colorFor, MESSAGE_ACK } from "./use-grid-document";

/**
 * A co-edited text document (the jury's préconisations, the minutes' remarks): the Yjs doc and its provider, with
 * the viewer's name and colour for the others' cursors, and the server's last refusal of an edit (its schema: text
 * only, length, characters), shown under the editor until the next edit. A refused edit is never integrated by the
 * server, so the local doc is rebuilt from the server's state (like the grid's): the editor shows what is saved,
 * and the next keystrokes do not hang on the refused text (the server would hold them, never acknowledged). The
 * server's acknowledgement of each stored edit (message 100, realtime/yjs/protocol.ts) is read and set aside: the
 * text shows no save state, and y-websocket logged « Unable to compute message » for each one it had no handler for.
 * A connection the server closes for good (4401: the sign-in ended; 4403: the seat removed) is `closed`, with the
 * server's reason as `denied`: the page makes the editor read-only. Before, the editor stayed editable, without a word,
 * and what was typed then went nowhere (y-websocket does not reconnect after those codes).
 */
export function useTextDocument(name: string, user: { id: string; displayName: string }) {
  const [binding, setBinding] = useState<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [closed, setClosed] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setClosed(null);
    let cleanup = () => {};
    void Promise.all([import("yjs"), import("y-websocket"), import("y-protocols/auth"), import("lib0/decoding")]).then(([Yjs, { WebsocketProvider }, auth, decoding]) => {
      if (cancelled) return;
      const doc = new Yjs.Doc();
      const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/yjs`;
      const provider = new WebsocketProvider(url, name, doc, { disableBc: true });
      provider.awareness.setLocalStateField("user", { id: user.id, name: user.displayName, color: colorFor(user.id) });
      provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
        decoding.readVarUint(decoder); // how many of this connection's updates are stored: nothing waits on it here
      };
      provider.messageHandlers[2] = (_encoder, decoder) => {
        auth.readAuthMessage(decoder, doc, (_doc, reason) => {
          setDenied(reason || "Modification refusée.");
          setGeneration((g) => g + 1);
        });
      };
      doc.on("update", (_update: Uint8Array, origin: unknown) => {
        if (origin !== provider) setDenied(null);
      });
      provider.on("connection-close", (event) => {
        if (event && event.code >= 4400 && event.code < 4500) setClosed(event.reason || "Accès refusé.");
      });
      setBinding({ doc, provider });
      cleanup = () => {
        provider.destroy();
        doc.destroy();
      };
    });
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [name, user.id, user.displayName, generation]);
  return { binding, denied: closed ?? denied, closed: closed !== null };
}
