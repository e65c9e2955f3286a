-- CreateEnum
CREATE TYPE "ConnectionEventKind" AS ENUM ('DISCONNECTED', 'RECONNECTED');

-- CreateTable
CREATE TABLE "ConnectionEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "ConnectionEventKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionMinutes" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "status" "GridStatus" NOT NULL DEFAULT 'OPEN',
    "round" INTEGER NOT NULL DEFAULT 0,
    "sealedHash" TEXT,
    "sealedContent" JSONB,
    "sealedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),

    CONSTRAINT "SessionMinutes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConnectionEvent_sessionId_at_idx" ON "ConnectionEvent"("sessionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SessionMinutes_sessionId_key" ON "SessionMinutes"("sessionId");

-- AddForeignKey
ALTER TABLE "ConnectionEvent" ADD CONSTRAINT "ConnectionEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionMinutes" ADD CONSTRAINT "SessionMinutes_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

