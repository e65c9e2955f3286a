-- A branch certification (CQPM...) is identified by its branch number, its RNCP or RS registration (for the declaration
-- of its holders to the Caisse des Depots) is kept apart and stays editable.
ALTER TABLE "Certification" ADD COLUMN "registrationCode" TEXT;
