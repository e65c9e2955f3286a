-- CreateEnum
CREATE TYPE "AppealStatus" AS ENUM ('RECEIVED', 'SCHEDULED', 'UPHELD', 'REJECTED');

-- CreateTable
CREATE TABLE "Appeal" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "grounds" TEXT NOT NULL,
    "status" "AppealStatus" NOT NULL DEFAULT 'RECEIVED',
    "sessionId" TEXT,
    "outcomeReason" TEXT,
    "outcomeAt" TIMESTAMP(3),
    "outcomeById" TEXT,
    "newDecisionId" TEXT,
    "recordedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Appeal_newDecisionId_key" ON "Appeal"("newDecisionId");

-- CreateIndex
CREATE INDEX "Appeal_organisationId_status_idx" ON "Appeal"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Appeal_dossierId_idx" ON "Appeal"("dossierId");

-- CreateIndex
CREATE INDEX "Appeal_sessionId_idx" ON "Appeal"("sessionId");
