/**
 * The live paritary jury in four browsers: Pierre (president, employers' college), Marie (vice-president,
 * employees' college), Mehdi (member, employees') and Jeanne (member, employers'). On its own server and database
 * (the last test reads the database once the server is stopped):
 * - Pierre is late, Marie presides; Jeanne, the only employer present, leaves: every screen shows the quorum lost
 *   with its French reason, Marie's vote is refused with it; Jeanne returns and the quorum is back for all;
 * - an open vote ends 2–2 and Pierre's casting vote decides; Mehdi follows on a 390 px phone from then on, and reads
 *   the candidate's grid and the vote without scrolling sideways;
 * - a secret vote shows totals only, and the database holds its totals only, « has voted » apart;
 * - a partial delivery conducted by Marie, Pierre being recused for that candidate (he evaluated her): every page
 *   says who conducts; préconisations typed by Marie and seen live by Mehdi, read-only once decided;
 * - Pierre submits and signs (password and consent) the fiche de décision of the secret vote's candidate and
 *   downloads the sealed PDF: pdftotext finds the decision and its tallies; Marie, who conducted the partial
 *   delivery, signs its sheet.
 * Every step waits on what the pages show, never on time.
 */
import { expect as baseExpect, test, type Browser, type ConsoleMessage, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// Not ./fixtures: this spec owns its server and database (it reads the database once the server is stopped, and
// PGlite allows one process per data directory), so no per-worker server is started for it.
import { prepareDemoDatabase, startServer, withSql, type TestDatabase, type TestServer } from "../support/server";
import { signInAs } from "./sign-in";

const PASSWORD = "quorum-demo";
// Four browsers and one server on a shared machine: a live change may take a few seconds to reach every page.
const expect = baseExpect.configure({ timeout: 30_000 });
const JURY = "Jury paritaire — CQP Assistant(e) de formation";

let database: TestDatabase;
let own: TestServer;
let pierre: Page;
let marie: Page;
let mehdi: Page;
let jeanne: Page;
let juryUrl = "";

test.describe.configure({ mode: "serial" });

const signIn = (browser: Browser, email: string): Promise<Page> => signInAs(browser, own.baseUrl, email);

const quorum = (page: Page) => page.getByTestId("quorum-state");
const candidate = (page: Page, name: RegExp) => page.getByRole("navigation").or(page.locator("aside")).getByRole("button", { name });

/** Submits, signs and downloads a decided candidate's fiche de décision as its only signer; returns the PDF's text. */
async function signDecisionSheet(page: Page, name: RegExp, file: string): Promise<string> {
  await candidate(page, name).click();
  const sheet = page.getByTestId("decision-sheet");
  await sheet.getByRole("button", { name: "Soumettre à la signature" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("En signature");
  await sheet.getByLabel("Mot de passe").fill(PASSWORD);
  await sheet.getByRole("checkbox", { name: /Je signe cette fiche de décision/ }).check();
  await sheet.getByRole("button", { name: "Signer la fiche de décision" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("Signée et scellée");
  // The render worker seals the PDF (PDF/A-3b, PAdES); the panel polls until its link is there.
  const link = sheet.getByRole("link", { name: "Télécharger la fiche de décision scellée (PDF)" });
  await expect(link).toBeVisible({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const saved = path.join(mkdtempSync(path.join(tmpdir(), "quorum-jury-")), file);
  await download.saveAs(saved);
  return execFileSync("pdftotext", [saved, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

/**
 * What a member on a phone would have to scroll sideways to read: how much wider than the screen the page is, and the
 * cells of the candidate's grid that lie beyond the screen's edges (a table scrolling inside its box hid the « Issue »
 * column off-screen without widening the page).
 */
function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const cells = [...document.querySelectorAll("[data-testid=grid] tbody th, [data-testid=grid] tbody td")]
      .map((cell) => ({ cell, box: cell.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.left < 0 || box.right > width + 0.5))
      .map(({ cell }) => (cell.textContent ?? "").trim().slice(0, 40));
    return { page: document.documentElement.scrollWidth - width, cells };
  });
}

/** The member declares, on the candidate's item, « Je n'ai aucun lien avec ce candidat » (before any ballot on him). */
async function declareNoLink(page: Page) {
  await page.getByTestId("conflicts").getByRole("button", { name: "Je n'ai aucun lien avec ce candidat" }).click();
  await expect(page.getByTestId("my-declaration")).toContainText("aucun lien avec ce candidat");
}

/** The candidate's current step of the deliberation. */
function currentStep(page: Page) {
  return page.getByTestId("phases").locator("[aria-current=step]");
}

async function arrive(page: Page) {
  await page.getByRole("button", { name: "J'arrive (émarger)" }).click();
  await expect(page.getByRole("button", { name: "Je quitte la séance" })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(420_000);
  database = await prepareDemoDatabase();
  own = await startServer({ database, bootTimeoutMs: 240_000 });
  // One after the other: each login hashes a password (argon2), four at once stretch past the page's patience.
  pierre = await signIn(browser, "president@quorum.test");
  marie = await signIn(browser, "membre1@quorum.test");
  mehdi = await signIn(browser, "membre2@quorum.test");
  jeanne = await signIn(browser, "membre3@quorum.test");
  await marie.goto("/sessions");
  await marie.getByRole("link", { name: JURY }).first().click();
  await expect(marie.getByRole("heading", { name: JURY })).toBeVisible();
  juryUrl = new URL(marie.url()).pathname;
  for (const page of [mehdi, jeanne]) await page.goto(juryUrl);
});

test.afterAll(async () => {
  if (own && own.exitCode === null) await own.stop();
  await database?.dispose();
});

test("the quorum is lost when a member leaves, for all to see; a vote is refused with the reason; the member returns", async () => {
  test.setTimeout(300_000);
  // Pierre is late: Marie, vice-president, presides.
  for (const page of [marie, mehdi, jeanne]) await arrive(page);
  for (const page of [marie, mehdi, jeanne]) await expect(quorum(page)).toHaveText("Quorum atteint");
  await expect(marie.getByTestId("quorum")).toContainText("Préside : Marie Membre");
  await marie.getByRole("button", { name: "Ouvrir la séance" }).click();
  await expect(jeanne.getByTestId("session-status")).toContainText("Séance en cours");

  // Jeanne's reads of the room stop reaching the server (her live connection stays) while Marie moves the
  // deliberation on: her room reads the change, fails, and stays as it was, saying so — a fetcher's failed read had
  // replaced the whole room by the route's « Une erreur inattendue », under the button she was about to click.
  // (`/jury.data`: how a Remix fetcher reads it.)
  const roomReads = (url: URL) => [`${juryUrl}/jury`, `${juryUrl}/jury.data`].includes(url.pathname);
  await jeanne.route(roomReads, (route) => (route.request().method() === "GET" ? route.abort("internetdisconnected") : route.fallback()));
  await marie.getByRole("button", { name: "Passer à « Délibération »" }).click();
  await expect(currentStep(mehdi)).toContainText("Délibération");
  await expect(jeanne.getByTestId("room-unreachable")).toContainText("Pas de connexion au serveur : la séance affichée peut ne plus être à jour");
  await expect(jeanne.getByRole("heading", { name: JURY })).toBeVisible();
  await expect(currentStep(jeanne)).toContainText("Présentation");

  // Her network drops as she leaves: told under the button, the room stays. Back online, the room is read again by
  // itself (the deliberation shows), and she leaves — the only member of the employers' college present.
  await jeanne.context().setOffline(true);
  await jeanne.getByRole("button", { name: "Je quitte la séance" }).click();
  await expect(jeanne.getByRole("alert").filter({ hasText: "Pas de connexion au serveur : la commande n'a pas été envoyée" })).toBeVisible();
  await expect(jeanne.getByRole("heading", { name: JURY })).toBeVisible();
  await jeanne.unroute(roomReads);
  await jeanne.context().setOffline(false);
  await expect(currentStep(jeanne)).toContainText("Délibération");
  await expect(jeanne.getByTestId("room-unreachable")).toHaveCount(0);
  await jeanne.getByRole("button", { name: "Je quitte la séance" }).click();
  for (const page of [marie, mehdi, jeanne]) {
    await expect(quorum(page)).toHaveText("Quorum non atteint");
    await expect(page.getByTestId("quorum-reasons")).toContainText("Collège employeurs : 0 membre présent ou représenté, 1 requis.");
    await expect(page.getByTestId("quorum-last-event")).toContainText("Quorum perdu");
  }
  // On a phone the sticky bar keeps to the state and the counts (listed, the reasons covered a third of the screen):
  // they unfold under « Pourquoi ? ».
  const size = jeanne.viewportSize()!;
  await jeanne.setViewportSize({ width: 390, height: 844 });
  await expect(jeanne.getByTestId("quorum-reasons")).toBeHidden();
  await jeanne.getByTestId("quorum").getByRole("button", { name: "Pourquoi ?" }).click();
  await expect(jeanne.getByTestId("quorum-reasons")).toBeVisible();
  await expect(jeanne.getByTestId("quorum-reasons")).toContainText("Collège employeurs : 0 membre présent ou représenté, 1 requis.");
  await jeanne.setViewportSize(size);

  // Marie opens a vote: refused, with the reason, where she clicked.
  await marie.getByRole("button", { name: "Ouvrir le vote" }).click();
  await expect(marie.getByTestId("polls").getByRole("alert")).toContainText("Quorum non atteint : impossible de ouvrir un vote.");
  await expect(marie.getByTestId("polls").getByRole("alert")).toContainText("Collège employeurs");
  await expect(marie.getByTestId("poll")).toHaveCount(0);

  // Jeanne comes back: quorum recovered for all, recorded with its time.
  await arrive(jeanne);
  for (const page of [marie, mehdi, jeanne]) {
    await expect(quorum(page)).toHaveText("Quorum atteint");
    await expect(page.getByTestId("quorum-last-event")).toContainText("Quorum rétabli");
  }

  // Mehdi's network drops: his room says so (its live connection is closed with the network — an open websocket
  // stayed « En direct » while nothing reached it). Jeanne leaves meanwhile; back online, his room shows it by itself
  // (the connection opens again at once and its join reads the room), then her return.
  await mehdi.context().setOffline(true);
  await expect(mehdi.getByTestId("live-status")).toHaveText("Hors ligne : reconnexion…");
  await jeanne.getByRole("button", { name: "Je quitte la séance" }).click();
  await expect(quorum(marie)).toHaveText("Quorum non atteint");
  await mehdi.context().setOffline(false);
  await expect(mehdi.getByTestId("live-status")).toHaveText("En direct");
  await expect(quorum(mehdi)).toHaveText("Quorum non atteint");
  await arrive(jeanne);
  for (const page of [marie, mehdi, jeanne]) await expect(quorum(page)).toHaveText("Quorum atteint");
});

test("an open vote ends in a tie and the president's casting vote decides", async () => {
  test.setTimeout(300_000);
  await pierre.goto(juryUrl);
  await arrive(pierre);
  await expect(marie.getByTestId("quorum")).toContainText("Préside : Pierre Président");
  // Mehdi follows from his phone from now on: every column of the grid is read without scrolling sideways.
  await mehdi.setViewportSize({ width: 390, height: 844 });
  // The divergent dossier (third on the agenda): the evaluators disagreed on C6.
  for (const page of [pierre, marie, mehdi, jeanne]) await candidate(page, /^3\. /).click();
  await expect(pierre.getByTestId("grid").first()).toContainText("Avis divergents");
  await expect(mehdi.getByTestId("grid").first()).toContainText("Avis divergents");
  await expect.poll(() => sidewaysOverflow(mehdi)).toEqual({ page: 0, cells: [] });
  await pierre.getByRole("button", { name: "Passer à « Délibération »" }).click();
  await expect(jeanne.getByTestId("phases").locator("[aria-current=step]")).toHaveText(/Délibération/);
  // Pierre and Marie declare on the candidate's item; the president sees who has not yet, above the vote's form.
  for (const page of [pierre, marie]) await declareNoLink(page);
  await expect(pierre.getByTestId("undeclared-notice")).toContainText("Pas encore de déclaration pour ce candidat : Mehdi Membre, Jeanne Jurée.");
  await expect(pierre.getByTestId("declarations")).toContainText("Jeanne Jurée — n'a pas encore déclaré");
  await pierre.getByLabel("Objet").selectOption({ label: "Bloc RNCP38544BC02 — Financement, qualité et promotion de l'offre de formation" });
  await pierre.getByLabel("Mode de vote").selectOption("open");
  await pierre.getByRole("button", { name: "Ouvrir le vote" }).click();
  for (const page of [pierre, marie, mehdi, jeanne]) await expect(page.getByTestId("poll")).toContainText("Vote à main levée");
  // While it runs, a conflict is not offered (the server would refuse it): it is declared after the vote's close.
  await expect(marie.getByTestId("conflicts").getByRole("button", { name: "Je déclare un conflit d'intérêts" })).toHaveCount(0);
  await expect(marie.getByTestId("conflict-after-vote")).toContainText("un conflit d'intérêts se déclare après sa clôture");

  const mine = (page: Page) => page.getByRole("group", { name: "Mon vote" });
  // Mehdi and Jeanne have not declared: no ballot for them until they do, from the vote itself.
  for (const page of [mehdi, jeanne]) {
    await expect(mine(page).getByRole("button", { name: "Acquis", exact: true })).toHaveCount(0);
    await page.getByTestId("declare-first").getByRole("button", { name: "Je n'ai aucun lien avec ce candidat" }).click();
    await expect(page.getByTestId("declare-first")).toHaveCount(0);
  }
  await expect(pierre.getByTestId("declarations")).toContainText("Jeanne Jurée — aucun lien déclaré");
  // On his phone the sticky quorum bar stays one line while the vote is open (it took a fifth of the screen): the state,
  // the colleges' counts and the way to his ballot; who presides and the vote's question unfold under « Détails ».
  const bar = mehdi.getByTestId("quorum");
  await expect(bar.getByRole("link", { name: "Voter" })).toBeVisible();
  expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(60);
  await expect(bar.getByTestId("quorum-state")).toHaveText("Quorum atteint");
  await expect(bar.getByTestId("quorum-counts")).toHaveText("Employeurs : 2 · Salariés : 2 · Total : 4", { useInnerText: true });
  await expect(bar.getByTestId("presiding")).toBeHidden();
  await bar.getByRole("button", { name: "Détails" }).click();
  await expect(bar.getByTestId("presiding")).toHaveText("Préside : Pierre Président");
  await expect(bar.getByTestId("vote-call")).toContainText("Vote ouvert : Bloc RNCP38544BC02");
  await bar.getByRole("button", { name: "Détails" }).click();
  await expect(bar.getByTestId("presiding")).toBeHidden();
  // On a wide screen everything stays shown, as before.
  await expect(pierre.getByTestId("quorum").getByTestId("vote-call")).toBeVisible();
  await expect(pierre.getByTestId("quorum").getByTestId("presiding")).toBeVisible();
  await mine(pierre).getByRole("button", { name: "Non acquis", exact: true }).click();
  await mine(marie).getByRole("button", { name: "Acquis", exact: true }).click();
  await mine(mehdi).getByRole("button", { name: "Acquis", exact: true }).click();
  await mine(jeanne).getByRole("button", { name: "Non acquis", exact: true }).click();
  // An open vote shows each member's ballot to everyone.
  await expect(mehdi.getByTestId("open-votes")).toContainText("Jeanne Jurée : Non acquis");
  await expect(mehdi.getByTestId("open-votes")).toContainText("Marie Membre : Acquis");
  await expect(pierre.getByTestId("poll-count")).toContainText("4 votes sur 4");

  await pierre.getByRole("button", { name: "Clore le vote" }).click();
  await expect(marie.getByTestId("poll-result")).toContainText("Égalité : voix prépondérante attendue.");
  await expect(marie.getByTestId("poll-result")).toContainText("En attente de la voix prépondérante de Pierre Président.");
  await pierre.getByRole("group", { name: "Voix prépondérante" }).getByRole("button", { name: "Acquis", exact: true }).click();
  for (const page of [pierre, marie, mehdi, jeanne]) {
    await expect(page.getByTestId("poll-result")).toContainText("Décidé : Acquis (voix prépondérante de Pierre Président)");
  }
  // The bloc is decided: « Objet » no longer offers it (the other bloc and the overall decision still), unless Pierre
  // asks to vote on it again — the way a jury goes back on a vote.
  const decided = "Bloc RNCP38544BC02 — Financement, qualité et promotion de l'offre de formation";
  const objet = pierre.getByLabel("Objet");
  await expect(objet.locator("option", { hasText: "Bloc RNCP38544BC01" })).toHaveCount(1);
  await expect(objet.locator("option", { hasText: "Décision d'ensemble" })).toHaveCount(1);
  await expect(objet.locator("option", { hasText: decided })).toHaveCount(0);
  await pierre.getByLabel("Revoter sur une question déjà décidée par un vote").check();
  await expect(objet.locator("option", { hasText: `${decided} (décidé : Acquis)` })).toHaveCount(1);
  await pierre.getByLabel("Revoter sur une question déjà décidée par un vote").uncheck();
  await expect(objet.locator("option", { hasText: decided })).toHaveCount(0);
  // A closed vote says when it was opened and when it was closed.
  await expect(marie.getByTestId("poll")).toContainText(/ouvert à \d{1,2}\sh\s\d{2}, clos à \d{1,2}\sh\s\d{2}/);
  // The vote, its named ballots and the casting vote fit his screen as well.
  expect(await sidewaysOverflow(mehdi)).toEqual({ page: 0, cells: [] });
});

test("a secret vote shows only totals; the database holds no link between a voter and a ballot", async () => {
  test.setTimeout(300_000);
  // The first candidate is in deliberation since the first test (Marie opened it while presiding).
  for (const page of [pierre, marie, mehdi, jeanne]) await candidate(page, /^1\. /).click();
  await expect(mehdi.getByTestId("phases").locator("[aria-current=step]")).toHaveText(/Délibération/);
  for (const page of [pierre, marie, mehdi, jeanne]) await declareNoLink(page);
  // Pierre opens the decision form first and leans towards an ajournement; the jury then votes (the form follows).
  await pierre.getByRole("button", { name: "Passer à « Décision »" }).click();
  const form = pierre.getByTestId("decision-form");
  await form.getByLabel("Décision d'ensemble").selectOption("ADJOURNED");
  await expect(form.getByLabel("Motif de l'ajournement")).toBeVisible();
  await pierre.getByLabel("Objet").selectOption({ label: "Décision d'ensemble" });
  await pierre.getByLabel("Mode de vote").selectOption("secret");
  await pierre.getByRole("button", { name: "Ouvrir le vote" }).click();
  const mine = (page: Page) => page.getByRole("group", { name: "Mon vote" });
  for (const page of [pierre, marie, mehdi]) await mine(page).getByRole("button", { name: "Délivrance totale" }).click();
  // Pierre closes before Jeanne has voted: he is told what her missing ballot weighs, and waits.
  await expect(pierre.getByTestId("poll-count")).toContainText("3 votes sur 4");
  await pierre.getByRole("button", { name: "Clore le vote" }).click();
  await expect(pierre.getByTestId("close-poll-confirm")).toHaveText(
    /1 membre n'a pas encore voté : un bulletin non déposé compte comme une abstention, et la majorité reste de 3 voix sur 4\. Clore quand même \?/,
  );
  await pierre.getByRole("button", { name: "Attendre" }).click();
  await expect(pierre.getByTestId("close-poll-confirm")).toHaveCount(0);
  await expect(jeanne.getByTestId("poll")).toContainText("en cours");
  await mine(jeanne).getByRole("button", { name: "Abstention" }).click();
  await expect(pierre.getByTestId("poll-count")).toContainText("4 votes sur 4");
  // Nobody sees who chose what, even once the vote is over.
  await expect(marie.getByTestId("open-votes")).toHaveCount(0);
  await pierre.getByRole("button", { name: "Clore le vote" }).click();
  for (const page of [pierre, marie, mehdi, jeanne]) {
    await expect(page.getByTestId("poll-result")).toContainText("Délivrance totale : 3");
    await expect(page.getByTestId("poll-result")).toContainText("Abstention : 1");
    await expect(page.getByTestId("poll-result")).toContainText("Décidé : Délivrance totale");
    await expect(page.getByTestId("open-votes")).toHaveCount(0);
  }
  // The vote recorded meanwhile replaced his choice in the form, which says so.
  await expect(form.getByLabel("Décision d'ensemble")).toHaveValue("TOTAL");
  await expect(form.getByTestId("decision-form-updated")).toContainText("le jury s'est prononcé — la décision d'ensemble : Délivrance totale");
  await pierre.getByRole("button", { name: "Enregistrer la décision" }).click();
  await expect(jeanne.getByTestId("decision")).toContainText("Décision rendue : Délivrance totale");
  await expect(jeanne.getByTestId("decision")).toContainText("vote à bulletin secret");
});

test("a partial delivery with préconisations typed by one member and seen live by another", async () => {
  test.setTimeout(300_000);
  // Each stored edit is acknowledged (message 100): y-websocket logged « Unable to compute message » for every one.
  const unhandled: string[] = [];
  const listen = (message: ConsoleMessage) => {
    if (/Unable to compute message/.test(message.text())) unhandled.push(message.text());
  };
  for (const page of [marie, mehdi]) page.on("console", listen);
  for (const page of [pierre, marie, mehdi, jeanne]) await candidate(page, /^2\. /).click();
  await expect(marie.getByTestId("commission-outcome")).toContainText("délivrance partielle");
  // Pierre, recused for her (he evaluated her), is not given the commission's issue: the panel says why instead.
  await expect(pierre.getByTestId("evaluation-withheld")).toContainText("issue calculée par le règlement");
  await expect(pierre.getByTestId("commission-outcome")).toHaveCount(0);
  // Nor the conformity checklist, read on that evaluation: a sentence instead; Marie has its lines.
  await expect(pierre.getByTestId("conformity-withheld")).toContainText("le contrôle de conformité, qui porte sur son évaluation, ne vous est pas accessible");
  await expect(marie.getByTestId("conformity-withheld")).toHaveCount(0);
  await expect(marie.getByTestId("conformity")).toContainText("Dossier complet");
  // Pierre evaluated this candidate in commission: recused, he does not conduct; Marie, vice-president, does.
  for (const page of [pierre, marie, mehdi, jeanne]) {
    await expect(page.getByTestId("candidate-presidency")).toHaveText("Présidence pour ce candidat : Marie Membre (le président est récusé).");
  }
  await expect(pierre.getByRole("button", { name: "Passer à « Délibération »" })).toHaveCount(0);
  // During the presentation nobody writes the préconisations.
  await expect(marie.getByTestId("preconisations").locator(".cm-content")).toHaveAttribute("contenteditable", "false");
  await marie.getByRole("button", { name: "Passer à « Délibération »" }).click();
  const editor = marie.getByTestId("preconisations").locator(".cm-content");
  // Before her declaration of no link with the candidate, Marie reads them only, told why; from it on she writes them,
  // without a reload (as she takes part in the deliberation on him: docs/decisions/0020).
  await expect(marie.getByText("Lecture seule : déclarez d'abord l'absence de lien avec ce candidat")).toBeVisible();
  await expect(editor).toHaveAttribute("contenteditable", "false");
  for (const page of [marie, mehdi, jeanne]) await declareNoLink(page);
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.click();
  await marie.keyboard.type("Reprendre le bloc 2 : financement et démarche qualité, avec un tuteur.");
  await expect(mehdi.getByTestId("preconisations")).toContainText("Reprendre le bloc 2 : financement et démarche qualité, avec un tuteur.");
  expect(unhandled).toEqual([]);
  for (const page of [marie, mehdi]) page.off("console", listen);

  // Decided without a vote: the consensus of those present, each declared first (Pierre, recused, has none to make).
  await expect(pierre.getByTestId("declarations")).toContainText("Pierre Président — récusé·e (lien connu), sans déclaration à faire");
  await marie.getByRole("button", { name: "Passer à « Décision »" }).click();
  await expect(pierre.getByTestId("decision-form")).toHaveCount(0);
  const form = marie.getByTestId("decision-form");
  await expect(form.getByLabel("Décision d'ensemble")).toHaveValue("PARTIAL");
  // Overturning the commission without a reason is refused at the field, in French.
  await form.getByTestId("target-RNCP38544BC02").getByLabel("Acquis", { exact: true }).check();
  await form.getByLabel("Décision d'ensemble").selectOption("PARTIAL");
  await form.getByRole("button", { name: "Enregistrer la décision" }).click();
  await expect(form.getByTestId("target-RNCP38544BC02")).toContainText("motivez la décision qui s'écarte de celle de la commission");
  // Following the commission: BC01 acquired, BC02 not: a partial delivery.
  await form.getByTestId("target-RNCP38544BC02").getByLabel("Non acquis", { exact: true }).check();
  await form.getByLabel("Décision d'ensemble").selectOption("PARTIAL");
  await form.getByRole("button", { name: "Enregistrer la décision" }).click();
  for (const page of [pierre, marie, mehdi, jeanne]) {
    await expect(page.getByTestId("decision")).toContainText("Décision rendue : Délivrance partielle");
    await expect(page.getByTestId("decision")).toContainText("RNCP38544BC01 : acquis");
    await expect(page.getByTestId("preconisations")).toContainText("Reprendre le bloc 2");
  }
  // Once decided, the préconisations are read-only for everyone.
  await expect(marie.getByTestId("preconisations").locator(".cm-content")).toHaveAttribute("contenteditable", "false");
});

test("the president signs the fiche de décision of the secret vote and downloads it; the vice-president the partial delivery's", async () => {
  // Signing, then the render worker seals the PDF (PDF/A-3b with its PAdES signature): beyond the 30 s budget.
  test.setTimeout(240_000);
  // Mehdi follows the same fiche while his reads of it stop reaching the server: his panel keeps what it showed and
  // says so, then reads it again by itself once they pass.
  await candidate(mehdi, /^1\. /).click();
  const followed = mehdi.getByTestId("decision-sheet");
  await expect(followed.getByTestId("decision-sheet-status")).toHaveText("À soumettre à la signature");
  const sheetReads = (url: URL) => url.pathname.startsWith(`${juryUrl}/decisions/`);
  await mehdi.route(sheetReads, (route) => (route.request().method() === "GET" ? route.abort("internetdisconnected") : route.fallback()));
  const secret = await signDecisionSheet(pierre, /^1\. /, "fiche-secret.pdf");
  await expect(followed.getByTestId("decision-sheet-unreachable")).toContainText("Pas de connexion au serveur : la fiche affichée peut ne plus être à jour");
  await expect(followed.getByTestId("decision-sheet-status")).toHaveText("À soumettre à la signature");
  await mehdi.unroute(sheetReads);
  // Read again on its own (after 2 s, 4 s… at most 30 s since the last failure).
  await expect(followed.getByTestId("decision-sheet-status")).toHaveText("Signée et scellée", { timeout: 40_000 });
  await expect(followed.getByTestId("decision-sheet-unreachable")).toHaveCount(0);
  expect(secret).toContain("Fiche de décision du jury");
  expect(secret).toContain("Décision d'ensemble : Délivrance totale, vote à bulletin secret (Délivrance totale : 3, Abstention : 1).");
  expect(secret).toContain("Décision d'ensemble — vote à bulletin secret : Délivrance totale : 3, Abstention : 1 → Délivrance totale.");
  expect(secret).toContain("Pierre Président");

  // The partial delivery: submitted, then Mehdi asks for a change of its préconisations — which Marie, read-only on
  // them since the decision, writes again until she submits it again.
  await candidate(marie, /^2\. /).click();
  const marieSheet = marie.getByTestId("decision-sheet");
  await marieSheet.getByRole("button", { name: "Soumettre à la signature" }).click();
  await expect(marieSheet.getByTestId("decision-sheet-status")).toHaveText("En signature");
  const editor = marie.getByTestId("preconisations").locator(".cm-content");
  await expect(editor).toHaveAttribute("contenteditable", "false");
  await candidate(mehdi, /^2\. /).click();
  const mehdiSheet = mehdi.getByTestId("decision-sheet");
  await mehdiSheet.getByText("Demander une modification").click();
  // Sent empty: the server's French error at the field (the browser's bubble before), the sheet still in signature.
  await mehdiSheet.getByRole("button", { name: "Demander la modification" }).click();
  await expect(mehdiSheet.getByLabel("Modification demandée")).toHaveAttribute("aria-invalid", "true");
  await expect(mehdiSheet.getByText("Indiquez la modification demandée (quelques mots au moins : 3 lettres ou plus).")).toHaveCount(1);
  await expect(marieSheet.getByTestId("decision-sheet-status")).toHaveText("En signature");
  await mehdiSheet.getByLabel("Modification demandée").fill("Nommer le tuteur.");
  await mehdiSheet.getByRole("button", { name: "Demander la modification" }).click();
  await expect(marieSheet.getByTestId("decision-sheet-status")).toHaveText("À soumettre à la signature");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.click();
  await marie.keyboard.press("ControlOrMeta+End");
  await marie.keyboard.type(" Tuteur : Paul Professionnel.");
  await expect(mehdi.getByTestId("preconisations")).toContainText("Tuteur : Paul Professionnel.");
  // Pierre, recused, does not sign it; Marie, who conducted it, does.
  const partial = await signDecisionSheet(marie, /^2\. /, "fiche-partielle.pdf");
  expect(partial).toContain("Délivrance partielle");
  expect(partial).toContain("Marie Membre");
  expect(partial).toContain("Tuteur : Paul Professionnel.");
  await expect(editor).toHaveAttribute("contenteditable", "false");
});

test("the database holds the secret vote's totals only, and who voted apart", async () => {
  test.setTimeout(60_000);
  await own.stop(); // PGlite: one process per data directory
  await withSql(database, async (query) => {
    const columns = (await query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'JurySecretTally' ORDER BY column_name`)).map((r) => r.column_name);
    expect(columns).toEqual(["choice", "count", "pollId"]);
    const sessionId = juryUrl.split("/").pop();
    const [poll] = await query(`SELECT id FROM "JuryPoll" WHERE mode = 'SECRET' AND "sessionId" = $1`, [sessionId]);
    const counts = await query(`SELECT choice, count FROM "JurySecretTally" WHERE "pollId" = $1 ORDER BY choice`, [poll!.id]);
    const voters = await query(`SELECT "userId" FROM "JuryPollVoter" WHERE "pollId" = $1`, [poll!.id]);
    expect(counts).toEqual([
      { choice: "ABSTAIN", count: 1 },
      { choice: "TOTAL", count: 3 },
    ]);
    expect(voters).toHaveLength(4);
    // The audit of a secret ballot names the voter, never the choice.
    const audits = await query(`SELECT data FROM "AuditEvent" WHERE action = 'jury.vote_cast' AND "subjectId" = $1`, [poll!.id]);
    expect(audits).toHaveLength(4);
    for (const a of audits) expect(JSON.stringify(a.data)).not.toMatch(/TOTAL|ABSTAIN|choice/);
  });
});
