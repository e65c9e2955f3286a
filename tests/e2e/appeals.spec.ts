/**
 * An appeal (recours) in the browser, on the demo: the past jury gave a candidate one CQPM bloc of two (attestation de
 * blocs, issued). The secretariat records the candidate's appeal with its grounds on the dossier (an appeal against a
 * five-year-old decision is refused as late, in French), puts it on the agenda of the demo's later jury « examen des
 * recours »; that jury sits (the employers' and the employees' colleges present), each member declares he has no link
 * with the appellant, its president upholds the appeal with both blocs now acquired (BC01, acquired, shown kept) and
 * its reason, lifts the sitting and signs the revised decision's fiche de décision
 * (the secretariat's page asks for it until then). The secretariat delivers that jury's documents: a
 * parchemin is issued, the attestation is revoked with the reason naming the new number, and its public
 * verification page says so; the jury's minutes tell the appeal examined; the candidate's page counts both blocs.
 */
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { pdfText } from "./pdf-text";

const LATER_JURY = "Jury paritaire — examen des recours";
const REASON = "L'avis favorable de l'entreprise, produit en séance, établit la maîtrise du bloc BC02";

async function signIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
  return page;
}

/** From a session's délivrance page, the candidate with that decision, then the dossier the session decided on. */
async function openDossier(page: Page, query: string, session: string, decision: string) {
  await page.goto(`/sessions?q=${encodeURIComponent(query)}`);
  await page.getByRole("link", { name: session, exact: true }).click();
  await page.getByRole("link", { name: "Délivrance des documents" }).click();
  const entry = page.locator("li", { hasText: `— ${decision}` }).first();
  const candidate = (await entry.getByRole("heading").getByRole("link").textContent())!.trim();
  await entry.getByRole("heading").getByRole("link").click();
  await page.locator("li", { hasText: session }).getByRole("link", { name: /^CQPM/ }).click();
  await expect(page.getByRole("heading", { name: "Recours", exact: true })).toBeVisible();
  return candidate;
}

test("an appeal recorded in time, examined by a later jury, upheld per bloc: the attestation revoked, a parchemin issued", async ({ browser }) => {
  test.setTimeout(240_000);
  const samia = await signIn(browser, "secretariat@quorum.test");

  // Late: against the partial validation of five years ago.
  await openDossier(samia, "archives", "Jury paritaire de délivrance — archives", "Délivrance partielle");
  await samia.getByLabel("Motifs du recours").fill("Le candidat conteste la non-validation du bloc BC02.");
  await samia.getByRole("button", { name: "Enregistrer le recours" }).click();
  await expect(samia.getByText(/^Recours hors délai : le délai de 60 jours courant à compter du .+ a expiré le .+\.$/)).toBeVisible();
  await expect(samia.getByTestId("appeal")).toHaveCount(0);

  // In time: against the past jury's partial delivery (thirty days ago).
  const candidate = await openDossier(samia, "session passée", "Jury paritaire de délivrance — session passée", "Délivrance partielle");
  await samia.getByLabel("Motifs du recours").fill("L'avis de l'entreprise sur le bloc BC02 n'a pas été examiné par le jury.");
  await samia.getByRole("button", { name: "Enregistrer le recours" }).click();
  const appeal = samia.getByTestId("appeal");
  await expect(appeal).toHaveCount(1);
  await expect(appeal).toContainText("Reçu, en attente d'un jury");
  await expect(appeal).toContainText("L'avis de l'entreprise sur le bloc BC02 n'a pas été examiné par le jury.");

  // On the later jury's agenda, from its planning.
  await samia.goto(`/sessions?q=${encodeURIComponent("examen des recours")}`);
  await samia.getByRole("link", { name: LATER_JURY, exact: true }).click();
  await expect(samia.getByRole("heading", { name: LATER_JURY })).toBeVisible();
  const juryUrl = new URL(samia.url()).pathname;
  // Its appeals' page, still empty, leads the secretariat to where an appeal is put on the agenda.
  await samia.goto(`${juryUrl}/recours`);
  await expect(samia.getByText("Aucun recours à l'ordre du jour de ce jury.")).toBeVisible();
  await samia.getByRole("link", { name: "Inscrire un recours à l'ordre du jour" }).click();
  await expect(samia).toHaveURL(new RegExp(`${juryUrl}/planning$`));
  await samia.getByRole("button", { name: `Inscrire le recours de ${candidate} à l'ordre du jour` }).click();
  await expect(samia.getByTestId("appeals-scheduled")).toContainText(candidate);

  // The jury sits: both colleges present; each member declares, for the appellant, that he has no link with her.
  const declareNoLink = async (member: Page) => {
    await member.goto(`${juryUrl}/recours`);
    const appealOf = member.getByTestId("jury-appeal").filter({ hasText: `Recours de ${candidate}` });
    await appealOf.getByRole("button", { name: "Je n'ai aucun lien avec ce candidat" }).click();
    await expect(appealOf.getByTestId("my-appeal-declaration")).toContainText("aucun lien avec ce candidat");
  };
  const pierre = await signIn(browser, "president@quorum.test");
  await pierre.goto(juryUrl);
  await pierre.getByRole("button", { name: "J'arrive (émarger)" }).click();
  // His arrival recorded first (the page says so): a sitting is opened by a president who signed in as present.
  await expect(pierre.getByRole("button", { name: "J'arrive (émarger)" })).toHaveCount(0);
  await pierre.getByRole("button", { name: "Ouvrir la séance" }).click();
  await expect(pierre.getByTestId("session-status")).toContainText("ouverte à");
  for (const email of ["membre1@quorum.test", "membre2@quorum.test", "membre3@quorum.test"]) {
    const member = await signIn(browser, email);
    await member.goto(juryUrl);
    await member.getByRole("button", { name: "J'arrive (émarger)" }).click();
    await expect(member.getByRole("button", { name: "J'arrive (émarger)" })).toHaveCount(0);
    await declareNoLink(member);
    await member.context().close();
  }

  // The president declares too, then upholds the appeal: BC01 stays acquired (shown kept), BC02 now acquired too.
  await pierre.getByRole("link", { name: "Recours examinés" }).click();
  const examined = pierre.getByTestId("jury-appeal");
  await expect(examined).toContainText(`Recours de ${candidate}`);
  await expect(examined).toContainText("Décision contestée : BC01 acquis ; BC02 non acquis");
  await expect(examined.getByTestId("appeal-declarations")).toContainText("Déclarations des membres pour ce candidat (1 membre votant n'a pas encore déclaré) :");
  await declareNoLink(pierre);
  await expect(examined.getByTestId("appeal-declarations")).toContainText("Déclarations des membres pour ce candidat (tous les membres votants ont déclaré) :");
  await expect(examined.getByTestId("appeal-kept")).toContainText("BC01");
  await expect(examined.getByRole("checkbox", { name: "BC01" })).toHaveCount(0);
  await examined.getByLabel("Recours accueilli").check();
  await examined.getByLabel("BC02").check();
  await examined.getByLabel("Motif de la décision du jury").fill(REASON);
  await examined.getByRole("button", { name: "Enregistrer la décision sur le recours" }).click();
  await expect(examined.getByTestId("appeal-outcome")).toContainText(/^Recours accueilli le \d/);
  await expect(examined.getByTestId("appeal-outcome")).toContainText(`${REASON} — nouvelle décision : Délivrance totale (acquis : BC01, BC02)`);
  await pierre.goto(juryUrl);
  // Every candidate decided: « Lever la séance ? » names what becomes impossible, « Oui, lever la séance » focused.
  await pierre.getByRole("button", { name: "Lever la séance" }).click();
  const closing = pierre.getByRole("alertdialog", { name: "Lever la séance ?" });
  await expect(closing).toContainText(
    "La séance ne pourra plus être rouverte : les arrivées et départs, les procurations, les votes, les décisions et les recours ne pourront plus être enregistrés ni modifiés.",
  );
  await expect(closing.getByRole("button", { name: "Oui, lever la séance" })).toBeFocused();
  await closing.getByRole("button", { name: "Oui, lever la séance" }).click();
  await expect(pierre.getByTestId("session-status")).toContainText("close à");
  // Connected to a closed sitting, the room no longer says « En direct ».
  await expect(pierre.getByTestId("live-status")).toHaveText("Séance levée · à jour");

  // The revised decision's document follows its signed fiche de décision (docs/decisions/0019): until the president
  // signs it, the secretariat's page says so instead of offering to issue.
  await samia.goto(`${juryUrl}/delivrance`);
  await expect(samia.getByTestId("sheet-to-sign")).toContainText("Fiche de décision à signer par le président");
  await expect(samia.getByRole("button", { name: /^Délivrer / })).toHaveCount(0);
  await pierre.locator("aside").getByRole("button", { name: new RegExp(candidate) }).click();
  const sheet = pierre.getByTestId("decision-sheet");
  await sheet.getByRole("button", { name: "Soumettre à la signature" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("En signature");
  await sheet.getByLabel("Mot de passe").fill("quorum-demo");
  await sheet.getByRole("checkbox", { name: /Je signe cette fiche de décision/ }).check();
  await sheet.getByRole("button", { name: "Signer la fiche de décision" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("Signée et scellée");

  // The secretariat delivers the later jury's documents: the parchemin.
  await samia.goto(`${juryUrl}/delivrance`);
  await samia.getByRole("button", { name: "Délivrer le document" }).click();
  await expect(samia.getByText(/^1 document délivré : son PDF scellé est en préparation\./)).toBeVisible({ timeout: 30_000 });
  const parchemin = samia.locator("li[data-record]", { hasText: "Parchemin" });
  await expect(parchemin).toHaveCount(1);
  const newNumber = (await parchemin.getAttribute("data-record"))!;

  // The attestation of the contested decision: revoked, with the reason and the new number; publicly only the new number.
  await samia.goto(`/sessions?q=${encodeURIComponent("session passée")}`);
  await samia.getByRole("link", { name: "Jury paritaire de délivrance — session passée", exact: true }).click();
  await samia.getByRole("link", { name: "Délivrance des documents" }).click();
  const attestation = samia.locator("li[data-record]", { hasText: "Attestation de blocs" });
  await expect(attestation).toContainText(
    new RegExp(`Révoquée le .+ : Décision remplacée à la suite du recours accueilli par le jury le .+ : ${REASON} \\(nouveau document n° ${newNumber}\\)`),
  );
  const oldNumber = (await attestation.getAttribute("data-record"))!;
  const verifyHref = (await attestation.getByRole("link", { name: "Page de vérification publique" }).getAttribute("href"))!;
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(verifyHref);
  await expect(visitor.getByTestId("verification-status")).toContainText("Révoqué");
  // Publicly: what replaces it, never the jury's reasoning.
  await expect(visitor.getByTestId("replaced-by")).toHaveText(
    new RegExp(`^Ce document a été remplacé le \\d{1,2}(er)? \\S+ \\d{4} par le document n° ${newNumber} \\(parchemin\\), délivré à la suite d'un recours : il n'est plus valide\\.$`),
  );
  await expect(visitor.getByText(REASON)).toHaveCount(0);
  // Its link opens the parchemin's own page, which names the attestation it replaces and links back to it.
  await visitor.getByTestId("replaced-by").getByRole("link", { name: `document n° ${newNumber}` }).click();
  await expect(visitor.getByTestId("verification-status")).toHaveText("Valide");
  await expect(visitor.getByTestId("replaces")).toHaveText(
    new RegExp(`^Document délivré à la suite d'un recours : remplace l'attestation de blocs de compétences n° ${oldNumber}, révoquée le .+\\.$`),
  );
  await expect(visitor.getByTestId("replaces-link")).toHaveAttribute("href", verifyHref);
  await visitor.context().close();

  // The candidate is notified of the decision on appeal: the letter tells what it replaces.
  await samia.goto(`${juryUrl}/delivrance`);
  await samia.getByRole("button", { name: "Notifier le candidat" }).click();
  const letter = samia.getByRole("link", { name: "Lettre de notification (PDF)" });
  await expect(letter).toBeVisible({ timeout: 120_000 });
  const notice = await pdfText(samia.request, (await letter.getAttribute("href"))!);
  expect(notice).toContain("a décidé de vous délivrer la certification");
  expect(notice).toMatch(new RegExp(`Suite à votre recours Cette décision a été prise sur votre recours contre la décision du jury du .+, qu'elle remplace\\. Le document n° ${oldNumber} est révoqué\\.`));
  expect(notice).toContain(`Parchemin`);

  // The later jury's minutes tell the appeal examined.
  await samia.goto(`${juryUrl}/proces-verbal`);
  await expect(samia.getByText(new RegExp(`Recours de ${candidate} contre la décision du .+ Recours accueilli : ${REASON}\\. Nouvelle décision : délivrance totale`))).toBeVisible();

  // The candidate's page: both blocs acquired.
  await samia.goto(`${juryUrl}/delivrance`);
  await samia.getByRole("link", { name: candidate }).first().click();
  await expect(samia.locator("tr[data-acquisition='BC01']")).toBeVisible();
  await expect(samia.locator("tr[data-acquisition='BC02']")).toBeVisible();
  await expect(samia.getByText("Restent à acquérir")).toHaveCount(0);
});
