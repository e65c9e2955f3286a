/**
 * A document follows the signed fiche de décision (docs/decisions/0019), in the browser: the demo's catch-up jury, with
 * Linh NGUYEN's fiche de décision taken back to « not submitted » in the database (as if the president had not signed
 * it yet). The secretariat's « Délivrance » page shows « Fiche de décision à signer par le président » for her and
 * offers to issue the other candidate's document only; the desk counts one record to issue and one fiche to sign. The
 * president submits and signs her fiche from the jury room; the secretariat then issues her attestation.
 */
import { expect as baseExpect, test, type Browser, type Page } from "@playwright/test";
// Not ./fixtures: this spec changes its database while its server is stopped (PGlite: one process per data directory).
import { prepareDemoDatabase, startServer, withSql, type TestDatabase, type TestServer } from "../support/server";
import { signInAs } from "./sign-in";

const PASSWORD = "quorum-demo";
const JURY = "Jury paritaire — session de rattrapage";
const expect = baseExpect.configure({ timeout: 20_000 });

let database: TestDatabase;
let own: TestServer;
let juryId = "";

test.describe.configure({ mode: "serial" });

const signIn = (browser: Browser, email: string, width = 1280): Promise<Page> => signInAs(browser, own.baseUrl, email, { width, height: 900 });

const todoCount = (page: Page, key: string) => page.getByTestId(`todo-${key}`).getByTestId("todo-count");

test.beforeAll(async () => {
  test.setTimeout(420_000);
  database = await prepareDemoDatabase();
  own = await startServer({ database, bootTimeoutMs: 240_000 }); // seeds the demo
  await own.stop();
  await withSql(database, async (query) => {
    const [linh] = await query(
      `SELECT d.id, d."agendaItemId", d."sessionId", d."preconisationsDoc" FROM "JuryDecision" d
         JOIN "Session" s ON s.id = d."sessionId" JOIN "Dossier" o ON o.id = d."dossierId" JOIN "Candidate" c ON c.id = o."candidateId"
        WHERE s.title = $1 AND c."birthName" = 'NGUYEN'`,
      [JURY],
    );
    juryId = String(linh!.sessionId);
    // Her fiche as the sitting left it: decided, never submitted to the president's signature.
    await query(`DELETE FROM "Signature" WHERE "documentKind" = 'decision' AND "documentId" = $1`, [linh!.agendaItemId]);
    await query(`DELETE FROM "SignedDocument" WHERE kind = 'decision' AND "documentId" = $1`, [linh!.agendaItemId]);
    await query(`DELETE FROM "RenderJob" WHERE "documentKind" = 'decision' AND "documentId" = $1`, [linh!.agendaItemId]);
    await query(`DELETE FROM "JuryDecisionSheet" WHERE "decisionId" = $1`, [linh!.id]);
    await query(`UPDATE "CollabDocument" SET "sealedAt" = NULL, "sealedHash" = NULL WHERE name = $1`, [linh!.preconisationsDoc]);
  });
  own = await startServer({ database, bootTimeoutMs: 240_000 });
});

test.afterAll(async () => {
  if (own && own.exitCode === null) await own.stop();
  await database?.dispose();
});

test("the secretariat issues only the signed fiche's document; the president signs the other; then it is issued", async ({ browser }) => {
  test.setTimeout(300_000);
  const secretariat = await signIn(browser, "secretariat@quorum.test");
  // The desk: the catch-up jury's two partial deliveries, one of them waiting for its fiche.
  await expect(todoCount(secretariat, "records")).toHaveText("1");
  await expect(todoCount(secretariat, "sheets")).toHaveText("1");
  await expect(secretariat.getByTestId("todo-sheets")).toContainText("Linh NGUYEN");

  await secretariat.goto(`/sessions/${juryId}/delivrance`);
  await expect(secretariat.getByRole("heading", { name: `Délivrance — ${JURY}` })).toBeVisible();
  const linh = secretariat.locator("li", { has: secretariat.getByRole("heading", { name: /Linh NGUYEN/ }) });
  await expect(linh.getByTestId("sheet-to-sign")).toContainText("Fiche de décision à signer par le président");
  await expect(linh.getByTestId("sheet-to-sign")).toContainText("n'a pas encore été soumise à la signature");
  await expect(secretariat.getByTestId("step-issue-state")).toHaveText(
    "1 décision attend son document. 1 décision attend la signature de sa fiche de décision par le président (Linh NGUYEN).",
  );
  await secretariat.screenshot({ path: "test-results/delivery-sheet-1280.png", fullPage: true });
  const phone = await signIn(browser, "secretariat@quorum.test", 390);
  await phone.goto(`/sessions/${juryId}/delivrance`);
  await expect(phone.getByTestId("sheet-to-sign")).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.screenshot({ path: "test-results/delivery-sheet-390.png", fullPage: true });
  await phone.context().close();

  await secretariat.getByRole("button", { name: "Délivrer le document" }).click();
  await expect(secretariat.getByRole("status").first()).toContainText(
    "1 document délivré : son PDF scellé est en préparation. Étape suivante : notifier les candidats. En attente de leur fiche de décision signée par le président : Linh NGUYEN.",
  );
  await expect(secretariat.getByRole("button", { name: /^Délivrer / })).toHaveCount(0);
  await expect(linh.getByTestId("sheet-to-sign")).toBeVisible();

  // The president signs her fiche from the jury room (closed sitting: the fiche can still be signed).
  const pierre = await signIn(browser, "president@quorum.test");
  await pierre.goto(`/sessions/${juryId}`);
  await pierre.locator("aside").getByRole("button", { name: /Linh NGUYEN/ }).click();
  const sheet = pierre.getByTestId("decision-sheet");
  await sheet.getByRole("button", { name: "Soumettre à la signature" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("En signature");
  await secretariat.reload();
  await expect(linh.getByTestId("sheet-to-sign")).toContainText("soumise à la signature et attend encore une signature");
  await sheet.getByLabel("Mot de passe").fill(PASSWORD);
  await sheet.getByRole("checkbox", { name: /Je signe cette fiche de décision/ }).check();
  await sheet.getByRole("button", { name: "Signer la fiche de décision" }).click();
  await expect(sheet.getByTestId("decision-sheet-status")).toHaveText("Signée et scellée");

  await secretariat.reload();
  await expect(secretariat.getByTestId("sheet-to-sign")).toHaveCount(0);
  await secretariat.getByRole("button", { name: "Délivrer le document" }).click();
  await expect(secretariat.getByTestId("step-issue-state")).toHaveText("Fait : 2 documents délivrés.", { timeout: 30_000 });
  await expect(linh.locator("li[data-record]", { hasText: "Attestation de blocs" })).toBeVisible();
  await secretariat.goto("/");
  await expect(todoCount(secretariat, "records")).toHaveText("0");
  await expect(todoCount(secretariat, "sheets")).toHaveText("0");
});
