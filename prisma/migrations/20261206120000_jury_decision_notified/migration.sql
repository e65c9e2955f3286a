-- When a decision was notified to its candidate (app/delivery/send-decision-notice.server.ts, the day its notice job
-- was queued): read with the decisions, so the desk lists the decisions still to notify without another statement.
-- The decisions notified before keep their notice job's date.
ALTER TABLE "JuryDecision" ADD COLUMN "notifiedAt" TIMESTAMP(3);
UPDATE "JuryDecision" AS d SET "notifiedAt" = j."createdAt"
  FROM (SELECT "documentId", MIN("createdAt") AS "createdAt" FROM "RenderJob" WHERE "documentKind" = 'notice' GROUP BY "documentId") AS j
  WHERE j."documentId" = d."id";
