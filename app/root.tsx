import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { getUser, listPermissions } from "~/platform/auth/guards.server";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = await getUser({ context });
  return { user, permissions: user ? await listPermissions(user.id) : [] };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const user = data?.user ?? null;
  const can = (p: string) => (data?.permissions as string[] | undefined)?.includes(p) ?? false;
  return (
    <html lang="fr" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
            <Link to="/" className="flex items-center gap-2 font-semibold text-brand-900">
              <img src="/favicon.svg" alt="" className="h-7 w-7" />
              Quorum
            </Link>
            {user ? (
              <>
                <nav aria-label="Navigation principale" className="hidden items-center gap-3 whitespace-nowrap text-sm xl:flex">
                  <NavLinks can={can} />
                  <Link to="/mes-sessions" className="hidden text-slate-500 hover:underline 2xl:inline" data-testid="current-user">
                    {user.displayName}
                  </Link>
                  <LogoutButton />
                </nav>
                {/* Narrow screens: the same links behind a menu button (works without JavaScript). */}
                <details className="relative xl:hidden" data-testid="mobile-menu">
                  <summary className="cursor-pointer list-none rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
                    Menu
                  </summary>
                  <nav
                    aria-label="Navigation principale (mobile)"
                    className="absolute right-0 z-20 mt-2 flex w-64 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg"
                  >
                    <NavLinks can={can} />
                    <Link to="/mes-sessions" className="text-slate-500 hover:underline">
                      {user.displayName} — mes sessions
                    </Link>
                    <LogoutButton />
                  </nav>
                </details>
              </>
            ) : null}
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function NavLinks({ can }: { can: (p: string) => boolean }) {
  return (
    <>
      <Link to="/" className="hover:underline">
        Tableau de bord
      </Link>
      <Link to="/sessions" className="hover:underline">
        Sessions
      </Link>
      {can("write:certification") ? (
        <Link to="/certifications" className="hover:underline">
          Certifications
        </Link>
      ) : null}
      {can("read:candidate") ? (
        <Link to="/candidates" className="hover:underline">
          Candidats
        </Link>
      ) : null}
      {can("write:planning") ? (
        <Link to="/habilitations" className="hover:underline">
          Habilitations
        </Link>
      ) : null}
      <Link to="/archives" className="hover:underline">
        Archives
      </Link>
      {can("write:candidate") ? (
        <Link to="/declarations" className="hover:underline">
          Déclarations
        </Link>
      ) : null}
      {can("read:outbox") ? (
        <Link to="/outbox" className="hover:underline">
          Courriels
        </Link>
      ) : null}
    </>
  );
}

function LogoutButton() {
  return (
    <Form method="post" action="/logout">
      <button type="submit" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">
        Se déconnecter
      </button>
    </Form>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const title = isRouteErrorResponse(error)
    ? error.status === 404
      ? "Page introuvable"
      : error.status === 403
        ? "Accès refusé"
        : error.status === 503 || error.status === 429
          ? "Quorum est très sollicité"
          : error.status === 413
            ? "Fichier trop volumineux"
            : `Erreur ${error.status}`
    : "Une erreur inattendue est survenue";
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
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
