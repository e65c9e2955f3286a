/**
 * Memoised route matching (app/platform/http/route-match-cache.server.ts) answers exactly as @remix-run/router's
 * own `matchRoutes` on the app's real route tree (app/routes.ts), the first time and from memory, with route objects
 * of the tree it is given and params of its own.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { memoiseDataRoutes, memoiseMatchRoutes, memoiseServerRoutes } from "~/platform/http/route-match-cache.server";
import { routeInternalMatchesThroughExports } from "~/platform/http/router-internals.server";
import { packageRewrites } from "~/platform/package-rewrites.server";
import routeConfig from "~/routes";

type Entry = { id?: string; path?: string; file: string; index?: boolean; caseSensitive?: boolean; children?: Entry[] };
type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };

const require = createRequire(import.meta.url);
const { matchRoutes, UNSAFE_convertRoutesToDataRoutes: convertRoutesToDataRoutes } = require("@remix-run/router") as {
  matchRoutes: (routes: Route[], location: string | { pathname: string }, basename?: string) => unknown;
  UNSAFE_convertRoutesToDataRoutes: (routes: Route[], mapRouteProperties: unknown, parentPath?: string[], manifest?: object) => Route[];
};
const { UNSAFE_mapRouteProperties: mapRouteProperties } = require("react-router") as { UNSAFE_mapRouteProperties: object };
const { createServerRoutes } = require("@remix-run/react/dist/routes.js") as {
  createServerRoutes: (manifest: object, routeModules: object, future: object, isSpaMode: boolean) => Route[];
};

/** The tree Remix builds: the root route, then app/routes.ts (ids as Remix derives them, here the file). */
function tree(): Route[] {
  const convert = (entries: Entry[]): Route[] =>
    entries.map((e) => ({
      id: e.id ?? e.file.replace(/\.tsx?$/, ""),
      path: e.path,
      index: e.index,
      caseSensitive: e.caseSensitive,
      children: e.children ? convert(e.children) : undefined,
    }));
  return [{ id: "root", path: "", children: convert(routeConfig as Entry[]) }];
}

const PATHS = [
  "/",
  "/login",
  "/sessions",
  "/sessions/",
  "/sessions/abc123",
  "/sessions/abc123/jury",
  "/sessions/abc123/jury/grilles/slot9",
  "/sessions/abc123/proces-verbal",
  "/sessions/abc123/proces-verbal.pdf",
  "/sessions/abc123/decisions/item7/fiche.pdf",
  "/sessions/abc%20def/passages/s1/grille.pdf",
  "/sessions/abc123?tab=grille#x",
  "/certifications/new",
  "/certifications/cert1",
  "/mot-de-passe-oublie/t0k3n",
  "/SESSIONS/abc123",
  "/nulle-part/ici",
  "//double//slashes",
];

describe("memoised route matching", () => {
  it("answers as matchRoutes does, first time and from memory, for every kind of path", () => {
    const memoised = memoiseMatchRoutes(matchRoutes as never);
    const routes = tree();
    for (let round = 0; round < 3; round++) {
      for (const path of PATHS) {
        expect(memoised(routes as never, path), `${path} (round ${round})`).toEqual(matchRoutes(routes, path));
        expect(memoised(routes as never, { pathname: path.split("?")[0] }, "/")).toEqual(matchRoutes(routes, { pathname: path.split("?")[0] }));
      }
    }
    expect(memoised(routes as never, "/sessions/abc123", "/app")).toEqual(matchRoutes(routes, "/sessions/abc123", "/app"));
    expect(memoised(routes as never, "/app/sessions/abc123", "/app")).toEqual(matchRoutes(routes, "/app/sessions/abc123", "/app"));
  });

  it("gives the routes of the tree it is given, and params no other call shares", () => {
    const memoised = memoiseMatchRoutes(matchRoutes as never);
    const first = tree();
    const second = tree();
    const a = memoised(first as never, "/sessions/s1/passages/p2")!;
    a[a.length - 1].params.sessionId = "modifié";
    const b = memoised(second as never, "/sessions/s1/passages/p2")!;
    expect(b[b.length - 1].params).toEqual({ sessionId: "s1", slotId: "p2" });
    expect(b[b.length - 1].route).toBe(second[0].children!.find((r) => r.id === "routes/sessions/session-passage"));
    expect(b[0].route).toBe(second[0]);
  });

  it("tells trees of different shapes apart", () => {
    const memoised = memoiseMatchRoutes(matchRoutes as never);
    const routes = tree();
    expect(memoised(routes as never, "/sessions/s1")).not.toBeNull();
    const smaller: Route[] = [{ id: "root", path: "", children: [{ id: "login", path: "login" }] }];
    expect(memoised(smaller as never, "/sessions/s1")).toBeNull();
    expect(memoised(smaller as never, "/login")).toEqual(matchRoutes(smaller, "/login"));
  });
});

describe("the static handler's match", () => {
  type Router = {
    matchRoutes: (...args: unknown[]) => unknown;
    createStaticHandler: (routes: object[]) => { query: (request: Request) => Promise<{ matches: { route: { id: string } }[]; loaderData: object }> };
  };
  const file = require.resolve("@remix-run/router");
  /** A new instance of the router module, compiled by Node as `require` would (through package-rewrites' hook). */
  const freshRouter = (): Router => {
    const fresh = new Module(file) as Module & { _compile(content: string, filename: string): void };
    fresh.filename = file;
    fresh.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    fresh._compile(readFileSync(file, "utf8"), file);
    return fresh.exports as Router;
  };
  const routes = () => [
    { id: "root", path: "/", loader: () => "racine", children: [{ id: "session", path: "sessions/:sessionId", loader: ({ params }: { params: { sessionId: string } }) => params.sessionId }] },
  ];

  it("goes through the exported matchRoutes, so the memo answers each request's match", async () => {
    const router = freshRouter();
    expect(packageRewrites().router).toBe(true);
    const original = router.matchRoutes;
    const exported = vi.fn(original);
    router.matchRoutes = exported;
    const context = await router.createStaticHandler(routes()).query(new Request("http://quorum.test/sessions/s42"));
    expect(exported).toHaveBeenCalledTimes(1);
    expect(context.matches.map((m) => m.route.id)).toEqual(["root", "session"]);
    expect(context.loaderData).toEqual({ root: "racine", session: "s42" });
    // The export itself is the original function: with no memo installed, the same answer.
    router.matchRoutes = original;
    const again = await router.createStaticHandler(routes()).query(new Request("http://quorum.test/sessions/s43"));
    expect(again.loaderData).toEqual({ root: "racine", session: "s43" });
  });

  it("rewrites the pinned router's source, and leaves a source it does not recognise alone", () => {
    const source = readFileSync(file, "utf8");
    const rewritten = routeInternalMatchesThroughExports(source)!;
    expect(rewritten).not.toBeNull();
    expect(rewritten).toContain("return exports.matchRoutes(routes, locationArg, basename);");
    expect(routeInternalMatchesThroughExports(rewritten)).toBeNull();
    expect(routeInternalMatchesThroughExports(source.replace("exports.matchRoutes = matchRoutes;", "exports.matchRoutes = other;"))).toBeNull();
  });
});

describe("route tables built once per build", () => {
  /** A build's manifest routes and modules as <RemixServer> gets them: root, a layout with a page, an index. */
  const Page = () => null;
  const manifestRoutes = {
    root: { id: "root", path: "", hasLoader: true, module: "" },
    "routes/sessions": { id: "routes/sessions", parentId: "root", path: "sessions", hasLoader: true, module: "" },
    "routes/session": { id: "routes/session", parentId: "routes/sessions", path: ":sessionId", hasLoader: true, module: "" },
    "routes/home": { id: "routes/home", parentId: "root", index: true, hasLoader: false, module: "" },
  };
  const modules = () => ({ root: { default: Page }, "routes/sessions": { default: Page }, "routes/session": { default: Page, handle: { crumb: 1 } }, "routes/home": { default: Page } });
  const future = { v3_singleFetch: true };
  /** Routes as data: functions made afresh per call (the no-op loaders) compared by name, components by identity. */
  const asData = (routes: unknown) =>
    JSON.parse(JSON.stringify(routes, (key, value) => (typeof value === "function" ? (value === Page ? "Page" : `fn:${key}`) : value)));

  it("gives <RemixServer> the same routes for the same build, and new ones when a route module changes", () => {
    const memoised = memoiseServerRoutes(createServerRoutes as never);
    const sharedModules = modules();
    const first = memoised(manifestRoutes, { ...sharedModules }, future, false);
    expect(asData(first)).toEqual(asData(createServerRoutes(manifestRoutes, sharedModules, future, false)));
    expect(memoised(manifestRoutes, { ...sharedModules }, future, false)).toBe(first); // a new object, the same modules
    expect(memoised(manifestRoutes, modules(), future, false)).not.toBe(first); // modules loaded again (new objects)
    const changed = { ...sharedModules, "routes/session": { default: () => null } };
    const second = memoised(manifestRoutes, changed, future, false);
    expect(second).not.toBe(first);
    expect(asData(second)).toEqual(asData(createServerRoutes(manifestRoutes, changed, future, false)));
    expect(asData(second)).not.toEqual(asData(first));
    expect(memoised(manifestRoutes, changed, { ...future }, false)).not.toBe(second); // other flags, other routes
  });

  it("converts a tree to data routes once, filling each caller's manifest as the original does", () => {
    const memoised = memoiseDataRoutes(convertRoutesToDataRoutes as never);
    const routes = createServerRoutes(manifestRoutes, modules(), future, false);
    const expectedManifest: Record<string, Route> = {};
    const expected = convertRoutesToDataRoutes(routes, mapRouteProperties, undefined, expectedManifest);
    const manifestA: Record<string, Route> = {};
    const a = memoised(routes as never, mapRouteProperties, undefined, manifestA as never);
    expect(a).toEqual(expected);
    expect(Object.keys(manifestA).sort()).toEqual(Object.keys(expectedManifest).sort());
    const manifestB: Record<string, Route> = {};
    expect(memoised(routes as never, mapRouteProperties, undefined, manifestB as never)).toBe(a);
    expect(manifestB["routes/session"]).toBe(a[0].children![0].children![0]);
    expect(manifestB["routes/session"]).toEqual(expectedManifest["routes/session"]);
    const other = createServerRoutes(manifestRoutes, modules(), future, false);
    expect(memoised(other as never, mapRouteProperties, undefined, {})).not.toBe(a); // another tree
  });
});
