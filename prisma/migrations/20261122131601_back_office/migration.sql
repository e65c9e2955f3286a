-- CreateEnum
CREATE TYPE "DossierRoute" AS ENUM ('FORMATION', 'VAE', 'BLOCS');

-- CreateEnum
CREATE TYPE "DossierStatus" AS ENUM ('DRAFT', 'REGISTERED', 'POSITIONED', 'IN_TRAINING', 'IN_EVALUATION', 'COMPLETE', 'ON_AGENDA', 'DECIDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "VaeAdmissibility" AS ENUM ('PENDING', 'ADMISSIBLE', 'NOT_ADMISSIBLE');

-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "birthCountry" TEXT,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "trainerId" TEXT,
ADD COLUMN     "trainerName" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Certification" ADD COLUMN     "certifierName" TEXT,
ADD COLUMN     "certifierSignatory" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Competence" ADD COLUMN     "modalities" TEXT[];

-- AlterTable
ALTER TABLE "Criterion" ADD COLUMN     "mandatory" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ReferentialVersion" ADD COLUMN     "notes" TEXT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "phaseDurations" JSONB;

-- AlterTable
ALTER TABLE "SessionMember" ADD COLUMN     "convokedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SessionSlot" ADD COLUMN     "dossierId" TEXT;

-- CreateTable
CREATE TABLE "Dossier" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "certificationId" TEXT NOT NULL,
    "referentialVersionId" TEXT NOT NULL,
    "route" "DossierRoute" NOT NULL,
    "status" "DossierStatus" NOT NULL DEFAULT 'DRAFT',
    "positioning" JSONB,
    "positionedAt" TIMESTAMP(3),
    "companyOpinion" TEXT,
    "companyOpinionFavourable" BOOLEAN,
    "companyOpinionAt" TIMESTAMP(3),
    "vaeExperienceMonths" INTEGER,
    "vaeAdmissibility" "VaeAdmissibility",
    "vaeDecidedAt" TIMESTAMP(3),
    "vaeDecisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dossier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DossierBloc" (
    "dossierId" TEXT NOT NULL,
    "blocId" TEXT NOT NULL,

    CONSTRAINT "DossierBloc_pkey" PRIMARY KEY ("dossierId","blocId")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "uploadedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Habilitation" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "certificationId" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Habilitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryAgendaItem" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "JuryAgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEmail" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "ics" TEXT,
    "sessionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "OutboxEmail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGSERIAL NOT NULL,
    "organisationId" TEXT,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "Dossier_organisationId_status_idx" ON "Dossier"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Dossier_candidateId_idx" ON "Dossier"("candidateId");

-- CreateIndex
CREATE INDEX "Evidence_dossierId_idx" ON "Evidence"("dossierId");

-- CreateIndex
CREATE INDEX "Habilitation_userId_certificationId_idx" ON "Habilitation"("userId", "certificationId");

-- CreateIndex
CREATE UNIQUE INDEX "JuryAgendaItem_sessionId_dossierId_key" ON "JuryAgendaItem"("sessionId", "dossierId");

-- CreateIndex
CREATE INDEX "OutboxEmail_organisationId_createdAt_idx" ON "OutboxEmail"("organisationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_trainerId_fkey" FOREIGN KEY ("trainerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dossier" ADD CONSTRAINT "Dossier_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dossier" ADD CONSTRAINT "Dossier_certificationId_fkey" FOREIGN KEY ("certificationId") REFERENCES "Certification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dossier" ADD CONSTRAINT "Dossier_referentialVersionId_fkey" FOREIGN KEY ("referentialVersionId") REFERENCES "ReferentialVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DossierBloc" ADD CONSTRAINT "DossierBloc_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DossierBloc" ADD CONSTRAINT "DossierBloc_blocId_fkey" FOREIGN KEY ("blocId") REFERENCES "Bloc"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Habilitation" ADD CONSTRAINT "Habilitation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Habilitation" ADD CONSTRAINT "Habilitation_certificationId_fkey" FOREIGN KEY ("certificationId") REFERENCES "Certification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryAgendaItem" ADD CONSTRAINT "JuryAgendaItem_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryAgendaItem" ADD CONSTRAINT "JuryAgendaItem_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
