/**
 * The one origin comparison shared by HTTP (server.ts, through ./origin.server, which also requires an Origin on
 * every non-GET), socket.io (realtime/events) and the Yjs upgrade (realtime/yjs). Pure: it reads headers, nothing else. `X-Forwarded-Host` counts only when the server trusts its
 * proxy (TRUST_PROXY), otherwise anyone could forge it.
 */
export type HeaderBag = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const head = raw?.split(",")[0]?.trim();
  return head ? head : undefined;
}

/** The host the browser addressed: the proxy's `X-Forwarded-Host` when trusted, else `Host`. */
export function requestHost(headers: HeaderBag, trustProxy: boolean): string | undefined {
  return (trustProxy ? first(headers["x-forwarded-host"]) : undefined) ?? first(headers.host);
}

/**
 * Whether a request carrying an `Origin` header comes from another site. No `Origin` is not cross-site here: that
 * is the websockets' rule (a browser always sends Origin on a websocket, so its absence means a Node client, and the
 * session cookie is checked anyway). HTTP is stricter: `crossSiteRefusal` (./origin.server) refuses a non-GET
 * request without Origin before asking this.
 */
export function isCrossOrigin(headers: HeaderBag, trustProxy: boolean): boolean {
  const origin = first(headers.origin);
  if (origin === undefined) return false;
  if (origin === "null") return true;
  const host = requestHost(headers, trustProxy);
  if (!host) return true;
  try {
    return new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}

/** TRUST_PROXY=1/true/yes: the server sits behind a reverse proxy that sets X-Forwarded-* (and terminates HTTPS). */
export function trustProxyFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env.TRUST_PROXY ?? "");
}
