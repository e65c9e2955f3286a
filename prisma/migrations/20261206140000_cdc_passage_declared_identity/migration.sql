-- A holder's identity corrected after their passage was declared to the Caisse des Dépôts is to declare again: the
-- passage keeps the identity as the last file declared it, and since when the holder's no longer matches it.
ALTER TABLE "CdcPassage" ADD COLUMN "declaredHolder" TEXT;
ALTER TABLE "CdcPassage" ADD COLUMN "identityChangedAt" TIMESTAMP(3);
