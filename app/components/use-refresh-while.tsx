/**
 * A page that shows a PDF in preparation (a delivery record, a signed grid whose render was relaunched) refreshes its
 * data until the PDF is ready or its render failed for good: the download link, or the failure, appears without a
 * reload. The delivery pages (app/components/delivery/delivery-ui.tsx) and a session's passage list use it; the jury
 * room, whose state is not its loader's data, re-reads itself on its socket's `render:state` and, as a fallback only,
 * every PDF_FALLBACK_MS (`useEveryWhile`).
 */
import { useEffect } from "react";
import { PAGE_UNREACHABLE, useRevalidateWhenReachable } from "~/components/use-revalidate-when-reachable";

/**
 * Refreshes the page's data every 2 s while `pending` (a PDF being rendered), and only from a server that answers
 * (`useRevalidateWhenReachable`). Renders what the page shows meanwhile: nothing, or that it may be out of date.
 */
export function useRefreshWhile(pending: boolean) {
  const { revalidate, state, unreachable } = useRevalidateWhenReachable();
  useEveryWhile(pending && state === "idle", revalidate);
  return unreachable && pending ? <UnreachableNotice /> : null;
}

/** How often a page waiting for a PDF reads itself again. */
export const PDF_REFRESH_MS = 2000;

/**
 * How often a page told of its PDFs' render changes over its session's socket (`render:state`: the jury room) reads
 * itself again anyway while one is pending: a fallback for an event lost, not the way the link appears.
 */
export const PDF_FALLBACK_MS = 30_000;

/**
 * `read()` every `everyMs` (PDF_REFRESH_MS by default) while `pending`: for a page that reads its data itself (the
 * jury room's read model, app/components/jury/use-jury-room.ts), which says itself when the server does not answer.
 */
export function useEveryWhile(pending: boolean, read: () => void, everyMs: number = PDF_REFRESH_MS) {
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(read, everyMs);
    return () => clearInterval(timer);
  }, [pending, read, everyMs]);
}

/** The page's data could not be read again: said at its top, in French. */
export function UnreachableNotice() {
  return (
    <p role="status" className="rounded bg-amber-100 px-3 py-2 text-sm text-amber-900" data-testid="page-unreachable">
      {PAGE_UNREACHABLE}
    </p>
  );
}
