/**
 * The organisation's decisions, from one place: the jury's recorded decisions (JuryDecision and its items), once they
 * are final — the jury's session closed and, where the scheme asks for it, the CPNE's validation signed
 * (app/domain/decision-validation.ts) — and not replaced by an upheld appeal's revised decision, with the delivery
 * record issued for each. A signed commission grid alone is not a decision: the jury may overturn it. The dashboard,
 * the figures, the declaration of holders, the archive's decision filter and the CSV exports all read here.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { currentRequestScope, requestMemo } from "~/platform/http/request-scope.server";
import { CANDIDATE_CIVIL_SELECT } from "~/back-office/candidates/get-candidate.server";
import { certificationsById, organisationCertifications } from "~/back-office/certifications/list-certifications.server";
import { referentialTree, type ReferentialTree } from "~/live/sessions/referential-tree.server";
import { declaredCertificationCode } from "~/domain/certification";
import { decisionsFinality } from "~/domain/decision-validation";
import { partialValidityEnd, parseScheme } from "~/domain/scheme";
import type { ArchiveDecision } from "~/archive/documents/archive-kinds";

/** A holder's key, and its Caisse des Dépôts passage's: "decision:<id>" (legacy passages: "slot:<id>"). */
export const DECISION_KEY = "decision:";

export type DecisionFilter = { certificationId?: string | null; from?: Date | null; to?: Date | null };

/** The jury's overall decision: total / partial (blocs acquired) / none / adjourned. */
export type DecisionOutcome = ArchiveDecision;

export type Decision = {
  /** Stable key of what decided: "decision:<id>" for a jury decision. */
  sourceKey: string;
  decisionId: string;
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
  /** What the holders are declared under to the Caisse des Dépôts: the RNCP or RS code (domain/certification.ts). */
  declaredCertificationCode: string;
  certificationTitle: string;
  decidedAt: Date;
  outcome: DecisionOutcome;
  /** Whether the jury departed from the commission's outcome on at least one bloc or competence. */
  overturned: boolean;
  /** The référentiel's blocs; `judged`: decided in this decision (a later jury may decide only the missing ones). */
  blocs: Array<{ id: string; code: string; title: string; judged: boolean; acquired: boolean }>;
  /** When the candidate's dossier for this certification was opened. */
  registeredAt: Date;
  /** Last day of validity of a partial validation (null: for life, or not partial). */
  partialValidUntil: Date | null;
  /** The record issued for this decision (not a duplicate; the valid one when a rectified record replaced another), if any. */
  record: { id: string; kind: "PARCHEMIN" | "ATTESTATION"; number: string; issuedAt: Date; revoked: boolean } | null;
};

/**
 * What every jury decision of the organisation is read with, once per page: what the archive and the figures show,
 * what the desk's lists name, and what acquisitions are counted from (ACQUISITION_DECISION_SELECT's parts).
 */
const decisionSelect = {
  id: true,
  overall: true,
  decidedAt: true,
  notifiedAt: true,
  sessionId: true,
  // Its fiche de décision's state: a document is issued only once it is signed (docs/decisions/0019).
  sheet: { select: { status: true } },
  dossierId: true,
  items: { select: { target: true, targetId: true, code: true, acquired: true, followed: true } },
  // The records issued for it: its original (a duplicate points to its original, not to the decision) and, after a
  // revocation, the rectified record that replaced it (app/delivery/issue-rectified-record.server.ts).
  records: { where: { duplicateOfId: null }, orderBy: { issuedAt: "asc" }, select: { id: true, kind: true, number: true, issuedAt: true, revokedAt: true } },
  session: {
    select: { id: true, title: true, status: true, validation: { select: { status: true, returnedAt: true, returnReason: true } } },
  },
  dossier: {
    select: {
      createdAt: true,
      candidateId: true,
      certificationId: true,
      // With the candidate's passages declared to the Caisse des Dépôts (app/archive/cdc/holder-declarations.server.ts).
      candidate: { select: { ...CANDIDATE_CIVIL_SELECT, cdcPassages: true } },
      // Its code, title and scheme from the organisation's certifications (one read per page, not one copy per row).
      // Its blocs and competences from memory (referentialTree, decision 0011), not with each decision.
      referentialVersion: { select: { id: true, publishedAt: true } },
    },
  },
} satisfies Prisma.JuryDecisionSelect;

type Row = Prisma.JuryDecisionGetPayload<{ select: typeof decisionSelect }>;

/**
 * Every jury decision of the organisation, final or not (its session still open, its validation pending, replaced on
 * appeal), oldest first: read once per page (the desk's records to issue, expiring partial validations and figures,
 * the archive's final decisions).
 */
export function organisationJuryDecisions(organisationId: string): Promise<Row[]> {
  return requestMemo(`jury-decisions:${organisationId}`, () =>
    prisma.juryDecision.findMany({ where: { session: { organisationId } }, orderBy: [{ decidedAt: "asc" }, { id: "asc" }], select: decisionSelect }),
  );
}

/** What a page shows of the decisions, when it is not all of them (narrowJuryDecisions). */
export type DecisionScope = {
  /** The figures of a period: the decisions decided in it. */
  figures?: { from: Date; to: Date };
  /** Records to issue: total or partial decisions without their original record. */
  recordsToIssue?: boolean;
  /** Holders to declare: total decisions without a passage of their own exported or accepted. */
  holdersToDeclare?: boolean;
  /** Partial validations expiring, and what settles them: every decision of a candidate with one still valid. */
  partialsOn?: Date;
  /** Appeals awaiting a jury: their contested decisions. */
  appealed?: boolean;
  /** Decisions to notify: those of closed sessions decided since this day and not notified. */
  toNotifySince?: Date;
};

/**
 * A page that shows only part of the decisions (the desk, a to-do's list) narrows the read above, for its request, to
 * what it can show, so that it does not read the organisation's whole history at each view (2,000 decisions of past
 * years: the desk took ~190 ms of CPU per view and held the event loop ~95 ms). The same functions then compute the
 * same lists from fewer rows. A decision is read when it may be (per part of `scope`):
 * - in the figures: decided in their period;
 * - a record to issue: total or partial, without its original record;
 * - a holder to declare: total, no passage to the Caisse des Dépôts of its own exported or accepted (a passage names
 *   its decision; a legacy "slot:" passage names none, so its holder is read, and matched to it as before);
 * - an acquisition expiring, or what settles it: every decision of a candidate with a partial or no validation
 *   recent enough to be still valid (the organisation's longest finite partial validity, plus a year), or in CléA
 *   (its validity runs from the positioning, not from the decision);
 * - the contested decision of an appeal awaiting a jury;
 * - a decision to notify: of a closed session, decided since `toNotifySince`, not notified.
 * Call it before anything of the request reads the decisions (it takes the request's read: requestMemo); a page that
 * also shows something else of the decisions must not call it.
 */
export function narrowJuryDecisions(organisationId: string, scope: DecisionScope): void {
  // Outside a GET request (an action, a job, a test) nothing is shared: each list reads what it reads.
  if (!currentRequestScope()?.reads) return;
  void requestMemo(`jury-decisions:${organisationId}`, async () => {
    const [certifications, appeals] = await Promise.all([organisationCertifications(organisationId), organisationAppeals(organisationId)]);
    const workingSet: Prisma.JuryDecisionWhereInput[] = [];
    if (scope.figures) workingSet.push({ decidedAt: { gte: scope.figures.from, lt: scope.figures.to } });
    if (scope.recordsToIssue) workingSet.push({ overall: { in: ["TOTAL", "PARTIAL"] }, records: { none: { duplicateOfId: null } } });
    if (scope.holdersToDeclare) workingSet.push({ overall: "TOTAL", cdcPassages: { none: { status: { in: ["exported", "accepted"] }, identityChangedAt: null } } });
    if (scope.partialsOn) {
      const years = certifications.flatMap((c) => {
        const validity = parseScheme(c.scheme).partialValidityYears;
        return validity === null ? [] : [validity];
      });
      const clea = certifications.filter((c) => c.kind === "CLEA").map((c) => c.id);
      const partialOrNone = { overall: { in: ["PARTIAL" as const, "NONE" as const] } };
      const stillValid: Prisma.DossierWhereInput[] = [];
      if (years.length > 0) {
        const since = new Date(Date.UTC(scope.partialsOn.getUTCFullYear() - Math.max(...years) - 1, scope.partialsOn.getUTCMonth(), 1));
        stillValid.push({ juryDecisions: { some: { ...partialOrNone, decidedAt: { gte: since } } } });
      }
      if (clea.length > 0) stillValid.push({ certificationId: { in: clea }, juryDecisions: { some: partialOrNone } });
      const alone = !scope.figures && !scope.recordsToIssue && !scope.holdersToDeclare && !scope.appealed && !scope.toNotifySince;
      if (stillValid.length > 0 && alone) {
        // Alone (the expiring partials' own list): their candidates first. In one statement, PostgreSQL built every
        // decision's row before filtering them (2,000 decisions: ~125 ms, 7 → 52 requests/s); within the desk's
        // wider statement it did not (the same with two statements, 15.2 → 15.7 requests/s: the desk keeps one).
        const candidates = await prisma.dossier.findMany({ where: { organisationId, OR: stillValid }, select: { candidateId: true } });
        workingSet.push({ dossier: { candidateId: { in: [...new Set(candidates.map((d) => d.candidateId))] } } });
      } else if (stillValid.length > 0) {
        workingSet.push({ dossier: { candidate: { dossiers: { some: { OR: stillValid } } } } });
      }
    }
    if (scope.appealed) {
      const appealed = appeals.filter((a) => a.status === "RECEIVED" || a.status === "SCHEDULED").map((a) => a.decisionId);
      if (appealed.length > 0) workingSet.push({ id: { in: appealed } });
    }
    if (scope.toNotifySince) workingSet.push({ notifiedAt: null, decidedAt: { gte: scope.toNotifySince }, session: { status: "CLOSED" } });
    if (workingSet.length === 0) return [];
    return prisma.juryDecision.findMany({
      where: { session: { organisationId }, OR: workingSet },
      orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
      select: decisionSelect,
    });
  });
}

/**
 * The organisation's final decisions matching `where`, oldest first, `size` decisions read at a time: an export of
 * years of decisions reads and formats one batch, lets the event loop serve the others (the next batch is an I/O
 * wait), then the next — rather than holding the loop for the whole history (2,000 decisions: ~80 ms at once).
 * Each batch comes with its rows (what the holders' passages are read with).
 */
export async function* finalDecisionsInBatches(
  organisationId: string,
  where: Prisma.JuryDecisionWhereInput = {},
  size = 250,
): AsyncGenerator<{ decisions: Decision[]; rows: Row[] }> {
  let after: { decidedAt: Date; id: string } | null = null;
  for (;;) {
    const keyset: Prisma.JuryDecisionWhereInput = after
      ? { OR: [{ decidedAt: { gt: after.decidedAt } }, { decidedAt: after.decidedAt, id: { gt: after.id } }] }
      : {};
    // The batch's ids first, then their rows: in one statement PostgreSQL built the relations of every decision after
    // the keyset before keeping the first `size` (each batch cost as much as the whole history).
    const ids = await prisma.juryDecision.findMany({
      where: { AND: [{ session: { organisationId } }, where, keyset] },
      orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
      take: size,
      select: { id: true, decidedAt: true },
    });
    if (ids.length === 0) return;
    const rows: Row[] = await prisma.juryDecision.findMany({
      where: { id: { in: ids.map((row) => row.id) } },
      orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
      select: decisionSelect,
    });
    yield { decisions: await finalDecisionsOf(organisationId, rows), rows };
    if (ids.length < size) return;
    const last = ids[ids.length - 1];
    after = { decidedAt: last.decidedAt, id: last.id };
  }
}

/** Per bloc of the référentiel: judged and acquired in this decision (a competence-level decision: all its competences). */
function blocsOf(row: Row, tree: ReferentialTree): Decision["blocs"] {
  const items = new Map(row.items.map((item) => [item.targetId, item]));
  return tree.map((bloc) => {
    const own = items.get(bloc.id);
    if (own) return { id: bloc.id, code: bloc.code, title: bloc.title, judged: true, acquired: own.acquired };
    const competences = bloc.competences.map((c) => items.get(c.id));
    const judged = competences.length > 0 && competences.some(Boolean);
    return { id: bloc.id, code: bloc.code, title: bloc.title, judged, acquired: judged && competences.every((c) => c?.acquired === true) };
  });
}

/**
 * The organisation's final decisions, oldest first; `filter` narrows them (certification, decided in [from, to)).
 * Read once per page: the dashboard's holders to declare and its figures share one read (requestMemo), and a
 * filtered call takes its part of it.
 */
export async function listDecisions(organisationId: string, filter: DecisionFilter = {}): Promise<Decision[]> {
  const all = await requestMemo(`decisions:${organisationId}`, () => readDecisions(organisationId));
  const { certificationId, from, to } = filter;
  if (!certificationId && !from && !to) return all;
  return all.filter(
    (d) =>
      (!certificationId || d.certificationId === certificationId) &&
      (!from || d.decidedAt.getTime() >= from.getTime()) &&
      (!to || d.decidedAt.getTime() < to.getTime()),
  );
}

/**
 * Every appeal of the organisation, by date received: once per page (the upheld ones' replacements below, the desk's
 * appeals awaiting a jury).
 */
export function organisationAppeals(organisationId: string) {
  return requestMemo(`appeals:${organisationId}`, () =>
    prisma.appeal.findMany({
      where: { organisationId },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      select: { id: true, dossierId: true, status: true, receivedAt: true, decisionId: true, newDecisionId: true },
    }),
  );
}

/** The upheld appeals' replacements of the organisation: contested decision → revised decision. */
export async function replacedDecisions(organisationId: string): Promise<Array<{ decisionId: string; newDecisionId: string }>> {
  return (await organisationAppeals(organisationId)).flatMap((a) => (a.newDecisionId ? [{ decisionId: a.decisionId, newDecisionId: a.newDecisionId }] : []));
}

/** The records issued for the organisation's decisions (originals, not duplicates), read with them. */
export async function decisionRecords(organisationId: string) {
  return (await organisationJuryDecisions(organisationId)).flatMap((d) => d.records.map((r) => ({ ...r, decisionId: d.id })));
}

async function readDecisions(organisationId: string): Promise<Decision[]> {
  return finalDecisionsOf(organisationId, await organisationJuryDecisions(organisationId));
}

/** The final decisions among `all` (rows of decisionSelect), as listDecisions shows them. */
async function finalDecisionsOf(organisationId: string, all: readonly Row[]): Promise<Decision[]> {
  // A decision replaced by an upheld appeal's revised decision no longer counts: the revised one does.
  const replaced = await replacedDecisions(organisationId);
  const certificationOf = await certificationsById(organisationId, all.map((row) => row.dossier.certificationId));
  const rows = all.filter((row) => row.session.status === "CLOSED");
  const replacedIds = new Set(replaced.map((a) => a.decisionId));
  const trees = new Map<string, ReferentialTree>();
  for (const version of new Map(rows.map((r) => [r.dossier.referentialVersion.id, r.dossier.referentialVersion])).values()) {
    trees.set(version.id, await referentialTree(prisma, version));
  }
  const decisions: Decision[] = [];
  for (const row of rows) {
    if (replacedIds.has(row.id)) continue;
    const certification = certificationOf.get(row.dossier.certificationId)!;
    const { cdcPassages: _passages, ...candidate } = row.dossier.candidate;
    const scheme = parseScheme(certification.scheme);
    const finality = decisionsFinality({ sessionStatus: row.session.status, cpneValidation: scheme.jury.cpneValidation, validation: row.session.validation });
    if (!finality.final) continue;
    const outcome = row.overall.toLowerCase() as DecisionOutcome;
    // The valid one, else the last issued (a rectified record replaces a revoked one).
    const record = row.records.find((r) => r.revokedAt === null) ?? row.records.at(-1);
    decisions.push({
      sourceKey: `${DECISION_KEY}${row.id}`,
      decisionId: row.id,
      sessionId: row.session.id,
      sessionTitle: row.session.title,
      candidateId: candidate.id,
      candidate,
      certificationId: certification.id,
      certificationCode: certification.code,
      declaredCertificationCode: declaredCertificationCode(certification.code, certification.registrationCode),
      certificationTitle: certification.title,
      decidedAt: row.decidedAt,
      outcome,
      overturned: row.items.some((item) => !item.followed),
      blocs: blocsOf(row, trees.get(row.dossier.referentialVersion.id) ?? []),
      registeredAt: row.dossier.createdAt,
      partialValidUntil: outcome === "partial" ? partialValidityEnd(scheme, row.decidedAt) : null,
      record: record
        ? { id: record.id, kind: record.kind, number: record.number, issuedAt: record.issuedAt, revoked: record.revokedAt !== null }
        : null,
    });
  }
  return decisions;
}

/**
 * Holders to declare to the Caisse des Dépôts: the certification delivered in full by a final jury decision — its
 * parchemin issued and not revoked (a parchemin also follows a partial decision that completes earlier acquisitions).
 * A partial validation is not the certification: it is not declared as a passage.
 */
export async function listHolders(organisationId: string): Promise<Decision[]> {
  return (await listDecisions(organisationId)).filter(isHolder);
}

export const isHolder = (d: Decision) => d.record?.kind === "PARCHEMIN" && !d.record.revoked;

/** What a holder's decision has (and listHolders checks on it): its original record, a parchemin not revoked. */
export const HOLDER_RECORD_WHERE = {
  records: { some: { kind: "PARCHEMIN", duplicateOfId: null, revokedAt: null } },
} satisfies Prisma.JuryDecisionWhereInput;

/**
 * The holders (as listHolders) among the organisation's decisions matching `where`, read on their own rather than
 * from the page's read of every decision: the declaration of holders reads the few it shows, not an organisation's
 * years of them.
 */
export async function listHoldersWhere(organisationId: string, where: Prisma.JuryDecisionWhereInput): Promise<{ holders: Decision[]; rows: Row[] }> {
  const rows = await prisma.juryDecision.findMany({
    where: { AND: [{ session: { organisationId } }, HOLDER_RECORD_WHERE, where] },
    orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
    select: decisionSelect,
  });
  // None (a candidate without a parchemin): nothing more to read.
  if (rows.length === 0) return { holders: [], rows };
  // The rows too: they carry the candidates' Caisse des Dépôts passages (read with them, not once more).
  return { holders: (await finalDecisionsOf(organisationId, rows)).filter(isHolder), rows };
}
