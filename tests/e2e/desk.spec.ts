/**
 * The secretariat's desk in the browser: the dashboard's to-dos lead to the right filtered lists; an archive search
 * finds « Élodie » by « elodie », downloads her PDF, and « Vérifier » says intact; at 390 px the header fits the
 * screen and its menu button reaches « Se déconnecter »; a file over its page's limit is refused at its field before it is
 * sent, and a large acknowledgement of the Caisse des Dépôts is read; the secretariat, who also works for the CPNE de la
 * propreté, switches her « Organisation active » from the header, on a phone too. Every step waits on what the page shows.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
}

test("dashboard to-dos lead to their filtered lists; the archive finds Élodie by « elodie » and verifies her PDF", async ({ page }) => {
  // Eight helpers share two cores while this runs: give the page loads room, never a fixed wait.
  test.setTimeout(120_000);
  await signIn(page, "secretariat@quorum.test");
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(page.getByRole("heading", { name: "À faire" })).toBeVisible();
  await page.screenshot({ path: "test-results/desk-dashboard-1280.png", fullPage: true });

  await page.getByTestId("todo-dossiers").getByRole("link").click();
  await expect(page).toHaveURL(/\/candidates\?filtre=incomplets$/, { timeout: 30_000 });
  await expect(page.getByTestId("filter-incomplete")).toBeVisible();
  await page.goBack();

  await page.getByTestId("todo-signatures").getByRole("link").click();
  await expect(page).toHaveURL(/\/sessions\?filtre=signatures$/, { timeout: 30_000 });
  await expect(page.getByText("(session passée)").first()).toBeVisible();
  await page.goBack();

  await page.getByTestId("todo-habilitations").getByRole("link").click();
  await expect(page).toHaveURL(/\/habilitations\?filtre=expirent$/, { timeout: 30_000 });
  await expect(page.getByTestId("habilitations-filter")).toBeVisible();
  await expect(page.getByRole("cell", { name: /Mehdi Membre/ })).toBeVisible();
  await page.goBack();

  // The jury that delivered Élodie and Léa notified neither: the to-do leads to its « Délivrance », where it is done.
  await expect(page.getByTestId("todo-notices").getByTestId("todo-count")).toHaveText("2");
  await page.getByTestId("todo-notices").getByRole("link").click();
  await expect(page).toHaveURL(/\/sessions\/[a-z0-9]+\/delivrance$/, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Notifier les 2 candidats" })).toBeVisible();
  await page.goBack();

  // Every holder still to declare (Élodie, ready; Lucas, not declarable yet), then each part from its own link.
  await expect(page.getByTestId("todo-declarations").getByTestId("todo-count")).toHaveText("2");
  await page.getByTestId("todo-declarations").getByRole("link", { name: "Titulaires à déclarer à la Caisse des Dépôts" }).click();
  await expect(page).toHaveURL(/\/declarations\?statut=a_traiter$/, { timeout: 30_000 });
  await expect(page.getByTestId("declaration-filter")).toContainText("titulaires restant à déclarer (prêts à déclarer et non déclarables), 2 titulaires.");
  await expect(page.getByTestId("holder-row")).toHaveCount(2);
  await page.goBack();
  await page.getByTestId("todo-declarations").getByRole("link", { name: "Déclarer le titulaire prêt" }).click();
  await expect(page).toHaveURL(/\/declarations\?statut=a_declarer$/, { timeout: 30_000 });
  await expect(page.getByTestId("declaration-filter")).toContainText("titulaires à déclarer (à déclarer, délai dépassé, rejetés, identité modifiée)");
  await expect(page.getByTestId("holder-row")).toHaveCount(1);
  await expect(page.getByTestId("holder-row")).toContainText("Élodie Marie FAURE");
  await page.goBack();
  await page.getByTestId("todo-declarations").getByRole("link", { name: "Compléter le non déclarable" }).click();
  await expect(page).toHaveURL(/\/declarations\?statut=not_declarable$/, { timeout: 30_000 });
  await expect(page.getByTestId("holder-row")).toHaveCount(1);
  // Each way out leads to its field: his birth code on his form, the CQPM's code on the certification's.
  await page.getByTestId("holder-row").getByRole("link", { name: "Renseigner le code RNCP ou RS de la certification" }).click();
  await expect(page).toHaveURL(/\/certifications\/[a-z0-9]+#certification-registrationCode$/, { timeout: 30_000 });
  await expect(page.locator("#certification-registrationCode")).toBeInViewport();
  await page.goBack();
  await page.getByTestId("holder-row").getByRole("link", { name: "Compléter son identité" }).click();
  await expect(page).toHaveURL(/\/candidates\/[a-z0-9]+\/edit#candidate-birthCode$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Modifier le candidat");
  await expect(page.getByLabel(/Prénoms?/).first()).toHaveValue(/Lucas/);
  await expect(page.locator("#candidate-birthCode")).toBeInViewport();

  await page.goto("/archives");
  await page.getByLabel("Candidat (nom de naissance, d'usage ou prénom)").fill("elodie");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page).toHaveURL(/q=elodie/);
  // Her documents only (her grid and her parchemin, and on the CQPM her decision sheet and her attestation of 2022); her
  // grid is unsealed.
  await expect(page.getByTestId("archive-entry").first()).toBeVisible();
  await expect(page.getByTestId("archive-entry").filter({ hasNotText: "Élodie Marie FAURE" })).toHaveCount(0);
  const entry = page.getByTestId("archive-entry").filter({ hasText: "Grille d'évaluation signée" });
  await expect(entry).toHaveCount(1);
  const download = page.waitForEvent("download");
  await entry.getByRole("link", { name: "Télécharger le PDF" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^grille-faure-.*\.pdf$/);
  await entry.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Intact");
  await expect(page.getByTestId("verify-result")).toContainText("Ce document n'est pas scellé");

  // The past jury's procès-verbal (sealed by the render runner after start): downloaded, its seal verified.
  await expect(async () => {
    await page.goto("/archives?type=minutes");
    await expect(page.getByTestId("archive-entry")).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const minutes = page.getByTestId("archive-entry");
  await expect(minutes).toContainText("Procès-verbal");
  await expect(minutes).toContainText(/SHA-256 : [0-9a-f]{64}/);
  const pv = page.waitForEvent("download");
  await minutes.getByRole("link", { name: "Télécharger le PDF" }).click();
  expect((await pv).suggestedFilename()).toMatch(/^proces-verbal-.*\.pdf$/);
  await minutes.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Intact");
  await expect(page.getByTestId("verify-result")).toContainText("Cachet électronique valide");
  await page.goto("/archives");
  await page.screenshot({ path: "test-results/desk-archive-1280.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/desk-archive-390.png", fullPage: true });
});

test("a member sees the archive of the sessions they sat on, never another session's", async ({ page }) => {
  test.setTimeout(120_000);
  // The secretariat's view gives Élodie's commission session and grid (a session Mehdi did not sit on).
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/archives?q=elodie");
  const entry = page.getByTestId("archive-entry").filter({ hasText: "Grille d'évaluation signée" });
  await expect(entry).toHaveCount(1);
  const sessionHref = await entry.getByRole("link", { name: /session passée/ }).getAttribute("href");
  const pdfHref = await entry.getByRole("link", { name: "Télécharger le PDF" }).getAttribute("href");
  const sessionId = new URL(sessionHref!, "http://x").searchParams.get("session");
  await page.context().clearCookies();
  await signIn(page, "membre2@quorum.test");
  // Mehdi sat on the past jury, the catch-up jury and the desk's three deliberations (not on the 2022 one, nor on the
  // commissions): the past jury's deliberation documents once rendered — the minutes and three decision sheets, not
  // the parchemin, attestation and notice letters issued for its candidates (the secretariat's) —, the catch-up jury's
  // two signed decision sheets, the deliberations' five, and nothing else.
  await expect(async () => {
    await page.goto("/archives");
    await expect(page.getByTestId("archive-entry")).toHaveCount(11, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("archive-total")).toHaveText("11 documents");
  await expect(page.getByTestId("archive-entry").filter({ hasText: /Lettre de notification|Parchemin|Attestation de blocs/ })).toHaveCount(0);
  await expect(page.getByLabel("Type de document").locator("option")).toHaveText(["Tous", "Grille d'évaluation signée", "Fiche de décision", "Procès-verbal"]);
  const catchUp = page.getByTestId("archive-entry").filter({ hasText: "Jury paritaire — session de rattrapage" });
  await expect(catchUp).toHaveCount(2);
  await expect(catchUp.filter({ hasText: "Fiche de décision" })).toHaveCount(2);
  const deliberations = page.getByTestId("archive-entry").filter({ hasText: "Délibération du jury — " });
  await expect(deliberations).toHaveCount(5);
  await expect(deliberations.filter({ hasText: "Fiche de décision" })).toHaveCount(5);
  await expect(
    page
      .getByTestId("archive-entry")
      .filter({ hasNotText: "Jury paritaire de délivrance — session passée" })
      .filter({ hasNotText: "Jury paritaire — session de rattrapage" })
      .filter({ hasNotText: "Délibération du jury — " }),
  ).toHaveCount(0);
  await expect(page.getByTestId("archive-entry").filter({ hasText: "Procès-verbal" })).toHaveCount(1);
  await expect(page.getByText(/Les documents de délibération \(grilles signées, fiches de décision, procès-verbaux\) des sessions où vous avez siégé\./)).toBeVisible();
  // A commission session he did not sit on: its list is empty, its ZIP and its documents are « introuvables ».
  await page.goto(`/archives?session=${sessionId}`);
  await expect(page.getByText("Aucun document ne correspond à votre recherche.")).toBeVisible();
  expect((await page.request.get(`/archives/sessions/${sessionId}/dossier.zip`)).status()).toBe(404);
  expect((await page.request.get(pdfHref!)).status()).toBe(404);
});

test("the header fits a 390 px screen: a menu button reaches every link and « Se déconnecter »", async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "secretariat@quorum.test");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/desk-dashboard-390.png" });
  await page.getByTestId("mobile-menu").getByText("Menu").click();
  const menu = page.getByRole("navigation", { name: "Navigation principale (mobile)" });
  await expect(menu.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await page.screenshot({ path: "test-results/desk-menu-390.png" });
  await menu.getByRole("link", { name: "Archives" }).click();
  await expect(page.getByRole("heading", { name: "Archives" })).toBeVisible();
  // The lists' tables become cards on a phone: no column left out of sight in a box scrolled sideways.
  for (const list of ["/candidates", "/certifications", "/habilitations", "/declarations"]) {
    await page.goto(list);
    const widest = await page.evaluate(() => Math.max(0, ...[...document.querySelectorAll("table")].map((t) => t.getBoundingClientRect().right)));
    expect([list, widest <= 390]).toEqual([list, true]);
  }
  await page.goto("/candidates");
  const badge = await page.getByRole("row").filter({ hasText: "Mamadou DIALLO" }).getByText("Décision rendue").first().boundingBox();
  expect(badge!.x + badge!.width).toBeLessThanOrEqual(390);
});

test("the secretariat of two CPNE chooses her « Organisation active » in the header, at 1280 and at 390 px", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "secretariat@quorum.test");
  const switcher = page.getByTestId("organisation-switcher");
  const select = switcher.getByLabel("Organisation active");
  await expect(select).toBeVisible();
  await expect(select.locator("option")).toHaveText(["CPNEF de démonstration (secrétariat)", "CPNE de la propreté (secrétariat)"]);
  await expect(select.locator("option:checked")).toHaveText("CPNEF de démonstration (secrétariat)");
  await page.screenshot({ path: "test-results/organisation-switcher-1280.png" });
  await page.goto("/candidates");
  await expect(page.getByRole("main")).toContainText("Léa Marie DURAND");

  // On a phone: the selector and its button fit the screen and work.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const button = switcher.getByRole("button", { name: "Changer" });
  for (const box of [await select.boundingBox(), await button.boundingBox()]) expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await select.selectOption({ label: "CPNE de la propreté (secrétariat)" });
  await page.screenshot({ path: "test-results/organisation-switcher-390.png" });
  await button.click();
  await expect(select.locator("option:checked")).toHaveText("CPNE de la propreté (secrétariat)");
  await expect(page).toHaveURL(/\/candidates$/);
  await expect(page.getByRole("main")).toContainText("Gwenaëlle KERVELLA");
  await expect(page.getByRole("main")).not.toContainText("Léa Marie DURAND");
  await page.screenshot({ path: "test-results/organisation-switcher-390-switched.png", fullPage: true });

  await select.selectOption({ label: "CPNEF de démonstration (secrétariat)" });
  await button.click();
  await expect(select.locator("option:checked")).toHaveText("CPNEF de démonstration (secrétariat)");
  await expect(page.getByRole("main")).toContainText("Léa Marie DURAND");
});

test("a file over its page's limit is refused at its field before anything is sent; a large acknowledgement is read", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "secretariat@quorum.test");
  const posted: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posted.push(request.url());
  });
  const passages = (count: number) =>
    Buffer.from(
      `<?xml version="1.0"?><rapport xmlns="urn:cdc:cpf:pc5:rapport:schema"><PassagesOK>${Array.from({ length: count }, (_, i) => `<idTechnique>Q-${String(i).padStart(12, "0")}</idTechnique>`).join("\n")}</PassagesOK></rapport>`,
    );
  await page.goto("/declarations");
  const file = page.getByLabel(/Fichier XML reçu de la Caisse des Dépôts/);
  // 6.3 MB: over the 5 MB the page states.
  await file.setInputFiles({ name: "accuse.xml", mimeType: "text/xml", buffer: passages(150_000) });
  await expect(page.getByText("Fichier trop volumineux : un accusé de traitement de 5 Mo au plus.")).toBeVisible();
  // The browser's own validation holds the form: the click sends nothing.
  expect(await file.evaluate((input: HTMLInputElement) => input.validity.customError)).toBe(true);
  await page.getByRole("button", { name: "Importer" }).click();
  await expect(file).toHaveAttribute("aria-invalid", "true");
  expect(posted).toEqual([]);
  // 1.7 MB (a large organisation's acknowledgement): sent and read.
  await file.setInputFiles({ name: "accuse.xml", mimeType: "text/xml", buffer: passages(40_000) });
  await expect(page.getByText("Fichier trop volumineux")).toHaveCount(0);
  await page.getByRole("button", { name: "Importer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Accusé importé : 0 passage accepté, 0 rejeté, 40000 passages inconnus" })).toBeVisible({
    timeout: 30_000,
  });
  // A référentiel over 1 MB, the same way.
  await page.goto("/certifications");
  await page.getByRole("link", { name: "CQP Assistant(e) de formation" }).first().click();
  await page.getByRole("link", { name: "Importer un fichier JSON" }).click();
  const before = posted.length;
  await page.getByLabel(/Fichier JSON du référentiel/).setInputFiles({ name: "referentiel.json", mimeType: "application/json", buffer: Buffer.alloc(1_200_000, 32) });
  await expect(page.getByText("Le fichier dépasse 1 Mo, la taille maximale d'un référentiel : choisissez un autre fichier.")).toBeVisible();
  expect(await page.getByLabel(/Fichier JSON du référentiel/).evaluate((input: HTMLInputElement) => input.validity.customError)).toBe(true);
  await page.getByRole("button", { name: "Importer" }).click();
  expect(posted.length).toBe(before);
});

test("the outbox shows the demo jury's convocations; one fits a 390 px screen, its session link wrapped", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/outbox");
  const convocations = page.getByTestId("outbox").getByRole("link", { name: /^Convocation : Jury paritaire — CQP Assistant\(e\) de formation/ });
  await expect(convocations).toHaveCount(6);
  await page.setViewportSize({ width: 390, height: 844 });
  await convocations.first().click();
  await expect(page.getByTestId("email-text")).toContainText(/Accès à la session : http\S+\/sessions\/[a-z0-9]+/);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/desk-outbox-email-390.png", fullPage: true });
});
