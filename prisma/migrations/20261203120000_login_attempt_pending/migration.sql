-- LoginAttempt.pending: an attempt reserved before its password check runs (app/platform/auth/login.server.ts),
-- settled once the check is done. Pending attempts count as failures for the account from that address and for the
-- address, so that guesses sent all at once meet the delays of guesses sent one after the other.
ALTER TABLE "LoginAttempt" ADD COLUMN "pending" BOOLEAN NOT NULL DEFAULT false;
