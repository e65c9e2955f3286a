/**
 * Every page's forms keep their page when the server cannot be reached (app/components/form.tsx): a page that takes
 * a form (an `action` and a component) sends it through `clientAction`, and reads nothing again after an unsent
 * form (`shouldRevalidate`, the root's too); a page or component that imports Remix's own `Form` or
 * `useActionData` is refused by the lint, as are fetchers and `useRevalidator` (their reads go through `useJsonRead` and
 * `useRevalidateWhenReachable`, which keep the page when the server cannot be reached). Forms no clientAction answers for (a search, « Se déconnecter », a download)
 * ask the server first. The browser's side is tests/e2e/offline-forms.spec.ts.
 */
import { ESLint } from "eslint";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sentWithoutClientAction } from "~/components/form";

const cwd = path.resolve(import.meta.dirname, "../..");
const REEXPORT = /^export \{ clientAction, shouldRevalidate \} from "~\/components\/form";$/m;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(path.join(dir, entry.name)) : entry.name.endsWith(".tsx") ? [path.join(dir, entry.name)] : [],
  );
}

describe("page forms", () => {
  const pages = routeFiles(path.join(cwd, "app/routes"))
    .map((file) => ({ file: path.relative(cwd, file), text: readFileSync(file, "utf8") }))
    .filter(({ text }) => /^export (async )?function action\b/m.test(text) && /^export default\b/m.test(text));

  it("finds the pages that take a form", () => {
    expect(pages.map((p) => p.file)).toEqual(
      expect.arrayContaining(["app/routes/candidates/candidate-new.tsx", "app/routes/candidates/dossier.tsx", "app/routes/archives/declarations.tsx"]),
    );
  });

  it("sends each page's forms through the clientAction that survives a lost connection", () => {
    expect(pages.filter(({ text }) => !REEXPORT.test(text)).map((p) => p.file)).toEqual([]);
  });

  it("keeps the root's data after an unsent form", () => {
    expect(readFileSync(path.join(cwd, "app/root.tsx"), "utf8")).toMatch(/^export \{ shouldRevalidate \} from "~\/components\/form";$/m);
  });

  it("refuses Remix's own Form and useActionData in pages and components", { timeout: 120_000 }, async () => {
    const eslint = new ESLint({ cwd });
    const [result] = await eslint.lintText(`import { Form, useActionData } from "@remix-run/react";\nexport const x = [Form, useActionData];\n`, {
      filePath: path.join(cwd, "app/routes/home/zz-violation.tsx"),
    });
    const errors = result.messages.filter((m) => m.severity === 2 && m.message.includes("~/components/form"));
    expect(errors).toHaveLength(2);
  });

  it("refuses Remix's fetchers and revalidator in pages and components (their failed reads replace the page)", { timeout: 120_000 }, async () => {
    const eslint = new ESLint({ cwd });
    const [result] = await eslint.lintText(`import { useFetcher, useRevalidator } from "@remix-run/react";\nexport const x = [useFetcher, useRevalidator];\n`, {
      filePath: path.join(cwd, "app/components/jury/zz-violation.tsx"),
    });
    const errors = result.messages.filter((m) => m.severity === 2 && m.message.includes("useRevalidateWhenReachable"));
    expect(errors).toHaveLength(2);
  });
});

describe("forms sent without their page's clientAction ask the server first", () => {
  it("a search, a form posted to another page, a download; not a form posted to its own page", () => {
    expect(sentWithoutClientAction({})).toBe(true);
    expect(sentWithoutClientAction({ method: "get" })).toBe(true);
    expect(sentWithoutClientAction({ method: "post", action: "/logout" })).toBe(true);
    expect(sentWithoutClientAction({ method: "post", action: "/declarations/fichier.xml", reloadDocument: true })).toBe(true);
    expect(sentWithoutClientAction({ method: "post" })).toBe(false);
    expect(sentWithoutClientAction({ method: "post", action: "?index" })).toBe(false);
  });
});
