/**
 * The administration's « Membres » page in a browser: invite a person, change her role, be refused stepping down as
 * the only administrator (the message in the member's row), remove her after confirming; a member who still has a
 * document to sign is told so in his row. Every step waits on what the
 * page shows.
 */
import { expect, test } from "./fixtures";

test("the administration invites a jury member, changes her role, and removes her", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("admin@quorum.test");
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();

  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Membres" }).click();
  await expect(page.getByRole("heading", { name: "Membres", exact: true })).toBeVisible();
  // The demo's president still has a grid to sign (a closed commission): his row says so, with the way to it.
  const pierre = page.getByTestId("member").filter({ hasText: "Pierre Président" });
  await expect(pierre.getByTestId("pending-signatures").getByRole("link", { name: /^grille d'évaluation de Camille Anne MOREAU/ })).toBeVisible();

  // An address typed with capitals and spaces; an empty name first: the field says what is missing.
  await page.getByRole("textbox", { name: "Adresse e-mail", exact: true }).fill("  Nadia.Nouvelle@Example.org ");
  await page.getByRole("button", { name: "Envoyer l'invitation", exact: true }).click();
  await expect(page.getByText("Saisissez le nom de la personne.")).toBeVisible();
  await page.getByLabel("Nom (tel qu'il figurera sur les documents signés)").fill("Nadia Nouvelle");
  await page.getByRole("button", { name: "Envoyer l'invitation", exact: true }).click();
  // No mail relay here (no SMTP_URL): the page does not claim the invitation was sent, and says what to do.
  await expect(page.getByRole("alert")).toContainText(
    "Invitation enregistrée mais pas envoyée : aucun serveur d'envoi n'est configuré (variable SMTP_URL)",
  );
  await expect(page.getByText(/^Invitation envoyée/)).toHaveCount(0);
  const nadia = page.getByTestId("member").filter({ hasText: "Nadia Nouvelle" });
  await expect(nadia).toContainText("nadia.nouvelle@example.org");
  await expect(nadia).toContainText("Invitation en attente");

  await nadia.getByLabel("Rôle de Nadia Nouvelle").selectOption("OBSERVER");
  await nadia.getByRole("button", { name: "Changer le rôle" }).click();
  await expect(page.getByText(/^Rôle modifié/)).toBeVisible();
  await expect(page.getByTestId("member").filter({ hasText: "Nadia Nouvelle" }).getByLabel("Rôle de Nadia Nouvelle")).toHaveValue("OBSERVER");

  const me = page.getByTestId("member").filter({ hasText: "(vous)" });
  await me.getByLabel("Rôle de Alice Administratrice").selectOption("SECRETARIAT");
  await me.getByRole("button", { name: "Changer le rôle" }).click();
  await expect(page.getByTestId("member").filter({ hasText: "(vous)" })).toContainText(
    "L'organisation doit garder au moins une personne en administration",
  );

  const row = page.getByTestId("member").filter({ hasText: "Nadia Nouvelle" });
  await row.getByText("Retirer…").click();
  await row.getByRole("button", { name: "Retirer Nadia Nouvelle" }).click();
  await expect(page.getByText(/^Personne retirée de l'organisation/)).toBeVisible();
  await expect(page.getByTestId("member").filter({ hasText: "Nadia Nouvelle" })).toHaveCount(0);
});
