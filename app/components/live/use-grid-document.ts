import { useCallback, useEffect, useRef, useState } from "react";
import type * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { safeColor } from "~/domain/presence";
import { withoutInvisible } from "~/domain/safe-text";

/** Message type of the server's "committed" acknowledgement (see realtime/yjs). */
export const MESSAGE_ACK = 100;
const MESSAGE_AUTH = 2;

export type Peer = { clientId: number; name: string; color: string; focus: string | null };
export type SaveState = "saved" | "saving" | "offline";

/** Whether the browser says it has a network (`navigator.onLine`), followed through its `online` / `offline` events. */
export function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}
export type ConnectionState = "connecting" | "connected" | "disconnected";

// Member colours carry white text (name badges): every shade has ≥ 4.5:1 contrast with white (WCAG AA).
const PALETTE = ["#1d4ed8", "#be185d", "#047857", "#b45309", "#6d28d9", "#b91c1c", "#0e7490", "#3f6212"];
/**
 * The network is gone (the browser says so): stop talking to the server at once rather than leave frames in a socket
 * that may stay half-open for tens of seconds; the edits stay in the local document and travel in the resync when the
 * network is back. Only what going offline cut reconnects: a document the server closed for good (4401 / 4403) stays
 * closed. `offline` runs after the disconnection. Returns what stops following.
 */
export function followBrowserNetwork(provider: Pick<WebsocketProvider, "shouldConnect" | "connect" | "disconnect">, offline: () => void): () => void {
  let cutByOffline = false;
  const goOffline = () => {
    cutByOffline = provider.shouldConnect;
    provider.disconnect();
    offline();
  };
  const goOnline = () => {
    if (cutByOffline && !provider.shouldConnect) provider.connect();
    cutByOffline = false;
  };
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);
  if (!navigator.onLine) goOffline();
  return () => {
    window.removeEventListener("offline", goOffline);
    window.removeEventListener("online", goOnline);
  };
}

/** While edits are not yet stored by the server, leaving or reloading the page asks first (they would be lost). */
export function useWarnBeforeLeaving(unsaved: boolean) {
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);
}

export function colorFor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

const FALLBACK_COLOR = "#64748b";

/** A peer's `user` as the page may show it: a name of at most 80 characters and a `#rrggbb` colour. */
export function peerUser(value: unknown): { name: string; color: string; colorLight: string } {
  const user = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  const name = typeof user.name === "string" && user.name.trim() !== "" ? user.name.slice(0, 80) : "Participant";
  const color = safeColor(user.color) ?? FALLBACK_COLOR;
  return { name, color, colorLight: `${color}33` };
}

/**
 * Binds a grid's Yjs document: consolidated `result` and `comment` per competence, live peers (awareness) and
 * the save state driven by the server's acknowledgements (an edit is « Enregistré » once committed).
 */
export function useGridDocument(documentName: string | null, user: { id: string; displayName: string }) {
  const [results, setResults] = useState<Record<string, string>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const [assessments, setAssessments] = useState<Record<string, string>>({});
  const [binding, setBinding] = useState<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [synced, setSynced] = useState(false);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  // Edits made on this page not yet acknowledged by the server (kept in the local document meanwhile).
  const [pending, setPending] = useState(0);
  const [denied, setDenied] = useState<string | null>(null);
  // The server closed the document for good (4401 / 4403: session expired, seat removed): no edit can be sent.
  const [revoked, setRevoked] = useState(false);
  // 4401: the member's sign-in ended (signed out elsewhere, expired, password changed), not their seat.
  const [signedOut, setSignedOut] = useState(false);
  const ref = useRef<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  // Bumped when the server refuses an edit: the local document is rebuilt from the server's state, so a refused
  // change is neither shown nor sent again later (e.g. after the grid is reopened).
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!documentName) return;
    let cancelled = false;
    let cleanup = () => {};
    void Promise.all([import("yjs"), import("y-websocket"), import("lib0/decoding"), import("y-protocols/auth")]).then(
      ([Yjs, { WebsocketProvider }, decoding, auth]) => {
        if (cancelled) return;
        const doc = new Yjs.Doc();
        const resultMap = doc.getMap<string>("result");
        const commentMap = doc.getMap<string>("comment");
        const assessmentMap = doc.getMap<string>("assessment");
        const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/yjs`;
        const provider = new WebsocketProvider(url, documentName, doc, { disableBc: true });
        ref.current = { doc, provider };
        setBinding({ doc, provider });

        let sent = 0;
        let acked = 0;
        let offlineEdits = false;
        const refreshSave = () => {
          setSaveState(!provider.wsconnected && sent > acked ? "offline" : sent > acked ? "saving" : "saved");
          setPending(Math.max(0, sent - acked));
        };
        provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
          acked = Math.max(acked, decoding.readVarUint(decoder));
          refreshSave();
        };
        provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
          auth.readAuthMessage(decoder, doc, (_doc, reason) => {
            setDenied(reason || "Modification refusée.");
            sent = acked;
            refreshSave();
            setGeneration((g) => g + 1);
          });
        };
        const onUpdate = (_update: Uint8Array, origin: unknown) => {
          if (origin === provider) return;
          if (!provider.wsconnected) offlineEdits = true;
          sent++;
          refreshSave();
        };
        doc.on("update", onUpdate);
        const read = () => {
          setResults(Object.fromEntries(resultMap.entries()));
          setComments(Object.fromEntries(commentMap.entries()));
          setAssessments(Object.fromEntries(assessmentMap.entries()));
        };
        resultMap.observe(read);
        commentMap.observe(read);
        assessmentMap.observe(read);
        read();

        const awareness = provider.awareness;
        awareness.setLocalStateField("user", { id: user.id, name: user.displayName, color: colorFor(user.id) });
        const readPeers = () => {
          const list: Peer[] = [];
          awareness.getStates().forEach((state, clientId) => {
            if (clientId === doc.clientID || !state) return;
            // The server sets `user` from the authenticated seat; still, nothing received reaches a style unchecked.
            // Runs before the synthesis editor's cursors (registered first), which read the same state objects.
            const user = peerUser(state.user);
            state.user = user;
            list.push({ clientId, name: user.name, color: user.color, focus: typeof state.focus === "string" ? state.focus : null });
          });
          setPeers(list);
        };
        awareness.on("change", readPeers);
        provider.on("status", ({ status }) => {
          setConnection(status);
          if (status === "connected") {
            // A new connection acknowledges from zero; offline edits travel in the resync as one message.
            sent = offlineEdits ? 1 : 0;
            acked = 0;
            offlineEdits = false;
          }
          refreshSave();
        });
        provider.on("sync", (isSynced: boolean) => setSynced(isSynced));
        // The network is gone (the browser says so): stop talking to the server at once rather than leave frames in a
        // socket that may stay half-open for tens of seconds (the page said « Enregistrement… » meanwhile). The edits
        // stay in the local document and travel in the resync when the network is back.
        const unfollowNetwork = followBrowserNetwork(provider, () => {
          setConnection("disconnected");
          refreshSave();
        });
        provider.on("connection-close", (event) => {
          // 4401 / 4403: the server refused this document (session expired, seat removed); no retry.
          if (event && event.code >= 4400 && event.code < 4500) {
            setDenied(event.reason || "Accès refusé.");
            setRevoked(true);
            setSignedOut(event.code === 4401);
          }
        });

        cleanup = () => {
          unfollowNetwork();
          doc.off("update", onUpdate);
          awareness.off("change", readPeers);
          provider.destroy();
          doc.destroy();
          ref.current = null;
          setBinding(null);
        };
      },
    );
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [documentName, user.id, user.displayName, generation]);

  const setResult = useCallback((competenceId: string, value: string) => {
    const current = ref.current;
    if (!current) return;
    setDenied(null);
    const map = current.doc.getMap<string>("result");
    if (value) map.set(competenceId, value);
    else map.delete(competenceId);
  }, []);

  const setComment = useCallback((competenceId: string, value: string) => {
    const current = ref.current;
    if (!current) return;
    setDenied(null);
    // A comment pasted with a zero-width space or a BOM would be refused whole by the document's schema.
    current.doc.getMap<string>("comment").set(competenceId, withoutInvisible(value));
  }, []);

  const setAssessment = useCallback((key: string, value: string) => {
    const current = ref.current;
    if (!current) return;
    setDenied(null);
    const map = current.doc.getMap<string>("assessment");
    if (value) map.set(key, value);
    else map.delete(key);
  }, []);

  /** Reconnects with fresh access (e.g. after the member declared the absence of conflict of interest). */
  const reconnect = useCallback(() => {
    const current = ref.current;
    if (!current) return;
    setDenied(null);
    setRevoked(false);
    current.provider.disconnect();
    current.provider.connect();
  }, []);

  const setFocus = useCallback((competenceId: string | null) => {
    ref.current?.provider.awareness.setLocalStateField("focus", competenceId);
  }, []);

  return {
    results,
    comments,
    assessments,
    peers,
    connection,
    synced,
    saveState,
    pending,
    denied,
    revoked,
    signedOut,
    binding,
    setResult,
    setComment,
    setAssessment,
    setFocus,
    reconnect,
  };
}
