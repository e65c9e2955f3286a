/**
 * A candidate's dossier: its lifecycle, its evidence files, and the completeness and conformity checklist that
 * decides whether it may go before a jury ("only complete dossiers are presented to the jury"). Pure rules, no
 * I/O: the server gathers the facts (app/back-office/dossiers/dossier-completeness.server.ts), these functions judge them.
 *
 * Required items (documented here and shown with a reason on the dossier page):
 * - identity complete for the Caisse des Dépôts (birth name, given names, sex, birth date, birth place or country);
 * - blocs route: at least one targeted bloc;
 * - formation and blocs routes: positioning done (a result for every competence in scope, and its date);
 *   not for VAE, where the admissibility decision plays that part;
 * - evidence: an identity document for every route, and the activity file (livret 2) for the VAE route;
 * - company opinion when the scheme requires it (CQPM), never for the VAE route;
 * - VAE route: admissibility declared "recevable", and the declared experience ≥ the scheme's minimum when set;
 * - conformity: the candidate's trainer (a Quorum user) does not evaluate the candidate when the scheme forbids it,
 *   and never sits on the candidate's jury. A trainer outside Quorum cannot be checked: shown, not blocking.
 */

/* ------------------------------------------------------------------ statuses and routes */

export const DOSSIER_STATUSES = [
  "DRAFT",
  "REGISTERED",
  "POSITIONED",
  "IN_TRAINING",
  "IN_EVALUATION",
  "COMPLETE",
  "ON_AGENDA",
  "DECIDED",
  "WITHDRAWN",
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const DOSSIER_STATUS_LABELS: Record<DossierStatus, string> = {
  DRAFT: "Brouillon",
  REGISTERED: "Inscrit",
  POSITIONED: "Positionné",
  IN_TRAINING: "En formation",
  IN_EVALUATION: "En évaluation",
  COMPLETE: "Complet",
  ON_AGENDA: "À l'ordre du jour d'un jury",
  DECIDED: "Décision rendue",
  WITHDRAWN: "Abandon",
};

export const DOSSIER_ROUTES = ["FORMATION", "VAE", "BLOCS"] as const;
export type DossierRoute = (typeof DOSSIER_ROUTES)[number];

export const DOSSIER_ROUTE_LABELS: Record<DossierRoute, string> = {
  FORMATION: "Formation",
  VAE: "VAE (validation des acquis de l'expérience)",
  BLOCS: "Blocs de compétences",
};

export const POSITIONING_VALUES = ["ACQUIRED", "TO_ACQUIRE"] as const;
export type PositioningValue = (typeof POSITIONING_VALUES)[number];
export const POSITIONING_LABELS: Record<PositioningValue, string> = { ACQUIRED: "Acquis", TO_ACQUIRE: "À acquérir" };

export const VAE_ADMISSIBILITIES = ["PENDING", "ADMISSIBLE", "NOT_ADMISSIBLE"] as const;
export type VaeAdmissibility = (typeof VAE_ADMISSIBILITIES)[number];
export const VAE_ADMISSIBILITY_LABELS: Record<VaeAdmissibility, string> = {
  PENDING: "En cours d'examen",
  ADMISSIBLE: "Recevable",
  NOT_ADMISSIBLE: "Non recevable",
};

/** Closed dossiers: nothing on them changes any more. */
export const CLOSED_STATUSES: ReadonlySet<DossierStatus> = new Set(["DECIDED", "WITHDRAWN"]);
export const isDossierClosed = (status: DossierStatus) => CLOSED_STATUSES.has(status);

/* ------------------------------------------------------------------ scheme rules */

export type CompletenessRules = {
  companyOpinionRequired: boolean;
  /** VAE recevabilité: minimum months of experience, or null when the scheme sets none (the law sets none). */
  vaeMinimumExperienceMonths: number | null;
  evaluatorMustNotBeTrainer: boolean;
};

const positiveNumber = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;

/**
 * The rules this checklist needs, read from a certification's scheme JSON. Read defensively: the scheme grows
 * (app/domain/scheme.ts) and older certifications may lack newer settings, which then mean "no constraint".
 */
export function completenessRulesFromScheme(scheme: unknown): CompletenessRules {
  const s = (scheme && typeof scheme === "object" ? scheme : {}) as Record<string, unknown>;
  const vae = (s.vae && typeof s.vae === "object" ? s.vae : {}) as Record<string, unknown>;
  const months =
    positiveNumber(s.vaeMinimumExperienceMonths) ??
    positiveNumber(s.vaeMinExperienceMonths) ??
    positiveNumber(vae.minimumExperienceMonths) ??
    positiveNumber(vae.minExperienceMonths);
  const years =
    positiveNumber(s.vaeMinimumExperienceYears) ??
    positiveNumber(s.vaeMinExperienceYears) ??
    positiveNumber(vae.minimumExperienceYears) ??
    positiveNumber(vae.minExperienceYears);
  return {
    companyOpinionRequired: s.companyOpinionRequired === true,
    vaeMinimumExperienceMonths: months ?? (years !== null ? Math.round(years * 12) : null),
    evaluatorMustNotBeTrainer: s.evaluatorMustNotBeTrainer === true,
  };
}

/* ------------------------------------------------------------------ evidence */

export const EVIDENCE_KINDS = [
  "IDENTITY",
  "POSITIONING_REPORT",
  "TRAINING_CERTIFICATE",
  "TUTOR_GRID",
  "VAE_ADMISSIBILITY_FILE",
  "VAE_ACTIVITY_FILE",
  "COMPANY_OPINION",
  "OTHER",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  IDENTITY: "Pièce d'identité",
  POSITIONING_REPORT: "Compte rendu de positionnement",
  TRAINING_CERTIFICATE: "Attestation de formation",
  TUTOR_GRID: "Grille tuteur",
  VAE_ADMISSIBILITY_FILE: "Demande de recevabilité VAE (livret 1)",
  VAE_ACTIVITY_FILE: "Dossier de validation VAE (livret 2)",
  COMPANY_OPINION: "Avis de l'entreprise signé",
  OTHER: "Autre pièce",
};

export function evidenceKindLabel(kind: string): string {
  return (EVIDENCE_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

/** The evidence kinds a dossier must hold on its route. */
export function requiredEvidenceKinds(route: DossierRoute): EvidenceKind[] {
  return route === "VAE" ? ["IDENTITY", "VAE_ACTIVITY_FILE"] : ["IDENTITY"];
}

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

type EvidenceType = {
  mimeType: string;
  label: string;
  extensions: readonly string[];
  /** Whether the first bytes are this format's signature. */
  matches: (head: Uint8Array) => boolean;
};

const startsWith = (head: Uint8Array, signature: readonly number[], offset = 0) =>
  head.length >= offset + signature.length && signature.every((byte, i) => head[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ODT_MIME = "application/vnd.oasis.opendocument.text";

export const EVIDENCE_TYPES: readonly EvidenceType[] = [
  {
    mimeType: "application/pdf",
    label: "PDF",
    extensions: [".pdf"],
    // The header may follow a little junk (the PDF specification tolerates it in the first 1024 bytes).
    matches: (head) => {
      const limit = Math.min(head.length, 1024);
      for (let i = 0; i + 5 <= limit; i++) if (startsWith(head, ascii("%PDF-"), i)) return true;
      return false;
    },
  },
  {
    mimeType: "image/png",
    label: "PNG",
    extensions: [".png"],
    matches: (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  {
    mimeType: "image/jpeg",
    label: "JPEG",
    extensions: [".jpg", ".jpeg"],
    matches: (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  },
  {
    mimeType: ODT_MIME,
    label: "ODT",
    extensions: [".odt"],
    // An OpenDocument package starts with its uncompressed "mimetype" entry.
    matches: (head) => startsWith(head, ZIP) && startsWith(head, ascii(`mimetype${ODT_MIME}`), 30),
  },
  {
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "DOCX",
    extensions: [".docx"],
    matches: (head) => startsWith(head, ZIP),
  },
];

export const EVIDENCE_ACCEPT = EVIDENCE_TYPES.flatMap((t) => [t.mimeType, ...t.extensions]).join(",");
const ALLOWED_TEXT = "PDF, JPEG, PNG, ODT ou DOCX";
/** Browsers send these when they do not know a type: the extension decides. */
const UNKNOWN_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot).toLowerCase() : "";
}

export type EvidenceFileCheck = { ok: true; mimeType: string } | { ok: false; error: string };

/**
 * Whether an uploaded file may be kept as evidence: allowed type (declared type and extension agree), not empty,
 * not too large, and its first bytes are the signature of that type (a renamed executable is refused).
 */
export function checkEvidenceFile(file: { fileName: string; declaredType: string; size: number; head: Uint8Array }): EvidenceFileCheck {
  const declared = file.declaredType.split(";")[0].trim().toLowerCase();
  const extension = extensionOf(file.fileName);
  const byExtension = EVIDENCE_TYPES.find((t) => t.extensions.includes(extension));
  const byMime = EVIDENCE_TYPES.find((t) => t.mimeType === declared);
  const type = UNKNOWN_TYPES.has(declared) ? byExtension : byMime;
  if (!type || (extension !== "" && !byExtension)) {
    return { ok: false, error: `Type de fichier non autorisé : déposez un fichier ${ALLOWED_TEXT}.` };
  }
  if (byExtension && byExtension !== type) {
    return { ok: false, error: `L'extension du fichier (${extension}) ne correspond pas à son type (${type.label}).` };
  }
  if (file.size === 0) return { ok: false, error: "Le fichier est vide." };
  if (file.size > EVIDENCE_MAX_BYTES) return { ok: false, error: "Le fichier dépasse la taille maximale de 10 Mo." };
  if (!type.matches(file.head)) {
    return { ok: false, error: `Le contenu du fichier n'est pas celui d'un fichier ${type.label} : fichier refusé.` };
  }
  return { ok: true, mimeType: type.mimeType };
}

/** A file name safe to store and to send back: no folders, no control characters or quotes, 180 characters at most. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "").replace(/\s+/g, " ").trim();
  if (!cleaned || /^\.+$/.test(cleaned)) return "piece";
  if (cleaned.length <= 180) return cleaned;
  const extension = extensionOf(cleaned).slice(0, 10);
  return cleaned.slice(0, 180 - extension.length) + extension;
}

/** Content-Disposition for a download: an ASCII fallback plus the exact UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._ -]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/* ------------------------------------------------------------------ the checklist */

export type DossierFacts = {
  route: DossierRoute;
  /** Gaps of the candidate's identity (labels), from app/domain/identity.ts identityGaps. */
  identityGaps: string[];
  /** Blocs of the pinned référentiel version, with their competences. */
  blocs: Array<{ id: string; code: string; competences: Array<{ id: string; code: string }> }>;
  targetedBlocIds: string[];
  positioning: Record<string, string> | null;
  positionedAt: Date | string | null;
  evidenceKinds: string[];
  companyOpinionFavourable: boolean | null;
  companyOpinionAt: Date | string | null;
  vaeExperienceMonths: number | null;
  vaeAdmissibility: VaeAdmissibility | null;
  /** The trainer: a Quorum user (name), a free-text training body, or unknown. */
  trainer: { kind: "user"; name: string } | { kind: "external"; name: string } | { kind: "none" };
  /** Sessions about this candidate where the trainer (a Quorum user) holds a seat. */
  trainerSeats: Array<{ sessionTitle: string; sessionKind: "COMMISSION" | "JURY"; evaluates: boolean }>;
};

export type ChecklistKey =
  | "identity"
  | "blocs"
  | "positioning"
  | "evidence"
  | "companyOpinion"
  | "vaeAdmissibility"
  | "vaeExperience"
  | "trainerConflict";

export type ChecklistStatus = "ok" | "missing" | "not_applicable" | "unverifiable";

export type ChecklistItem = {
  key: ChecklistKey;
  /** "completeness" items make the dossier; "conformity" items check the process (conflicts of interest). */
  kind: "completeness" | "conformity";
  label: string;
  status: ChecklistStatus;
  /** Why, in French: what is missing, or what was found. */
  reason: string;
};

export type Checklist = { complete: boolean; items: ChecklistItem[]; missing: ChecklistItem[] };

/** The competences a dossier covers: those of its targeted blocs, or of the whole référentiel when none is targeted. */
export function competencesInScope(facts: Pick<DossierFacts, "blocs" | "targetedBlocIds">) {
  const targeted = facts.blocs.filter((b) => facts.targetedBlocIds.includes(b.id));
  return (targeted.length > 0 ? targeted : facts.blocs).flatMap((b) => b.competences);
}

const list = (items: string[]) => items.join(", ");
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export function computeChecklist(facts: DossierFacts, rules: CompletenessRules): Checklist {
  const items: ChecklistItem[] = [];
  const isVae = facts.route === "VAE";

  items.push({
    key: "identity",
    kind: "completeness",
    label: "Identité complète (Caisse des Dépôts)",
    ...(facts.identityGaps.length === 0
      ? { status: "ok", reason: "Nom de naissance, prénoms, sexe, date et lieu de naissance renseignés." }
      : { status: "missing", reason: `À compléter sur la fiche du candidat : ${list(facts.identityGaps)}.` }),
  });

  const targeted = facts.blocs.filter((b) => facts.targetedBlocIds.includes(b.id));
  items.push({
    key: "blocs",
    kind: "completeness",
    label: "Blocs visés",
    ...(facts.route !== "BLOCS"
      ? {
          status: targeted.length > 0 ? "ok" : "not_applicable",
          reason:
            targeted.length > 0
              ? `Blocs visés : ${list(targeted.map((b) => b.code))}.`
              : "Parcours visant la certification entière : tous les blocs du référentiel.",
        }
      : targeted.length > 0
        ? { status: "ok", reason: `Blocs visés : ${list(targeted.map((b) => b.code))}.` }
        : { status: "missing", reason: "Parcours par blocs : cochez au moins un bloc visé." }),
  });

  if (isVae) {
    items.push({
      key: "positioning",
      kind: "completeness",
      label: "Positionnement",
      status: "not_applicable",
      reason: "Parcours VAE : la recevabilité tient lieu de positionnement.",
    });
  } else {
    const scope = competencesInScope(facts);
    const positioning = facts.positioning ?? {};
    const unset = scope.filter((c) => positioning[c.id] !== "ACQUIRED" && positioning[c.id] !== "TO_ACQUIRE");
    const toAcquire = scope.filter((c) => positioning[c.id] === "TO_ACQUIRE");
    items.push({
      key: "positioning",
      kind: "completeness",
      label: "Positionnement",
      ...(scope.length === 0
        ? { status: "missing", reason: "Le référentiel ne contient aucune compétence à positionner." }
        : unset.length > 0
          ? {
              status: "missing",
              reason: `${plural(unset.length, "compétence", "compétences")} sans résultat de positionnement : ${list(unset.map((c) => c.code))}.`,
            }
          : !facts.positionedAt
            ? { status: "missing", reason: "Date du positionnement non renseignée." }
            : {
                status: "ok",
                reason:
                  toAcquire.length === 0
                    ? "Toutes les compétences sont acquises au positionnement."
                    : `${plural(toAcquire.length, "compétence", "compétences")} à acquérir : ${list(toAcquire.map((c) => c.code))}.`,
              }),
    });
  }

  const missingKinds = requiredEvidenceKinds(facts.route).filter((k) => !facts.evidenceKinds.includes(k));
  items.push({
    key: "evidence",
    kind: "completeness",
    label: "Pièces justificatives",
    ...(missingKinds.length === 0
      ? { status: "ok", reason: `${plural(facts.evidenceKinds.length, "pièce déposée", "pièces déposées")}.` }
      : { status: "missing", reason: `Pièce manquante : ${list(missingKinds.map((k) => EVIDENCE_KIND_LABELS[k]))}.` }),
  });

  const opinionGiven = facts.companyOpinionFavourable !== null && facts.companyOpinionAt !== null;
  items.push({
    key: "companyOpinion",
    kind: "completeness",
    label: "Avis de l'entreprise",
    ...(isVae
      ? { status: "not_applicable", reason: "Non requis pour un parcours VAE." }
      : !rules.companyOpinionRequired
        ? {
            status: "not_applicable",
            reason: opinionGiven ? "Saisi (non requis par le référentiel)." : "Non requis par le référentiel de cette certification.",
          }
        : opinionGiven
          ? {
              status: "ok",
              reason: facts.companyOpinionFavourable ? "Avis favorable saisi." : "Avis défavorable saisi (il sera examiné par le jury).",
            }
          : { status: "missing", reason: "Requis par le référentiel : avis de l'entreprise non saisi." }),
  });

  if (isVae) {
    const admissibility = facts.vaeAdmissibility ?? "PENDING";
    items.push({
      key: "vaeAdmissibility",
      kind: "completeness",
      label: "Recevabilité VAE",
      ...(admissibility === "ADMISSIBLE"
        ? { status: "ok", reason: "Demande déclarée recevable." }
        : admissibility === "NOT_ADMISSIBLE"
          ? { status: "missing", reason: "Demande déclarée non recevable : le dossier ne peut pas être présenté au jury." }
          : { status: "missing", reason: "Recevabilité pas encore prononcée par le secrétariat." }),
    });
    const minimum = rules.vaeMinimumExperienceMonths;
    const months = facts.vaeExperienceMonths;
    items.push({
      key: "vaeExperience",
      kind: "completeness",
      label: "Expérience minimale (VAE)",
      ...(minimum === null
        ? {
            status: "not_applicable",
            reason: "Le référentiel ne fixe pas de durée minimale d'expérience.",
          }
        : months === null
          ? { status: "missing", reason: `Durée d'expérience non renseignée (minimum ${minimum} mois).` }
          : months < minimum
            ? { status: "missing", reason: `${months} mois d'expérience déclarés, minimum requis ${minimum} mois.` }
            : { status: "ok", reason: `${months} mois d'expérience déclarés (minimum ${minimum} mois).` }),
    });
  }

  const conflicts = facts.trainerSeats.filter(
    (s) => s.sessionKind === "JURY" || (s.evaluates && rules.evaluatorMustNotBeTrainer),
  );
  items.push({
    key: "trainerConflict",
    kind: "conformity",
    label: rules.evaluatorMustNotBeTrainer
      ? "Le formateur n'évalue pas le candidat et ne siège pas à son jury"
      : "Le formateur ne siège pas au jury du candidat",
    ...(facts.trainer.kind === "none"
      ? { status: "unverifiable", reason: "Formateur non renseigné : conformité non vérifiable." }
      : facts.trainer.kind === "external"
        ? {
            status: "unverifiable",
            reason: `Formateur hors Quorum (${facts.trainer.name}) : vérifiez qu'il n'évalue pas ce candidat.`,
          }
        : conflicts.length > 0
          ? {
              status: "missing",
              reason: `Conflit d'intérêts : ${facts.trainer.name}, formateur du candidat, siège dans ${list(
                conflicts.map((s) => `« ${s.sessionTitle} »`),
              )}.`,
            }
          : { status: "ok", reason: `${facts.trainer.name}, formateur du candidat, ne siège dans aucune de ses sessions.` }),
  });

  const missing = items.filter((i) => i.status === "missing");
  return { complete: missing.length === 0, items, missing };
}

/* ------------------------------------------------------------------ lifecycle */

/** Every allowed status change. ON_AGENDA and DECIDED are reached through jury planning and deliberation. */
export const DOSSIER_TRANSITIONS: Record<DossierStatus, readonly DossierStatus[]> = {
  DRAFT: ["REGISTERED", "WITHDRAWN"],
  REGISTERED: ["POSITIONED", "IN_EVALUATION", "DRAFT", "WITHDRAWN"],
  POSITIONED: ["IN_TRAINING", "IN_EVALUATION", "REGISTERED", "WITHDRAWN"],
  IN_TRAINING: ["IN_EVALUATION", "POSITIONED", "WITHDRAWN"],
  IN_EVALUATION: ["COMPLETE", "IN_TRAINING", "WITHDRAWN"],
  COMPLETE: ["ON_AGENDA", "IN_EVALUATION", "WITHDRAWN"],
  ON_AGENDA: ["DECIDED", "COMPLETE", "IN_EVALUATION", "IN_TRAINING"],
  DECIDED: [],
  WITHDRAWN: [],
};

/** Changes made by the jury planning (agenda) and the deliberation, not from the dossier page. */
export function isSystemTransition(from: DossierStatus, to: DossierStatus): boolean {
  return to === "ON_AGENDA" || to === "DECIDED" || from === "ON_AGENDA";
}

/** Why `from → to` is refused for this dossier (French), or null when allowed. */
export function transitionRefusal(
  from: DossierStatus,
  to: DossierStatus,
  dossier: { route: DossierRoute; checklist: Checklist },
): string | null {
  const label = (s: DossierStatus) => `« ${DOSSIER_STATUS_LABELS[s]} »`;
  if (!DOSSIER_TRANSITIONS[from].includes(to)) return `Passage de ${label(from)} à ${label(to)} non autorisé.`;
  const item = (key: ChecklistKey) => dossier.checklist.items.find((i) => i.key === key);
  const blocking = (...keys: ChecklistKey[]) =>
    keys.map(item).find((i): i is ChecklistItem => i !== undefined && i.status === "missing");
  const isVae = dossier.route === "VAE";

  switch (to) {
    case "REGISTERED": {
      if (from !== "DRAFT") return null;
      const gap = blocking("identity", "blocs");
      return gap ? `Inscription impossible — ${gap.label} : ${gap.reason}` : null;
    }
    case "POSITIONED": {
      if (isVae) return "Un parcours VAE n'a pas de positionnement : prononcez la recevabilité puis passez en évaluation.";
      if (from !== "REGISTERED") return null;
      const gap = blocking("positioning");
      return gap ? `Positionnement incomplet : ${gap.reason}` : null;
    }
    case "IN_TRAINING":
      return isVae ? "Un parcours VAE ne comporte pas de formation." : null;
    case "IN_EVALUATION": {
      if (!isVae) return from === "REGISTERED" ? "Positionnez d'abord le candidat." : null;
      const gap = blocking("vaeAdmissibility", "vaeExperience");
      return gap ? `Évaluation impossible — ${gap.label} : ${gap.reason}` : null;
    }
    case "COMPLETE":
    case "ON_AGENDA": {
      const first = dossier.checklist.missing[0];
      if (!first) return null;
      const more = dossier.checklist.missing.length - 1;
      return `Dossier incomplet — ${first.label} : ${first.reason}${more > 0 ? ` (et ${plural(more, "autre point", "autres points")})` : ""}`;
    }
    default:
      return null;
  }
}

/** The status changes offered on the dossier page, each with its refusal reason (null when possible now). */
export function manualTransitions(
  from: DossierStatus,
  dossier: { route: DossierRoute; checklist: Checklist },
): Array<{ to: DossierStatus; refusal: string | null }> {
  return DOSSIER_TRANSITIONS[from]
    .filter((to) => !isSystemTransition(from, to))
    .filter((to) => !(dossier.route === "VAE" && (to === "POSITIONED" || to === "IN_TRAINING")))
    .filter((to) => !(dossier.route !== "VAE" && from === "REGISTERED" && to === "IN_EVALUATION"))
    .map((to) => ({ to, refusal: transitionRefusal(from, to, dossier) }));
}

/** "512 o", "12,5 Ko", "1,2 Mo". */
export function formatFileSize(bytes: number): string {
  const number = (n: number) => n.toLocaleString("fr-FR", { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} Ko`;
  return `${number(bytes / (1024 * 1024))} Mo`;
}
