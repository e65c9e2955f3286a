-- A Caisse des Depots passage names its jury decision ("decision:<id>" keys, legacy "slot:<id>" ones stay null), so
-- that the desk reads only the holders whose passage is not exported or accepted, not the organisation's whole history
-- (app/archive/list-decisions.server.ts).
ALTER TABLE "CdcPassage" ADD COLUMN "decisionId" TEXT;

UPDATE "CdcPassage" AS p SET "decisionId" = d."id"
FROM "JuryDecision" AS d
WHERE p."sourceKey" = 'decision:' || d."id";

CREATE INDEX "CdcPassage_decisionId_idx" ON "CdcPassage"("decisionId");

-- A decided candidate's passages are read with the decisions (one lookup per candidate, not a scan of the table).
CREATE INDEX "CdcPassage_candidateId_idx" ON "CdcPassage"("candidateId");

ALTER TABLE "CdcPassage" ADD CONSTRAINT "CdcPassage_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "JuryDecision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
