/** A PDF the server serves, downloaded and read with Poppler's `pdftotext` (spaces and line breaks collapsed). */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect } from "./fixtures";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-e2e-pdf-"));

export async function pdfText(request: APIRequestContext, href: string): Promise<string> {
  const response = await request.get(href);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, await response.body());
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}
