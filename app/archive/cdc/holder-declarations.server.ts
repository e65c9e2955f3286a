/**
 * The declaration of holders as the secretariat sees it: each holder (a parchemin issued on a final jury decision, from
 * `listHolders`) with its passage as it would be sent, what keeps it out of a file, and its status (declarationStatus).
 * Read only: passages are stored when a file is generated.
 */
import { prisma } from "~/platform/db/db.server";
import { isoDateInParis, toIsoDate, candidateName } from "~/domain/identity";
import { listHolders, organisationJuryDecisions, type Decision } from "~/archive/list-decisions.server";
import { declarationGaps, holderFromIdentity, passageIdOf, type CdcPassage } from "./declaration";
import { declarationStatus, type DeclarationStatus, type PassageRecord, type PassageState } from "./declaration-status";

export type HolderDeclaration = {
  sourceKey: string;
  /** The key its passage is stored under: its sourceKey, or the legacy "slot:<id>" key it was first exported under. */
  passageKey: string;
  candidateId: string;
  holder: string;
  certificationCode: string;
  certificationTitle: string;
  deliveredOn: string;
  passage: CdcPassage;
  missing: string[];
  record: PassageRecord | null;
  status: DeclarationStatus;
  exportedAt: Date | null;
};

/** A certification delivered in full is valid for life: the CDC's dateFinValidite stays nil. */
function passageOf(decision: Decision): CdcPassage {
  return {
    idTechnique: passageIdOf(decision.sourceKey),
    certificationCode: decision.certificationCode,
    deliveredOn: toIsoDate(decision.decidedAt),
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
async function legacyPassages(holders: readonly Decision[], rows: readonly PassageRow[], bySource: ReadonlyMap<string, PassageRow>) {
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
  const used = new Set<string>();
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
  const today = isoDateInParis(now);
  const [holders, rows] = await Promise.all([listHolders(organisationId), decidedCandidatesPassages(organisationId)]);
  const bySource = new Map(rows.map((r) => [r.sourceKey, r]));
  const legacy = await legacyPassages(holders, rows, bySource);
  return holders
    .map((decision) => {
      const passage = passageOf(decision);
      const row = bySource.get(decision.sourceKey) ?? legacy.get(decision.sourceKey);
      const record: PassageRecord | null = row
        ? { idTechnique: row.idTechnique, state: row.status as PassageState, idFlux: row.idFlux, message: row.message }
        : null;
      if (record) passage.idTechnique = record.idTechnique;
      const missing = declarationGaps(passage);
      return {
        sourceKey: decision.sourceKey,
        passageKey: row?.sourceKey ?? decision.sourceKey,
        candidateId: decision.candidateId,
        holder: candidateName(decision.candidate),
        certificationCode: decision.certificationCode,
        certificationTitle: decision.certificationTitle,
        deliveredOn: passage.deliveredOn,
        passage,
        missing,
        record,
        status: declarationStatus({ deliveredOn: passage.deliveredOn, missing, record }, today),
        exportedAt: row?.exportedAt ?? null,
      };
    })
    .sort((a, b) => a.deliveredOn.localeCompare(b.deliveredOn));
}
