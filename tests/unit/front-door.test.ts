import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { createNonce, requestRefusal, securityHeaders, urlRefusal } from "~/platform/http/front-door";
import { withoutControlCharacters } from "~/platform/http/read-form.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { safeRedirect } from "~/platform/security/redirect";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "~/platform/security/origin.server";
import { isCrossOrigin, requestHost } from "~/platform/security/request-origin";

describe("safeRedirect: only same-origin paths after normalisation", () => {
  it.each([
    ["/\t/evil.example/x"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["https://evil.example/"],
    ["javascript:alert(1)"],
    [" /x"],
    ["/x\u0000y"],
    [""],
  ])("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/");
  });

  it("keeps ordinary paths, their query and fragment", () => {
    expect(safeRedirect("/sessions/abc?tab=1#x")).toBe("/sessions/abc?tab=1#x");
    expect(safeRedirect("/")).toBe("/");
    expect(safeRedirect("/a/../b")).toBe("/b");
  });

  it("uses the fallback for non-strings", () => {
    expect(safeRedirect(null, "/sessions")).toBe("/sessions");
    expect(safeRedirect(undefined)).toBe("/");
  });
});

describe("one origin check for HTTP, socket.io and Yjs", () => {
  it("compares Origin with Host", () => {
    expect(isCrossOrigin({ origin: "http://quorum.test", host: "quorum.test" }, false)).toBe(false);
    expect(isCrossOrigin({ origin: "http://evil.example", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ origin: "null", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ origin: "not a url", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ host: "quorum.test" }, false)).toBe(false);
  });

  it("refuses a non-GET HTTP request without Origin (curl with a copied session cookie), as Lucia's recipe does", () => {
    const host = { host: "quorum.test", cookie: "quorum_session=abc" };
    for (const method of ["POST", "post", "PUT", "PATCH", "DELETE"]) expect(crossSiteRefusal(method, host), method).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", { ...host, origin: "" })).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", { ...host, origin: "null" })).toBe(CROSS_SITE_MESSAGE);
    // Reading needs no Origin.
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(crossSiteRefusal(method, host), method).toBeNull();
  });

  it("lets a same-origin POST through, refuses a foreign Origin or a cross-site Sec-Fetch-Site", () => {
    const host = { host: "quorum.test" };
    expect(crossSiteRefusal("POST", { ...host, origin: "http://quorum.test" })).toBeNull();
    expect(crossSiteRefusal("POST", { ...host, origin: "http://quorum.test", "sec-fetch-site": "same-origin" })).toBeNull();
    expect(crossSiteRefusal("POST", { ...host, origin: "http://evil.example" })).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", { ...host, origin: "http://quorum.test", "sec-fetch-site": "cross-site" })).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", { ...host, origin: "http://quorum.test", "sec-fetch-site": "same-site" })).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", { ...host, "sec-fetch-site": "same-origin" })).toBe(CROSS_SITE_MESSAGE); // no Origin still refused
  });

  it("keeps the websockets' rule: no Origin is a Node client, not a cross-site one (its session cookie is checked after)", () => {
    expect(isCrossOrigin({ host: "quorum.test" }, false)).toBe(false);
    expect(isCrossOrigin({ host: "quorum.test", origin: "http://quorum.test" }, false)).toBe(false);
    expect(isCrossOrigin({ host: "quorum.test", origin: "http://evil.example" }, false)).toBe(true);
  });

  it("trusts X-Forwarded-Host only behind a trusted proxy", () => {
    const forged = { origin: "http://evil.example", host: "quorum.test", "x-forwarded-host": "evil.example" };
    expect(isCrossOrigin(forged, false)).toBe(true);
    expect(isCrossOrigin(forged, true)).toBe(false);
    expect(crossSiteRefusal("POST", forged, false)).toBe(CROSS_SITE_MESSAGE);
    expect(crossSiteRefusal("POST", forged, true)).toBeNull();
    expect(requestHost({ host: "a", "x-forwarded-host": "b, c" }, true)).toBe("b");
    expect(requestHost({ host: "a", "x-forwarded-host": ["b"] }, false)).toBe("a");
  });
});

describe("Content-Disposition (RFC 6266)", () => {
  it("gives a Latin-1-safe header for « LŒUILLET » that Node accepts", () => {
    const value = attachmentDisposition("grille-LŒUILLET.pdf");
    expect(value).toBe(`attachment; filename="grille-LOEUILLET.pdf"; filename*=UTF-8''grille-L%C5%92UILLET.pdf`);
    expect(() => new Headers({ "Content-Disposition": value })).not.toThrow();
  });

  it("drops quotes, control and bidi characters from the fallback", () => {
    const value = attachmentDisposition('fact"ure\u202Eexe.pdf\r\n');
    expect(value).toMatch(/^attachment; filename="fact_ureexe\.pdf"; filename\*=UTF-8''fact%22ureexe\.pdf$/);
  });
});

describe("security headers", () => {
  it("sends a CSP with the response's nonce, websockets to self only, no framing", () => {
    const headers = securityHeaders({ nonce: "abc123", https: false, dev: false });
    const csp = headers["Content-Security-Policy"];
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toContain("unsafe-inline' 'nonce");
    // CodeMirror's style elements (the synthesis editor) carry the nonce; no inline style element otherwise.
    expect(csp).toContain("style-src 'self' 'nonce-abc123'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("same-origin");
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
  });

  it("adds HSTS only over HTTPS", () => {
    expect(securityHeaders({ nonce: "n", https: true, dev: false })["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
  });

  it("gives a fresh nonce each time", () => {
    expect(createNonce()).not.toBe(createNonce());
  });
});

describe("request refusals before the body is read", () => {
  const form = { "content-type": "application/x-www-form-urlencoded" };
  it("refuses a 100 MB POST to /login by its declared length", () => {
    expect(requestRefusal("POST", "/login", { ...form, "content-length": String(100 * 1024 * 1024) })?.status).toBe(413);
  });
  it("keeps the upload limit on the dossier page", () => {
    expect(requestRefusal("POST", "/dossiers/d1", { "content-type": "multipart/form-data; boundary=x", "content-length": String(20 * 1024 * 1024) })).toBeNull();
    expect(requestRefusal("POST", "/dossiers/d1", { "content-type": "multipart/form-data; boundary=x", "content-length": String(41 * 1024 * 1024) })?.status).toBe(413);
  });
  it("lets the file imports' pages answer their own limit: a référentiel or an acknowledgement of a few MB reaches them", () => {
    const multipart = { "content-type": "multipart/form-data; boundary=x" };
    for (const path of ["/declarations", "/declarations.data", "/certifications/c1/import", "/certifications/c1/import.data"]) {
      expect(requestRefusal("POST", path, { ...multipart, "content-length": String(6 * 1024 * 1024) }), path).toBeNull();
      expect(requestRefusal("POST", path, { ...multipart, "content-length": String(9 * 1024 * 1024) })?.message, path).toBe(
        "Envoi trop volumineux : le fichier dépasse la taille indiquée sur la page. Rien n'a été enregistré.",
      );
    }
    // Any other form keeps the general limit, its data request too.
    expect(requestRefusal("POST", "/certifications/c1", { ...multipart, "content-length": String(2 * 1024 * 1024) })?.status).toBe(413);
    expect(requestRefusal("POST", "/declarations/fichier.xml", { ...multipart, "content-length": String(2 * 1024 * 1024) })?.status).toBe(413);
    expect(requestRefusal("POST", "/dossiers/d1.data", { ...multipart, "content-length": String(20 * 1024 * 1024) })).toBeNull();
  });
  it("requires a declared length (no unbounded chunked body)", () => {
    expect(requestRefusal("POST", "/login", { ...form, "transfer-encoding": "chunked" })?.status).toBe(411);
  });
  it("refuses JSON bodies and unknown methods with a 4xx", () => {
    expect(requestRefusal("POST", "/login", { "content-type": "application/json", "content-length": "2" })?.status).toBe(415);
    expect(requestRefusal("PUT", "/login", {})?.status).toBe(405);
    expect(requestRefusal("DELETE", "/sessions/x", {})?.headers?.Allow).toBe("GET, HEAD, POST");
    expect(requestRefusal("GET", "/login", {})).toBeNull();
    expect(requestRefusal("POST", "/login", { ...form, "content-length": "30" })).toBeNull();
  });
});

describe("PUBLIC_URL", () => {
  it("comes from the setting, never from a request", () => {
    expect(publicUrl({ PUBLIC_URL: "https://quorum.example.fr/" })).toBe("https://quorum.example.fr");
    expect(publicUrl({ PORT: "4000" })).toBe("http://localhost:4000");
    expect(() => publicUrl({ PUBLIC_URL: "ftp://x" })).toThrow();
  });
});

describe("NUL characters", () => {
  it("refuses a URL holding one, in its path or query, whatever the case of its escape", () => {
    for (const url of ["/dossiers/%00", "/candidates?q=a%00", "/x?q=%00b", "/x\u0000"]) expect(urlRefusal(url)?.status, url).toBe(400);
    for (const url of ["/candidates?q=100%25", "/archives?page=100", "/dossiers/c0a00"]) expect(urlRefusal(url), url).toBeNull();
  });

  it("refuses in French a path whose %-escapes do not decode (a mistyped or truncated /verifier link), not with Express's English « Bad Request »", () => {
    for (const url of ["/verifier/%ZZ", "/verifier/abc%E0%A4%A", "/verifier/abc%", "/verifier/%C3"]) {
      expect(urlRefusal(url), url).toEqual({ status: 400, message: expect.stringMatching(/^Adresse invalide : .*caractère .*mal encodé/) });
    }
    for (const url of ["/verifier/%C3%A9t%C3%A9", "/candidates?q=%ZZ", "/verifier/abc-def"]) expect(urlRefusal(url), url).toBeNull();
  });

  it("drops control characters from a form's names and texts, keeps tabs, line breaks and files", async () => {
    const form = new FormData();
    form.append("na\u0000me", "a\u0000b\u0007c\u007f");
    form.append("remarks", "line 1\r\nline 2\tend");
    form.append("file", new File([new Uint8Array([0, 1, 2])], "x.pdf", { type: "application/pdf" }));
    const clean = withoutControlCharacters(form);
    expect(clean.get("name")).toBe("abc");
    expect(clean.get("remarks")).toBe("line 1\r\nline 2\tend");
    const file = clean.get("file") as File;
    expect(file.name).toBe("x.pdf");
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([0, 1, 2]);
    const already = new FormData();
    already.append("title", "Jury de printemps");
    expect(withoutControlCharacters(already)).toBe(already);
  });
});
