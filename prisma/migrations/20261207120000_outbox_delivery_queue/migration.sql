-- The outbox as a delivery queue shared by the server processes (app/platform/mail/outbox-delivery.server.ts).
-- "nextAttemptAt": when the e-mail is next due to the SMTP relay (NULL: not to be sent by Quorum, i.e. written
-- without a relay, sent, or given up), or the end of the lease of the process sending it now.
-- "attempts": the hand-overs to the relay tried so far.
ALTER TABLE "OutboxEmail" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "OutboxEmail" ADD COLUMN "nextAttemptAt" TIMESTAMP(3);
CREATE INDEX "OutboxEmail_nextAttemptAt_idx" ON "OutboxEmail"("nextAttemptAt");
