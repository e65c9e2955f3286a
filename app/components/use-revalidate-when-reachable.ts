import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";
import { serverAnswers } from "~/components/form";
import { useUnreachable } from "~/components/live/use-json-read";

/**
 * Remix's `revalidate`, asked only of a server that answers. A revalidation whose request never reaches the server
 * (the network dropped, the server restarting) throws to the route's error boundary: the page — the minutes and the
 * remarks being typed, the delivery desk waiting for its PDFs — was replaced by « Une erreur inattendue est survenue ».
 * Here the page first asks the server whether it answers (GET /healthz, a few bytes, as the forms do: form.tsx);
 * when it does not, nothing is read, `unreachable` is set (the page says its data may be out of date) and the
 * revalidation is asked again later (`useUnreachable`: back online, or after 2 s, 4 s… 30 s). A server lost between the
 * question and the revalidation (a matter of milliseconds) still loses the page, to « Pas de connexion au serveur »,
 * which opens it again once the server answers (app/components/route-error.tsx).
 */
export function useRevalidateWhenReachable() {
  const { revalidate, state } = useRevalidator();
  const { unreachable, failed, reached, cancel } = useUnreachable();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const ask = useCallback(() => {
    const attempt = async () => {
      cancel();
      const answers = navigator.onLine && (await serverAnswers().catch(() => false));
      if (!mounted.current) return;
      if (!answers) return failed(() => void attempt());
      reached();
      void revalidate();
    };
    void attempt();
  }, [revalidate, cancel, failed, reached]);
  return { revalidate: ask, state, unreachable };
}

/** What a page says while its data could not be read again (`useRevalidateWhenReachable`'s `unreachable`). */
export const PAGE_UNREACHABLE =
  "Pas de connexion au serveur : cette page peut ne plus être à jour. Elle sera actualisée dès le retour du réseau.";
