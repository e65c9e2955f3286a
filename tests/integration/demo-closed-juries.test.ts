/**
 * The demo's closed juries are coherent with the recusal rule (decision 0020): no member seated on a closed jury of the
 * demo evaluated (sat on the commission of), trained or declared a conflict with a candidate it decided on, and every
 * fiche de décision was signed by that jury's president. Before 2026-12-07 the desk's three « Délibération du jury »
 * sessions were Pierre Président's alone, and he had evaluated all their candidates: opening them, he read the recusal
 * sentence instead of the grids and could not download the fiches he had signed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/server";
import { openDemoInProcess } from "../support/demo-in-process";

let database: TestDatabase;
let prisma: import("~/platform/db/db.server").PrismaClient;
let disconnect: () => Promise<void>;
let context: typeof import("~/live/jury/jury-context.server");

beforeAll(async () => {
  ({ database, prisma, disconnect } = await openDemoInProcess("closed-juries"));
  context = await import("~/live/jury/jury-context.server");
}, 300_000);

afterAll(async () => {
  await disconnect?.();
  await database?.dispose();
});

const closedJuries = () =>
  prisma.session.findMany({
    where: { kind: "JURY", status: "CLOSED" },
    orderBy: { title: "asc" },
    include: {
      members: { include: { user: { select: { email: true } } } },
      agenda: { orderBy: { position: "asc" }, include: { decision: { include: { sheet: true } } } },
    },
  });

describe("the demo's closed juries", () => {
  it("seat no member recused for one of their candidates", async () => {
    const juries = await closedJuries();
    expect(juries.map((j) => j.title)).toEqual(
      expect.arrayContaining([
        "Délibération du jury — CQP Assistant(e) de formation",
        "Délibération du jury — CQPM Opérateur régleur (archives)",
        "Délibération du jury — CQP Conducteur(trice) de ligne de production alimentaire",
        "Jury paritaire — session de rattrapage",
      ]),
    );
    const recused: string[] = [];
    for (const jury of juries) {
      for (const item of jury.agenda) {
        for (const member of jury.members) {
          const reason = await context.viewerRecusal(prisma, jury.id, item.dossierId, member.userId);
          if (reason) recused.push(`${jury.title} — ${member.user.email} (${member.role}), agenda item ${item.position}: ${reason}`);
        }
      }
    }
    expect(recused).toEqual([]);
  });

  it("have every fiche de décision signed by their president, who can open it", async () => {
    for (const jury of await closedJuries()) {
      const president = jury.members.find((m) => m.role === "PRESIDENT");
      expect(president, jury.title).toBeDefined();
      for (const item of jury.agenda) {
        if (!item.decision?.sheet) continue;
        expect(item.decision.sheet.status, jury.title).toBe("SIGNED");
        expect(item.decision.sheet.signerIds, jury.title).toEqual([president!.userId]);
        expect(item.decision.decidedById, jury.title).toBe(president!.userId);
        expect(await context.viewerRecusal(prisma, jury.id, item.dossierId, president!.userId), jury.title).toBeNull();
      }
    }
  });
});
