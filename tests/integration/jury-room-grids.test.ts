/**
 * The jury room's candidate panel says which commission grids are signed by all: on the demo jury, Camille MOREAU has
 * a signed grid and, the next day, a grid still in signature (Pierre Président has not signed it). Until 2026-12-07 the
 * panel listed that grid « en signature » beside « Grille signée par tous les évaluateurs : Conforme », with no word
 * on which grid was checked nor who had still to sign.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";

let database: TestDatabase;
let server: TestServer;
let cookie = "";
let juryId = "";

type Room = {
  agenda: Array<{
    candidate: { birthName: string };
    grids: Array<{ status: string; sessionTitle: string; evaluators: Array<{ displayName: string; signed: boolean }> }>;
    conformity: { items: Array<{ key: string; status: string; reason: string | null }> };
  }>;
};

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    juryId = (await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire — CQP Assistant(e) de formation", kind: "JURY" } })).id;
  });
  server = await startServer({ database });
  // Marie, the vice-president (Pierre evaluated the candidate: recused for her, he does not read her grids).
  cookie = await login(server.baseUrl, "membre1@quorum.test");
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("the jury room's grids and their signatures", () => {
  it("names, on « signed by all », the grid not signed yet and who has to sign it", async () => {
    const res = await fetch(`${server.baseUrl}/sessions/${juryId}/jury`, { headers: { Cookie: cookie } });
    const room = ((await res.json()) as { room: Room }).room;
    const moreau = room.agenda.find((a) => a.grids.some((g) => g.status === "SIGNING"))!;
    expect(moreau.grids.map((g) => g.status).sort()).toEqual(["SIGNED", "SIGNING"]);
    const pending = moreau.grids.find((g) => g.status === "SIGNING")!;
    expect(pending.sessionTitle).toContain("seconde journée");
    expect(pending.evaluators).toEqual([expect.objectContaining({ displayName: "Pierre Président", signed: false })]);
    const line = moreau.conformity.items.find((i) => i.key === "gridSigned")!;
    expect(line.status).toBe("ok");
    expect(line.reason).toMatch(/^Vérifié sur la grille signée : grille du .+ \(Commission d'évaluation \(passée\) — CQP Assistant\(e\) de formation\)\./);
    expect(line.reason).toContain(
      "Pas encore signée par tous, donc non retenue : grille du ",
    );
    expect(line.reason).toContain("(Commission d'évaluation — CQP Assistant(e) de formation, seconde journée (session passée)) (reste : Pierre Président).");
  });
});
