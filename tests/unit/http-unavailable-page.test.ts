import { describe, expect, it } from "vitest";
import { unavailablePage } from "~/platform/http/unavailable-page";

describe("the page a download answers while its document is not there", () => {
  it("shows a signer's name that looks like markup as text, with the way back", async () => {
    const res = unavailablePage(404, "Procès-verbal non disponible", 'Pas encore signé par tous (<a href="https://evil.example">Cliquez ici</a>).', {
      href: "/sessions/abc/proces-verbal",
      label: "Retour au procès-verbal",
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).not.toContain("<a href=\"https://evil.example\"");
    expect(html).toContain("&#60;a href=&#34;https://evil.example&#34;&#62;Cliquez ici&#60;/a&#62;");
    expect(html).toContain('<a href="/sessions/abc/proces-verbal">Retour au procès-verbal</a>');
    expect(html).toContain('<html lang="fr">');
  });
});
