import { index, route, type RouteConfig } from "@remix-run/route-config";

export default [
  index("routes/dashboard.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("sessions", "routes/sessions.tsx"),
  route("sessions/:sessionId", "routes/session.tsx"),
] satisfies RouteConfig;
