/**
 * The procès-verbal in the browser. A paritary jury deliberates on two candidates — the jury is driven through its
 * real command endpoint (`/sessions/:id/jury`) with each member's browser cookies — with a loss and recovery of
 * quorum and one member's disconnection (his browser closed, then back); the secretary writes a remark in the
 * minutes while the president reads it live (same CodeMirror editor as the synthesis); the minutes are finalised,
 * a member asks for a change (the president's signature is voided), they are finalised again and all sign; the
 * sealed PDF downloads and is checked with Poppler: the text (composition, quorum events, the incident, both
 * decisions and tallies, no voter's name next to the secret ballot), the PAdES signature (valid, then broken by one
 * changed byte), the attached evidence JSON (it matches what the server reads from the database) and the XMP
 * (PDF/A-3B). On the commission, the president finalises and signs alone (a change asked as he signs: his signature's
 * refusal is said where its form was). Every step waits on what the page or the
 * server shows, never on time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PASSWORD = "quorum-demo";
const JURY = "Jury paritaire — CQP Assistant(e) de formation";
const COMMISSION = "Commission d'évaluation — CQP Assistant(e) de formation";
const PAST_COMMISSION = "Commission d'évaluation — CQP Assistant(e) de formation (session passée)";
const CERTIFICATION = "CQP Assistant(e) de formation";
const OVERALL_LABELS: Record<string, string> = {
  TOTAL: "Délivrance totale",
  PARTIAL: "Délivrance partielle",
  NONE: "Non-délivrance",
  ADJOURNED: "Ajournement",
};

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

async function openSession(page: Page, title: string): Promise<string> {
  await page.goto("/sessions");
  await page.getByRole("link", { name: title }).first().click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2]!;
}

async function openMinutes(page: Page, title: string) {
  await openSession(page, title);
  await page.getByRole("link", { name: "Procès-verbal de la séance" }).click();
  await expect(page.getByRole("heading", { name: /^Procès-verbal/ })).toBeVisible();
}

/** Straight to the minutes (one live connection to the session, not one dropped on the way from the session page). */
async function gotoMinutes(page: Page, sessionId: string) {
  await page.goto(`/sessions/${sessionId}/proces-verbal`);
  await expect(page.getByRole("heading", { name: /^Procès-verbal/ })).toBeVisible();
}

type Target = { id: string; code: string; commissionOutcome: string };
type Room = {
  members: Array<{ userId: string; displayName: string }>;
  quorum: { met: boolean };
  quorumEvents: Array<{ kind: string; at: string }>;
  agenda: Array<{
    agendaItemId: string;
    targets: Target[];
    conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
    recused: Array<{ userId: string }>;
    polls: Array<{
      id: string;
      mode: string;
      tallies: Record<string, number> | null;
      result: string | null;
      entitled: Array<{ userId: string; actingUserId: string }>;
    }>;
    decision: { overall: string; tallies: Record<string, number> | null; method: string } | null;
  }>;
};

/** One jury command, as the jury room posts it, with this member's browser cookies. */
async function jury(page: Page, sessionId: string, fields: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  const res = await page.request.post(`/sessions/${sessionId}/jury`, { form: fields, headers: { Origin: origin } });
  const body = (await res.json()) as { ok: boolean; pollId?: string };
  expect(res.status(), `${fields.intent}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}

async function room(page: Page, sessionId: string): Promise<Room> {
  const res = await page.request.get(`/sessions/${sessionId}/jury`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { room: Room }).room;
}

/** The decision that follows the commission on every bloc (one bloc acquired or not: total or non-délivrance). */
function followCommission(targets: Target[]) {
  const acquired = targets.filter((t) => t.commissionOutcome === "acquired").length;
  const overall = acquired === targets.length ? "TOTAL" : acquired === 0 ? "NONE" : "PARTIAL";
  const fields: Record<string, string> = {};
  for (const t of targets) {
    fields[`choice.${t.id}`] = t.commissionOutcome === "acquired" ? "ACQUIRED" : "NOT_ACQUIRED";
    fields[`reason.${t.id}`] = "Conforme à l'avis de la commission d'évaluation.";
  }
  return { overall, fields };
}

/**
 * Deliberation on one candidate by the president: a vote on the overall decision that follows the commission, each
 * entitled member (recused members are not) casting their own ballot from their browser — with a secret ballot, the
 * last of three or more votes against — then the decision.
 */
async function deliberate(
  president: Page,
  sessionId: string,
  agendaItemId: string,
  mode: "secret" | "open",
  pages: Map<string, Page>,
  afterVotes: () => Promise<void> = async () => {},
) {
  const item = (await room(president, sessionId)).agenda.find((a) => a.agendaItemId === agendaItemId)!;
  const { overall, fields } = followCommission(item.targets);
  const other = overall === "NONE" ? "TOTAL" : "NONE";
  await jury(president, sessionId, { intent: "phase", agendaItemId, to: "DELIBERATION" });
  if (!item.conformity.conform) {
    const remarks = Object.fromEntries(item.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Examiné en séance par le jury."]));
    await jury(president, sessionId, { intent: "acknowledge-conformity", agendaItemId, ...remarks });
  }
  const { pollId } = await jury(president, sessionId, { intent: "open-poll", agendaItemId, subject: "OVERALL", mode });
  const poll = (await room(president, sessionId)).agenda.find((a) => a.agendaItemId === agendaItemId)!.polls.find((p) => p.id === pollId)!;
  const voters = poll.entitled.filter((r) => r.userId === r.actingUserId && pages.has(r.userId));
  expect(voters.length, "members entitled to vote").toBeGreaterThan(0);
  for (const [i, voter] of voters.entries()) {
    // Each voter declares first, from his browser, that he has no link with the candidate (decision 0020).
    await jury(pages.get(voter.userId)!, sessionId, { intent: "declare", agendaItemId, conflict: "false" });
    const against = mode === "secret" && voters.length >= 3 && i === voters.length - 1;
    await jury(pages.get(voter.userId)!, sessionId, { intent: "vote", pollId: pollId!, choice: against ? other : overall });
  }
  await jury(president, sessionId, { intent: "close-poll", pollId: pollId! });
  await afterVotes();
  await jury(president, sessionId, { intent: "phase", agendaItemId, to: "DECISION" });
  await jury(president, sessionId, { intent: "decide", agendaItemId, overall, ...fields });
  return overall;
}

async function signMinutes(page: Page) {
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByLabel(/Je signe ce procès-verbal/).check();
  await page.getByRole("button", { name: "Signer le procès-verbal" }).click();
  await expect(page.getByRole("button", { name: "Signer le procès-verbal" })).toHaveCount(0);
}

test("a jury deliberates on two candidates with a disconnection; the minutes are co-written, reopened, signed by all and sealed", async ({ browser }) => {
  test.setTimeout(480_000);
  const dir = mkdtempSync(path.join(tmpdir(), "quorum-e2e-minutes-"));

  // The secretariat: the members sign this certification's minutes too; Camille MOREAU's dossier is taken off the
  // agenda (Pierre evaluated her: recused, he would not conduct her deliberation, and without Jeanne the employers'
  // college would have nobody to count for her).
  const samia = await signIn(browser, "secretariat@quorum.test");
  await samia.goto("/certifications");
  await samia.getByRole("link", { name: CERTIFICATION }).first().click();
  await samia.getByRole("link", { name: "Modifier les règles" }).click();
  await samia.getByLabel("Les membres signent aussi le procès-verbal (pas seulement le président)").check();
  await samia.getByRole("button", { name: "Enregistrer les règles" }).click();
  await expect(samia.getByText("Règles d'évaluation enregistrées.")).toBeVisible();
  const sessionId = await openSession(samia, JURY);
  await samia.goto(`/sessions/${sessionId}/planning`);
  await samia.getByRole("button", { name: "Retirer le dossier de Camille MOREAU" }).click();
  await expect(samia.getByTestId("planning-agenda").getByRole("listitem")).toHaveCount(2);

  // Everyone has the minutes open (a live connection to the session). Pierre and Marie come from the jury's page:
  // moving from one page of the session to another is not a technical incident.
  const pierre = await signIn(browser, "president@quorum.test");
  const marie = await signIn(browser, "membre1@quorum.test");
  let mehdi = await signIn(browser, "membre2@quorum.test");
  for (const page of [samia, mehdi]) await gotoMinutes(page, sessionId);
  for (const page of [pierre, marie]) await openMinutes(page, JURY);
  const generated = pierre.locator('section[aria-labelledby="generated-heading"]');

  // Émargement: quorum reached when the employees' college arrives.
  await jury(pierre, sessionId, { intent: "arrive" });
  await jury(pierre, sessionId, { intent: "start" });
  await jury(marie, sessionId, { intent: "arrive" });
  await jury(mehdi, sessionId, { intent: "arrive" });
  const opened = await room(pierre, sessionId);
  expect(opened.quorum.met).toBe(true);
  // During the sitting Marie opens the jury's page, reloads it and comes back to the minutes: not an incident — even
  // when her pages' goodbyes never reach the server (a browser unloading a page may drop what the page sent last, and
  // the server then sees a connection lost): each next page says, as it joins, that its tab just left one of the
  // session. Her sockets from now on go through a route that drops the socket.io goodbye (« 41 »).
  await marie.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (message !== "41") server.send(message);
    });
  });
  await marie.goto(`/sessions/${sessionId}`);
  await marie.reload();
  await marie.getByRole("link", { name: "Procès-verbal de la séance" }).click();
  await expect(marie.getByRole("heading", { name: /^Procès-verbal/ })).toBeVisible();
  const idOf = (name: string) => opened.members.find((m) => m.displayName === name)!.userId;
  const pages = new Map([
    [idOf("Pierre Président"), pierre],
    [idOf("Marie Membre"), marie],
    [idOf("Mehdi Membre"), mehdi],
  ]);
  // The secret ballot on the candidate with fewer recused members (an evaluator of a candidate does not vote on them).
  const [secretItem, openItem] = [...opened.agenda].sort((a, b) => a.recused.length - b.recused.length).map((a) => a.agendaItemId);

  // Candidate 1: secret ballot, for the decision that follows the commission (one against when three vote).
  const first = await deliberate(pierre, sessionId, secretItem!, "secret", pages);

  // The president steps out (the employers' college is empty: quorum lost) and comes back (recovered).
  await jury(pierre, sessionId, { intent: "leave" });
  expect((await room(pierre, sessionId)).quorum.met).toBe(false);
  await jury(pierre, sessionId, { intent: "arrive" });
  expect((await room(pierre, sessionId)).quorum.met).toBe(true);

  // Candidate 2: an open (named) vote; once the ballots are in, Mehdi's browser closes — the server records his
  // disconnection (the president's minutes show it) — and the jury decides while he is away.
  let droppedAt = 0;
  const second = await deliberate(pierre, sessionId, openItem!, "open", pages, async () => {
    await mehdi.context().close();
    // The page as the server renders it now (a reload would drop the president's own connection).
    await expect
      .poll(async () => (await pierre.request.get(`/sessions/${sessionId}/proces-verbal`)).text(), { timeout: 30_000 })
      .toMatch(/Mehdi Membre déconnecté\(e\)/);
    droppedAt = Date.now();
  });

  // Closing the browser closes the page's connection as a navigation does: the minutes detail it once he has been
  // away longer than a page takes to load (NAVIGATION_GRACE_SECONDS, 15 s). Mehdi stays away that long, then
  // comes back.
  await expect.poll(() => Date.now() - droppedAt, { timeout: 30_000 }).toBeGreaterThan(16_000);
  mehdi = await signIn(browser, "membre2@quorum.test");
  await gotoMinutes(mehdi, sessionId);
  // His page was rendered before his return was recorded; it is told when it is, and shows him back.
  await expect(mehdi.locator('section[aria-labelledby="generated-heading"]').getByText(/Mehdi Membre déconnecté\(e\) de .+ à /)).toBeVisible({
    timeout: 20_000,
  });
  await expect
    .poll(async () => (await pierre.request.get(`/sessions/${sessionId}/proces-verbal`)).text(), { timeout: 30_000 })
    .toMatch(/Mehdi Membre déconnecté\(e\) de .+ à /);
  await jury(pierre, sessionId, { intent: "close", confirm: "yes" });
  await expect(generated.getByText(/Mehdi Membre déconnecté\(e\) de .+ à .+\. Pendant l'interruption : /)).toBeVisible({ timeout: 20_000 });

  // The secretary writes a remark; the president reads it live.
  const remark = "Séance close après deux délibérations ; reconnexion de Mehdi Membre constatée.";
  const editor = samia.getByTestId("minutes-remarks").locator(".cm-content");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.click();
  await samia.keyboard.type(remark);
  await expect(pierre.getByTestId("minutes-remarks")).toContainText(remark);
  // A bidirectional override is refused where it is typed, with the reason; what is saved stays, the editor keeps the
  // focus, and the next words are saved as usual (the server refusing the edit rebuilt the editor: the focus was lost
  // and the words typed next went nowhere).
  await samia.keyboard.press("End");
  await samia.keyboard.insertText(" exe\u202Efdp");
  await expect(samia.getByTestId("minutes-remarks-refused")).toHaveText("Modification refusée : caractère interdit (U+202E).");
  await expect(samia.getByTestId("minutes-remarks").locator(".cm-content")).toHaveText(remark);
  await samia.keyboard.type(" Fin.");
  await expect(pierre.getByTestId("minutes-remarks")).toContainText(`${remark} Fin.`);
  await expect(samia.getByTestId("minutes-remarks-refused")).toHaveCount(0);
  // An emoji from the keyboard's picker, which the signed PDF cannot print, is left out and named; the words typed
  // with it and after it are kept.
  await samia.keyboard.type(" Merci");
  await samia.keyboard.insertText("\u{1F44D}");
  await expect(samia.getByTestId("minutes-remarks-refused")).toHaveText(
    "« \u{1F44D} » (U+1F44D) non saisi : le document signé ne peut pas imprimer ce caractère (sa police ne l'a pas).",
  );
  await samia.keyboard.type(" à tous.");
  await expect(pierre.getByTestId("minutes-remarks")).toContainText(`${remark} Fin. Merci à tous.`);
  await expect(samia.getByTestId("remarks-denied")).toHaveCount(0);
  // Text pasted from a web page with a zero-width space and a BOM inside: kept without them, not refused whole.
  await samia.getByTestId("minutes-remarks").locator(".cm-content").evaluate((content) => {
    const data = new DataTransfer();
    data.setData("text/plain", " Ad\u200Bmis\uFEFF.");
    content.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(pierre.getByTestId("minutes-remarks")).toContainText(`${remark} Fin. Merci à tous. Admis.`);
  await expect(samia.getByTestId("remarks-denied")).toHaveCount(0);
  // A paste that would take the remarks over their 20,000 characters: not applied, and said where it was pasted; the
  // remarks, the focus and the next words stay (the server refused it whole: the editor was rebuilt from its state,
  // the words typed after the paste went nowhere, and the reason showed only as a refusal).
  await samia.getByTestId("minutes-remarks").locator(".cm-content").evaluate((content) => {
    const data = new DataTransfer();
    data.setData("text/plain", ` ${"Annexe ".repeat(3_000)}`);
    content.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(samia.getByTestId("minutes-remarks-refused")).toHaveText(/^Non saisi : ce texte ne peut dépasser 20\u202f000 caractères \(il en compterait /);
  await samia.keyboard.type(" Clos.");
  await expect(pierre.getByTestId("minutes-remarks")).toContainText(`${remark} Fin. Merci à tous. Admis. Clos.`);
  await expect(samia.getByTestId("minutes-remarks-refused")).toHaveCount(0);
  await expect(samia.getByTestId("remarks-denied")).toHaveCount(0);

  // Her network drops as she finalises: told under the button; the page and her remarks stay (a fetcher replaced them
  // by the route's error page). Back online, she finalises.
  await samia.context().setOffline(true);
  await samia.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(samia.getByRole("alert").filter({ hasText: "Pas de connexion au serveur : la commande n'a pas été envoyée" })).toBeVisible();
  await expect(samia.getByTestId("minutes-remarks")).toContainText(`${remark} Fin. Merci à tous. Admis.`);
  await samia.context().setOffline(false);

  // The server stops answering her page's reads while her live connections stay (a proxy restarting): she finalises,
  // the command is answered, the page cannot be read again and says so, her remarks stay (a revalidation that failed
  // replaced the page by « Une erreur inattendue »). Once the server answers, the page is read again by itself.
  const reads = (url: URL) => url.pathname === "/healthz" || url.pathname.endsWith(".data");
  await samia.route(reads, (route) => route.abort("internetdisconnected"));
  await samia.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(samia.getByTestId("page-unreachable")).toContainText("Pas de connexion au serveur : cette page peut ne plus être à jour.");
  await expect(samia.getByTestId("minutes-remarks")).toContainText(`${remark} Fin. Merci à tous. Admis.`);
  await expect(samia.getByTestId("minutes-status")).toContainText("En rédaction");
  await samia.unroute(reads);

  // Finalised; the president signs; Marie asks for a change: reopened, the president's signature voided.
  await expect(samia.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  await expect(samia.getByTestId("page-unreachable")).toHaveCount(0);
  await expect(pierre.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  await signMinutes(pierre);
  await expect(marie.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  await marie.getByLabel("Modification demandée").fill("Préciser l'heure de reprise du quorum.");
  await marie.getByRole("button", { name: "Demander une modification" }).click();
  await expect(marie.getByTestId("minutes-status")).toContainText("En rédaction");
  await expect(pierre.getByTestId("voided-signature")).toContainText("Pierre Président");
  await expect(pierre.getByText("Préciser l'heure de reprise du quorum.")).toBeVisible();

  // Finalised again; all sign.
  await samia.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(samia.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  for (const page of [pierre, marie, mehdi]) {
    await expect(page.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
    await signMinutes(page);
  }
  await expect(mehdi.getByTestId("minutes-status")).toContainText("Signé et scellé");

  // The sealed PDF downloads once rendered.
  const link = samia.getByRole("link", { name: "Télécharger le procès-verbal scellé (PDF)" });
  await expect(async () => {
    await samia.reload();
    await expect(link).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 90_000 });
  const [download] = await Promise.all([samia.waitForEvent("download"), link.click()]);
  const file = path.join(dir, "pv.pdf");
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");

  // pdftotext: composition, quorum events, the incident, both decisions with their tallies, the remark.
  const final = await room(samia, sessionId);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  for (const expected of [
    "Procès-verbal de délibération du jury",
    "Pierre Président — Président(e), collège employeurs",
    "Marie Membre — Vice-président(e), collège salariés",
    "Mehdi Membre — Membre, collège salariés",
    "quorum perdu",
    "quorum atteint",
    "Mehdi Membre déconnecté(e) de",
    "Pendant l'interruption :",
    `Décision : ${OVERALL_LABELS[first]}`,
    `Décision : ${OVERALL_LABELS[second]}`,
    // The tallies of both votes, as the server counted them.
    ...final.agenda.flatMap((a) =>
      a.polls.flatMap((p) => Object.entries(p.tallies ?? {}).filter(([, n]) => n > 0).map(([choice, n]) => `${OVERALL_LABELS[choice]} : ${n}`)),
    ),
    remark,
    "page 1 /",
  ]) {
    expect(text).toContain(expected);
  }
  expect(final.quorumEvents.map((q) => q.kind)).toEqual(["RECOVERED", "LOST", "RECOVERED"]);
  // pdfdetach: the evidence JSON attached to the PDF (read here so that the incidents below, when wrong, say which
  // connection events the server recorded).
  const out = path.join(dir, "attachments");
  mkdirSync(out);
  execFileSync("pdfdetach", ["-saveall", "-o", out, file]);
  const json = readdirSync(out).find((f) => f.endsWith(".json"))!;
  const evidence = JSON.parse(readFileSync(path.join(out, json), "utf8")) as {
    decisions: Array<{ decision: { overall: string; tallies: Record<string, number> | null; method: string } }>;
    polls: Array<{ mode: string; tallies: Record<string, number> | null; result: string | null }>;
    quorumEvents: Array<{ kind: string; at: string }>;
    connectionEvents: Array<{ userId: string; kind: string; at: string; voluntary: boolean; navigated: boolean }>;
    auditEvents: Array<{ action: string; hash: string }>;
  };
  const recorded = evidence.connectionEvents
    .map((c) => `${final.members.find((m) => m.userId === c.userId)?.displayName ?? c.userId} ${c.kind} ${c.at}${c.voluntary ? " voluntary" : ""}${c.navigated ? " navigated" : ""}`)
    .join("\n");
  // Mehdi's closed browser is the one technical incident: Pierre's and Marie's changes of page are none.
  const incidents = text.slice(text.indexOf("Incidents techniques"));
  expect(incidents.match(/[A-ZÉ][a-zé]+ [A-ZÉ][a-zé]+ déconnecté\(e\)/g), recorded).toEqual(["Mehdi Membre déconnecté(e)"]);
  expect(incidents, recorded).not.toMatch(/\d+ coupures? de moins de/);
  // Marie's pages were left without a goodbye the server heard, and said so as they joined.
  const marieId = final.members.find((m) => m.displayName === "Marie Membre")!.userId;
  const marieEvents = evidence.connectionEvents.filter((c) => c.userId === marieId && new Date(c.at) >= new Date(final.quorumEvents[0]!.at));
  expect(
    marieEvents.some((c) => c.kind === "RECONNECTED" && c.navigated),
    recorded,
  ).toBe(true);
  // No voter's name next to the secret ballot: that candidate's section names none of the members.
  const headings = [...text.matchAll(/Candidat\(e\) : /g)].map((m) => m.index!);
  expect(headings).toHaveLength(2);
  const sections = [text.slice(headings[0], headings[1]), text.slice(headings[1], text.indexOf("Incidents techniques"))];
  const secret = sections.find((section) => section.includes("vote à bulletin secret"))!;
  const open = sections.find((section) => section.includes("vote à main levée"))!;
  // The members' declarations of no link are named (decision 0020): who declared, never how anyone voted.
  expect(secret).toContain("Absence de lien avec le candidat déclarée par : ");
  const ballots = secret.replace(/Absence de lien avec le candidat déclarée par : [^.]*\./, "");
  for (const name of ["Pierre Président", "Marie Membre", "Mehdi Membre"]) expect(ballots).not.toContain(name);
  // The open vote names its voters.
  expect(open).toContain("Votes nominatifs :");
  expect(text.match(/Signé le/g)?.length).toBe(3); // the voided round is not on the certificate page

  // pdfsig: valid and unmodified; invalid once one byte of the content changes.
  const ok = spawnSync("pdfsig", [file], { encoding: "utf8" });
  expect(ok.stdout).toMatch(/Signature Validation: Signature is Valid/);
  const bytes = readFileSync(file);
  const at = bytes.indexOf(Buffer.from("stream")) + 200;
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path.join(dir, "tampered.pdf"), bytes);
  expect(spawnSync("pdfsig", [path.join(dir, "tampered.pdf")], { encoding: "utf8" }).stdout).not.toMatch(/Signature is Valid/);

  // The evidence JSON (read above) matches the database as the server reads it (the jury room).
  expect(evidence.decisions.map((d) => [d.decision.overall, d.decision.method, d.decision.tallies])).toEqual(
    final.agenda.map((a) => [a.decision!.overall, a.decision!.method, a.decision!.tallies]),
  );
  expect(evidence.polls.map((p) => [p.mode, p.tallies, p.result])).toEqual(final.agenda.flatMap((a) => a.polls.map((p) => [p.mode, p.tallies, p.result])));
  expect(evidence.quorumEvents.map((q) => [q.kind, new Date(q.at).toISOString()])).toEqual(final.quorumEvents.map((q) => [q.kind, q.at]));
  const mehdiId = final.members.find((m) => m.displayName === "Mehdi Membre")!.userId;
  const mehdiEvents = evidence.connectionEvents.filter((c) => c.userId === mehdiId).map((c) => c.kind);
  expect([mehdiEvents[0], mehdiEvents.at(-1)]).toEqual(["DISCONNECTED", "RECONNECTED"]);
  expect(evidence.auditEvents.map((a) => a.action)).toEqual(expect.arrayContaining(["jury.session_started", "jury.quorum_lost", "jury.quorum_recovered", "minutes.reopened"]));
  for (const a of evidence.auditEvents) expect(a.hash).toMatch(/^[0-9a-f]{64}$/);

  // XMP: PDF/A-3B.
  const meta = execFileSync("pdfinfo", ["-meta", file], { encoding: "utf8" });
  expect(meta).toMatch(/pdfaid:part(>|=")3/);
  expect(meta).toMatch(/pdfaid:conformance(>|=")B/);
});

test("remarks typed offline wait in the page, which asks before it is left; the editor of a sign-in that ended is read-only and says why", async ({ browser }) => {
  const pierre = await signIn(browser, "president@quorum.test");
  await openMinutes(pierre, COMMISSION);
  const editor = pierre.getByTestId("minutes-remarks").locator(".cm-content");
  await expect(editor).toHaveAttribute("contenteditable", "true");
  await editor.click();
  // Typed without network: the page says they wait, and closing it asks first (they stayed in the page without a
  // word, and closing it lost them without a question).
  await pierre.context().setOffline(true);
  // The network gone, the page says so before anything is typed (it said nothing until a keystroke waited).
  await expect(pierre.getByTestId("remarks-save-state")).toHaveText("Hors ligne : ce que vous écrivez reste sur cette page et sera envoyé au retour du réseau.");
  await pierre.keyboard.type("Commission tenue à distance.");
  await expect(pierre.getByTestId("remarks-save-state")).toHaveText("Hors ligne : modifications en attente d'envoi, gardez cette page ouverte.");
  const asked = pierre.waitForEvent("dialog");
  await pierre.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.dismiss();
  // Back online: sent and stored.
  await pierre.context().setOffline(false);
  await expect(pierre.getByTestId("remarks-save-state")).toHaveCount(0);
  await expect(editor).toContainText("Commission tenue à distance.");
  // His sign-in ends (a sign-out from this browser's other tab): the server closes the remarks for good. The editor
  // stays no longer editable as if nothing happened — what he typed went nowhere, without a word.
  const out = await pierre.request.post("/logout", { headers: { Origin: new URL(pierre.url()).origin }, maxRedirects: 0 });
  expect(out.status()).toBe(302);
  await expect(pierre.getByTestId("remarks-denied")).toHaveText("Session fermée : reconnectez-vous pour continuer.");
  await expect(editor).toHaveAttribute("contenteditable", "false");
  await pierre.context().close();
});

test("the president finalises and signs the commission's minutes once it has sat; the sealed PDF downloads", async ({ browser }) => {
  test.setTimeout(90_000);
  const pierre = await signIn(browser, "president@quorum.test");
  // Tomorrow's commission has not sat: no « Finaliser », the reason instead.
  await openMinutes(pierre, COMMISSION);
  await expect(pierre.getByTestId("minutes-finalise-refusal")).toContainText("La commission n'a pas encore siégé");
  await expect(pierre.getByRole("button", { name: "Finaliser le procès-verbal" })).toHaveCount(0);
  // The past one heard its candidates (their grids signed).
  await openMinutes(pierre, PAST_COMMISSION);
  await expect(pierre.getByText("Candidats entendus")).toBeVisible();
  await expect(pierre.getByTestId("minutes-finalise-refusal")).toHaveCount(0);
  await pierre.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("Finalisé, en signature");

  // An empty request for a change is answered by the server, in French, at its field (the browser's « Please fill out
  // this field » bubble before); nothing is reopened.
  await pierre.getByRole("button", { name: "Demander une modification" }).click();
  await expect(pierre.getByTestId("change-reason-error")).toHaveText("Indiquez la modification demandée (quelques mots au moins : 3 lettres ou plus).");
  await expect(pierre.getByLabel("Modification demandée")).toHaveAttribute("aria-invalid", "true");
  await expect(pierre.getByTestId("minutes-status")).toContainText("Finalisé, en signature");

  // Marie, who sat, asks a change while his signature is on its way: the minutes reopen, the signature is refused, and
  // the page says so where its form was. Until 2026-12-07 the refusal went with the form: the page turned to « En
  // rédaction (version 2) » without a word on the signature he had just sent.
  const marie = await signIn(browser, "membre1@quorum.test");
  const commandUrl = `${new URL(pierre.url()).pathname}/commande`;
  const origin = new URL(pierre.url()).origin;
  await pierre.route(
    `**${commandUrl}`,
    async (route) => {
      const change = await marie.request.post(commandUrl, { form: { intent: "request-change", reason: "Ajouter l'heure de fin." }, headers: { Origin: origin } });
      expect(change.status()).toBe(200);
      await route.continue();
    },
    { times: 1 },
  );
  await pierre.getByLabel("Mot de passe").fill(PASSWORD);
  await pierre.getByLabel(/Je signe ce procès-verbal/).check();
  await pierre.getByRole("button", { name: "Signer le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("En rédaction (version 2)");
  await expect(pierre.getByRole("alert")).toHaveText("Le procès-verbal n'est pas finalisé : il ne peut pas encore être signé.");

  // Finalised again: the refusal of the former version is not said under the new form; he signs.
  await pierre.getByRole("button", { name: "Finaliser le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("Finalisé, en signature");
  await expect(pierre.getByRole("alert")).toHaveCount(0);
  await pierre.getByLabel("Mot de passe").fill(PASSWORD);
  await pierre.getByLabel(/Je signe ce procès-verbal/).check();
  await pierre.getByRole("button", { name: "Signer le procès-verbal" }).click();
  await expect(pierre.getByTestId("minutes-status")).toContainText("Signé et scellé");
  const link = pierre.getByRole("link", { name: "Télécharger le procès-verbal scellé (PDF)" });
  await expect(async () => {
    await pierre.reload();
    await expect(link).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  const [download] = await Promise.all([pierre.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^proces-verbal-.*\.pdf$/);
  const body = await (await pierre.request.get(await link.getAttribute("href").then((h) => h!))).body();
  expect(body.subarray(0, 5).toString()).toBe("%PDF-");
});
