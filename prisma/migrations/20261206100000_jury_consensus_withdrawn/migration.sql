-- A consensus the presiding member went back on, with the reason (app/live/jury/withdraw-consensus.server.ts): it no
-- longer settles its question, and the row stays, shown as superseded in the room and the minutes.
ALTER TABLE "JuryPoll" ADD COLUMN "withdrawnAt" TIMESTAMP(3);
ALTER TABLE "JuryPoll" ADD COLUMN "withdrawnById" TEXT;
ALTER TABLE "JuryPoll" ADD COLUMN "withdrawnReason" TEXT;
