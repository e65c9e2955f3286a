import { useCallback, useEffect, useRef, useState } from "react";
import { isNetworkFailure } from "~/components/form";

/**
 * Reads a resource route's JSON (the jury room's read model, a decision sheet's state) without a fetcher: a Remix
 * fetcher's `load` whose request never reaches the server (the network dropped, the server restarting) throws to the
 * route's error boundary, which replaced the whole jury room — and the button the member was about to click — by
 * « Une erreur inattendue est survenue ». Here such a read answers `null`: the caller keeps what it shows and reads
 * again later (`retryLater`). A redirect (the sign-in page once the session expired) is followed, as a fetcher
 * would; any other failure (a bug) still throws.
 */
export async function readJson<T>(url: string, signal?: AbortSignal): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal });
  } catch (error) {
    if (isNetworkFailure(error)) return null;
    throw error;
  }
  if (response.redirected) {
    window.location.assign(response.url);
    return new Promise<never>(() => {});
  }
  return (await response.json().catch(() => null)) as T | null;
}

/**
 * Runs `read` again after a read that never reached the server: as soon as the browser says it is back online, or
 * after a wait that doubles with each failure in a row (`failures`: 1, 2…), from 2 s to 30 s — the server may have been
 * restarting while the network was fine. Returns what cancels it.
 */
function retryLater(read: () => void, failures: number): () => void {
  const delay = Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
  const run = () => {
    cancel();
    read();
  };
  const timer = setTimeout(run, delay);
  window.addEventListener("online", run);
  const cancel = () => {
    clearTimeout(timer);
    window.removeEventListener("online", run);
  };
  return cancel;
}

const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/**
 * The state of reads that may not reach the server: `unreachable` since the last one failed; `failed(again)` after a
 * read that never reached it (`again` runs later: `retryLater`), `reached()` after one that did, `cancel()` drops the
 * pending retry (a new read starts; the component unmounts — done here too).
 */
export function useUnreachable() {
  const [unreachable, setUnreachable] = useState(false);
  const failures = useRef(0);
  const pending = useRef<() => void>(() => {});
  const cancel = useCallback(() => pending.current(), []);
  useEffect(() => cancel, [cancel]);
  const failed = useCallback((again: () => void) => {
    pending.current();
    setUnreachable(true);
    failures.current += 1;
    pending.current = retryLater(again, failures.current);
  }, []);
  const reached = useCallback(() => {
    failures.current = 0;
    setUnreachable(false);
  }, []);
  return { unreachable, failed, reached, cancel };
}

/**
 * The newest answer of `url`, read on `load()`: a later load replaces an earlier one still running (its answer is
 * dropped), as a fetcher's would. A read that never reached the server keeps the answer shown, sets `unreachable`,
 * and is tried again (`retryLater`).
 */
export function useJsonRead<T>(url: string) {
  const [data, setData] = useState<T | undefined>(undefined);
  const { unreachable, failed, reached, cancel } = useUnreachable();
  const current = useRef<AbortController | null>(null);
  const load = useCallback(() => {
    const read = () => {
      current.current?.abort();
      cancel();
      const controller = new AbortController();
      current.current = controller;
      readJson<T>(url, controller.signal).then(
        (answer) => {
          if (controller.signal.aborted) return;
          current.current = null;
          if (answer === null) return failed(read);
          reached();
          setData(answer);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          throw error;
        },
      );
    };
    read();
  }, [url, cancel, failed, reached]);
  useEffect(() => () => current.current?.abort(), []);
  return { data, unreachable, load };
}
