/**
 * A candidate's identity as the Caisse des Dépôts needs it for the declaration of holders: birth name, usage
 * name, all given names, sex, birth date, birth place (commune with its département when born in France, the
 * country otherwise). Pure rules, no I/O; the candidate form schema is shared by the browser and the server.
 */
import { calendarDay } from "./calendar";
import { normaliseInseeCode, parseBirthCode } from "./birthplace";
import { z } from "zod";
import { freeText, hiddenCharacterNote, unprintableTextMessage } from "./safe-text";
import { unprintableCharacter } from "./pdf-printable";
import { foldForSearch } from "./search";
import { normalisePostalAddress, postalAddressField } from "./postal-address";

export type Sex = "F" | "M";
export const SEX_LABELS: Record<Sex, string> = { F: "Femme", M: "Homme" };

/** The identity fields as stored on a candidate (dates as Date or ISO strings, as loaders serialise them). */
export type IdentityFields = {
  birthName: string | null;
  usageName?: string | null;
  givenNames: string | null;
  sex: string | null;
  birthDate: Date | string | null;
  birthPlace: string | null;
  birthCountry: string | null;
};

/* ------------------------------------------------------------------ dates */

/** A real calendar date "YYYY-MM-DD" (rejects 2023-02-30), as a UTC midnight Date; null otherwise. */
export function parseIsoDate(value: string): Date | null {
  return calendarDay(value.trim());
}

/** "YYYY-MM-DD" of a date-only value stored at UTC midnight. */
export function toIsoDate(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

/** Today's date in France ("YYYY-MM-DD"): the reference for "not in the future" checks. */
export function isoDateInParis(now: Date): string {
  return PARIS_DATE.format(now);
}
/** Built once: creating an Intl.DateTimeFormat costs ~0.3 ms (the dashboard formats each holder's dates). */
const PARIS_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

export const EARLIEST_BIRTH_YEAR = 1900;
/** Below this age nobody can be a certification candidate: the date is almost certainly mistyped. */
export const MINIMUM_CANDIDATE_AGE = 14;

/** The French error for a birth date, or null when it is plausible. `today` is "YYYY-MM-DD". */
export function birthDateError(value: string, today: string): string | null {
  const date = parseIsoDate(value);
  if (!date) return "Date de naissance invalide (format attendu : JJ/MM/AAAA).";
  if (value > today) return "La date de naissance est dans le futur.";
  if (date.getUTCFullYear() < EARLIEST_BIRTH_YEAR) return `La date de naissance est antérieure à ${EARLIEST_BIRTH_YEAR} : vérifiez-la.`;
  if (ageOn(value, today) < MINIMUM_CANDIDATE_AGE) {
    return `La personne aurait moins de ${MINIMUM_CANDIDATE_AGE} ans : vérifiez la date de naissance.`;
  }
  return null;
}

/** Full years between two "YYYY-MM-DD" dates. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [ty, tm, td] = today.split("-").map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The French error for a past event date (decision, opinion, positioning), or null. */
export function pastDateError(value: string, today: string, what: string): string | null {
  if (!parseIsoDate(value)) return `${what} : date invalide.`;
  if (value > today) return `${what} : la date est dans le futur.`;
  if (value < "2000-01-01") return `${what} : la date est antérieure à 2000, vérifiez-la.`;
  return null;
}

/* ------------------------------------------------------------------ names and places */

/**
 * Latin letters (accented included), spaces, hyphens and apostrophes; starts with a letter. French civil status writes
 * names in the Latin alphabet, and so do the parchemins, the minutes and the declaration to the Caisse des Dépôts: a
 * name in another script (« 王 ») printed as empty boxes on a sealed parchemin and vanished from its text.
 */
const NAME = /^\p{Script=Latin}[\p{Script=Latin}\p{M}' ’-]*$/u;
const NAME_ERROR = "Lettres de l'alphabet latin (accentuées ou non), espaces, tirets et apostrophes uniquement, comme à l'état civil.";

/**
 * Single spaces, trimmed, and accents composed (NFC): « e » + combining acute, as a Mac's copy or some keyboards send
 * it, is stored as « é », the form civil status, the declaration to the Caisse des Dépôts and the sealed records'
 * text (pdftotext, a search in the PDF) all use.
 */
export function normaliseSpaces(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** Family names are kept in capitals, as on civil-status documents. */
export function normaliseFamilyName(value: string): string {
  return normaliseSpaces(value).replace(/’/g, "'").toLocaleUpperCase("fr-FR");
}

/** Given names separated by spaces or commas, in civil-status order, normalised to single spaces. */
export function normaliseGivenNames(value: string): string {
  return normaliseSpaces(value.replace(/,/g, " ")).replace(/’/g, "'");
}

/** Départements: 01–19, 2A, 2B, 21–95, overseas 971–978 and 984–988 (collectivities with a commune register). */
const DEPARTMENT = /^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[4-8])$/;

export function isDepartmentCode(value: string): boolean {
  return DEPARTMENT.test(value.trim().toUpperCase());
}

/** Stored form of a French birth place: "Lyon (69)". */
export function formatBirthPlace(commune: string, department: string): string {
  return `${normaliseSpaces(commune)} (${department.trim().toUpperCase()})`;
}

/** Splits a stored birth place back into commune and département (département empty when not recognised). */
export function parseBirthPlace(value: string | null | undefined): { commune: string; department: string } {
  if (!value) return { commune: "", department: "" };
  const match = /^(.*\S)\s*\(([0-9AB]{2,3})\)$/i.exec(value.trim());
  return match ? { commune: match[1], department: match[2].toUpperCase() } : { commune: value.trim(), department: "" };
}

const FRANCE = /^(france|fr|france métropolitaine|république française)$/i;

/* ------------------------------------------------------------------ completeness for the Caisse des Dépôts */

export type IdentityGap = "birthName" | "givenNames" | "sex" | "birthDate" | "birthPlace";

export const IDENTITY_GAP_LABELS: Record<IdentityGap, string> = {
  birthName: "nom de naissance",
  givenNames: "prénoms",
  sex: "sexe",
  birthDate: "date de naissance",
  birthPlace: "lieu de naissance (commune et département, ou pays)",
};

/** What the declaration of holders still lacks, in form order; empty when the identity is complete. */
export function identityGaps(identity: IdentityFields): IdentityGap[] {
  const gaps: IdentityGap[] = [];
  if (!identity.birthName?.trim()) gaps.push("birthName");
  if (!identity.givenNames?.trim()) gaps.push("givenNames");
  if (identity.sex !== "F" && identity.sex !== "M") gaps.push("sex");
  if (!identity.birthDate) gaps.push("birthDate");
  const place = parseBirthPlace(identity.birthPlace);
  const bornInFrance = place.commune !== "" && isDepartmentCode(place.department);
  const bornAbroad = !!identity.birthCountry?.trim() && !FRANCE.test(identity.birthCountry.trim());
  if (!bornInFrance && !bornAbroad) gaps.push("birthPlace");
  return gaps;
}

/* ------------------------------------------------------------------ the candidate form */

/**
 * A name's letters must also be in the sealed documents' font: the Latin script holds letters it lacks (the full-width
 * « ＤＵＰＯＮＴ » a Japanese or Chinese keyboard types, « Ỽ », « Ꞔ »…), which printed as empty boxes on a sealed parchemin.
 */
const printableName = (label: string) => (value: string, ctx: z.RefinementCtx) => {
  const character = unprintableCharacter(value.normalize("NFC"));
  if (character) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} : ${unprintableTextMessage(character).replace(/^L/, "l")}` });
};

/**
 * A name refused by NAME: the French rule, and the invisible character that broke it when there is one (a zero-width
 * space pasted with « DURAND » was refused by the rule alone, over a name that reads right).
 */
const nameError = (label: string) => (value: string) => {
  const hidden = hiddenCharacterNote(value);
  return `${label} : ${NAME_ERROR.toLowerCase()}${hidden ? ` Trouvé : ${hidden}.` : ""}`;
};

/** A place or an employer: printed on the records (« né le … à Toulouse (31) »), so only what their font has. */
const optionalText = (max: number, label: string) => freeText({ max, tooLong: `${label} : ${max} caractères au plus.` }).optional();

/**
 * The create / edit candidate form. Birth name and given names are required; the rest of the identity may be
 * completed later (the dossier checklist then says what is missing), but whatever is given must be valid.
 * `today` is "YYYY-MM-DD" (France).
 */
/**
 * The Caisse des Dépôts' declaration file takes a name (birth name, usage name, each given name) of 60 characters at
 * most (type `Nom` of its schema): a longer one is refused at the field, not found missing at declaration time.
 */
const DECLARED_NAME_MAX = 60;
const DECLARED_NAME_REASON = "limite de la déclaration à la Caisse des Dépôts";

export function candidateFormSchema(today: string) {
  return z
    .object({
      birthName: z
        .string({ required_error: "Saisissez le nom de naissance." })
        .trim()
        .refine((v) => NAME.test(v), (v) => ({ message: nameError("Nom de naissance")(v) }))
        .superRefine(printableName("Nom de naissance"))
        .refine((v) => v.normalize("NFC").length <= DECLARED_NAME_MAX, `Nom de naissance : ${DECLARED_NAME_MAX} caractères au plus (${DECLARED_NAME_REASON}).`),
      usageName: z
        .string()
        .trim()
        .refine((v) => NAME.test(v), (v) => ({ message: nameError("Nom d'usage")(v) }))
        .superRefine(printableName("Nom d'usage"))
        .refine((v) => v.normalize("NFC").length <= DECLARED_NAME_MAX, `Nom d'usage : ${DECLARED_NAME_MAX} caractères au plus (${DECLARED_NAME_REASON}).`)
        .optional(),
      givenNames: z
        .string({ required_error: "Saisissez tous les prénoms, dans l'ordre de l'état civil." })
        .trim()
        .max(200, "Prénoms : 200 caractères au plus.")
        .refine(
          (v) => v.split(/[\s,]+/).every((name) => name.normalize("NFC").length <= DECLARED_NAME_MAX),
          `Prénoms : ${DECLARED_NAME_MAX} caractères au plus par prénom (${DECLARED_NAME_REASON}).`,
        )
        .refine((v) => v.split(/[\s,]+/).filter(Boolean).every((n) => NAME.test(n)), (v) => ({ message: nameError("Prénoms")(v) }))
        .superRefine(printableName("Prénoms")),
      sex: z.enum(["F", "M"], { errorMap: () => ({ message: "Choisissez F ou M." }) }).optional(),
      birthDate: z
        .string()
        .optional()
        .superRefine((value, ctx) => {
          if (value === undefined) return;
          const error = birthDateError(value, today);
          if (error) ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
        }),
      birthCommune: optionalText(100, "Commune de naissance"),
      birthDepartment: z
        .string()
        .trim()
        .toUpperCase()
        .refine(isDepartmentCode, "Département inconnu : 2 chiffres (ex. 69), 2A, 2B, ou 971 à 976 pour l'outre-mer.")
        .optional(),
      birthCountry: optionalText(100, "Pays de naissance"),
      /** INSEE code of the commune of birth, or of the country (99xxx) when born abroad: what the CDC declaration needs. */
      birthCode: z
        .string()
        .trim()
        .optional()
        .superRefine((value, ctx) => {
          if (value === undefined) return;
          const parsed = parseBirthCode(value);
          if (!parsed.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message });
        }),
      email: z.string().trim().email("Adresse e-mail invalide.").max(200, "Adresse e-mail trop longue.").optional(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9][0-9 .()-]{5,20}$/, "Numéro de téléphone invalide (chiffres, espaces, points, + pour l'international).")
        .optional(),
      /** Where the decision notice letter is posted (app/domain/postal-address.ts). */
      postalAddress: postalAddressField(),
      employer: optionalText(200, "Employeur"),
      trainerId: z.string().trim().optional(),
      trainerName: optionalText(200, "Organisme de formation ou formateur"),
      /** The existing candidate with the same identity that the user confirmed is another person (a homonym). */
      confirmedHomonymOf: z.string().trim().max(100).optional(),
    })
    .superRefine((value, ctx) => {
      const inFrance = value.birthCommune !== undefined || value.birthDepartment !== undefined;
      if (value.birthCountry !== undefined && FRANCE.test(value.birthCountry)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["birthCountry"],
          message: "Pour une naissance en France, indiquez la commune et le département, pas le pays.",
        });
      } else if (inFrance && value.birthCountry !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["birthCountry"],
          message: "Indiquez soit la commune de naissance (en France), soit le pays (à l'étranger), pas les deux.",
        });
      }
      if (value.birthCommune !== undefined && value.birthDepartment === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["birthDepartment"],
          message: "Indiquez le département de la commune de naissance.",
        });
      }
      if (value.birthDepartment !== undefined && value.birthCommune === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["birthCommune"],
          message: "Indiquez la commune de naissance.",
        });
      }
      // The declaration to the Caisse des Dépôts reads the INSEE code alone: it must agree with the place typed.
      const codeError = value.birthCode === undefined ? null : birthCodePlaceError(value.birthCode, value);
      if (codeError) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["birthCode"], message: codeError });
      // A country code alone: the declaration names the country of birth, so the country is asked for at its field
      // (a commune code alone is enough: the commune is found from it).
      const country = value.birthCode === undefined ? null : parseBirthCode(value.birthCode);
      if (country?.ok && country.value.kind === "country" && !inFrance && !value.birthCountry) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["birthCountry"],
          message: `Le code INSEE ${country.value.code} désigne un pays étranger : indiquez aussi le pays de naissance.`,
        });
      }
    });
}

/**
 * The French error when an INSEE birth code contradicts the birth place typed beside it, or null: a commune code
 * belongs to the typed département (2A/2B in Corsica, three digits overseas: 97411 → 974) and never goes with a
 * foreign country; a country code (99…) never goes with a commune or département in France. A code alone, or a
 * code that cannot be read (its own error is reported), contradicts nothing.
 */
export function birthCodePlaceError(
  code: string,
  place: { birthCommune?: string; birthDepartment?: string; birthCountry?: string },
): string | null {
  const parsed = parseBirthCode(code);
  if (!parsed.ok) return null;
  const department = place.birthDepartment?.trim().toUpperCase() || undefined;
  const inFrance = place.birthCommune?.trim() || department !== undefined;
  const abroad = !!place.birthCountry?.trim() && !FRANCE.test(place.birthCountry.trim());
  if (parsed.value.kind === "country") {
    return inFrance
      ? "Ce code désigne un pays (99…), or la naissance est en France : indiquez le code INSEE de la commune de naissance."
      : null;
  }
  if (abroad) {
    return "Ce code désigne une commune française, or la naissance est à l'étranger : indiquez le code INSEE du pays (99…, ex. 99109 pour l'Allemagne).";
  }
  if (department !== undefined && isDepartmentCode(department) && parsed.value.department !== department) {
    return `Ce code désigne une commune du département ${parsed.value.department}, pas du ${department} : vérifiez le code INSEE ou le département.`;
  }
  return null;
}

export type CandidateForm = z.infer<ReturnType<typeof candidateFormSchema>>;

/** The stored identity and contact of a validated form (names normalised, birth place composed). */
export function candidateDataFromForm(form: CandidateForm) {
  return {
    birthName: normaliseFamilyName(form.birthName),
    usageName: form.usageName ? normaliseFamilyName(form.usageName) : null,
    givenNames: normaliseGivenNames(form.givenNames),
    sex: form.sex ?? null,
    birthDate: form.birthDate ? parseIsoDate(form.birthDate) : null,
    birthPlace: form.birthCommune && form.birthDepartment ? formatBirthPlace(form.birthCommune, form.birthDepartment) : null,
    birthCountry: form.birthCountry ? normaliseSpaces(form.birthCountry) : null,
    birthCode: form.birthCode ? normaliseInseeCode(form.birthCode) : null,
    email: form.email?.toLowerCase() ?? null,
    phone: form.phone ? normaliseSpaces(form.phone) : null,
    postalAddress: normalisePostalAddress(form.postalAddress),
    employer: form.employer ? normaliseSpaces(form.employer) : null,
    trainerId: form.trainerId || null,
    trainerName: form.trainerName ? normaliseSpaces(form.trainerName) : null,
  };
}

/** An existing candidate that a new or corrected identity duplicates (the form links to its page). */
export type DuplicateCandidate = { id: string; name: string };

/**
 * What makes two candidates the same person for the duplicate check: birth name, given names and birth date,
 * with case, accents, ligatures, hyphens and spacing folded (« Lœuillet Jean-Marie » = « LOEUILLET jean marie »).
 * Null without a birth date: names alone are not enough to suspect a duplicate.
 */
export function identityMatchKey(c: { birthName: string; givenNames: string; birthDate: Date | string | null }): string | null {
  if (!c.birthDate) return null;
  return `${foldForSearch(c.birthName)}|${foldForSearch(c.givenNames)}|${toIsoDate(c.birthDate)}`;
}

/** The form's default values for an existing candidate. */
export function candidateFormDefaults(c: IdentityFields & {
  birthCode?: string | null;
  email: string | null;
  phone: string | null;
  postalAddress?: string | null;
  employer: string | null;
  trainerId: string | null;
  trainerName: string | null;
}) {
  const place = parseBirthPlace(c.birthPlace);
  return {
    birthName: c.birthName ?? "",
    usageName: c.usageName ?? "",
    givenNames: c.givenNames ?? "",
    sex: c.sex ?? "",
    birthDate: c.birthDate ? toIsoDate(c.birthDate) : "",
    birthCommune: place.commune,
    birthDepartment: place.department,
    birthCountry: c.birthCountry ?? "",
    birthCode: c.birthCode ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
    postalAddress: c.postalAddress ?? "",
    employer: c.employer ?? "",
    trainerId: c.trainerId ?? "",
    trainerName: c.trainerName ?? "",
  };
}

/* ------------------------------------------------------------------ display */

const DATE_FR = new Intl.DateTimeFormat("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "12/03/1994" for a date-only value (stored at UTC midnight). */
export function formatDateFr(value: Date | string): string {
  const date = new Date(value);
  const year = date.getUTCFullYear();
  // The lists show dozens of dates per page: written by hand (as Intl writes them) rather than through Intl each time;
  // Intl for what it alone knows how to write (an invalid date throws its RangeError, a year outside four digits).
  if (!(year >= 1000 && year <= 9999)) return DATE_FR.format(date);
  return `${twoDigits(date.getUTCDate())}/${twoDigits(date.getUTCMonth() + 1)}/${year}`;
}

/** The fields a candidate's name is written from. */
export type CandidateNameFields = { birthName: string; usageName?: string | null; givenNames: string; sex?: string | null };

/**
 * The one way a candidate is named, on screens, in e-mails and in signed documents: "Léa Marie DURAND" or
 * "Yasmine Nora MARTIN (née BENALI)", usage name first; « né » for a man, « née » for a woman, « né(e) » when the sex
 * is not recorded. `givenNames: "first"` keeps only the first given name ("Yasmine MARTIN (née BENALI)").
 */
export function candidateName(c: CandidateNameFields, options: { givenNames?: "all" | "first" } = {}): string {
  const given = options.givenNames === "first" ? c.givenNames.split(" ")[0] : c.givenNames;
  if (!c.usageName || c.usageName === c.birthName) return `${given} ${c.birthName}`;
  const born = c.sex === "M" ? "né" : c.sex === "F" ? "née" : "né(e)";
  return `${given} ${c.usageName} (${born} ${c.birthName})`;
}
