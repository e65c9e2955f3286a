/**
 * What the jury room tells its members about each candidate, from what it reads with the session and the passages
 * (issue 19 folded those reads into fewer statements): the conformity of the evaluators' habilitations at the date of
 * the evaluation, and what the candidate already holds of the certification from an earlier jury's decision. On the
 * demo (its planned jury), the use case called in process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/server";
import { openDemoInProcess } from "../support/demo-in-process";
import { closedJuryWithPartialDecision } from "../support/jury-fixtures";
import { inDemoOrganisation } from "../support/demo-organisation";

let database: TestDatabase;
let prisma: import("~/platform/db/db.server").PrismaClient;
let disconnect: () => Promise<void>;
let juryId = "";
let presidentId = "";
// The conformity checklist is withheld from a member recused for the candidate (Pierre, the president, evaluated one
// of them): the secretariat reads every candidate's.
let secretariatId = "";
// Imported once the database is open (its module picks the database when loaded).
let getJuryRoom: typeof import("~/live/jury/get-jury-room.server").getJuryRoom;

type Room = Awaited<ReturnType<typeof getJuryRoom>>;
const habilitationCheck = (item: Room["agenda"][number]) => item.conformity!.items.find((c) => c.key === "evaluatorsHabilitated")!;

beforeAll(async () => {
  ({ database, prisma, disconnect } = await openDemoInProcess("jury-room-facts"));
  ({ getJuryRoom } = await import("~/live/jury/get-jury-room.server"));
  presidentId = (await prisma.user.findUniqueOrThrow({ where: { email: "president@quorum.test" } })).id;
  secretariatId = (await prisma.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" } })).id;
  juryId = (await prisma.session.findFirstOrThrow({ where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } } })).id;
});

afterAll(async () => {
  await disconnect?.();
  await database?.dispose();
});

describe("the jury room's facts per candidate", () => {
  it("says the evaluators were habilitated, and names one whose habilitation did not cover the evaluation", async () => {
    const before = await getJuryRoom(juryId, secretariatId);
    expect(before.agenda.length).toBeGreaterThan(1);
    for (const item of before.agenda) expect([item.candidate.name, habilitationCheck(item).status]).toEqual([item.candidate.name, "ok"]);

    // The first candidate's evaluators: one of them loses every habilitation for the certification before the evaluation.
    const first = before.agenda[0]!;
    const grid = first.grids.find((g) => g.status === "SIGNED")!;
    const evaluator = grid.evaluators[0]!;
    const evaluatedAt = new Date(grid.evaluatedAt);
    const certificationId = before.session.certification!.id;
    const changed = await prisma.habilitation.updateMany({
      where: { userId: evaluator.userId, certificationId },
      data: { validFrom: new Date(evaluatedAt.getTime() - 400 * 86_400_000), validUntil: new Date(evaluatedAt.getTime() - 86_400_000) },
    });
    expect(changed.count).toBeGreaterThan(0);

    const after = await getJuryRoom(juryId, secretariatId);
    const check = habilitationCheck(after.agenda[0]!);
    expect(check.status).toBe("nonConform");
    expect(check.reason).toContain(evaluator.displayName);
    expect(after.agenda[0]!.conformity!.conform).toBe(false);
  });

  it("shows what a candidate already holds from an earlier jury's partial decision, and nothing for the others", async () => {
    const earlier = await closedJuryWithPartialDecision(prisma, {
      title: "Jury paritaire — session antérieure (faits du jury)",
      candidate: { birthName: "LEROUX", givenNames: "Inès" },
    });
    const dossierId = (await prisma.juryDecision.findUniqueOrThrow({ where: { id: earlier.decision.id } })).dossierId;
    const positions = await prisma.juryAgendaItem.count({ where: { sessionId: juryId } });
    await prisma.juryAgendaItem.create({ data: { sessionId: juryId, dossierId, position: positions + 1 } });

    const room = await getJuryRoom(juryId, presidentId);
    const returning = room.agenda.find((item) => item.dossierId === dossierId)!;
    expect(returning.candidate.birthName).toBe("LEROUX");
    expect(returning.acquired?.status).toBe("PARTIAL");
    expect(returning.acquired?.acquisitions.map((a) => a.code)).toContain(earlier.firstBloc.code);
    for (const item of room.agenda.filter((i) => i.dossierId !== dossierId)) {
      expect([item.candidate.name, item.acquired?.status, item.acquired?.acquisitions]).toEqual([item.candidate.name, "NONE", []]);
    }
  });
});

describe("the commission's grids in the jury room", () => {
  it("give each grid its own outcome: a grid not sealed says « not evaluated », a grid in signature its own results", async () => {
    const room = await getJuryRoom(juryId, presidentId);
    const first = room.agenda[0]!;
    const ids = first.blocs.flatMap((b) => [b.id, ...b.competences.map((c) => c.id)]);
    // The demo's commission of tomorrow has not evaluated her yet: nothing to show but « Non évalué ».
    const blank = first.grids.find((g) => g.status === "OPEN" && g.content === null)!;
    expect(ids.map((id) => blank.outcomes[id])).toEqual(ids.map(() => "pending"));
    // The grid the jury relies on (signed, every competence acquired) keeps its own outcome.
    const signed = first.grids.find((g) => g.status === "SIGNED")!;
    expect(ids.map((id) => signed.outcomes[id])).toEqual(ids.map(() => "acquired"));
    expect(first.outcome?.outcome).toBe("total");

    // The second: a grid in signature whose commission found the second bloc acquired, beside the signed grid that
    // did not — each table says what its own grid found. Read by the vice-president: Pierre evaluated this candidate,
    // so he is recused for her and the room withholds her grids from him (docs/decisions/0020).
    const vicePresidentId = (await prisma.user.findUniqueOrThrow({ where: { email: "membre1@quorum.test" } })).id;
    const second = (await getJuryRoom(juryId, vicePresidentId)).agenda[1]!;
    expect(room.agenda[1]!.grids).toEqual([]);
    const bloc2 = second.blocs[1]!;
    const signing = second.grids.find((g) => g.status === "SIGNING")!;
    const signedToo = second.grids.find((g) => g.status === "SIGNED")!;
    expect(bloc2.competences.map((c) => signing.content?.result[c.id])).toEqual(bloc2.competences.map(() => "ACQUIS"));
    expect([signing.outcomes[bloc2.id], signedToo.outcomes[bloc2.id]]).toEqual(["acquired", "notAcquired"]);
    expect(second.targets.find((t) => t.id === bloc2.id)!.commissionOutcome).toBe("notAcquired");
  });
});
