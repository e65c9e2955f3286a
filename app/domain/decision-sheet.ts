/**
 * The fiche de décision of one candidate (the « Guide du jury paritaire »): per bloc and competence the evaluators'
 * opinion (the commission's result and each evaluator's own assessment) and the jury's decision (followed, or
 * overturned with its reason), the overall decision (the blocs or competences acquired, or the adjournment's
 * reason), the votes as tallies or consensus, the préconisations, the date and the jury's composition at the time of
 * the decision. Pure, no I/O: app/live/jury/decision-sheet-facts.server.ts gathers the facts into this content,
 * which is sealed (canonical JSON) and printed by the PDF renderer through `decisionSheetSections`.
 *
 * Secret votes: the content has no place for a voter next to a choice — votes are tallies only, whatever the mode.
 */
import { SEAT_LABELS, type SeatRole } from "./access";
import { STATUS_LABELS, type OutcomeStatus } from "./aggregation";
import { DECIDED_ON_APPEAL, decisionWithoutOverallVote, OVERALL_DECISION_LABELS, type DecisionMethodCode, type OverallDecision } from "./jury-decision";
import { type SheetTally } from "./jury-vote";

export { labelTallies, type SheetTally } from "./jury-vote";
import { COLLEGE_IN_SENTENCE, type College } from "./college";
import { frenchDate, frenchTime } from "./minutes";
import { candidateLine } from "./format";
import { VOTING_ROLES } from "./quorum";
import { decodeResult, scaleLevels, type Scale } from "./scales";

export const DECISION_SHEET_TITLE = "Fiche de décision du jury";

export type SheetJuryChoice = { acquired: boolean; followed: boolean; reason: string | null };
export type SheetCompetence = {
  code: string;
  statement: string;
  /** The commission's consolidated result, as the scale labels it (« Acquis », « 14 / 20 »…). */
  commissionResult: string;
  commissionOutcome: OutcomeStatus;
  /** Each evaluator's own assessment, where the grid holds one. */
  evaluators: Array<{ name: string; assessment: string }>;
  /** The jury's decision on this competence (granularity « competence »). */
  jury: SheetJuryChoice | null;
};
export type SheetBloc = {
  code: string;
  title: string;
  commissionOutcome: OutcomeStatus;
  competences: SheetCompetence[];
  /** The jury's decision on this bloc (granularity « bloc »). */
  jury: SheetJuryChoice | null;
};
export type SheetVote = {
  question: string;
  mode: "CONSENSUS" | "OPEN" | "SECRET";
  /** Totals per choice; never who chose what. */
  tallies: SheetTally[];
  result: string | null;
  tie: boolean;
  castingVote: string | null;
  consensus: string | null;
  finishedAt: string | null;
  /** A consensus gone back on (absent otherwise): it no longer settled its question. */
  withdrawn?: { at: string; by: string; reason: string };
};
export type SheetMember = {
  name: string;
  role: SeatRole;
  college: College | null;
  status: "present" | "represented" | "absent";
  representedBy: string | null;
  /** Why the member took no part in this candidate's decision (conflict of interest, trainer, evaluator). */
  recused: string | null;
};

export type DecisionSheetContent = {
  organisation: { name: string; legalName: string };
  certification: { title: string; code: string; kindLabel: string; version: number } | null;
  session: { title: string; date: string; place: string };
  candidate: { name: string; sex: "F" | "M" | null; birthDate: string | null };
  dossierRoute: "FORMATION" | "VAE" | "BLOCS";
  granularity: "bloc" | "competence";
  evaluation: {
    sessionTitle: string;
    evaluatedAt: string;
    signedAt: string | null;
    evaluators: Array<{ name: string; profile: string | null }>;
  } | null;
  blocs: SheetBloc[];
  decision: {
    overall: OverallDecision;
    method: DecisionMethodCode;
    decidedAt: string;
    decidedBy: string;
    adjournmentReason: string | null;
    castingVoteUsed: boolean;
    /** The overall vote's totals (when the overall decision was voted). */
    tallies: SheetTally[] | null;
    /** Codes acquired / not acquired (blocs, or competences when the jury decided competence by competence). */
    acquired: string[];
    notAcquired: string[];
  };
  votes: SheetVote[];
  conformity: { acknowledged: boolean; nonConformities: string[]; unverifiable: string[]; remarks: string[] };
  composition: SheetMember[];
};

/** What the signers sign: the content and the préconisations as frozen from their Yjs document. */
export type SealedDecisionSheet = { sheet: DecisionSheetContent; preconisations: string };

/**
 * Who signs a candidate's fiche de décision (before its submission freezes them): whoever presided when the decision
 * was recorded (else the president, else the vice-president), never a member recused for this candidate; and, when the
 * scheme says so (jury.membersSignDecision), the other voting members present when it was recorded. Read by the
 * document kind (app/signing/kinds/decision) and by the pending signatures of a closed jury's sheets not submitted yet.
 */
export function decisionSheetSigners<S extends { userId: string; role: SeatRole }>(
  seats: readonly S[],
  decision: { decidedById: string; recused: ReadonlyMap<string, string> | ReadonlySet<string>; presentThen: ReadonlySet<string>; membersSignDecision: boolean },
): S[] {
  const eligible = seats.filter((s) => VOTING_ROLES.has(s.role) && !decision.recused.has(s.userId));
  const presiding =
    eligible.find((s) => s.userId === decision.decidedById) ??
    eligible.find((s) => s.role === "PRESIDENT") ??
    eligible.find((s) => s.role === "VICE_PRESIDENT");
  const others = decision.membersSignDecision ? eligible.filter((s) => s !== presiding && decision.presentThen.has(s.userId)) : [];
  return [...(presiding ? [presiding] : []), ...others];
}

/** Longest préconisations a sheet can be signed with. */
export const MAX_PRECONISATIONS = 20_000;

export const ROUTE_LABELS = { FORMATION: "Formation", VAE: "VAE", BLOCS: "Blocs de compétences" } as const;
const PROFILE_LABELS: Record<string, string> = { PROFESSIONAL: "professionnel(le) du secteur", EXTERNAL: "évaluateur(rice) externe" };
/** « 9 h 42 ». */
const hourMinute = (d: Date) => frenchTime(d);
const BORN = { F: "née", M: "né", X: "né(e)" } as const;
const MODE_LABELS = { CONSENSUS: "consensus", OPEN: "vote à main levée", SECRET: "vote à bulletin secret" } as const;

/** A grid value as its scale labels it. */
export function resultLabel(scale: Scale, raw: string | null | undefined): string {
  const value = decodeResult(scale, raw);
  if (!value) return "Non évalué";
  if ("level" in value) return scaleLevels(scale)?.find((l) => l.value === value.level)?.label ?? value.level;
  if ("score" in value) return scale.kind === "marks" ? `${value.score} / ${scale.max}` : `${value.score} %`;
  return `${value.criteriaMet.length} critère(s) satisfait(s)`;
}

/**
 * Who was present, represented (by whom) or absent at `at`, from the émargement and the proxies (a proxy counts
 * while its holder is present).
 */
export function attendanceAt(
  members: ReadonlyArray<{ userId: string; name: string }>,
  attendance: ReadonlyArray<{ userId: string; kind: "ARRIVED" | "LEFT"; at: Date }>,
  proxies: ReadonlyArray<{ giverId: string; holderId: string; grantedAt: Date; revokedAt: Date | null }>,
  at: Date,
): Map<string, { status: SheetMember["status"]; representedBy: string | null }> {
  const present = new Set<string>();
  for (const event of [...attendance].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (event.at.getTime() > at.getTime()) break;
    if (event.kind === "ARRIVED") present.add(event.userId);
    else present.delete(event.userId);
  }
  const nameOf = (id: string) => members.find((m) => m.userId === id)?.name ?? "?";
  const result = new Map<string, { status: SheetMember["status"]; representedBy: string | null }>();
  for (const m of members) {
    if (present.has(m.userId)) {
      result.set(m.userId, { status: "present", representedBy: null });
      continue;
    }
    const proxy = proxies.find(
      (p) =>
        p.giverId === m.userId &&
        p.grantedAt.getTime() <= at.getTime() &&
        (p.revokedAt === null || p.revokedAt.getTime() > at.getTime()) &&
        present.has(p.holderId),
    );
    result.set(m.userId, proxy ? { status: "represented", representedBy: nameOf(proxy.holderId) } : { status: "absent", representedBy: null });
  }
  return result;
}

function juryText(choice: SheetJuryChoice): string {
  const what = choice.acquired ? "acquis" : "non acquis";
  if (choice.followed) return `${what} (avis de la commission suivi)`;
  return `${what} (avis de la commission non suivi${choice.reason ? ` : ${choice.reason}` : ""})`;
}

function talliesText(tallies: SheetTally[] | null): string {
  if (!tallies) return "sans décompte";
  return tallies.length ? tallies.map((t) => `${t.label} : ${t.count}`).join(", ") : "aucune voix";
}

function voteLine(v: SheetVote): string {
  const head = `${v.question} — ${MODE_LABELS[v.mode]}`;
  if (v.mode === "CONSENSUS") {
    const withdrawn = v.withdrawn
      ? ` — consensus retiré le ${frenchDate(new Date(v.withdrawn.at))} à ${hourMinute(new Date(v.withdrawn.at))} par ${v.withdrawn.by} (motif : ${v.withdrawn.reason.trim().replace(/[.\s]+$/, "")})`
      : "";
    return `${head} : ${v.consensus ?? "sans conclusion"}${withdrawn}.`;
  }
  const result = v.result ?? (v.tie ? "égalité" : "pas de majorité");
  // A vote annulled (a member who took part in it declared a conflict of interest afterwards): it decided nothing.
  const annulled = v.withdrawn
    ? ` — vote annulé le ${frenchDate(new Date(v.withdrawn.at))} à ${hourMinute(new Date(v.withdrawn.at))} (motif : ${v.withdrawn.reason.trim().replace(/[.\s]+$/, "")})`
    : "";
  return `${head} : ${talliesText(v.tallies)} → ${result}${v.castingVote ? ` (voix prépondérante : ${v.castingVote})` : ""}${annulled}.`;
}

function statusText(m: SheetMember): string {
  if (m.status === "present") return "présent(e)";
  if (m.status === "represented") return `représenté(e) par ${m.representedBy ?? "?"}`;
  return "absent(e)";
}

export type SheetSection = { key: string; heading: string; paragraphs: string[] };

/** The sheet as text sections (the PDF prints them; nothing else is printed but the certificate page). */
export function decisionSheetSections(sealed: SealedDecisionSheet): { title: string; sections: SheetSection[] } {
  const s = sealed.sheet;
  const d = s.decision;
  const decidedAt = new Date(d.decidedAt);
  const sections: SheetSection[] = [];
  const cert = s.certification;
  sections.push({
    key: "identity",
    heading: "Candidat(e) et certification",
    paragraphs: [
      `${candidateLine(s.candidate.name)}${s.candidate.birthDate ? `, ${BORN[s.candidate.sex ?? "X"]} le ${frenchDate(new Date(s.candidate.birthDate))}` : ""}.`,
      cert ? `Certification : ${cert.title} — ${cert.kindLabel ? `${cert.kindLabel} ` : ""}${cert.code}, référentiel version ${cert.version}.` : "Certification : non renseignée.",
      `Parcours : ${ROUTE_LABELS[s.dossierRoute]}.`,
      `Instance : ${s.organisation.legalName}.`,
      `Jury : ${s.session.title}, le ${frenchDate(new Date(s.session.date))}, ${s.session.place}.`,
    ],
  });
  if (s.evaluation) {
    const e = s.evaluation;
    sections.push({
      key: "evaluation",
      heading: "Évaluation",
      paragraphs: [
        `${e.sessionTitle}, le ${frenchDate(new Date(e.evaluatedAt))} ; grille ${e.signedAt ? `signée le ${frenchDate(new Date(e.signedAt))}` : "non signée"}.`,
        `Évaluateurs : ${e.evaluators.length ? e.evaluators.map((x) => `${x.name}${x.profile && PROFILE_LABELS[x.profile] ? ` (${PROFILE_LABELS[x.profile]})` : ""}`).join(", ") : "non renseignés"}.`,
      ],
    });
  }
  const byBloc = s.granularity === "bloc";
  for (const bloc of s.blocs) {
    const paragraphs: string[] = [`Avis de la commission sur le bloc : ${STATUS_LABELS[bloc.commissionOutcome]}.`];
    if (byBloc && bloc.jury) paragraphs.push(`Décision du jury sur le bloc : ${juryText(bloc.jury)}.`);
    for (const c of bloc.competences) {
      const opinions = c.evaluators.length ? ` ; évaluateurs : ${c.evaluators.map((e) => `${e.name} — ${e.assessment}`).join(", ")}` : "";
      paragraphs.push(`${c.code} ${c.statement} — commission : ${c.commissionResult}${opinions}.`);
      if (!byBloc && c.jury) paragraphs.push(`Décision du jury sur ${c.code} : ${juryText(c.jury)}.`);
    }
    sections.push({ key: `bloc-${bloc.code}`, heading: `Bloc ${bloc.code} — ${bloc.title}`, paragraphs });
  }
  const words = byBloc
    ? { acquired: "Blocs acquis", missing: "Blocs restant à acquérir", none: "aucun" }
    : { acquired: "Compétences acquises", missing: "Compétences restant à acquérir", none: "aucune" };
  const how =
    d.method === "APPEAL"
      ? DECIDED_ON_APPEAL
      : d.method === "CONSENSUS"
      ? decisionWithoutOverallVote(s.votes.filter((v) => v.mode !== "CONSENSUS").length).replace(" ci-dessus", " rapportés plus bas")
      : `${MODE_LABELS[d.method]} (${talliesText(d.tallies)})${d.castingVoteUsed ? ", avec voix prépondérante" : ""}`;
  const decision = [`Décision d'ensemble : ${OVERALL_DECISION_LABELS[d.overall]}, ${how}.`];
  if (d.overall === "ADJOURNED") decision.push(`Motif de l'ajournement : ${d.adjournmentReason ?? "non précisé"}.`);
  else {
    decision.push(`${words.acquired} : ${d.acquired.length ? d.acquired.join(", ") : words.none}.`);
    if (d.overall !== "TOTAL") decision.push(`${words.missing} : ${d.notAcquired.length ? d.notAcquired.join(", ") : words.none}.`);
  }
  decision.push(`Décision prise le ${frenchDate(decidedAt)} à ${hourMinute(decidedAt)}, présidence : ${d.decidedBy}.`);
  sections.push({ key: "decision", heading: "Décision du jury", paragraphs: decision });
  sections.push({
    key: "votes",
    heading: "Votes et consensus",
    paragraphs: s.votes.length ? s.votes.map(voteLine) : [`Aucun vote : décision prise ${d.method === "APPEAL" ? DECIDED_ON_APPEAL : "par consensus"}.`],
  });
  sections.push({
    key: "conformity",
    heading: "Conformité de la démarche",
    paragraphs: [
      s.conformity.nonConformities.length
        ? `Non-conformités examinées : ${s.conformity.nonConformities.join(" ; ")}.`
        : "Aucune non-conformité.",
      ...(s.conformity.unverifiable.length ? [`Points non vérifiables : ${s.conformity.unverifiable.join(" ; ")}.`] : []),
      ...(s.conformity.acknowledged ? ["Contrôle de conformité confirmé par le jury."] : []),
      ...s.conformity.remarks.map((r) => `Remarque du jury : ${r}`),
    ],
  });
  sections.push({
    key: "preconisations",
    heading: "Préconisations",
    paragraphs: [sealed.preconisations.trim() || "Aucune préconisation."],
  });
  sections.push({
    key: "composition",
    heading: "Composition du jury lors de la décision",
    paragraphs: s.composition.map(
      (m) =>
        `${m.name} — ${SEAT_LABELS[m.role]}${m.college ? `, ${COLLEGE_IN_SENTENCE[m.college]}` : ""} : ${statusText(m)}${m.recused ? ` ; ne prend pas part à la décision (${m.recused})` : ""}.`,
    ),
  });
  return { title: DECISION_SHEET_TITLE, sections };
}

/** The acquired and missing codes of a decision (blocs, or competences decided one by one). */
export function acquiredCodes(items: ReadonlyArray<{ code: string; acquired: boolean }>): { acquired: string[]; notAcquired: string[] } {
  return { acquired: items.filter((i) => i.acquired).map((i) => i.code), notAcquired: items.filter((i) => !i.acquired).map((i) => i.code) };
}
