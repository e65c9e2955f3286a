import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { useEffect, type ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { RouteErrorBoundary } from "~/components/route-error";
import { getUser, listPermissions, organisationChoice } from "~/platform/auth/guards.server";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import stylesheet from "~/tailwind.css?url";

/** After a form that never reached the server, the signed-in user is not read again either (app/components/form.tsx). */
export { shouldRevalidate } from "~/components/form";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = await getUser({ context });
  // The permissions of the « organisation active », and its selector for a person in several organisations (both
  // from the memberships read with the sign-in: no statement).
  if (!user) return { user, permissions: [], organisations: null };
  const [permissions, organisations] = await Promise.all([listPermissions(user.id), organisationChoice(user.id)]);
  return { user, permissions, organisations };
}

type RootData = ReturnType<typeof useRouteLoaderData<typeof loader>>;
/**
 * In the browser, the signed-in user and menu last read: a page read that never reached the server fails the root's
 * read too (one request for every loader), and the header kept only « Quorum », as if signed out, above « Pas de
 * connexion au serveur ». Kept by an effect: never on the server, where a module's state is shared between requests.
 */
let lastRootData: RootData;

export function Layout({ children }: { children: ReactNode }) {
  const fresh = useRouteLoaderData<typeof loader>("root");
  useEffect(() => {
    if (fresh !== undefined) lastRootData = fresh;
  }, [fresh]);
  const data = fresh ?? lastRootData;
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
                  <LogoutButton inHeader />
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
          {user && data?.organisations ? <OrganisationSwitcher choice={data.organisations} /> : null}
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
      {can("manage:users") ? (
        <Link to="/membres" className="hover:underline">
          Membres
        </Link>
      ) : null}
    </>
  );
}

/** `inHeader`: the wide screens' header line, where the offline message opens below the button rather than in the line. */
function LogoutButton({ inHeader = false }: { inHeader?: boolean }) {
  return (
    <Form
      method="post"
      action="/logout"
      className={inHeader ? "relative" : "space-y-2"}
      unsentClassName={
        inHeader
          ? "absolute right-0 top-full z-30 mt-2 w-80 whitespace-normal rounded border border-red-200 bg-red-50 p-3 text-sm font-medium text-red-800 shadow-lg"
          : "whitespace-normal text-sm font-medium text-red-700"
      }
    >
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
  return <RouteErrorBoundary />;
}
