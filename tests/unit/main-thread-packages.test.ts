/**
 * The server's main thread carries every page and every websocket: it never renders a PDF (the render worker does,
 * app/signing/render-thread.server.ts), so it must not even load the PDF engine — pdf-lib, fontkit and the signing
 * placeholder cost ~0.5 s of CPU and tens of MiB at every start (docs/decisions/0013-server-memory.md, « The PDF
 * engine stays in its thread »). The production bundles drop a package whose names are unused
 * (`moduleSideEffects: "no-external"` in vite.config.ts and vite.server.config.ts), so what matters is the static
 * import graph: from server.ts, the Remix entry, the root and every route, no static import may reach those packages
 * (a dynamic `import()` inside a function that only scripts and tests call is fine).
 */
import path from "node:path";
import { readdirSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PDF_ENGINE = /^(pdf-lib|@pdf-lib\/|qrcode$|@signpdf\/placeholder)/;

describe("the server's main thread", () => {
  it("never statically imports the PDF engine (pdf-lib, fontkit, QR codes, the signature placeholder)", { timeout: 60_000 }, async () => {
    const routes = readdirSync(path.join(ROOT, "app/routes"), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => `app/routes/${file}`);
    const entries = ["server.ts", "app/entry.server.tsx", "app/root.tsx", ...routes];
    const { metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: entries,
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      packages: "external",
      external: ["*?raw"],
      alias: { "~": path.join(ROOT, "app") },
      outdir: path.join(ROOT, "tests/.tmp/main-thread-graph"),
      loader: { ".css": "empty" },
      logLevel: "silent",
    });
    const from = new Map<string, string | null>(entries.map((entry) => [entry, null]));
    const queue = [...entries];
    const reached: string[] = [];
    while (queue.length > 0) {
      const module = queue.shift()!;
      for (const imported of metafile.inputs[module]?.imports ?? []) {
        if (imported.kind === "dynamic-import") continue;
        if (imported.external) {
          if (PDF_ENGINE.test(imported.path)) {
            const chain = [imported.path];
            for (let at: string | null | undefined = module; at; at = from.get(at)) chain.unshift(at);
            reached.push(chain.join(" → "));
          }
          continue;
        }
        if (from.has(imported.path)) continue;
        from.set(imported.path, module);
        queue.push(imported.path);
      }
    }
    expect(Object.keys(metafile.inputs).length).toBeGreaterThan(300); // the whole app was walked
    expect(reached).toEqual([]);
  });
});
