/**
 * A second, small organisation of the demo: the CPNE of the cleaning branch (propreté), whose secretariat is run by the
 * same person as the CPNEF's — Samia Secrétariat works for both branches, so the demo shows the header's « Organisation
 * active » (docs/decisions/0024-active-organisation.md) right after `npm start`. Its own legal name and signatory, one
 * certification of its own with a published référentiel, two candidates with a dossier each, two members and one
 * planned commission. Nothing is sent and nothing is audited: it is where the secretariat prepares a session.
 * Runs inside the demo's transaction (only `tx`), after the CPNEF, so the CPNEF stays Samia's first organisation.
 */
import { searchKeyOf } from "~/domain/search";
import { createVersionWithContent } from "~/back-office/certifications/create-version-with-content.server";
import type { Prisma } from "~/platform/db/db.server";
import type { ReferentialContent } from "~/domain/referential-import";
import { LEVEL_PRESETS } from "~/domain/scales";
import { parseScheme, type SchemeInput } from "~/domain/scheme";

export const SECOND_ORGANISATION = {
  slug: "cpne-proprete-demo",
  name: "CPNE de la propreté",
  legalName: "Commission paritaire nationale de l'emploi de la propreté et des services associés (démonstration)",
  signatory: "Nadia Ferrand, présidente de la CPNE de la propreté",
} as const;

/** The demo account that belongs to both organisations (secretariat of each). */
export const TWO_ORGANISATIONS_ACCOUNT = "secretariat@quorum.test";

export const SECOND_ORGANISATION_SESSION = "Commission d'évaluation — CQP Agent(e) machiniste classique";

export const SECOND_ORGANISATION_SCHEME: SchemeInput = {
  scale: { kind: "levels", levels: LEVEL_PRESETS.acquiredInProgress },
  aggregation: { bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true },
  commentRequired: "notPositive",
  partialValidityYears: 5,
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
  vaeMinExperienceMonths: 12,
  jury: { minPerCollege: 1, minTotal: 2, proxiesAllowed: true, castingVote: "president" },
};

const MODALITIES = ["SITUATION_PROFESSIONNELLE", "QUESTIONNAIRE"] as const;

export const SECOND_ORGANISATION_REFERENTIAL: ReferentialContent = {
  notes: "Évaluation sur un chantier réel, en présence du tuteur, puis entretien avec la commission.",
  blocs: [
    {
      code: "RNCP36291BC01",
      title: "Nettoyage mécanisé des sols",
      competences: [
        {
          code: "C1",
          statement: "Préparer le chantier et la machine selon le cahier des charges du client",
          conditions: "À partir de la fiche d'intervention et du plan de prévention",
          modalities: [...MODALITIES],
          criteria: [
            { statement: "Le balisage du chantier est mis en place avant toute intervention", mandatory: true, measurable: false, expected: null },
            { statement: "La machine et les produits sont adaptés au revêtement", mandatory: false, measurable: false, expected: null },
          ],
        },
        {
          code: "C2",
          statement: "Conduire une autolaveuse et une monobrosse en sécurité",
          conditions: "Sur un chantier en site occupé",
          modalities: [...MODALITIES],
          criteria: [
            { statement: "Les règles de sécurité des personnes et des biens sont respectées", mandatory: true, measurable: false, expected: null },
            { statement: "La surface traitée est conforme au résultat attendu", mandatory: false, measurable: true, expected: "Aucune trace ni zone oubliée au contrôle" },
          ],
        },
        {
          code: "C3",
          statement: "Assurer l'entretien courant du matériel et rendre compte de l'intervention",
          conditions: "En fin de chantier, avec le bon d'intervention",
          modalities: [...MODALITIES],
          criteria: [
            { statement: "Le matériel est nettoyé, rangé et les anomalies signalées", mandatory: false, measurable: false, expected: null },
            { statement: "Le compte rendu est transmis au chef d'équipe", mandatory: false, measurable: false, expected: null },
          ],
        },
      ],
    },
  ],
};

const CANDIDATES = [
  {
    birthName: "KERVELLA", givenNames: "Gwenaëlle", sex: "F", birthDate: "1993-07-18", birthPlace: "Brest (29)",
    email: "gwenaelle.kervella@example.fr", postalAddress: "9 rue de Siam\n29200 Brest", employer: "Armor Propreté Services",
  },
  {
    birthName: "OUEDRAOGO", givenNames: "Issa", sex: "M", birthDate: "1990-02-09", birthCountry: "Burkina Faso",
    email: "issa.ouedraogo@example.fr", postalAddress: "14 rue Paul-Bert\n69003 Lyon", employer: "Clair Habitat Rhône",
  },
];

/** `dayOffset` days after `today` (midnight UTC) at `hour` UTC, moved to the Monday when it falls on a weekend. */
function weekdayAt(today: Date, dayOffset: number, hour: number, minute = 0): Date {
  const d = new Date(today.getTime() + dayOffset * 86_400_000);
  const weekday = d.getUTCDay();
  if (weekday === 6 || weekday === 0) d.setUTCDate(d.getUTCDate() + (weekday === 6 ? 2 : 1));
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

export async function seedSecondOrganisation(
  tx: Prisma.TransactionClient,
  input: { secretariatUserId: string; passwordHash: string; today: Date },
): Promise<string> {
  const { today } = input;
  const org = await tx.organisation.create({ data: { ...SECOND_ORGANISATION } });
  // Samia joined the second CPNE after the CPNEF: her first organisation (the one active by default) stays the CPNEF.
  const first = await tx.membership.findFirstOrThrow({ where: { userId: input.secretariatUserId }, orderBy: { createdAt: "asc" } });
  await tx.membership.create({
    data: { userId: input.secretariatUserId, organisationId: org.id, role: "SECRETARIAT", createdAt: new Date(first.createdAt.getTime() + 60_000) },
  });

  const certification = await tx.certification.create({
    data: {
      organisationId: org.id,
      kind: "CQP",
      code: "RNCP36291",
      title: "CQP Agent(e) machiniste classique",
      nationalLevel: 3,
      eqfLevel: 3,
      nsfCodes: ["343t"],
      decisionDate: new Date("2022-03-24T00:00:00Z"),
      certifierName: SECOND_ORGANISATION.legalName,
      certifierSignatory: SECOND_ORGANISATION.signatory,
      scheme: parseScheme(SECOND_ORGANISATION_SCHEME) as Prisma.InputJsonValue,
      searchKey: searchKeyOf("RNCP36291", "CQP Agent(e) machiniste classique"),
    },
  });
  const version = await createVersionWithContent(tx, {
    certificationId: certification.id,
    version: 1,
    content: SECOND_ORGANISATION_REFERENTIAL,
    publishedAt: new Date("2022-04-04T00:00:00Z"),
  });

  // Its commission: the branch's president and a professional of the sector, habilitated for the CQP.
  const members: string[] = [];
  for (const [email, displayName] of [
    ["presidente.proprete@quorum.test", "Nadia Ferrand"],
    ["evaluateur.proprete@quorum.test", "Yann Le Goff"],
  ] as const) {
    const user = await tx.user.create({
      data: {
        email,
        displayName,
        passwordHash: input.passwordHash,
        searchKey: searchKeyOf(displayName, email),
        memberships: { create: { organisationId: org.id, role: "MEMBER" } },
      },
    });
    await tx.habilitation.create({
      data: {
        userId: user.id,
        certificationId: certification.id,
        validFrom: new Date(today.getTime() - 120 * 86_400_000),
        validUntil: new Date(today.getTime() + 245 * 86_400_000),
      },
    });
    members.push(user.id);
  }

  const candidateIds: string[] = [];
  for (const { birthDate, ...c } of CANDIDATES) {
    const candidate = await tx.candidate.create({
      data: {
        ...c,
        organisationId: org.id,
        birthDate: new Date(`${birthDate}T00:00:00Z`),
        searchKey: searchKeyOf(c.birthName, null, c.givenNames),
      },
    });
    await tx.dossier.create({
      data: {
        organisationId: org.id,
        candidateId: candidate.id,
        certificationId: certification.id,
        referentialVersionId: version.id,
        route: "FORMATION",
        status: "IN_EVALUATION",
      },
    });
    candidateIds.push(candidate.id);
  }

  await tx.session.create({
    data: {
      organisationId: org.id,
      kind: "COMMISSION",
      title: SECOND_ORGANISATION_SESSION,
      searchKey: searchKeyOf(SECOND_ORGANISATION_SESSION, null),
      startsAt: weekdayAt(today, 10, 7),
      endsAt: weekdayAt(today, 10, 11),
      remote: true,
      remoteMeans: "Quorum (visioconférence et grille partagée)",
      referentialVersionId: version.id,
      members: {
        create: [
          { userId: members[0]!, role: "PRESIDENT" },
          { userId: members[1]!, role: "MEMBER" },
        ],
      },
      slots: {
        create: candidateIds.map((candidateId, i) => ({
          candidateId,
          position: i + 1,
          startsAt: weekdayAt(today, 10, 7 + i * 2),
          endsAt: weekdayAt(today, 10, 8 + i * 2, 30),
        })),
      },
    },
  });
  return org.id;
}
