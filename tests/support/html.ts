/** React escapes quotes in text; the assertions read French text as a person would. */
export function decodeHtml(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;|&#xa0;/g, "\u00a0")
    .replace(/&amp;/g, "&");
}

/** A page as a signed-in person reads it (status 200 expected by the caller), its text decoded. */
export async function readPage(baseUrl: string, cookie: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
  return { status: res.status, text: decodeHtml(await res.text()) };
}

/** A plain form post (no JavaScript), or a fetcher's single-fetch post when `path` ends in `.data`. */
export function postForm(baseUrl: string, cookie: string, path: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: baseUrl }, body: new URLSearchParams(body) });
}
