/**
 * The demo organisation: accounts of every role, the certification catalogue (prisma/seed/catalogue.ts),
 * candidates, and one commission and one jury session; then a second, small organisation whose secretariat is the
 * same person (prisma/seed/second-organisation.ts). Created only when the database has no organisation,
 * in one transaction, so a second start never duplicates or overwrites anything.
 */
import { hashPassword } from "~/platform/auth/password.server";
import type { PrismaClient } from "~/platform/db/db.server";
import { seedCatalogue } from "./catalogue";
import { seedCandidates } from "./candidates";
import { seedDemoJury } from "./jury";
import { seedPastJury } from "./past-jury";
import { seedDesk } from "./desk";
import { seedOutbox } from "./outbox";
import { seedSecondOrganisation } from "./second-organisation";

export const DEMO_PASSWORD = "quorum-demo";

export const DEMO_ACCOUNTS = [
  { email: "admin@quorum.test", displayName: "Alice Administratrice", role: "ADMIN" },
  { email: "secretariat@quorum.test", displayName: "Samia Secrétariat", role: "SECRETARIAT" },
  { email: "president@quorum.test", displayName: "Pierre Président", role: "MEMBER" },
  { email: "membre1@quorum.test", displayName: "Marie Membre", role: "MEMBER" },
  { email: "membre2@quorum.test", displayName: "Mehdi Membre", role: "MEMBER" },
  // Sits on the jury only (employers' college), so that both colleges have two voting members.
  { email: "membre3@quorum.test", displayName: "Jeanne Jurée", role: "MEMBER" },
  { email: "observateur@quorum.test", displayName: "Odile Observatrice", role: "OBSERVER" },
  { email: "evaluateur-expire@quorum.test", displayName: "Eric Expiré", role: "MEMBER" },
] as const;

const CANDIDATES = [
  { birthName: "DURAND", givenNames: "Léa Marie", sex: "F", birthDate: "1994-03-12", birthPlace: "Lyon (69)", employer: "Formapro Rhône", postalAddress: "12 rue Sainte-Catherine\n69001 Lyon" },
  { birthName: "NGUYEN", givenNames: "Thomas", sex: "M", birthDate: "1989-11-02", birthPlace: "Nantes (44)", employer: "Atelier Compétences", postalAddress: "Appartement 24\n5 boulevard Guist'hau\n44000 Nantes" },
  { birthName: "BENALI", usageName: "MARTIN", givenNames: "Yasmine Nora", sex: "F", birthDate: "1991-06-25", birthPlace: "Lille (59)", employer: "Cap Avenir Formation", postalAddress: "38 rue Nationale\nBP 1042\n59000 Lille" },
];

/** `dayOffset` days from today at `hour`:`minute` UTC, moved to the Monday when it falls on a weekend (no jury sits then). */
function atUtc(dayOffset: number, hour: number, minute = 0): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + dayOffset);
  const weekday = d.getUTCDay();
  if (weekday === 6 || weekday === 0) d.setUTCDate(d.getUTCDate() + (weekday === 6 ? 2 : 1));
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

/** Seeds the demo when the database holds no organisation. Returns true when it created the demo. */
export async function seedDemoIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.organisation.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  try {
    await prisma.$transaction(async (tx) => {
      const org = await tx.organisation.create({
        data: {
          slug: "cpnef-demo",
          name: "CPNEF de démonstration",
          legalName: "Commission paritaire nationale de l'emploi et de la formation (démonstration)",
          signatory: "Pierre Président, président de la CPNEF",
        },
      });
      const users: Record<string, string> = {};
      for (const account of DEMO_ACCOUNTS) {
        const user = await tx.user.create({
          data: {
            email: account.email,
            displayName: account.displayName,
            passwordHash,
            memberships: { create: { organisationId: org.id, role: account.role } },
          },
        });
        users[account.email] = user.id;
      }
      // The certification catalogue (CQP Assistant(e) de formation, CléA, a CQPM, a food-sector CQP).
      const catalogue = await seedCatalogue(tx, org.id);
      const version = catalogue.assistant.version;
      const candidateIds: string[] = [];
      for (const c of CANDIDATES) {
        const candidate = await tx.candidate.create({
          data: { ...c, organisationId: org.id, birthDate: new Date(`${c.birthDate}T00:00:00Z`) },
        });
        candidateIds.push(candidate.id);
      }
      await tx.session.create({
        data: {
          organisationId: org.id,
          kind: "COMMISSION",
          title: "Commission d'évaluation — CQP Assistant(e) de formation",
          startsAt: atUtc(1, 8),
          endsAt: atUtc(1, 14),
          remote: true,
          remoteMeans: "Quorum (visioconférence et grille partagée)",
          referentialVersionId: version.id,
          members: {
            create: [
              { userId: users["president@quorum.test"], role: "PRESIDENT" },
              { userId: users["membre1@quorum.test"], role: "MEMBER" },
              { userId: users["membre2@quorum.test"], role: "MEMBER" },
              { userId: users["observateur@quorum.test"], role: "OBSERVER" },
            ],
          },
          slots: {
            create: candidateIds.slice(0, 3).map((candidateId, i) => ({
              candidateId,
              position: i + 1,
              startsAt: atUtc(1, 8 + i * 2),
              endsAt: atUtc(1, 9 + i * 2, 30),
            })),
          },
        },
      });
      // The juries' bench: two voting members of each college (the president employer-side), the secretariat.
      const bench = [
        { userId: users["president@quorum.test"], role: "PRESIDENT", college: "EMPLOYER" },
        { userId: users["membre1@quorum.test"], role: "VICE_PRESIDENT", college: "EMPLOYEE" },
        { userId: users["membre2@quorum.test"], role: "MEMBER", college: "EMPLOYEE" },
        { userId: users["membre3@quorum.test"], role: "MEMBER", college: "EMPLOYER" },
        { userId: users["secretariat@quorum.test"], role: "SECRETARY" },
      ] as const;
      const jury = await tx.session.create({
        data: {
          organisationId: org.id,
          kind: "JURY",
          title: "Jury paritaire — CQP Assistant(e) de formation",
          startsAt: atUtc(21, 13),
          endsAt: atUtc(21, 16),
          remote: true,
          remoteMeans: "Quorum (visioconférence)",
          referentialVersionId: version.id,
          members: {
            create: [
              ...bench,
              { userId: users["observateur@quorum.test"], role: "OBSERVER" },
            ],
          },
        },
      });
      // About twenty candidates with dossiers in varied states across the catalogue (prisma/seed/candidates.ts).
      await seedCandidates(tx, { organisationId: org.id, certifications: Object.values(catalogue) });
      // A past jury, deliberated, its procès-verbal signed; the PDF is sealed by the render runner at start.
      const juryCandidates = await tx.candidate.findMany({
        where: { organisationId: org.id, id: { notIn: candidateIds.slice(0, 3) } },
        orderBy: { birthName: "asc" },
        take: 3,
      });
      // On the CQPM (two blocs), so that its partial delivery is one bloc of two (app/delivery: attestation de blocs).
      const pastJuryId = await seedPastJury(tx, {
        organisationId: org.id,
        certificationId: catalogue.cqpm.certificationId,
        versionId: catalogue.cqpm.version.id,
        candidateIds: [juryCandidates[0]!.id, juryCandidates[1]!.id, juryCandidates[2]!.id],
        users: {
          president: users["president@quorum.test"]!,
          vice: users["membre1@quorum.test"]!,
          member: users["membre2@quorum.test"]!,
          secretary: users["secretariat@quorum.test"]!,
        },
        daysAgo: 30,
        signed: true,
      });
      // An appeal (recours) against the past jury's non-delivery, received last week and awaiting a jury: it shows on
      // that dossier (« Recours ») and where the planned jury is prepared (« Recours en attente d'un jury »).
      const contested = await tx.juryDecision.findFirst({ where: { sessionId: pastJuryId, overall: "NONE" } });
      if (contested) {
        await tx.appeal.create({
          data: {
            organisationId: org.id,
            dossierId: contested.dossierId,
            decisionId: contested.id,
            receivedAt: new Date(Date.now() - 7 * 86_400_000),
            grounds: "La candidate conteste la non-délivrance : l'attestation de son tuteur n'a pas été examinée par le jury.",
            recordedById: users["secretariat@quorum.test"]!,
          },
        });
      }
      // A later jury of the CQPM, planned with no candidate yet: the secretariat puts appeals on its agenda.
      await tx.session.create({
        data: {
          organisationId: org.id,
          kind: "JURY",
          title: "Jury paritaire — examen des recours",
          startsAt: atUtc(28, 13),
          endsAt: atUtc(28, 15),
          remote: true,
          remoteMeans: "Quorum (visioconférence)",
          referentialVersionId: catalogue.cqpm.version.id,
          members: { create: [...bench] },
        },
      });
      // Habilitations (app/back-office/planning): the demo members (Jeanne Jurée too: a jury's members need one to be
      // convened) are habilitated for every demo certification for a year around today; Eric Expiré's habilitation
      // ended 35 days ago, so seating him is refused.
      const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
      const shift = (days: number) => new Date(today.getTime() + days * 86_400_000);
      for (const { certificationId } of Object.values(catalogue)) {
        for (const email of ["president@quorum.test", "membre1@quorum.test", "membre2@quorum.test", "membre3@quorum.test"]) {
          await tx.habilitation.create({
            data: { userId: users[email], certificationId, validFrom: shift(-180), validUntil: shift(185) },
          });
        }
      }
      await tx.habilitation.create({
        data: {
          userId: users["evaluateur-expire@quorum.test"],
          certificationId: catalogue.assistant.certificationId,
          validFrom: shift(-400),
          validUntil: shift(-35),
        },
      });
      // The jury's agenda: three complete dossiers with signed commission grids (prisma/seed/jury.ts).
      const anyUser = await tx.user.findUniqueOrThrow({ where: { id: users["membre1@quorum.test"] } });
      await seedDemoJury(tx, {
        organisationId: org.id,
        juryId: jury.id,
        versionId: version.id,
        certificationId: catalogue.assistant.certificationId,
        passwordHash: anyUser.passwordHash,
        today,
      });
      // The secretariat's desk: signed grids in the archive, holders to declare, to-dos (prisma/seed/desk.ts).
      await seedDesk(tx, { organisationId: org.id, users, catalogue });
      // Already sent: the demo jury's convocations, and an invitation not yet answered (prisma/seed/outbox.ts).
      await seedOutbox(tx, { organisationId: org.id, juryId: jury.id, users });
      // Sessions already held were convened three weeks before them: their attendance sheets (PDF, the session ZIP's
      // presence.csv) say « Convoqué(e) le … » for members who sat, never « Non convoqué(e) ».
      const held = await tx.session.findMany({ where: { organisationId: org.id, startsAt: { lt: new Date() } }, select: { id: true, startsAt: true } });
      for (const session of held) {
        await tx.sessionMember.updateMany({
          where: { sessionId: session.id, convokedAt: null },
          data: { convokedAt: new Date(session.startsAt.getTime() - 21 * 86_400_000) },
        });
      }
      // The demo's e-mails (to its made-up addresses) stay in the outbox, even when a relay is configured (SMTP_URL).
      await tx.outboxEmail.updateMany({ data: { nextAttemptAt: null } });
      // A second, small organisation (the cleaning branch's CPNE) whose secretariat is also Samia's: she chooses her
      // « Organisation active » in the header (prisma/seed/second-organisation.ts).
      await seedSecondOrganisation(tx, { secretariatUserId: users["secretariat@quorum.test"]!, passwordHash, today });
    }, { timeout: 60_000 });
  } catch (error) {
    // Another process seeded first (scale mode): its demo stands, ours is rolled back.
    if ((await prisma.organisation.count()) > 0) return false;
    throw error;
  }
  return true;
}
