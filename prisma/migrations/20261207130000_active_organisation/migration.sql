-- The « organisation active » of a login session (a person who belongs to several organisations chooses it in the
-- header). A preference only: each request re-checks it against the person's memberships, read with the session in
-- the same statement, and falls back when it is no longer one of them. NULL: never chosen (the default applies).
ALTER TABLE "AuthSession" ADD COLUMN "activeOrganisationId" TEXT;
