import { prepareDatabase } from "../support/database";
const db = await prepareDatabase(process.env.PGURL ? { postgresUrl: process.env.PGURL } : {});
Object.assign(process.env, db.env);
if (!db.env.DATABASE_URL) delete process.env.DATABASE_URL;
const { prisma, disconnectDatabase } = await import("~/db/db.server");
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
const unnest = (k: number) => {
  const names = Array.from({ length: k }, (_, d) => `doc${d}`);
  const updates = Array.from({ length: k }, () => Buffer.from(upd).toString("base64"));
  const users = Array.from({ length: k }, (_, d) => (d % 2 ? null : "x"));
  return prisma.$queryRaw<{ seq: bigint; docName: string }[]>`INSERT INTO "CollabUpdate" ("docName", "update", "userId") SELECT n, decode(u, 'base64'), uid FROM unnest(${names}::text[], ${updates}::text[], ${users}::text[]) AS t(n, u, uid) RETURNING "seq", "docName"`;
};
for (let round = 0; round < 2; round++) {
  await timeIt("unnest 1 row", 200, () => unnest(1));
  await timeIt("unnest 30 rows", 200, () => unnest(30));
  await timeIt("unnest 100 rows", 100, () => unnest(100));
}
console.log(await unnest(3));
console.log(await prisma.collabUpdate.findMany({ orderBy: { seq: "desc" }, take: 3, select: { seq: true, update: true, userId: true, docName: true } }));
await disconnectDatabase();
await db.dispose();
