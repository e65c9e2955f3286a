-- Signing core (app/signing): signatures of any registered document kind, produced PDFs keyed by kind and
-- document, durable render jobs, and the commission’s result on the dossier. The grid’s signatures and PDFs are kept.

-- CreateTable
CREATE TABLE "Signature" (
    "id" TEXT NOT NULL,
    "documentKind" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    "voidedAt" TIMESTAMP(3),

    CONSTRAINT "Signature_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Signature_documentKind_documentId_round_userId_key" ON "Signature"("documentKind", "documentId", "round", "userId");
CREATE INDEX "Signature_documentKind_documentId_idx" ON "Signature"("documentKind", "documentId");

-- The grid’s signatures become signatures of kind "grid" (document id = the passage’s id).
INSERT INTO "Signature" ("id", "documentKind", "documentId", "round", "userId", "contentHash", "signedAt", "ip", "userAgent", "voidedAt")
SELECT "id", 'grid', "slotId", "round", "userId", "contentHash", "signedAt", "ip", "userAgent", "voidedAt" FROM "GridSignature";
DROP TABLE "GridSignature";

-- SignedDocument: keyed by kind and document id, the passage stays for the grid (cascade).
ALTER TABLE "SignedDocument" ADD COLUMN "documentId" TEXT;
ALTER TABLE "SignedDocument" ADD COLUMN "round" INTEGER NOT NULL DEFAULT 0;
UPDATE "SignedDocument" SET "documentId" = "slotId";
UPDATE "SignedDocument" d SET "round" = s."signingRound" FROM "SessionSlot" s WHERE s."id" = d."slotId";
ALTER TABLE "SignedDocument" ALTER COLUMN "documentId" SET NOT NULL;
ALTER TABLE "SignedDocument" ALTER COLUMN "slotId" DROP NOT NULL;
DROP INDEX "SignedDocument_slotId_kind_key";
CREATE UNIQUE INDEX "SignedDocument_kind_documentId_key" ON "SignedDocument"("kind", "documentId");

-- CreateTable
CREATE TABLE "RenderJob" (
    "id" TEXT NOT NULL,
    "documentKind" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RenderJob_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RenderJob_documentKind_documentId_round_key" ON "RenderJob"("documentKind", "documentId", "round");
CREATE INDEX "RenderJob_status_nextAttemptAt_idx" ON "RenderJob"("status", "nextAttemptAt");

-- The commission’s result on the dossier.
ALTER TABLE "Dossier" ADD COLUMN "commissionOutcome" TEXT;
ALTER TABLE "Dossier" ADD COLUMN "commissionSlotId" TEXT;
ALTER TABLE "Dossier" ADD COLUMN "commissionSignedAt" TIMESTAMP(3);
