/**
 * What a commission grid may hold, from its référentiel version and its scheme's scale: the competences its keys
 * name, and the values of the scale for each of them. The document server checks every update of a grid against it
 * (realtime/yjs/grid-schema.ts); it is built when a connection's access is resolved (app/live/sessions/
 * access.server.ts), so the check per update is a lookup. Pure.
 *
 * A value fits when the grid's own input could have written it (app/components/live/result-input.tsx) and the grid
 * page and the signing read it as a result of the scale (`decodeResult`, `assessResult`):
 * - levels: exactly one of the scale's level values (the drop-down's, and what `consolidate` proposes);
 * - marks, percentage: a number within the scale (0 to the maximum mark, 0 to 100);
 * - criteria ratio: criteria ids of that competence, comma-separated, or « - » (none met).
 * An empty choice deletes the key (nothing to check).
 */
import { assessResult, decodeResult, type CompetenceSpec, type Scale } from "./scales";

export type GridVocabulary = {
  /** Whether `competenceId` is a competence of the grid's référentiel version. */
  has(competenceId: string): boolean;
  /** Whether `value` is a result of the scale for the competence `competenceId` (false for an unknown competence). */
  fits(competenceId: string, value: string): boolean;
};

export function gridVocabulary(scale: Scale, competences: readonly CompetenceSpec[]): GridVocabulary {
  const byId = new Map(competences.map((competence) => [competence.id, competence]));
  if (scale.kind === "levels") {
    const levels = new Set(scale.levels.map((level) => level.value));
    return { has: (id) => byId.has(id), fits: (id, value) => byId.has(id) && levels.has(value) };
  }
  return {
    has: (id) => byId.has(id),
    fits(id, value) {
      const competence = byId.get(id);
      if (!competence) return false;
      const result = decodeResult(scale, value);
      if (!result) return false;
      try {
        assessResult(scale, competence, result);
        return true;
      } catch {
        return false; // InvalidResultError: out of the scale
      }
    },
  };
}

/** A grid whose référentiel is unknown (a session without one): no competence, so no result, comment or score. */
export const EMPTY_GRID_VOCABULARY: GridVocabulary = { has: () => false, fits: () => false };
