-- A return the member's page says followed its own departure from another page of the session (app/domain/minutes.ts isNavigation)
ALTER TABLE "ConnectionEvent" ADD COLUMN "navigated" BOOLEAN NOT NULL DEFAULT false;
