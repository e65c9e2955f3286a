/**
 * Cross-site request refusal for every non-GET request: the browser's Sec-Fetch-Site when present, else the
 * Origin header compared with the Host. Requests with neither header (curl, server-to-server) pass: they carry
 * no ambient cookie a third site could abuse.
 */
import type { IncomingHttpHeaders } from "node:http";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CROSS_SITE_MESSAGE = "Requête refusée : elle ne provient pas de Quorum (contrôle d'origine).";

export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const fetchSite = headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && fetchSite !== "same-origin" && fetchSite !== "none") return CROSS_SITE_MESSAGE;
  const origin = headers.origin;
  if (origin === undefined) return null;
  const host = headers["x-forwarded-host"] ?? headers.host;
  try {
    if (origin === "null" || new URL(origin).host !== host) return CROSS_SITE_MESSAGE;
  } catch {
    return CROSS_SITE_MESSAGE;
  }
  return null;
}
