/**
 * The jury room, in the browser: the demo jury opened with Yasmine MARTIN in recusal deadlock (her grid sealed by
 * Pierre, Marie and Mehdi, recused for her). Her president's deadlock box offers « Reporter à un jury ultérieur »,
 * which first asks (« Oui, reporter » or « Annuler »: irreversible); once confirmed, the room says « Reporté à un jury
 * ultérieur (…) » with the recusals, in place of her deliberation. A member sees no such button.
 */
import { expect as baseExpect, test, type Browser, type Page } from "@playwright/test";
// Not ./fixtures: this spec changes its database while its server is stopped (PGlite: one process per data directory).
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { juryCommand } from "../support/clients";
import { demoJuryAndSharedPassage, sealPassage } from "../support/jury-fixtures";
import { signInAs } from "./sign-in";

const expect = baseExpect.configure({ timeout: 20_000 });

let database: TestDatabase;
let own: TestServer;
let juryId = "";

test.describe.configure({ mode: "serial" });

const signIn = (browser: Browser, email: string): Promise<Page> => signInAs(browser, own.baseUrl, email, { width: 1280, height: 900 });

test.beforeAll(async () => {
  test.setTimeout(420_000);
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const { jury, commission, slot } = await demoJuryAndSharedPassage(prisma);
    juryId = jury.id;
    await sealPassage(prisma, { sessionId: commission.id, slotId: slot.id, signerEmails: ["president@quorum.test", "membre1@quorum.test", "membre2@quorum.test"] });
  });
  own = await startServer({ database, bootTimeoutMs: 240_000 });
  // Everyone signs the attendance sheet, the president opens the sitting.
  const cookies: Record<string, string> = {};
  for (const who of ["president", "membre1", "membre2", "membre3"]) {
    cookies[who] = await login(own.baseUrl, `${who}@quorum.test`);
    baseExpect((await juryCommand(own.baseUrl, cookies[who]!, juryId, { intent: "arrive" })).status).toBe(200);
  }
  baseExpect((await juryCommand(own.baseUrl, cookies.president!, juryId, { intent: "start" })).status).toBe(200);
});

test.afterAll(async () => {
  if (own && own.exitCode === null) await own.stop();
  await database?.dispose();
});

test("the sitting's president reports the candidate in deadlock to a later jury, after confirming; a member is offered nothing", async ({ browser }) => {
  const member = await signIn(browser, "membre3@quorum.test");
  await member.goto(`/sessions/${juryId}`);
  await expect(member.getByTestId("recusal-deadlock")).toContainText("Yasmine Nora MARTIN : personne ne peut délibérer sur ce candidat dans ce jury.");
  await expect(member.getByRole("button", { name: "Reporter à un jury ultérieur" })).toHaveCount(0);

  const president = await signIn(browser, "president@quorum.test");
  await president.goto(`/sessions/${juryId}`);
  const box = president.getByTestId("recusal-deadlock");
  await expect(box).toContainText("Le président de séance peut le reporter à un jury ultérieur");
  // It asks first; « Annuler » leaves her as she was.
  await box.getByRole("button", { name: "Reporter à un jury ultérieur" }).click();
  const dialog = president.getByRole("alertdialog", { name: "Reporter Yasmine Nora MARTIN à un jury ultérieur ?" });
  await expect(dialog).toContainText("ce report ne peut pas être annulé");
  await dialog.getByRole("button", { name: "Annuler" }).click();
  await expect(dialog).toHaveCount(0);
  await box.getByRole("button", { name: "Reporter à un jury ultérieur" }).click();
  await president.getByRole("button", { name: "Oui, reporter" }).click();
  await expect(box).toContainText(/Yasmine Nora MARTIN : Reporté à un jury ultérieur \(Collège salariés : Marie Membre \(a évalué ce candidat/);
  await expect(president.getByRole("button", { name: "Reporter à un jury ultérieur" })).toHaveCount(0);
  // In her panel, in place of the deliberation; and the agenda says so. The member's room follows without a reload.
  await president.getByRole("button", { name: /Yasmine Nora MARTIN/ }).click();
  await expect(president.getByTestId("postponed")).toContainText("Reporté à un jury ultérieur (");
  await expect(president.getByRole("button", { name: /Yasmine Nora MARTIN\s*Reporté à un jury ultérieur/ })).toBeVisible();
  await expect(member.getByTestId("recusal-deadlock")).toContainText("Reporté à un jury ultérieur (");
});
