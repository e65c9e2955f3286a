import { index, route, type RouteConfig } from "@remix-run/route-config";

export default [
  index("routes/dashboard.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),

  // --- live sessions
  route("sessions", "routes/sessions.tsx"),
  route("sessions/:sessionId", "routes/session.tsx"),

  // --- back office: certifications and référentiels

  // --- back office: candidates and dossiers

  // --- back office: planning, habilitations, convocations
] satisfies RouteConfig;
