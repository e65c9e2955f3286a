/**
 * Per-certification scheme rules, stored as JSON on the certification and validated here. Pure, no I/O.
 * Only what the live grid needs today; the back office extends it (aggregation, validity, jury rules…).
 */
import { z } from "zod";

export const scaleLevelSchema = z.object({
  value: z.string().min(1),
  label: z.string().min(1),
  /** Counts as mastered / acquired for aggregation and for the comment rule. */
  positive: z.boolean(),
});

export const schemeSchema = z.object({
  scale: z.object({
    kind: z.literal("levels"),
    levels: z.array(scaleLevelSchema).min(2),
  }),
  /** "notPositive": a comment is mandatory when the result is not a positive level (UIMM rule). */
  commentRequired: z.enum(["never", "notPositive", "always"]),
  partialValidityYears: z.number().int().positive().nullable(),
  companyOpinionRequired: z.boolean(),
  evaluatorMustNotBeTrainer: z.boolean(),
});

export type Scheme = z.infer<typeof schemeSchema>;
export type ScaleLevel = z.infer<typeof scaleLevelSchema>;

export function parseScheme(value: unknown): Scheme {
  return schemeSchema.parse(value);
}

export function isCommentRequired(scheme: Scheme, result: string | null | undefined): boolean {
  if (!result) return false;
  if (scheme.commentRequired === "always") return true;
  if (scheme.commentRequired === "never") return false;
  const level = scheme.scale.levels.find((l) => l.value === result);
  return level ? !level.positive : false;
}
