import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const PASSWORD = "quorum-demo";
const COMMISSION = "Commission d'évaluation — CQP Assistant(e) de formation";

async function openAs(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("link", { name: COMMISSION }).first().click();
  await page.getByRole("link", { name: /Yasmine/ }).click();
  await expect(page.getByRole("heading", { name: /Grille d'évaluation — Yasmine/ })).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("Enregistré");
  await page.getByRole("button", { name: "Je déclare n'avoir aucun conflit d'intérêts" }).click();
  await expect(page.getByRole("button", { name: "Je déclare n'avoir aucun conflit d'intérêts" })).toHaveCount(0);
  return page;
}

const row = (page: Page, code: string) => page.locator(`[data-competence="${code}"]`);
const commission = (page: Page, code: string) => row(page, code).getByRole("combobox", { name: "Résultat de la commission" });
const mine = (page: Page, code: string) => row(page, code).getByRole("combobox", { name: "Mon évaluation" });
const comment = (page: Page, code: string) => row(page, code).getByRole("textbox", { name: /Commentaire/ });

/**
 * Moves the keyboard focus to `target` with Tab, or Shift+Tab when it lies before the focused element, and
 * nothing else; fails if it is not reachable that way.
 */
async function tabTo(page: Page, target: Locator, maxPresses = 60) {
  for (let i = 0; i < maxPresses; i++) {
    const where = await target.evaluate((el) => {
      const active = document.activeElement;
      if (el === active) return "here";
      if (!active || active === document.body) return "after";
      return active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING ? "before" : "after";
    });
    if (where === "here") return;
    await page.keyboard.press(where === "before" ? "Shift+Tab" : "Tab");
  }
  throw new Error(`not reachable with Tab in ${maxPresses} presses: ${target}`);
}

async function pdfText(path: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(await readFile(path)), isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  return pages.join("\n");
}

test("three members co-score a candidate, a missing comment blocks signing, then all sign and get the PDF", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const pierre = await openAs(browser, "president@quorum.test");
  const marie = await openAs(browser, "membre1@quorum.test");
  const mehdi = await openAs(browser, "membre2@quorum.test");

  // The president drives the phases; everyone sees the change.
  await pierre.getByRole("button", { name: "Passer à « Présentation »" }).click();
  for (const page of [pierre, marie, mehdi]) {
    await expect(page.getByTestId("phases").locator('[aria-current="step"]')).toHaveText("2. Présentation");
  }
  // Scoring opens once the passage has left « Accueil ».
  for (const page of [pierre, marie, mehdi]) await expect(mine(page, "C1")).toBeEnabled();
  // Only the president writes the commission's result; the members propose through their own assessment.
  await expect(commission(marie, "C1")).toBeDisabled();

  // Each member's own assessment is visible live to the others; agreement gives a proposal.
  await mine(marie, "C1").selectOption({ label: "Acquis" });
  await mine(mehdi, "C1").selectOption({ label: "Acquis" });
  await expect(row(pierre, "C1").getByTestId("assessments")).toContainText("Marie Membre : Acquis");
  await expect(row(pierre, "C1").getByTestId("assessments")).toContainText("Mehdi Membre : Acquis");
  await mine(marie, "C3").selectOption({ label: "Acquis" });
  await mine(mehdi, "C3").selectOption({ label: "Non acquis" });
  await expect(row(pierre, "C3")).toContainText("Évaluations divergentes");

  // Keyboard-only scoring of the commission's results by the president: Tab to each control, Arrow Down from
  // « — Non évalué — » to « Acquis »; no click, no programmatic focus.
  for (const code of ["C1", "C2", "C4", "C5", "C6"]) {
    await tabTo(pierre, commission(pierre, code));
    await expect(commission(pierre, code)).toHaveValue("");
    await pierre.keyboard.press("ArrowDown");
    await expect(commission(pierre, code)).toHaveValue("ACQUIS");
  }
  await expect(commission(marie, "C6")).toHaveValue("ACQUIS");
  await commission(pierre, "C3").selectOption({ label: "Partiellement acquis" });
  await expect(commission(mehdi, "C3")).toHaveValue("PARTIEL");
  // The scheme's aggregation: BC01 (C1–C3) holds a competence partially acquired, BC02 (C4–C6) is acquired → a
  // partial delivery is proposed.
  await expect(pierre.getByTestId("bloc-outcome")).toHaveText(["Bloc : non acquis", "Bloc : acquis"]);
  await expect(pierre.getByTestId("certification-outcome")).toContainText("Délivrance partielle");

  const synthesis = pierre.getByTestId("synthesis").locator(".cm-content");
  await synthesis.click();
  await pierre.keyboard.type("Candidate organisée ; la gestion des financements reste à consolider.");
  await expect(marie.getByTestId("synthesis")).toContainText("gestion des financements");

  // A missing required comment blocks signing, with its message.
  await pierre.getByRole("button", { name: "Ouvrir la signature" }).click();
  await expect(pierre.getByTestId("missing-items")).toContainText("C3 : commentaire obligatoire manquant");

  await comment(pierre, "C3").fill("Le suivi des absences n'est pas fait selon la procédure (critère 2).");
  await expect(comment(mehdi, "C3")).toHaveValue(/critère 2/);
  await expect(pierre.getByTestId("save-state")).toHaveText("Enregistré");

  const axe = await new AxeBuilder({ page: pierre }).include("main").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await pierre.getByRole("button", { name: "Ouvrir la signature" }).click();
  for (const page of [pierre, marie, mehdi]) {
    await expect(page.getByTestId("signing")).toBeVisible();
  }
  const hash = (await pierre.getByTestId("sealed-hash").textContent())!.trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);

  for (const page of [pierre, marie, mehdi]) {
    const form = page.getByTestId("signing");
    await form.getByLabel(/Mot de passe/).fill(PASSWORD);
    await form.getByRole("checkbox").check();
    await form.getByRole("button", { name: "Signer la grille" }).click();
  }
  for (const page of [pierre, marie, mehdi]) {
    await expect(page.getByRole("heading", { name: "Grille signée par tous" })).toBeVisible();
  }
  // Marie signed before the last signature: her agenda and the clock follow without a reload.
  await expect(marie.getByTestId("phase-timer")).toHaveText("Passage terminé");
  await expect(marie.getByTestId("slot-signed").getByRole("link", { name: "PDF" })).toBeVisible();

  const [download] = await Promise.all([
    marie.waitForEvent("download"),
    marie.getByRole("link", { name: /Télécharger la grille signée/ }).click(),
  ]);
  const text = await pdfText((await download.path())!);
  expect(text).toContain("Yasmine");
  for (const name of ["Pierre Président", "Marie Membre", "Mehdi Membre"]) expect(text).toContain(name);
  expect(text).toContain(hash);

  // An edit after signing is refused by the server, even bypassing the disabled control.
  await commission(pierre, "C1").evaluate((el) => el.removeAttribute("disabled"));
  await commission(pierre, "C1").selectOption({ label: "Non acquis" });
  await expect(pierre.getByRole("alert").filter({ hasText: /scellé/i })).toBeVisible();
  await expect(commission(marie, "C1")).toHaveValue("ACQUIS");
});
