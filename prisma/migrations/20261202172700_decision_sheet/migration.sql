-- CreateTable
CREATE TABLE "JuryDecisionSheet" (
    "decisionId" TEXT NOT NULL,
    "status" "GridStatus" NOT NULL DEFAULT 'OPEN',
    "round" INTEGER NOT NULL DEFAULT 0,
    "sealedHash" TEXT,
    "sealedContent" JSONB,
    "signerIds" JSONB,
    "sealedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),

    CONSTRAINT "JuryDecisionSheet_pkey" PRIMARY KEY ("decisionId")
);

-- AddForeignKey
ALTER TABLE "JuryDecisionSheet" ADD CONSTRAINT "JuryDecisionSheet_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "JuryDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;
