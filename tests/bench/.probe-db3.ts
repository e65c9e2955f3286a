import { prepareDatabase } from "../support/database";
const db = await prepareDatabase();
process.env.QUORUM_DATA_DIR = db.env.QUORUM_DATA_DIR;
delete process.env.DATABASE_URL;
const { prisma, disconnectDatabase } = await import("~/db/db.server");
const { sharedPGlite } = await import("~/db/adapters.server");
for (let d = 0; d < 30; d++) await prisma.collabDocument.create({ data: { name: `doc${d}` } });
const pg = sharedPGlite();
const upd = new Uint8Array(60).fill(7);
async function timeIt(label: string, n: number, fn: () => Promise<unknown>) {
  const t: number[] = [];
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  const c = process.cpuUsage(c0);
  const wall = performance.now() - w0;
  t.sort((a, b) => a - b);
  console.log(label.padEnd(34), "p50", t[Math.floor(n / 2)].toFixed(2), "p99", t[Math.floor(n * 0.99)].toFixed(2), "cpu/op", ((c.user + c.system) / 1000 / n).toFixed(2), "wall/op", (wall / n).toFixed(2));
}
const SQL = `INSERT INTO "CollabUpdate" ("docName", "update", "userId") SELECT t.name, decode(t.update, 'base64'), t.user_id FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(name, update, user_id, n) ORDER BY t.n RETURNING "seq", "docName"`;
const args = (k: number) => [Array.from({ length: k }, (_, d) => `doc${d}`), Array.from({ length: k }, () => Buffer.from(upd).toString("base64")), Array.from({ length: k }, () => "u")];
const viaPrisma = (k: number) => { const [a, b, c] = args(k); return prisma.$queryRaw`INSERT INTO "CollabUpdate" ("docName", "update", "userId") SELECT t.name, decode(t.update, 'base64'), t.user_id FROM unnest(${a}::text[], ${b}::text[], ${c}::text[]) WITH ORDINALITY AS t(name, update, user_id, n) ORDER BY t.n RETURNING "seq", "docName"`; };
for (let round = 0; round < 2; round++) {
  await timeIt("pglite unnest 1", 300, () => pg.query(SQL, args(1)));
  await timeIt("pglite unnest 10", 300, () => pg.query(SQL, args(10)));
  await timeIt("pglite plain insert 1", 300, () => pg.query(`INSERT INTO "CollabUpdate" ("docName","update","userId") VALUES ($1,$2,$3) RETURNING seq`, ["doc1", Buffer.from(upd), "u"]));
  await timeIt("pglite select 1", 300, () => pg.query(`SELECT 1`));
  await timeIt("prisma raw unnest 1", 300, () => viaPrisma(1));
  await timeIt("prisma raw unnest 10", 300, () => viaPrisma(10));
  await timeIt("prisma raw select 1", 300, () => prisma.$queryRaw`SELECT 1`);
}
await disconnectDatabase();
await db.dispose();
