/**
 * Identity rules of a certification and of its référentiel: kinds, registration codes (RNCP, RS, branch numbers),
 * bloc codes, NSF codes, levels, evaluation modalities. Pure, no I/O; French messages for the forms and imports.
 */
import { hiddenCharacterNote } from "./safe-text";

export const CERTIFICATION_KINDS = ["CQP", "CQPM", "CQPI", "CCPM", "CLEA", "OTHER"] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

export const CERTIFICATION_KIND_LABELS: Record<CertificationKind, string> = {
  CQP: "CQP — certificat de qualification professionnelle",
  CQPM: "CQPM — CQP de la métallurgie",
  CQPI: "CQPI — CQP interbranches",
  CCPM: "CCPM — certificat de compétences professionnelles de la métallurgie",
  CLEA: "CléA — socle de connaissances et de compétences",
  OTHER: "Autre certification (RNCP / RS)",
};

export const CERTIFICATION_KIND_SHORT_LABELS: Record<CertificationKind, string> = {
  CQP: "CQP",
  CQPM: "CQPM",
  CQPI: "CQPI",
  CCPM: "CCPM",
  CLEA: "CléA",
  OTHER: "Autre",
};

const RNCP = /^RNCP\d{3,5}$/;
const RS = /^RS\d+$/;
/** A branch's own number (CQPM « MQ 2006 05 69 0262 », « CQP-2019-07 »…): capitals, digits and separators. */
const BRANCH_NUMBER = /^(?=.*\d)[A-Z0-9][A-Z0-9 ./-]{2,38}[A-Z0-9]$/;

/** Kinds that may be identified by a branch number instead of an RNCP or RS registration. */
const BRANCH_NUMBER_KINDS: ReadonlySet<CertificationKind> = new Set(["CQP", "CQPM", "CQPI", "CCPM", "OTHER"]);

/** Trims, upper-cases and collapses spaces; RNCP/RS codes lose their inner spaces (« RNCP 38544 » → RNCP38544). */
export function normaliseCertificationCode(raw: string): string {
  const code = raw.trim().toUpperCase().replace(/\s+/g, " ");
  const compact = code.replace(/\s+/g, "");
  if (/^(RNCP|RS)\d/.test(compact)) return compact;
  return code;
}

export type CodeKind = "RNCP" | "RS" | "BRANCH";

export function certificationCodeKind(code: string): CodeKind | null {
  if (RNCP.test(code)) return "RNCP";
  if (RS.test(code)) return "RS";
  if (BRANCH_NUMBER.test(code) && !/^(RNCP|RS)\d/.test(code)) return "BRANCH";
  return null;
}

/**
 * The répertoire a certification's code says it is registered in, as its records print it: an RNCP code names the
 * Répertoire national, an RS code the Répertoire spécifique; a branch's own number (a CQPM's « MQ 2017 10 69 0312 »)
 * none — a parchemin must not claim a registration its code does not carry.
 */
export function registryOf(code: string): string | null {
  const kind = certificationCodeKind(code);
  return kind === "RNCP" ? "Répertoire national des certifications professionnelles" : kind === "RS" ? "Répertoire spécifique" : null;
}

/** French reason why `code` (already normalised) is not a valid code for `kind`, or null when it is. */
export function certificationCodeError(kind: CertificationKind, code: string): string | null {
  if (code === "") return "Saisissez le code de la certification (ex. RNCP38544, RS5080).";
  // Named and located: « sans autre caractère » over a code that looks exactly right left the secretariat guessing.
  const hidden = hiddenCharacterNote(code);
  if (hidden) return `Le code contient un ${hidden} : retapez-le.`;
  if (/^RNCP/.test(code) && !RNCP.test(code)) {
    return "Un code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres, sans autre caractère (ex. RNCP38544).";
  }
  if (/^RS(\d|$)/.test(code) && !RS.test(code)) {
    return "Un code RS s'écrit « RS » suivi de chiffres uniquement (ex. RS5080).";
  }
  const codeKind = certificationCodeKind(code);
  if (kind === "CLEA" && codeKind !== "RS") {
    return "CléA est enregistrée au répertoire spécifique : le code s'écrit « RS » suivi de chiffres (ex. RS5080).";
  }
  if (codeKind === "BRANCH" && !BRANCH_NUMBER_KINDS.has(kind)) {
    return "Ce type de certification s'identifie par son code RNCP ou RS.";
  }
  if (!codeKind) {
    return "Code invalide : saisissez un code RNCP (RNCP + 3 à 5 chiffres), RS (RS + chiffres) ou le numéro de branche (lettres majuscules, chiffres, espaces, tirets, au moins un chiffre ; ex. MQ 2006 05 69 0262).";
  }
  return null;
}

/**
 * Whether a certification whose code is `code` needs its RNCP or RS registration apart (`registrationCode`): a branch
 * number (a CQPM's « MQ 2017 10 69 0312 ») is not what the Caisse des Dépôts declares holders under.
 */
export function needsRegistrationCode(code: string): boolean {
  return certificationCodeKind(code) === "BRANCH";
}

/**
 * French reason why `code` (already normalised, non-empty) is not an RNCP or RS registration code, or null when it is:
 * the « Code d'enregistrement RNCP ou RS » of a branch certification.
 */
export function registrationCodeError(code: string): string | null {
  const hidden = hiddenCharacterNote(code);
  if (hidden) return `Le code d'enregistrement contient un ${hidden} : retapez-le.`;
  if (RNCP.test(code) || RS.test(code)) return null;
  if (/^RNCP/.test(code)) return "Un code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres, sans autre caractère (ex. RNCP38544).";
  if (/^RS/.test(code)) return "Un code RS s'écrit « RS » suivi de chiffres uniquement (ex. RS5080).";
  return "Code d'enregistrement invalide : saisissez le code RNCP (RNCP + 3 à 5 chiffres, ex. RNCP38544) ou RS (RS + chiffres, ex. RS5080) de France compétences.";
}

/**
 * The code a certification's holders are declared under (RNCP or RS): its own code when it is one, else its
 * registration code, else its code as it stands (a branch number alone, which the declaration lists as missing).
 */
export function declaredCertificationCode(code: string, registrationCode: string | null): string {
  if (needsRegistrationCode(code) && registrationCode) return registrationCode;
  return code;
}

/**
 * The RNCP or RS registration of a certification, as its exports name it (« Enregistrement (RNCP/RS) »), from the code
 * its holders are declared under (`declaredCertificationCode`): that code when it is an RNCP or RS one, else null — a
 * branch number without its registration is registered nowhere yet.
 */
export function registrationOf(declaredCode: string): string | null {
  return registryOf(declaredCode) ? declaredCode : null;
}

/** Bloc codes: `<RNCP code>BCnn` for an RNCP certification; a short local code otherwise (D1, BC01, A-2…). */
const LOCAL_BLOC_CODE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

export function blocCodeError(certificationCode: string, blocCode: string): string | null {
  if (blocCode === "") return "code obligatoire";
  const hidden = hiddenCharacterNote(blocCode);
  if (hidden) return `le code contient un ${hidden} : retapez-le`;
  if (RNCP.test(certificationCode)) {
    if (new RegExp(`^${certificationCode}BC\\d{2}$`).test(blocCode)) return null;
    if (/^RNCP\d{3,5}BC\d{2}$/.test(blocCode)) {
      return `ce bloc appartient à une autre certification : le code doit commencer par ${certificationCode}`;
    }
    return `code de bloc invalide : attendu ${certificationCode}BC suivi de 2 chiffres (ex. ${certificationCode}BC01)`;
  }
  if (/^RNCP/.test(blocCode)) {
    return `un code de bloc RNCP n'est possible que pour une certification RNCP (celle-ci est ${certificationCode})`;
  }
  if (!LOCAL_BLOC_CODE.test(blocCode)) {
    return "code de bloc invalide : lettres majuscules, chiffres, point, tiret (32 caractères au plus, ex. D1 ou BC01)";
  }
  return null;
}

/** Competence codes: short and readable (C1, C1.2, CP-03). */
const COMPETENCE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export function competenceCodeError(code: string): string | null {
  if (code === "") return "code obligatoire";
  const hidden = hiddenCharacterNote(code);
  if (hidden) return `le code contient un ${hidden} : retapez-le`;
  if (!COMPETENCE_CODE.test(code)) {
    return "code de compétence invalide : lettres, chiffres, point, tiret (32 caractères au plus, ex. C1 ou C1.2)";
  }
  return null;
}

/** NSF codes: three digits and an optional letter (« 333t », « 221 »). */
const NSF = /^\d{3}[a-z]?$/;

/** Splits a comma (or semicolon) list into NSF codes; `errors` names each invalid entry in French. */
export function parseNsfCodes(raw: string): { codes: string[]; errors: string[] } {
  const entries = raw
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const errors: string[] = [];
  const codes: string[] = [];
  for (const entry of entries) {
    const value = entry.replace(/\s+/g, "").toLowerCase();
    if (!NSF.test(value)) {
      errors.push(`« ${entry} » n'est pas un code NSF : trois chiffres suivis éventuellement d'une lettre (ex. 333t).`);
    } else if (!codes.includes(value)) {
      codes.push(value);
    }
  }
  return { codes, errors };
}

export const NATIONAL_LEVELS = [3, 4, 5, 6, 7, 8] as const;
export const EQF_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

export const MODALITIES = [
  "SITUATION_PROFESSIONNELLE",
  "PRESENTATION_PROJET",
  "QUESTIONNAIRE",
  "MISE_EN_SITUATION",
  "ETUDE_DE_CAS",
  "GRILLE_TUTEUR",
] as const;
export type Modality = (typeof MODALITIES)[number];

export const MODALITY_LABELS: Record<Modality, string> = {
  SITUATION_PROFESSIONNELLE: "Situation professionnelle (observation et questionnement)",
  PRESENTATION_PROJET: "Présentation de projets ou d'activités",
  QUESTIONNAIRE: "Questionnaire / test",
  MISE_EN_SITUATION: "Mise en situation reconstituée",
  ETUDE_DE_CAS: "Étude de cas",
  GRILLE_TUTEUR: "Grille tuteur",
};

export function isModality(value: unknown): value is Modality {
  return typeof value === "string" && (MODALITIES as readonly string[]).includes(value);
}
