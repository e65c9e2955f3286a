/**
 * Post-login destinations: only a path on this site, after the same normalisation a browser applies
 * (WHATWG URL parsing strips tabs and newlines and treats `\` as `/`), so `/\tevil.example`, `//evil`,
 * `/\evil` and friends never leave the site.
 */
const BASE = "http://quorum.invalid";

export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  // Any control character (tab, newline, NUL…) is refused outright: a browser would silently drop some of them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised path must itself stay a single-slash path.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
