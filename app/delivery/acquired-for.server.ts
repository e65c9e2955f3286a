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

type Db = Prisma.TransactionClient | typeof prisma;

export async function acquisitionFactsOf(db: Db, candidateId: string, certificationId: string) {
  const all = await db.juryDecision.findMany({
    where: { dossier: { candidateId, certificationId } },
    include: { items: true, dossier: { include: { referentialVersion: { include: { blocs: { include: { competences: true } } } } } } },
    orderBy: { decidedAt: "asc" },
  });
  // A decision replaced by an upheld appeal no longer counts: the revised decision does.
  const replaced = await db.appeal.findMany({
    where: { decisionId: { in: all.map((d) => d.id) }, newDecisionId: { not: null } },
    select: { decisionId: true, newDecisionId: true },
  });
  const decisions = all.filter((d) => !replaced.some((a) => a.decisionId === d.id));
  const certification = await db.certification.findUniqueOrThrow({
    where: { id: certificationId },
    include: { versions: { where: { publishedAt: { not: null } }, orderBy: { version: "desc" }, take: 1, include: { blocs: { orderBy: { position: "asc" } } } } },
  });
  const latestVersion = decisions.at(-1)?.dossier.referentialVersion ?? certification.versions[0];
  const blocTitles = new Map<string, string>();
  for (const decision of decisions) for (const bloc of decision.dossier.referentialVersion.blocs) blocTitles.set(bloc.id, bloc.title);
  const required = (latestVersion?.blocs ?? []).map((bloc) => {
    blocTitles.set(bloc.id, bloc.title);
    return { target: "BLOC" as AcquisitionTarget, targetId: bloc.id, code: bloc.code };
  });
  const factOf = (decision: (typeof all)[number]): DecisionFact => {
    const blocItems = decision.items.filter((item) => item.target === "BLOC");
    const fromCompetences = decision.dossier.referentialVersion.blocs
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
  const { facts, required, blocTitles, certification } = await acquisitionFactsOf(prisma, candidateId, certificationId);
  const scheme = parseScheme(certification.scheme);
  const dossier = await prisma.dossier.findFirst({ where: { candidateId, certificationId }, orderBy: { createdAt: "desc" } });
  const windowStart = certification.kind === "CLEA" ? (dossier?.positionedAt ?? null) : null;
  const summary = summariseAcquisitions(facts, required, { partialValidityYears: scheme.partialValidityYears, windowStart }, on);
  const title = (id: string) => blocTitles.get(id) ?? "";
  return {
    ...summary,
    acquisitions: summary.acquisitions.map((a) => ({ ...a, title: title(a.targetId) })),
    missing: summary.missing.map((m) => ({ ...m, title: title(m.targetId) })),
  };
}
