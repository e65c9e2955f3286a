-- Archive index on SignedDocument: what each document belongs to, whatever its kind (decision 0010).
ALTER TABLE "SignedDocument" ADD COLUMN "organisationId" TEXT;
ALTER TABLE "SignedDocument" ADD COLUMN "sessionId" TEXT;
ALTER TABLE "SignedDocument" ADD COLUMN "candidateId" TEXT;
ALTER TABLE "SignedDocument" ADD COLUMN "certificationId" TEXT;
ALTER TABLE "SignedDocument" ADD COLUMN "deliveryRecordId" TEXT;
CREATE INDEX "SignedDocument_organisationId_createdAt_idx" ON "SignedDocument"("organisationId", "createdAt");
-- Existing rows are indexed by the application on the archive's first read (indexArchive), with the same rules.
