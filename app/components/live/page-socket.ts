/**
 * A session page closes its socket.io connection itself when the browser leaves the page (a reload, a link to
 * another document), as it does when the page unmounts on a navigation: the server then knows the member's page
 * went away rather than the connection being lost, and the minutes do not count moving between pages of the
 * session as a technical incident (app/domain/minutes.ts isNavigation). A page restored from the back-forward cache
 * connects again. Returns the cleanup.
 */
export function closeOnPageHide(socket: { connect(): unknown; disconnect(): unknown }): () => void {
  const hide = () => socket.disconnect();
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
