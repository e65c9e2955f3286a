/**
 * The grid document's layout (Yjs roots), shared by the browser and the server. Pure.
 * - `result`, `comment`: the commission's consolidated result and comment, keyed by competence id;
 * - `assessment`: each member's own result, keyed `<userId>|<competenceId>`;
 * - `synthesis`: the commission's synthesis (Y.Text).
 */
export const GRID_ROOTS = { result: "result", comment: "comment", assessment: "assessment", synthesis: "synthesis" } as const;

/** The synthesis's and a competence comment's limits (characters), enforced by the grid's schema (realtime/yjs/grid-schema.ts). */
export const SYNTHESIS_MAX_LENGTH = 50_000;
export const COMMENT_MAX_LENGTH = 5_000;

export const assessmentKey = (userId: string, competenceId: string) => `${userId}|${competenceId}`;

export type GridContent = {
  result: Record<string, string>;
  comment: Record<string, string>;
  assessment: Record<string, string>;
  synthesis: string;
};

/** Reads a grid's canonical JSON (see app/domain/canonical.ts) back into its parts. */
export function parseGridContent(canonical: string): GridContent {
  const raw = JSON.parse(canonical) as Record<string, unknown>;
  const record = (value: unknown): Record<string, string> => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  };
  return {
    result: record(raw.result),
    comment: record(raw.comment),
    assessment: record(raw.assessment),
    synthesis: typeof raw.synthesis === "string" ? raw.synthesis : "",
  };
}
