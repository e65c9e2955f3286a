-- AuditEvent.sessionId: the session an event belongs to, an indexed mirror of the hashed payload (not hashed itself,
-- so the chain keeps its hashes). New rows get it from recordAudit. Existing rows are backfilled from what they hash
-- (data sessionId, a session-keyed subject) or else by joining their subject to the session it belongs to.
ALTER TABLE "AuditEvent" ADD COLUMN "sessionId" TEXT;

-- CreateIndex
CREATE INDEX "AuditEvent_sessionId_seq_idx" ON "AuditEvent"("sessionId", "seq");

UPDATE "AuditEvent" SET "sessionId" = "data"->>'sessionId'
WHERE jsonb_typeof("data") = 'object' AND "data"->>'sessionId' IS NOT NULL AND "data"->>'sessionId' <> '';

UPDATE "AuditEvent" SET "sessionId" = "subjectId"
WHERE "sessionId" IS NULL AND "subjectType" IN ('Session', 'SessionMinutes', 'SessionValidation');

UPDATE "AuditEvent" a SET "sessionId" = p."sessionId" FROM "JuryPoll" p
WHERE a."sessionId" IS NULL AND a."subjectType" = 'JuryPoll' AND a."subjectId" = p."id";

UPDATE "AuditEvent" a SET "sessionId" = i."sessionId" FROM "JuryAgendaItem" i
WHERE a."sessionId" IS NULL AND a."subjectType" IN ('JuryAgendaItem', 'JuryDecisionSheet') AND a."subjectId" = i."id";

UPDATE "AuditEvent" a SET "sessionId" = d."sessionId" FROM "JuryDecision" d
WHERE a."sessionId" IS NULL AND a."subjectType" = 'JuryDecision' AND a."action" LIKE 'jury.%' AND a."subjectId" = d."id";

UPDATE "AuditEvent" a SET "sessionId" = s."sessionId" FROM "SessionSlot" s
WHERE a."sessionId" IS NULL AND a."subjectType" = 'SessionSlot' AND a."subjectId" = s."id";
