/**
 * A secretariat's years of history for the page benchmark (diagnostic): N more final jury decisions in the demo
 * organisation, settled as most of a real history is: total deliveries, each with its candidate, dossier, agenda item,
 * decision items, parchemin and passage to the Caisse des Dépôts accepted; one closed jury per 50 decisions, six
 * weeks apart going back from last month (2,000 decisions: 40 juries over four and a half years). Rows are copies of the demo's first total decision with a parchemin (new ids,
 * names, numbers and dates), inserted in SQL. Runs as a short child
 * process on the database selected by the environment while no server runs on it:
 *
 *   node --import tsx tests/bench/volume-fixture.ts <decisions>
 */
import { disconnectDatabase, prisma } from "~/platform/db/db.server";

const PER_JURY = 50;

async function columnsOf(table: string): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ column_name: string }>>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    table,
  );
  return rows.map((r) => r.column_name);
}

/** INSERT … SELECT of the template rows of `table` (alias t), once per g in 1..n, with some columns computed. */
async function copy(table: string, where: string, n: number, overrides: Record<string, string>, params: unknown[]) {
  const columns = await columnsOf(table);
  const list = columns.map((c) => `"${c}"`).join(", ");
  const values = columns.map((c) => overrides[c] ?? `t."${c}"`).join(", ");
  await prisma.$executeRawUnsafe(
    `INSERT INTO "${table}" (${list}) SELECT ${values} FROM "${table}" t, generate_series(1, ${n}) g WHERE ${where}`,
    ...params,
  );
}

async function main() {
  const n = Number(process.argv[2] ?? 2000);
  const template = await prisma.juryDecision.findFirstOrThrow({
    where: { overall: "TOTAL", session: { status: "CLOSED" }, records: { some: { duplicateOfId: null, kind: "PARCHEMIN" } } },
    orderBy: { decidedAt: "asc" },
    select: { id: true, sessionId: true, session: { select: { organisationId: true } }, agendaItemId: true, dossierId: true, dossier: { select: { candidateId: true } }, records: { where: { duplicateOfId: null }, select: { id: true } } },
  });
  const juries = Math.ceil(n / PER_JURY);
  // One closed jury per 50 decisions, six weeks apart going back from last month.
  const day = `(date_trunc('month', now()) - interval '1 month' - (g * interval '6 weeks'))`;
  await copy("Session", `t.id = $1`, juries, {
    id: `'vol-s-' || g`,
    title: `'Jury (historique ' || g || ')'`,
    startsAt: day,
    endsAt: `${day} + interval '3 hours'`,
    searchKey: `'jury historique ' || g`,
  }, [template.sessionId]);
  const juryOf = `'vol-s-' || ((g - 1) / ${PER_JURY} + 1)`;
  const decidedAt = `(date_trunc('month', now()) - interval '1 month' - (((g - 1) / ${PER_JURY} + 1) * interval '6 weeks'))`;
  await copy("Candidate", `t.id = $1`, n, {
    id: `'vol-c-' || g`,
    birthName: `'HISTORIQUE' || g`,
    usageName: `NULL`,
    searchKey: `'historique' || g`,
    email: `NULL`,
  }, [template.dossier.candidateId]);
  await copy("Dossier", `t.id = $1`, n, {
    id: `'vol-d-' || g`,
    candidateId: `'vol-c-' || g`,
    createdAt: `${decidedAt} - interval '5 months'`,
  }, [template.dossierId]);
  await copy("JuryAgendaItem", `t.id = $1`, n, { id: `'vol-a-' || g`, sessionId: juryOf, dossierId: `'vol-d-' || g` }, [template.agendaItemId]);
  await copy("JuryDecision", `t.id = $1`, n, {
    id: `'vol-j-' || g`,
    sessionId: juryOf,
    agendaItemId: `'vol-a-' || g`,
    dossierId: `'vol-d-' || g`,
    decidedAt,
  }, [template.id]);
  await copy("JuryDecisionItem", `t."decisionId" = $1`, n, { id: `'vol-i-' || g || '-' || t.id`, decisionId: `'vol-j-' || g` }, [template.id]);
  const record = template.records[0];
  if (record) {
    await copy("DeliveryRecord", `t.id = $1`, n, {
      id: `'vol-r-' || g`,
      decisionId: `'vol-j-' || g`,
      candidateId: `'vol-c-' || g`,
      number: `t.number || '-H' || g`,
      verificationCode: `'VOL' || g || '-' || t."verificationCode"`,
      sequence: `t.sequence + 100000 + g`,
      issuedAt: decidedAt,
    }, [record.id]);
  }
  // (A passage names its decision since migration 20261203230000: before it, the key alone.)
  const named = (await columnsOf("CdcPassage")).includes("decisionId");
  await prisma.$executeRawUnsafe(
    `INSERT INTO "CdcPassage" ("id", "organisationId", "sourceKey", ${named ? `"decisionId", ` : ""}"candidateId", "idTechnique", "status", "idFlux", "exportedAt", "updatedAt")
     SELECT 'vol-p-' || g, $1, 'decision:vol-j-' || g, ${named ? `'vol-j-' || g, ` : ""}'vol-c-' || g, 'VOLP' || g, 'accepted', 'QRMVOL', ${decidedAt} + interval '1 week', now()
     FROM generate_series(1, ${n}) g`,
    template.session.organisationId,
  );
  // A database that lived through these years has its statistics (autovacuum; app/platform/db/embedded-maintenance
  // .server.ts for the embedded one): without them the planner takes these tables for empty.
  await prisma.$executeRawUnsafe("ANALYZE");
  const counted = await prisma.juryDecision.count();
  console.log(`volume fixture: ${n} decisions added in ${juries} closed juries (${counted} in all)`);
}

main()
  .then(() => disconnectDatabase())
  .catch(async (error) => {
    console.error(error);
    await disconnectDatabase().catch(() => {});
    process.exit(1);
  });
