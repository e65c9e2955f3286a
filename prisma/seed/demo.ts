/**
 * The demo organisation: accounts of every role, the CQP Assistant(e) de formation with its référentiel,
 * candidates, and one commission and one jury session. Created only when the database has no organisation,
 * in one transaction, so a second start never duplicates or overwrites anything.
 */
import { hashPassword } from "~/auth/password.server";
import type { PrismaClient } from "~/db/db.server";
import type { Scheme } from "~/domain/scheme";

export const DEMO_PASSWORD = "quorum-demo";

export const DEMO_ACCOUNTS = [
  { email: "admin@quorum.test", displayName: "Alice Administratrice", role: "ADMIN" },
  { email: "secretariat@quorum.test", displayName: "Samia Secrétariat", role: "SECRETARIAT" },
  { email: "president@quorum.test", displayName: "Pierre Président", role: "MEMBER" },
  { email: "membre1@quorum.test", displayName: "Marie Membre", role: "MEMBER" },
  { email: "membre2@quorum.test", displayName: "Mehdi Membre", role: "MEMBER" },
  { email: "observateur@quorum.test", displayName: "Odile Observatrice", role: "OBSERVER" },
] as const;

const ASSISTANT_SCHEME: Scheme = {
  scale: {
    kind: "levels",
    levels: [
      { value: "ACQUIS", label: "Acquis", positive: true },
      { value: "PARTIEL", label: "Partiellement acquis", positive: false },
      { value: "NON_ACQUIS", label: "Non acquis", positive: false },
    ],
  },
  commentRequired: "notPositive",
  partialValidityYears: 5,
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
};

const ASSISTANT_COMPETENCES: Array<{ code: string; statement: string; conditions: string; criteria: string[] }> = [
  {
    code: "C1",
    statement: "Accueillir et informer les publics de l'organisme de formation",
    conditions: "En présentiel et à distance, auprès de stagiaires, formateurs et clients",
    criteria: [
      "L'information donnée est exacte et adaptée à l'interlocuteur",
      "Les demandes sont orientées vers le bon interlocuteur dans les délais",
    ],
  },
  {
    code: "C2",
    statement: "Organiser la logistique des actions de formation",
    conditions: "À partir d'un planning de formation et d'un cahier des charges client",
    criteria: [
      "Salles, matériels et supports sont disponibles à la date prévue",
      "Les convocations sont envoyées aux participants dans les délais",
    ],
  },
  {
    code: "C3",
    statement: "Assurer le suivi administratif des actions de formation",
    conditions: "Avec le logiciel de gestion de l'organisme",
    criteria: [
      "Les feuilles d'émargement et attestations sont complètes et archivées",
      "Les absences sont signalées aux financeurs selon la procédure",
    ],
  },
  {
    code: "C4",
    statement: "Gérer les dossiers de financement de la formation",
    conditions: "Auprès des OPCO, de France Travail et des entreprises",
    criteria: [
      "Les demandes de prise en charge sont complètes et déposées à temps",
      "La facturation correspond aux heures réalisées",
    ],
  },
  {
    code: "C5",
    statement: "Contribuer à la démarche qualité de l'organisme",
    conditions: "Dans le cadre du référentiel national qualité (Qualiopi)",
    criteria: [
      "Les questionnaires de satisfaction sont diffusés et exploités",
      "Les non-conformités constatées sont tracées et remontées",
    ],
  },
  {
    code: "C6",
    statement: "Participer à la promotion de l'offre de formation",
    conditions: "Sur le site, les réseaux et lors d'événements",
    criteria: [
      "Le catalogue publié est à jour (dates, tarifs, prérequis)",
      "Les prospects reçoivent une réponse personnalisée sous 48 h",
    ],
  },
];

const CANDIDATES = [
  { birthName: "DURAND", givenNames: "Léa Marie", sex: "F", birthDate: "1994-03-12", birthPlace: "Lyon (69)", employer: "Formapro Rhône" },
  { birthName: "NGUYEN", givenNames: "Thomas", sex: "M", birthDate: "1989-11-02", birthPlace: "Nantes (44)", employer: "Atelier Compétences" },
  { birthName: "BENALI", usageName: "MARTIN", givenNames: "Yasmine Nora", sex: "F", birthDate: "1991-06-25", birthPlace: "Lille (59)", employer: "Cap Avenir Formation" },
];

function atUtc(dayOffset: number, hour: number, minute = 0): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + dayOffset);
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
      const certification = await tx.certification.create({
        data: {
          organisationId: org.id,
          kind: "CQP",
          code: "RNCP38544",
          title: "CQP Assistant(e) de formation",
          nationalLevel: 4,
          eqfLevel: 4,
          nsfCodes: ["333t"],
          decisionDate: new Date("2024-01-25T00:00:00Z"),
          scheme: ASSISTANT_SCHEME,
        },
      });
      const version = await tx.referentialVersion.create({
        data: { certificationId: certification.id, version: 1, publishedAt: new Date("2024-02-01T00:00:00Z") },
      });
      const bloc = await tx.bloc.create({
        data: { versionId: version.id, code: "RNCP38544BC01", title: "Assistance à la gestion des formations", position: 1 },
      });
      for (const [i, c] of ASSISTANT_COMPETENCES.entries()) {
        await tx.competence.create({
          data: {
            blocId: bloc.id,
            code: c.code,
            statement: c.statement,
            conditions: c.conditions,
            position: i + 1,
            criteria: { create: c.criteria.map((statement, j) => ({ statement, position: j + 1, measurable: false })) },
          },
        });
      }
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
          endsAt: atUtc(1, 12),
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
            create: candidateIds.slice(0, 2).map((candidateId, i) => ({
              candidateId,
              position: i + 1,
              startsAt: atUtc(1, 8 + i * 2),
              endsAt: atUtc(1, 9 + i * 2, 30),
            })),
          },
        },
      });
      await tx.session.create({
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
              { userId: users["president@quorum.test"], role: "PRESIDENT", college: "EMPLOYER" },
              { userId: users["membre1@quorum.test"], role: "VICE_PRESIDENT", college: "EMPLOYEE" },
              { userId: users["membre2@quorum.test"], role: "MEMBER", college: "EMPLOYEE" },
              { userId: users["secretariat@quorum.test"], role: "SECRETARY" },
            ],
          },
        },
      });
    }, { timeout: 60_000 });
  } catch (error) {
    // Another process seeded first (scale mode): its demo stands, ours is rolled back.
    if ((await prisma.organisation.count()) > 0) return false;
    throw error;
  }
  return true;
}
