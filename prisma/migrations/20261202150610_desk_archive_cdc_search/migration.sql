-- Desk (issue 17): Caisse des Dépôts settings and passages, retention period, INSEE birth code, search keys.

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN "cdcIdClient" TEXT,
ADD COLUMN "cdcIdContrat" TEXT,
ADD COLUMN "retentionYears" INTEGER NOT NULL DEFAULT 50;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "searchKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Certification" ADD COLUMN "searchKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN "birthCode" TEXT,
ADD COLUMN "searchKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "searchKey" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "CdcPassage" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "idTechnique" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "idFlux" TEXT,
    "exportedAt" TIMESTAMP(3),
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CdcPassage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CdcPassage_idTechnique_key" ON "CdcPassage"("idTechnique");

-- CreateIndex
CREATE UNIQUE INDEX "CdcPassage_organisationId_sourceKey_key" ON "CdcPassage"("organisationId", "sourceKey");

-- AddForeignKey
ALTER TABLE "CdcPassage" ADD CONSTRAINT "CdcPassage_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CdcPassage" ADD CONSTRAINT "CdcPassage_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill the search keys (same rule as app/domain/search.ts: lower case, diacritics and ligatures folded,
-- punctuation to spaces). translate() exists on PostgreSQL and PGlite alike, no extension needed.
CREATE FUNCTION pg_temp.quorum_search_key(value TEXT) RETURNS TEXT AS $$
  SELECT trim(regexp_replace(
    replace(replace(replace(replace(
      translate(lower(coalesce(value, '')),
        'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž',
        'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnoooooooooorrrssssttttuuuuuuuuuuwyyyzzz'),
      'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'), '''', ' '),
    '[^a-z0-9]+', ' ', 'g'))
$$ LANGUAGE SQL IMMUTABLE;

UPDATE "Candidate" SET "searchKey" = pg_temp.quorum_search_key(concat_ws(' ', "birthName", "usageName", "givenNames"));
UPDATE "Session" SET "searchKey" = pg_temp.quorum_search_key(concat_ws(' ', "title", "place"));
UPDATE "Certification" SET "searchKey" = pg_temp.quorum_search_key(concat_ws(' ', "code", "title"));
UPDATE "User" SET "searchKey" = pg_temp.quorum_search_key(concat_ws(' ', "displayName", "email"));
