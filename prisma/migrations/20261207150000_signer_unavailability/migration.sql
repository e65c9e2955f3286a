-- A signer recorded as unable to sign a document's round (« empêchement constaté »), with its reason and who recorded it
-- (docs/decisions/0028-signer-unable-to-sign.md). Never a signature: the round completes with the others' signatures.
CREATE TABLE "SignerUnavailability" (
    "id" TEXT NOT NULL,
    "documentKind" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "voidedAt" TIMESTAMP(3),

    CONSTRAINT "SignerUnavailability_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "SignerUnavailability_documentKind_documentId_round_userId_key" ON "SignerUnavailability"("documentKind", "documentId", "round", "userId");
CREATE INDEX "SignerUnavailability_documentKind_documentId_idx" ON "SignerUnavailability"("documentKind", "documentId");
