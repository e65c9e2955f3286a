/**
 * Cross-site request refusal for every non-GET HTTP request (Lucia's « CSRF protection » recipe): the browser's
 * Sec-Fetch-Site when present, then the Origin header, which must be there and name this host (the comparison is the
 * one rule in ./request-origin, shared with the websockets).
 *
 * HTTP and the websockets differ on a request WITHOUT Origin:
 * - HTTP refuses it. Every browser sends Origin on a POST (a form as well as a fetch), so only a non-browser client
 *   omits it, and such a client replaying a stolen or copied session cookie (`curl -X POST -b quorum_session=…`)
 *   must not get the action done. Quorum has no endpoint that legitimately takes a non-browser POST: no webhook, no
 *   CSP report endpoint (the policy names no report-uri/report-to), the health check is a GET, the Caisse des
 *   Dépôts acknowledgement is imported through a browser form.
 * - The websockets (socket.io handshake, Yjs upgrade) accept it (`isCrossOrigin` is false): a browser always sends
 *   Origin on a websocket, so a missing one is a Node client (the tests, the benchmarks) that could not have been
 *   driven by another site, and the connection still needs a valid session cookie, checked right after.
 */
import type { IncomingHttpHeaders } from "node:http";
import { isCrossOrigin } from "./request-origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CROSS_SITE_MESSAGE = "Requête refusée : elle ne provient pas de Quorum (contrôle d'origine).";

export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders, trustProxy = false): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const fetchSite = headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && fetchSite !== "same-origin" && fetchSite !== "none") return CROSS_SITE_MESSAGE;
  // HTTP only: no Origin at all is refused too (see above; the websockets keep `isCrossOrigin`'s leniency).
  const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
  if (origin === undefined || origin.trim() === "") return CROSS_SITE_MESSAGE;
  return isCrossOrigin(headers, trustProxy) ? CROSS_SITE_MESSAGE : null;
}
