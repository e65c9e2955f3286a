-- A password link is a reset (« mot de passe oublié ») or the invitation of a new member of an organisation, who
-- chooses a first password with it (app/back-office/members/invite-member.server.ts).
ALTER TABLE "PasswordResetToken" ADD COLUMN "purpose" TEXT NOT NULL DEFAULT 'RESET';
