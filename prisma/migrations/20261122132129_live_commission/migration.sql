-- CreateEnum
CREATE TYPE "SlotPhase" AS ENUM ('ACCUEIL', 'PRESENTATION', 'QUESTIONS', 'EVALUATION', 'SIGNATURE');

-- CreateEnum
CREATE TYPE "GridStatus" AS ENUM ('OPEN', 'SIGNING', 'SIGNED');

-- AlterTable
ALTER TABLE "SessionSlot" ADD COLUMN     "gridStatus" "GridStatus" NOT NULL DEFAULT 'OPEN',
ADD COLUMN     "phase" "SlotPhase" NOT NULL DEFAULT 'ACCUEIL',
ADD COLUMN     "phaseStartedAt" TIMESTAMP(3),
ADD COLUMN     "sealedAt" TIMESTAMP(3),
ADD COLUMN     "sealedContent" JSONB,
ADD COLUMN     "sealedHash" TEXT,
ADD COLUMN     "signedAt" TIMESTAMP(3),
ADD COLUMN     "signingRound" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ConflictDeclaration" (
    "id" TEXT NOT NULL,
    "slotId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "noConflict" BOOLEAN NOT NULL,
    "note" TEXT,
    "declaredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "ConflictDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GridSignature" (
    "id" TEXT NOT NULL,
    "slotId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    "voidedAt" TIMESTAMP(3),

    CONSTRAINT "GridSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignedDocument" (
    "id" TEXT NOT NULL,
    "slotId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignedDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConflictDeclaration_slotId_userId_key" ON "ConflictDeclaration"("slotId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "GridSignature_slotId_round_userId_key" ON "GridSignature"("slotId", "round", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "SignedDocument_slotId_kind_key" ON "SignedDocument"("slotId", "kind");

-- AddForeignKey
ALTER TABLE "ConflictDeclaration" ADD CONSTRAINT "ConflictDeclaration_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "SessionSlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GridSignature" ADD CONSTRAINT "GridSignature_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "SessionSlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignedDocument" ADD CONSTRAINT "SignedDocument_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "SessionSlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
