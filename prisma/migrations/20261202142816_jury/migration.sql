-- CreateEnum
CREATE TYPE "JuryPhase" AS ENUM ('PRESENTATION', 'DELIBERATION', 'DECISION');

-- CreateEnum
CREATE TYPE "AttendanceKind" AS ENUM ('ARRIVED', 'LEFT');

-- CreateEnum
CREATE TYPE "QuorumEventKind" AS ENUM ('LOST', 'RECOVERED');

-- CreateEnum
CREATE TYPE "PollState" AS ENUM ('CREATED', 'STARTED', 'FINISHED');

-- CreateEnum
CREATE TYPE "PollMode" AS ENUM ('CONSENSUS', 'OPEN', 'SECRET');

-- CreateEnum
CREATE TYPE "PollSubject" AS ENUM ('OVERALL', 'BLOC', 'COMPETENCE');

-- CreateEnum
CREATE TYPE "JuryOverall" AS ENUM ('TOTAL', 'PARTIAL', 'NONE', 'ADJOURNED');

-- CreateEnum
CREATE TYPE "DecisionMethod" AS ENUM ('CONSENSUS', 'OPEN', 'SECRET');

-- CreateEnum
CREATE TYPE "DecisionTarget" AS ENUM ('BLOC', 'COMPETENCE');

-- AlterTable
ALTER TABLE "JuryAgendaItem" ADD COLUMN     "conformityAckAt" TIMESTAMP(3),
ADD COLUMN     "conformityAckById" TEXT,
ADD COLUMN     "conformityRemarks" JSONB,
ADD COLUMN     "conformitySnapshot" JSONB,
ADD COLUMN     "phase" "JuryPhase" NOT NULL DEFAULT 'PRESENTATION',
ADD COLUMN     "phaseStartedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "actualEndAt" TIMESTAMP(3),
ADD COLUMN     "actualStartAt" TIMESTAMP(3),
ADD COLUMN     "juryStateVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "quorumMet" BOOLEAN;

-- CreateTable
CREATE TABLE "JuryConflictDeclaration" (
    "id" TEXT NOT NULL,
    "agendaItemId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conflict" BOOLEAN NOT NULL,
    "note" TEXT,
    "declaredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JuryConflictDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryAttendanceEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "AttendanceKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedById" TEXT,

    CONSTRAINT "JuryAttendanceEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryProxy" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "giverId" TEXT NOT NULL,
    "holderId" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "grantedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "JuryProxy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryQuorumEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "kind" "QuorumEventKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "JuryQuorumEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryPoll" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "agendaItemId" TEXT NOT NULL,
    "subject" "PollSubject" NOT NULL,
    "subjectId" TEXT,
    "question" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "mode" "PollMode" NOT NULL,
    "state" "PollState" NOT NULL DEFAULT 'CREATED',
    "majorityBase" TEXT NOT NULL,
    "entitledVoterIds" JSONB,
    "recusedUserIds" JSONB,
    "baseCount" INTEGER,
    "tallies" JSONB,
    "result" TEXT,
    "tie" BOOLEAN NOT NULL DEFAULT false,
    "castingVoteChoice" TEXT,
    "castingVoteById" TEXT,
    "consensusChoice" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JuryPoll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryOpenVote" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "actingUserId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "castAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JuryOpenVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryPollVoter" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "actingUserId" TEXT NOT NULL,
    "votedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JuryPollVoter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JurySecretBallot" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,

    CONSTRAINT "JurySecretBallot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryDecision" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "agendaItemId" TEXT NOT NULL,
    "dossierId" TEXT NOT NULL,
    "overall" "JuryOverall" NOT NULL,
    "granularity" TEXT NOT NULL,
    "adjournmentReason" TEXT,
    "method" "DecisionMethod" NOT NULL,
    "pollId" TEXT,
    "tallies" JSONB,
    "castingVoteUsed" BOOLEAN NOT NULL DEFAULT false,
    "preconisationsDoc" TEXT NOT NULL,
    "decidedById" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JuryDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JuryDecisionItem" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "target" "DecisionTarget" NOT NULL,
    "targetId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "commissionOutcome" TEXT NOT NULL,
    "acquired" BOOLEAN NOT NULL,
    "followed" BOOLEAN NOT NULL,
    "reason" TEXT,

    CONSTRAINT "JuryDecisionItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "JuryConflictDeclaration_agendaItemId_userId_key" ON "JuryConflictDeclaration"("agendaItemId", "userId");

-- CreateIndex
CREATE INDEX "JuryAttendanceEvent_sessionId_at_idx" ON "JuryAttendanceEvent"("sessionId", "at");

-- CreateIndex
CREATE INDEX "JuryProxy_sessionId_giverId_idx" ON "JuryProxy"("sessionId", "giverId");

-- CreateIndex
CREATE INDEX "JuryQuorumEvent_sessionId_at_idx" ON "JuryQuorumEvent"("sessionId", "at");

-- CreateIndex
CREATE INDEX "JuryPoll_sessionId_idx" ON "JuryPoll"("sessionId");

-- CreateIndex
CREATE INDEX "JuryPoll_agendaItemId_idx" ON "JuryPoll"("agendaItemId");

-- CreateIndex
CREATE UNIQUE INDEX "JuryOpenVote_pollId_userId_key" ON "JuryOpenVote"("pollId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "JuryPollVoter_pollId_userId_key" ON "JuryPollVoter"("pollId", "userId");

-- CreateIndex
CREATE INDEX "JurySecretBallot_pollId_idx" ON "JurySecretBallot"("pollId");

-- CreateIndex
CREATE UNIQUE INDEX "JuryDecision_agendaItemId_key" ON "JuryDecision"("agendaItemId");

-- CreateIndex
CREATE INDEX "JuryDecision_dossierId_idx" ON "JuryDecision"("dossierId");

-- CreateIndex
CREATE UNIQUE INDEX "JuryDecisionItem_decisionId_target_targetId_key" ON "JuryDecisionItem"("decisionId", "target", "targetId");

-- AddForeignKey
ALTER TABLE "JuryConflictDeclaration" ADD CONSTRAINT "JuryConflictDeclaration_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "JuryAgendaItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryAttendanceEvent" ADD CONSTRAINT "JuryAttendanceEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryProxy" ADD CONSTRAINT "JuryProxy_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryQuorumEvent" ADD CONSTRAINT "JuryQuorumEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryPoll" ADD CONSTRAINT "JuryPoll_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryPoll" ADD CONSTRAINT "JuryPoll_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "JuryAgendaItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryOpenVote" ADD CONSTRAINT "JuryOpenVote_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "JuryPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryPollVoter" ADD CONSTRAINT "JuryPollVoter_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "JuryPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JurySecretBallot" ADD CONSTRAINT "JurySecretBallot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "JuryPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryDecision" ADD CONSTRAINT "JuryDecision_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryDecision" ADD CONSTRAINT "JuryDecision_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "JuryAgendaItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryDecision" ADD CONSTRAINT "JuryDecision_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuryDecisionItem" ADD CONSTRAINT "JuryDecisionItem_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "JuryDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;
