import { NAVIGATION_GRACE_SECONDS } from "~/domain/minutes";

/**
 * A session page closes its socket.io connection itself when the browser leaves the page (a reload, a link to
 * another document), as it does when the page unmounts on a navigation: the server then knows the member's page
 * went away rather than the connection being lost, and the minutes do not count moving between pages of the
 * session as a technical incident (app/domain/minutes.ts isNavigation). A page restored from the back-forward cache
 * connects again. Returns the cleanup.
 *
 * A browser unloading a page does not always send what the page wrote in its last moment: the goodbye can be lost,
 * and the server then sees a connection lost. So the leaving page also notes in its tab's storage that it left the
 * session (`notePageLeft`), and the sockets of the next page of that session in the tab say so when they join (`sessionJoinPayload`): either
 * page's word makes the drop a navigation.
 */
export function closeOnPageHide(socket: { connect(): unknown; disconnect(): unknown }, sessionId: string): () => void {
  const hide = () => {
    notePageLeft(sessionId);
    socket.disconnect();
  };
  const show = (event: PageTransitionEvent) => {
    if (event.persisted) socket.connect();
  };
  window.addEventListener("pagehide", hide);
  window.addEventListener("pageshow", show);
  return () => {
    window.removeEventListener("pagehide", hide);
    window.removeEventListener("pageshow", show);
  };
}

const leftKey = (sessionId: string) => `quorum:left-session:${sessionId}`;

/** This tab's page of the session is going away (unload, unmount): noted for the next page of the session. */
export function notePageLeft(sessionId: string, now = Date.now(), storage: Pick<Storage, "setItem"> | null = tabStorage()): void {
  try {
    storage?.setItem(leftKey(sessionId), String(now));
  } catch {
    // Storage refused (full, disabled): the leaving page's goodbye alone tells the server.
  }
}

/**
 * Whether a page of the session left this tab a moment ago (within the minutes' grace for a navigation): every socket
 * of the page that follows says so as it joins, whichever joins first. The note expires with the grace: a socket
 * reconnecting later after a lost network does not say it.
 */
export function leftSessionRecently(sessionId: string, now = Date.now(), storage: Pick<Storage, "getItem"> | null = tabStorage()): boolean {
  try {
    const at = Number(storage?.getItem(leftKey(sessionId)) ?? NaN);
    return Number.isFinite(at) && now >= at && now - at <= NAVIGATION_GRACE_SECONDS * 1000;
  } catch {
    return false;
  }
}

/** The `session:join` payload: `navigated` when a page of the session left this tab a moment ago. */
export function sessionJoinPayload(sessionId: string): { sessionId: string; navigated?: true } {
  return leftSessionRecently(sessionId) ? { sessionId, navigated: true } : { sessionId };
}

function tabStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}
