/**
 * Creates the Quorum benchmark fixture in the database selected by the environment (QUORUM_DATA_DIR for PGlite,
 * DATABASE_URL for PostgreSQL), then closes it. Run as a short child process by tests/bench/realtime.ts before
 * the server starts on the same database (PGlite allows one process per data directory):
 *
 *   node --import tsx tests/bench/fixture.ts <rooms> <clientsPerRoom> <out.json>
 *
 * One organisation with one certification scored in percentages (pass mark 70 %) and its published référentiel
 * version: one bloc of eight competences C1…C8 (the grid schema accepts only these competences and scores from 0 to
 * 100: ./lean-client.ts `gridEdit`); per room one commission session on that version with one candidate slot
 * (document `grid:<session>:<slot>`) (grid OPEN) in phase PRESENTATION (past « Accueil », when the grid schema opens the scoring rights: app/domain/
 * access.ts `gridRights`), and `clientsPerRoom` users who declared no conflict of interest (write access, see
 * app/live/sessions/access.server.ts): the first seated as PRESIDENT (`decide`: writes the commission's result),
 * the others as MEMBER (`score`: their own assessment keys); per user one login session whose cookie token is
 * written to out.json (only its SHA-256 is stored, as app/platform/auth/session.server.ts does). Seats are in
 * `seatWrite`'s order (./lean-client.ts): seat 0 is the president.
 */
import { writeFileSync } from "node:fs";
import { generateSessionToken, sessionIdFromToken, sessionTimeouts } from "~/platform/auth/session.server";
import { disconnectDatabase, prisma } from "~/platform/db/db.server";
import { gridDocumentName } from "~/domain/access";
import { parseScheme } from "~/domain/scheme";
import { BENCH_COMPETENCES, benchUserId } from "./lean-client";

export type BenchFixture = {
  /** The référentiel's competences, C1…C8 in order (the keys the edits write). */
  competenceIds: string[];
  rooms: { documentName: string; seats: { userId: string; token: string }[] }[];
};

async function main() {
  const [roomsArg, perRoomArg, out] = process.argv.slice(2);
  const roomCount = Number(roomsArg);
  const perRoom = Number(perRoomArg);
  if (!(roomCount > 0 && perRoom > 0 && out)) throw new Error("usage: fixture.ts <rooms> <clientsPerRoom> <out.json>");

  const run = Date.now().toString(36);
  const organisation = await prisma.organisation.create({
    data: { slug: `bench-${run}`, name: "Banc d'essai", legalName: "Banc d'essai temps réel" },
  });
  const candidate = await prisma.candidate.create({
    data: { organisationId: organisation.id, birthName: "CANDIDAT", givenNames: "Banc" },
  });

  const users = Array.from({ length: roomCount * perRoom }, (_, index) => ({
    id: benchUserId(run, index),
    email: `bench-${run}-${index}@quorum.test`,
    displayName: `Jury ${index}`,
    passwordHash: "!bench-no-login", // never a valid argon2 hash: these accounts only use the cookies below
  }));
  await prisma.user.createMany({ data: users });
  // A seat opens its session only to a member of the session's organisation (app/domain/access.ts, sessionReader).
  await prisma.membership.createMany({ data: users.map((user) => ({ userId: user.id, organisationId: organisation.id, role: "MEMBER" as const })) });

  const expiresAt = new Date(Date.now() + sessionTimeouts().absoluteMs);
  const tokens = users.map(() => generateSessionToken());
  await prisma.authSession.createMany({
    data: users.map((user, index) => ({ id: sessionIdFromToken(tokens[index]), userId: user.id, expiresAt })),
  });

  const certification = await prisma.certification.create({
    data: {
      organisationId: organisation.id,
      kind: "CQP",
      code: `BENCH-${run}`,
      title: "Certification du banc d'essai",
      // Stored parsed, with its defaults, as the back office stores a scheme.
      scheme: parseScheme({ scale: { kind: "percentage", passMark: 70 } }),
    },
  });
  const version = await prisma.referentialVersion.create({
    data: {
      certificationId: certification.id,
      version: 1,
      publishedAt: new Date(),
      blocs: {
        create: {
          code: "BC01",
          title: "Bloc du banc d'essai",
          position: 1,
          competences: {
            create: Array.from({ length: BENCH_COMPETENCES }, (_, c) => ({
              code: `C${c + 1}`,
              statement: `Compétence ${c + 1} du banc d'essai`,
              position: c + 1,
              criteria: { create: { statement: "Critère unique", position: 1 } },
            })),
          },
        },
      },
    },
    select: { id: true, blocs: { select: { competences: { select: { id: true }, orderBy: { position: "asc" } } } } },
  });
  const fixture: BenchFixture = { competenceIds: version.blocs[0].competences.map((c) => c.id), rooms: [] };
  const startsAt = new Date();
  const endsAt = new Date(startsAt.getTime() + 4 * 60 * 60 * 1000);
  for (let room = 0; room < roomCount; room++) {
    const session = await prisma.session.create({
      data: {
        organisationId: organisation.id,
        kind: "COMMISSION",
        title: `Commission de charge ${room + 1}`,
        startsAt,
        endsAt,
        status: "OPEN",
        referentialVersionId: version.id,
      },
    });
    const slot = await prisma.sessionSlot.create({
      // The president's `phase` command would do the same (app/live/commission/change-phase.server.ts).
      data: {
        sessionId: session.id,
        candidateId: candidate.id,
        startsAt,
        endsAt,
        position: 1,
        phase: "PRESENTATION",
        phaseStartedAt: startsAt,
      },
    });
    const seated = users.slice(room * perRoom, (room + 1) * perRoom);
    await prisma.sessionMember.createMany({
      data: seated.map((user, seat) => ({
        sessionId: session.id,
        userId: user.id,
        role: seat === 0 ? ("PRESIDENT" as const) : ("MEMBER" as const),
      })),
    });
    // A scoring member writes the grid only after declaring no conflict of interest with the candidate.
    await prisma.conflictDeclaration.createMany({
      data: seated.map((user) => ({ slotId: slot.id, userId: user.id, noConflict: true })),
    });
    fixture.rooms.push({
      documentName: gridDocumentName(session.id, slot.id),
      seats: seated.map((user) => ({ userId: user.id, token: tokens[users.indexOf(user)] })),
    });
  }
  writeFileSync(out, JSON.stringify(fixture));
}

main()
  .then(() => disconnectDatabase())
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error("[bench fixture]", error);
    await disconnectDatabase().catch(() => {});
    process.exit(1);
  });
