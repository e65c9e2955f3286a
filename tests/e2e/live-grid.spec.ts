import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "quorum-demo";
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

async function openCommission(page: Page, candidate?: RegExp) {
  await page.getByRole("link", { name: COMMISSION }).first().click();
  await expect(page.getByRole("heading", { name: COMMISSION })).toBeVisible();
  if (candidate) await page.getByRole("link", { name: candidate }).click();
  // The candidate's own grid, not the previous one still shown while the page loads.
  if (candidate) await expect(page.getByRole("heading", { name: candidate })).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("Enregistré");
}

/** A member declares the absence of conflict of interest; the grid becomes editable for them once scoring opens. */
async function declareNoConflict(page: Page) {
  await page.getByRole("button", { name: "Je déclare n'avoir aucun conflit d'intérêts" }).click();
  await expect(page.getByRole("region", { name: "Déclaration d'absence de conflit d'intérêts" })).toHaveCount(0);
}

const competence = (page: Page, code: string) => page.locator(`[data-competence="${code}"]`);
const resultOf = (page: Page, code: string) =>
  competence(page, code).getByRole("combobox", { name: "Résultat de la commission" });
const commentOf = (page: Page, code: string) => competence(page, code).getByRole("textbox", { name: /Commentaire/ });

test("a wrong password is refused with a French message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("membre1@quorum.test");
  await page.getByLabel("Mot de passe").fill("pas-le-bon");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
  await expect(page).toHaveURL(/\/login/);
});

test("« Mes sessions » fits a 390 px screen, with another device's session and its « Fermer » button", async ({ browser }) => {
  const elsewhere = await signIn(browser, "membre3@quorum.test"); // another device of the same account
  const page = await signIn(browser, "membre3@quorum.test");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/mes-sessions");
  await expect(page.getByRole("button", { name: "Fermer cette session" })).toBeVisible();
  // The table ran off the screen: the page scrolled sideways and the dates ran into each other.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/my-sessions-390.png", fullPage: true });
  await elsewhere.close();
});

test("the president and a member see each other and co-edit a grid cell live, persisted across reloads", async ({ browser }) => {
  // Only the president writes the commission's result and comments (the grid's schema, enforced by the server),
  // and not before the passage has left « Accueil ».
  const pierre = await signIn(browser, "president@quorum.test");
  const marie = await signIn(browser, "membre1@quorum.test");
  await openCommission(pierre);
  await openCommission(marie);
  await expect(resultOf(pierre, "C2")).toBeDisabled(); // not before declaring the absence of conflict
  await declareNoConflict(pierre);
  await declareNoConflict(marie);
  // The grid stays closed during « Accueil »: the page says until when, rather than leaving every control grey.
  await expect(marie.getByTestId("scoring-closed")).toHaveText(/La notation s'ouvre quand la présidence passe à « Présentation »/);

  await expect(pierre.getByTestId("presence").getByText("Marie Membre")).toBeVisible();
  await expect(marie.getByTestId("presence").getByText("Pierre Président")).toBeVisible();

  await pierre.getByRole("button", { name: "Passer à « Présentation »" }).click();
  for (const page of [pierre, marie]) {
    await expect(page.getByTestId("phases").locator('[aria-current="step"]')).toHaveText("2. Présentation");
  }
  await expect(resultOf(marie, "C2")).toBeDisabled(); // a member proposes through their own assessment only
  await expect(marie.getByTestId("scoring-closed")).toHaveCount(0);

  await resultOf(pierre, "C2").selectOption({ label: "Partiellement acquis" });
  await expect(resultOf(marie, "C2")).toHaveValue("PARTIEL");
  await expect(competence(marie, "C2").getByText(/Commentaire obligatoire/)).toBeVisible();

  await commentOf(pierre, "C2").fill("Convocations envoyées hors délai pour deux sessions sur trois.");
  await expect(commentOf(marie, "C2")).toHaveValue("Convocations envoyées hors délai pour deux sessions sur trois.");
  await expect(pierre.getByTestId("save-state")).toHaveText("Enregistré");

  await marie.reload();
  await expect(resultOf(marie, "C2")).toHaveValue("PARTIEL");
  await expect(commentOf(marie, "C2")).toHaveValue("Convocations envoyées hors délai pour deux sessions sur trois.");
});

test("the observer follows the grid live but the server refuses their edits", async ({ browser }) => {
  test.setTimeout(90_000); // two browsers, eleven live steps and a reload
  const pierre = await signIn(browser, "president@quorum.test");
  const odile = await signIn(browser, "observateur@quorum.test");
  await openCommission(pierre, /Thomas NGUYEN/);
  await openCommission(odile, /Thomas NGUYEN/);
  await declareNoConflict(pierre);
  await expect(odile.getByRole("button", { name: /aucun conflit/ })).toHaveCount(0); // observers do not score
  await pierre.getByRole("button", { name: "Passer à « Présentation »" }).click();
  await expect(odile.getByTestId("phases").locator('[aria-current="step"]')).toHaveText("2. Présentation");
  await expect(resultOf(pierre, "C4")).toBeEnabled();

  await expect(odile.getByTestId("read-only")).toHaveText("Lecture seule");
  await expect(resultOf(odile, "C4")).toBeDisabled();

  await resultOf(pierre, "C4").selectOption({ label: "Acquis" });
  await expect(resultOf(odile, "C4")).toHaveValue("ACQUIS");

  // Bypass the disabled control as a malicious client would: the server must refuse the write.
  await resultOf(odile, "C4").evaluate((el) => el.removeAttribute("disabled"));
  await resultOf(odile, "C4").selectOption({ label: "Non acquis" });
  await expect(odile.getByRole("alert")).toContainText("Lecture seule");
  await expect(resultOf(pierre, "C4")).toHaveValue("ACQUIS");

  await odile.reload();
  await expect(odile.getByTestId("save-state")).toHaveText("Enregistré");
  await expect(resultOf(odile, "C4")).toHaveValue("ACQUIS");
});

test("the synthesis editor keeps its styles under the page's CSP: its height, and the other member's cursor with their name", async ({ browser }) => {
  test.setTimeout(90_000); // two browsers, a declaration each and a live edit
  const marie = await signIn(browser, "membre1@quorum.test");
  const mehdi = await signIn(browser, "membre2@quorum.test");
  // CodeMirror mounts its styles as style elements: the CSP refused them (no nonce), and the browser said so here.
  const refused: string[] = [];
  for (const page of [marie, mehdi]) {
    page.on("console", (message) => {
      // …and Marie's cursor plugin crashed on Mehdi's cursor at the end of the text (« CodeMirror plugin crashed »).
      // …and y-websocket, for a message type without a handler (« Unable to compute message »).
      if (message.type() === "error" && /Content Security Policy|plugin crashed|Unable to compute message/.test(message.text())) refused.push(message.text());
    });
  }
  await openCommission(marie, /Yasmine/);
  await openCommission(mehdi, /Yasmine/);
  await declareNoConflict(marie);
  await declareNoConflict(mehdi);

  const editor = (page: Page) => page.getByTestId("synthesis");
  await editor(mehdi).locator(".cm-content").click();
  await mehdi.keyboard.type("Bonne maîtrise des outils. ");
  await expect(editor(marie)).toContainText("Bonne maîtrise des outils.");
  // Seven lines' room to write (the theme's min-height), and Mehdi's cursor shown to Marie with his name.
  expect((await editor(marie).boundingBox())?.height ?? 0).toBeGreaterThan(100);
  const caret = editor(marie).locator(".cm-ySelectionCaret");
  await expect(caret).toBeVisible();
  await expect(caret.locator(".cm-ySelectionInfo")).toHaveText("Mehdi Membre");
  await expect(caret.locator(".cm-ySelectionInfo")).toBeVisible();
  expect(refused).toEqual([]);
});

test("on a phone, a member who loses the network is told so, keeps what she types, and sees it synced when back", async ({ browser }) => {
  test.setTimeout(90_000); // two browsers, a network cut twice
  const marie = await signIn(browser, "membre1@quorum.test");
  await marie.setViewportSize({ width: 390, height: 844 });
  const mehdi = await signIn(browser, "membre2@quorum.test");
  await openCommission(marie, /Thomas NGUYEN/);
  await openCommission(mehdi, /Thomas NGUYEN/);
  await declareNoConflict(mehdi);
  const banner = marie.getByTestId("network-banner");
  const editor = (page: Page) => page.getByTestId("synthesis");
  // The room starts ~1,000 px down on a phone (agenda, members, dossier first): one tap brings it into view.
  await expect(marie.getByTestId("presence")).not.toBeInViewport();
  await marie.getByTestId("to-grid").click();
  await expect(marie.getByTestId("presence")).toBeInViewport();

  // A command clicked without network is answered under its button: the live room stays (it was replaced by « Une
  // erreur inattendue est survenue », and what had been typed with it).
  await marie.context().setOffline(true);
  await expect(banner).toContainText("Hors ligne");
  await expect(marie.getByTestId("presence-status")).toHaveText("hors ligne");
  await marie.getByRole("button", { name: "Je déclare n'avoir aucun conflit d'intérêts" }).click();
  await expect(marie.getByRole("alert").filter({ hasText: "Pas de connexion au serveur : la commande n'a pas été envoyée" })).toBeVisible();
  await marie.context().setOffline(false);
  await expect(banner).toContainText("Connexion rétablie");
  await declareNoConflict(marie);

  await editor(marie).locator(".cm-content").click();
  await marie.keyboard.type("Avant la coupure. ");
  await expect(editor(mehdi)).toContainText("Avant la coupure.");
  // Mehdi's colour is one: beside his name among those connected and on his cursor (the dots were the hash of an id).
  await editor(mehdi).locator(".cm-content").click();
  const caret = editor(marie).locator(".cm-ySelectionCaret");
  await expect(caret.locator(".cm-ySelectionInfo")).toHaveText("Mehdi Membre");
  const dot = marie.getByTestId("presence").locator('[data-user="Mehdi Membre"] span[aria-hidden]');
  const colour = (el: Element) => getComputedStyle(el).backgroundColor;
  expect(await dot.evaluate(colour)).toBe(await caret.evaluate(colour));

  // The page said « Enregistrement… » while frames went nowhere: now « Hors ligne », at the bottom of the screen.
  await marie.context().setOffline(true);
  await expect(banner).toContainText("Hors ligne");
  await editor(marie).locator(".cm-content").click();
  await marie.keyboard.press("Control+End");
  await marie.keyboard.type("Écrit sans réseau.");
  await expect(marie.getByTestId("save-state")).toHaveText("Hors ligne : modifications en attente d'envoi");
  await expect(banner).toBeInViewport();
  // Scrolled to the end, the synthesis clears the banner (it covered the last lines typed).
  await marie.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const [typed, bar] = [await editor(marie).boundingBox(), await banner.boundingBox()];
  expect(typed!.y + typed!.height).toBeLessThanOrEqual(bar!.y);
  await mehdi.keyboard.press("Control+End");
  await mehdi.keyboard.type(" Mehdi complète.");
  await expect(editor(marie)).not.toContainText("Mehdi complète.");

  await marie.context().setOffline(false);
  await expect(banner).toContainText("Connexion rétablie : vos modifications sont enregistrées");
  await expect(marie.getByTestId("save-state")).toHaveText("Enregistré");
  await expect(editor(mehdi)).toContainText("Écrit sans réseau.");
  await expect(editor(marie)).toContainText("Mehdi complète.");
  // Both typed at the end of the text at once: Yjs orders the two insertions, neither is lost.
  await marie.reload();
  for (const typed of ["Avant la coupure.", "Écrit sans réseau.", "Mehdi complète."]) await expect(editor(marie)).toContainText(typed);
});

test("signed out in another tab, the live room says so and offers to sign in again — not that the seat was removed", async ({ browser }) => {
  test.setTimeout(60_000); // two pages of one browser, the sign-out first asking the server whether it answers
  const mehdi = await signIn(browser, "membre2@quorum.test");
  await openCommission(mehdi, /Yasmine/);
  const other = await mehdi.context().newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(other).toHaveURL(/\/login/);
  const panel = mehdi.getByTestId("seat-removed");
  await expect(panel).toContainText("Vous n'êtes plus connecté(e)");
  await expect(panel).not.toContainText("siège a été retiré");
  await expect(panel.getByRole("link", { name: "Se reconnecter" })).toHaveAttribute("href", /^\/login\?redirectTo=%2Fsessions%2F/);
});

test("signed out while the live room was offline, it says so once back online instead of looking alive", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const mehdi = await signIn(browser, "membre2@quorum.test");
  await openCommission(mehdi, /Yasmine/);
  await mehdi.context().setOffline(true);
  await expect(mehdi.getByTestId("network-banner")).toContainText("Hors ligne");
  // Signed out elsewhere meanwhile (the same sign-in: the context's cookie), while neither socket can hear it.
  const out = await mehdi.context().request.post("/logout", { headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(out.status()).toBe(302);
  await mehdi.context().setOffline(false);
  const panel = mehdi.getByTestId("seat-removed");
  await expect(panel).toContainText("Vous n'êtes plus connecté(e)");
  await expect(panel).not.toContainText("siège a été retiré");
  await expect(panel.getByRole("link", { name: "Se reconnecter" })).toHaveAttribute("href", /^\/login\?redirectTo=%2Fsessions%2F/);
});
