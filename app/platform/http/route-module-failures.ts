/**
 * What Remix does when a page's code cannot be imported (a link to a page not visited yet, its module loaded on
 * the way): it reloads the current page (`@remix-run/react/dist/esm/routeModules.js`, 2.17), meant for a deploy that
 * removed the old assets. With the network down or the server restarting, that reload showed the browser's own error
 * page (« Aucune connexion Internet », « Ce site est inaccessible ») in place of Quorum: the page the user was on lost,
 * and no way back but to reload by hand once the server answers.
 *
 * Rewritten at build time (vite.config.ts): before reloading, the browser asks the server whether it answers (GET
 * /healthz, as the forms do). If it does, the assets really are gone: Remix's reload, as before. If it does not, the
 * import's error goes to the route's error boundary, which says « Pas de connexion au serveur » and opens the page once
 * the server answers (app/components/route-error.tsx). The production build only: Vite's dev server pre-bundles its
 * dependencies without the plugins' transforms, so `npm run dev` keeps Remix's reload.
 */
const RELOAD = "    window.location.reload();\n    return new Promise(() => {";

const ASK_FIRST =
  '    const answers = await fetch("/healthz", { cache: "no-store", credentials: "omit" }).then(() => true, () => false);\n' +
  "    if (!answers) throw error;\n";

/** The module rewritten, or null when its source is not the expected one (a Remix upgrade): the build then fails. */
export function routeModuleFailures(source: string): string | null {
  if (source.split(RELOAD).length !== 2 || !source.includes("async function loadRouteModule(")) return null;
  return source.replace(RELOAD, ASK_FIRST + RELOAD);
}

/** The file rewritten: the ES module build of @remix-run/react that the browser bundle is made from. */
export const ROUTE_MODULES_FILE = /@remix-run[\\/]react[\\/]dist[\\/]esm[\\/]routeModules\.js$/;
