/**
 * The French error page (404, 403, « trop volumineux », « très sollicité »…) shown in place of a page. The root renders
 * it for errors above every page; a page with an action exports it as its own ErrorBoundary, so that an error thrown
 * by its action (a file over the page's limit, the server refusing new work) still shows the header and its menu:
 * Remix runs the loaders above the boundary only, and the root's (the signed-in user, the menu) is one of them.
 */
import { isRouteErrorResponse, Link, useLocation, useNavigate, useRouteError } from "@remix-run/react";
import { useCallback, useEffect } from "react";
import { isNetworkFailure } from "~/components/form";
import { useUnreachable } from "~/components/live/use-json-read";

/** How the router's messages begin once serialised (« Error: You made a POST request to … »). */
const ROUTER_MESSAGE = /^Error: /;
const NO_FORM_HERE = "Cette page ne reçoit pas de formulaire : revenez-y et utilisez ses boutons.";

export function RouteErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (pageUnreachable(error)) return <PageUnreachable error={error} />;
  const title = isRouteErrorResponse(error)
    ? error.status === 404
      ? "Page introuvable"
      : error.status === 403
        ? "Accès refusé"
        : error.status === 503 || error.status === 429
          ? "Quorum est très sollicité"
          : error.status === 413
            ? "Fichier trop volumineux"
            : error.status === 405
              ? "Action impossible sur cette page"
              : `Erreur ${error.status}`
    : "Une erreur inattendue est survenue";
  // Our refusals carry their French message; the router's own (a form posted to a page that takes none) an English
  // message for developers, naming the route's file: never shown.
  const ours = isRouteErrorResponse(error) && typeof error.data === "string" && !ROUTER_MESSAGE.test(error.data);
  const detail = ours ? (error.data as string) : isRouteErrorResponse(error) && error.status === 405 ? NO_FORM_HERE : null;
  // Too many requests at once (the admission gate, the database's queue): the same page again in a few seconds.
  const retry = isRouteErrorResponse(error) && (error.status === 503 || error.status === 429);
  // A form sent with too large a file: back to the same page, to choose a smaller one.
  const backToForm = isRouteErrorResponse(error) && error.status === 413;
  const samePage = `${location.pathname}${location.search}`;
  return (
    <div className="rounded-lg border border-red-200 bg-white p-6" role="alert">
      <h1 className="text-xl font-semibold text-red-800">{title}</h1>
      {detail ? <p className="mt-2 text-slate-700">{detail}</p> : null}
      <p className="mt-4 flex flex-wrap gap-4">
        {retry || backToForm ? (
          <Link to={samePage} reloadDocument className="font-medium text-brand-700 underline">
            {backToForm ? "Revenir au formulaire" : "Réessayer"}
          </Link>
        ) : null}
        <Link to="/" className="text-brand-700 underline">
          Revenir au tableau de bord
        </Link>
      </p>
    </div>
  );
}

/**
 * The page could not be read because the server was not reached: the network dropped, or the server is restarting.
 * Remix's read of a page's data (a link followed, a revalidation) then rejects with the browser's TypeError, and so does
 * the import of a page's code not loaded yet (Remix reloads the page for that one unless the server is unreachable:
 * vite.config.ts, `routeModuleFailures`). Chromium « Failed to fetch… », Firefox « NetworkError… » and « error loading
 * dynamically imported module », Safari « Load failed » and « Importing a module script failed. ».
 */
export function pageUnreachable(error: unknown): boolean {
  return isNetworkFailure(error) || moduleUnreachable(error) || notFromServer(error);
}

/**
 * The page's data came back as something Remix cannot read: not Quorum's answer but a reverse proxy's own page (« 502
 * Bad Gateway » while the server restarts behind it) or a network's portal.
 */
function notFromServer(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("Unable to decode turbo-stream response");
}

/** Whether the server itself answers: `/healthz` says so (a proxy's 502 or 504 while it restarts does not). */
async function serverReady(): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    return (await fetch("/healthz", { cache: "no-store", credentials: "omit" })).ok;
  } catch {
    return false;
  }
}

function moduleUnreachable(error: unknown): boolean {
  return error instanceof TypeError && /dynamically imported module|module script/i.test(error.message);
}

/**
 * « Pas de connexion au serveur » in place of the page, which opens by itself once the server answers again (asked
 * back online, or after 2 s, 4 s… 30 s: `useUnreachable`), or at « Réessayer maintenant ». A page whose code could
 * not be loaded is opened as a document (a module the browser failed to import may not be imported again).
 */
function PageUnreachable({ error }: { error: unknown }) {
  const location = useLocation();
  const navigate = useNavigate();
  const { failed, reached, cancel } = useUnreachable();
  const samePage = `${location.pathname}${location.search}${location.hash}`;
  const asDocument = moduleUnreachable(error);
  const retry = useCallback(() => {
    const attempt = async () => {
      cancel();
      if (!(await serverReady())) return failed(() => void attempt());
      reached();
      if (asDocument) window.location.assign(samePage);
      else navigate(samePage, { replace: true });
    };
    void attempt();
  }, [asDocument, samePage, navigate, cancel, failed, reached]);
  // Each failure (a retry's read failing again is a new error) schedules the next attempt.
  useEffect(() => {
    failed(retry);
  }, [error, failed, retry]);
  return (
    <div className="rounded-lg border border-amber-300 bg-white p-6" role="alert" data-testid="page-unreachable">
      <h1 className="text-xl font-semibold text-amber-900">Pas de connexion au serveur</h1>
      <p className="mt-2 text-slate-700">
        La page n'a pas pu être lue : le réseau est coupé ou le serveur ne répond pas. La page sera ouverte dès que le
        serveur répondra.
      </p>
      <p className="mt-4 flex flex-wrap gap-4">
        <button type="button" onClick={retry} className="font-medium text-brand-700 underline">
          Réessayer maintenant
        </button>
        <Link to="/" className="text-brand-700 underline">
          Revenir au tableau de bord
        </Link>
      </p>
    </div>
  );
}
