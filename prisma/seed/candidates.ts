/**
 * Demo candidates and their dossiers, in varied states across the catalogue: complete dossiers ready for a jury,
 * a CQPM dossier still missing the company's opinion, a VAE request not yet admissible, one refused for lack of
 * experience, a draft whose identity is incomplete, a withdrawal… Runs inside the demo's transaction (only `tx`).
 *
 * Every dossier is judged by the same pure rules as the app (app/domain/completeness.ts): a dossier seeded as
 * COMPLETE that the rules find incomplete (a catalogue changed its scheme) falls back to IN_EVALUATION, so the demo
 * never shows a "complete" dossier with missing items.
 */
import { searchKeyOf } from "~/domain/search";
import { createHash } from "node:crypto";
import type { Prisma } from "~/platform/db/db.server";
import {
  completenessRulesFromScheme,
  computeChecklist,
  type CompletenessRules,
  type DossierRoute,
  type DossierStatus,
  type EvidenceKind,
  type VaeAdmissibility,
} from "~/domain/completeness";
import { IDENTITY_GAP_LABELS, identityGaps } from "~/domain/identity";

type Identity = {
  birthName: string;
  usageName?: string;
  givenNames: string;
  sex?: "F" | "M";
  birthDate?: string;
  birthPlace?: string;
  birthCountry?: string;
  email?: string;
  phone?: string;
  /** Where the notice letter is posted (app/domain/postal-address.ts): one line per envelope line. */
  postalAddress?: string;
  employer?: string;
  trainerName?: string;
  /** The trainer is a Quorum user of the organisation (a member who sits on none of this candidate's sessions). */
  quorumTrainer?: boolean;
};

/** Which certification of the catalogue a scenario wants; the first certification when none fits. */
type CertificationPick = "first" | "companyOpinion" | "vaeMinimum" | "clea" | "noCompanyOpinion";

type DossierSeed = {
  pick: CertificationPick;
  route: DossierRoute;
  status: DossierStatus;
  /** Positioning: every competence, all but the last two, or none. */
  positioning?: "all" | "partial";
  /** Target the référentiel's first bloc. */
  firstBloc?: boolean;
  opinion?: "favourable" | "unfavourable";
  vae?: { months: number; decision: VaeAdmissibility; note?: string };
  evidence?: EvidenceKind[];
};

type CandidateSeed = Identity & { dossier: DossierSeed };

/** The three candidates demo.ts creates for the commission session get a dossier on the first certification. */
const EXISTING_DOSSIERS: Record<string, DossierSeed> = {
  DURAND: { pick: "first", route: "FORMATION", status: "IN_EVALUATION", positioning: "all", evidence: ["IDENTITY", "TRAINING_CERTIFICATE"] },
  NGUYEN: { pick: "first", route: "FORMATION", status: "IN_EVALUATION", positioning: "all", evidence: ["IDENTITY"] },
  BENALI: { pick: "first", route: "FORMATION", status: "COMPLETE", positioning: "all", evidence: ["IDENTITY", "POSITIONING_REPORT"] },
};

const CANDIDATES: CandidateSeed[] = [
  {
    birthName: "MOREAU", givenNames: "Camille Anne", sex: "F", birthDate: "1990-09-14", birthPlace: "Rennes (35)",
    email: "camille.moreau@example.fr", postalAddress: "7 place des Lices\n35000 Rennes", phone: "06 12 34 56 78", employer: "Horizon Formation", trainerName: "Institut Bretagne Compétences",
    dossier: { pick: "first", route: "FORMATION", status: "COMPLETE", positioning: "all", evidence: ["IDENTITY", "TRAINING_CERTIFICATE"] },
  },
  {
    birthName: "LEFEBVRE", givenNames: "Julien Pierre", sex: "M", birthDate: "1985-01-30", birthPlace: "Amiens (80)",
    email: "julien.lefebvre@example.fr", employer: "Mécanique de Picardie", trainerName: "AFPI Picardie",
    dossier: { pick: "companyOpinion", route: "FORMATION", status: "IN_EVALUATION", positioning: "all", evidence: ["IDENTITY", "TUTOR_GRID"] },
  },
  {
    birthName: "GARCIA", givenNames: "Inès", sex: "F", birthDate: "1998-05-07", birthCountry: "Espagne",
    email: "ines.garcia@example.fr", employer: "Usinage Rhône-Alpes", trainerName: "Pôle Formation UIMM Lyon",
    dossier: { pick: "companyOpinion", route: "FORMATION", status: "COMPLETE", positioning: "all", opinion: "favourable", evidence: ["IDENTITY", "COMPANY_OPINION"] },
  },
  {
    birthName: "ROUX", givenNames: "Antoine Marcel Louis", sex: "M", birthDate: "1979-12-02", birthPlace: "Marseille (13)",
    email: "antoine.roux@example.fr", phone: "07 98 76 54 32", employer: "Sud Formation Conseil",
    dossier: { pick: "vaeMinimum", route: "VAE", status: "REGISTERED", vae: { months: 40, decision: "PENDING" }, evidence: ["IDENTITY", "VAE_ADMISSIBILITY_FILE"] },
  },
  {
    birthName: "FOURNIER", givenNames: "Sophie Hélène", sex: "F", birthDate: "1983-04-19", birthPlace: "Bordeaux (33)",
    email: "sophie.fournier@example.fr", employer: "Conserveries de Gironde",
    dossier: {
      pick: "vaeMinimum", route: "VAE", status: "IN_EVALUATION", vae: { months: 60, decision: "ADMISSIBLE", note: "Expérience de cheffe de ligne justifiée." },
      evidence: ["IDENTITY", "VAE_ADMISSIBILITY_FILE", "VAE_ACTIVITY_FILE"],
    },
  },
  {
    birthName: "DIALLO", givenNames: "Mamadou", sex: "M", birthDate: "1992-08-23", birthCountry: "Sénégal",
    email: "mamadou.diallo@example.fr", postalAddress: "Résidence du Parc, bât. B\n14 allée des Tilleuls\n37000 Tours", employer: "Biscuiterie du Val de Loire",
    dossier: {
      pick: "vaeMinimum", route: "VAE", status: "REGISTERED",
      vae: { months: 9, decision: "NOT_ADMISSIBLE", note: "Durée d'expérience insuffisante au regard du référentiel." },
      evidence: ["IDENTITY", "VAE_ADMISSIBILITY_FILE"],
    },
  },
  {
    birthName: "PETIT", givenNames: "Chloé", sex: "F", birthDate: "2001-02-11", birthPlace: "Tours (37)",
    employer: "Association Tremplin Touraine", trainerName: "GRETA Indre-et-Loire",
    dossier: { pick: "clea", route: "FORMATION", status: "POSITIONED", positioning: "all" },
  },
  {
    birthName: "MERCIER", givenNames: "Kevin", sex: "M", birthDate: "1996-07-03", birthPlace: "Metz (57)",
    employer: "Logistique Moselle", quorumTrainer: true,
    dossier: { pick: "clea", route: "FORMATION", status: "IN_TRAINING", positioning: "all", evidence: ["IDENTITY"] },
  },
  {
    birthName: "FAURE", givenNames: "Élodie Marie", sex: "F", birthDate: "1988-10-27", birthPlace: "Grenoble (38)",
    email: "elodie.faure@example.fr", postalAddress: "27 avenue Alsace-Lorraine\n38000 Grenoble", employer: "Alpes Formation Continue",
    dossier: { pick: "first", route: "BLOCS", status: "DRAFT" },
  },
  {
    birthName: "HADDAD", givenNames: "Karim", sex: "M", birthDate: "1987-03-15", birthCountry: "Algérie",
    // Lives across the border: the country is the address's last line.
    postalAddress: "Rue de la Gare 3\n7700 Mouscron\nBelgique", employer: "Laiterie des Flandres",
    dossier: { pick: "vaeMinimum", route: "BLOCS", status: "REGISTERED", firstBloc: true, evidence: ["IDENTITY"] },
  },
  {
    // Registered by phone: sex and birth place still to complete.
    birthName: "LAMBERT", givenNames: "Manon", birthDate: "1995-12-24", phone: "06 45 78 12 90",
    employer: "Cabinet Lambert & Associés",
    dossier: { pick: "first", route: "FORMATION", status: "DRAFT" },
  },
  {
    birthName: "BONNET", givenNames: "Lucas Henri", sex: "M", birthDate: "1994-11-08", birthPlace: "Toulouse (31)",
    employer: "Aéro Précision", trainerName: "AFPI Occitanie",
    dossier: { pick: "companyOpinion", route: "FORMATION", status: "WITHDRAWN", positioning: "partial" },
  },
  {
    birthName: "ROBIN", usageName: "CHEVALIER", givenNames: "Aurélie Jeanne", sex: "F", birthDate: "1986-06-21", birthPlace: "Dijon (21)",
    email: "aurelie.chevalier@example.fr", employer: "Bourgogne Formation Pro", trainerName: "CFA Interprofessionnel de Dijon",
    dossier: { pick: "first", route: "FORMATION", status: "COMPLETE", positioning: "all", evidence: ["IDENTITY", "POSITIONING_REPORT", "TRAINING_CERTIFICATE"] },
  },
  {
    birthName: "NICOLAS", givenNames: "Hugo", sex: "M", birthDate: "1999-01-05", birthPlace: "Nîmes (30)",
    employer: "Salaisons des Cévennes",
    dossier: { pick: "noCompanyOpinion", route: "FORMATION", status: "IN_EVALUATION", positioning: "all", evidence: ["TUTOR_GRID"] },
  },
  {
    birthName: "TRAORÉ", givenNames: "Awa", sex: "F", birthDate: "1997-04-30", birthPlace: "Saint-Denis (93)",
    email: "awa.traore@example.fr", employer: "Forges de l'Est",
    dossier: {
      pick: "companyOpinion", route: "FORMATION", status: "COMPLETE", positioning: "all", opinion: "unfavourable",
      evidence: ["IDENTITY", "COMPANY_OPINION"],
    },
  },
  {
    birthName: "GIRARD", givenNames: "Pauline", sex: "F", birthDate: "1975-09-09", birthPlace: "Lyon (69)",
    employer: "Entreprise d'insertion Rhône Services", trainerName: "Organisme CléA Lyon Sud",
    dossier: { pick: "clea", route: "FORMATION", status: "COMPLETE", positioning: "all", evidence: ["IDENTITY"] },
  },
  {
    birthName: "SCHMITT", givenNames: "Nicolas Jean", sex: "M", birthDate: "1982-02-17", birthPlace: "Strasbourg (67)",
    email: "nicolas.schmitt@example.fr", employer: "Alsace Compétences",
    dossier: {
      pick: "first", route: "VAE", status: "COMPLETE", vae: { months: 48, decision: "ADMISSIBLE", note: "Quatre ans d'assistanat en organisme de formation." },
      evidence: ["IDENTITY", "VAE_ADMISSIBILITY_FILE", "VAE_ACTIVITY_FILE"],
    },
  },
];

const EVIDENCE_FILE_STEMS: Record<EvidenceKind, string> = {
  IDENTITY: "piece-identite",
  POSITIONING_REPORT: "positionnement",
  TRAINING_CERTIFICATE: "attestation-formation",
  TUTOR_GRID: "grille-tuteur",
  VAE_ADMISSIBILITY_FILE: "livret-1",
  VAE_ACTIVITY_FILE: "livret-2",
  COMPANY_OPINION: "avis-entreprise",
  OTHER: "piece",
};

/** A small valid one-page PDF showing `lines` (ASCII), so a downloaded demo evidence opens in any reader. */
export function demoPdf(lines: string[]): Uint8Array<ArrayBuffer> {
  const text = lines
    .map((line, i) => {
      const ascii = line.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "?");
      return `BT /F1 12 Tf 72 ${760 - i * 18} Td (${ascii.replace(/[\\()]/g, "\\$&")}) Tj ET`;
    })
    .join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

const daysAgo = (days: number) => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - days);
  return d;
};

type CatalogueEntry = {
  id: string;
  kind: string;
  title: string;
  rules: CompletenessRules;
  version: { id: string; blocs: Array<{ id: string; code: string; competences: Array<{ id: string; code: string }> }> };
};

function pick(catalogue: CatalogueEntry[], wanted: CertificationPick): CatalogueEntry {
  const found =
    wanted === "companyOpinion"
      ? catalogue.find((c) => c.rules.companyOpinionRequired)
      : wanted === "noCompanyOpinion"
        ? [...catalogue].reverse().find((c) => !c.rules.companyOpinionRequired && c.kind !== "CLEA")
        : wanted === "vaeMinimum"
          ? [...catalogue].reverse().find((c) => c.rules.vaeMinimumExperienceMonths !== null)
          : wanted === "clea"
            ? catalogue.find((c) => c.kind === "CLEA")
            : undefined;
  return found ?? catalogue[0];
}

async function loadCatalogue(tx: Prisma.TransactionClient, certificationIds: string[]): Promise<CatalogueEntry[]> {
  const certifications = await tx.certification.findMany({
    where: { id: { in: certificationIds } },
    select: {
      id: true,
      kind: true,
      title: true,
      scheme: true,
      versions: {
        where: { publishedAt: { not: null } },
        orderBy: { version: "desc" },
        take: 1,
        select: {
          id: true,
          blocs: {
            orderBy: { position: "asc" },
            select: { id: true, code: true, competences: { orderBy: { position: "asc" }, select: { id: true, code: true } } },
          },
        },
      },
    },
  });
  // In the caller's order; only certifications with a published référentiel take dossiers.
  return certificationIds.flatMap((id) => {
    const certification = certifications.find((c) => c.id === id);
    const version = certification?.versions[0];
    if (!certification || !version) return [];
    return [
      {
        id: certification.id,
        kind: certification.kind,
        title: certification.title,
        rules: completenessRulesFromScheme(certification.scheme),
        version,
      },
    ];
  });
}

/** The rows of one seeded dossier (written in batches by seedCandidates). */
function dossierRows(
  organisationId: string,
  candidate: { id: string; birthName: string; givenNames: string } & Parameters<typeof identityGaps>[0],
  seed: DossierSeed,
  certification: CatalogueEntry,
) {
  const blocs = seed.firstBloc && certification.version.blocs[0] ? [certification.version.blocs[0]] : [];
  const scope = (blocs.length > 0 ? blocs : certification.version.blocs).flatMap((b) => b.competences);
  const positioned = seed.route !== "VAE" && seed.positioning ? (seed.positioning === "all" ? scope : scope.slice(0, -2)) : [];
  // Every third competence still to acquire: the training covers only those.
  const positioning = Object.fromEntries(positioned.map((c, i) => [c.id, i % 3 === 1 ? "TO_ACQUIRE" : "ACQUIRED"]));
  const opinion = seed.route !== "VAE" && seed.opinion ? seed.opinion : null;
  const evidenceKinds = seed.evidence ?? [];

  const checklist = computeChecklist(
    {
      route: seed.route,
      identityGaps: identityGaps(candidate).map((g) => IDENTITY_GAP_LABELS[g]),
      blocs: certification.version.blocs,
      targetedBlocIds: blocs.map((b) => b.id),
      positioning,
      positionedAt: positioned.length > 0 ? daysAgo(90) : null,
      evidenceKinds,
      companyOpinionFavourable: opinion ? opinion === "favourable" : null,
      companyOpinionAt: opinion ? daysAgo(20) : null,
      vaeExperienceMonths: seed.vae?.months ?? null,
      vaeAdmissibility: seed.route === "VAE" ? (seed.vae?.decision ?? "PENDING") : null,
      trainer: { kind: "none" },
      trainerSeats: [],
    },
    certification.rules,
  );
  const status: DossierStatus = seed.status === "COMPLETE" && !checklist.complete ? "IN_EVALUATION" : seed.status;

  const dossier: Prisma.DossierCreateManyInput = {
    organisationId,
    candidateId: candidate.id,
    certificationId: certification.id,
    referentialVersionId: certification.version.id,
    route: seed.route,
    status,
    positioning: positioned.length > 0 ? positioning : undefined,
    positionedAt: positioned.length > 0 ? daysAgo(90) : null,
    companyOpinionFavourable: opinion ? opinion === "favourable" : null,
    companyOpinion:
      opinion === "favourable"
        ? "Le candidat tient son poste en autonomie et maîtrise les réglages courants."
        : opinion === "unfavourable"
          ? "Autonomie encore insuffisante sur les changements de série ; l'entreprise souhaite un accompagnement complémentaire."
          : null,
    companyOpinionAt: opinion ? daysAgo(20) : null,
    vaeExperienceMonths: seed.route === "VAE" ? (seed.vae?.months ?? null) : null,
    vaeAdmissibility: seed.route === "VAE" ? (seed.vae?.decision ?? "PENDING") : null,
    vaeDecidedAt: seed.vae && seed.vae.decision !== "PENDING" ? daysAgo(60) : null,
    vaeDecisionNote: seed.vae?.note ?? null,
  };
  const stem = candidate.birthName.toLowerCase().normalize("NFD").replace(/[^a-z]/g, "");
  const evidence = evidenceKinds.map((kind) => {
    const content = demoPdf([
      "Quorum - piece de demonstration",
      `${candidate.givenNames} ${candidate.birthName}`,
      certification.title,
      `Piece : ${EVIDENCE_FILE_STEMS[kind]}`,
    ]);
    return {
      kind,
      fileName: `${EVIDENCE_FILE_STEMS[kind]}-${stem}.pdf`,
      mimeType: "application/pdf",
      size: content.byteLength,
      sha256: createHash("sha256").update(content).digest("hex"),
      content,
    };
  });
  return { dossier, blocIds: blocs.map((b) => b.id), evidence };
}

/**
 * Seeds about twenty candidates (the organisation's existing ones get a dossier too) across `certifications`.
 * Returns how many candidates and dossiers it created.
 */
export async function seedCandidates(
  tx: Prisma.TransactionClient,
  { organisationId, certifications }: { organisationId: string; certifications: Array<{ certificationId: string }> },
): Promise<{ candidates: number; dossiers: number }> {
  const catalogue = await loadCatalogue(tx, certifications.map((c) => c.certificationId));
  if (catalogue.length === 0) return { candidates: 0, dossiers: 0 };
  const trainer = await tx.membership.findFirst({
    where: { organisationId, role: "MEMBER" },
    orderBy: { user: { email: "asc" } },
    select: { userId: true },
  });

  const existing = await tx.candidate.findMany({ where: { organisationId, dossiers: { none: {} } } });
  const created = await tx.candidate.createManyAndReturn({
    data: CANDIDATES.map(({ dossier: _dossier, quorumTrainer, birthDate, ...identity }) => ({
      ...identity,
      organisationId,
      searchKey: searchKeyOf(identity.birthName, identity.usageName, identity.givenNames),
      birthDate: birthDate ? new Date(`${birthDate}T00:00:00Z`) : null,
      trainerId: quorumTrainer ? (trainer?.userId ?? null) : null,
    })),
  });
  const seeds = new Map<string, DossierSeed>([
    ...Object.entries(EXISTING_DOSSIERS),
    ...CANDIDATES.map((c): [string, DossierSeed] => [c.birthName, c.dossier]),
  ]);
  const rows = [...existing, ...created].flatMap((candidate) => {
    const seed = seeds.get(candidate.birthName);
    return seed ? [dossierRows(organisationId, candidate, seed, pick(catalogue, seed.pick))] : [];
  });

  // Batched writes: the demo seed runs at every first start (and for every integration test server).
  const dossiers = await tx.dossier.createManyAndReturn({ data: rows.map((r) => r.dossier), select: { id: true, candidateId: true } });
  const idOf = new Map(dossiers.map((d) => [d.candidateId, d.id]));
  const dossierIdOf = (row: (typeof rows)[number]) => idOf.get(row.dossier.candidateId)!;
  await tx.dossierBloc.createMany({
    data: rows.flatMap((r) => r.blocIds.map((blocId) => ({ dossierId: dossierIdOf(r), blocId }))),
  });
  await tx.evidence.createMany({
    data: rows.flatMap((r) => r.evidence.map((e) => ({ ...e, dossierId: dossierIdOf(r) }))),
  });
  return { candidates: created.length, dossiers: dossiers.length };
}
