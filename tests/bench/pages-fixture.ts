/**
 * The render fixture of `npm run bench:pages`: a commission session of 30 passages on the demo référentiel and one
 * pending grid render job per passage, due `delaySeconds` from now (so the server is up and measured when the
 * 30 PDFs are produced). Runs as a short child process on the database selected by the environment while no
 * server runs on it (PGlite allows one process per data directory):
 *
 *   node --import tsx tests/bench/pages-fixture.ts <delaySeconds>
 */
import { disconnectDatabase, prisma } from "~/platform/db/db.server";
import { inDemoOrganisation } from "../support/demo-organisation";

const PASSAGES = 30;

async function main() {
  const delaySeconds = Number(process.argv[2] ?? 20);
  const demo = await prisma.session.findFirstOrThrow({
    where: { ...inDemoOrganisation, kind: "COMMISSION", referentialVersionId: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { organisationId: true, referentialVersionId: true, members: { select: { userId: true, role: true } } },
  });
  const candidates = await prisma.candidate.findMany({
    where: { organisationId: demo.organisationId },
    orderBy: { birthName: "asc" },
    select: { id: true },
  });
  const day = new Date(Date.UTC(2026, 0, 15, 8));
  const session = await prisma.session.create({
    data: {
      organisationId: demo.organisationId,
      kind: "COMMISSION",
      title: "Banc d'essai — 30 grilles",
      startsAt: day,
      endsAt: new Date(day.getTime() + 10 * 3600_000),
      remote: true,
      referentialVersionId: demo.referentialVersionId,
      members: { create: demo.members.map((m) => ({ userId: m.userId, role: m.role })) },
      slots: {
        create: Array.from({ length: PASSAGES }, (_, i) => ({
          candidateId: candidates[i % candidates.length].id,
          position: i + 1,
          startsAt: new Date(day.getTime() + i * 20 * 60_000),
          endsAt: new Date(day.getTime() + (i + 1) * 20 * 60_000),
          gridStatus: "SIGNED" as const,
          signingRound: 1,
        })),
      },
    },
    select: { slots: { select: { id: true } } },
  });
  const due = new Date(Date.now() + delaySeconds * 1000);
  await prisma.renderJob.createMany({
    data: session.slots.map((slot) => ({ documentKind: "grid", documentId: slot.id, round: 1, nextAttemptAt: due })),
  });
}

main()
  .then(() => disconnectDatabase())
  .catch(async (error) => {
    console.error(error);
    await disconnectDatabase().catch(() => {});
    process.exit(1);
  });
