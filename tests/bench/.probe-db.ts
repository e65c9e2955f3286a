import { prepareDatabase } from "../support/database";
const db = await prepareDatabase();
process.env.QUORUM_DATA_DIR = db.env.QUORUM_DATA_DIR;
const { prisma, disconnectDatabase, Prisma } = await import("~/db/db.server");
for (let d = 0; d < 30; d++) await prisma.collabDocument.create({ data: { name: `doc${d}` } });
const upd = new Uint8Array(40).fill(7);
async function timeIt(label: string, n: number, fn: () => Promise<unknown>) {
  const t: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  const c = process.cpuUsage(c0);
  t.sort((a, b) => a - b);
  console.log(label.padEnd(28), "p50", t[Math.floor(n / 2)].toFixed(2), "p99", t[Math.floor(n * 0.99)].toFixed(2), "cpu/op", ((c.user + c.system) / 1000 / n).toFixed(2));
}
for (let round = 0; round < 2; round++) {
await timeIt("prisma createMany 1 row", 200, () => prisma.collabUpdate.createManyAndReturn({ data: [{ docName: "doc1", update: upd, userId: null }], select: { seq: true } }));
await timeIt("prisma createMany 30 rows", 200, () => prisma.collabUpdate.createManyAndReturn({ data: Array.from({ length: 30 }, (_, d) => ({ docName: `doc${d}`, update: upd, userId: null })), select: { seq: true, docName: true } }));
const rows = (k: number) => Prisma.join(Array.from({ length: k }, (_, d) => Prisma.sql`(${`doc${d}`}, ${upd}, ${null})`));
await timeIt("queryRaw 1 row", 200, () => prisma.$queryRaw`INSERT INTO "CollabUpdate" ("docName", "update", "userId") VALUES ${rows(1)} RETURNING "seq", "docName"`);
await timeIt("queryRaw 30 rows", 200, () => prisma.$queryRaw`INSERT INTO "CollabUpdate" ("docName", "update", "userId") VALUES ${rows(30)} RETURNING "seq", "docName"`);
}
const r = await prisma.$queryRaw<{seq: bigint, docName: string}[]>`INSERT INTO "CollabUpdate" ("docName", "update", "userId") VALUES ${Prisma.join([Prisma.sql`(${"doc3"}, ${upd}, ${null})`])} RETURNING "seq", "docName", "update"`;
console.log(r);
await disconnectDatabase();
await db.dispose();
