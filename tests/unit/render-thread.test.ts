/**
 * The PDF render thread (app/signing/render-thread.server.ts) starts with the first render and exits once idle, so
 * that a server which rendered a session's PDFs does not keep the renderer's memory; the next render starts it again.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRenderThread } from "~/signing/render-thread.server";
import { ownThreadId, threadNices } from "../support/threads";

const at = new Date("2026-12-02T09:30:00Z");
const minutes = {
  organisation: "CPNE Métallurgie",
  title: "Procès-verbal — Jury paritaire",
  createdAt: at,
  content: { generated: { title: "Procès-verbal", sections: [{ key: "body", heading: "Séance", paragraphs: ["Ouverte à 9 h."] }] }, remarks: "" },
  contentHash: "0".repeat(64),
  signatures: [{ name: "Hélène Garçon", role: "Présidente", signedAt: at }],
  evidence: { sessionId: "s1" },
};
const pdfHeader = (pdf: Uint8Array) => Buffer.from(pdf.subarray(0, 5)).toString("latin1");


const thread = createRenderThread({ timeoutMs: 60_000, idleMs: 200 });
beforeAll(() => {
  process.env.QUORUM_DATA_DIR = mkdtempSync(path.join(tmpdir(), "quorum-render-thread-")); // the demo seal certificate
});
afterAll(() => thread.close());

describe("render thread", () => {
  it("is not started before the first render", () => {
    expect(thread.running).toBe(false);
  });

  it("renders, exits when idle, and starts again for the next render", async () => {
    expect(pdfHeader((await thread.render("minutes", minutes)).pdf)).toBe("%PDF-");
    expect(thread.running).toBe(true);
    await vi.waitFor(() => expect(thread.running).toBe(false), { timeout: 10_000, interval: 50 });
    expect(pdfHeader((await thread.render("minutes", minutes)).pdf)).toBe("%PDF-");
  }, 60_000);

  it("stays up while renders follow each other closely", async () => {
    const renders = await Promise.all([thread.render("minutes", minutes), thread.render("minutes", minutes)]);
    expect(renders.map((r) => pdfHeader(r.pdf))).toEqual(["%PDF-", "%PDF-"]);
    expect(thread.running).toBe(true);
  }, 60_000);

  it.runIf(process.platform === "linux")(
    "renders at background priority: its thread is niced, the calling thread (the event loop) is not",
    async () => {
      expect(threadNices().get(ownThreadId())).toBe(0);
      await thread.render("minutes", minutes);
      expect(thread.running).toBe(true);
      const nices = threadNices();
      expect([...nices.values()].filter((nice) => nice === 10)).toHaveLength(1); // the render thread alone
      expect(nices.get(ownThreadId())).toBe(0);
    },
    60_000,
  );
});
