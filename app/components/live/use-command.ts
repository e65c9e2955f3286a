import { useRevalidateWhenReachable } from "~/components/use-revalidate-when-reachable";
import { useCallback, useRef, useState } from "react";

export type CommandAnswer = { ok: boolean; error?: string; details?: string[] };

/** What the member reads when a command could not reach the server (no network, server unreachable). */
export const COMMAND_UNSENT =
  "Pas de connexion au serveur : la commande n'a pas été envoyée. Vérifiez votre réseau, puis réessayez.";

/**
 * A command of the live room (a POST to the passage's resource route, answered in JSON), used like a fetcher —
 * `state`, `data`, `submit`, `onSubmit` for a form — except that a request that never reaches the server becomes a
 * French answer under the button instead of an error thrown to the page's boundary: with a fetcher, a click while the
 * network was down replaced the whole live room by « Une erreur inattendue est survenue », and with it what the member
 * had typed and not yet sent. One command at a time (a second click while one runs is ignored); the page's data is
 * read again after each answer, as after a fetcher's action (`revalidate: false`: the jury room, which refreshes from
 * its broadcast), from a server that still answers (`useRevalidateWhenReachable`).
 */
export function useCommand<T extends CommandAnswer = CommandAnswer>(options: { revalidate?: boolean } = {}) {
  const revalidates = options.revalidate ?? true;
  const [state, setState] = useState<"idle" | "submitting">("idle");
  const [data, setData] = useState<T | undefined>(undefined);
  const running = useRef(false);
  // From a server that answers: a revalidation that never reached it would replace the page by its error page.
  const { revalidate } = useRevalidateWhenReachable();
  const submit = useCallback(
    async (fields: Record<string, string> | FormData, action: string) => {
      if (running.current) return;
      running.current = true;
      setState("submitting");
      const body = new URLSearchParams();
      if (fields instanceof FormData) fields.forEach((value, key) => typeof value === "string" && body.append(key, value));
      else for (const [key, value] of Object.entries(fields)) body.append(key, value);
      try {
        const response = await fetch(action, { method: "POST", body, headers: { Accept: "application/json" } });
        if (response.redirected) {
          // The guard sent the member elsewhere (the sign-in page once the session expired), as a fetcher would follow.
          window.location.assign(response.url);
          return;
        }
        const answer = (await response.json().catch(() => null)) as T | null;
        setData(answer ?? ({ ok: false, error: `Réponse inattendue du serveur (${response.status}) : réessayez.` } as T));
        if (revalidates) revalidate();
      } catch {
        setData({ ok: false, error: COMMAND_UNSENT } as T);
      } finally {
        running.current = false;
        setState("idle");
      }
    },
    [revalidate, revalidates],
  );
  /** A form's submit handler: sends the form's fields to its action. */
  const onSubmit = useCallback(
    (event: React.FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      // With the button clicked (`name`/`value`), as a fetcher's form sends it.
      const submitter = (event.nativeEvent as SubmitEvent).submitter;
      void submit(new FormData(form, submitter), form.action);
    },
    [submit],
  );
  return { state, data, submit, onSubmit };
}
