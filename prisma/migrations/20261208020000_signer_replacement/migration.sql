-- A replacement who signs in the stead of a prevented president (docs/decisions/0028-signer-unable-to-sign.md, « Le
-- vice-président signe pour le président empêché »): the session's vice-president, named when the empêchement is
-- recorded, and his signature given for the president (when, from where). Never a row of "Signature": no read of
-- signatures can ever say that the prevented president signed. Voided with the empêchement when the round is reopened.
ALTER TABLE "SignerUnavailability" ADD COLUMN "replacedById" TEXT;
ALTER TABLE "SignerUnavailability" ADD COLUMN "replacementSignedAt" TIMESTAMP(3);
ALTER TABLE "SignerUnavailability" ADD COLUMN "replacementIp" TEXT;
ALTER TABLE "SignerUnavailability" ADD COLUMN "replacementUserAgent" TEXT;

CREATE INDEX "SignerUnavailability_replacedById_idx" ON "SignerUnavailability"("replacedById");
