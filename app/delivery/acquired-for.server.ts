/**
 * What a candidate has acquired of a certification, for the candidate page and the jury room:
 * `acquiredFor(candidateId, certificationId, on?)` → the summary of app/domain/acquisitions.ts with bloc titles.
 * Competence-level decisions count a bloc as acquired when all of its competences were acquired in that decision.
 * A decision revised on appeal replaces the contested one; what the appeal did not change keeps the contested date.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { summariseAcquisitions, type AcquisitionTarget, type DecisionFact } from "~/domain/acquisitions";
import { acquiredSince } from "~/domain/appeal";
import { parseScheme } from "~/domain/scheme";
import { replacedDecisions } from "~/archive/list-decisions.server";
import { referentialTree, type ReferentialTree } from "~/live/sessions/referential-tree.server";

type Db = Prisma.TransactionClient | typeof prisma;

/** What a decision is read with to count its acquisitions (its référentiel's tree: from memory, referentialTree). */
export const ACQUISITION_DECISION_INCLUDE = {
  items: true,
  dossier: { select: { candidateId: true, certificationId: true, referentialVersion: { select: { id: true, publishedAt: true } } } },
} satisfies Prisma.JuryDecisionInclude;

/** What a certification is read with: its latest published référentiel (the blocs required when no decision names one). */
export const ACQUISITION_CERTIFICATION_INCLUDE = {
  versions: { where: { publishedAt: { not: null } }, orderBy: { version: "desc" }, take: 1, include: { blocs: { orderBy: { position: "asc" } } } },
} satisfies Prisma.CertificationInclude;

type AcquisitionDecision = Prisma.JuryDecisionGetPayload<{ include: typeof ACQUISITION_DECISION_INCLUDE }>;
type Trees = Map<string, ReferentialTree>;

/** The référentiel trees of these decisions' dossiers (a published version's from memory, decision 0011). */
async function treesOf(db: Db, decisions: readonly AcquisitionDecision[]): Promise<Trees> {
  const trees: Trees = new Map();
  for (const version of new Map(decisions.map((d) => [d.dossier.referentialVersion.id, d.dossier.referentialVersion])).values()) {
    trees.set(version.id, await referentialTree(db, version));
  }
  return trees;
}
type AcquisitionCertification = Prisma.CertificationGetPayload<{ include: typeof ACQUISITION_CERTIFICATION_INCLUDE }>;

export async function acquisitionFactsOf(db: Db, candidateId: string, certificationId: string) {
  const all = await db.juryDecision.findMany({
    where: { dossier: { candidateId, certificationId } },
    include: ACQUISITION_DECISION_INCLUDE,
    orderBy: { decidedAt: "asc" },
  });
  // A decision replaced by an upheld appeal no longer counts: the revised decision does.
  const replaced = all.length
    ? await db.appeal.findMany({ where: { decisionId: { in: all.map((d) => d.id) }, newDecisionId: { not: null } }, select: { decisionId: true, newDecisionId: true } })
    : [];
  const certification = await db.certification.findUniqueOrThrow({ where: { id: certificationId }, include: ACQUISITION_CERTIFICATION_INCLUDE });
  return acquisitionFactsFrom(all, replaced, certification, await treesOf(db, all));
}

/**
 * The facts of `all` (one candidate's decisions on `certification`, oldest first) but those an upheld appeal replaced (`replaced`:
 * the appeals with their revised decision), the blocs required and their titles. Pure: callers reading many candidates at once batch the queries.
 */
export function acquisitionFactsFrom(
  all: AcquisitionDecision[],
  replaced: { decisionId: string; newDecisionId: string | null }[],
  certification: AcquisitionCertification,
  trees: Trees,
) {
  const replacedIds = new Set(replaced.map((a) => a.decisionId));
  const decisions = all.filter((d) => !replacedIds.has(d.id));
  const blocsOf = (decision: AcquisitionDecision) => trees.get(decision.dossier.referentialVersion.id) ?? [];
  const latest = decisions.at(-1);
  const latestBlocs: ReadonlyArray<{ id: string; code: string; title: string }> = latest ? blocsOf(latest) : (certification.versions[0]?.blocs ?? []);
  const blocTitles = new Map<string, string>();
  for (const decision of decisions) for (const bloc of blocsOf(decision)) blocTitles.set(bloc.id, bloc.title);
  const required = latestBlocs.map((bloc) => {
    blocTitles.set(bloc.id, bloc.title);
    return { target: "BLOC" as AcquisitionTarget, targetId: bloc.id, code: bloc.code };
  });
  const factOf = (decision: (typeof all)[number]): DecisionFact => {
    const blocItems = decision.items.filter((item) => item.target === "BLOC");
    const fromCompetences = blocsOf(decision)
      .filter((bloc) => !blocItems.some((item) => item.targetId === bloc.id))
      .filter((bloc) => bloc.competences.length > 0 && decision.items.some((item) => bloc.competences.some((c) => c.id === item.targetId)))
      .map((bloc) => ({
        target: "BLOC" as const,
        targetId: bloc.id,
        code: bloc.code,
        acquired: bloc.competences.every((c) => decision.items.some((item) => item.targetId === c.id && item.acquired)),
      }));
    return {
      decisionId: decision.id,
      decidedAt: decision.decidedAt,
      overall: decision.overall,
      items: [
        ...blocItems.map((item) => ({ target: "BLOC" as const, targetId: item.targetId, code: item.code, acquired: item.acquired })),
        ...fromCompetences,
      ],
    };
  };
  const facts = decisions.map((decision) => {
    const fact = factOf(decision);
    // Revised on appeal: what the contested decision had already acquired keeps its date.
    const contested = all.find((d) => d.id === replaced.find((a) => a.newDecisionId === decision.id)?.decisionId);
    if (!contested) return fact;
    const since = acquiredSince(factOf(contested), fact);
    return { ...fact, items: fact.items.map((item) => ({ ...item, acquiredAt: since.get(item.targetId) })) };
  });
  return { facts, required, blocTitles, certification };
}

/** Acquired blocs with their validity end, missing blocs and the 90-day warning, as of `on` (default now). */
export async function acquiredFor(candidateId: string, certificationId: string, on: Date = new Date()) {
  const facts = await acquisitionFactsOf(prisma, candidateId, certificationId);
  const dossier = await prisma.dossier.findFirst({ where: { candidateId, certificationId }, orderBy: { createdAt: "desc" } });
  return summaryOf(facts, dossier?.positionedAt ?? null, on);
}

/**
 * `acquiredFor` of many (candidate, certification) pairs of an organisation in four queries (the dashboard's list of
 * expiring partial validations), keyed `candidateId:certificationId`.
 */
export async function acquiredForMany(organisationId: string, pairs: { candidateId: string; certificationId: string }[], on: Date = new Date()) {
  if (pairs.length === 0) return new Map<string, ReturnType<typeof summaryOf>>();
  const candidateIds = [...new Set(pairs.map((p) => p.candidateId))];
  const certificationIds = [...new Set(pairs.map((p) => p.certificationId))];
  const ofPairs = { organisationId, candidateId: { in: candidateIds }, certificationId: { in: certificationIds } };
  const [all, replaced, certifications, dossiers] = await Promise.all([
    prisma.juryDecision.findMany({ where: { dossier: ofPairs }, include: ACQUISITION_DECISION_INCLUDE, orderBy: { decidedAt: "asc" } }),
    replacedDecisions(organisationId),
    prisma.certification.findMany({ where: { id: { in: certificationIds } }, include: ACQUISITION_CERTIFICATION_INCLUDE }),
    prisma.dossier.findMany({ where: ofPairs, orderBy: { createdAt: "desc" }, select: { candidateId: true, certificationId: true, positionedAt: true } }),
  ]);
  const trees = await treesOf(prisma, all);
  const summaries = new Map<string, ReturnType<typeof summaryOf>>();
  for (const { candidateId, certificationId } of pairs) {
    const certification = certifications.find((c) => c.id === certificationId);
    if (!certification) continue;
    const decisions = all.filter((d) => d.dossier.candidateId === candidateId && d.dossier.certificationId === certificationId);
    const dossier = dossiers.find((d) => d.candidateId === candidateId && d.certificationId === certificationId);
    summaries.set(`${candidateId}:${certificationId}`, summaryOf(acquisitionFactsFrom(decisions, replaced, certification, trees), dossier?.positionedAt ?? null, on));
  }
  return summaries;
}

function summaryOf({ facts, required, blocTitles, certification }: ReturnType<typeof acquisitionFactsFrom>, positionedAt: Date | null, on: Date) {
  const scheme = parseScheme(certification.scheme);
  const windowStart = certification.kind === "CLEA" ? positionedAt : null;
  const summary = summariseAcquisitions(facts, required, { partialValidityYears: scheme.partialValidityYears, windowStart }, on);
  const title = (id: string) => blocTitles.get(id) ?? "";
  return {
    ...summary,
    acquisitions: summary.acquisitions.map((a) => ({ ...a, title: title(a.targetId) })),
    missing: summary.missing.map((m) => ({ ...m, title: title(m.targetId) })),
  };
}
