/**
 * Every page a role reaches by following links from its home — the secretariat's back office, delivery and archive,
 * the president's and a member's sessions, the commission's live room and the jury room — checked with axe-core
 * against WCAG 2.1 A and AA: no serious or critical violation (a link told apart by its colour alone, a field without a
 * label, text below the contrast ratio, a button without a name…). The crawl follows the demo's links, so a new page
 * is checked as soon as something links to it; downloads (PDF, CSV, ZIP, files) are not pages and are left out.
 *
 * Each page template is checked once, in each state it is reached in: a page whose server-rendered markup holds the same
 * components and styles (its `data-testid` and `class` values) as a page already checked, at the same address pattern,
 * is not checked again — the same jury room seen by the president and by a member, two commissions in the same state.
 * The three roles' crawls run one after the other on one worker so that they share what was checked (each role's
 * crawl still visits the same pages, in the same order, and follows their links).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "quorum-demo";
const MAX_PAGES = 20;

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The values of one attribute in a page's markup, each once, sorted. */
const valuesOf = (html: string, attribute: string, split: boolean) =>
  [...new Set([...html.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, "g"))].flatMap((m) => (split ? m[1]!.split(/\s+/) : [m[1]!])))].sort().join(" ");

test("every page the secretariat, the president and a member reach passes axe's WCAG 2.1 AA rules", async ({ browser }) => {
  // Three crawls of up to twenty kinds of page each, on a loaded 2-core machine.
  test.setTimeout(600_000);
  /** Templates checked, by address pattern and server-rendered components and styles: where each was checked. */
  const checked = new Map<string, string>();
  const violations: string[] = [];
  for (const who of ["secretariat", "president", "membre1"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, `${who}@quorum.test`);
    const seen = new Set<string>();
    const queue = ["/"];
    while (queue.length && seen.size < MAX_PAGES) {
      const path = queue.shift()!;
      // One page of a kind: another candidate's, another page of a list are the same page (a session is not: a
      // commission's room and a jury's are different pages; nor is a passage's grid opened in the room).
      const kind = path
        .replace(/\?.*/, "")
        .split("/")
        .map((part, i, parts) => (/^[a-z0-9]{20,}$/.test(part) && !(i === 2 && parts[1] === "sessions") ? ":id" : part))
        .join("/") + (/[?&]candidat=/.test(path) ? "?candidat" : "");
      if (seen.has(kind)) continue;
      seen.add(kind);
      const probe = await page.request.get(path, { maxRedirects: 0 });
      if (probe.status() !== 200 || !(probe.headers()["content-type"] ?? "").includes("text/html")) continue;
      await page.goto(path);
      const html = await probe.text();
      const template = [kind.replace(/^\/sessions\/[a-z0-9]{20,}/, "/sessions/:id"), valuesOf(html, "data-testid", false), valuesOf(html, "class", true)].join("\n");
      if (!checked.has(template)) {
        checked.set(template, `${who} ${path}`);
        const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        for (const v of axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          violations.push(`${who} ${path}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(" ; ")}`);
        }
      }
      for (const href of await page.$$eval("a[href]", (links) => links.map((a) => a.getAttribute("href")!))) {
        if (!href.startsWith("/") || href.startsWith("//")) continue;
        if (/logout|deconnexion|\.(pdf|csv|zip|json|xml)\b|pieces\/|fichier|telecharger/i.test(href)) continue;
        queue.push(href);
      }
    }
    expect(seen.size, `the crawl reached the ${who}'s pages`).toBeGreaterThan(5);
    await context.close();
  }
  expect(violations).toEqual([]);
});
