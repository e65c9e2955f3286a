/**
 * The declaration of holders as the secretariat sees it: each holder (a parchemin issued on a final jury decision, from
 * `listHolders`) with its passage as it would be sent, what keeps it out of a file, and its status (declarationStatus).
 * Read only: passages are stored when a file is generated.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { isoDateInParis, candidateName } from "~/domain/identity";
import {
  DECISION_KEY,
  finalDecisionsInBatches,
  HOLDER_RECORD_WHERE,
  isHolder,
  listHolders,
  listHoldersWhere,
  organisationAppeals,
  organisationJuryDecisions,
  type Decision,
} from "~/archive/list-decisions.server";
import { certificationsById } from "~/back-office/certifications/list-certifications.server";
import { decisionsFinality } from "~/domain/decision-validation";
import { parseScheme } from "~/domain/scheme";
import { declarationGapList, holderFromIdentity, passageIdOf, type CdcPassage, type DeclarationGap } from "./declaration";
import { declarationStatus, type DeclarationStatus, type PassageRecord, type PassageState } from "./declaration-status";

export type HolderDeclaration = {
  sourceKey: string;
  /** The key its passage is stored under: its sourceKey, or the legacy "slot:<id>" key it was first exported under. */
  passageKey: string;
  decisionId: string;
  candidateId: string;
  holder: string;
  certificationId: string;
  certificationCode: string;
  certificationTitle: string;
  /**
   * The day the certification was obtained: the jury's decision, in Paris ("YYYY-MM-DD") — the Caisse des Dépôts'
   * dateDebutValidite, from which the 3 months to declare run. Not the parchemin's issue date (« Délivré le » on it).
   */
  deliveredOn: string;
  passage: CdcPassage;
  missing: string[];
  /** What is missing, each with where it is put right (the holder's form, the certification's, or Quorum's administration). */
  gaps: DeclarationGap[];
  record: PassageRecord | null;
  status: DeclarationStatus;
  exportedAt: Date | null;
};

/** A certification delivered in full is valid for life: the CDC's dateFinValidite stays nil. */
function passageOf(decision: Decision): CdcPassage {
  return {
    idTechnique: passageIdOf(decision.sourceKey),
    certificationCode: decision.declaredCertificationCode,
    deliveredOn: isoDateInParis(decision.decidedAt), // the day France counts: 00:30 in Paris is not the day before
    validUntil: null,
    holder: holderFromIdentity(
      {
        birthName: decision.candidate.birthName,
        usageName: decision.candidate.usageName,
        givenNames: decision.candidate.givenNames,
        sex: decision.candidate.sex,
        birthDate: decision.candidate.birthDate,
        birthPlace: decision.candidate.birthPlace,
        birthCountry: decision.candidate.birthCountry,
      },
      decision.candidate.birthCode,
    ),
  };
}

type PassageRow = Awaited<ReturnType<typeof prisma.cdcPassage.findMany>>[number];

/**
 * The organisation's passages that may stand for a holder: those of its decided candidates, read with the
 * organisation's decisions (a passage is stored for a holder, its candidate; a legacy one for the candidate of its slot).
 */
async function decidedCandidatesPassages(organisationId: string): Promise<PassageRow[]> {
  const byId = new Map<string, PassageRow>();
  for (const decision of await organisationJuryDecisions(organisationId)) {
    for (const passage of decision.dossier.candidate.cdcPassages) if (passage.organisationId === organisationId) byId.set(passage.id, passage);
  }
  return [...byId.values()];
}

/**
 * The passages exported before holders came from jury decisions, keyed "slot:<id>" (the signed grid), matched to the
 * holder whose jury decided on that passage — the slot of the decision's dossier, or (older slots without a dossier)
 * of its candidate in its certification, as the jury room reads the grids — so the holder keeps its idTechnique and
 * is not declared twice. Matched when read rather than rewritten by a migration: a dossier may have several jury
 * decisions (an ajournement then a delivery, an appeal's revision), and only the final holders list says which one
 * the old passage now stands for. A legacy passage stands for one holder at most.
 */
async function legacyPassages(
  holders: readonly Decision[],
  rows: readonly PassageRow[],
  bySource: ReadonlyMap<string, PassageRow>,
  used = new Set<string>(),
) {
  const legacy = new Map(rows.filter((r) => r.sourceKey.startsWith("slot:")).map((r) => [r.sourceKey.slice("slot:".length), r]));
  const unmatched = holders.filter((h) => !bySource.has(h.sourceKey));
  const found = new Map<string, PassageRow>();
  if (legacy.size === 0 || unmatched.length === 0) return found;
  const [slots, decisions] = await Promise.all([
    prisma.sessionSlot.findMany({
      where: { id: { in: [...legacy.keys()] } },
      orderBy: { startsAt: "asc" },
      select: { id: true, dossierId: true, candidateId: true, session: { select: { referentialVersion: { select: { certificationId: true } } } } },
    }),
    prisma.juryDecision.findMany({ where: { id: { in: unmatched.map((h) => h.decisionId) } }, select: { id: true, dossierId: true } }),
  ]);
  const dossierOf = new Map(decisions.map((d) => [d.id, d.dossierId]));
  for (const holder of unmatched) {
    const slot = slots.find(
      (s) =>
        !used.has(s.id) &&
        (s.dossierId
          ? s.dossierId === dossierOf.get(holder.decisionId)
          : s.candidateId === holder.candidateId && s.session.referentialVersion?.certificationId === holder.certificationId),
    );
    if (!slot) continue;
    used.add(slot.id);
    found.set(holder.sourceKey, legacy.get(slot.id)!);
  }
  return found;
}

export async function listHolderDeclarations(organisationId: string, now = new Date()): Promise<HolderDeclaration[]> {
  const [holders, rows] = await Promise.all([listHolders(organisationId), decidedCandidatesPassages(organisationId)]);
  return (await holderDeclarationsOf(holders, rows, now)).sort((a, b) => a.deliveredOn.localeCompare(b.deliveredOn));
}

/**
 * Every holder of the organisation, as listHolderDeclarations lists them and in its order, `size` decisions read at a
 * time (the holders' CSV: an organisation's years of holders without holding the event loop for all of them).
 */
export async function* holderDeclarationsInBatches(organisationId: string, now = new Date(), size = 250): AsyncGenerator<HolderDeclaration[]> {
  // A legacy passage stands for one holder at most, over the whole list: the slots already matched, batch after batch.
  const usedSlots = new Set<string>();
  for await (const { decisions, rows } of finalDecisionsInBatches(organisationId, HOLDER_RECORD_WHERE, size)) {
    const holders = decisions.filter(isHolder);
    const passages = new Map<string, PassageRow>();
    for (const row of rows) for (const p of row.dossier.candidate.cdcPassages) if (p.organisationId === organisationId) passages.set(p.id, p);
    // Oldest decision first, so the delivery dates' order already (listHolderDeclarations' sort keeps it).
    yield await holderDeclarationsOf(holders, [...passages.values()], now, usedSlots);
  }
}

/** Each holder with its passage (its own, or the legacy one matched to it among `rows`) and its status. */
async function holderDeclarationsOf(
  holders: readonly Decision[],
  rows: readonly PassageRow[],
  now: Date,
  usedSlots = new Set<string>(),
): Promise<HolderDeclaration[]> {
  const today = isoDateInParis(now);
  const bySource = new Map(rows.map((r) => [r.sourceKey, r]));
  const legacy = await legacyPassages(holders, rows, bySource, usedSlots);
  return holders.map((decision) => {
    const passage = passageOf(decision);
    const row = bySource.get(decision.sourceKey) ?? legacy.get(decision.sourceKey);
    const record: PassageRecord | null = row
      ? { idTechnique: row.idTechnique, state: row.status as PassageState, idFlux: row.idFlux, message: row.message, identityChanged: row.identityChangedAt !== null }
      : null;
    if (record) passage.idTechnique = record.idTechnique;
    const gaps = declarationGapList(passage);
    const missing = gaps.map((gap) => gap.label);
    return {
      sourceKey: decision.sourceKey,
      passageKey: row?.sourceKey ?? decision.sourceKey,
      decisionId: decision.decisionId,
      candidateId: decision.candidateId,
      holder: candidateName(decision.candidate),
      certificationId: decision.certificationId,
      certificationCode: decision.certificationCode,
      certificationTitle: decision.certificationTitle,
      deliveredOn: passage.deliveredOn,
      passage,
      missing,
      gaps,
      record,
      status: declarationStatus(
        { deliveredOn: passage.deliveredOn, missing, record, declaredOn: row?.exportedAt ? isoDateInParis(row.exportedAt) : null },
        today,
      ),
      exportedAt: row?.exportedAt ?? null,
    };
  });
}

/** Holders among the decisions matching `where`, read on their own, with their candidates' passages. */
async function holderDeclarationsWhere(organisationId: string, where: Prisma.JuryDecisionWhereInput, now: Date) {
  const { holders, rows: decisions } = await listHoldersWhere(organisationId, where);
  if (holders.length === 0) return [];
  // The holders' candidates' passages in this organisation, read with their decisions (as holderDeclarationsInBatches).
  const candidates = new Set(holders.map((h) => h.candidateId));
  const passages = new Map<string, PassageRow>();
  for (const row of decisions) {
    if (!candidates.has(row.dossier.candidate.id)) continue;
    for (const p of row.dossier.candidate.cdcPassages) if (p.organisationId === organisationId) passages.set(p.id, p);
  }
  return holderDeclarationsOf(holders, [...passages.values()], now);
}

/**
 * One candidate's holders (their parchemins on final decisions), each with its declaration's status as the
 * declarations page computes it (same read, same rule): for the candidate's page.
 */
export function candidateHolderDeclarations(organisationId: string, candidateId: string, now = new Date()): Promise<HolderDeclaration[]> {
  return holderDeclarationsWhere(organisationId, { dossier: { candidateId, organisationId } }, now);
}

/** A passage's states that settle its holder's declaration (the file sent, or accepted): nothing left to do. */
const SETTLED_STATES = ["exported", "accepted"] as const;

/** A passage that settles its holder's declaration: sent or accepted, under the holder's identity as it still is. */
export const SETTLED_PASSAGE = { status: { in: [...SETTLED_STATES] }, identityChangedAt: null } satisfies Prisma.CdcPassageWhereInput;

/**
 * The holders whose declaration is still to be done (to declare, past the deadline, not declarable, rejected, their
 * identity changed since it was declared), and those whose passage is a legacy one (matched when read): every holder
 * but those whose own passage was exported or accepted as they still are. Read on their own: a new declaration file
 * takes its passages from here.
 */
export function activeHolderDeclarations(organisationId: string, now = new Date()): Promise<HolderDeclaration[]> {
  return holderDeclarationsWhere(organisationId, { cdcPassages: { none: { organisationId, ...SETTLED_PASSAGE } } }, now);
}

type SettledHolder = { decisionId: string; deliveredOn: string; kind: "exported" | "accepted" };

/**
 * The holders whose own passage was exported or accepted (at volume, nearly all of them: an organisation's years of
 * holders), read lightly — no identity, no blocs — for the declaration page's counts and order; the few of a page are
 * read in full (holderDeclarationsByIds). Holders as listHolders: final (decisionsFinality), not replaced on appeal,
 * their parchemin issued and not revoked.
 */
async function settledHolders(organisationId: string): Promise<SettledHolder[]> {
  type Row = {
    id: string;
    decidedAt: Date;
    sessionStatus: "PLANNED" | "OPEN" | "CLOSED";
    validationStatus: "OPEN" | "SIGNING" | "SIGNED" | null;
    returnedAt: Date | null;
    returnReason: string | null;
    certificationId: string;
    recordKind: string | null;
    recordRevoked: boolean | null;
    passageStatus: string;
  };
  // Hand-written: through Prisma's relation reads, 2,000 such rows cost ~14 ms of the event loop (nested JSON per row).
  // The record is the decision's valid original, else one revoked (as decisionSelect reads it: a rectified record
  // replaces a revoked one, and its holder stays one); the passage, its own (decisionId).
  const [rows, appeals] = await Promise.all([
    prisma.$queryRaw<Row[]>`
      SELECT d."id", d."decidedAt", s."status"::text AS "sessionStatus", v."status"::text AS "validationStatus",
             v."returnedAt", v."returnReason", o."certificationId", r."kind"::text AS "recordKind",
             (r."revokedAt" IS NOT NULL) AS "recordRevoked", p."status" AS "passageStatus"
      FROM "JuryDecision" d
      JOIN "Session" s ON s."id" = d."sessionId"
      LEFT JOIN "SessionValidation" v ON v."sessionId" = s."id"
      JOIN "Dossier" o ON o."id" = d."dossierId"
      JOIN "CdcPassage" p ON p."decisionId" = d."id" AND p."organisationId" = ${organisationId} AND p."status" IN ('exported', 'accepted')
                           AND p."identityChangedAt" IS NULL
      LEFT JOIN LATERAL (
        SELECT "kind", "revokedAt" FROM "DeliveryRecord"
        WHERE "decisionId" = d."id" AND "duplicateOfId" IS NULL ORDER BY ("revokedAt" IS NULL) DESC, "issuedAt" ASC LIMIT 1
      ) r ON true
      WHERE s."organisationId" = ${organisationId}
      ORDER BY d."decidedAt" ASC, d."id" ASC`,
    organisationAppeals(organisationId),
  ]);
  const replaced = new Set(appeals.flatMap((a) => (a.newDecisionId ? [a.decisionId] : [])));
  const certificationOf = await certificationsById(organisationId, new Set(rows.map((r) => r.certificationId)));
  const cpneValidation = new Map([...certificationOf].map(([id, c]) => [id, parseScheme(c.scheme).jury.cpneValidation]));
  return rows.flatMap((row) => {
    const kind = row.passageStatus;
    if (row.recordKind !== "PARCHEMIN" || row.recordRevoked || replaced.has(row.id) || (kind !== "exported" && kind !== "accepted")) return [];
    const finality = decisionsFinality({
      sessionStatus: row.sessionStatus,
      cpneValidation: cpneValidation.get(row.certificationId) ?? false,
      validation: row.validationStatus ? { status: row.validationStatus, returnedAt: row.returnedAt, returnReason: row.returnReason } : null,
    });
    return finality.final ? [{ decisionId: row.id, deliveredOn: isoDateInParis(row.decidedAt), kind }] : [];
  });
}

/** The holders of these decisions, in full. */
function holderDeclarationsByIds(organisationId: string, decisionIds: string[], now: Date) {
  return holderDeclarationsWhere(organisationId, { id: { in: decisionIds } }, now);
}

type DeclarationKind = DeclarationStatus["kind"];

/** The declaration page's order: what is to be done first, the nearest deadline on top; then what is settled, latest first. */
const PAGE_ORDER: DeclarationKind[] = ["past_deadline", "rejected", "identity_changed", "not_declarable", "to_declare", "exported", "accepted"];

export type HolderDeclarationsPage = {
  counts: Record<DeclarationKind, number>;
  holders: HolderDeclaration[];
  /** Holders listed (of the status asked, or all), on every page. */
  total: number;
  page: number;
  pageCount: number;
};

/**
 * One page of the declaration of holders, with the counts per status of all of them. The holders still to be done are
 * read in full; those settled (their own passage exported or accepted) are counted from a light read, and only those
 * of the page are read in full: at 2,000 holders the page read and computed every holder's identity and status at each
 * view (~110 ms of the event loop).
 */
export async function holderDeclarationsPage(
  organisationId: string,
  options: { status: DeclarationKind | ReadonlyArray<DeclarationKind> | null; page: number; pageSize: number },
  now = new Date(),
): Promise<HolderDeclarationsPage> {
  const [active, settled] = await Promise.all([activeHolderDeclarations(organisationId, now), settledHolders(organisationId)]);
  const activeKeys = new Set(active.map((h) => h.sourceKey));
  // A holder read in both (its own passage settled meanwhile, between the two reads) counts once, as settled.
  const entries = [
    ...active.map((h) => ({ key: h.sourceKey, kind: h.status.kind, deliveredOn: h.deliveredOn, full: h as HolderDeclaration | null })),
    ...settled
      .filter((s) => !activeKeys.has(`${DECISION_KEY}${s.decisionId}`))
      .map((s) => ({ key: `${DECISION_KEY}${s.decisionId}`, kind: s.kind as DeclarationKind, deliveredOn: s.deliveredOn, full: null })),
  ];
  const counts = Object.fromEntries(PAGE_ORDER.map((k) => [k, 0])) as Record<DeclarationKind, number>;
  for (const e of entries) counts[e.kind]++;
  const rank = new Map(PAGE_ORDER.map((k, i) => [k, i]));
  const wanted = options.status === null ? null : new Set<DeclarationKind>(typeof options.status === "string" ? [options.status] : options.status);
  const listed = entries
    .filter((e) => !wanted || wanted.has(e.kind))
    .sort((a, b) => {
      const byKind = rank.get(a.kind)! - rank.get(b.kind)!;
      if (byKind !== 0) return byKind;
      const settledKind = a.kind === "exported" || a.kind === "accepted";
      const byDate = settledKind ? b.deliveredOn.localeCompare(a.deliveredOn) : a.deliveredOn.localeCompare(b.deliveredOn);
      return byDate !== 0 ? byDate : a.key.localeCompare(b.key);
    });
  const pageCount = Math.max(1, Math.ceil(listed.length / options.pageSize));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const shown = listed.slice((page - 1) * options.pageSize, page * options.pageSize);
  const missing = shown.filter((e) => !e.full).map((e) => e.key.slice(DECISION_KEY.length));
  const read = new Map((missing.length ? await holderDeclarationsByIds(organisationId, missing, now) : []).map((h) => [h.sourceKey, h]));
  return {
    counts,
    // A holder no longer one when its page was read (its parchemin revoked meanwhile) is left out of this page.
    holders: shown.flatMap((e) => e.full ?? read.get(e.key) ?? []),
    total: listed.length,
    page,
    pageCount,
  };
}
