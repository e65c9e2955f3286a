/**
 * Per-certification scheme rules, stored as JSON on the certification and validated here. Pure, no I/O.
 *
 * Every rule that varies between branches is a setting here, never a hard-coded rule: the scale, how competence
 * results roll up to blocs and to the certification, when a comment is mandatory, whether the company's opinion is
 * required, how long a partial validation lasts, the VAE minimum experience, the evaluator ≠ trainer rule and the
 * jury's quorum rules. Fields added after the first schemes were stored are optional with defaults, so a stored
 * scheme of the first shape (`{scale:{kind:"levels",…}, commentRequired, partialValidityYears,
 * companyOpinionRequired, evaluatorMustNotBeTrainer}`) still parses.
 */
import { z } from "zod";
import { choiceOf } from "./form-choice";
import { endOfParisDay, parisDayOf } from "./paris-date";
import {
  assessResult,
  decodeResult,
  describeScale,
  InvalidResultError,
  LEVEL_PRESETS,
  scaleSchema,
  type CompetenceSpec,
  type ResultValue,
  type Scale,
} from "./scales";

export {
  scaleLevelSchema,
  scaleSchema,
  type Scale,
  type ScaleLevel,
  type ResultValue,
  type CompetenceSpec,
} from "./scales";

export const COMMENT_RULES = ["never", "notPositive", "always"] as const;
export type CommentRule = (typeof COMMENT_RULES)[number];
export const COMMENT_RULE_LABELS: Record<CommentRule, string> = {
  never: "Jamais obligatoire",
  notPositive: "Obligatoire quand la compétence n'est pas acquise (règle UIMM)",
  always: "Toujours obligatoire",
};

export const blocRuleSchema = z.discriminatedUnion("rule", [
  /** The bloc is acquired when every competence is. */
  z.object({ rule: z.literal("allCompetences") }),
  /** The bloc is acquired when at least `ratio` % of its competences are. */
  z.object({
    rule: z.literal("minRatio"),
    ratio: z
      .number()
      .finite()
      .min(1, "La proportion de compétences va de 1 à 100 %.")
      .max(100, "La proportion de compétences va de 1 à 100 %."),
  }),
  /**
   * Numeric scales: the bloc is acquired when the weighted average of its competences reaches `passMark`
   * (and, with `everyCompetenceMustPass`, every competence reaches its own threshold: « chaque domaine ≥ 10 »).
   */
  z.object({
    rule: z.literal("weightedAverage"),
    passMark: z.number().finite().nonnegative("Le seuil du bloc ne peut être négatif."),
    everyCompetenceMustPass: z.boolean().default(false),
  }),
]);
export type BlocRule = z.output<typeof blocRuleSchema>;
export const BLOC_RULE_LABELS: Record<BlocRule["rule"], string> = {
  allCompetences: "Toutes les compétences du bloc sont acquises",
  minRatio: "Une proportion minimale des compétences du bloc est acquise",
  weightedAverage: "La moyenne pondérée du bloc atteint le seuil (notes, pourcentages)",
};

export const aggregationSchema = z.object({
  bloc: blocRuleSchema.default({ rule: "allCompetences" }),
  /** Numeric scales: total delivery also needs the weighted average of all competences to reach this (« finale ≥ 12 »). */
  finalPassMark: z.number().finite().nonnegative("La moyenne finale ne peut être négative.").nullable().default(null),
  /** Whether acquired blocs are validated on their own (attestation de blocs) when the certification is not. */
  partialAllowed: z.boolean().default(true),
});
export type Aggregation = z.output<typeof aggregationSchema>;

export const CASTING_VOTES = ["president", "employerChair", "none"] as const;
export type CastingVoteRule = (typeof CASTING_VOTES)[number];
export const CASTING_VOTE_LABELS: Record<CastingVoteRule, string> = {
  president: "Le président (voix prépondérante)",
  employerChair: "Le président ou vice-président du collège employeurs (voix prépondérante)",
  none: "Aucune voix prépondérante",
};

export const VOTE_MODES = ["consensus", "open", "secret"] as const;
export type VoteMode = (typeof VOTE_MODES)[number];
export const VOTE_MODE_LABELS: Record<VoteMode, string> = {
  consensus: "Consensus",
  open: "Vote à main levée (nominatif)",
  secret: "Vote à bulletin secret",
};

export const MAJORITY_BASES = ["present", "presentOrRepresented"] as const;
export type MajorityBase = (typeof MAJORITY_BASES)[number];
export const MAJORITY_BASE_LABELS: Record<MajorityBase, string> = {
  present: "Majorité absolue des membres présents",
  presentOrRepresented: "Majorité absolue des membres présents ou représentés",
};

export const DECISION_GRANULARITIES = ["bloc", "competence"] as const;
export type DecisionGranularity = (typeof DECISION_GRANULARITIES)[number];
export const DECISION_GRANULARITY_LABELS: Record<DecisionGranularity, string> = {
  bloc: "Bloc par bloc",
  competence: "Compétence par compétence",
};

export const juryRulesSchema = z.object({
  /** Members present (or represented, if proxies are allowed) required in each college. */
  minPerCollege: z
    .number()
    .int("Le minimum par collège est un nombre entier.")
    .min(0, "Le minimum par collège va de 0 à 20.")
    .max(20, "Le minimum par collège va de 0 à 20.")
    .default(1),
  /** Members present (or represented) required in all. */
  minTotal: z
    .number()
    .int("Le minimum total est un nombre entier.")
    .min(1, "Le minimum total va de 1 à 50.")
    .max(50, "Le minimum total va de 1 à 50.")
    .default(2),
  /** Paritary balance: as many members (present or represented) in each college. */
  equalColleges: z.boolean().default(false),
  proxiesAllowed: z.boolean().default(false),
  /** Proxies one present member may hold at once. */
  proxiesMaxPerHolder: z
    .number()
    .int("Le nombre de procurations est un nombre entier.")
    .min(1, "Le nombre de procurations par membre va de 1 à 10.")
    .max(10, "Le nombre de procurations par membre va de 1 à 10.")
    .default(1),
  castingVote: choiceOf(CASTING_VOTES, "Choisissez qui a voix prépondérante.").default("president"),
  /** Vote modes the president may choose from, and the one proposed. */
  voteModes: z
    .array(choiceOf(VOTE_MODES, "Mode de décision inconnu."))
    .min(1, "Choisissez au moins un mode de décision.")
    .default(["consensus", "open", "secret"]),
  defaultVoteMode: choiceOf(VOTE_MODES, "Choisissez le mode de décision proposé.").default("open"),
  /**
   * "present": absolute majority of the members present (proxies count for quorum only);
   * "presentOrRepresented": of the members present or represented (a proxy holder also votes for the giver).
   */
  majorityBase: choiceOf(MAJORITY_BASES, "Choisissez la base de la majorité.").default("present"),
  decisionGranularity: choiceOf(DECISION_GRANULARITIES, "Choisissez si le jury décide bloc par bloc ou compétence par compétence.").default("bloc"),
  /** Whether the members (not only the president) sign each fiche de décision. */
  membersSignDecision: z.boolean().default(false),
  /** Whether the jury only proposes and the CPNE(FP) validates the decisions. */
  cpneValidation: z.boolean().default(false),
  appealsAllowed: z.boolean().default(true),
  /** Days the candidate has to appeal from notification; null = no deadline set. */
  appealDeadlineDays: z
    .number()
    .int("Le délai de recours est un nombre entier de jours.")
    .min(1, "Le délai de recours va de 1 à 365 jours.")
    .max(365, "Le délai de recours va de 1 à 365 jours.")
    .nullable()
    .default(60),
  /** Whether the members (not only the president) sign the minutes. */
  membersSignMinutes: z.boolean().default(false),
});
export type JuryRules = z.output<typeof juryRulesSchema>;

const numericScale = (scale: Scale) => scale.kind === "marks" || scale.kind === "percentage";
const scaleMax = (scale: Scale) => (scale.kind === "marks" ? scale.max : 100);

export const schemeSchema = z
  .object({
    scale: scaleSchema,
    aggregation: aggregationSchema.default({}),
    /** "notPositive": a comment is mandatory when the result is not positive (UIMM rule). */
    commentRequired: choiceOf(COMMENT_RULES, "Choisissez quand un commentaire est obligatoire.").default("notPositive"),
    /** Years a partial validation (acquired blocs) stays valid from the decision; null = for life. */
    partialValidityYears: z
      .number()
      .int("La durée de validité est un nombre entier d'années.")
      .min(1, "La durée de validité va de 1 à 99 ans.")
      .max(99, "La durée de validité va de 1 à 99 ans.")
      .nullable()
      .default(5),
    companyOpinionRequired: z.boolean().default(false),
    evaluatorMustNotBeTrainer: z.boolean().default(false),
    /** Observers may download the candidate's identity documents (evidence of kind IDENTITY); default no. */
    observersMayDownloadIdentity: z.boolean().default(false),
    /** The evaluation needs a pair: a professional of the sector and an external evaluator (CQP Assistant(e) de formation). */
    evaluatorPairRequired: z.boolean().default(false),
    /** VAE admissibility: minimum experience in months; null = no minimum (the law sets none any more). */
    vaeMinExperienceMonths: z
      .number()
      .int("L'expérience minimale est un nombre entier de mois.")
      .min(0, "L'expérience minimale va de 0 à 600 mois.")
      .max(600, "L'expérience minimale va de 0 à 600 mois.")
      .nullable()
      .default(null),
    jury: juryRulesSchema.default({}),
  })
  .superRefine((scheme, ctx) => {
    const { scale, aggregation, jury } = scheme;
    if (scale.kind === "marks") {
      if (scale.passMark > scale.max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["scale", "passMark"],
          message: `Le seuil d'une compétence ne peut dépasser la note maximale (${scale.max}).`,
        });
      }
      for (const [code, threshold] of Object.entries(scale.thresholds)) {
        if (threshold > scale.max) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["scale", "thresholds", code],
            message: `Le seuil de ${code} dépasse la note maximale (${scale.max}).`,
          });
        }
      }
      if (scale.step > scale.max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["scale", "step"], message: "Le pas dépasse la note maximale." });
      }
    }
    if (aggregation.bloc.rule === "weightedAverage") {
      if (!numericScale(scale)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["aggregation", "bloc", "rule"],
          message: "La moyenne pondérée ne s'applique qu'aux notes et aux pourcentages.",
        });
      } else if (aggregation.bloc.passMark > scaleMax(scale)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["aggregation", "bloc", "passMark"],
          message: `Le seuil du bloc ne peut dépasser ${scaleMax(scale)}.`,
        });
      }
    }
    if (aggregation.finalPassMark !== null) {
      if (!numericScale(scale)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["aggregation", "finalPassMark"],
          message: "Une moyenne finale ne s'applique qu'aux notes et aux pourcentages.",
        });
      } else if (aggregation.finalPassMark > scaleMax(scale)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["aggregation", "finalPassMark"],
          message: `La moyenne finale exigée ne peut dépasser ${scaleMax(scale)}.`,
        });
      }
    }
    if (!jury.voteModes.includes(jury.defaultVoteMode)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["jury", "defaultVoteMode"],
        message: "Le mode de décision proposé doit faire partie des modes admis.",
      });
    }
    if (jury.minTotal < 2 * jury.minPerCollege) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["jury", "minTotal"],
        message: `Le minimum total doit être au moins le double du minimum par collège (${2 * jury.minPerCollege}).`,
      });
    }
  });

export type Scheme = z.output<typeof schemeSchema>;
/** What may be stored: later fields may be left out, they take their defaults. */
export type SchemeInput = z.input<typeof schemeSchema>;

/**
 * Parsed schemes by their JSON: a page reads the same certification's scheme on every request, and the validation
 * (defaults, cross-field rules) cost more than the rest of some loaders. The parsed scheme is deep-frozen and shared.
 * Also by the stored value itself (the object read from the database, never changed afterwards): a page going through
 * a thousand decisions of one certification asks for its scheme a thousand times with the same object, and writing
 * its JSON each time was most of the desk's time (2,000 decisions: 350 ms of 1 s sampled).
 */
const parsedSchemes = new Map<string, Scheme>();
const parsedByValue = new WeakMap<object, Scheme>();
const PARSED_SCHEMES_MAX = 200;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function parseScheme(value: unknown): Scheme {
  const byValue = value !== null && typeof value === "object" ? parsedByValue.get(value) : undefined;
  if (byValue) return byValue;
  const key = JSON.stringify(value);
  if (key === undefined) return schemeSchema.parse(value);
  let scheme = parsedSchemes.get(key);
  if (!scheme) {
    scheme = deepFreeze(schemeSchema.parse(value));
    if (parsedSchemes.size >= PARSED_SCHEMES_MAX) parsedSchemes.delete(parsedSchemes.keys().next().value as string);
    parsedSchemes.set(key, scheme);
  }
  if (value !== null && typeof value === "object") parsedByValue.set(value, scheme);
  return scheme;
}

export function safeParseScheme(value: unknown): { ok: true; scheme: Scheme } | { ok: false; issues: SchemeIssue[] } {
  const result = schemeSchema.safeParse(value);
  if (result.success) return { ok: true, scheme: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  };
}
export type SchemeIssue = { path: string; message: string };

/**
 * Whether the grid must carry a comment for this result. `result` is the grid's text or a typed result; the
 * competence is needed by scales whose outcome depends on it (per-competence thresholds, criteria ratio).
 * A result that does not fit the scale requires nothing here (it is refused elsewhere).
 */
export function isCommentRequired(
  scheme: Scheme,
  result: string | ResultValue | null | undefined,
  competence?: CompetenceSpec,
): boolean {
  const value = typeof result === "string" || result == null ? decodeResult(scheme.scale, result) : result;
  if (!value) return false;
  if (scheme.commentRequired === "always") return true;
  if (scheme.commentRequired === "never") return false;
  try {
    return !assessResult(scheme.scale, competence ?? { id: "", code: "" }, value).positive;
  } catch (error) {
    if (error instanceof InvalidResultError) return false;
    throw error;
  }
}

/**
 * Last day a partial validation decided on `decisionDate` is valid: N years later (29 February falls back to
 * 28 February), or null when the scheme keeps partial validations for life. Calendar dates, in UTC.
 */
export function partialValidityEnd(scheme: Pick<Scheme, "partialValidityYears">, decisionDate: Date): Date | null {
  if (scheme.partialValidityYears === null) return null;
  // The day the jury decided, as France counts it: a decision at 00:30 in Paris (22:30 UTC the day before) dates from
  // that Paris day. A calendar day stored at midnight UTC is the same day in Paris.
  const [decidedYear, decidedMonth, decidedDay] = parisDayOf(decisionDate).split("-").map(Number);
  const year = decidedYear + scheme.partialValidityYears;
  const month = decidedMonth - 1;
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(decidedDay, lastDayOfMonth);
  return new Date(Date.UTC(year, month, day));
}

/**
 * Whether a partial validation decided on `decisionDate` is still valid on `on`: its last day is valid whole in
 * France, until 23:59:59.999 in Paris, as /verifier and the Open Badge count it (delivery-record `endOfValidity`).
 */
export function isPartialValidationValid(
  scheme: Pick<Scheme, "partialValidityYears">,
  decisionDate: Date,
  on: Date,
): boolean {
  const end = partialValidityEnd(scheme, decisionDate);
  return end === null || on.getTime() <= endOfParisDay(end.toISOString().slice(0, 10)).getTime();
}

/** VAE admissibility on the experience criterion only (the secretariat checks the rest of the file). */
export function isVaeExperienceSufficient(scheme: Pick<Scheme, "vaeMinExperienceMonths">, months: number): boolean {
  return scheme.vaeMinExperienceMonths === null || months >= scheme.vaeMinExperienceMonths;
}

/** French summary lines of a scheme, for the certification page. */
export function describeScheme(scheme: Scheme): Array<{ label: string; value: string }> {
  const { aggregation, jury } = scheme;
  const bloc = aggregation.bloc;
  const blocText =
    bloc.rule === "allCompetences"
      ? BLOC_RULE_LABELS.allCompetences
      : bloc.rule === "minRatio"
        ? `Au moins ${bloc.ratio} % des compétences du bloc acquises`
        : `Moyenne pondérée du bloc ≥ ${bloc.passMark}${bloc.everyCompetenceMustPass ? ", chaque compétence à son seuil" : ""}`;
  return [
    { label: "Échelle", value: describeScale(scheme.scale) },
    { label: "Validation d'un bloc", value: blocText },
    {
      label: "Délivrance totale",
      value: `Tous les blocs acquis${aggregation.finalPassMark !== null ? `, moyenne finale ≥ ${aggregation.finalPassMark}` : ""}`,
    },
    {
      label: "Validation partielle",
      value: !aggregation.partialAllowed
        ? "Non prévue"
        : scheme.partialValidityYears === null
          ? "Blocs acquis valables à vie"
          : `Blocs acquis valables ${scheme.partialValidityYears} an${scheme.partialValidityYears > 1 ? "s" : ""} à compter de la décision`,
    },
    { label: "Commentaire", value: COMMENT_RULE_LABELS[scheme.commentRequired] },
    { label: "Avis de l'entreprise", value: scheme.companyOpinionRequired ? "Obligatoire" : "Non requis" },
    {
      label: "VAE : expérience minimale",
      value: scheme.vaeMinExperienceMonths === null ? "Aucun minimum" : `${scheme.vaeMinExperienceMonths} mois`,
    },
    { label: "Évaluateur ≠ formateur", value: scheme.evaluatorMustNotBeTrainer ? "Exigé" : "Non exigé" },
    {
      label: "Jury",
      value: `${jury.minPerCollege} membre(s) au moins par collège, ${jury.minTotal} au total ; procurations ${
        jury.proxiesAllowed ? `admises (${jury.proxiesMaxPerHolder} au plus par membre)` : "non admises"
      } ; ${CASTING_VOTE_LABELS[jury.castingVote].toLowerCase()}`,
    },
    {
      label: "Délibération",
      value: `${DECISION_GRANULARITY_LABELS[jury.decisionGranularity]} ; ${MAJORITY_BASE_LABELS[jury.majorityBase].toLowerCase()} ; modes : ${jury.voteModes
        .map((m) => VOTE_MODE_LABELS[m].toLowerCase())
        .join(", ")} (proposé : ${VOTE_MODE_LABELS[jury.defaultVoteMode].toLowerCase()})${jury.equalColleges ? " ; parité des collèges exigée" : ""}${jury.cpneValidation ? " ; validation par la CPNE" : ""}`,
    },
    {
      label: "Signatures",
      value: `Fiches de décision : ${jury.membersSignDecision ? "président et membres" : "président"} ; procès-verbal : ${
        jury.membersSignMinutes ? "président et membres" : "président"
      }`,
    },
    {
      label: "Évaluateurs",
      value: `${scheme.evaluatorPairRequired ? "Binôme professionnel du secteur et évaluateur externe" : "Pas de binôme exigé"} ; pièce d'identité ${
        scheme.observersMayDownloadIdentity ? "téléchargeable" : "non téléchargeable"
      } par les observateurs`,
    },
    {
      label: "Recours",
      value: !jury.appealsAllowed
        ? "Non prévu"
        : jury.appealDeadlineDays === null
          ? "Admis"
          : `Admis dans les ${jury.appealDeadlineDays} jours`,
    },
  ];
}

/**
 * The starting rules of a new certification, from the usual practice of its kind; every one of them is then a
 * setting of the certification (page « Règles d'évaluation »), never a rule fixed by the kind.
 */
export function defaultSchemeFor(kind: "CQP" | "CQPM" | "CQPI" | "CCPM" | "CLEA" | "OTHER"): Scheme {
  switch (kind) {
    case "CLEA":
      return parseScheme({
        scale: { kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true },
        commentRequired: "notPositive",
        partialValidityYears: 5,
        evaluatorMustNotBeTrainer: true,
      });
    case "CQPM":
      return parseScheme({
        scale: { kind: "levels", levels: LEVEL_PRESETS.binary },
        commentRequired: "notPositive",
        partialValidityYears: 5,
        companyOpinionRequired: true,
      });
    case "CCPM":
      return parseScheme({
        scale: { kind: "levels", levels: LEVEL_PRESETS.binary },
        commentRequired: "notPositive",
        partialValidityYears: 5,
      });
    default:
      return parseScheme({
        scale: { kind: "levels", levels: LEVEL_PRESETS.acquiredPartial },
        commentRequired: "notPositive",
        partialValidityYears: 5,
      });
  }
}
