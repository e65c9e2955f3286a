import { useEffect, useState } from "react";
import type * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { colorFor, followBrowserNetwork, MESSAGE_ACK, useWarnBeforeLeaving, type SaveState } from "./use-grid-document";

/**
 * A co-edited text document (the jury's préconisations, the minutes' remarks): the Yjs doc and its provider, with
 * the viewer's name and colour for the others' cursors, and the server's last refusal of an edit (its schema: text
 * only, length, characters), shown under the editor until the next edit. A refused edit is never integrated by the
 * server, so the local doc is rebuilt from the server's state (like the grid's): the editor shows what is saved,
 * and the next keystrokes do not hang on the refused text (the server would hold them, never acknowledged). The
 * server's acknowledgement of each stored edit (message 100, realtime/yjs/protocol.ts) is read and set aside: the
 * text shows no save state, and y-websocket logged « Unable to compute message » for each one it had no handler for.
 * Edits not yet acknowledged are counted as the grid counts them (use-grid-document.ts): while there are some,
 * `saveState` says so (« offline » when the network is gone) and leaving the page asks first. The browser's `offline`
 * closes the connection, its `online` opens it again, and the edits typed meanwhile travel in the resync. Before, text
 * typed while offline stayed in the page without a word, and closing it lost the text without a question.
 * A connection the server closes for good (4401: the sign-in ended; 4403: the seat removed) is `closed`, with the
 * server's reason as `denied`: the page makes the editor read-only. Before, the editor stayed editable, without a word,
 * and what was typed then went nowhere (y-websocket does not reconnect after those codes).
 */
export function useTextDocument(name: string, user: { id: string; displayName: string }) {
  const [binding, setBinding] = useState<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [closed, setClosed] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  useEffect(() => {
    let cancelled = false;
    let cleanup = () => {};
    void Promise.all([import("yjs"), import("y-websocket"), import("y-protocols/auth"), import("lib0/decoding")]).then(([Yjs, { WebsocketProvider }, auth, decoding]) => {
      if (cancelled) return;
      // A new document (another name, or rebuilt after a refusal): nothing closed, nothing waiting yet.
      setClosed(null);
      setSaveState("saved");
      const doc = new Yjs.Doc();
      const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/yjs`;
      const provider = new WebsocketProvider(url, name, doc, { disableBc: true });
      provider.awareness.setLocalStateField("user", { id: user.id, name: user.displayName, color: colorFor(user.id) });
      // Update messages sent on this connection, and how many of them the server says are stored.
      let sent = 0;
      let acked = 0;
      let offlineEdits = false;
      const refreshSave = () => setSaveState(sent <= acked ? "saved" : provider.wsconnected ? "saving" : "offline");
      provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
        acked = Math.max(acked, decoding.readVarUint(decoder));
        refreshSave();
      };
      provider.messageHandlers[2] = (_encoder, decoder) => {
        auth.readAuthMessage(decoder, doc, (_doc, reason) => {
          setDenied(reason || "Modification refusée.");
          setGeneration((g) => g + 1);
        });
      };
      doc.on("update", (_update: Uint8Array, origin: unknown) => {
        if (origin === provider) return;
        setDenied(null);
        if (!provider.wsconnected) offlineEdits = true;
        sent++;
        refreshSave();
      });
      provider.on("status", ({ status }: { status: string }) => {
        if (status === "connected") {
          // A new connection acknowledges from zero; edits made meanwhile travel in the resync, one message.
          sent = offlineEdits ? 1 : 0;
          acked = 0;
          offlineEdits = false;
        }
        refreshSave();
      });
      provider.on("connection-close", (event) => {
        if (event && event.code >= 4400 && event.code < 4500) setClosed(event.reason || "Accès refusé.");
      });
      // The network is gone (the browser says so): stop talking to the server rather than leave frames in a socket
      // that may stay half-open; the edits stay in the page and travel in the resync once it is back.
      const unfollowNetwork = followBrowserNetwork(provider, refreshSave);
      setBinding({ doc, provider });
      cleanup = () => {
        unfollowNetwork();
        provider.destroy();
        doc.destroy();
      };
    });
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [name, user.id, user.displayName, generation]);
  // Leaving the page with edits not stored asks first (they would be lost), unless the server closed it for good.
  const unsaved = saveState !== "saved" && closed === null;
  useWarnBeforeLeaving(unsaved);
  return { binding, denied: closed ?? denied, closed: closed !== null, saveState: closed === null ? saveState : "saved" };
}

/**
 * What the page says under a text: that its edits wait for the network, or, before any is typed, that the network is
 * gone — said as soon as the browser says so, not only once something was typed into a text that no longer reaches
 * the others (null: nothing to say).
 */
export function textSaveMessage(saveState: SaveState, online: boolean, writable: boolean): string | null {
  if (saveState === "offline") return "Hors ligne : modifications en attente d'envoi, gardez cette page ouverte.";
  if (online) return null;
  return writable
    ? "Hors ligne : ce que vous écrivez reste sur cette page et sera envoyé au retour du réseau."
    : "Hors ligne : le texte n'est plus mis à jour jusqu'au retour du réseau.";
}
