-- The decision notice letters: the notification's (sequence 0, its document id the decision's) and those the
-- secretariat re-issues when the letter had no postal address or the address changed (a new sealed letter, the
-- previous one kept, marked superseded). Each letter keeps the address printed in its window.
-- CreateTable
CREATE TABLE "NoticeLetter" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "documentId" TEXT NOT NULL,
    "postalAddress" TEXT,
    "addressKnown" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedById" TEXT,
    "reason" TEXT,
    "supersededAt" TIMESTAMP(3),
    "supersededById" TEXT,

    CONSTRAINT "NoticeLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLetter_documentId_key" ON "NoticeLetter"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLetter_supersededById_key" ON "NoticeLetter"("supersededById");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLetter_decisionId_sequence_key" ON "NoticeLetter"("decisionId", "sequence");

-- AddForeignKey
ALTER TABLE "NoticeLetter" ADD CONSTRAINT "NoticeLetter_supersededById_fkey" FOREIGN KEY ("supersededById") REFERENCES "NoticeLetter"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeLetter" ADD CONSTRAINT "NoticeLetter_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "JuryDecision"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The letters of the candidates already notified. A letter's address was read when it was rendered: the candidate's
-- address now is the one printed when the candidate's file has not changed since (or when the letter is still to be
-- rendered, which now prints the frozen address). Otherwise the address printed is not known for sure.
INSERT INTO "NoticeLetter" ("id", "decisionId", "sequence", "documentId", "postalAddress", "addressKnown", "createdAt")
SELECT 'c' || substr(md5(j."id"), 1, 24), d."id", 0, d."id", c."postalAddress",
       j."status" <> 'DONE' OR c."updatedAt" <= coalesce(j."finishedAt", j."createdAt"),
       j."createdAt"
FROM "RenderJob" j
JOIN "JuryDecision" d ON d."id" = j."documentId"
JOIN "Dossier" o ON o."id" = d."dossierId"
JOIN "Candidate" c ON c."id" = o."candidateId"
WHERE j."documentKind" = 'notice' AND j."round" = 0;
