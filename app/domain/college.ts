/**
 * The jury's two colleges (paritary composition): one source for their names in every sentence, label and
 * document.
 */
export type College = "EMPLOYER" | "EMPLOYEE";
export const COLLEGES: readonly College[] = ["EMPLOYER", "EMPLOYEE"];

/** « employeurs », « salariés »: after « collège » or « côté » in a sentence. */
export const COLLEGE_NAMES: Record<College, string> = { EMPLOYER: "employeurs", EMPLOYEE: "salariés" };

const byCollege = (label: (name: string) => string) =>
  Object.fromEntries(COLLEGES.map((college) => [college, label(COLLEGE_NAMES[college])])) as Record<College, string>;

/** « Collège employeurs »: a label on its own (a page, an e-mail, a select). */
export const COLLEGE_LABELS = byCollege((name) => `Collège ${name}`);
/** « collège employeurs »: inside a sentence (minutes, decision sheets). */
export const COLLEGE_IN_SENTENCE = byCollege((name) => `collège ${name}`);
/** « Employeurs »: a table's cell (the session archive's CSV). */
export const COLLEGE_CELLS = byCollege((name) => name.charAt(0).toUpperCase() + name.slice(1));
