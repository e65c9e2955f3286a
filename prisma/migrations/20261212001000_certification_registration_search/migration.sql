-- A certification is found by its RNCP or RS registration too (app/back-office/certifications/shared.server.ts,
-- certificationSearchKey: code, title, then registration). A registration code is RNCP or RS and digits only, so its
-- folded form is its lower case, appended to the key written before it existed.
UPDATE "Certification"
SET "searchKey" = trim(concat_ws(' ', "searchKey", lower("registrationCode")))
WHERE "registrationCode" IS NOT NULL AND "registrationCode" <> '';
