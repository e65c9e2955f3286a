/**
 * Evaluation scales, pluggable per scheme: ordered levels (maîtrisé / non maîtrisé, acquis / partiellement acquis /
 * non acquis, acquis / en cours / non acquis…), marks out of N with weights and thresholds, percentages with a pass
 * mark, and criteria ratios (CléA). Pure, no I/O.
 *
 * A competence result is a `ResultValue`; in the live grid (a Yjs map of strings) it travels as text, see
 * `decodeResult` / `encodeResult`.
 */
import { z } from "zod";
import { printableText } from "./safe-text";

export const scaleLevelSchema = z.object({
  value: z.string().trim().min(1).max(40).superRefine(printableText()),
  label: z.string().trim().min(1).max(80).superRefine(printableText()),
  /** Counts as mastered / acquired for aggregation and for the comment rule. */
  positive: z.boolean(),
});
export type ScaleLevel = z.infer<typeof scaleLevelSchema>;

/** Weights (and per-competence thresholds) are keyed by competence code. */
const byCompetenceCode = z
  .record(z.string().min(1).max(32), z.number().finite().nonnegative("Un coefficient ou un seuil ne peut être négatif."))
  .default({});

export const levelsScaleSchema = z.object({
  kind: z.literal("levels"),
  levels: z
    .array(scaleLevelSchema)
    .min(2)
    .max(10)
    .superRefine((levels, ctx) => {
      const values = levels.map((l) => l.value);
      if (new Set(values).size !== values.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Deux niveaux de l'échelle ont la même valeur." });
      }
      if (!levels.some((l) => l.positive) || levels.every((l) => l.positive)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "L'échelle doit compter au moins un niveau acquis et au moins un niveau non acquis.",
        });
      }
    }),
});

export const marksScaleSchema = z.object({
  kind: z.literal("marks"),
  /** Marks out of `max` (20 in French practice). */
  max: z
    .number()
    .finite()
    .positive("La note maximale doit être positive.")
    .max(1000, "La note maximale ne peut dépasser 1000.")
    .default(20),
  /** Smallest difference between two marks (0.5: half points). */
  step: z.number().finite().positive("Le pas des notes doit être positif.").default(0.5),
  /** A competence is acquired from this mark up (e.g. 10/20), unless `thresholds` says otherwise for it. */
  passMark: z.number().finite().nonnegative("Le seuil ne peut être négatif.").default(10),
  weights: byCompetenceCode,
  thresholds: byCompetenceCode,
});

export const percentageScaleSchema = z.object({
  kind: z.literal("percentage"),
  /** A competence is acquired from this percentage up (70 % in the food sector). */
  passMark: z
    .number()
    .finite()
    .min(0, "Le seuil est un pourcentage de 0 à 100.")
    .max(100, "Le seuil est un pourcentage de 0 à 100.")
    .default(70),
  weights: byCompetenceCode,
});

export const criteriaRatioScaleSchema = z.object({
  kind: z.literal("criteriaRatio"),
  /** A competence is acquired when at least this share of its criteria is met (CléA historically 75 %). */
  ratio: z
    .number()
    .finite()
    .min(1, "La proportion de critères va de 1 à 100 %.")
    .max(100, "La proportion de critères va de 1 à 100 %.")
    .default(75),
  /** When true, every criterion marked mandatory must be met whatever the ratio. */
  mandatoryCriteria: z.boolean().default(true),
});

export const scaleSchema = z.discriminatedUnion("kind", [
  levelsScaleSchema,
  marksScaleSchema,
  percentageScaleSchema,
  criteriaRatioScaleSchema,
]);

export type Scale = z.output<typeof scaleSchema>;
export type ScaleInput = z.input<typeof scaleSchema>;
export type ScaleKind = Scale["kind"];
export type LevelsScale = z.output<typeof levelsScaleSchema>;
export type MarksScale = z.output<typeof marksScaleSchema>;
export type PercentageScale = z.output<typeof percentageScaleSchema>;
export type CriteriaRatioScale = z.output<typeof criteriaRatioScaleSchema>;

/** The level scales in use in the branches, ready to pick. */
export const LEVEL_PRESETS = {
  binary: [
    { value: "MAITRISE", label: "Maîtrisé", positive: true },
    { value: "NON_MAITRISE", label: "Non maîtrisé", positive: false },
  ],
  acquiredPartial: [
    { value: "ACQUIS", label: "Acquis", positive: true },
    { value: "PARTIEL", label: "Partiellement acquis", positive: false },
    { value: "NON_ACQUIS", label: "Non acquis", positive: false },
  ],
  acquiredInProgress: [
    { value: "ACQUIS", label: "Acquis", positive: true },
    { value: "EN_COURS", label: "En cours d'acquisition", positive: false },
    { value: "NON_ACQUIS", label: "Non acquis", positive: false },
  ],
} satisfies Record<string, ScaleLevel[]>;
export type LevelPreset = keyof typeof LEVEL_PRESETS;

export const LEVEL_PRESET_LABELS: Record<LevelPreset, string> = {
  binary: "Maîtrisé / non maîtrisé",
  acquiredPartial: "Acquis / partiellement acquis / non acquis",
  acquiredInProgress: "Acquis / en cours d'acquisition / non acquis",
};

/** The preset whose values and polarity match `levels` (labels may differ), or null for a custom scale. */
export function matchLevelPreset(levels: readonly ScaleLevel[]): LevelPreset | null {
  for (const [name, preset] of Object.entries(LEVEL_PRESETS) as Array<[LevelPreset, ScaleLevel[]]>) {
    if (
      preset.length === levels.length &&
      preset.every((p, i) => p.value === levels[i].value && p.positive === levels[i].positive)
    ) {
      return name;
    }
  }
  return null;
}

export const SCALE_KIND_LABELS: Record<ScaleKind, string> = {
  levels: "Niveaux (acquis / non acquis…)",
  marks: "Notes sur 20 (pondérées, avec seuils)",
  percentage: "Pourcentage avec seuil de réussite",
  criteriaRatio: "Proportion de critères satisfaits (CléA)",
};

/** A competence result on the scale of its scheme. */
export type ResultValue = { level: string } | { score: number } | { criteriaMet: string[] };

/** What a scale needs to know about a competence: its code (weights, thresholds) and its criteria (ratio). */
export type CompetenceSpec = {
  id: string;
  code: string;
  criteria?: ReadonlyArray<{ id: string; mandatory?: boolean }>;
};

export class InvalidResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidResultError";
  }
}

function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100).replace(".", ",");
}

/** The threshold from which a numeric result counts as acquired for `competence`. */
export function competencePassMark(scale: MarksScale | PercentageScale, competence: Pick<CompetenceSpec, "code">): number {
  if (scale.kind === "marks") return scale.thresholds[competence.code] ?? scale.passMark;
  return scale.passMark;
}

/** Weight of a competence in averages (1 unless the numeric scale says otherwise). */
export function competenceWeight(scale: Scale, competence: Pick<CompetenceSpec, "code">): number {
  if (scale.kind === "marks" || scale.kind === "percentage") return scale.weights[competence.code] ?? 1;
  return 1;
}

/**
 * Checks a result against the scale and says whether it is positive, with its score (mark, percentage, ratio in %)
 * when the scale has one. Throws InvalidResultError (French message) for a result that does not fit the scale.
 */
export function assessResult(
  scale: Scale,
  competence: CompetenceSpec,
  result: ResultValue,
): { positive: boolean; score: number | null } {
  switch (scale.kind) {
    case "levels": {
      if (!("level" in result)) throw new InvalidResultError("Résultat attendu : un niveau de l'échelle.");
      const level = scale.levels.find((l) => l.value === result.level);
      if (!level) throw new InvalidResultError(`Niveau inconnu pour cette échelle : « ${result.level} ».`);
      return { positive: level.positive, score: null };
    }
    case "marks": {
      if (!("score" in result) || !Number.isFinite(result.score)) {
        throw new InvalidResultError(`Résultat attendu : une note sur ${formatNumber(scale.max)}.`);
      }
      if (result.score < 0 || result.score > scale.max) {
        throw new InvalidResultError(`La note doit être comprise entre 0 et ${formatNumber(scale.max)}.`);
      }
      return { positive: result.score >= competencePassMark(scale, competence), score: result.score };
    }
    case "percentage": {
      if (!("score" in result) || !Number.isFinite(result.score)) {
        throw new InvalidResultError("Résultat attendu : un pourcentage.");
      }
      if (result.score < 0 || result.score > 100) {
        throw new InvalidResultError("Le pourcentage doit être compris entre 0 et 100.");
      }
      return { positive: result.score >= scale.passMark, score: result.score };
    }
    case "criteriaRatio": {
      if (!("criteriaMet" in result)) throw new InvalidResultError("Résultat attendu : la liste des critères satisfaits.");
      const criteria = competence.criteria ?? [];
      if (criteria.length === 0) {
        throw new InvalidResultError(`La compétence ${competence.code} n'a aucun critère : la proportion est incalculable.`);
      }
      const known = new Set(criteria.map((c) => c.id));
      const met = new Set(result.criteriaMet);
      for (const id of met) {
        if (!known.has(id)) throw new InvalidResultError(`Critère inconnu pour la compétence ${competence.code}.`);
      }
      const ratio = (met.size / criteria.length) * 100;
      const mandatoryOk = !scale.mandatoryCriteria || criteria.every((c) => !c.mandatory || met.has(c.id));
      // A tiny tolerance so that 3 of 4 criteria (75 %) meets a 75 % ratio despite floating point.
      return { positive: mandatoryOk && ratio + 1e-9 >= scale.ratio, score: ratio };
    }
  }
}

/** Text form of a result in the live grid: level value, decimal number, or comma-separated criterion ids. */
export function encodeResult(result: ResultValue): string {
  if ("level" in result) return result.level;
  if ("score" in result) return String(result.score);
  const ids = [...new Set(result.criteriaMet)].sort();
  return ids.length === 0 ? NO_CRITERION_MET : ids.join(",");
}

/**
 * Reads a grid value back into a result for `scale`; null when nothing was entered (or, for a criteria ratio, no
 * criterion is ticked yet) and for text that does not fit the scale's form (the grid then shows no outcome).
 */
export function decodeResult(scale: Scale, raw: string | null | undefined): ResultValue | null {
  const text = (raw ?? "").trim();
  if (text === "") return null;
  switch (scale.kind) {
    case "levels":
      return { level: text };
    case "marks":
    case "percentage": {
      const normalised = text.replace(",", ".").replace(/\s*%$/, "");
      if (!/^-?\d+(\.\d+)?$/.test(normalised)) return null;
      return { score: Number(normalised) };
    }
    case "criteriaRatio": {
      if (text === NO_CRITERION_MET) return { criteriaMet: [] };
      return { criteriaMet: text.split(",").map((s) => s.trim()).filter((s) => s !== "") };
    }
  }
}

/** « Aucun critère satisfait » is an explicit result in the grid, distinct from « non évalué ». */
export const NO_CRITERION_MET = "-";

/** The selectable levels of a levels scale (the grid's drop-down), or null for scales entered otherwise. */
export function scaleLevels(scale: Scale): readonly ScaleLevel[] | null {
  return scale.kind === "levels" ? scale.levels : null;
}

/** One line in French describing the scale, for summaries. */
export function describeScale(scale: Scale): string {
  switch (scale.kind) {
    case "levels":
      // « Acquis (acquis) » said nothing: the mark only where the label does not already say it.
      return scale.levels
        .map((l) => `${l.label}${l.positive && !/^acquis\b/i.test(l.label.trim()) ? " (acquis)" : ""}`)
        .join(" / ");
    case "marks": {
      const thresholds = Object.keys(scale.thresholds).length;
      const weights = Object.keys(scale.weights).length;
      return [
        `Notes sur ${formatNumber(scale.max)} (pas de ${formatNumber(scale.step)})`,
        `compétence acquise à partir de ${formatNumber(scale.passMark)}`,
        thresholds ? `${thresholds} seuil(s) propre(s) à une compétence` : null,
        weights ? `${weights} coefficient(s)` : null,
      ]
        .filter(Boolean)
        .join(", ");
    }
    case "percentage":
      return `Pourcentage, compétence acquise à partir de ${formatNumber(scale.passMark)} %`;
    case "criteriaRatio":
      return `Au moins ${formatNumber(scale.ratio)} % des critères satisfaits${
        scale.mandatoryCriteria ? ", dont tous les critères obligatoires" : ""
      }`;
  }
}

/**
 * Reads « C1 = 2 ; C2 = 1,5 » (weights or thresholds by competence code, one pair per comma, semicolon or line)
 * into a record; `errors` names each unreadable entry in French.
 */
export function parseCompetenceNumbers(raw: string): { values: Record<string, number>; errors: string[] } {
  const values: Record<string, number> = {};
  const errors: string[] = [];
  for (const entry of raw.split(/[;\n]|,(?!\d)/)) {
    const text = entry.trim();
    if (text === "") continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,31})\s*[=:]\s*(\d+(?:[.,]\d+)?)$/.exec(text);
    if (!match) {
      errors.push(`« ${text} » : écrivez le code de la compétence, « = » puis un nombre (ex. C1 = 2).`);
      continue;
    }
    if (match[1] in values) {
      errors.push(`La compétence ${match[1]} apparaît deux fois.`);
      continue;
    }
    values[match[1]] = Number(match[2].replace(",", "."));
  }
  return { values, errors };
}

/** The inverse of parseCompetenceNumbers, for the form. */
export function formatCompetenceNumbers(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([code, n]) => `${code} = ${String(n).replace(".", ",")}`)
    .join(" ; ");
}
