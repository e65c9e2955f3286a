-- ConnectionEvent.voluntary: the member's page closed the connection itself (a navigation, a reload), as opposed to
-- a lost connection. Earlier rows are taken as lost connections, as they were reported.
ALTER TABLE "ConnectionEvent" ADD COLUMN "voluntary" BOOLEAN NOT NULL DEFAULT false;
