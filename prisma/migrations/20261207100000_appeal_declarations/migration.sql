-- A decision revised on an appeal is taken on the appeal (method APPEAL), not by a consensus. And each voting member
-- declares for the appellant (no link, or a conflict that recuses him) before the jury rules on the appeal.
ALTER TYPE "DecisionMethod" ADD VALUE 'APPEAL';

CREATE TABLE "JuryAppealDeclaration" (
    "id" TEXT NOT NULL,
    "appealId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conflict" BOOLEAN NOT NULL,
    "note" TEXT,
    "declaredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JuryAppealDeclaration_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "JuryAppealDeclaration_appealId_userId_key" ON "JuryAppealDeclaration"("appealId", "userId");

ALTER TABLE "JuryAppealDeclaration" ADD CONSTRAINT "JuryAppealDeclaration_appealId_fkey" FOREIGN KEY ("appealId") REFERENCES "Appeal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
