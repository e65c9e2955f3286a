/**
 * Prisma's statements on PostgreSQL as named prepared statements (app/platform/db/pg-statements.server.ts, decision
 * 0018), with the app's own client in this process on a seeded database: a statement the app repeats is prepared on
 * the connection that runs it and answers the same rows; a table changing shape under a prepared statement (a
 * migration while the server runs) fails no read outside a transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeededDatabase } from "../support/prisma";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase());
}, 240_000);

afterAll(async () => {
  await close?.();
});

describe("prepared statements on PostgreSQL", () => {
  it("prepares a read the app repeats on the connection that runs it, with the same answer", async () => {
    // An interactive transaction holds one connection: the same one runs the three reads and lists its statements.
    const { reads, prepared } = await prisma.$transaction(async (tx) => {
      const reads = [];
      for (let i = 0; i < 3; i++) {
        reads.push(
          await tx.session.findFirst({
            where: { kind: "JURY" },
            orderBy: { startsAt: "asc" },
            include: { members: { include: { user: { select: { displayName: true } } } }, agenda: { include: { dossier: true } } },
          }),
        );
      }
      const prepared = await tx.$queryRaw<Array<{ name: string; statement: string }>>`SELECT name, statement FROM pg_prepared_statements`;
      return { reads, prepared };
    });
    expect(reads[0]).not.toBeNull();
    expect(reads[0]!.members.length).toBeGreaterThan(0);
    expect(reads[1]).toEqual(reads[0]);
    expect(reads[2]).toEqual(reads[0]);
    const ours = prepared.filter((p) => p.name.startsWith("quorum_"));
    expect(ours.some((p) => p.statement.includes('FROM "public"."Session"') && p.statement.includes("JuryAgendaItem"))).toBe(true);
  });

  it("answers with a table's new shape after it changed under a prepared read, without failing the read", async () => {
    const { namedStatementStats } = await import("~/platform/db/pg-statements.server");
    await prisma.$executeRawUnsafe('CREATE TABLE "PreparedProbe" ("a" integer)');
    await prisma.$executeRawUnsafe('INSERT INTO "PreparedProbe" ("a") VALUES (1)');
    const read = () => prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM "PreparedProbe" WHERE "a" = $1', 1);
    // Sequential reads reuse the pool's last idle connection: the read is prepared there at its second call.
    for (let i = 0; i < 3; i++) expect(await read()).toEqual([{ a: 1 }]);
    const retired = namedStatementStats().retired;
    await prisma.$executeRawUnsafe('ALTER TABLE "PreparedProbe" ADD COLUMN "b" text');
    expect(await read()).toEqual([{ a: 1, b: null }]);
    expect(await read()).toEqual([{ a: 1, b: null }]);
    // The prepared read was refused once by PostgreSQL (0A000), sent again unnamed, and its text renamed.
    expect(namedStatementStats().retired).toBe(retired + 1);
  });
});
