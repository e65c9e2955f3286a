/**
 * What a user sees around irreversible steps and a relaunched PDF, in the browser, on the demo with one signed grid's
 * render made to have failed for good (six attempts, in the database while the server is stopped):
 * - the commission's page: the secretariat relaunches the grid's PDF from the agenda (« Relancer la production du
 *   PDF »); the agenda follows the new render to its end and shows the PDF link, without a reload;
 * - the jury room, with another failed grid, of a candidate on the jury's agenda: a seated member reads the failure and
 *   who can relaunch it, with no button; the secretariat relaunches it from the candidate's panel, and the room shows
 *   the grid's PDF link once rendered, without a reload (at 1280 and 390 px: screenshots) — the member's room too, still
 *   open, told at once over its socket;
 * - a signed fiche de décision whose render failed, in its jury's room: its president reads the failure with no button;
 *   the secretariat relaunches it from the sheet's panel, whose download link then appears without a reload;
 * - a référentiel draft is published only once « Je confirme la publication… » is checked (the box says what it
 *   freezes; the browser and the server both refuse without it);
 * - « Lever la séance » with candidates still undecided says so, naming them, with nothing to confirm (« Fermer »);
 *   its confirmation, once all are decided, is appeals.spec's.
 */
import { expect as baseExpect, test, type Browser, type Page } from "@playwright/test";
// Not ./fixtures: this spec changes its database while its server is stopped (PGlite: one process per data directory).
import { prepareDemoDatabase, startServer, withSql, type TestDatabase, type TestServer } from "../support/server";
import { signInAs } from "./sign-in";

const JURY = "Jury paritaire — CQP Assistant(e) de formation";
const expect = baseExpect.configure({ timeout: 20_000 });

let database: TestDatabase;
let own: TestServer;
/** The commission whose grid's render failed, that grid's candidate, and the demo jury with its seated members. */
const ids = { commission: "", candidate: "", jury: "", members: [] as string[] };
/** A candidate on the jury's agenda whose commission grid's render failed too, and that commission's title. */
const juryGrid = { candidate: "", commissionTitle: "" };
/** A closed jury whose president signed its fiches de décision (the desk's, presided by Jeanne), one of them whose render failed. */
const sheet = { jury: "", candidate: "", president: "" };

test.describe.configure({ mode: "serial" });

const signIn = (browser: Browser, email: string, width = 1280): Promise<Page> => signInAs(browser, own.baseUrl, email, { width, height: 900 });

test.beforeAll(async () => {
  test.setTimeout(420_000);
  database = await prepareDemoDatabase();
  await withSql(database, async (query) => {
    // A signed grid of a commission whose PDF the render runner produced: its render made to have failed for good.
    const [grid] = await query(
      `SELECT sl.id, sl."sessionId", c."givenNames", c."birthName" FROM "SessionSlot" sl
         JOIN "Session" s ON s.id = sl."sessionId" JOIN "Candidate" c ON c.id = sl."candidateId"
         JOIN "RenderJob" j ON j."documentKind" = 'grid' AND j."documentId" = sl.id
        WHERE s.kind = 'COMMISSION' AND sl."gridStatus" = 'SIGNED'
        ORDER BY s."startsAt", sl.position LIMIT 1`,
    );
    ids.commission = String(grid!.sessionId);
    ids.candidate = String(grid!.birthName);
    /** The document's sealed PDF thrown away and its render made to have failed for good (six tries). */
    const failRender = async (kind: "grid" | "decision", documentId: unknown) => {
      await query(`DELETE FROM "SignedDocument" WHERE kind = $1 AND "documentId" = $2`, [kind, documentId]);
      const failed = await query(
        `UPDATE "RenderJob" SET status = 'FAILED', attempts = 6, "lastError" = 'police introuvable', "finishedAt" = NULL
          WHERE "documentKind" = $1 AND "documentId" = $2 RETURNING id`,
        [kind, documentId],
      );
      baseExpect(failed).toHaveLength(1);
    };
    await failRender("grid", grid!.id);
    const [jury] = await query(`SELECT id FROM "Session" WHERE title = $1`, [JURY]);
    ids.jury = String(jury!.id);
    // Another signed grid, of a candidate on the jury's agenda: its render made to have failed for good too.
    const [onAgenda] = await query(
      `SELECT sl.id, s.title, COALESCE(c."usageName", c."birthName") AS "birthName" FROM "SessionSlot" sl
         JOIN "Session" s ON s.id = sl."sessionId" JOIN "Candidate" c ON c.id = sl."candidateId"
         JOIN "RenderJob" j ON j."documentKind" = 'grid' AND j."documentId" = sl.id
        WHERE s.kind = 'COMMISSION' AND sl."gridStatus" = 'SIGNED' AND sl.id <> $2
          AND sl."dossierId" IN (SELECT "dossierId" FROM "JuryAgendaItem" WHERE "sessionId" = $1)
        ORDER BY s."startsAt", sl.position LIMIT 1`,
      [ids.jury, grid!.id],
    );
    juryGrid.candidate = String(onAgenda!.birthName);
    juryGrid.commissionTitle = String(onAgenda!.title);
    await failRender("grid", onAgenda!.id);
    const [decided] = await query(
      `SELECT d."sessionId", d."agendaItemId", COALESCE(c."usageName", c."birthName") AS name,
              (SELECT u.email FROM "SessionMember" p JOIN "User" u ON u.id = p."userId" WHERE p."sessionId" = d."sessionId" AND p.role = 'PRESIDENT') AS "presidentEmail"
         FROM "JuryDecisionSheet" ds
         JOIN "JuryDecision" d ON d.id = ds."decisionId" JOIN "Dossier" o ON o.id = d."dossierId" JOIN "Candidate" c ON c.id = o."candidateId"
         JOIN "RenderJob" j ON j."documentKind" = 'decision' AND j."documentId" = d."agendaItemId"
        WHERE ds.status = 'SIGNED' AND d."sessionId" <> $1
          -- A jury whose president did not evaluate the candidate: recused, he would not be shown the sheet's PDF at all.
          AND NOT EXISTS (SELECT 1 FROM "SessionSlot" sl
            JOIN "SessionMember" m ON m."sessionId" = sl."sessionId" AND m.role IN ('PRESIDENT', 'MEMBER')
            JOIN "SessionMember" p ON p."sessionId" = d."sessionId" AND p.role = 'PRESIDENT' AND p."userId" = m."userId"
            WHERE sl."dossierId" = d."dossierId" AND sl."sealedHash" IS NOT NULL)
        ORDER BY d."decidedAt" LIMIT 1`,
      [ids.jury],
    );
    sheet.jury = String(decided!.sessionId);
    sheet.candidate = String(decided!.name);
    sheet.president = String(decided!.presidentEmail);
    await failRender("decision", decided!.agendaItemId);
    const members = await query(`SELECT "userId" FROM "SessionMember" WHERE "sessionId" = $1 AND role IN ('PRESIDENT', 'VICE_PRESIDENT', 'MEMBER') ORDER BY role <> 'PRESIDENT'`, [ids.jury]);
    ids.members = members.map((m) => String(m.userId));
  });
  own = await startServer({ database, bootTimeoutMs: 240_000 });
});

test.afterAll(async () => {
  if (own && own.exitCode === null) await own.stop();
  await database?.dispose();
});

test("a relaunched grid PDF appears in the commission's agenda when rendered, without a reload", async ({ browser }) => {
  test.setTimeout(180_000);
  const samia = await signIn(browser, "secretariat@quorum.test");
  await samia.goto(`/sessions/${ids.commission}`);
  const signed = samia.locator("li", { hasText: ids.candidate }).getByTestId("slot-signed");
  await expect(signed.getByTestId("pdf-failed")).toContainText("Le PDF n'a pas pu être produit (6 essais).");
  await samia.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await signed.getByRole("button", { name: "Relancer la production du PDF" }).click();
  // Rendered and sealed in the background: the agenda reads itself again until the link is there.
  await expect(signed.getByRole("link", { name: "PDF" })).toBeVisible({ timeout: 60_000 });
  await expect(signed.getByTestId("pdf-failed")).toHaveCount(0);
  await expect(signed).not.toContainText("PDF en préparation…");
  expect(await samia.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const pdf = await samia.request.get((await signed.getByRole("link", { name: "PDF" }).getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
});

test("the jury room says a grid's PDF failed, the secretariat relaunches it there, and its link appears without a reload", async ({ browser }) => {
  test.setTimeout(240_000);
  const FAILED = "Le PDF n'a pas pu être produit (6 essais). Le secrétariat de l'organisme peut relancer sa production.";
  /** The candidate's panel, then its grid from the commission whose render failed. */
  const failedGrid = async (page: Page) => {
    await page.goto(`/sessions/${ids.jury}`);
    await expect(page.getByRole("heading", { name: JURY })).toBeVisible();
    await page.locator("aside").or(page.getByRole("navigation")).getByRole("button", { name: new RegExp(juryGrid.candidate, "i") }).first().click();
    await expect(page.getByRole("heading", { name: new RegExp(juryGrid.candidate, "i") })).toBeVisible();
    return page.getByTestId("grid").filter({ hasText: juryGrid.commissionTitle }).first();
  };

  // A seated member (Mehdi): the failure and who can relaunch it, never « en préparation », and no button.
  const mehdi = await signIn(browser, "membre2@quorum.test");
  const seen = await failedGrid(mehdi);
  await expect(seen.getByTestId("pdf-failed")).toHaveText(FAILED);
  await expect(seen.getByTestId("pdf-pending")).toHaveCount(0);
  await expect(seen.getByRole("button", { name: "Relancer la production du PDF" })).toHaveCount(0);
  await expect(seen.getByRole("link", { name: "Grille signée (PDF)" })).toHaveCount(0);
  // His room stays open while the secretariat relaunches it (below).
  await mehdi.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  // The secretariat on a phone: the failure with its button, within the screen's width.
  const phone = await signIn(browser, "secretariat@quorum.test", 390);
  const onPhone = await failedGrid(phone);
  await expect(onPhone.getByRole("button", { name: "Relancer la production du PDF" })).toBeVisible();
  await onPhone.getByTestId("pdf-failed").scrollIntoViewIfNeeded();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.screenshot({ path: "test-results/jury-pdf-failed-390.png", fullPage: false });
  await phone.context().close();

  // The secretariat at 1280 px relaunches it from the room: the link follows the new render, without a reload.
  const samia = await signIn(browser, "secretariat@quorum.test");
  const shown = await failedGrid(samia);
  await expect(shown.getByTestId("pdf-failed")).toContainText(FAILED);
  await shown.getByTestId("pdf-failed").scrollIntoViewIfNeeded();
  await samia.screenshot({ path: "test-results/jury-pdf-failed-1280.png", fullPage: false });
  await samia.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await shown.getByRole("button", { name: "Relancer la production du PDF" }).click();
  await expect(shown.getByRole("link", { name: "Grille signée (PDF)" })).toBeVisible({ timeout: 60_000 });
  await expect(shown.getByTestId("pdf-failed")).toHaveCount(0);
  await expect(shown.getByTestId("pdf-pending")).toHaveCount(0);
  expect(await samia.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const pdf = await samia.request.get((await shown.getByRole("link", { name: "Grille signée (PDF)" }).getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  await samia.context().close();
  // Mehdi's room was told over its socket (render:state), not at its next slow re-read (every 30 s): the link is there
  // at once, without a reload.
  await expect(seen.getByRole("link", { name: "Grille signée (PDF)" })).toBeVisible({ timeout: 5_000 });
  await expect(seen.getByTestId("pdf-failed")).toHaveCount(0);
  expect(await mehdi.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await mehdi.context().close();
});

test("a fiche de décision's failed PDF is relaunched from its panel in the jury room, and its link appears without a reload", async ({ browser }) => {
  test.setTimeout(240_000);
  const FAILED = "Le PDF scellé de la fiche n'a pas pu être produit (6 essais). Le secrétariat de l'organisme peut relancer sa production.";
  const panel = async (page: Page) => {
    await page.goto(`/sessions/${sheet.jury}`);
    await page.locator("aside").or(page.getByRole("navigation")).getByRole("button", { name: new RegExp(sheet.candidate, "i") }).first().click();
    await expect(page.getByRole("heading", { name: new RegExp(sheet.candidate, "i") })).toBeVisible();
    return page.getByTestId("decision-sheet");
  };
  // Its president, who signed it (the demo's earliest such jury: Jeanne presides the desk's deliberations): the failure
  // and who can relaunch it, no button.
  const president = await signIn(browser, sheet.president);
  const theirs = await panel(president);
  await expect(theirs.getByTestId("pdf-failed")).toHaveText(FAILED);
  await expect(theirs.getByRole("button", { name: "Relancer la production du PDF" })).toHaveCount(0);
  await expect(theirs).not.toContainText("PDF scellé en préparation…");
  await president.context().close();

  const samia = await signIn(browser, "secretariat@quorum.test");
  const shown = await panel(samia);
  await expect(shown.getByTestId("pdf-failed")).toContainText(FAILED);
  await samia.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await shown.getByRole("button", { name: "Relancer la production du PDF" }).click();
  const link = shown.getByRole("link", { name: "Télécharger la fiche de décision scellée (PDF)" });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await expect(shown.getByTestId("pdf-failed")).toHaveCount(0);
  expect(await samia.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const pdf = await samia.request.get((await link.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  await samia.context().close();
});

test("a référentiel draft is published only once the secretariat confirms what it freezes", async ({ browser }) => {
  test.setTimeout(180_000);
  const samia = await signIn(browser, "secretariat@quorum.test");
  await samia.goto("/certifications");
  await samia.getByRole("link", { name: /CQP Assistant\(e\) de formation/ }).first().click();
  await samia.getByRole("button", { name: "Nouvelle version (copie de la dernière)" }).click();
  await expect(samia.getByRole("heading", { name: /^Référentiel — version \d+$/ })).toBeVisible();
  const draftUrl = new URL(samia.url()).pathname;
  const form = samia.getByTestId("publish-form");
  const box = form.getByRole("checkbox", { name: /Je confirme la publication de la version \d+ : elle sera figée définitivement\./ });
  await expect(box).toBeVisible();
  await expect(form).toContainText("Ses blocs, compétences, critères et notes ne pourront plus être modifiés, et elle ne pourra plus être supprimée");
  await samia.screenshot({ path: "test-results/publish-confirm-1280.png", fullPage: true });
  const phone = await signIn(browser, "secretariat@quorum.test", 390);
  await phone.goto(draftUrl);
  await expect(phone.getByTestId("publish-form").getByRole("checkbox")).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.screenshot({ path: "test-results/publish-confirm-390.png", fullPage: true });
  await phone.context().close();

  // Without the box checked, the browser does not send the form.
  await form.getByRole("button", { name: "Publier cette version" }).click();
  expect(await box.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
  // A form sent without the box all the same (the attribute removed) is refused by the server at the box, in French.
  await box.evaluate((el) => el.removeAttribute("required"));
  await form.getByRole("button", { name: "Publier cette version" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Cochez la confirmation pour publier : une fois publiée, la version est figée et ne pourra plus être modifiée ni supprimée.",
  );
  await expect(form.getByRole("checkbox")).toHaveAttribute("aria-invalid", "true");
  await expect(samia.getByText("Brouillon").first()).toBeVisible();
  await form.getByRole("checkbox").check();
  await form.getByRole("button", { name: "Publier cette version" }).click();
  await expect(samia.getByText("Version publiée : elle est désormais figée.")).toBeVisible();
  await expect(samia.getByTestId("publish-form")).toHaveCount(0);
});

test("« Lever la séance » with candidates undecided says why the sitting cannot close, with nothing to confirm", async ({ browser }) => {
  test.setTimeout(180_000);
  const pierre = await signIn(browser, "president@quorum.test");
  await pierre.goto(`/sessions/${ids.jury}`);
  await expect(pierre.getByRole("heading", { name: JURY })).toBeVisible();
  const origin = new URL(pierre.url()).origin;
  const command = async (form: Record<string, string>) => {
    const res = await pierre.request.post(`/sessions/${ids.jury}/jury`, { form, headers: { Origin: origin } });
    expect(res.status(), JSON.stringify(await res.json())).toBe(200);
  };
  // The president arrives (he presides from then on), records the members' arrivals, then opens the sitting.
  for (const userId of ids.members) await command({ intent: "arrive", userId });
  await command({ intent: "start" });
  await expect(pierre.getByTestId("session-status")).toContainText("Séance en cours");

  // No candidate decided yet: the dialog says why the sitting cannot close, with nothing to confirm. Until 2026-12-07
  // it asked « Lever la séance ? » and only after « Oui, lever la séance » answered « Des candidats n'ont pas encore de
  // décision : la séance ne peut être close. »
  await pierre.getByRole("button", { name: "Lever la séance", exact: true }).click();
  const blocked = pierre.getByRole("alertdialog", { name: "La séance ne peut pas encore être levée" });
  await expect(blocked).toContainText("Ces candidats n'ont pas encore de décision : Yasmine Nora MARTIN, Camille Anne MOREAU, Aurélie Jeanne CHEVALIER.");
  await expect(blocked.getByRole("button", { name: "Oui, lever la séance" })).toHaveCount(0);
  await expect(blocked.getByRole("button", { name: "Fermer" })).toBeFocused();
  await pierre.screenshot({ path: "test-results/close-blocked-1280.png", fullPage: false });
  await blocked.getByRole("button", { name: "Fermer" }).click();
  await expect(blocked).toHaveCount(0);
  await expect(pierre.getByTestId("session-status")).toContainText("Séance en cours");

  const phone = await signIn(browser, "president@quorum.test", 390);
  await phone.goto(`/sessions/${ids.jury}`);
  await phone.getByRole("button", { name: "Lever la séance", exact: true }).click();
  await expect(phone.getByRole("alertdialog", { name: "La séance ne peut pas encore être levée" })).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.screenshot({ path: "test-results/close-blocked-390.png", fullPage: false });
  await phone.context().close();
});
