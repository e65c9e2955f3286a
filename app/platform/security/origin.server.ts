/**
 * Cross-site request refusal for every non-GET request: the browser's Sec-Fetch-Site when present, else the
 * Origin header compared with the host (the one rule in ./request-origin, shared with the websockets).
 */
import type { IncomingHttpHeaders } from "node:http";
import { isCrossOrigin } from "./request-origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CROSS_SITE_MESSAGE = "Requête refusée : elle ne provient pas de Quorum (contrôle d'origine).";

export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders, trustProxy = false): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const fetchSite = headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && fetchSite !== "same-origin" && fetchSite !== "none") return CROSS_SITE_MESSAGE;
  return isCrossOrigin(headers, trustProxy) ? CROSS_SITE_MESSAGE : null;
}
