-- Secret votes keep totals only: one count per (poll, choice) instead of one row per ballot.
-- CreateTable
CREATE TABLE "JurySecretTally" (
    "pollId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "JurySecretTally_pkey" PRIMARY KEY ("pollId","choice")
);

-- AddForeignKey
ALTER TABLE "JurySecretTally" ADD CONSTRAINT "JurySecretTally_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "JuryPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The existing ballots become counts
INSERT INTO "JurySecretTally" ("pollId", "choice", "count")
SELECT "pollId", "choice", COUNT(*)::INTEGER FROM "JurySecretBallot" GROUP BY "pollId", "choice";

-- DropTable
DROP TABLE "JurySecretBallot";
