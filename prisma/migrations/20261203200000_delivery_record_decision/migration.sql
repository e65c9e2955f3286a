-- A delivery record's jury decision as a relation: the decision it follows must exist (decisions are never deleted),
-- and a page reads the organisation's decisions with their records in one statement (app/archive/list-decisions
-- .server.ts).
ALTER TABLE "DeliveryRecord" ADD CONSTRAINT "DeliveryRecord_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "JuryDecision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
