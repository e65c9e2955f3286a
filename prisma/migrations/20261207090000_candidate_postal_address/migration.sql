-- A candidate's postal address, where the decision notice letter is posted in a window envelope (one line per
-- envelope line, optional: candidates notified by e-mail or handed their letter may have none).
ALTER TABLE "Candidate" ADD COLUMN "postalAddress" TEXT;
