/**
 * What every HTTP response and request body goes through before Remix (server.ts applies these). Pure: headers
 * in, headers or a refusal out, so each rule is unit-tested without a server.
 */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** A random CSP nonce (base64, 128 bits), one per response. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/**
 * Security headers for every response. `nonce` allows Remix's inline scripts (entry.server passes it to
 * <Scripts>, <ScrollRestoration> and the streamed context); `dev` admits Vite's inline scripts and styles and its
 * HMR websocket; HSTS only when the request came over HTTPS.
 */
export function securityHeaders(options: { nonce: string; https: boolean; dev: boolean }): Record<string, string> {
  const { nonce, https, dev } = options;
  const csp = [
    "default-src 'self'",
    // Production: the nonce admits Remix's inline scripts; 'self' the route chunks (dynamic imports included).
    // Development: Vite's dev server injects its own inline scripts (HMR, React refresh) without the nonce.
    dev ? "script-src 'self' 'unsafe-inline' 'unsafe-eval'" : `script-src 'self' 'nonce-${nonce}'`,
    // The nonce admits the style elements CodeMirror mounts (its base theme, the synthesis' height, the other members'
    // cursors and names): without it the browser dropped them and the synthesis editor lost its look and its cursors.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // Inline style attributes (React's style={{…}}) are set through the DOM, which style-src-attr governs.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Websockets (socket.io, /yjs) to this origin only: 'self' covers ws(s): in CSP Level 3.
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/* ------------------------------------------------------------------------------------------------ bodies */

/** Every request body is at most this large, unless its path has its own documented limit below. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Evidence uploads (app/back-office/dossiers/parse-evidence-upload.server.ts: 4 × 10 MB per request). */
export const UPLOAD_BODY_LIMIT = 40 * 1024 * 1024;
/**
 * The pages that import one file: a référentiel (app/routes/certifications/referential-import.tsx, 1 MB) and the
 * Caisse des Dépôts' processing acknowledgement (app/routes/archives/declarations.tsx, 5 MB). Above the file's own
 * limit the page answers in place, at its form, without reading the body; this bound only keeps what is read (and
 * dropped) in proportion.
 */
export const FILE_IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
/**
 * A form over its path's limit is answered « trop volumineux » by the page (its error boundary, in French) and the
 * body it sent is read and dropped so that the browser, still sending, reaches that answer. Past this declared size
 * the connection is closed after the answer instead (no browser form sends that much: each file field is checked
 * before sending).
 */
export const MAX_DROPPED_BODY = 64 * 1024 * 1024;

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;

export type BodyRefusal = { status: number; message: string; headers?: Record<string, string> };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const NOTHING_SAVED = "Rien n'a été enregistré.";
/** The paths with their own limit, and what the user reads past it (the page states its own file limits). */
const BODY_RULES: Array<{ page: RegExp; limit: number; tooLarge: string }> = [
  { page: /^\/dossiers\/[^/]+\/?$/, limit: UPLOAD_BODY_LIMIT, tooLarge: `Envoi trop volumineux : 40 Mo au plus par envoi, 10 Mo par pièce. ${NOTHING_SAVED}` },
  {
    page: /^\/(?:certifications\/[^/]+\/import|declarations)\/?$/,
    limit: FILE_IMPORT_BODY_LIMIT,
    tooLarge: `Envoi trop volumineux : le fichier dépasse la taille indiquée sur la page. ${NOTHING_SAVED}`,
  },
];

/** A page's path, or its data request's (Remix's single fetch posts a form to `<path>.data`). */
function ruleFor(path: string) {
  const page = path.replace(/\.data$/, "");
  return BODY_RULES.find((rule) => rule.page.test(page));
}

export function bodyLimitFor(path: string): number {
  return ruleFor(path)?.limit ?? DEFAULT_BODY_LIMIT;
}

/** The message of a body over the path's limit (413). */
export function tooLargeMessage(path: string): string {
  return ruleFor(path)?.tooLarge ?? `Envoi trop volumineux : ${DEFAULT_BODY_LIMIT / 1024 / 1024} Mo au plus. ${NOTHING_SAVED}`;
}

/**
 * Refuses a request before its body is read: unknown methods (405), a body without a declared length (411: the
 * declared Content-Length is then the hard cap, Node reads no more than it), a body over the path's limit (413),
 * and bodies that are not HTML forms (415: JSON, XML…).
 */
export function requestRefusal(method: string, path: string, headers: HeaderBag): BodyRefusal | null {
  const verb = method.toUpperCase();
  if (!(ALLOWED_METHODS as readonly string[]).includes(verb)) {
    return { status: 405, message: "Méthode non autorisée.", headers: { Allow: ALLOWED_METHODS.join(", ") } };
  }
  const lengthHeader = single(headers["content-length"]);
  const chunked = single(headers["transfer-encoding"]) !== undefined;
  if (verb !== "POST") {
    if (chunked || (lengthHeader !== undefined && lengthHeader !== "0")) {
      return { status: 400, message: "Cette requête ne doit pas avoir de contenu." };
    }
    return null;
  }
  if (lengthHeader === undefined || chunked) {
    return { status: 411, message: "Longueur du contenu requise (en-tête Content-Length)." };
  }
  if (!/^\d{1,12}$/.test(lengthHeader)) return { status: 400, message: "En-tête Content-Length invalide." };
  const length = Number(lengthHeader);
  const limit = bodyLimitFor(path);
  if (length > limit) {
    return { status: 413, message: tooLargeMessage(path) };
  }
  if (length > 0) {
    const type = (single(headers["content-type"]) ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
      return { status: 415, message: "Type de contenu refusé : seuls les formulaires sont acceptés." };
    }
  }
  return null;
}

/**
 * A URL carrying a NUL character (`%00`, in its path or its query): no page or link has one, and PostgreSQL refuses
 * it in a text, so a search or an identifier holding one would end in a 500. Refused with a 400 before any route,
 * as is a path whose %-escapes do not decode — both with a French message.
 */
export function urlRefusal(url: string): BodyRefusal | null {
  if (url.includes("\u0000") || /%00/.test(url)) return { status: 400, message: "Adresse invalide : elle contient un caractère nul." };
  // A path whose %-escapes do not decode (a verification link cut short or mistyped): Express would answer its own
  // English « Bad Request » page. The query string is left to its parser, which keeps such escapes as written.
  const path = url.split(/[?#]/, 1)[0]!;
  try {
    decodeURIComponent(path);
  } catch {
    return { status: 400, message: "Adresse invalide : elle contient un caractère mal encodé (%). Vérifiez le lien ou recopiez-le en entier." };
  }
  return null;
}
