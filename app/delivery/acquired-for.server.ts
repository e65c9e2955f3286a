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
import { organisationCertifications } from "~/back-office/certifications/list-certifications.server";
import { referentialTree, type ReferentialTree } from "~/live/sessions/referential-tree.server";

type Db = Prisma.TransactionClient | typeof prisma;

/** What a decision is read with to count its acquisitions (its référentiel's tree: from memory, referentialTree). */
export const ACQUISITION_DECISION_SELECT = {
  id: true,
  decidedAt: true,
  overall: true,
  items: { select: { target: true, targetId: true, code: true, acquired: true } },
  dossier: { select: { candidateId: true, certificationId: true, referentialVersion: { select: { id: true, publishedAt: true } } } },
} satisfies Prisma.JuryDecisionSelect;

/**
 * What a certification is read with: its kind and scheme, and its référentiel versions (the latest published one's blocs,
 * from memory, are those required when no decision names one). The organisation's list of certifications reads as much.
 */
export const ACQUISITION_CERTIFICATION_SELECT = {
  id: true,
  kind: true,
  scheme: true,
  versions: { orderBy: { version: "desc" }, select: { id: true, version: true, publishedAt: true } },
} satisfies Prisma.CertificationSelect;

/** A decision as its acquisitions are counted (ACQUISITION_DECISION_SELECT, or any read that selects as much). */
export type AcquisitionDecision = Prisma.JuryDecisionGetPayload<{ select: typeof ACQUISITION_DECISION_SELECT }>;
type Trees = Map<string, ReferentialTree>;

/** The référentiel trees of these decisions' dossiers (a published version's from memory, decision 0011). */
async function treesOf(db: Db, decisions: readonly AcquisitionDecision[]): Promise<Trees> {
  const trees: Trees = new Map();
  for (const version of new Map(decisions.map((d) => [d.dossier.referentialVersion.id, d.dossier.referentialVersion])).values()) {
    trees.set(version.id, await referentialTree(db, version));
  }
  return trees;
}
type CertificationRow = Prisma.CertificationGetPayload<{ select: typeof ACQUISITION_CERTIFICATION_SELECT }>;
/** A certification as acquisitions read it: its kind, its scheme and the blocs of its latest published référentiel. */
type AcquisitionCertification = { kind: string; scheme: CertificationRow["scheme"]; latestBlocs: ReadonlyArray<{ id: string; code: string; title: string }> };

async function acquisitionCertification(db: Db, certification: Pick<CertificationRow, "kind" | "scheme" | "versions">): Promise<AcquisitionCertification> {
  const latest = certification.versions.find((v) => v.publishedAt !== null);
  return { kind: certification.kind, scheme: certification.scheme, latestBlocs: latest ? await referentialTree(db, latest) : [] };
}

export async function acquisitionFactsOf(db: Db, candidateId: string, certificationId: string) {
  const all = await db.juryDecision.findMany({
    where: { dossier: { candidateId, certificationId } },
    select: ACQUISITION_DECISION_SELECT,
    orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
  });
  // A decision replaced by an upheld appeal no longer counts: the revised decision does.
  const replaced = all.length
    ? await db.appeal.findMany({ where: { decisionId: { in: all.map((d) => d.id) }, newDecisionId: { not: null } }, select: { decisionId: true, newDecisionId: true } })
    : [];
  const certification = await db.certification.findUniqueOrThrow({ where: { id: certificationId }, select: ACQUISITION_CERTIFICATION_SELECT });
  return acquisitionFactsFrom(all, replaced, await acquisitionCertification(db, certification), await treesOf(db, all));
}

/**
 * The facts of `all` (one candidate's decisions on `certification`, oldest first) but those an upheld appeal replaced (`replaced`:
 * the appeals with their revised decision), the blocs required and their titles. Pure: callers reading many candidates at once batch the queries.
 */
export function acquisitionFactsFrom(
  all: readonly AcquisitionDecision[],
  replaced: { decisionId: string; newDecisionId: string | null }[],
  certification: AcquisitionCertification,
  trees: Trees,
) {
  const replacedIds = new Set(replaced.map((a) => a.decisionId));
  const decisions = all.filter((d) => !replacedIds.has(d.id));
  const blocsOf = (decision: AcquisitionDecision) => trees.get(decision.dossier.referentialVersion.id) ?? [];
  const latest = decisions.at(-1);
  const latestBlocs: ReadonlyArray<{ id: string; code: string; title: string }> = latest ? blocsOf(latest) : certification.latestBlocs;
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
 * `acquiredFor` of many (candidate, certification) pairs of an organisation, keyed `candidateId:certificationId`, in
 * two queries whatever their number (their decisions, and the organisation's certifications shared with the page),
 * plus their dossiers' positioning dates when one of the certifications is CléA (its 5-year window starts there).
 * `decisions`: the organisation's jury decisions, oldest first, when the page has read them already (the desk).
 */
export async function acquiredForMany(
  organisationId: string,
  pairs: { candidateId: string; certificationId: string }[],
  on: Date = new Date(),
  known: { decisions?: readonly AcquisitionDecision[] } = {},
) {
  if (pairs.length === 0) return new Map<string, ReturnType<typeof summaryOf>>();
  const candidateIds = [...new Set(pairs.map((p) => p.candidateId))];
  const certificationIds = [...new Set(pairs.map((p) => p.certificationId))];
  const ofPairs = { organisationId, candidateId: { in: candidateIds }, certificationId: { in: certificationIds } };
  const [all, replaced, certifications] = await Promise.all([
    known.decisions ??
      prisma.juryDecision.findMany({ where: { dossier: ofPairs }, select: ACQUISITION_DECISION_SELECT, orderBy: [{ decidedAt: "asc" }, { id: "asc" }] }),
    replacedDecisions(organisationId),
    organisationCertifications(organisationId),
  ]);
  const wanted = new Set(certificationIds);
  const clea = certifications.some((c) => wanted.has(c.id) && c.kind === "CLEA");
  const dossiers = clea
    ? await prisma.dossier.findMany({ where: ofPairs, orderBy: { createdAt: "desc" }, select: { candidateId: true, certificationId: true, positionedAt: true } })
    : [];
  const pairKeys = new Set(pairs.map((p) => `${p.candidateId}:${p.certificationId}`));
  const ofPair = new Map<string, AcquisitionDecision[]>();
  for (const decision of all) {
    const key = `${decision.dossier.candidateId}:${decision.dossier.certificationId}`;
    if (!pairKeys.has(key)) continue;
    const list = ofPair.get(key) ?? [];
    list.push(decision);
    ofPair.set(key, list);
  }
  const trees = await treesOf(prisma, [...ofPair.values()].flat());
  const summaries = new Map<string, ReturnType<typeof summaryOf>>();
  for (const { candidateId, certificationId } of pairs) {
    const row = certifications.find((c) => c.id === certificationId);
    if (!row) continue;
    const key = `${candidateId}:${certificationId}`;
    const certification = await acquisitionCertification(prisma, row);
    const dossier = dossiers.find((d) => d.candidateId === candidateId && d.certificationId === certificationId);
    summaries.set(key, summaryOf(acquisitionFactsFrom(ofPair.get(key) ?? [], replaced, certification, trees), dossier?.positionedAt ?? null, on));
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
