/**
 * The import boundaries of docs/architecture.md are lint rules (eslint.config.js); `npm test` runs the lint, and
 * this test checks that the rules really fire on deliberate violations (and stay quiet on a clean file).
 */
import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

const cwd = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd });

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(cwd, file) });
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("import boundaries", { timeout: 120_000 }, () => {
  it("refuses a route that imports the database", async () => {
    const errors = await ruleIds(
      `import { prisma } from "~/platform/db/db.server";\nexport const loader = () => prisma;\n`,
      "app/routes/home/zz-violation.tsx",
    );
    expect(errors.some((e) => e.includes("never touch the database"))).toBe(true);
  });

  it("refuses a domain file that does I/O or reaches outside app/domain", async () => {
    const errors = await ruleIds(
      `import { readFileSync } from "node:fs";\nimport { prisma } from "~/platform/db/db.server";\nexport const x = [readFileSync, prisma];\n`,
      "app/domain/zz-violation.ts",
    );
    expect(errors.some((e) => e.includes("no I/O"))).toBe(true);
    expect(errors.some((e) => e.includes("imports nothing outside app/domain"))).toBe(true);
  });

  it("refuses app/ importing realtime/", async () => {
    const errors = await ruleIds(
      `import { createEventsServer } from "../../../realtime/events/server";\nexport const x = createEventsServer;\n`,
      "app/live/commission/zz-violation.server.ts",
    );
    expect(errors.some((e) => e.includes("app/ never imports realtime/"))).toBe(true);
  });

  it("refuses a use case importing a component, and realtime/ importing React", async () => {
    expect(
      (await ruleIds(`import { formatTime } from "~/components/format";\nexport const x = formatTime;\n`, "app/back-office/planning/zz-violation.server.ts")).some(
        (e) => e.includes("Use cases never import UI"),
      ),
    ).toBe(true);
    expect(
      (await ruleIds(`import { useState } from "react";\nexport const x = useState;\n`, "realtime/events/zz-violation.ts")).some((e) =>
        e.includes("never imports React"),
      ),
    ).toBe(true);
  });

  it("accepts a clean use case", async () => {
    const errors = await ruleIds(
      `import { candidateName } from "~/domain/identity";\nimport { prisma } from "~/platform/db/db.server";\nexport const x = [candidateName, prisma];\n`,
      "app/back-office/candidates/zz-clean.server.ts",
    );
    expect(errors).toEqual([]);
  });
});
