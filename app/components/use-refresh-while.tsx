/**
 * A page that shows a PDF in preparation (a delivery record, a signed grid whose render was relaunched) refreshes its
 * data until the PDF is ready or its render failed for good: the download link, or the failure, appears without a
 * reload. The delivery pages (app/components/delivery/delivery-ui.tsx) and a session's passage list use it.
 */
import { useEffect } from "react";
import { PAGE_UNREACHABLE, useRevalidateWhenReachable } from "~/components/use-revalidate-when-reachable";

/**
 * Refreshes the page's data every 2 s while `pending` (a PDF being rendered), and only from a server that answers
 * (`useRevalidateWhenReachable`). Renders what the page shows meanwhile: nothing, or that it may be out of date.
 */
export function useRefreshWhile(pending: boolean) {
  const { revalidate, state, unreachable } = useRevalidateWhenReachable();
  const idle = state === "idle";
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (idle) revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [pending, idle, revalidate]);
  return unreachable && pending ? <UnreachableNotice /> : null;
}

/** The page's data could not be read again: said at its top, in French. */
export function UnreachableNotice() {
  return (
    <p role="status" className="rounded bg-amber-100 px-3 py-2 text-sm text-amber-900" data-testid="page-unreachable">
      {PAGE_UNREACHABLE}
    </p>
  );
}
