-- CreateTable
CREATE TABLE "SessionValidation" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "status" "GridStatus" NOT NULL DEFAULT 'OPEN',
    "round" INTEGER NOT NULL DEFAULT 0,
    "validatorId" TEXT,
    "sealedHash" TEXT,
    "sealedContent" JSONB,
    "sealedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "returnedById" TEXT,
    "returnReason" TEXT,

    CONSTRAINT "SessionValidation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SessionValidation_sessionId_key" ON "SessionValidation"("sessionId");

-- AddForeignKey
ALTER TABLE "SessionValidation" ADD CONSTRAINT "SessionValidation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
