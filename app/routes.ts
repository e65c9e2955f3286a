import { index, route, type RouteConfig } from "@remix-run/route-config";

export default [
  index("routes/home/dashboard.tsx"),
  route("login", "routes/auth/login.tsx"),
  route("logout", "routes/auth/logout.tsx"),
  route("mot-de-passe-oublie", "routes/auth/forgot-password.tsx"),
  route("mot-de-passe-oublie/:token", "routes/auth/reset-password.tsx"),
  route("mes-sessions", "routes/auth/my-sessions.tsx"),
  route("organisation-active", "routes/auth/active-organisation.tsx"),

  // --- live sessions
  route("sessions", "routes/sessions/sessions.tsx"),
  route("sessions/:sessionId", "routes/sessions/session.tsx"),
  route("sessions/:sessionId/jury", "routes/sessions/session-jury.tsx"),
  route("sessions/:sessionId/jury/grilles/:slotId", "routes/sessions/session-jury-grid-pdf.tsx"),
  route("sessions/:sessionId/jury/pieces/:evidenceId", "routes/sessions/session-jury-evidence.tsx"),
  route("sessions/:sessionId/recours", "routes/sessions/session-appeals.tsx"),
  route("sessions/:sessionId/passages/:slotId", "routes/sessions/session-passage.tsx"),
  route("sessions/:sessionId/proces-verbal", "routes/sessions/session-minutes.tsx"),
  route("sessions/:sessionId/proces-verbal.pdf", "routes/sessions/session-minutes-pdf.tsx"),
  route("sessions/:sessionId/proces-verbal/commande", "routes/sessions/session-minutes-command.tsx"),
  route("sessions/:sessionId/decisions/:agendaItemId", "routes/sessions/session-decision.tsx"),
  route("sessions/:sessionId/decisions/:agendaItemId/fiche.pdf", "routes/sessions/session-decision-pdf.tsx"),
  route("sessions/:sessionId/passages/:slotId/grille.pdf", "routes/sessions/session-passage-pdf.tsx"),
  route("sessions/:sessionId/passages/:slotId/pieces/:evidenceId", "routes/sessions/session-passage-evidence.tsx"),
  route("sessions/pdf/relancer", "routes/sessions/retry-render.tsx"),

  // --- back office: certifications and référentiels
  route("certifications", "routes/certifications/certifications.tsx"),
  route("certifications/new", "routes/certifications/certification-new.tsx"),
  route("certifications/:certificationId", "routes/certifications/certification.tsx"),
  route("certifications/:certificationId/scheme", "routes/certifications/certification-scheme.tsx"),
  route("certifications/:certificationId/import", "routes/certifications/referential-import.tsx"),
  route("certifications/:certificationId/versions/:versionId", "routes/certifications/referential-version.tsx"),
  route("certifications/:certificationId/versions/:versionId/export", "routes/certifications/referential-export.tsx"),

  // --- back office: candidates and dossiers
  route("candidates", "routes/candidates/candidates.tsx"),
  route("candidates/new", "routes/candidates/candidate-new.tsx"),
  route("candidates/:candidateId", "routes/candidates/candidate.tsx"),
  route("candidates/:candidateId/edit", "routes/candidates/candidate-edit.tsx"),
  route("dossiers/:dossierId", "routes/candidates/dossier.tsx"),
  route("dossiers/:dossierId/pieces/:evidenceId", "routes/candidates/dossier-evidence.tsx"),

  // --- back office: planning, habilitations, convocations
  route("sessions/new", "routes/planning/planning-new.tsx"),
  route("sessions/:sessionId/planning", "routes/planning/planning.tsx"),
  route("habilitations", "routes/planning/habilitations.tsx"),
  route("outbox", "routes/outbox/outbox.tsx"),

  // --- back office: the organisation's members (administration)
  route("membres", "routes/members/members.tsx"),

  // --- delivery: public verification (no login) and the credentials' status list
  route("verifier/:code", "routes/delivery/verifier.tsx"),
  route("verifier/:code/credential.json", "routes/delivery/verifier-credential.tsx"),
  route("credentials/status/:orgId", "routes/delivery/credential-status.tsx"),
  // --- delivery for the secretariat: a jury session's « Délivrance », record commands and downloads
  route("sessions/:sessionId/delivrance", "routes/delivery/session-delivery.tsx"),
  route("delivrance/documents/:recordId", "routes/delivery/record-command.tsx"),
  route("delivrance/documents/:recordId/credential.json", "routes/delivery/record-credential.tsx"),
  route("delivrance/pdf/:kind/:documentId", "routes/delivery/delivery-pdf.tsx"),
  route("outbox/:emailId", "routes/outbox/outbox-email.tsx"),
  route("outbox/:emailId/convocation.ics", "routes/outbox/outbox-ics.tsx"),

  // --- the desk: figures, archive, declaration of holders, exports
  route("chiffres.csv", "routes/home/figures-csv.tsx"),
  route("archives", "routes/archives/archives.tsx"),
  route("archives/:documentId/document.pdf", "routes/archives/archive-document.tsx"),
  route("archives/:documentId/badge.json", "routes/archives/archive-credential.tsx"),
  route("archives/sessions/:sessionId/dossier.zip", "routes/archives/archive-session-zip.tsx"),
  route("declarations", "routes/archives/declarations.tsx"),
  route("declarations/fichier.xml", "routes/archives/declaration-file.tsx"),
  route("exports/:file", "routes/archives/export-csv.tsx"),

  // --- anything else: the French 404 inside the normal layout
  route("*", "routes/home/not-found.tsx"),
] satisfies RouteConfig;
