/**
 * The secretariat's back office end to end: a new candidate and dossier with an evidence file, then a commission
 * planned with that candidate on its timetable, members seated, and an evaluator whose habilitation has expired
 * refused with its message. Every step waits on what the page shows, never on time.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "quorum-demo";
const ASSISTANT = /^CQP Assistant\(e\) de formation/;

/** A small valid PDF. */
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
}

/** Selects the option of `select` whose text matches `text` (labels carry a status or a habilitation). */
async function chooseOption(page: Page, label: string, text: string | RegExp) {
  const select = page.getByLabel(label);
  const option = select.locator("option", { hasText: text }).first();
  await expect(option).toHaveCount(1);
  const value = await option.getAttribute("value");
  await select.selectOption(value!);
}

const LONG_NAME = "Piece_d_identite_Rousseau_recto_verso_numerisee_par_l_organisme_de_formation_le_2_decembre;version=2.pdf";

test("the secretariat registers a candidate, plans a commission, seats members; an expired habilitation is refused", async ({
  page,
}) => {
  test.setTimeout(90_000); // the whole back-office journey, eight steps, each waiting on the page's state
  await signIn(page, "secretariat@quorum.test");

  // 1. A new candidate.
  await page.goto("/candidates/new");
  await expect(page.getByRole("heading", { name: "Nouveau candidat" })).toBeVisible();
  await page.getByLabel("Nom de naissance *").fill("ROUSSEAU");
  await page.getByLabel(/^Prénoms \*/).fill("Chloé Anne");
  await page.getByLabel("Date de naissance").fill("1992-05-14");
  await page.getByLabel("F — Femme").check();
  await page.getByLabel("Commune de naissance").fill("Rennes");
  await page.getByLabel("Département (ex. 69, 2A, 974)").fill("35");
  await page.getByLabel("Employeur").fill("Cap Formation Bretagne");
  await page.getByRole("button", { name: "Enregistrer le candidat" }).click();
  await expect(page.getByRole("heading", { name: /ROUSSEAU/ })).toBeVisible();

  // 2. Her dossier for the CQP Assistant(e) de formation.
  await chooseOption(page, "Certification visée", ASSISTANT);
  await page.getByLabel("Formation", { exact: true }).check();
  await page.getByRole("button", { name: "Ouvrir le dossier" }).click();
  await expect(page.getByRole("heading", { name: /CQP Assistant\(e\) de formation/ })).toBeVisible();

  // 3. An evidence file.
  await page.getByLabel("Type de pièce").selectOption({ label: "Pièce d'identité" });
  await page
    .getByLabel(/^Fichier/)
    .setInputFiles({ name: LONG_NAME, mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Déposer la pièce" }).click();
  // A name of one long word, with « ; » and « = » (Remix's parser answered 500), wraps on a phone instead of widening the page.
  await expect(page.getByTestId("evidence-list")).toContainText(LONG_NAME);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize(size);

  // A positioning dated in the future is refused at its field; once corrected and saved, the refusal is gone.
  const positioning = page.locator("#positionnement");
  const future = positioning.getByText("Date du positionnement : la date est dans le futur.");
  await positioning.getByLabel("Date du positionnement").fill("2099-01-15");
  await positioning.getByRole("button", { name: "Enregistrer le positionnement" }).click();
  await expect(future).toBeVisible();
  await positioning.getByLabel("Date du positionnement").fill("2025-01-15");
  await positioning.getByRole("button", { name: "Enregistrer le positionnement" }).click();
  await expect(page).toHaveURL(/#positionnement$/);
  await expect(future).toHaveCount(0);
  await expect(positioning.getByLabel("Date du positionnement")).toHaveValue("2025-01-15");

  // 4. A commission planned from the sessions list.
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Sessions" }).click();
  await page.getByRole("link", { name: "Planifier une session" }).click();
  await expect(page.getByRole("heading", { name: "Planifier une session" })).toBeVisible();
  await page.getByLabel("Commission d'évaluation").check();
  await page.getByLabel("Intitulé").fill("Commission d'hiver — Assistant(e) de formation");
  await chooseOption(page, "Certification (version publiée la plus récente du référentiel)", ASSISTANT);
  await page.getByLabel("Heure de début (Paris)").fill("09:00");
  await page.getByLabel("Heure de fin (Paris)").fill("12:00");
  await page.getByRole("button", { name: "Planifier la session" }).click();
  await expect(page.getByRole("heading", { name: "Préparer la session" })).toBeVisible();

  // 5. Chloé on the timetable (09:00, the phases' length).
  await chooseOption(page, "Candidat (dossier pour cette certification)", "Chloé ROUSSEAU");
  await page.getByLabel("Début du créneau").fill("09:00");
  await page.getByRole("button", { name: "Ajouter le créneau" }).click();
  await expect(page.getByTestId("planning-slots")).toContainText("09:00 – 10:10 · Chloé ROUSSEAU");

  // A slot outside the session's hours is refused at the field.
  await chooseOption(page, "Candidat (dossier pour cette certification)", "Thomas NGUYEN");
  await page.getByLabel("Début du créneau").fill("12:30");
  await page.getByRole("button", { name: "Ajouter le créneau" }).click();
  await expect(page.getByText("Le créneau doit se situer dans les horaires de la session (09:00 – 12:00).")).toBeVisible();

  // 6. Members seated.
  const members = page.getByTestId("planning-members");
  await chooseOption(page, "Personne", "Pierre Président");
  await page.getByLabel("Siège").selectOption({ label: "Président(e)" });
  await page.getByRole("button", { name: "Faire siéger" }).click();
  await expect(members).toContainText("Pierre Président");

  await chooseOption(page, "Personne", "Marie Membre");
  await page.getByLabel("Siège").selectOption({ label: "Membre" });
  await page.getByRole("button", { name: "Faire siéger" }).click();
  await expect(members).toContainText("Marie Membre");

  // 7. The evaluator whose habilitation has expired is refused, with the reason.
  await chooseOption(page, "Personne", "Eric Expiré");
  await page.getByLabel("Siège").selectOption({ label: "Membre" });
  await page.getByRole("button", { name: "Faire siéger" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Habilitation de Eric Expiré expirée le" })).toHaveText(
    /Habilitation de Eric Expiré expirée le \d{1,2}(er)? [a-zéû]+ \d{4} : impossible de faire siéger ce membre\./,
  );
  await expect(members).not.toContainText("Eric Expiré");

  // 8. Convocations: two e-mails with their .ics in the outbox.
  await page.getByRole("button", { name: "Envoyer les convocations" }).click();
  await expect(page.getByTestId("convocations-sent")).toContainText("2 convocations déposées dans la boîte d'envoi");
  await page.getByTestId("convocations-sent").getByRole("link", { name: "Voir les courriels" }).click();
  await expect(page.getByRole("heading", { name: "Courriels", exact: true })).toBeVisible();
  await expect(page.getByTestId("outbox").getByRole("link", { name: /Convocation : Commission d'hiver/ })).toHaveCount(2);
});

test("a member is refused the planning pages", async ({ page }) => {
  await signIn(page, "membre1@quorum.test");
  await expect(page.getByRole("link", { name: "Habilitations" })).toHaveCount(0);
  await page.goto("/sessions/new");
  await expect(page.getByRole("heading", { name: "Accès refusé" })).toBeVisible();
  await page.goto("/habilitations");
  await expect(page.getByRole("heading", { name: "Accès refusé" })).toBeVisible();
});
