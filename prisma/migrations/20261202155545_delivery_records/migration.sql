-- CreateEnum
CREATE TYPE "DeliveryKind" AS ENUM ('PARCHEMIN', 'ATTESTATION');

-- CreateTable
CREATE TABLE "DeliveryRecord" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "kind" "DeliveryKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "verificationCode" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "certificationId" TEXT NOT NULL,
    "decisionId" TEXT,
    "holder" JSONB NOT NULL,
    "certification" JSONB NOT NULL,
    "blocs" JSONB NOT NULL,
    "missingBlocs" JSONB NOT NULL,
    "preconisations" TEXT,
    "validUntil" TIMESTAMP(3),
    "placeOfIssue" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "revocationReason" TEXT,
    "duplicateOfId" TEXT,
    "credential" JSONB,
    "credentialId" TEXT,
    "pdfSha256" TEXT,

    CONSTRAINT "DeliveryRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordCounter" (
    "organisationId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RecordCounter_pkey" PRIMARY KEY ("organisationId","year")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryRecord_verificationCode_key" ON "DeliveryRecord"("verificationCode");

-- CreateIndex
CREATE INDEX "DeliveryRecord_candidateId_idx" ON "DeliveryRecord"("candidateId");

-- CreateIndex
CREATE INDEX "DeliveryRecord_decisionId_idx" ON "DeliveryRecord"("decisionId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryRecord_organisationId_year_sequence_key" ON "DeliveryRecord"("organisationId", "year", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryRecord_organisationId_number_key" ON "DeliveryRecord"("organisationId", "number");

-- AddForeignKey
ALTER TABLE "DeliveryRecord" ADD CONSTRAINT "DeliveryRecord_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "DeliveryRecord"("id") ON DELETE SET NULL ON UPDATE CASCADE;

