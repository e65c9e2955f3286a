-- Public verification codes for the decision notice letters and the fiches de décision (docs/decisions/0029), as the
-- delivery records have: 26 base32 characters, 130 random bits, printed on the sealed PDF and looked up by /verifier.
-- The letter also keeps the candidate's name it prints (the verification page shows the name as on the document).
ALTER TABLE "NoticeLetter" ADD COLUMN "verificationCode" TEXT;
ALTER TABLE "NoticeLetter" ADD COLUMN "candidateName" TEXT;
ALTER TABLE "JuryDecisionSheet" ADD COLUMN "verificationCode" TEXT;

-- A document whose PDF is not produced yet (a render job still to run, a sheet not yet signed) gets its code now, so
-- the PDF prints it. A document already sealed keeps none: its PDF cannot print one, and a code nobody holds verifies
-- nothing. Each code is drawn from gen_random_uuid() (PostgreSQL's strong random source, on PGlite too): 26 bytes of
-- two v4 UUIDs, skipping their version bytes (6 and 22), 5 random bits each. The function is volatile, so it is drawn
-- again for every row, and dropped once used (no semicolon in this file but between statements: the
-- script runner of @prisma/adapter-pg splits the script at each one, the function's body included).
CREATE FUNCTION "quorum_new_verification_code"() RETURNS TEXT LANGUAGE SQL VOLATILE AS $$
  SELECT array_to_string((array_agg(substr('abcdefghijklmnopqrstuvwxyz234567', get_byte(r.bytes, i) % 32 + 1, 1) ORDER BY i))[1:26], '')
  FROM (SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) AS bytes) r, generate_series(0, 31) i
  WHERE i NOT IN (6, 22)
$$;

UPDATE "NoticeLetter" l
SET "verificationCode" = "quorum_new_verification_code"(),
    "candidateName" = (
      SELECT c."givenNames" || ' ' || coalesce(c."usageName", c."birthName")
      FROM "JuryDecision" d
      JOIN "Dossier" o ON o."id" = d."dossierId"
      JOIN "Candidate" c ON c."id" = o."candidateId"
      WHERE d."id" = l."decisionId"
    )
WHERE NOT EXISTS (SELECT 1 FROM "SignedDocument" s WHERE s."kind" = 'notice' AND s."documentId" = l."documentId");

UPDATE "JuryDecisionSheet" h
SET "verificationCode" = "quorum_new_verification_code"()
WHERE NOT EXISTS (
  SELECT 1 FROM "SignedDocument" s JOIN "JuryDecision" d ON d."agendaItemId" = s."documentId"
  WHERE s."kind" = 'decision' AND d."id" = h."decisionId"
);

DROP FUNCTION "quorum_new_verification_code"();

CREATE UNIQUE INDEX "NoticeLetter_verificationCode_key" ON "NoticeLetter"("verificationCode");
CREATE UNIQUE INDEX "JuryDecisionSheet_verificationCode_key" ON "JuryDecisionSheet"("verificationCode");
