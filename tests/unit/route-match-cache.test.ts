/**
 * Memoised route matching (app/platform/http/route-match-cache.server.ts) answers exactly as @remix-run/router's
 * own `matchRoutes` on the app's real route tree (app/routes.ts), the first time and from memory, with route objects
 * of the tree it is given and params of its own.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { memoiseMatchRoutes } from "~/platform/http/route-match-cache.server";
import routeConfig from "~/routes";

type Entry = { id?: string; path?: string; file: string; index?: boolean; caseSensitive?: boolean; children?: Entry[] };
type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };

const { matchRoutes } = createRequire(import.meta.url)("@remix-run/router") as {
  matchRoutes: (routes: Route[], location: string | { pathname: string }, basename?: string) => unknown;
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
