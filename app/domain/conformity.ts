/**
 * The conformity of the process for one candidate (« le jury vérifie la conformité de la démarche »): a checklist
 * computed from the dossier and its commission grids, which the jury confirms before deciding; each
 * non-conformity is acknowledged with a remark. Pure, no I/O.
 */
import { isCommentRequired, type CompetenceSpec, type Scheme } from "./scheme";
import { motiveProblem, MOTIVE_TOO_SHORT } from "./motive";
import { formatParisLongDate } from "./paris-date";

export type ConformityKey =
  | "dossierComplete"
  | "evaluatorsHabilitated"
  | "evaluatorPair"
  | "evaluatorNotTrainer"
  | "comments"
  | "gridSigned";

export const CONFORMITY_LABELS: Record<ConformityKey, string> = {
  dossierComplete: "Dossier complet",
  evaluatorsHabilitated: "Évaluateurs habilités à la date de l'évaluation",
  evaluatorPair: "Binôme d'évaluateurs (professionnel du secteur + évaluateur externe)",
  evaluatorNotTrainer: "Aucun évaluateur n'a formé le candidat",
  comments: "Commentaires présents là où le règlement les exige",
  gridSigned: "Grille signée par tous les évaluateurs",
};

export type ConformityStatus = "ok" | "nonConform" | "notApplicable" | "unverifiable";
export type ConformityItem = { key: ConformityKey; label: string; status: ConformityStatus; reason: string | null };
export type ConformityChecklist = {
  conform: boolean;
  items: ConformityItem[];
  nonConformities: ConformityItem[];
};

export type EvaluatorProfile = "PROFESSIONAL" | "EXTERNAL";

export type GridFacts = {
  /** When the candidate was evaluated (the commission's date). */
  evaluatedAt: Date;
  evaluators: Array<{
    userId: string;
    name: string;
    profile?: EvaluatorProfile | null;
    habilitations: Array<{ validFrom: Date; validUntil: Date }>;
  }>;
  /** The grid's consolidated result and comment per competence. */
  competences: Array<{ spec: CompetenceSpec; code: string; result: string | null; comment: string | null }>;
  signed: boolean;
  /** Evaluators who have not signed the current round. */
  missingSignerNames: string[];
  /** How the room names the grid (its commission and date), to say which grid a line is about. */
  label?: string;
};

export type ConformityFacts = {
  scheme: Pick<Scheme, "scale" | "commentRequired" | "evaluatorPairRequired" | "evaluatorMustNotBeTrainer">;
  dossierComplete: boolean;
  /** What the dossier checklist lists as missing (labels). */
  dossierMissing: string[];
  trainerId: string | null;
  trainerName: string | null;
  /**
   * Every commission grid of the candidate. Once one is signed by all, the jury decides on the signed grid(s): those
   * not signed yet are left out of the checks (`retainedGrids`), and the « signed by all » line names them.
   */
  grids: GridFacts[];
};

/** The grids the checks are about: the signed ones once there is one, else all (each then says what it lacks). */
export function retainedGrids(grids: readonly GridFacts[]): GridFacts[] {
  return grids.some((g) => g.signed) ? grids.filter((g) => g.signed) : [...grids];
}

const list = (names: string[]) => names.join(", ");

export function computeConformity(facts: ConformityFacts): ConformityChecklist {
  const items: ConformityItem[] = [];
  const add = (key: ConformityKey, status: ConformityStatus, reason: string | null = null) =>
    items.push({ key, label: CONFORMITY_LABELS[key], status, reason });
  const { scheme } = facts;
  const grids = retainedGrids(facts.grids);
  // Listed beside the signed grid in the room: said on the « signed by all » line, never passed over in silence.
  const leftOut = facts.grids.filter((g) => !grids.includes(g));
  const noGrid = "Aucune grille d'évaluation signée pour ce candidat.";

  add(
    "dossierComplete",
    facts.dossierComplete ? "ok" : "nonConform",
    facts.dossierComplete ? null : `Pièces ou étapes manquantes : ${list(facts.dossierMissing) || "non précisées"}.`,
  );

  if (grids.length === 0) add("evaluatorsHabilitated", "nonConform", noGrid);
  else {
    const unhabilitated = grids.flatMap((g) =>
      g.evaluators
        .filter(
          (e) =>
            !e.habilitations.some(
              (h) => h.validFrom.getTime() <= g.evaluatedAt.getTime() && g.evaluatedAt.getTime() <= h.validUntil.getTime(),
            ),
        )
        .map((e) => `${e.name} (le ${formatParisLongDate(g.evaluatedAt)})`),
    );
    add(
      "evaluatorsHabilitated",
      unhabilitated.length === 0 ? "ok" : "nonConform",
      unhabilitated.length === 0 ? null : `Sans habilitation valide : ${list(unhabilitated)}.`,
    );
  }

  if (!scheme.evaluatorPairRequired) add("evaluatorPair", "notApplicable", "Non exigé par le règlement.");
  else if (grids.length === 0) add("evaluatorPair", "nonConform", noGrid);
  else {
    const gaps = grids.flatMap((g) => {
      const profiles = new Set(g.evaluators.map((e) => e.profile ?? null));
      const missing: string[] = [];
      if (!profiles.has("PROFESSIONAL")) missing.push("un professionnel du secteur");
      if (!profiles.has("EXTERNAL")) missing.push("un évaluateur externe");
      return missing;
    });
    add("evaluatorPair", gaps.length === 0 ? "ok" : "nonConform", gaps.length === 0 ? null : `Il manque ${[...new Set(gaps)].join(" et ")}.`);
  }

  if (!facts.trainerId) {
    add(
      "evaluatorNotTrainer",
      scheme.evaluatorMustNotBeTrainer ? "unverifiable" : "notApplicable",
      facts.trainerName
        ? `Formateur hors de Quorum (${facts.trainerName}) : à vérifier par le jury.`
        : "Aucun formateur renseigné.",
    );
  } else {
    const trainerEvaluated = grids.some((g) => g.evaluators.some((e) => e.userId === facts.trainerId));
    add(
      "evaluatorNotTrainer",
      trainerEvaluated ? "nonConform" : "ok",
      trainerEvaluated ? `${facts.trainerName ?? "Le formateur"} a formé le candidat et l'a évalué.` : null,
    );
  }

  if (grids.length === 0) add("comments", "nonConform", noGrid);
  else {
    const missing = grids.flatMap((g) =>
      g.competences
        .filter((c) => isCommentRequired(scheme as Scheme, c.result, c.spec) && !c.comment?.trim())
        .map((c) => c.code),
    );
    add(
      "comments",
      missing.length === 0 ? "ok" : "nonConform",
      missing.length === 0 ? null : `Commentaire manquant : ${list([...new Set(missing)])}.`,
    );
  }

  if (grids.length === 0) add("gridSigned", "nonConform", noGrid);
  else {
    const unsigned = grids.filter((g) => !g.signed);
    const missing = (g: GridFacts) => (g.missingSignerNames.length > 0 ? `reste : ${list(g.missingSignerNames)}` : "non signée");
    const named = (g: GridFacts) => `${g.label ?? "une grille"} (${missing(g)})`;
    if (unsigned.length > 0) {
      const names = unsigned.flatMap((g) => g.missingSignerNames);
      add(
        "gridSigned",
        "nonConform",
        grids.length > 1 ? `Signature manquante : ${unsigned.map(named).join(" ; ")}.` : names.length > 0 ? `Signature manquante : ${list(names)}.` : "Grille non signée.",
      );
    } else {
      const signedOnes = grids.map((g) => g.label).filter((l): l is string => Boolean(l));
      add(
        "gridSigned",
        "ok",
        leftOut.length === 0
          ? null
          : `Vérifié sur la grille signée${signedOnes.length > 0 ? ` : ${list(signedOnes)}` : ""}. Pas encore signée par tous, donc non retenue : ${leftOut.map(named).join(" ; ")}.`,
      );
    }
  }

  const nonConformities = items.filter((i) => i.status === "nonConform");
  return { conform: nonConformities.length === 0, items, nonConformities };
}

/** Why this acknowledgement is refused (French, per field), or null: every non-conformity needs a remark. */
export function acknowledgementErrors(
  checklist: ConformityChecklist,
  remarks: Readonly<Record<string, string | null | undefined>>,
): Record<string, string> | null {
  const errors: Record<string, string> = {};
  for (const item of checklist.nonConformities) {
    const remark = remarks[item.key]?.trim() ?? "";
    if (!remark) errors[`remarks.${item.key}`] = `« ${item.label} » : indiquez la remarque du jury sur cette non-conformité.`;
    else if (motiveProblem(remark)) errors[`remarks.${item.key}`] = `« ${item.label} » : indiquez la remarque du jury sur cette non-conformité — ${MOTIVE_TOO_SHORT}.`;
    else if (remark.length > 2000) errors[`remarks.${item.key}`] = "La remarque ne peut dépasser 2000 caractères.";
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * The checklist as the jury acknowledged it, from what was stored then (its items; the demo's older rows hold the
 * whole checklist), or null when nothing usable was stored. The room, the minutes and the decision sheet show this
 * once acknowledged — not the checklist recomputed today, which a later piece, signature or rule change would alter.
 */
export function acknowledgedChecklist(stored: unknown): ConformityChecklist | null {
  const raw = Array.isArray(stored) ? stored : stored && typeof stored === "object" ? (stored as { items?: unknown }).items : null;
  if (!Array.isArray(raw)) return null;
  const items = raw.filter(
    (i): i is ConformityItem =>
      !!i && typeof i === "object" && typeof (i as ConformityItem).label === "string" && typeof (i as ConformityItem).status === "string",
  ).map((i) => ({ key: i.key, label: i.label, status: i.status, reason: typeof i.reason === "string" ? i.reason : null }));
  if (items.length === 0) return null;
  const nonConformities = items.filter((i) => i.status === "nonConform");
  return { conform: nonConformities.length === 0, items, nonConformities };
}
