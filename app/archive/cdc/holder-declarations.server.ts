/**
 * The declaration of holders as the secretariat sees it: each holder (a parchemin issued on a final jury decision, from
 * `listHolders`) with its passage as it would be sent, what keeps it out of a file, and its status (declarationStatus).
 * Read only: passages are stored when a file is generated.
 */
import { prisma } from "~/platform/db/db.server";
import { isoDateInParis, toIsoDate, candidateName } from "~/domain/identity";
import { listHolders, type Decision } from "~/archive/list-decisions.server";
import { declarationGaps, holderFromIdentity, passageIdOf, type CdcPassage } from "./declaration";
import { declarationStatus, type DeclarationStatus, type PassageRecord, type PassageState } from "./declaration-status";

export type HolderDeclaration = {
  sourceKey: string;
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

export async function listHolderDeclarations(organisationId: string, now = new Date()): Promise<HolderDeclaration[]> {
  const today = isoDateInParis(now);
  const [holders, rows] = await Promise.all([listHolders(organisationId), prisma.cdcPassage.findMany({ where: { organisationId } })]);
  const bySource = new Map(rows.map((r) => [r.sourceKey, r]));
  return holders
    .map((decision) => {
      const passage = passageOf(decision);
      const row = bySource.get(decision.sourceKey);
      const record: PassageRecord | null = row
        ? { idTechnique: row.idTechnique, state: row.status as PassageState, idFlux: row.idFlux, message: row.message }
        : null;
      if (record) passage.idTechnique = record.idTechnique;
      const missing = declarationGaps(passage);
      return {
        sourceKey: decision.sourceKey,
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
