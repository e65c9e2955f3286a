/**
 * Lines of four pinned packages rewritten as Node compiles them (decision 0014): the static handler's route match
 * through the memo (http/router-internals.server.ts), a plan's SQL text from memory (db/prisma-sql-render.server.ts)
 * with the lighter walks over a query's arguments and rows (db/prisma-request-walk.server.ts), React's server
 * output written as strings (http/react-chunks.server.ts), and — a fix, not a speed-up — the multipart parser's
 * reading of a part's Content-Disposition (http/form-data-disposition.ts: a file named « a; b=c.pdf » made uploads
 * answer 500).
 *
 * It must run before anything requires those packages: server.ts imports it first, and the server build keeps it in a
 * chunk of its own that `build/node/server.js` imports before any package (vite.server.config.ts). A package whose
 * source no longer has the expected line (an upgrade) is compiled unchanged, `packageRewrites()` says so (`GET
 * /__bench/stats`), and the tests named in each module fail.
 */
import Module from "node:module";
import path from "node:path";
import { lighterRequestWalks } from "./db/prisma-request-walk.server";
import { RENDER, renderTemplateSql, renderTemplatesThroughQuorum } from "./db/prisma-sql-render.server";
import { reactChunksAsStrings } from "./http/react-chunks.server";
import { parseFormDataDisposition } from "./http/form-data-disposition";
import { routeInternalMatchesThroughExports } from "./http/router-internals.server";

type Rewrite = { name: "router" | "prisma" | "react" | "multipart"; file: string; rewrite: (source: string) => string | null };

const REWRITES: Rewrite[] = [
  { name: "router", file: `${path.sep}${path.join("@remix-run", "router", "dist", "router.cjs.js")}`, rewrite: routeInternalMatchesThroughExports },
  {
    name: "prisma",
    file: `${path.sep}${path.join("@prisma", "client", "runtime", "client.js")}`,
    rewrite: (source) => {
      const rendering = renderTemplatesThroughQuorum(source);
      return rendering === null ? null : lighterRequestWalks(rendering);
    },
  },
  { name: "react", file: `${path.sep}${path.join("react-dom", "cjs", "react-dom-server.node.production.min.js")}`, rewrite: reactChunksAsStrings },
  {
    name: "multipart",
    file: `${path.sep}${path.join("@web3-storage", "multipart-parser", "cjs", "src", "index.js")}`,
    rewrite: (source) => dispositionThroughQuorum(source),
  },
];
const DISPOSITION = Symbol.for("quorum.formDataDisposition");

/** The parser's own function kept under another name, its calls going to parseFormDataDisposition; null if absent. */
export function dispositionThroughQuorum(source: string): string | null {
  const line = "function parseContentDisposition(header) {";
  if (source.split(line).length !== 2) return null;
  return source.replace(
    line,
    `function parseContentDisposition(header) { return globalThis[Symbol.for("quorum.formDataDisposition")](header); }\nfunction parseContentDispositionOfThePackage(header) {`,
  );
}
const state = Symbol.for("quorum.packageRewrites");
const store = globalThis as unknown as { [state]?: Record<Rewrite["name"], boolean> } & { [RENDER]?: typeof renderTemplateSql } & {
  [DISPOSITION]?: typeof parseFormDataDisposition;
};

/** Which packages this process compiled rewritten (false before a package is loaded, or after an upgrade). */
export function packageRewrites(): Record<Rewrite["name"], boolean> {
  return { router: false, prisma: false, react: false, multipart: false, ...store[state] };
}

function install(): void {
  if (store[state]) return;
  const done: Record<Rewrite["name"], boolean> = (store[state] = { router: false, prisma: false, react: false, multipart: false });
  store[RENDER] = renderTemplateSql;
  store[DISPOSITION] = parseFormDataDisposition;
  type Compile = (this: unknown, content: string, filename: string) => unknown;
  const prototype = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = prototype._compile;
  prototype._compile = function compileRewritten(content, filename) {
    if (typeof filename === "string" && typeof content === "string") {
      for (const { name, file, rewrite } of REWRITES) {
        if (!filename.endsWith(file)) continue;
        const rewritten = rewrite(content);
        if (rewritten === null) break;
        done[name] = true;
        return compile.call(this, rewritten, filename);
      }
    }
    return compile.call(this, content, filename);
  };
}

install();
