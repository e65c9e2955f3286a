/**
 * Délivrance in the browser (the demo's catch-up jury, closed, its decisions set up by the seed: one candidate's
 * missing bloc BC02 validated after a partial delivery of BC01, one new candidate validated on BC01 only):
 * the secretariat issues the records in one act and watches the PDFs being sealed; the attestation's PDF holds the
 * bloc code and « uniquement »; the candidate's page shows the bloc with its validity end; the parchemin (cumulation)
 * carries the eight mentions; the public verification page (no login) says « Valide », and after a revocation with
 * its reason « Révoqué », while the Open Badges credential's status check fails.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { verifyOpenBadge } from "~/delivery/credentials/open-badge.server";
import type { CredentialStore } from "~/delivery/credentials/credential-store.server";
import { expect, test } from "./fixtures";
import { pdfText } from "./pdf-text";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
}

/** Verifies a credential with the @digitalbazaar libraries, its status list fetched from the server. */
async function checkCredential(request: APIRequestContext, credential: Record<string, unknown>) {
  const status = (credential.credentialStatus as { statusListCredential: string }[] | { statusListCredential: string });
  const listUrl = new URL(Array.isArray(status) ? status[0]!.statusListCredential : status.statusListCredential);
  const store = {
    async readStatusList() {
      const response = await request.get(listUrl.pathname);
      return { credential: (await response.json()) as Record<string, unknown> };
    },
  } as unknown as CredentialStore;
  return verifyOpenBadge({ store, baseUrl: listUrl.origin }, credential);
}

test("issue, download, verify and revoke the records of a closed jury", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, "secretariat@quorum.test");
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto("/sessions?q=rattrapage");
  await page.getByRole("link", { name: "Jury paritaire — session de rattrapage" }).click();
  await page.getByRole("link", { name: "Délivrance des documents" }).click();
  await expect(page.getByRole("heading", { name: /^Délivrance — Jury paritaire — session de rattrapage/ })).toBeVisible();
  await expect(page.getByText("Les décisions du jury sont définitives")).toBeVisible();

  await page.getByLabel("Lieu de délivrance").fill("Lyon");
  // Step 2 waits for step 1: the notification gives the documents' verification links.
  await expect(page.getByTestId("step-notify-state")).toHaveText(/^Délivrez d'abord les documents \(étape 1\)/);
  await expect(page.getByRole("button", { name: "Notifier les 2 candidats" })).toBeDisabled();
  await page.getByRole("button", { name: "Délivrer les 2 documents" }).click();
  await expect(page.getByText("2 documents délivrés : leurs PDF scellés sont en préparation. Étape suivante : notifier les candidats.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("step-issue-state")).toHaveText("Fait : 2 documents délivrés.");
  // The PDFs are rendered and sealed off the request; the page shows their progress, then the links.
  const links = page.getByRole("link", { name: "Télécharger le PDF scellé" });
  await expect(links).toHaveCount(2, { timeout: 120_000 });
  await page.screenshot({ path: "test-results/delivery-session-1280.png", fullPage: true });

  // By the card's title: the candidate's page also says, on an attestation's card, that only « son parchemin » is declared.
  const attestation = page.locator("li[data-record]", { hasText: /^Attestation de blocs de compétences n° / });
  const parchemin = page.locator("li[data-record]", { hasText: /^Parchemin n° / });
  await expect(attestation).toHaveCount(1);
  await expect(parchemin).toHaveCount(1);

  const attestationText = await pdfText(page.request, (await attestation.getByRole("link", { name: "Télécharger le PDF scellé" }).getAttribute("href"))!);
  expect(attestationText).toContain("uniquement");
  expect(attestationText).toContain("BC01");
  expect(attestationText).toMatch(/Validité des blocs acquis : jusqu'au \d{1,2}(er)? \S+ \d{4}/);
  const validity = /jusqu'au (\d{1,2}(?:er)? \S+ \d{4})/.exec(attestationText)![1]!;

  // The new candidate's page: BC01 acquired, with its decision date and validity end.
  await page.locator("li", { has: attestation }).getByRole("link", { name: "Linh NGUYEN" }).click();
  const row = page.locator("tr[data-acquisition='BC01']");
  await expect(row).toContainText(validity);
  await expect(row).toContainText("valide");
  await expect(page.getByText("Restent à acquérir : BC02")).toBeVisible();
  await page.goBack();
  // Back on the delivery page before its cards are read again (they were read on the candidate's page once).
  await expect(page.getByRole("heading", { name: /^Délivrance — Jury paritaire — session de rattrapage/ })).toBeVisible();

  const mentions = await pdfText(page.request, (await parchemin.getByRole("link", { name: "Télécharger le PDF scellé" }).getAttribute("href"))!);
  expect(mentions).toContain("MQ 2017 10 69 0312"); // (1) registration…
  expect(mentions).toContain("France Compétences du 12 octobre 2017"); // …with the date of the decision
  expect(mentions).toContain("UIMM — Union des industries et métiers de la métallurgie (démonstration)"); // (2) certifier
  expect(mentions).toContain("CQPM Opérateur(trice) régleur(se) sur machines-outils à commande numérique"); // (3) title
  expect(mentions).toMatch(/niveau national 3 ; niveau européen \(CEC\/EQF\) 3/); // (4) levels
  expect(mentions).toContain("251s"); // (5) NSF
  expect(mentions).toMatch(/Titulaire : \S+/); // (6) holder
  expect(mentions).toMatch(/Délivré le : \d{1,2}(er)? \S+ \d{4} à Lyon/); // (7) date and place
  expect(mentions).toContain("Le président de la CPNEFP de la métallurgie"); // (8) authorised signatory
  expect(mentions).toContain("BC01");
  expect(mentions).toContain("BC02");

  // Public verification, without login.
  const verifyHref = (await parchemin.getByRole("link", { name: "Page de vérification publique" }).getAttribute("href"))!;
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(verifyHref);
  await expect(visitor.getByTestId("verification-status")).toHaveText("Valide");
  const credential = (await (await visitor.request.get(`${verifyHref}/credential.json`)).json()) as Record<string, unknown>;
  expect(await checkCredential(visitor.request, credential)).toEqual({ verified: true });

  // Revocation with a reason: never deleted, shown revoked.
  await parchemin.getByRole("button", { name: "Révoquer…" }).click();
  await parchemin.getByRole("button", { name: "Confirmer la révocation" }).click();
  await expect(parchemin.getByText("Indiquez le motif de la révocation.")).toBeVisible();
  await parchemin.getByLabel("Motif de la révocation").fill("Erreur sur l'identité du titulaire");
  // Offline, the revocation is not sent: told beside it, the page stays (a fetcher replaced it by the error page).
  await page.context().setOffline(true);
  await parchemin.getByRole("button", { name: "Confirmer la révocation" }).click();
  await expect(parchemin.getByText("Pas de connexion au serveur : la commande n'a pas été envoyée", { exact: false })).toBeVisible();
  await page.context().setOffline(false);
  await parchemin.getByRole("button", { name: "Confirmer la révocation" }).click();
  await expect(parchemin.getByText(/Révoqué le .* : Erreur sur l'identité du titulaire/)).toBeVisible({ timeout: 30_000 });

  await visitor.reload();
  await expect(visitor.getByTestId("verification-status")).toContainText("Révoqué");
  const after = await checkCredential(visitor.request, credential);
  expect(after.verified).toBe(false);
  await anonymous.close();

  // The record revoked for an error on the identity: a rectified one for the same decision, naming the one it replaces.
  const revokedNumber = (await parchemin.getAttribute("data-record"))!;
  const revokedCard = page.locator(`li[data-record="${revokedNumber}"]`);
  await revokedCard.getByRole("button", { name: "Délivrer un document rectifié" }).click();
  const rectified = page.locator("li[data-record]", { hasText: `Remplace le n° ${revokedNumber}` });
  await expect(rectified).toContainText("Document rectifié.", { timeout: 30_000 });
  await expect(rectified).toContainText("Valide");
  await expect(revokedCard).toContainText("Remplacé par le document rectifié n° ");
  await expect(revokedCard.getByRole("button", { name: "Délivrer un document rectifié" })).toHaveCount(0);
  await expect(rectified.getByRole("link", { name: "Télécharger le PDF scellé" })).toBeVisible({ timeout: 120_000 });
  const rectifiedText = await pdfText(page.request, (await rectified.getByRole("link", { name: "Télécharger le PDF scellé" }).getAttribute("href"))!);
  expect(rectifiedText).toContain(`Document rectifié : remplace le parchemin n° ${revokedNumber}, révoqué le `);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/delivery-session-390.png", fullPage: true });
});

test("notify the candidates: one e-mail each in the outbox, with the verification link; the sealed notice letter", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "secretariat@quorum.test");
  await page.goto("/sessions?q=rattrapage");
  await page.getByRole("link", { name: "Jury paritaire — session de rattrapage" }).click();
  await page.getByRole("link", { name: "Délivrance des documents" }).click();
  // The records exist (the previous test issued them, and a rectified parchemin): step 1 is done, nothing left to issue.
  await expect(page.getByTestId("step-issue-state")).toHaveText("Fait : 3 documents délivrés.");
  await expect(page.getByRole("button", { name: /^Délivrer / })).toHaveCount(0);

  const linh = page.locator("li", { has: page.getByRole("link", { name: "Linh NGUYEN" }) });
  await expect(linh).toContainText("Pas encore notifié.");
  // A double click notifies once.
  await page.getByRole("button", { name: "Notifier les 2 candidats" }).dblclick();
  await expect(page.getByRole("status").filter({ hasText: /e-mails de notification écrits dans Courriels|déjà été notifiés/ })).toBeVisible({ timeout: 30_000 });
  await expect(linh).toContainText(/Notifié le .+ \(e-mail à linh\.nguyen@example\.org\)/);
  // The letter is rendered and sealed off the request: in preparation, then its link.
  const letter = linh.getByRole("link", { name: "Lettre de notification (PDF)" });
  await expect(letter).toBeVisible({ timeout: 120_000 });
  // Everyone notified: step 2 is done, its button gone.
  await expect(page.getByTestId("step-notify-state")).toHaveText("Fait : les 2 candidats ont été notifiés.");
  await expect(page.getByRole("button", { name: /^Notifier / })).toHaveCount(0);

  const text = await pdfText(page.request, (await letter.getAttribute("href"))!);
  expect(text).toContain("Notification de la décision du jury");
  expect(text).toContain("a validé une partie des blocs de compétences");
  expect(text).toMatch(/Blocs de compétences acquis BC01/);
  expect(text).toContain("Préconisations du jury");
  expect(text).toContain("Préparer le bloc BC02 par une mise en situation accompagnée sur machine");
  expect(text).toMatch(/Voies de recours .*dans un délai de 60 jours .* soit au plus tard le \d{1,2} \S+ \d{4}/);
  expect(text).toMatch(/Vérifier [A-Z0-9-]+/); // the QR code's caption, for the attestation

  // The e-mail, in the outbox (no SMTP server in the tests: it waits there), once for Linh despite the double click.
  await expect(linh.getByTestId("notice-email")).toHaveText("e-mail dans Courriels (SMTP non configuré)");
  await page.goto("/outbox");
  const emails = page.getByTestId("outbox").getByRole("listitem").filter({ hasText: "À linh.nguyen@example.org" });
  await expect(emails).toHaveCount(1);
  await page.goBack();
  await linh.getByTestId("notice-email").click();
  await expect(page.getByRole("heading", { name: /^Décision du jury — CQPM/ })).toBeVisible();
  const body = page.getByTestId("email-text");
  await expect(body).toContainText("Préparer le bloc BC02");
  await expect(body).toContainText(/au plus tard le \d{1,2} \S+ \d{4}/);
  const link = /vérifiable en ligne : (\S+)/.exec((await body.textContent()) ?? "")?.[1];
  expect(link).toMatch(/\/verifier\/[A-Za-z0-9_-]+$/);
  await page.goto(new URL(link!).pathname);
  await expect(page.getByTestId("verification-status")).toHaveText("Valide");
});
