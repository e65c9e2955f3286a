/**
 * The completeness and conformity checklist of one dossier: gathers the facts from the database and lets the
 * pure rules (app/domain/completeness.ts) judge them. Used by the dossier page, the status changes, and the jury
 * planning ("only complete dossiers can be put on a jury agenda").
 *
 *   const { complete, missing } = await getDossierCompleteness(dossierId, organisationId);
 *   const byDossier = await getDossiersCompleteness(dossierIds, organisationId);   // a list: two queries in all
 *   await assertDossierComplete(dossierId, organisationId, tx);   // inside a transaction: pass tx
 */
import { CANDIDATE_IDENTITY_SELECT } from "~/back-office/candidates/get-candidate.server";
import { referentialTree, type ReferentialTree } from "~/live/sessions/referential-tree.server";
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

/** What the checklist reads of a dossier (one dossier or many: the same select; a list may read it with its own). */
export const DOSSIER_FACTS_SELECT = {
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
  // Its blocs and competences come from referentialTree() (kept in memory once published, decision 0011).
  referentialVersion: { select: { id: true, publishedAt: true } },
  blocs: { select: { blocId: true } },
  evidence: { select: { kind: true } },
  candidate: {
    select: CANDIDATE_IDENTITY_SELECT,
  },
} satisfies Prisma.DossierSelect;

export type CompletenessDossier = Prisma.DossierGetPayload<{ select: typeof DOSSIER_FACTS_SELECT }>;
type TrainerSeat = { role: string; session: { title: string; kind: DossierFacts["trainerSeats"][number]["sessionKind"] } };

/** The dossier's facts and rules, from its row and the seats its trainer holds in sessions about this candidate. */
function dossierFacts(dossier: CompletenessDossier, seats: readonly TrainerSeat[], blocs: ReferentialTree) {
  const { candidate } = dossier;
  const positioning =
    dossier.positioning && typeof dossier.positioning === "object" && !Array.isArray(dossier.positioning)
      ? (dossier.positioning as Record<string, string>)
      : null;

  const facts: DossierFacts = {
    route: dossier.route as DossierRoute,
    identityGaps: identityGaps(candidate).map((gap) => IDENTITY_GAP_LABELS[gap]),
    blocs,
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

function completenessOf({ dossier, facts, rules }: ReturnType<typeof dossierFacts>): DossierCompleteness {
  return { dossierId: dossier.id, status: dossier.status, route: dossier.route, ...computeChecklist(facts, rules) };
}

/** The dossier's facts for the checklist; 404 when the dossier is not in this organisation. */
export async function loadDossierFacts(db: Db, dossierId: string, organisationId: string) {
  const dossier = await db.dossier.findFirst({ where: { id: dossierId, organisationId }, select: DOSSIER_FACTS_SELECT });
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
  return dossierFacts(dossier, seats, await referentialTree(db, dossier.referentialVersion));
}

/** The checklist of a dossier of this organisation (404 otherwise). Pass `tx` when inside a transaction. */
export async function getDossierCompleteness(dossierId: string, organisationId: string, db: Db = prisma): Promise<DossierCompleteness> {
  return completenessOf(await loadDossierFacts(db, dossierId, organisationId));
}

/**
 * The checklists of many dossiers of this organisation in two queries whatever their number (the dashboard's
 * to-do list, the jury room): the same facts and rules as getDossierCompleteness, keyed by dossier id. Dossiers
 * not in this organisation are left out (no 404: the caller listed them).
 */
export async function getDossiersCompleteness(
  dossierIds: readonly string[],
  organisationId: string,
  db: Db = prisma,
  /** These dossiers already read with DOSSIER_FACTS_SELECT's parts (those of another organisation are left out). */
  known?: ReadonlyArray<CompletenessDossier & { organisationId: string }>,
): Promise<Map<string, DossierCompleteness>> {
  if (dossierIds.length === 0) return new Map();
  const dossiers = known
    ? known.filter((d) => d.organisationId === organisationId && dossierIds.includes(d.id))
    : await db.dossier.findMany({ where: { id: { in: [...dossierIds] }, organisationId }, select: DOSSIER_FACTS_SELECT });
  const trainerIds = [...new Set(dossiers.flatMap((d) => (d.candidate.trainerId ? [d.candidate.trainerId] : [])))];
  const candidateIds = [...new Set(dossiers.map((d) => d.candidate.id))];
  const ids = dossiers.map((d) => d.id);
  const trees = new Map<string, ReferentialTree>();
  for (const version of new Map(dossiers.map((d) => [d.referentialVersion.id, d.referentialVersion])).values()) {
    trees.set(version.id, await referentialTree(db, version));
  }
  // The trainers' seats in sessions about any of these candidates, with what makes a session about one of them.
  const seats = trainerIds.length
    ? await db.sessionMember.findMany({
        where: {
          userId: { in: trainerIds },
          session: { organisationId, OR: [{ slots: { some: { candidateId: { in: candidateIds } } } }, { agenda: { some: { dossierId: { in: ids } } } }] },
        },
        select: {
          userId: true,
          role: true,
          session: {
            select: {
              title: true,
              kind: true,
              slots: { where: { candidateId: { in: candidateIds } }, select: { candidateId: true } },
              agenda: { where: { dossierId: { in: ids } }, select: { dossierId: true } },
            },
          },
        },
      })
    : [];
  return new Map(
    dossiers.map((d) => {
      const own = seats.filter(
        (s) =>
          s.userId === d.candidate.trainerId &&
          (s.session.slots.some((x) => x.candidateId === d.candidate.id) || s.session.agenda.some((x) => x.dossierId === d.id)),
      );
      return [d.id, completenessOf(dossierFacts(d, own, trees.get(d.referentialVersion.id)!))];
    }),
  );
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
