import { index, route, type RouteConfig } from "@remix-run/route-config";

export default [
  index("routes/dashboard.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),

  // --- live sessions
  route("sessions", "routes/sessions.tsx"),
  route("sessions/:sessionId", "routes/session.tsx"),
  route("sessions/:sessionId/passages/:slotId", "routes/session-passage.tsx"),
  route("sessions/:sessionId/passages/:slotId/grille.pdf", "routes/session-passage-pdf.tsx"),
  route("sessions/:sessionId/passages/:slotId/pieces/:evidenceId", "routes/session-passage-evidence.tsx"),

  // --- back office: certifications and référentiels
  route("certifications", "routes/certifications.tsx"),
  route("certifications/new", "routes/certification-new.tsx"),
  route("certifications/:certificationId", "routes/certification.tsx"),
  route("certifications/:certificationId/scheme", "routes/certification-scheme.tsx"),
  route("certifications/:certificationId/import", "routes/referential-import.tsx"),
  route("certifications/:certificationId/versions/:versionId", "routes/referential-version.tsx"),
  route("certifications/:certificationId/versions/:versionId/export", "routes/referential-export.tsx"),

  // --- back office: candidates and dossiers
  route("candidates", "routes/candidates.tsx"),
  route("candidates/new", "routes/candidate-new.tsx"),
  route("candidates/:candidateId", "routes/candidate.tsx"),
  route("candidates/:candidateId/edit", "routes/candidate-edit.tsx"),
  route("dossiers/:dossierId", "routes/dossier.tsx"),
  route("dossiers/:dossierId/pieces/:evidenceId", "routes/dossier-evidence.tsx"),

  // --- back office: planning, habilitations, convocations
  route("sessions/new", "routes/planning-new.tsx"),
  route("sessions/:sessionId/planning", "routes/planning.tsx"),
  route("habilitations", "routes/habilitations.tsx"),
  route("outbox", "routes/outbox.tsx"),
  route("outbox/:emailId", "routes/outbox-email.tsx"),
  route("outbox/:emailId/convocation.ics", "routes/outbox-ics.tsx"),
] satisfies RouteConfig;
