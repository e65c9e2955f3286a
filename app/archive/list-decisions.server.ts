/**
 * The organisation's decisions, from one place. Today the only decided outcome Quorum stores is the commission's
 * signed grid: its sealed results, aggregated by the certification's scheme, give total / partial / none. When
 * jury decisions and delivery records land, this function reads them instead (and keeps the grid only for passages
 * they do not cover): the dashboard, the figures, the declaration of holders and the CSV exports all read here.
 */
import { prisma } from "~/platform/db/db.server";
import { gridOutcome } from "~/domain/commission";
import { partialValidityEnd, parseScheme } from "~/domain/scheme";
import type { CertificationOutcomeKind } from "~/domain/aggregation";
import { parseGridContent } from "~/live/commission/grid-content";

export type DecisionFilter = { certificationId?: string | null; from?: Date | null; to?: Date | null };

export type Decision = {
  /** Stable key of what decided: "slot:<id>" for a signed grid. */
  sourceKey: string;
  source: "grid";
  sessionId: string;
  sessionTitle: string;
  candidateId: string;
  candidate: {
    birthName: string;
    usageName: string | null;
    givenNames: string;
    sex: string | null;
    birthDate: Date | null;
    birthPlace: string | null;
    birthCountry: string | null;
    birthCode: string | null;
  };
  certificationId: string;
  certificationCode: string;
  certificationTitle: string;
  decidedAt: Date;
  outcome: CertificationOutcomeKind;
  blocs: Array<{ id: string; code: string; title: string; acquired: boolean }>;
  /** When the candidate's dossier for this certification was opened, if there is one. */
  registeredAt: Date | null;
  /** Last day of validity of a partial validation (null: for life, or not partial). */
  partialValidUntil: Date | null;
};

export async function listDecisions(organisationId: string, filter: DecisionFilter = {}): Promise<Decision[]> {
  const slots = await prisma.sessionSlot.findMany({
    where: {
      gridStatus: "SIGNED",
      signedAt: { not: null, ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) },
      session: {
        organisationId,
        ...(filter.certificationId ? { referentialVersion: { certificationId: filter.certificationId } } : {}),
      },
    },
    orderBy: { signedAt: "asc" },
    select: {
      id: true,
      signedAt: true,
      sealedContent: true,
      dossierId: true,
      candidate: {
        select: {
          id: true,
          birthName: true,
          usageName: true,
          givenNames: true,
          sex: true,
          birthDate: true,
          birthPlace: true,
          birthCountry: true,
          birthCode: true,
          dossiers: { select: { id: true, certificationId: true, createdAt: true }, orderBy: { createdAt: "asc" } },
        },
      },
      session: {
        select: {
          id: true,
          title: true,
          referentialVersion: {
            select: {
              certification: { select: { id: true, code: true, title: true, scheme: true } },
              blocs: {
                orderBy: { position: "asc" },
                select: {
                  id: true,
                  code: true,
                  title: true,
                  competences: { orderBy: { position: "asc" }, select: { id: true, code: true, criteria: { select: { id: true, mandatory: true } } } },
                },
              },
            },
          },
        },
      },
    },
  });
  const decisions: Decision[] = [];
  for (const slot of slots) {
    const version = slot.session.referentialVersion;
    if (!version || !slot.signedAt) continue;
    const scheme = parseScheme(version.certification.scheme);
    const content = slot.sealedContent ? parseGridContent(JSON.stringify(slot.sealedContent)) : null;
    const outcome = gridOutcome(scheme, version.blocs, content?.result ?? {});
    const acquired = new Set(outcome.acquiredBlocIds);
    const { dossiers, ...candidate } = slot.candidate;
    const registeredAt =
      (dossiers.find((d) => d.id === slot.dossierId) ?? dossiers.find((d) => d.certificationId === version.certification.id))
        ?.createdAt ?? null;
    decisions.push({
      sourceKey: `slot:${slot.id}`,
      source: "grid",
      sessionId: slot.session.id,
      sessionTitle: slot.session.title,
      candidateId: candidate.id,
      candidate,
      certificationId: version.certification.id,
      certificationCode: version.certification.code,
      certificationTitle: version.certification.title,
      decidedAt: slot.signedAt,
      outcome: outcome.outcome,
      blocs: version.blocs.map((b) => ({ id: b.id, code: b.code, title: b.title, acquired: acquired.has(b.id) })),
      registeredAt,
      partialValidUntil: outcome.outcome === "partial" ? partialValidityEnd(scheme, slot.signedAt) : null,
    });
  }
  return decisions;
}

/**
 * Holders to declare to the Caisse des Dépôts: total deliveries. (A partial validation is not the certification:
 * it is not declared as a passage.) Replace the source here when delivery records exist.
 */
export async function listHolders(organisationId: string): Promise<Decision[]> {
  return (await listDecisions(organisationId)).filter((d) => d.outcome === "total");
}
