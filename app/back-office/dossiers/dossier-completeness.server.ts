/**
 * The completeness and conformity checklist of one dossier: gathers the facts from the database and lets the
 * pure rules (app/domain/completeness.ts) judge them. Used by the dossier page, the status changes, and the jury
 * planning ("only complete dossiers can be put on a jury agenda").
 *
 *   const { complete, missing } = await getDossierCompleteness(dossierId, organisationId);
 *   await assertDossierComplete(dossierId, organisationId, tx);   // inside a transaction: pass tx
 */
import { CANDIDATE_IDENTITY_SELECT } from "~/back-office/candidates/get-candidate.server";
import { REFERENTIAL_OUTLINE_SELECT } from "~/back-office/certifications/referential-tree.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import {
  completenessRulesFromScheme,
  computeChecklist,
  type Checklist,
  type DossierFacts,
  type DossierRoute,
  type DossierStatus,
  type VaeAdmissibility,
} from "~/domain/completeness";
import { IDENTITY_GAP_LABELS, identityGaps } from "~/domain/identity";
import { dossierNotFound } from "./find-dossier.server";

type Db = Prisma.TransactionClient | typeof prisma;

/** Seat roles that take part in evaluating or deciding (an observer or secretary does not). */
const EVALUATING_ROLES = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);

export type DossierCompleteness = Checklist & {
  dossierId: string;
  status: DossierStatus;
  route: DossierRoute;
};

/** The dossier's facts for the checklist; 404 when the dossier is not in this organisation. */
export async function loadDossierFacts(db: Db, dossierId: string, organisationId: string) {
  const dossier = await db.dossier.findFirst({
    where: { id: dossierId, organisationId },
    select: {
      id: true,
      status: true,
      route: true,
      positioning: true,
      positionedAt: true,
      companyOpinionFavourable: true,
      companyOpinionAt: true,
      vaeExperienceMonths: true,
      vaeAdmissibility: true,
      certification: { select: { scheme: true } },
      referentialVersion: {
        select: {
          ...REFERENTIAL_OUTLINE_SELECT,
        },
      },
      blocs: { select: { blocId: true } },
      evidence: { select: { kind: true } },
      candidate: {
        select: CANDIDATE_IDENTITY_SELECT,
      },
    },
  });
  if (!dossier) throw dossierNotFound();
  const { candidate } = dossier;

  // Sessions about this candidate where the trainer sits: commissions with the candidate's slot, juries with
  // this dossier on their agenda.
  const seats = candidate.trainerId
    ? await db.sessionMember.findMany({
        where: {
          userId: candidate.trainerId,
          session: {
            organisationId,
            OR: [{ slots: { some: { candidateId: candidate.id } } }, { agenda: { some: { dossierId: dossier.id } } }],
          },
        },
        select: { role: true, session: { select: { title: true, kind: true } } },
      })
    : [];

  const positioning =
    dossier.positioning && typeof dossier.positioning === "object" && !Array.isArray(dossier.positioning)
      ? (dossier.positioning as Record<string, string>)
      : null;

  const facts: DossierFacts = {
    route: dossier.route as DossierRoute,
    identityGaps: identityGaps(candidate).map((gap) => IDENTITY_GAP_LABELS[gap]),
    blocs: dossier.referentialVersion.blocs,
    targetedBlocIds: dossier.blocs.map((b) => b.blocId),
    positioning,
    positionedAt: dossier.positionedAt,
    evidenceKinds: dossier.evidence.map((e) => e.kind),
    companyOpinionFavourable: dossier.companyOpinionFavourable,
    companyOpinionAt: dossier.companyOpinionAt,
    vaeExperienceMonths: dossier.vaeExperienceMonths,
    vaeAdmissibility: dossier.vaeAdmissibility as VaeAdmissibility | null,
    trainer: candidate.trainer
      ? { kind: "user", name: candidate.trainer.displayName }
      : candidate.trainerName
        ? { kind: "external", name: candidate.trainerName }
        : { kind: "none" },
    trainerSeats: seats.map((s) => ({
      sessionTitle: s.session.title,
      sessionKind: s.session.kind,
      evaluates: EVALUATING_ROLES.has(s.role),
    })),
  };
  return {
    dossier: { id: dossier.id, status: dossier.status as DossierStatus, route: dossier.route as DossierRoute },
    facts,
    rules: completenessRulesFromScheme(dossier.certification.scheme),
  };
}

/** The checklist of a dossier of this organisation (404 otherwise). Pass `tx` when inside a transaction. */
export async function getDossierCompleteness(dossierId: string, organisationId: string, db: Db = prisma): Promise<DossierCompleteness> {
  const { dossier, facts, rules } = await loadDossierFacts(db, dossierId, organisationId);
  return { dossierId: dossier.id, status: dossier.status, route: dossier.route, ...computeChecklist(facts, rules) };
}

export class DossierIncompleteError extends Error {
  constructor(readonly completeness: DossierCompleteness) {
    super(
      `Dossier incomplet : ${completeness.missing.map((item) => `${item.label} — ${item.reason}`).join(" ; ")}`,
    );
    this.name = "DossierIncompleteError";
  }
}

/** Throws DossierIncompleteError (French message listing what is missing) unless the dossier is complete. */
export async function assertDossierComplete(dossierId: string, organisationId: string, db: Db = prisma): Promise<DossierCompleteness> {
  const completeness = await getDossierCompleteness(dossierId, organisationId, db);
  if (!completeness.complete) throw new DossierIncompleteError(completeness);
  return completeness;
}
