-- A candidate reported to a later jury by the sitting's president (recusal deadlock), not deliberated in this sitting
ALTER TABLE "JuryAgendaItem" ADD COLUMN "postponedAt" TIMESTAMP(3),
ADD COLUMN "postponedById" TEXT,
ADD COLUMN "postponedReason" TEXT;
