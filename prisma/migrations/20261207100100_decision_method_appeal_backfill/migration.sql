-- The decisions already revised on an appeal were recorded as a consensus: they were taken on the appeal. (Apart from
-- the migration adding the value: PostgreSQL uses a new enum value only once the transaction adding it committed.)
UPDATE "JuryDecision" SET "method" = 'APPEAL'
WHERE "id" IN (SELECT "newDecisionId" FROM "Appeal" WHERE "newDecisionId" IS NOT NULL);
