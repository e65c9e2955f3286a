/**
 * The demo catalogue (DOMAIN.md « Seed catalogue »): four certifications with their scheme rules and a published
 * référentiel each.
 * - CQP Assistant(e) de formation: one bloc of 6 competences, acquis / partiellement acquis / non acquis, partial
 *   validity 5 years, VAE path;
 * - CléA: 7 domains (sub-domains and criteria), criteria ratio 75 % with mandatory criteria, evaluator ≠ trainer,
 *   5-year window;
 * - a CQPM with two blocs, maîtrisé / non maîtrisé, comment required when not mastered, company opinion required;
 * - a food-sector CQP by blocs, percentages with a 70 % pass mark, partial validation for life.
 * Runs inside the demo's transaction (only `tx`).
 */
import { searchKeyOf } from "~/domain/search";
import { createVersionWithContent, type CreatedVersion } from "~/back-office/certifications/create-version-with-content.server";
import type { Prisma } from "~/platform/db/db.server";
import type { Modality } from "~/domain/certification";
import type { BlocContent, CompetenceContent, ReferentialContent } from "~/domain/referential-import";
import { LEVEL_PRESETS } from "~/domain/scales";
import { parseScheme, type SchemeInput } from "~/domain/scheme";

export type SeededCertification = { certificationId: string; version: CreatedVersion };
export type SeededCatalogue = {
  assistant: SeededCertification;
  clea: SeededCertification;
  cqpm: SeededCertification;
  food: SeededCertification;
};

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

type CompetenceSeed = {
  code: string;
  statement: string;
  conditions?: string;
  modalities: Modality[];
  /** Criterion statements; a leading « ! » marks a mandatory criterion, « # » a measurable one. */
  criteria: string[];
  expected?: string;
};

function competence(seed: CompetenceSeed): CompetenceContent {
  return {
    code: seed.code,
    statement: seed.statement,
    conditions: seed.conditions ?? null,
    modalities: seed.modalities,
    criteria: seed.criteria.map((raw) => {
      const mandatory = raw.startsWith("!");
      const measurable = raw.replace(/^!/, "").startsWith("#");
      return {
        statement: raw.replace(/^[!#]+/, "").trim(),
        mandatory,
        measurable,
        expected: measurable ? (seed.expected ?? null) : null,
      };
    }),
  };
}

const bloc = (code: string, title: string, competences: CompetenceSeed[]): BlocContent => ({
  code,
  title,
  competences: competences.map(competence),
});

/* ---------------------------------------------------------------- CQP Assistant(e) de formation */

export const ASSISTANT_SCHEME: SchemeInput = {
  scale: { kind: "levels", levels: LEVEL_PRESETS.acquiredPartial },
  aggregation: { bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true },
  commentRequired: "notPositive",
  partialValidityYears: 5,
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
  vaeMinExperienceMonths: 36, // « au moins trois ans » d'expérience
  jury: { minPerCollege: 1, minTotal: 2, proxiesAllowed: false, castingVote: "president" },
};

const ASSISTANT: ReferentialContent = {
  notes: "Référentiel en vigueur depuis l'enregistrement au RNCP.",
  blocs: [
    bloc("RNCP38544BC01", "Assistance à la gestion des formations", [
      {
        code: "C1",
        statement: "Accueillir et informer les publics de l'organisme de formation",
        conditions: "En présentiel et à distance, auprès de stagiaires, formateurs et clients",
        modalities: ["SITUATION_PROFESSIONNELLE", "GRILLE_TUTEUR"],
        criteria: [
          "L'information donnée est exacte et adaptée à l'interlocuteur",
          "Les demandes sont orientées vers le bon interlocuteur dans les délais",
        ],
      },
      {
        code: "C2",
        statement: "Organiser la logistique des actions de formation",
        conditions: "À partir d'un planning de formation et d'un cahier des charges client",
        modalities: ["MISE_EN_SITUATION", "GRILLE_TUTEUR"],
        criteria: [
          "Salles, matériels et supports sont disponibles à la date prévue",
          "Les convocations sont envoyées aux participants dans les délais",
        ],
      },
      {
        code: "C3",
        statement: "Assurer le suivi administratif des actions de formation",
        conditions: "Avec le logiciel de gestion de l'organisme",
        modalities: ["SITUATION_PROFESSIONNELLE", "ETUDE_DE_CAS"],
        criteria: [
          "Les feuilles d'émargement et attestations sont complètes et archivées",
          "Les absences sont signalées aux financeurs selon la procédure",
        ],
      },
    ]),
    // Two blocs, so that a jury can deliver the CQP partially (one bloc acquired, its validity five years).
    bloc("RNCP38544BC02", "Financement, qualité et promotion de l'offre de formation", [
      {
        code: "C4",
        statement: "Gérer les dossiers de financement de la formation",
        conditions: "Auprès des OPCO, de France Travail et des entreprises",
        modalities: ["ETUDE_DE_CAS", "PRESENTATION_PROJET"],
        criteria: [
          "Les demandes de prise en charge sont complètes et déposées à temps",
          "La facturation correspond aux heures réalisées",
        ],
      },
      {
        code: "C5",
        statement: "Contribuer à la démarche qualité de l'organisme",
        conditions: "Dans le cadre du référentiel national qualité (Qualiopi)",
        modalities: ["PRESENTATION_PROJET"],
        criteria: [
          "Les questionnaires de satisfaction sont diffusés et exploités",
          "Les non-conformités constatées sont tracées et remontées",
        ],
      },
      {
        code: "C6",
        statement: "Participer à la promotion de l'offre de formation",
        conditions: "Sur le site, les réseaux et lors d'événements",
        modalities: ["PRESENTATION_PROJET", "GRILLE_TUTEUR"],
        criteria: [
          "Le catalogue publié est à jour (dates, tarifs, prérequis)",
          "Les prospects reçoivent une réponse personnalisée sous 48 h",
        ],
      },
    ]),
  ],
};

/* ---------------------------------------------------------------- CléA */

export const CLEA_SCHEME: SchemeInput = {
  scale: { kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true },
  aggregation: { bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true },
  commentRequired: "notPositive",
  // The candidate has 5 years from the évaluation préalable to acquire the missing domains.
  partialValidityYears: 5,
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
  vaeMinExperienceMonths: null,
  jury: { minPerCollege: 1, minTotal: 2, proxiesAllowed: false, castingVote: "president" },
};

const CLEA_MODALITIES: Modality[] = ["MISE_EN_SITUATION", "QUESTIONNAIRE"];
const sub = (code: string, statement: string, criteria: string[]): CompetenceSeed => ({
  code,
  statement,
  modalities: CLEA_MODALITIES,
  criteria,
});

const CLEA: ReferentialContent = {
  notes: "Évaluation préalable puis évaluation finale des domaines non acquis ; 75 % des critères par sous-domaine.",
  blocs: [
    bloc("D1", "Communication en français", [
      sub("1.1", "Écouter et comprendre", ["!Comprend une consigne orale simple", "Repère les informations utiles d'un message", "Pose des questions pour vérifier sa compréhension", "Identifie l'interlocuteur approprié"]),
      sub("1.2", "S'exprimer à l'oral", ["!Transmet une information orale de façon compréhensible", "Adapte son discours à l'interlocuteur", "Utilise le vocabulaire professionnel adapté", "Argumente simplement un point de vue"]),
      sub("1.3", "Lire", ["!Identifie la nature et la fonction d'un document", "Repère les informations d'un document professionnel", "Suit un mode opératoire écrit", "Lit et comprend un tableau simple"]),
      sub("1.4", "Écrire", ["!Écrit un message lisible et compréhensible", "Renseigne un formulaire", "Respecte les règles de base de l'orthographe", "Prend des notes"]),
      sub("1.5", "Décrire, formuler", ["Décrit une situation professionnelle", "Rend compte d'une activité", "Reformule une information"]),
    ]),
    bloc("D2", "Utilisation des règles de base de calcul et du raisonnement mathématique", [
      sub("2.1", "Se repérer dans l'univers des nombres", ["!Compare et range des nombres entiers et décimaux", "Connaît la valeur des chiffres dans un nombre", "Utilise les fractions simples"]),
      sub("2.2", "Résoudre un problème mettant en jeu une ou plusieurs opérations", ["!Choisit les opérations adaptées au problème", "Effectue les quatre opérations", "Vérifie la vraisemblance du résultat", "Utilise une calculatrice"]),
      sub("2.3", "Lire et calculer les unités de mesure, de temps et des quantités", ["Lit une mesure sur un instrument", "Convertit des unités usuelles", "Calcule une durée", "Calcule un pourcentage simple"]),
      sub("2.4", "Se repérer dans l'espace", ["Lit un plan ou une carte", "Situe un objet dans l'espace", "Reproduit une figure géométrique simple"]),
      sub("2.5", "Restituer oralement un raisonnement mathématique", ["Explique la démarche suivie", "Justifie le résultat obtenu"]),
    ]),
    bloc("D3", "Utilisation des techniques usuelles de l'information et de la communication numérique", [
      sub("3.1", "Connaître son environnement et les fonctions de base pour utiliser un ordinateur", ["!Allume, ouvre une session et éteint un ordinateur", "Utilise le clavier et la souris", "Ouvre et ferme une application", "Enregistre un fichier dans un dossier"]),
      sub("3.2", "Saisir et mettre en forme du texte, gérer des documents", ["Saisit un texte court", "Met en forme un texte simple", "Imprime un document"]),
      sub("3.3", "Se repérer dans l'environnement internet et effectuer une recherche", ["Utilise un navigateur", "Effectue une recherche par mots clés", "Identifie une source fiable"]),
      sub("3.4", "Utiliser la fonction de messagerie", ["!Envoie un message à un destinataire", "Joint un fichier à un message", "Répond à un message reçu", "Respecte les règles de courtoisie"]),
    ]),
    bloc("D4", "Aptitude à travailler dans le cadre de règles définies d'un travail en équipe", [
      sub("4.1", "Respecter les règles de vie collective", ["!Respecte les horaires et le règlement intérieur", "Applique les consignes de l'équipe", "Respecte les autres membres de l'équipe"]),
      sub("4.2", "Travailler en équipe", ["Identifie son rôle dans l'équipe", "Coopère avec les autres membres", "Partage les informations utiles"]),
      sub("4.3", "Contribuer dans un groupe", ["Participe aux échanges", "Propose des idées", "Accepte les décisions du groupe"]),
      sub("4.4", "Communiquer", ["Transmet les informations à la bonne personne", "Signale une difficulté"]),
    ]),
    bloc("D5", "Aptitude à travailler en autonomie et à réaliser un objectif individuel", [
      sub("5.1", "Comprendre son environnement de travail", ["!Identifie les règles et les interlocuteurs de son poste", "Situe son activité dans celle de l'entreprise", "Repère les ressources disponibles"]),
      sub("5.2", "Réaliser des objectifs individuels dans le cadre d'une action simple ou d'un projet", ["Organise son travail", "Respecte les délais", "Rend compte de son activité", "Évalue le résultat obtenu"]),
      sub("5.3", "Prendre des initiatives et être force de proposition", ["Propose une amélioration", "Prend une décision adaptée dans son champ d'action"]),
    ]),
    bloc("D6", "Capacité d'apprendre à apprendre tout au long de la vie", [
      sub("6.1", "Accumuler de l'expérience et en tirer les leçons", ["Identifie ses réussites et ses erreurs", "Réutilise une expérience dans une situation nouvelle"]),
      sub("6.2", "Entretenir sa curiosité et sa motivation pour apprendre", ["Recherche des informations pour progresser", "Exprime un projet d'apprentissage"]),
      sub("6.3", "Optimiser les conditions d'apprentissage", ["Identifie ses besoins de formation", "Utilise des outils pour apprendre", "Planifie ses apprentissages"]),
    ]),
    bloc("D7", "Maîtrise des gestes et postures, respect des règles d'hygiène, de sécurité et environnementales élémentaires", [
      sub("7.1", "Respecter un règlement sécurité, hygiène, environnement", ["!Applique les consignes de sécurité du poste", "Porte les équipements de protection adaptés", "Respecte les règles d'hygiène"]),
      sub("7.2", "Avoir les bons gestes et réflexes afin d'éviter les risques", ["Adopte les bonnes postures", "Repère une situation dangereuse", "Alerte en cas de danger"]),
      sub("7.3", "Être capable d'appliquer les gestes de premier secours", ["!Protège, alerte et secourt selon la procédure", "Connaît les numéros d'urgence"]),
      sub("7.4", "Contribuer à la préservation de l'environnement et aux économies d'énergie", ["Trie les déchets", "Limite les consommations d'énergie et de matières"]),
    ]),
  ],
};

/* ---------------------------------------------------------------- CQPM */

export const CQPM_SCHEME: SchemeInput = {
  scale: { kind: "levels", levels: LEVEL_PRESETS.binary },
  aggregation: { bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true },
  // UIMM: a competence not mastered in full autonomy needs a comment tied to the criteria.
  commentRequired: "notPositive",
  partialValidityYears: 5,
  companyOpinionRequired: true,
  evaluatorMustNotBeTrainer: false,
  vaeMinExperienceMonths: null,
  // Metallurgy: employer-side chair with casting vote.
  jury: { minPerCollege: 2, minTotal: 4, proxiesAllowed: true, castingVote: "president" },
};

const CQPM: ReferentialContent = {
  notes: "Évaluation en entreprise par situation professionnelle réelle, présentation orale devant la commission.",
  blocs: [
    bloc("BC01", "Préparation et réglage d'une machine-outil à commande numérique", [
      {
        code: "C1",
        statement: "Préparer les outillages et les moyens de contrôle à partir du dossier de fabrication",
        conditions: "À partir d'un dossier de fabrication et d'une gamme d'usinage",
        modalities: ["SITUATION_PROFESSIONNELLE", "PRESENTATION_PROJET"],
        criteria: ["Les outils choisis sont conformes à la gamme", "Les moyens de contrôle sont étalonnés et adaptés"],
      },
      {
        code: "C2",
        statement: "Régler la machine et valider la première pièce",
        conditions: "Sur une machine-outil à commande numérique de l'atelier",
        modalities: ["SITUATION_PROFESSIONNELLE"],
        criteria: ["#Les origines et correcteurs sont renseignés sans erreur", "La première pièce est conforme au plan", "Les règles de sécurité machine sont respectées"],
        expected: "Cotes dans les tolérances du plan",
      },
    ]),
    bloc("BC02", "Production et contrôle en série", [
      {
        code: "C3",
        statement: "Conduire la production en série en respectant la qualité et les délais",
        conditions: "Pendant un poste de production réel",
        modalities: ["SITUATION_PROFESSIONNELLE", "GRILLE_TUTEUR"],
        criteria: ["#Le taux de pièces conformes atteint l'objectif", "Les dérives sont détectées et corrigées"],
        expected: "Au moins 98 % de pièces conformes",
      },
      {
        code: "C4",
        statement: "Renseigner les documents de suivi et transmettre les informations",
        conditions: "Avec les documents qualité de l'entreprise",
        modalities: ["SITUATION_PROFESSIONNELLE", "PRESENTATION_PROJET"],
        criteria: ["Les documents de suivi sont complets et exacts", "Les anomalies sont transmises au bon interlocuteur"],
      },
      {
        code: "C5",
        statement: "Réaliser la maintenance de premier niveau du poste",
        conditions: "Selon le plan de maintenance de l'entreprise",
        modalities: ["SITUATION_PROFESSIONNELLE", "QUESTIONNAIRE"],
        criteria: ["Les opérations de maintenance prévues sont réalisées", "Le poste est laissé propre et rangé"],
      },
    ]),
  ],
};

/* ---------------------------------------------------------------- food-sector CQP */

export const FOOD_SCHEME: SchemeInput = {
  scale: { kind: "percentage", passMark: 70, weights: {} },
  aggregation: { bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true },
  commentRequired: "notPositive",
  partialValidityYears: null, // food sector: acquired blocs are kept for life
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
  vaeMinExperienceMonths: 36,
  // The jury proposes, the branch's CPNEFP decides (DOMAIN.md, lifecycle step 8): records wait for its validation.
  jury: { minPerCollege: 1, minTotal: 2, proxiesAllowed: true, castingVote: "none", cpneValidation: true },
};

const FOOD_MODALITIES: Modality[] = ["GRILLE_TUTEUR", "QUESTIONNAIRE", "SITUATION_PROFESSIONNELLE"];

const FOOD: ReferentialContent = {
  notes: "Évaluation finale : grille tuteur, questionnaire et évaluateur professionnel ; 70 % par compétence.",
  blocs: [
    bloc("RNCP37421BC01", "Conduite d'une ligne de production alimentaire", [
      {
        code: "C1",
        statement: "Préparer la ligne de production et vérifier les matières premières",
        conditions: "À partir de l'ordre de fabrication",
        modalities: FOOD_MODALITIES,
        criteria: ["!Les vérifications de démarrage sont réalisées", "Les matières premières sont conformes à l'ordre de fabrication"],
      },
      {
        code: "C2",
        statement: "Conduire la ligne et ajuster les réglages",
        conditions: "En production réelle, sur au moins un poste complet",
        modalities: FOOD_MODALITIES,
        criteria: ["#Les paramètres restent dans les plages définies", "Les arrêts sont traités selon la procédure"],
        expected: "Rendement de ligne conforme à l'objectif de l'équipe",
      },
    ]),
    bloc("RNCP37421BC02", "Hygiène, qualité et sécurité alimentaire", [
      {
        code: "C3",
        statement: "Appliquer les règles d'hygiène et les bonnes pratiques de fabrication",
        conditions: "Selon le plan HACCP de l'entreprise",
        modalities: FOOD_MODALITIES,
        criteria: ["!Les règles d'hygiène sont appliquées en continu", "Les points critiques sont surveillés et enregistrés"],
      },
      {
        code: "C4",
        statement: "Réaliser les contrôles qualité et assurer la traçabilité",
        conditions: "Avec les fiches de contrôle et le système de traçabilité",
        modalities: FOOD_MODALITIES,
        criteria: ["#Les contrôles sont réalisés à la fréquence prévue", "Les non-conformités sont isolées et signalées"],
        expected: "100 % des contrôles prévus enregistrés",
      },
    ]),
    bloc("RNCP37421BC03", "Maintenance de premier niveau et amélioration continue", [
      {
        code: "C5",
        statement: "Assurer la maintenance de premier niveau et le nettoyage de la ligne",
        conditions: "Selon le plan de nettoyage et de maintenance",
        modalities: FOOD_MODALITIES,
        criteria: ["Le nettoyage est conforme au plan", "Les anomalies sont signalées à la maintenance"],
      },
      {
        code: "C6",
        statement: "Proposer des améliorations de son poste de travail",
        conditions: "Dans le cadre des réunions d'équipe",
        modalities: ["PRESENTATION_PROJET", "GRILLE_TUTEUR"],
        criteria: ["Une proposition argumentée est présentée", "Les effets de l'amélioration sont mesurés"],
      },
    ]),
  ],
};

async function seedOne(
  tx: Prisma.TransactionClient,
  organisationId: string,
  data: Omit<Prisma.CertificationUncheckedCreateInput, "organisationId" | "scheme"> & { scheme: SchemeInput },
  content: ReferentialContent,
  publishedAt: Date,
): Promise<SeededCertification> {
  // Stored parsed, with every default spelled out: what the back office shows is what is stored.
  const certification = await tx.certification.create({
    data: {
      ...data,
      organisationId,
      scheme: parseScheme(data.scheme) as Prisma.InputJsonValue,
      searchKey: searchKeyOf(data.code, data.title),
    },
  });
  const version = await createVersionWithContent(tx, { certificationId: certification.id, version: 1, content, publishedAt });
  return { certificationId: certification.id, version };
}

/** Creates the four demo certifications of `organisationId`, each with a published version 1. */
export async function seedCatalogue(tx: Prisma.TransactionClient, organisationId: string): Promise<SeededCatalogue> {
  const cpnef = "Commission paritaire nationale de l'emploi et de la formation (démonstration)";
  const assistant = await seedOne(
    tx,
    organisationId,
    {
      kind: "CQP",
      code: "RNCP38544",
      title: "CQP Assistant(e) de formation",
      nationalLevel: 4,
      eqfLevel: 4,
      nsfCodes: ["333t"],
      decisionDate: date("2024-01-25"),
      certifierName: cpnef,
      certifierSignatory: "Pierre Président, président de la CPNEF",
      scheme: ASSISTANT_SCHEME,
    },
    ASSISTANT,
    date("2024-02-01"),
  );
  const clea = await seedOne(
    tx,
    organisationId,
    {
      kind: "CLEA",
      code: "RS5080",
      title: "CléA — Certificat de connaissances et de compétences professionnelles",
      nationalLevel: null,
      eqfLevel: null,
      nsfCodes: ["415"],
      decisionDate: date("2020-12-17"),
      certifierName: "Certif Pro — association nationale pour la certification paritaire interprofessionnelle (démonstration)",
      certifierSignatory: "La présidence de Certif Pro",
      scheme: CLEA_SCHEME,
    },
    CLEA,
    date("2021-01-04"),
  );
  const cqpm = await seedOne(
    tx,
    organisationId,
    {
      kind: "CQPM",
      code: "MQ 2017 10 69 0312",
      title: "CQPM Opérateur(trice) régleur(se) sur machines-outils à commande numérique",
      nationalLevel: 3,
      eqfLevel: 3,
      nsfCodes: ["251s"],
      decisionDate: date("2017-10-12"),
      certifierName: "UIMM — Union des industries et métiers de la métallurgie (démonstration)",
      certifierSignatory: "Le président de la CPNEFP de la métallurgie",
      scheme: CQPM_SCHEME,
    },
    CQPM,
    date("2018-01-08"),
  );
  const food = await seedOne(
    tx,
    organisationId,
    {
      kind: "CQP",
      code: "RNCP37421",
      title: "CQP Conducteur(trice) de ligne de production alimentaire",
      nationalLevel: 3,
      eqfLevel: 3,
      nsfCodes: ["221"],
      decisionDate: date("2023-03-30"),
      certifierName: "CPNEFP des industries alimentaires (démonstration)",
      certifierSignatory: "La présidente de la CPNEFP des industries alimentaires",
      scheme: FOOD_SCHEME,
    },
    FOOD,
    date("2023-05-02"),
  );
  return { assistant, clea, cqpm, food };
}

/** The catalogue's référentiels, for tests that check the seed against the import rules. */
export const CATALOGUE_CONTENT = { assistant: ASSISTANT, clea: CLEA, cqpm: CQPM, food: FOOD } as const;
