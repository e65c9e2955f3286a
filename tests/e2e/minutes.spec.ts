/**
 * The procès-verbal in the browser: the secretary writes a remark in the jury's minutes while the president reads
 * it live (same CodeMirror editor as the synthesis); on the commission, the president finalises and signs, and the
 * sealed PDF downloads. Every step waits on what the page shows, never on time.
 */
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "quorum-demo";
const JURY = "Jury paritaire — CQP Assistant(e) de formation";
const COMMISSION = "Commission d'évaluation — CQP Assistant(e) de formation";

async function signIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
  return page;
}

async function openMinutes(page: Page, title: string) {
  await page.goto("/sessions");
  await page.getByRole("link", { name: title }).first().click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await page.getByRole("link", { name: "Procès-verbal de la séance" }).click();
  await expect(page.getByRole("heading", { name: /^Procès-verbal/ })).toBeVisible();
}

test("the secretary writes a remark while the president reads it live", async ({ browser }) => {
  const samia = await signIn(browser, "secretariat@quorum.test");
  const pierre = await signIn(browser, "president@quorum.test");
  await openMinutes(samia, JURY);
  await openMinutes(pierre, JURY);
  const editor = samia.getByTestId("minutes-remarks").locator(".cm-content");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.click();
  await samia.keyboard.type("Séance ouverte à l'heure, quorum atteint.");
  await expect(pierre.getByTestId("minutes-remarks")).toContainText("Séance ouverte à l'heure, quorum atteint.");
});

test("the president finalises and signs the commission's minutes; the sealed PDF downloads", async ({ browser }) => {
  test.setTimeout(90_000);
  const pierre = await signIn(browser, "president@quorum.test");
  await openMinutes(pierre, COMMISSION);
  await expect(pierre.getByText("Candidats entendus")).toBeVisible();
  await pierre.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  await pierre.getByLabel("Mot de passe").fill(PASSWORD);
  await pierre.getByLabel(/Je signe ce procès-verbal/).check();
  await pierre.getByRole("button", { name: "Signer le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("Signé et scellé");
  const link = pierre.getByRole("link", { name: "Télécharger le procès-verbal scellé (PDF)" });
  await expect(async () => {
    await pierre.reload();
    await expect(link).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  const [download] = await Promise.all([pierre.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^proces-verbal-.*\.pdf$/);
  const body = await (await pierre.request.get(await link.getAttribute("href").then((h) => h!))).body();
  expect(body.subarray(0, 5).toString()).toBe("%PDF-");
});
