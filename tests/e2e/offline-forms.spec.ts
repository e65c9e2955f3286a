/**
 * The back office's forms when the server cannot be reached: the page stays, what was typed stays in its fields, and
 * « Pas de connexion au serveur » shows under the form that was sent (app/components/form.tsx) — instead of the
 * route's error page « Une erreur inattendue est survenue » that replaced the page and everything typed. Back online,
 * the same click saves; the server's own checks still answer at their field.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const UNSENT = /Pas de connexion au serveur : le formulaire n'a pas été envoyé/;

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("textbox", { name: "Adresse e-mail", exact: true }).fill(email);
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
}

test("a candidate typed then sent offline stays on the page with its values; back online, one candidate is saved", async ({ page }) => {
  // The file's first test: its server's first pages are cold (the full run on two cores: /login 6.8 s, the sign-in 6 s,
  // 37 s in all, every step passing).
  test.setTimeout(60_000);
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/candidates/new");
  await page.getByLabel("Nom de naissance *").fill("HORS-LIGNE");
  await page.getByLabel(/^Prénoms \*/).fill("Zoé Marine");
  await page.getByLabel("Date de naissance").fill("1991-03-08");
  await page.getByLabel("F — Femme").check();
  await page.getByLabel("Employeur").fill("Atelier du Réseau");

  await page.context().setOffline(true);
  await page.getByRole("button", { name: "Enregistrer le candidat" }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nouveau candidat" })).toBeVisible();
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);
  await expect(page.getByLabel("Nom de naissance *")).toHaveValue("HORS-LIGNE");
  await expect(page.getByLabel(/^Prénoms \*/)).toHaveValue("Zoé Marine");
  await expect(page.getByLabel("Date de naissance")).toHaveValue("1991-03-08");
  await expect(page.getByLabel("F — Femme")).toBeChecked();
  await expect(page.getByLabel("Employeur")).toHaveValue("Atelier du Réseau");

  await page.context().setOffline(false);
  await page.getByRole("button", { name: "Enregistrer le candidat" }).click();
  await expect(page.getByRole("heading", { name: "Zoé Marine HORS-LIGNE" })).toBeVisible();

  await page.goto("/candidates?q=hors-ligne");
  await expect(page.getByRole("link", { name: /HORS-LIGNE/ })).toHaveCount(1);
});

test("a certification refused at its field by the server, then sent offline, then saved once back online", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/certifications/new");
  await page.getByLabel("Type de certification *").selectOption("OTHER");
  const code = page.getByRole("textbox", { name: /^Code \*/ });
  await code.fill("RNCP38544"); // the demo's CQP Assistant(e) de formation has it
  await page.getByLabel("Intitulé exact enregistré *").fill("Titre professionnel « Médiateur numérique »");
  await page.getByLabel("Organisme certificateur (raison sociale) *").fill("CPNEF de démonstration");
  await page.getByLabel("Signataire des parchemins *").fill("Claire Dupont, présidente");
  await page.getByRole("button", { name: "Créer la certification" }).click();
  // The server's check, at its field, as before.
  await expect(page.getByText("Une certification de votre organisation porte déjà ce code.")).toBeVisible();

  await code.fill("RNCP39999");
  await page.context().setOffline(true);
  await page.getByRole("button", { name: "Créer la certification" }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nouvelle certification" })).toBeVisible();
  await expect(code).toHaveValue("RNCP39999");
  await expect(page.getByLabel("Intitulé exact enregistré *")).toHaveValue("Titre professionnel « Médiateur numérique »");
  await expect(page.getByLabel("Signataire des parchemins *")).toHaveValue("Claire Dupont, présidente");

  await page.context().setOffline(false);
  await page.getByRole("button", { name: "Créer la certification" }).click();
  await expect(page.getByRole("heading", { name: /Médiateur numérique/ })).toBeVisible();
  await expect(page.getByText(UNSENT)).toHaveCount(0);
});

test("a server that does not answer (browser online): the message shows under the form sent, not under the page's others", async ({
  page,
}) => {
  await signIn(page, "admin@quorum.test");
  await page.goto("/membres");
  await expect(page.getByRole("heading", { name: "Membres", exact: true })).toBeVisible();
  const invite = page.getByRole("button", { name: "Envoyer l'invitation", exact: true });
  await page.getByRole("textbox", { name: "Adresse e-mail", exact: true }).fill("sans.reseau@quorum.test");
  await page.getByLabel("Nom (tel qu'il figurera sur les documents signés)").fill("Sacha Sans-Réseau");
  // Every request of the router to the server fails as it would with the server down.
  await page.route("**/*.data*", (route) => route.abort("connectionrefused"));
  await invite.click();
  const notice = page.getByRole("alert").filter({ hasText: UNSENT });
  await expect(notice).toHaveCount(1);
  await expect(page.locator("form", { has: invite }).getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Adresse e-mail", exact: true })).toHaveValue("sans.reseau@quorum.test");
  await expect(page.getByLabel("Nom (tel qu'il figurera sur les documents signés)")).toHaveValue("Sacha Sans-Réseau");

  await page.unroute("**/*.data*");
  await invite.click();
  await expect(page.getByText("sans.reseau@quorum.test").first()).toBeVisible();
  await expect(notice).toHaveCount(0);
});

test("a list's search sent offline stays on the list with what was typed; back online, it searches", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/candidates");
  const search = page.getByRole("searchbox", { name: "Rechercher par nom" });
  await search.fill("faure");
  await page.context().setOffline(true);
  await page.getByRole("button", { name: "Rechercher", exact: true }).click();
  await expect(page.getByRole("search").getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Candidats", exact: true })).toBeVisible();
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);
  await expect(search).toHaveValue("faure");
  expect(new URL(page.url()).search).toBe("");

  await page.context().setOffline(false);
  await page.getByRole("button", { name: "Rechercher", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=faure/);
  await expect(page.getByRole("link", { name: /FAURE/ })).toHaveCount(1);
  await expect(page.getByText(UNSENT)).toHaveCount(0);
});

test("« Se déconnecter » offline says so and keeps the page; back online, it signs out", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/candidates");
  await page.context().setOffline(true);
  const header = page.getByRole("navigation", { name: "Navigation principale", exact: true });
  await header.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(header.getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Candidats", exact: true })).toBeVisible();
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);

  await page.context().setOffline(false);
  await header.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/candidates");
  await expect(page).toHaveURL(/\/login/);
});

test("the declaration file asked for offline: the page stays and says so; back online, the file downloads", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/declarations");
  const generate = page.getByRole("button", { name: /^Générer le fichier XML/ });
  await page.context().setOffline(true);
  await generate.click();
  await expect(page.locator("form", { has: generate }).getByRole("alert").filter({ hasText: UNSENT })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Déclaration des titulaires à la Caisse des Dépôts" })).toBeVisible();

  await page.context().setOffline(false);
  const [download] = await Promise.all([page.waitForEvent("download"), generate.click()]);
  expect(download.suggestedFilename()).toMatch(/\.xml$/);
  await expect(page.getByText(UNSENT)).toHaveCount(0);
});

// A link followed while the server cannot be reached: Remix's read of the next page fails and the route's error page
// takes the page's place. It said « Une erreur inattendue est survenue » (a fault of the product, for a dropped
// network); it says what happened and opens the page by itself once the server answers again.
const NO_SERVER = /Pas de connexion au serveur/;

test("a link followed while the server does not answer says so, then opens the page by itself once it answers", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  // The browser stays online; the server answers nothing: neither the next page's data nor the health check.
  const reads = (url: URL) => url.pathname === "/healthz" || url.pathname.endsWith(".data");
  await page.route(reads, (route) => route.abort("connectionrefused"));
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Candidats" }).click();
  const notice = page.getByRole("alert").filter({ hasText: NO_SERVER });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("La page sera ouverte dès que le serveur répondra.");
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);
  // The header keeps the signed-in menu (the failed read took the root's with it: it showed « Quorum » alone).
  await expect(page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Archives" })).toBeVisible();
  await page.unroute(reads);
  // No click: the page asks the server again by itself (after 2 s, then 4 s…).
  await expect(page.getByRole("heading", { name: "Candidats", level: 1 })).toBeVisible({ timeout: 20_000 });
  await expect(notice).toHaveCount(0);
  await expect(page).toHaveURL(/\/candidates$/);
});

test("a link followed offline says so; back online, the page opens by itself", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  await page.context().setOffline(true);
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Archives" }).click();
  await expect(page.getByRole("alert").filter({ hasText: NO_SERVER })).toBeVisible();
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);
  await page.context().setOffline(false);
  await expect(page.getByRole("heading", { name: "Archives", level: 1 })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: NO_SERVER })).toHaveCount(0);
});

test("behind a proxy whose server is restarting (502), a link followed says so, then opens the page by itself", async ({ page }) => {
  await signIn(page, "secretariat@quorum.test");
  // The proxy's own page instead of Quorum's answers, for the page's data and the health check alike.
  const reads = (url: URL) => url.pathname === "/healthz" || url.pathname.endsWith(".data");
  await page.route(reads, (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }));
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Candidats" }).click();
  const notice = page.getByRole("alert").filter({ hasText: NO_SERVER });
  await expect(notice).toBeVisible();
  await expect(page.getByText("Une erreur inattendue est survenue")).toHaveCount(0);
  await page.unroute(reads);
  await expect(page.getByRole("heading", { name: "Candidats", level: 1 })).toBeVisible({ timeout: 20_000 });
  await expect(notice).toHaveCount(0);
});
