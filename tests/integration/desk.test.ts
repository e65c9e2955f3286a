/**
 * The secretariat's desk against the real production server on a fresh demo database: the dashboard's to-dos and
 * the filtered lists they lead to, accent-insensitive search, the archive's access rules (a member sees only the
 * sessions they sat on), « Vérifier » intact then not intact once the stored bytes are altered in the database, the
 * Caisse des Dépôts export validated by Debian's `xmllint --schema` (with nothing to declare, its button disabled with
 * the reason, and a refused attempt from the page answered on the page), a holder without birth code not declarable, an
 * acknowledgement import flipping statuses, and the CSV exports' BOM and semicolons.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { until } from "../support/clients";
import { ROOT } from "../support/database";
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";
import { ARCHIVE_KIND_LABELS } from "~/archive/documents/archive-kinds";

const run = promisify(execFile);

const TODO_KEYS = ["dossiers", "convocations", "habilitations", "signatures", "minutes", "declarations", "partials", "cpne", "records", "sheets", "notices", "appeals"];
/** The count of one to-do of the desk (its own, not the next one's). */
function todoCount(html: string, key: string): number | null {
  const start = html.indexOf(`data-testid="todo-${key}"`);
  const count = start < 0 ? undefined : /data-testid="todo-count">(\d+)</.exec(html.slice(start))?.[1];
  return count === undefined ? null : Number(count);
}

/** The body as text, keeping the BOM (Response.text() strips it). */
const bomText = (body: ArrayBuffer) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);

describe("the secretariat's desk: dashboard, archive, declaration of holders", () => {
  let db: TestDatabase;
  let server: TestServer;
  let secretariat: string;
  let member1: string;
  let member2: string;
  let tmp: string;

  const start = async () => {
    // Eight helpers share two cores: the first boot seeds the demo, give it room.
    server = await startServer({ database: db, bootTimeoutMs: 180_000 });
    [secretariat, member1, member2] = await Promise.all([
      login(server.baseUrl, DEMO_ACCOUNTS.secretariat),
      login(server.baseUrl, DEMO_ACCOUNTS.membre1),
      login(server.baseUrl, DEMO_ACCOUNTS.membre2),
    ]);
  };
  const get = (p: string, cookie: string) => fetch(`${server.baseUrl}${p}`, { redirect: "manual", headers: { Cookie: cookie } });
  const page = async (p: string, cookie: string) => {
    const res = await get(p, cookie);
    expect(res.status, p).toBe(200);
    return decodeHtml(await res.text());
  };
  const post = (p: string, body: URLSearchParams | FormData, cookie: string) =>
    fetch(`${server.baseUrl}${p}`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: server.baseUrl }, body });
  const documentIds = (html: string) => [...html.matchAll(/href="\/archives\/([a-z0-9]+)\/document\.pdf"/g)].map((m) => m[1]);
  /** « Vérifier » on the archive's list filtered by `search` (the answer shows on the entry, which must be on that page). */
  const verify = async (documentId: string, cookie = secretariat, search = "") => {
    const res = await post(`/archives?${search ? `${search}&` : ""}index`, new URLSearchParams({ documentId }), cookie);
    return { status: res.status, html: decodeHtml(await res.text()) };
  };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "quorum-desk-"));
    db = await prepareDemoDatabase();
    await start();
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await db?.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  it("lists the closed juries whose procès-verbal is still to finalise, and only those", async () => {
    // What the database holds: the demo's closed juries whose minutes were never opened or are open again.
    const closed = await server.prisma.session.findMany({
      where: { kind: "JURY", status: "CLOSED", organisation: { slug: "cpnef-demo" } },
      select: { id: true, title: true, minutes: { select: { status: true } } },
    });
    const toFinalise = closed.filter((s) => s.minutes === null || s.minutes.status === "OPEN");
    expect(toFinalise.length).toBeGreaterThan(1);
    expect(closed.length).toBeGreaterThan(toFinalise.length); // the past jury's procès-verbal is signed
    let desk = await page("/", secretariat);
    expect(todoCount(desk, "minutes")).toBe(toFinalise.length);
    const todo = desk.slice(desk.indexOf('data-testid="todo-minutes"')).split("</li>")[0]!;
    expect(todo).toContain("Procès-verbaux de jury à finaliser");
    expect(todo).toContain('href="/sessions?filtre=proces-verbaux"');
    const listed = await page("/sessions?filtre=proces-verbaux", secretariat);
    expect(listed).toContain("Jurys dont la séance est levée et le procès-verbal pas encore finalisé");
    const ids = [...new Set([...listed.matchAll(/href="\/sessions\/([a-z0-9]{20,})"/g)].map((m) => m[1]))];
    expect(ids.sort()).toEqual(toFinalise.map((s) => s.id).sort());
    // Finalised (submitted for signature), a procès-verbal leaves the list for « en attente de signatures ».
    const [first, ...others] = toFinalise;
    await server.prisma.sessionMinutes.upsert({ where: { sessionId: first!.id }, create: { sessionId: first!.id, status: "SIGNING" }, update: { status: "SIGNING" } });
    desk = await page("/", secretariat);
    expect(todoCount(desk, "minutes")).toBe(others.length);
    expect(decodeHtml(await (await get("/sessions?filtre=proces-verbaux", secretariat)).text())).not.toContain(`href="/sessions/${first!.id}"`);
    await server.prisma.sessionMinutes.update({ where: { sessionId: first!.id }, data: { status: "OPEN" } });
    expect(todoCount(await page("/", secretariat), "minutes")).toBe(toFinalise.length);
  });

  it("right after start, the demo's outbox holds the demo jury's convocations and « Membres » a pending invitation", async () => {
    const outbox = await page("/outbox", secretariat);
    expect(outbox).not.toContain("Aucun courriel pour l'instant.");
    const convocations = [...outbox.matchAll(/href="\/outbox\/([a-z0-9]+)"[^>]*>Convocation : Jury paritaire — CQP Assistant\(e\) de formation/g)];
    expect(convocations).toHaveLength(6); // the five seats of the bench and the observer
    for (const to of ["president@quorum.test", "membre1@quorum.test", "membre3@quorum.test", "observateur@quorum.test"]) expect(outbox).toContain(`À ${to}`);
    const letter = await page(`/outbox/${convocations[0]![1]}`, secretariat);
    expect(letter).toContain("Vous êtes convoqué(e) à la session « Jury paritaire — CQP Assistant(e) de formation »");
    expect(letter).toContain("Ordre du jour :");
    // The invitation: sent, its link never shown; the person is listed as invited.
    expect(outbox).toContain("Quorum : invitation de CPNEF de démonstration");
    const invitationId = /href="\/outbox\/([a-z0-9]+)"[^>]*>Quorum : invitation de CPNEF de démonstration/.exec(outbox)?.[1];
    const invitation = await page(`/outbox/${invitationId}`, secretariat);
    expect(invitation).toContain("ce courriel contient un lien personnel (invitation ou réinitialisation du mot de passe)");
    expect(invitation).not.toContain("/mot-de-passe-oublie/");
    const admin = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
    const members = await page("/membres", admin);
    const row = members.split('data-testid="member"').find((r) => r.includes("Noé Nouveau")) ?? "";
    expect(row).toContain("Invitation en attente");
    expect(row).toContain("Renvoyer l'invitation");
  });

  it("right after start, the past jury's candidates were notified: letters, e-mails and an appeal deadline still open", async () => {
    const sessions = await page("/sessions", secretariat);
    const pastId = /href="\/sessions\/([a-z0-9]+)"[^>]*>Jury paritaire de délivrance — session passée/.exec(sessions)?.[1];
    expect(pastId, "the demo's past jury").toBeTruthy();
    // The letters are rendered and sealed by the render runner after the start.
    let delivery = "";
    await until(async () => {
      delivery = await page(`/sessions/${pastId}/delivrance`, secretariat);
      return delivery.match(/href="\/delivrance\/pdf\/notice\//g)?.length === 3;
    }, "the three notice letters rendered", { timeoutMs: 60_000 });
    // The jury sat 30 days ago, its records were issued the next day, its candidates notified the day after.
    const day = (offset: number) => formatLongDay(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + offset)));
    const notices = delivery.split('data-testid="notice"').slice(1);
    expect(notices).toHaveLength(3);
    for (const notice of notices) expect(notice).toContain(`Notifié le ${day(-28)}`);
    // Sixty days from the notification (the scheme's default): the appeal received last week was on time.
    const deadlines = [...delivery.matchAll(/data-testid="appeal-deadline"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
    expect(deadlines).toHaveLength(3);
    for (const line of deadlines) expect(line).toContain(`Recours possible jusqu'au ${day(32)} inclus.`);
    expect(deadlines.filter((line) => line.includes(`Recours reçu le ${formatParisLongDate(new Date(Date.now() - 7 * 86_400_000))} (en attente d'un jury)`))).toHaveLength(1);
    expect(delivery).toContain("Fait : les 3 candidats ont été notifiés.");
    expect(delivery).not.toContain("Notifier les 3 candidats");
    // The letter to the non-delivered candidate, sealed, as she reads it.
    const letterId = /href="\/delivrance\/pdf\/notice\/([a-z0-9]+)"/g;
    const letters = [...delivery.matchAll(letterId)].map((m) => m[1]!);
    expect(letters).toHaveLength(3);
    const file = path.join(tmp, "notice.pdf");
    const res = await get(`/delivrance/pdf/notice/${letters[2]}`, secretariat);
    expect(res.status).toBe(200);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const text = (await run("pdftotext", [file, "-"])).stdout.replace(/\s+/g, " ");
    expect(text).toContain("Madame Élodie Marie FAURE 27 avenue Alsace-Lorraine 38000 Grenoble");
    expect(text).toContain("Madame,");
    expect(text).toContain(`dans un délai de 60 jours à compter de la présente notification, soit au plus tard le ${day(32)}.`);
    expect(text).toContain(`Fait le ${day(-28)}.`);
    // The two candidates with an address were e-mailed, from the notification's day.
    const outbox = await page("/outbox", secretariat);
    expect(outbox.match(/>Décision du jury — CQPM Opérateur/g)).toHaveLength(2);
    // Each leads back to its jury's « Délivrance » page, not to the session's preparation.
    const noticeEmail = /href="\/outbox\/([a-z0-9]+)"[^>]*>Décision du jury — CQPM Opérateur/.exec(outbox)![1];
    const email = await page(`/outbox/${noticeEmail}`, secretariat);
    expect(email).toContain(`href="/sessions/${pastId}/delivrance"`);
    expect(email).not.toContain(`href="/sessions/${pastId}/planning"`);
  });

  it("the dashboard lists the to-dos with counts and links to lists that accept their filters", async () => {
    const html = await page("/", secretariat);
    expect(html).toContain("À faire");
    for (const href of ["/candidates?filtre=incomplets", "/sessions?filtre=convocations", "/habilitations?filtre=expirent", "/sessions?filtre=signatures", "/declarations?statut=a_traiter", "/declarations?statut=a_declarer", "/declarations?statut=not_declarable"]) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(html).toContain("Chiffres");
    expect(html).toMatch(/<svg[^>]*aria-hidden="true"/);
    const incomplete = await page("/candidates?filtre=incomplets", secretariat);
    expect(incomplete).toContain("Filtre : candidats dont un dossier en cours est incomplet");
    expect(incomplete).toContain("Manque :");
    expect(html).toContain('href="/candidates?filtre=validations-partielles"');
    // Expiring within 90 days: Nicolas's partial validation and Élodie's (juries of almost five years ago). Not listed:
    // Lucas, delivered in full; Léa, partially delivered last month; Mamadou, partially delivered last month.
    expect(todoCount(html, "partials")).toBe(2);
    const partials = await page("/candidates?filtre=validations-partielles", secretariat);
    const row = (table: string, name: string) => table.split("<tr").find((r) => r.includes(name)) ?? "";
    expect(row(partials, "Nicolas Jean SCHMITT")).toContain("MQ 2017 10 69 0312 : validation partielle (BC01)");
    expect(row(partials, "Élodie Marie FAURE")).toContain("MQ 2017 10 69 0312 : validation partielle (BC01)");
    // Its end is written as French writes a day in a sentence (« 5 février 2027 »), never « 05/02/2027 ».
    expect(row(partials, "Nicolas Jean SCHMITT")).toMatch(/valable jusqu'au \d{1,2}(er)? [a-zéû]+ \d{4}</);
    for (const name of ["Lucas Henri BONNET", "Mamadou DIALLO"]) expect(partials).not.toContain(name);
    // The past jury's records are issued; the catch-up jury's two partial deliveries still await theirs.
    expect(html).toContain('href="/sessions?filtre=delivrances"');
    expect(todoCount(html, "records")).toBe(2);
    // Every fiche de décision of the demo's closed juries is signed (docs/decisions/0019): none to sign.
    expect(todoCount(html, "sheets")).toBe(0);
    const toIssue = await page("/sessions?filtre=delivrances", secretariat);
    expect(toIssue).toContain("Jury paritaire — session de rattrapage");
    expect(toIssue).not.toContain("Jury paritaire de délivrance");
    expect(toIssue).not.toContain("(session passée)");
    // The food-sector CQP's jury only proposes: its two decisions await the CPNE's validation, so they are listed there,
    // and not among the records to issue (its délivrance page would refuse them).
    expect(todoCount(html, "cpne")).toBe(2);
    const validationHref = /<a[^>]*href="([^"]+)"[^>]*>Décisions en attente de validation CPNE<\/a>/.exec(html)?.[1];
    expect(validationHref).toMatch(/^\/sessions\/[a-z0-9]+\/delivrance$/);
    expect(await page(validationHref!, secretariat)).toContain("Délibération du jury — CQP Conducteur(trice) de ligne de production alimentaire");
    expect(toIssue).not.toContain("alimentaire");
    expect(html).not.toMatch(/data-testid="todo-records"[\s\S]*?LEROY[\s\S]*?data-testid="todo-appeals"/);
    // The appeal against the past jury's non-delivery awaits a jury: the to-do leads to its dossier.
    expect(todoCount(html, "appeals")).toBe(1);
    expect(html).toMatch(/<a[^>]*href="\/dossiers\/[a-z0-9]+"[^>]*>Recours en attente d'un jury<\/a>/);
    // The demo jury was convened two days ago; its two other upcoming sessions (tomorrow's commission, the appeals' jury)
    // have members not convoked yet; one grid of the past commission awaits signatures.
    expect(todoCount(html, "convocations")).toBe(2);
    expect(html).toContain("9 membres non convoqués, 0 convocation tardive");
    expect(todoCount(html, "signatures")).toBe(1);
    expect(html).toContain("1 grille, 0 procès-verbal");
    const signing = await page("/sessions?filtre=signatures", secretariat);
    expect(signing).toContain("(session passée)");
    expect(signing).not.toContain("Jury paritaire — CQP Assistant(e) de formation");
    const expiring = await page("/habilitations?filtre=expirent", secretariat);
    expect(expiring).toContain("Mehdi Membre");
    expect(expiring).not.toMatch(/<td[^>]*>Marie Membre<br\/>/);
    // The desk counts what the list shows (the desk reads the habilitations with the certifications, the list apart).
    const expiringRows = (expiring.split("<tbody")[1] ?? "").split("<tr").length - 1;
    expect(expiringRows).toBeGreaterThan(0);
    expect(todoCount(html, "habilitations")).toBe(expiringRows);
    const figures = await get("/chiffres.csv", secretariat);
    expect(figures.headers.get("content-type")).toContain("text/csv");
    const figureRows = bomText(await figures.arrayBuffer());
    expect(figureRows).toMatch(/^\uFEFFIndicateur;Libellé;Valeur\r\n/);
    // A figure's value in the desk's table beside its chart: the row named `label`, its first value.
    const cell = (label: string) => new RegExp(`<th scope="row"[^>]*>${label}</th><td[^>]*>([^<]*)</td>`).exec(html)?.[1];
    // Candidates registered per month: the desk's table (read with the certifications) says what the file says (read apart).
    const registered = figureRows.split("\r\n").flatMap((line) => {
      const [figure, month, value] = line.split(";");
      return figure === "Candidats inscrits par mois" ? [[month!, value!] as const] : [];
    });
    expect(registered).toHaveLength(12);
    expect(registered.some(([, value]) => Number(value) > 0)).toBe(true);
    // The file keeps the sortable 2026-01, as text (a tab first: a spreadsheet would make it the date 01/01/2026); the
    // page writes the month as France does (« janv. 2026 »).
    const frenchMonths = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    for (const [cellText, value] of registered) {
      expect(cellText).toMatch(/^\t\d{4}-\d{2}$/);
      const month = cellText.slice(1);
      const label = `${frenchMonths[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
      expect([month, cell(label)]).toEqual([month, value]);
    }
    // The figures are the juries' decisions of the last twelve months, not the commissions' grids: the past jury (total,
    // partial, none), the catch-up jury (two partial), and the jury that followed Élodie's total but overturned Léa's
    // (her commission proposed a total delivery; the jury did not acquire her second bloc). The three grids signed ten
    // days ago, their jury not held yet, decide nothing.
    // The to-dos do not depend on the figures' period: with a period of long ago (no decision of the demo in it), the
    // desk reads no decision for its figures, and every count is the same.
    const counts = (desk: string) => TODO_KEYS.map((key) => `${key}=${todoCount(desk, key)}`);
    expect(counts(html).every((c) => !c.endsWith("=null"))).toBe(true);
    expect(counts(await page("/?du=2000-01&au=2000-02", secretariat))).toEqual(counts(html));
    // The desk shows the same figures (it reads only its working set of decisions, not the whole history).
    expect([cell("Totale"), cell("Partielle"), cell("Non délivrance"), cell("RNCP38544"), cell("MQ 2017 10 69 0312")]).toEqual(["2", "4", "1", "50 %", "20 %"]);
    for (const row of [
      "Délivrances;Totale;2",
      "Délivrances;Partielle;4",
      "Délivrances;Non délivrance;1",
      "Taux de réussite par certification (%);RNCP38544;50",
      "Taux d'acquisition par bloc (%);RNCP38544BC01;100",
      "Taux d'acquisition par bloc (%);RNCP38544BC02;50",
      "Taux de réussite par certification (%);MQ 2017 10 69 0312;20",
    ]) {
      expect(figureRows.split("\r\n")).toContain(row);
    }
    const decisions = bomText(await (await get("/exports/decisions.csv", secretariat)).arrayBuffer()).split("\r\n").filter(Boolean);
    expect(decisions[0]).toBe(
      "\uFEFFCandidat;Certification;Intitulé;Session;Date de décision;Décision du jury;Avis de la commission;Blocs acquis;Validité partielle jusqu'au;Document délivré;Enregistrement (RNCP/RS)",
    );
    // Nine final decisions of six juries; Léa's as the jury decided it.
    expect(decisions).toHaveLength(1 + 9);
    const lea = decisions.filter((r) => r.startsWith("Léa Marie DURAND;"));
    expect(lea).toHaveLength(1);
    expect(lea[0]).toMatch(/^Léa Marie DURAND;RNCP38544;[^;]+;Délibération du jury — CQP Assistant\(e\) de formation;[^;]+;Délivrance partielle;Non suivi;RNCP38544BC01;\d{2}\/\d{2}\/\d{4};[A-Z][A-Z-]*-\d{4}-\d{6};RNCP38544$/);
    // A member has no desk.
    expect((await get("/declarations", member1)).status).toBe(403);
    expect(await page("/", member1)).not.toContain("À faire");
  });

  it("lists the final decisions whose candidates are not notified yet, and leads to their jury's « Délivrance » to notify them", async () => {
    const html = await page("/", secretariat);
    // The jury that delivered Élodie in full and Léa in part (records issued 35 days ago) notified no one. Not listed:
    // the past jury (notified), the catch-up jury (its records first), the juries of almost five years ago (history).
    expect(todoCount(html, "notices")).toBe(2);
    const todo = html.slice(html.indexOf('data-testid="todo-notices"'));
    const sessionId = /href="\/sessions\/([a-z0-9]+)\/delivrance"[^>]*>Décisions à notifier aux candidats<\/a>/.exec(todo)?.[1];
    expect(sessionId, "the to-do leads to the jury's « Délivrance »").toBeTruthy();
    expect(todo).toMatch(/Délibération du jury — CQP Assistant\(e\) de formation : (Élodie[^,<]*FAURE, Léa Marie DURAND|Léa Marie DURAND, Élodie[^,<]*FAURE)/);
    const before = await page("/sessions?filtre=notifications", secretariat);
    expect(before).toContain("Délibération du jury — CQP Assistant(e) de formation");
    expect(before).not.toContain("Jury paritaire de délivrance — session passée");
    const delivery = await page(`/sessions/${sessionId}/delivrance`, secretariat);
    expect(delivery).toContain("Notifier les 2 candidats");
    const sent = await post(`/sessions/${sessionId}/delivrance`, new URLSearchParams({ intent: "notify" }), secretariat);
    expect(sent.status).toBeLessThan(400);
    await sent.arrayBuffer();
    const after = await page("/", secretariat);
    expect(todoCount(after, "notices")).toBe(0);
    // The sessions' filter the to-do uses when several juries wait: empty now.
    const filtered = await page("/sessions?filtre=notifications", secretariat);
    expect(filtered).toContain("Jurys dont des candidats restent à notifier de leur décision");
    expect(filtered).not.toContain("Délibération du jury — CQP Assistant(e) de formation");
  });

  it("searches every list without accents or case", async () => {
    expect(await page("/candidates?q=elodie", secretariat)).toContain("Élodie Marie FAURE");
    expect(await page("/candidates?q=TRAORE", secretariat)).toContain("TRAORÉ");
    expect(await page("/sessions?q=evaluation%20passee", secretariat)).toContain("(session passée)");
    expect(await page("/certifications?q=clea", secretariat)).toContain("CléA");
    expect(await page("/habilitations?q=eric%20expire", secretariat)).toContain("Eric Expiré");
    const archive = await page("/archives?q=elodie", secretariat);
    expect(archive).toContain("Élodie Marie FAURE");
    expect(archive).not.toContain("Léa Marie DURAND");
    expect(archive).toContain("conservé 50 ans, jusqu'au");
  });

  it("reads a date that does not exist in a filter as no date (the page answers, never a 500)", async () => {
    expect(documentIds(await page("/archives", secretariat)).length).toBeGreaterThan(0);
    // A 13th month, a 31 February, years PostgreSQL cannot read: the archive lists what it lists without a period. (The
    // render runner may still be sealing a demo document: compared with the list without a filter read on both sides.)
    for (const query of ["du=2026-13-45&au=x", "du=2026-02-31&au=2026-02-30", "du=0001-01-01&au=9999-12-31", "au=10000-01-01"]) {
      let compared = false;
      for (let attempt = 0; attempt < 20 && !compared; attempt++) {
        const before = documentIds(await page("/archives", secretariat));
        const filtered = documentIds(await page(`/archives?${query}`, secretariat));
        const after = documentIds(await page("/archives", secretariat));
        if (before.join() !== after.join()) continue;
        expect(filtered, query).toEqual(after);
        compared = true;
      }
      expect(compared, `the archive kept changing while ${query} was read`).toBe(true);
    }
    // A real period still filters: nothing of the demo was produced in the year 2000.
    expect(documentIds(await page("/archives?du=2000-01-01&au=2000-12-31", secretariat))).toEqual([]);
    // The desk's figures: an impossible month is the default period (the last twelve months), in the page and the CSV.
    const monthField = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
    const usual = await page("/", secretariat);
    expect(monthField(usual, "du")).toMatch(/^\d{4}-\d{2}$/);
    for (const query of ["du=2026-13&au=2026-00", "du=0000-01&au=9999-99"]) {
      const desk = await page(`/?${query}`, secretariat);
      expect([monthField(desk, "du"), monthField(desk, "au")], query).toEqual([monthField(usual, "du"), monthField(usual, "au")]);
      expect((await get(`/chiffres.csv?${query}`, secretariat)).status, query).toBe(200);
    }
  });

  it("says in French when a period is given backwards (and swaps it), a date or month is not one, a certification unknown", async () => {
    const field = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
    const notices = (html: string, testId: string) =>
      [...html.matchAll(new RegExp(`data-testid="${testId}">([^<]*)<`, "g"))].map((m) => m[1]);
    // The desk's figures, « Du » after « Au » (two month fields any browser lets one fill so): the year, not one month.
    const reversed = await page("/?du=2026-12&au=2026-01", secretariat);
    expect(notices(reversed, "figures-notice")).toEqual([
      "La période était inversée (de décembre 2026 à janvier 2026) : elle est affichée de janvier 2026 à décembre 2026.",
    ]);
    expect([field(reversed, "du"), field(reversed, "au")]).toEqual(["2026-01", "2026-12"]);
    const csv = await (await get("/chiffres.csv?du=2026-12&au=2026-01", secretariat)).text();
    expect(csv.split("\r\n").filter((line) => line.startsWith("Décisions par mois;")).length).toBe(12);
    expect(notices(await page("/?du=2026-01&au=2026-12", secretariat), "figures-notice")).toEqual([]);
    expect(notices(await page("/?du=2026-13", secretariat), "figures-notice")).toEqual([
      "Le mois « Du » demandé n'est pas un mois valide : le début par défaut est appliqué.",
    ]);
    expect(notices(await page("/?certification=inconnue", secretariat), "figures-notice")).toEqual([
      "La certification demandée n'existe pas dans cette organisation : aucun chiffre ne s'y rapporte. Choisissez-en une dans la liste.",
    ]);
    // The archive: a period backwards lists the documents of the period the right way round (all the demo's, produced
    // today), never « Aucun document »; a date that is not one is said, not silently dropped.
    const archive = await page("/archives?du=2999-12-31&au=2000-01-01", secretariat);
    expect(notices(archive, "archive-notice")).toEqual([
      "La période était inversée (du 31/12/2999 au 01/01/2000) : les documents produits du 01/01/2000 au 31/12/2999 sont affichés.",
    ]);
    expect(documentIds(archive).length).toBeGreaterThan(0);
    expect([field(archive, "du"), field(archive, "au")]).toEqual(["2000-01-01", "2999-12-31"]);
    expect(notices(await page("/archives?du=2026-02-31", secretariat), "archive-notice")).toEqual([
      "La date « Produit du » demandée n'est pas une date valide : elle n'est pas appliquée.",
    ]);
    expect(notices(await page("/archives?du=2000-01-01&au=2999-12-31", secretariat), "archive-notice")).toEqual([]);
  });

  it("says in French when a list's filter in the address is unknown (an old bookmark, an edited address), and lists unfiltered", async () => {
    // Each list showed everything (or, for the archive's type, nothing) without a word.
    const notice = (html: string, testId: string) => [...html.matchAll(new RegExp(`data-testid="${testId}">([^<]*)<`, "g"))].map((m) => m[1]);
    const sessionLinks = (html: string) => new Set(html.match(/href="\/sessions\/[a-z0-9]+"/g));
    const sessions = await page("/sessions?filtre=convoc", secretariat);
    expect(notice(sessions, "sessions-notice")).toEqual(["Le filtre « convoc » demandé n'est pas reconnu : toutes les sessions sont affichées."]);
    expect(sessionLinks(sessions)).toEqual(sessionLinks(await page("/sessions", secretariat)));
    expect(notice(await page("/sessions?filtre=convocations", secretariat), "sessions-notice")).toEqual([]);

    const candidates = await page("/candidates?filtre=abandon&statut=perdu", secretariat);
    expect(notice(candidates, "candidates-notice")).toEqual([
      "Le filtre « abandon » demandé n'est pas reconnu : tous les candidats sont affichés.",
      "Le statut « perdu » demandé n'est pas reconnu : les dossiers de tous statuts sont affichés.",
    ]);
    expect(candidates).toContain("Élodie Marie FAURE");
    expect(notice(await page("/candidates?filtre=incomplets", secretariat), "candidates-notice")).toEqual([]);

    // A bidi control in the address is not quoted back (it would reorder the sentence around it).
    const habilitations = await page("/habilitations?filtre=expire%E2%80%AEnt&fait=n'importe", secretariat);
    expect(notice(habilitations, "habilitations-notice")).toEqual(["Le filtre « expirent » demandé n'est pas reconnu : toutes les habilitations sont affichées."]);
    // « ?fait= » with anything said « Habilitation enregistrée. » when nothing was.
    expect(habilitations).not.toContain("Habilitation enregistrée.");
    expect(await page("/habilitations?fait=creation", secretariat)).toContain("Habilitation enregistrée.");

    // The demo's documents are still being sealed for a while after the first start: the two lists compared below are
    // read once none is left to render (one read between them had gained a document).
    await until(
      async () => (await server.prisma.renderJob.count({ where: { status: { in: ["PENDING", "RUNNING"] } } })) === 0,
      "the demo's documents rendered",
      { timeoutMs: 120_000 },
    );
    const all = documentIds(await page("/archives", secretariat));
    const unknownType = await page("/archives?type=pv&decision=admis", secretariat);
    expect(notice(unknownType, "archive-notice")).toEqual([
      "Le type de document « pv » demandé n'est pas reconnu : les documents de tous types sont affichés.",
      "La décision « admis » demandée n'est pas reconnue : les documents de toutes décisions sont affichés.",
    ]);
    expect(documentIds(unknownType)).toEqual(all);
    expect(notice(await page("/archives?certification=inconnue", secretariat), "archive-notice")).toEqual([
      "Aucun document archivé ne se rapporte à la certification demandée (inconnue, ou sans document à ce jour) : choisissez-en une dans la liste.",
    ]);
    expect(notice(await page("/archives?type=minutes&decision=total", secretariat), "archive-notice")).toEqual([]);
    // From a candidate's page: the list says whose documents it shows (it said nowhere).
    const elodieId = /href="\/candidates\/(c[a-z0-9]{20,})"/.exec(await page("/candidates?q=elodie", secretariat))![1];
    const hers = await page(`/archives?candidat=${elodieId}`, secretariat);
    expect(notice(hers, "archive-candidate-filter")[0]).toBe("Filtre : documents de Élodie Marie FAURE. ");
    expect(documentIds(hers).length).toBeGreaterThan(0);

    const declarations = await page("/declarations?statut=envoye", secretariat);
    expect(notice(declarations, "declaration-notice")).toEqual([
      "L'état « envoye » demandé n'existe pas : tous les titulaires sont affichés. Choisissez un état ci-dessous.",
    ]);
    expect(declarations.match(/data-testid="holder-row"/g)?.length).toBe((await page("/declarations", secretariat)).match(/data-testid="holder-row"/g)?.length);
  });

  it("tells a member sent to a list of the secretariat that it is the secretariat's, not unknown, and shows his own", async () => {
    // « Le filtre « convocations » demandé n'est pas reconnu » to a member: the filter exists, it is only not his.
    const notice = (html: string, testId: string) => [...html.matchAll(new RegExp(`data-testid="${testId}">([^<]*)<`, "g"))].map((m) => m[1]);
    const sessionLinks = (html: string) => new Set(html.match(/href="\/sessions\/[a-z0-9]+"/g));
    const his = sessionLinks(await page("/sessions", member1));
    expect(his.size).toBeGreaterThan(0);
    const convocations = await page("/sessions?filtre=convocations", member1);
    expect(notice(convocations, "sessions-notice")).toEqual([
      "La liste « Sessions dont des convocations restent à envoyer (ou tardives pour un jury) » est celle du secrétariat : les sessions où vous siégez sont affichées.",
    ]);
    expect(convocations).not.toContain("n'est pas reconnu");
    expect(convocations).not.toContain('data-testid="sessions-filter"');
    expect(sessionLinks(convocations)).toEqual(his);
    for (const filtre of ["signatures", "proces-verbaux", "delivrances", "fiches", "validation", "notifications"]) {
      const [said] = notice(await page(`/sessions?filtre=${filtre}`, member1), "sessions-notice");
      expect(said, filtre).toMatch(/^La liste « .+ » est celle du secrétariat : les sessions où vous siégez sont affichées\.$/);
    }
    // A filter no one has is still unknown, to a member too.
    expect(notice(await page("/sessions?filtre=convoc", member1), "sessions-notice")).toEqual([
      "Le filtre « convoc » demandé n'est pas reconnu : toutes les sessions sont affichées.",
    ]);
    // The archive: a kind of document the secretariat keeps (a parchemin) listed nothing, without a word.
    const hisDocuments = documentIds(await page("/archives", member1));
    expect(hisDocuments.length).toBeGreaterThan(0);
    const parchemins = await page("/archives?type=parchemin", member1);
    expect(notice(parchemins, "archive-notice")).toEqual([
      "Les documents « Parchemin » sont réservés au secrétariat et à l'administration : les documents de délibération des sessions où vous avez siégé sont affichés.",
    ]);
    expect(documentIds(parchemins)).toEqual(hisDocuments);
    expect(notice(await page("/archives?type=minutes", member1), "archive-notice")).toEqual([]);
  });

  it("says an invalid Caisse des Dépôts identifier at its field, in its form, with what was typed", async () => {
    const res = await post("/declarations?index", new URLSearchParams({ intent: "settings", idClient: "abc", idContrat: "MCFCER000123" }), secretariat);
    expect(res.status).toBe(400);
    const html = decodeHtml(await res.text());
    expect(/data-testid="idClient-error"[^>]*>([^<]*)</.exec(html)?.[1]).toBe("Identifiant client attendu sous la forme 12ABC345 (2 chiffres, 3 lettres, 3 chiffres).");
    expect(/data-testid="idContrat-error"[^>]*>([^<]*)</.exec(html)?.[1]).toBe("");
    const input = /<input name="idClient"[^>]*>/.exec(html)?.[0] ?? "";
    expect(input).toContain('value="abc"');
    expect(input).toContain('aria-invalid="true"');
    // Said in the form, below the holders (at the top of a page of 50 holders, it was out of sight of the button).
    expect(html.indexOf("Identifiants non enregistrés : corrigez les champs signalés.")).toBeGreaterThan(html.lastIndexOf('data-testid="holder-row"'));
    const empty = decodeHtml(await (await post("/declarations?index", new URLSearchParams({ intent: "acknowledgement" }), secretariat)).text());
    expect(empty.indexOf("Choisissez le fichier d'accusé de traitement (XML).")).toBeGreaterThan(empty.indexOf("Importer l'accusé de traitement"));
  });

  it("a certification search that finds nothing says so, never « Aucune certification pour le moment » over four", async () => {
    expect(await page("/certifications", secretariat)).toContain("CQP Assistant(e) de formation");
    const none = await page("/certifications?q=inconnue", secretariat);
    expect(none).toContain("Aucune certification ne correspond à « inconnue ».");
    expect(none).not.toContain("Aucune certification pour le moment");
  });

  it("a session search that finds nothing names the search, in both lists", async () => {
    const none = await page("/sessions?q=inconnue", secretariat);
    expect(none).toContain("Aucune session à venir ne correspond à « inconnue ».");
    expect(none).toContain("Aucune session passée ne correspond à « inconnue ».");
    expect(await page("/sessions", secretariat)).not.toContain("ne correspond à");
  });

  it("shows the last page of the archive for a page past its end, as the candidates list does (an empty page before)", async () => {
    await minutesId();
    const candidates = await page("/candidates?page=999", secretariat);
    expect(candidates).not.toContain("Aucun candidat");
    // The render runner may still be sealing a demo document: compared with the first page read on both sides.
    for (const query of ["type=decision&page=2", "page=999999"]) {
      const base = query.replace(/&?page=\d+/, "");
      let compared = false;
      for (let attempt = 0; attempt < 20 && !compared; attempt++) {
        const first = await page(`/archives?${base}`, secretariat);
        const pages = Number(/Page \d+ sur (\d+)/.exec(first)?.[1] ?? 1);
        const last = documentIds(await page(`/archives?${base}${base ? "&" : ""}page=${pages}`, secretariat));
        const past = documentIds(await page(`/archives?${query}`, secretariat));
        const again = documentIds(await page(`/archives?${base}${base ? "&" : ""}page=${pages}`, secretariat));
        // A document sealed meanwhile may have added a page: then the pages are counted again.
        const pagesAfter = Number(/Page \d+ sur (\d+)/.exec(await page(`/archives?${base}`, secretariat))?.[1] ?? 1);
        if (last.join() !== again.join() || pagesAfter !== pages) continue;
        expect(past.length, query).toBeGreaterThan(0);
        expect(past, query).toEqual(again);
        compared = true;
      }
      expect(compared, `the archive kept changing while ${query} was read`).toBe(true);
    }
  });

  /** The past jury's procès-verbal, sealed by the render runner after the server starts. */
  const minutesId = async () => {
    let ids: string[] = [];
    await until(async () => (ids = documentIds(await page("/archives?type=minutes", secretariat))).length === 1, "the sealed minutes in the archive", {
      timeoutMs: 60_000,
    });
    return ids[0];
  };

  it("lists the sealed minutes (a session-level document), verifies its seal, says plainly that a grid is not sealed", async () => {
    const id = await minutesId();
    const listed = await page("/archives?type=minutes", secretariat);
    expect(listed).toContain("Procès-verbal");
    expect(listed).toContain("Jury paritaire de délivrance — session passée");
    expect(listed).toMatch(/SHA-256 : [0-9a-f]{64}/);
    // Days in sentences are written as French writes them (« jusqu'au 7 décembre 2076 »), never « 07/12/2076 ».
    expect(listed).toMatch(/conservé 50 ans, jusqu'au \d{1,2}(er)? [a-zéû]+ \d{4}</);
    const pdf = await get(`/archives/${id}/document.pdf`, secretariat);
    expect(pdf.status).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(listed).toContain(createHash("sha256").update(bytes).digest("hex"));
    const minutes = await verify(id, secretariat, "type=minutes");
    expect(minutes.html).toContain("Intact : l'empreinte recalculée est identique");
    expect(minutes.html).toContain("Cachet électronique valide, apposé par");
    // Élodie's grid of the past commission was archived without a seal (demo).
    const [grid] = documentIds(await page("/archives?q=elodie&type=grid", secretariat));
    const gridCheck = await verify(grid, secretariat, "q=elodie&type=grid");
    expect(gridCheck.html).toContain("Intact");
    expect(gridCheck.html).toContain("Ce document n'est pas scellé");
    // Filters by kind and decision.
    expect(documentIds(await page("/archives?type=grid", secretariat))).not.toContain(id);
    expect(documentIds(await page("/archives?decision=adjourned", secretariat))).toEqual([]);
  });

  it("shows a member only the deliberation's documents of the sessions they sat on (404 otherwise), ZIP with manifest", async () => {
    const minutes = await minutesId();
    const listed = await page("/archives", secretariat);
    const all = documentIds(listed);
    expect(all.length).toBeGreaterThanOrEqual(4);
    // What the secretariat lists for the sessions of these titles (the session filter's options).
    const sessionIds = new Map([...listed.matchAll(/<option value="([a-z0-9]+)">([^<]+?) — \d{2}\/\d{2}\/\d{4}<\/option>/g)].map((m) => [m[2], m[1]]));
    // Of those sessions, the documents of the deliberation (grids, decision sheets, minutes): what a member who sat reads.
    const documentsOf = async (...titles: string[]) => {
      const lists = await Promise.all(titles.flatMap((title) => {
        expect(sessionIds.has(title), title).toBe(true);
        return ["grid", "decision", "minutes"].map(async (kind) => documentIds(await page(`/archives?session=${sessionIds.get(title)}&type=${kind}`, secretariat)));
      }));
      return lists.flat().sort();
    };
    const commission = "Commission d'évaluation — CQP Assistant(e) de formation (session passée)";
    const pastJury = "Jury paritaire de délivrance — session passée";
    const oldJury = "Jury paritaire de délivrance — archives";
    const catchUp = "Jury paritaire — session de rattrapage";
    const deliberations = [
      "Délibération du jury — CQP Assistant(e) de formation",
      "Délibération du jury — CQPM Opérateur régleur (archives)",
      "Délibération du jury — CQP Conducteur(trice) de ligne de production alimentaire",
    ];
    // Marie sat on the past commission (two grids), the past jury (its minutes and three decision sheets — not its
    // parchemin, attestation and three notice letters, the secretariat's), the jury of 2022 (its decision sheet, not its
    // attestation) and the catch-up jury (its two signed decision sheets); Mehdi on the past jury, the catch-up jury
    // and the desk's three deliberations (their five decision sheets: he evaluated none of their candidates), not on
    // the commission nor the jury of 2022.
    const mariePage = await page("/archives", member1);
    const seated = documentIds(mariePage);
    expect([...seated].sort()).toEqual(await documentsOf(commission, pastJury, oldJury, catchUp));
    expect(seated.length).toBe(9);
    expect(seated).toContain(minutes);
    const mehdiPage = await page("/archives", member2);
    const mehdi = documentIds(mehdiPage);
    expect([...mehdi].sort()).toEqual(await documentsOf(pastJury, catchUp, ...deliberations));
    // The certification filter offers a member those of her documents, not every certification of the organisation:
    // Marie's are of two (the commission's and the CQPM's juries), not the food-sector CQP of the desk's deliberation.
    const certificationOptions = (html: string) =>
      [...html.split('name="certification"')[1]!.split("</select>")[0]!.matchAll(/<option value="[a-z0-9]+">([^<]+)<\/option>/g)].map((m) => m[1]);
    for (const memberPage of [mehdiPage, mariePage]) {
      const theirs = certificationOptions(memberPage);
      expect(theirs.length).toBeGreaterThan(0);
      for (const label of theirs) expect(memberPage, label).toContain(`${label} — produit le`);
      expect(certificationOptions(listed)).toEqual(expect.arrayContaining(theirs));
    }
    expect(certificationOptions(listed).length).toBeGreaterThan(certificationOptions(mariePage).length);
    expect(mehdi).toContain(minutes);
    expect(mehdi.length).toBe(11);
    const foreign = all.find((id) => !seated.includes(id))!;
    expect((await get(`/archives/${foreign}/document.pdf`, member1)).status).toBe(404);
    const [grid] = documentIds(await page("/archives?type=grid", member1));
    expect((await get(`/archives/${grid}/document.pdf`, member2)).status).toBe(404);
    expect((await verify(grid, member2)).status).toBe(404);
    const pdf = await get(`/archives/${grid}/document.pdf`, member1);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const sessionId = /href="\/archives\?session=([a-z0-9]+)"/.exec(await page("/archives?q=elodie&type=grid", secretariat))![1];
    expect((await get(`/archives/sessions/${sessionId}/dossier.zip`, member2)).status).toBe(404);
    const zip = await get(`/archives/sessions/${sessionId}/dossier.zip`, member1);
    expect(zip.status).toBe(200);
    const zipPath = path.join(tmp, "session.zip");
    await writeFile(zipPath, Buffer.from(await zip.arrayBuffer()));
    const { stdout } = await run("python3", ["-c", "import sys,zipfile;print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", zipPath]);
    expect(stdout).toContain("MANIFESTE-SHA256.txt");
    expect(stdout).toContain("presence.csv");
    expect(stdout.match(/documents\/grid\/grille-/g)?.length).toBe(2);
    // Its attendance sheet in French: no grid's raw state, no ISO date, no UTC time.
    const sheet = (await run("python3", ["-c", "import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read('presence.csv').decode())", zipPath])).stdout;
    expect(sheet).toMatch(/^Candidat;[^;]+;;;Grille (en signature|non signée|signée le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\))\r?$/m);
    expect(sheet).toMatch(/^Membre;[^;]+;[^;]+;[^;]*;Convoqué\(e\) le \d{2}\/\d{2}\/\d{4}\r?$/m);
    expect(sheet).not.toMatch(/\b(OPEN|SIGNING|SIGNED)\b|\d{4}-\d{2}-\d{2}|UTC/);

    // The jury's file: its minutes, its émargement, a manifest that `sha256sum -c` accepts.
    const juryId = /href="\/archives\?session=([a-z0-9]+)"/.exec(await page("/archives?type=minutes", secretariat))![1];
    const juryZip = await get(`/archives/sessions/${juryId}/dossier.zip`, member2);
    expect(juryZip.status).toBe(200);
    const dir = path.join(tmp, "jury");
    await writeFile(path.join(tmp, "jury.zip"), Buffer.from(await juryZip.arrayBuffer()));
    await run("python3", ["-c", "import sys,zipfile;zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", path.join(tmp, "jury.zip"), dir]);
    const check = await run("sha256sum", ["-c", "MANIFESTE-SHA256.txt"], { cwd: dir });
    expect(check.stdout).toMatch(/documents\/minutes\/proces-verbal-[a-z0-9]+\.pdf: OK/);
    expect(check.stdout).toContain("presence.csv: OK");
    // Its header dates the session as presence.csv does: JJ/MM/AAAA and HH:MM in Paris time, no ISO (UTC) date.
    const manifest = await readFile(path.join(dir, "MANIFESTE-SHA256.txt"), "utf8");
    expect(manifest.split("\n")[0]).toMatch(/^# Jury paritaire .+ — séance du \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\)$/);
    expect(manifest).not.toMatch(/\d{4}-\d{2}-\d{2}|UTC/);
    expect(juryZip.headers.get("content-disposition")).toMatch(/dossier-session-\d{4}-\d{2}-\d{2}-/);
    const presence = await readFile(path.join(dir, "presence.csv"), "utf8");
    expect(presence).toMatch(/Émargement;Pierre Président;Président\(e\);Employeurs;Arrivée le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\)/);
    expect(presence).not.toMatch(/\b(OPEN|SIGNING|SIGNED)\b|\d{4}-\d{2}-\d{2}|UTC/);
    // A jury that sat was convened: every member of its bench reads « Convoqué(e) le … », as its sign-in rows say who came.
    expect(presence).toMatch(/^Membre;Marie Membre;[^;]+;[^;]*;Convoqué\(e\) le \d{2}\/\d{2}\/\d{4}\r?$/m);
    expect(presence).not.toContain("Non convoqué(e)");
  });

  it("gives a member who sat the deliberation's documents, never the letters, parchemins and attestations issued for the candidate", async () => {
    await minutesId();
    const pastJury = "Jury paritaire de délivrance — session passée";
    const listed = await page("/archives", secretariat);
    const sessionId = new Map([...listed.matchAll(/<option value="([a-z0-9]+)">([^<]+?) — \d{2}\/\d{2}\/\d{4}<\/option>/g)].map((m) => [m[2], m[1]])).get(pastJury)!;
    expect(sessionId, pastJury).toBeTruthy();
    /** Each entry of a list page: its document id and its kind (read back from its French label). */
    const kindByLabel = new Map(Object.entries(ARCHIVE_KIND_LABELS).map(([kind, label]) => [label, kind]));
    const entriesOf = (html: string) =>
      html.split('data-testid="archive-entry"').slice(1).map((entry) => ({
        id: /href="\/archives\/([a-z0-9]+)\/document\.pdf"/.exec(entry)![1]!,
        kind: kindByLabel.get(/<h2[^>]*>([^<]+)/.exec(entry)![1]!.trim()) ?? "?",
        badge: entry.includes("/badge.json"),
      }));
    // The secretariat keeps everything of the past jury: minutes, three decision sheets, parchemin, attestation, three letters.
    const all = entriesOf(await page(`/archives?session=${sessionId}`, secretariat));
    const count = (kinds: string[]) => all.filter((e) => kinds.includes(e.kind)).length;
    expect(count(["minutes"])).toBe(1);
    expect(count(["decision"])).toBe(3);
    expect(count(["notice"])).toBe(3);
    expect(count(["parchemin"])).toBe(1);
    expect(count(["attestation"])).toBe(1);
    const deliberation = all.filter((e) => ["grid", "decision", "minutes"].includes(e.kind));
    const withheld = all.filter((e) => ["notice", "parchemin", "attestation"].includes(e.kind));
    expect(deliberation.length + withheld.length).toBe(all.length);

    // Marie sat on it: her list, its count and its type filter hold the deliberation's documents only.
    const hers = await page(`/archives?session=${sessionId}`, member1);
    expect(entriesOf(hers).map((e) => e.id).sort()).toEqual(deliberation.map((e) => e.id).sort());
    expect(hers).toMatch(/data-testid="archive-total"[^>]*>4 documents</);
    expect(hers).not.toMatch(/Lettre de notification|Parchemin|Attestation de blocs|Badge numérique/);
    expect(hers).not.toMatch(/<option value="(notice|parchemin|attestation|credential|validation)"/);
    // Asked for a kind the secretariat keeps, she is told so and sees her own documents — never one of that kind.
    const herAll = entriesOf(await page("/archives", member1)).map((e) => e.id).sort();
    for (const kind of ["notice", "parchemin", "attestation", "credential"]) {
      const filtered = await page(`/archives?type=${kind}`, member1);
      expect(entriesOf(filtered).map((e) => e.id).sort(), kind).toEqual(herAll);
      expect(entriesOf(filtered).filter((e) => !["grid", "decision", "minutes"].includes(e.kind)), kind).toEqual([]);
      expect(filtered, kind).toContain(`Les documents « ${ARCHIVE_KIND_LABELS[kind as keyof typeof ARCHIVE_KIND_LABELS]} » sont réservés au secrétariat et à l'administration`);
    }
    // Searching a candidate of that jury finds her decision sheet, not the letter addressed to her.
    const search = entriesOf(await page("/archives?q=elodie", member1));
    expect(search.map((e) => e.kind)).toContain("decision");
    expect(search.filter((e) => !["grid", "decision", "minutes"].includes(e.kind))).toEqual([]);

    // Each deliberation document opens; each document issued for the candidate is refused in French, on every route.
    for (const { id, kind } of deliberation) {
      const res = await get(`/archives/${id}/document.pdf`, member1);
      expect(res.status, kind).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    }
    expect(withheld.some((e) => e.badge)).toBe(true);
    for (const { id, kind, badge } of withheld) {
      const res = await get(`/archives/${id}/document.pdf`, member1);
      expect(res.status, kind).toBe(403);
      expect(await res.text()).toContain("réservé au secrétariat et à l'administration");
      const checked = await verify(id, member1);
      expect(checked.status, `Vérifier ${kind}`).toBe(403);
      expect(checked.html).toContain("réservé au secrétariat et à l'administration");
      if (badge) expect((await get(`/archives/${id}/badge.json`, member1)).status, `badge of ${kind}`).toBe(403);
      // The secretariat still downloads it, and its badge.
      expect((await get(`/archives/${id}/document.pdf`, secretariat)).status, kind).toBe(200);
      if (badge) expect((await get(`/archives/${id}/badge.json`, secretariat)).status, `badge of ${kind}`).toBe(200);
    }

    // The delivery routes agree: the same letters, parchemin and attestation are the secretariat's there too.
    const delivery = await page(`/sessions/${sessionId}/delivrance`, secretariat);
    const deliveryLinks = [...new Set([...delivery.matchAll(/href="(\/delivrance\/pdf\/(?:notice|parchemin|attestation)\/[a-z0-9]+)"/g)].map((m) => m[1]!))];
    expect(deliveryLinks.length).toBeGreaterThanOrEqual(5);
    for (const link of deliveryLinks) {
      expect((await get(link, member1)).status, link).toBe(403);
      expect((await get(link, secretariat)).status, link).toBe(200);
    }

    // The session's ZIP: her copy holds the minutes, the decision sheets and the attendance sheet, nothing issued for a candidate.
    const zipEntries = async (cookie: string, name: string) => {
      const res = await get(`/archives/sessions/${sessionId}/dossier.zip`, cookie);
      expect(res.status).toBe(200);
      const file = path.join(tmp, name);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      const { stdout } = await run("python3", ["-c", "import sys,zipfile;print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", file]);
      const manifest = (await run("python3", ["-c", "import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read('MANIFESTE-SHA256.txt').decode())", file])).stdout;
      return { names: stdout.trim().split("\n"), manifest };
    };
    const kindsIn = (names: string[]) => names.filter((n) => n.startsWith("documents/")).map((n) => n.split("/")[1]).sort();
    const herZip = await zipEntries(member1, "member-jury.zip");
    expect(kindsIn(herZip.names)).toEqual(["decision", "decision", "decision", "minutes"]);
    expect(herZip.names).toEqual(expect.arrayContaining(["presence.csv", "MANIFESTE-SHA256.txt"]));
    expect(herZip.manifest).not.toMatch(/documents\/(notice|parchemin|attestation)\//);
    const theirZip = await zipEntries(secretariat, "secretariat-jury.zip");
    expect(kindsIn(theirZip.names)).toEqual(all.map((e) => e.kind).sort());
  });

  it("leads from a holder whose only gap is the certification's code to its registration code's field on the certification's form", async () => {
    // Lucas lacks his birth code and the CQPM's RNCP or RS code. Given his birth code, only the certification's code is
    // missing: his row said so with no way to fix it (« Compléter son identité » was shown for the holder's gaps only).
    const lucas = await server.prisma.candidate.findFirstOrThrow({ where: { birthName: "BONNET", organisation: { slug: "cpnef-demo" } } });
    await server.prisma.candidate.update({ where: { id: lucas.id }, data: { birthCode: "69123" } });
    try {
      const html = await page("/declarations", secretariat);
      const row = html.split('data-testid="holder-row"').find((r) => r.includes("Lucas Henri BONNET")) ?? "";
      expect(row).toMatch(/Non déclarable — manque : code RNCP ou RS de la certification( |<\/span>)/);
      expect(row).not.toContain('data-testid="holder-complete"');
      const link = /<a [^>]*data-testid="holder-certification"[^>]*>Renseigner le code RNCP ou RS de la certification</.exec(row)?.[0] ?? "";
      const href = /href="([^"]+)"/.exec(link)?.[1];
      // The CQPM's code is its branch number, frozen by its versions: the way out is its RNCP or RS registration beside it.
      expect(href).toMatch(/^\/certifications\/[a-z0-9]+#certification-registrationCode$/);
      const form = await page(href!.split("#")[0]!, secretariat);
      expect(form).toMatch(/<input[^>]*id="certification-registrationCode"[^>]*name="registrationCode"/);
      expect(form).toMatch(/<input[^>]*id="certification-code"[^>]*name="code"[^>]*readonly=""/i);
    } finally {
      await server.prisma.candidate.update({ where: { id: lucas.id }, data: { birthCode: lucas.birthCode } });
    }
    // Both gaps: a way out for each.
    const row = (await page("/declarations", secretariat)).split('data-testid="holder-row"').find((r) => r.includes("Lucas Henri BONNET")) ?? "";
    expect(/<a [^>]*data-testid="holder-complete"[^>]*>/.exec(row)?.[0]).toMatch(/href="\/candidates\/[a-z0-9]+\/edit#candidate-birthCode"/);
    expect(row).toContain('data-testid="holder-certification"');
  });

  it("declares holders: not declarable without birth code, XML valid for xmllint --schema, acknowledgement flips statuses", async () => {
    const before = await page("/declarations", secretariat);
    // Holders: the parchemins issued on final jury decisions. Lucas (past jury, CQPM) has no birth code; Élodie has one. Léa's
    // commission proposed a total delivery, but the jury overturned it: she holds no certification.
    expect(before).toMatch(/Lucas Henri BONNET[\s\S]*?Non déclarable — manque : [^<]*code INSEE de la commune de naissance/);
    expect(before).toMatch(/Élodie Marie FAURE[\s\S]*?À déclarer — (<strong>)?\d+ jours? restants?/);
    expect(before).not.toContain("Léa Marie DURAND");
    expect(before.match(/data-testid="holder-row"/g)).toHaveLength(2);
    // The desk counts the holders to declare as the list shows them, at each step, and says how many are ready and how
    // many cannot be declared yet: Élodie ready, then none once exported, her again once rejected, none once accepted;
    // Lucas stays « non déclarable ». It showed « 1 » beside « 1 non déclarable »: whether 1 or 2 awaited was anyone's guess.
    // (Figures of long ago: the holders are not read for the figures, only as holders.)
    // Its link lists exactly the holders it counts; its detail names what blocks Lucas: the CQPM's code (neither RNCP
    // nor RS) and his birth code, not « identité »; with both kinds, a link to each part of the list.
    const blocksLucas = "1 non déclarable, faute de : code RNCP ou RS de la certification ; code INSEE de la commune de naissance (ou du pays, si né à l'étranger).";
    const holdersToDo = async () => {
      const desk = await page("/?du=2000-01&au=2000-02", secretariat);
      const todo = desk.slice(desk.indexOf('data-testid="todo-declarations"')).split("</li>")[0]!;
      const href = /href="([^"]+)"/.exec(todo)![1].replaceAll("&amp;", "&");
      const listed = (await page(href, secretariat)).match(/data-testid="holder-row"/g)?.length ?? 0;
      expect(listed, href).toBe(todoCount(desk, "declarations"));
      const detail = /<p class="mt-1 text-sm text-slate-600">([^<]*)<\/p>/.exec(todo)?.[1] ?? "";
      const ready = /(\d+) prêts? à déclarer/.exec(detail)?.[1];
      // Each part's link lists that part.
      const links = [...todo.matchAll(/data-testid="todo-links"[\s\S]*/g)].flatMap((m) => [...m[0].matchAll(/<a[^>]*href="([^"]+)"[^>]*>([^<]+)</g)]);
      for (const [, partHref, label] of links) {
        const rows = (await page(partHref!.replaceAll("&amp;", "&"), secretariat)).match(/data-testid="holder-row"/g)?.length ?? 0;
        expect(rows, label).toBe(label!.includes("non déclarable") ? 1 : Number(ready));
      }
      return {
        count: todoCount(desk, "declarations"),
        ready: ready === undefined ? 0 : Number(ready),
        notDeclarable: detail.endsWith(blocksLucas),
        links: links.map((l) => l[2]),
      };
    };
    expect(await holdersToDo()).toEqual({ count: 2, ready: 1, notDeclarable: true, links: ["Déclarer le titulaire prêt", "Compléter le non déclarable"] });
    expect(decodeHtml(await page("/", secretariat))).toMatch(
      /Dont 1 prêt à déclarer \(\d+ jours? restants? pour le plus proche\) et 1 non déclarable, faute de : code RNCP/,
    );
    // The page counts every holder per status as the holders' CSV lists them (read in full, every holder), at each step;
    // the settled ones (exported, accepted) are counted apart from those still to do, and shown in full.
    const STATUS_LABELS = { to_declare: "À déclarer", not_declarable: "Non déclarable", exported: "Exporté, accusé attendu", accepted: "Accepté", rejected: "Rejeté", past_deadline: "Délai dépassé", identity_changed: "Identité modifiée" };
    const countsAgree = async () => {
      const html = decodeHtml(await page("/declarations", secretariat));
      const csv = bomText(await (await get("/exports/titulaires.csv", secretariat)).arrayBuffer()).trim().split("\r\n").slice(1);
      const fromPage = Object.fromEntries(
        Object.entries(STATUS_LABELS).map(([k, label]) => [k, Number(new RegExp(`${label} <span class="font-semibold">(\\d+)<`).exec(html)?.[1])]),
      );
      const fromCsv = Object.fromEntries(Object.entries(STATUS_LABELS).map(([k, label]) => [k, csv.filter((line) => line.split(";")[4] === label).length]));
      expect(fromPage).toEqual(fromCsv);
      expect(html.match(/data-testid="holder-row"/g)).toHaveLength(csv.length);
      return fromPage;
    };
    expect(await countsAgree()).toMatchObject({ to_declare: 1, not_declarable: 1, exported: 0, accepted: 0 });
    // The candidate's page says, under the parchemin, where the holder's declaration stands — the declarations page's
    // own status (it said nothing: the secretariat went to « Déclarations » to learn it).
    const candidateIdOf = (html: string, name: string) => new RegExp(`href="/candidates/([a-z0-9]+)"[^>]*>${name}<`).exec(html)![1];
    const elodiePage = `/candidates/${candidateIdOf(before, "Élodie Marie FAURE")}`;
    const lucasPage = `/candidates/${candidateIdOf(before, "Lucas Henri BONNET")}`;
    /** Each record of the candidate's page (its kind and number) with what it says of the declaration, as text. */
    const recordDeclarations = async (candidatePage: string) =>
      (await page(candidatePage, secretariat))
        .split('data-record="')
        .slice(1)
        .map((card) => {
          const line = /data-testid="record-declaration"[^>]*>([\s\S]*?)<\/p>/.exec(card)?.[1] ?? null;
          return { record: /^[^"]+/.exec(card)![0], kind: />(Parchemin|Attestation de blocs) n°/.exec(card)?.[1], said: line === null ? null : decodeHtml(line.replace(/<[^>]+>/g, "")) };
        });
    const parcheminOf = async (candidatePage: string) => {
      const parchemins = (await recordDeclarations(candidatePage)).filter((r) => r.kind === "Parchemin");
      expect(parchemins, candidatePage).toHaveLength(1);
      return parchemins[0]!.said;
    };
    expect(await parcheminOf(elodiePage)).toMatch(/^Déclaration à la Caisse des Dépôts : À déclarer — \d+ jours? restants? \(avant le \d{1,2}(er)? [a-zéû]+ \d{4}\) · Voir la déclaration des titulaires$/);
    expect(await parcheminOf(lucasPage)).toBe(
      "Déclaration à la Caisse des Dépôts : Non déclarable — manque : code RNCP ou RS de la certification, code INSEE de la commune de naissance (ou du pays, si né à l'étranger) Compléter son identitéRenseigner le code RNCP ou RS de la certification · Voir la déclaration des titulaires",
    );
    const lucasLinks = (await page(lucasPage, secretariat)).split('data-testid="record-declaration"')[1]!.split("</p>")[0]!;
    expect(lucasLinks).toMatch(/href="\/candidates\/[a-z0-9]+\/edit#candidate-birthCode"/);
    expect(lucasLinks).toMatch(/href="\/certifications\/[a-z0-9]+#certification-registrationCode"/);
    // An attestation de blocs is not declared, and says why rather than nothing.
    const demo = await server.prisma.organisation.findUniqueOrThrow({ where: { slug: "cpnef-demo" } });
    const attestation = await server.prisma.deliveryRecord.findFirstOrThrow({ where: { kind: "ATTESTATION", revokedAt: null, duplicateOfId: null, organisationId: demo.id } });
    expect((await recordDeclarations(`/candidates/${attestation.candidateId}`)).find((r) => r.record === attestation.number)?.said).toBe(
      "Déclaration à la Caisse des Dépôts : non concernée — seule la certification obtenue en totalité (son parchemin) est déclarée, pas une attestation de blocs.",
    );
    /** « Générer le fichier XML » as the page shows it, and what it says under it when it cannot be used. */
    const fileButton = async (path = "/declarations") => {
      const html = decodeHtml(await page(path, secretariat));
      return {
        disabled: /<button[^>]*disabled=""[^>]*>Générer le fichier XML/.test(html),
        reason: /data-testid="declaration-file-(?:blocked|refusal)"[^>]*>([^<]+)</.exec(html)?.[1] ?? null,
      };
    };
    expect(await fileButton()).toEqual({ disabled: false, reason: null });

    const exported = await post("/declarations/fichier.xml", new URLSearchParams(), secretariat);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("application/xml");
    const xml = await exported.text();
    expect(xml).toContain("<cpf:nomNaissance>FAURE</cpf:nomNaissance>");
    expect(xml).toContain("<cpf:codeInsee>38185</cpf:codeInsee>");
    expect(xml).not.toContain("DURAND");
    expect(xml).not.toContain("BONNET");
    const xmlPath = path.join(tmp, "declaration.xml");
    await writeFile(xmlPath, xml);
    const lint = await run("xmllint", ["--noout", "--schema", path.join(ROOT, "app/archive/cdc/cdc-pc5.xsd"), xmlPath]);
    expect(lint.stderr).toContain("validates");
    const idTechnique = /<cpf:idTechnique>([^<]+)<\/cpf:idTechnique>/.exec(xml)![1];
    const idFluxOfFile = (file: string) => /<cpf:idFlux>([^<]+)<\/cpf:idFlux>/.exec(file)![1];
    expect(await page("/declarations", secretariat)).toContain("Exporté, accusé attendu");
    expect(await parcheminOf(elodiePage)).toMatch(
      new RegExp(`^Déclaration à la Caisse des Dépôts : Exporté, accusé attendu — dernier fichier : ${idFluxOfFile(xml)}, généré le \\d{1,2}(er)? [a-zéû]+ \\d{4} · Voir la déclaration des titulaires$`),
    );
    expect(await holdersToDo()).toEqual({ count: 1, ready: 0, notDeclarable: true, links: [] });
    expect(await countsAgree()).toMatchObject({ to_declare: 0, not_declarable: 1, exported: 1, accepted: 0 });
    // Nothing new: the page's button is disabled and says why; a second file is refused with the reason.
    const nothingToDeclare =
      "Aucun titulaire à déclarer : 1 titulaire n'est pas déclarable, complétez d'abord ce qui lui manque (voir « Non déclarable » : l'identité du titulaire, ou le code RNCP ou RS de la certification).";
    expect(await fileButton()).toEqual({ disabled: true, reason: nothingToDeclare });
    const again = await post("/declarations/fichier.xml", new URLSearchParams(), secretariat);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Aucun titulaire à déclarer");
    // Sent anyway by the page's form (a browser's navigation: a page loaded before the other file was generated), the
    // secretariat stays on the declarations page, the reason under the button.
    const fromPage = await fetch(`${server.baseUrl}/declarations/fichier.xml`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: secretariat, Origin: server.baseUrl, Accept: "text/html", "Sec-Fetch-Mode": "navigate" },
      body: new URLSearchParams(),
    });
    expect(fromPage.status).toBe(303);
    expect(fromPage.headers.get("location")).toBe("/declarations?refus=rien");
    expect(await fileButton("/declarations?refus=rien")).toEqual({ disabled: true, reason: nothingToDeclare });

    const idFluxOf = (file: string) => /<cpf:idFlux>([^<]+)<\/cpf:idFlux>/.exec(file)![1];
    const fluxA = idFluxOf(xml);
    const ack = (body: string, idFlux = fluxA) => {
      const form = new FormData();
      form.set("intent", "acknowledgement");
      form.set("file", new File([`<?xml version="1.0"?><ns2:rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema"><idFlux>${idFlux}</idFlux>${body}</ns2:rapport>`], "accuse.xml", { type: "application/xml" }));
      return post("/declarations?index", form, secretariat);
    };
    // A passage the organisation never sent is named as unknown, and changes nothing.
    const rejectionA =
      `<PassagesKO><passage><idTechnique>${idTechnique}</idTechnique><messageErreur>Aucun titulaire ne correspond</messageErreur></passage>` +
      `<passage><idTechnique>QRMINCONNU0001</idTechnique><messageErreur>Inconnu</messageErreur></passage></PassagesKO>`;
    const rejected = await ack(rejectionA);
    expect(decodeHtml(await rejected.text())).toContain("0 passage accepté, 1 rejeté, 1 passage inconnu : QRMINCONNU0001.");
    expect(await page("/declarations", secretariat)).toContain("Rejeté : Aucun titulaire ne correspond");
    expect(await parcheminOf(elodiePage)).toMatch(/^Déclaration à la Caisse des Dépôts : Rejeté : Aucun titulaire ne correspond — dernier fichier : /);
    expect(await holdersToDo()).toEqual({ count: 2, ready: 1, notDeclarable: true, links: ["Déclarer le titulaire prêt", "Compléter le non déclarable"] });
    expect(await countsAgree()).toMatchObject({ rejected: 1, not_declarable: 1, exported: 0 });
    // The rejected passage is resent with the same idTechnique.
    const resent = await (await post("/declarations/fichier.xml", new URLSearchParams(), secretariat)).text();
    expect(resent).toContain(`<cpf:idTechnique>${idTechnique}</cpf:idTechnique>`);
    const fluxB = idFluxOf(resent);
    expect(fluxB).not.toBe(fluxA);
    // The first file's acknowledgement imported again answers for an earlier file: the resent passage still awaits the
    // second file's, and the import says so.
    const stale = await ack(rejectionA);
    expect(stale.status).toBe(200);
    expect(decodeHtml(await stale.text())).toContain(
      `0 passage accepté, 0 rejeté, 1 passage inconnu : QRMINCONNU0001, 1 passage ignoré, car cet accusé répond à un fichier antérieur (renvoyé depuis dans un fichier plus récent) : ${idTechnique}.`,
    );
    expect(await page("/declarations", secretariat)).toMatch(/Élodie Marie FAURE[\s\S]*?Exporté, accusé attendu/);
    expect(await countsAgree()).toMatchObject({ rejected: 0, exported: 1 });
    await ack(`<PassagesOK><idTechnique>${idTechnique}</idTechnique></PassagesOK>`, fluxB);
    const after = await page("/declarations", secretariat);
    expect(after).toMatch(/Élodie Marie FAURE[\s\S]*?Accepté/);
    expect(await parcheminOf(elodiePage)).toMatch(/^Déclaration à la Caisse des Dépôts : Accepté — dernier fichier : /);
    expect(await holdersToDo()).toEqual({ count: 1, ready: 0, notDeclarable: true, links: [] });
    expect(await countsAgree()).toMatchObject({ rejected: 0, not_declarable: 1, exported: 0, accepted: 1 });
    // What is to be done comes first: Lucas (not declarable) above Élodie (accepted).
    expect(after.indexOf("Lucas Henri BONNET")).toBeLessThan(after.indexOf("Élodie Marie FAURE"));

    // Her birth name was misspelt: corrected after the Caisse des Dépôts accepted it, the passage is to declare again.
    const elodieId = /href="\/candidates\/([a-z0-9]+)"[^>]*>Élodie Marie FAURE</.exec(after)![1];
    const identity = {
      birthName: "FAURE", usageName: "", givenNames: "Élodie Marie", sex: "F", birthDate: "1988-10-27", birthCommune: "Grenoble",
      birthDepartment: "38", birthCountry: "", birthCode: "38185", email: "elodie.faure@example.fr", phone: "", employer: "Alpes Formation Continue",
      trainerId: "", trainerName: "",
    };
    const edit = (fields: Record<string, string>) => post(`/candidates/${elodieId}/edit`, new URLSearchParams({ ...identity, ...fields }), secretariat);
    // A change the file does not carry (her e-mail) leaves the declaration as it is.
    expect((await edit({ email: "elodie.faure@example.org" })).status).toBe(302);
    expect(await countsAgree()).toMatchObject({ accepted: 1, identity_changed: 0 });
    expect((await edit({ birthName: "FAURE-BLANC" })).status).toBe(302);
    const changed = await page("/declarations", secretariat);
    expect(changed).toMatch(/Élodie Marie FAURE-BLANC[\s\S]*?Identité modifiée depuis la déclaration du \d{1,2}(er)? [a-zéû]+ \d{4} : à redéclarer/);
    expect(await holdersToDo()).toEqual({ count: 2, ready: 1, notDeclarable: true, links: ["Déclarer le titulaire prêt", "Compléter le non déclarable"] });
    expect(await countsAgree()).toMatchObject({ accepted: 0, identity_changed: 1 });
    // Put back as declared: nothing to declare again.
    expect((await edit({})).status).toBe(302);
    expect(await countsAgree()).toMatchObject({ accepted: 1, identity_changed: 0 });
    expect((await edit({ birthName: "FAURE-BLANC" })).status).toBe(302);
    // The next file carries her again, corrected, under the same idTechnique; then she awaits its acknowledgement.
    const redeclared = await (await post("/declarations/fichier.xml", new URLSearchParams(), secretariat)).text();
    expect(redeclared).toContain(`<cpf:idTechnique>${idTechnique}</cpf:idTechnique>`);
    expect(redeclared).toContain("<cpf:nomNaissance>FAURE-BLANC</cpf:nomNaissance>");
    expect(await countsAgree()).toMatchObject({ identity_changed: 0, exported: 1 });
    expect(await holdersToDo()).toEqual({ count: 1, ready: 0, notDeclarable: true, links: [] });

    const csv = await get("/exports/titulaires.csv", secretariat);
    const text = bomText(await csv.arrayBuffer());
    expect(text.startsWith("\uFEFFTitulaire;Certification;Obtenue le (décision du jury);Identifiant technique;État;Détail;Enregistrement (RNCP/RS)\r\n")).toBe(true);
    expect(text).toContain(";Non déclarable;Manque : ");
    // The page names the date as the CSV does: the jury's decision, from which the 3 months run (not the parchemin's issue).
    const declarations = decodeHtml(await page("/declarations", secretariat));
    expect(declarations).toMatch(/<th[^>]*>Obtenue le<\/th>/);
    expect(declarations).toContain("dans les 3 mois suivant l'obtention de la certification");
    expect(bomText(await (await get("/exports/candidats.csv", secretariat)).arrayBuffer()).startsWith("\uFEFFNom de naissance;")).toBe(true);

  });

  it("« Vérifier » says intact, then not intact once the stored bytes are altered in the database", async () => {
    const [id] = documentIds(await page("/archives?q=elodie", secretariat));
    const intact = await verify(id, secretariat, "q=elodie");
    expect(intact.status).toBe(200);
    expect(intact.html).toContain("Intact : l'empreinte recalculée est identique");

    // The stored bytes altered under the running server (its own database client: app/platform/db/test-channel.server.ts).
    expect(await server.prisma.$executeRawUnsafe(`UPDATE "SignedDocument" SET content = content || '\\x25'::bytea WHERE id = $1`, id)).toBe(1);
    const altered = await verify(id, secretariat, "q=elodie");
    expect(altered.html).toContain("Non intact");
    expect(altered.html).toContain("le fichier a été modifié");
  }, 400_000);

  it("lists a document of any kind stored by its writer alone: a decision sheet, a parchemin with its credential", async () => {
    await minutesId();
    // The demo's own: eleven decision sheets (every decided candidate of its closed juries: the past jury's three, the
    // catch-up jury's two, the 2022 jury's one, the desk's juries' five — docs/decisions/0019), the parchemins of Lucas
    // and Élodie (total deliveries), six records' credentials (the past juries' three, the desk's juries' three).
    const demoDecisions = documentIds(await page("/archives?type=decision", secretariat));
    expect(demoDecisions).toHaveLength(11);
    // Mehdi's: those of the juries he sat on (the past jury's three, the catch-up jury's two, the desk's juries' five).
    const mehdiDecisions = documentIds(await page("/archives?type=decision", member2));
    expect(mehdiDecisions).toHaveLength(10);
    const demoTotalParchemins = documentIds(await page("/archives?decision=total&type=parchemin", secretariat));
    expect(demoTotalParchemins).toHaveLength(2);
    const demoCredentials = documentIds(await page("/archives?type=credential", secretariat));
    expect(demoCredentials).toHaveLength(6);
    const pdf = Buffer.from("%PDF-1.7\n% fiche de décision (test)\n%%EOF\n");
    const hash = createHash("sha256").update(pdf).digest("hex");
    const credential = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential", "OpenBadgeCredential"], name: "Test" };
    // Written under the running server, by its own database client (app/platform/db/test-channel.server.ts).
    {
      const sql = (query: string, params: unknown[] = []) => server.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(query, ...params);
      const [decision] = await sql(
        `SELECT d.id, d."sessionId", o."candidateId", o."certificationId", s."organisationId" FROM "JuryDecision" d JOIN "Dossier" o ON o.id = d."dossierId" JOIN "Session" s ON s.id = d."sessionId" WHERE d.overall = 'TOTAL' LIMIT 1`,
      );
      // What a writer of a new kind stores: its kind, its document id, the file. Nothing about the archive.
      await sql(`INSERT INTO "SignedDocument" (id, kind, "documentId", "fileName", sha256, content) VALUES ('sddecisiontest', 'decision', $1, 'fiche-decision-test.pdf', $2, $3)`, [
        decision.id,
        hash,
        pdf,
      ]);
      await sql(
        `INSERT INTO "DeliveryRecord" (id, "organisationId", kind, year, sequence, number, "verificationCode", "candidateId", "certificationId", "decisionId", holder, certification, blocs, "missingBlocs", credential, "credentialId") VALUES ('rec-test', $1, 'PARCHEMIN', 2026, 999, 'TEST-2026-000999', 'TESTCODE', $2, $3, $4, '{}', '{}', '[]', '[]', $5::jsonb, 'urn:uuid:test')`,
        [decision.organisationId, decision.candidateId, decision.certificationId, decision.id, JSON.stringify(credential)],
      );
      await sql(`INSERT INTO "SignedDocument" (id, kind, "documentId", "fileName", sha256, content) VALUES ('sdrecordtest', 'parchemin', 'rec-test', 'TEST-2026-000999.pdf', $1, $2)`, [hash, pdf]);
    }
    const decisions = await page("/archives?type=decision", secretariat);
    expect(documentIds(decisions)).toEqual(["sddecisiontest", ...demoDecisions]);
    expect(decisions).toContain("Fiche de décision");
    expect(decisions).toContain("Jury paritaire de délivrance — session passée");
    // Mehdi sat on that jury: he sees its decision sheet; the parchemin is found by its holder's decision.
    expect(documentIds(await page("/archives?type=decision", member2))).toEqual(["sddecisiontest", ...mehdiDecisions]);
    expect(documentIds(await page("/archives?decision=total&type=parchemin", secretariat))).toEqual(["sdrecordtest", ...demoTotalParchemins]);
    const credentials = await page("/archives?type=credential", secretariat);
    expect(documentIds(credentials)).toEqual(["sdrecordtest", ...demoCredentials]);
    expect(credentials).toContain("Parchemin");
    expect(credentials).toContain("TEST-2026-000999");
    const badge = await get("/archives/sdrecordtest/badge.json", secretariat);
    expect(badge.status).toBe(200);
    const body = Buffer.from(await badge.arrayBuffer());
    expect(JSON.parse(body.toString("utf8")).type).toContain("OpenBadgeCredential");
    expect(credentials).toContain(`Badge numérique, SHA-256 : ${createHash("sha256").update(body).digest("hex")}`);
    // Marie sat on that jury, but a parchemin and its badge are issued for the candidate: the secretariat's.
    expect((await get("/archives/sdrecordtest/badge.json", member1)).status).toBe(403);
    expect((await get("/archives/sdrecordtest/document.pdf", member1)).status).toBe(403);
    expect((await get("/archives/sddecisiontest/document.pdf", member1)).status).toBe(200);
    expect((await get("/archives/sddecisiontest/badge.json", secretariat)).status).toBe(404);
    // The jury's ZIP now carries the decision sheet too.
    const juryId = /href="\/archives\?session=([a-z0-9]+)"/.exec(decisions)![1];
    const zip = Buffer.from(await (await get(`/archives/sessions/${juryId}/dossier.zip`, secretariat)).arrayBuffer());
    const zipPath = path.join(tmp, "jury-2.zip");
    await writeFile(zipPath, zip);
    const { stdout } = await run("python3", ["-c", "import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read('MANIFESTE-SHA256.txt').decode())", zipPath]);
    expect(stdout).toContain(`${hash}  documents/decision/fiche-decision-test.pdf`);
  }, 400_000);

  it("answers an unknown address with a French 404 inside the layout", async () => {
    const res = await get("/nulle-part", secretariat);
    expect(res.status).toBe(404);
    const html = decodeHtml(await res.text());
    expect(html).toContain("Page introuvable");
    expect(html).toContain("Navigation principale");
  });

  it("sets the retention period, an organisation setting shown on each entry, with a French error at the field", async () => {
    const set = (years: string, cookie = secretariat) => post("/archives?index", new URLSearchParams({ intent: "retention", retentionYears: years }), cookie);
    const bad = await set("2");
    expect(bad.status).toBe(400);
    expect(decodeHtml(await bad.text())).toContain("Indiquez un nombre entier d'années entre 5 et 100.");
    expect((await set("abc")).status).toBe(400);
    expect((await set("30", member1)).status).toBe(403);
    expect(await page("/archives", secretariat)).toContain("conservé 50 ans");
    const ok = await set("30");
    expect(ok.status).toBe(200);
    expect(decodeHtml(await ok.text())).toContain("Durée de conservation enregistrée : 30 ans.");
    const after = await page("/archives", member1);
    expect(after).toContain("conservé 30 ans");
    expect(after).not.toContain("conservé 50 ans");
  });

  it("keeps a declared holder whose parchemin was revoked and rectified (after the other tests: it issues a document)", async () => {
    // The holder declared above (exported, awaiting the acknowledgement), found by her corrected name.
    const declarations = await page("/declarations", secretariat);
    expect(declarations).toMatch(/Élodie Marie FAURE-BLANC[\s\S]*?Exporté, accusé attendu/);
    const elodieId = /href="\/candidates\/([a-z0-9]+)"[^>]*>Élodie Marie FAURE-BLANC</.exec(declarations)![1];
    const exportedCount = (html: string) => Number(/Exporté, accusé attendu <span class="font-semibold">(\d+)</.exec(html)?.[1]);
    const before = exportedCount(declarations);
    // Her parchemin revoked for a material error, then rectified: she still holds the certification, and her declaration
    // stands as it was (the page read the first parchemin alone, and left her out once it was revoked).
    const parchemin = (await page(`/candidates/${elodieId}`, secretariat))
      .split('data-record="')
      .find((part) => part.startsWith("CPNEF-DEMO-2026-") && />Parchemin\b/.test(part))!;
    const recordId = /action="\/delivrance\/documents\/([a-z0-9]+)"/.exec(parchemin)![1];
    const command = (fields: Record<string, string>) => post(`/delivrance/documents/${recordId}`, new URLSearchParams(fields), secretariat);
    expect((await command({ intent: "revoke", reason: "Erreur matérielle sur le nom." })).status).toBe(200);
    expect((await command({ intent: "rectify", submissionKey: "desk-rectify-1" })).status).toBe(200);
    const after = await page("/declarations", secretariat);
    expect(exportedCount(after)).toBe(before);
    expect(after).toMatch(/Élodie Marie FAURE-BLANC[\s\S]*?Exporté, accusé attendu/);
  });
  it("declares a CQPM's holder once the secretariat enters its RNCP code on the certification's page (after the others: it declares him)", async () => {
    // The demo's CQPM is identified by its branch number « MQ … », frozen by its référentiel's versions; its holders need
    // its RNCP registration. Lucas given his birth code, the certification's code is all he lacks.
    const lucas = await server.prisma.candidate.findFirstOrThrow({ where: { birthName: "BONNET", organisation: { slug: "cpnef-demo" } } });
    await server.prisma.candidate.update({ where: { id: lucas.id }, data: { birthCode: "69123" } });
    const cqpm = await server.prisma.certification.findFirstOrThrow({
      where: { kind: "CQPM", organisation: { slug: "cpnef-demo" } },
      include: { _count: { select: { versions: true } } },
    });
    expect(cqpm.registrationCode).toBeNull();
    expect(cqpm._count.versions).toBeGreaterThan(0);
    const lucasRow = async () =>
      (await page("/declarations", secretariat)).split('data-testid="holder-row"').find((r) => r.includes("Lucas Henri BONNET")) ?? "";
    expect(await lucasRow()).toContain("Non déclarable — manque : code RNCP ou RS de la certification");
    // The exports name his certification by its branch number, its registration column (the last) empty for now.
    const csvRow = async (file: string, name: string) =>
      bomText(await (await get(`/exports/${file}`, secretariat)).arrayBuffer()).split("\r\n").filter((line) => line.startsWith(`${name};`));
    const lucasCsv = async () => [...(await csvRow("titulaires.csv", "Lucas Henri BONNET")), ...(await csvRow("decisions.csv", "Lucas Henri BONNET"))];
    expect((await lucasCsv()).length).toBeGreaterThanOrEqual(2);
    for (const line of await lucasCsv()) expect(line.split(";").slice(1, 2).concat(line.split(";").at(-1)!)).toEqual([cqpm.code, ""]);
    expect(decodeHtml(await page("/certifications?q=38123", secretariat))).toContain("Aucune certification ne correspond à « 38123 ».");
    const identity = (registrationCode: string) =>
      new URLSearchParams({
        intent: "identity",
        kind: cqpm.kind,
        code: cqpm.code,
        registrationCode,
        title: cqpm.title,
        nationalLevel: cqpm.nationalLevel?.toString() ?? "",
        eqfLevel: cqpm.eqfLevel?.toString() ?? "",
        nsfCodes: cqpm.nsfCodes.join(", "),
        decisionDate: cqpm.decisionDate?.toISOString().slice(0, 10) ?? "",
        certifierName: cqpm.certifierName ?? "",
        certifierSignatory: cqpm.certifierSignatory ?? "",
      });
    // A bad value: a French error at the field, what was typed kept, nothing saved.
    const bad = await post(`/certifications/${cqpm.id}`, identity("RNCP 12A"), secretariat);
    expect(bad.status).toBe(200);
    const badHtml = decodeHtml(await bad.text());
    expect(badHtml).toMatch(/id="certification-registrationCode-error"[^>]*>[^<]*Un code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres/);
    expect(badHtml).toMatch(/<input[^>]*name="registrationCode"[^>]*value="RNCP 12A"/);
    expect((await server.prisma.certification.findUniqueOrThrow({ where: { id: cqpm.id } })).registrationCode).toBeNull();
    // Its RNCP code, typed with a space: accepted though versions exist, the branch number unchanged, the edit audited.
    const saved = await post(`/certifications/${cqpm.id}`, identity("rncp 38123"), secretariat);
    expect(saved.status).toBe(302);
    const after = await server.prisma.certification.findUniqueOrThrow({ where: { id: cqpm.id } });
    expect({ code: after.code, registrationCode: after.registrationCode }).toEqual({ code: cqpm.code, registrationCode: "RNCP38123" });
    const audit = await server.prisma.auditEvent.findFirstOrThrow({ where: { action: "certification.update", subjectId: cqpm.id }, orderBy: { seq: "desc" } });
    expect(audit.data).toMatchObject({ before: { registrationCode: null }, after: { registrationCode: "RNCP38123" } });
    expect(await page(`/certifications/${cqpm.id}`, secretariat)).toMatch(/<input[^>]*name="registrationCode"[^>]*value="RNCP38123"/);
    // Shown under its title with its répertoire; the secretariat's search finds it by the RNCP number, whole or its digits.
    expect(decodeHtml(await page(`/certifications/${cqpm.id}`, secretariat))).toContain(
      'Enregistrement RNCP ou RS : <span class="font-mono">RNCP38123</span> (Répertoire national des certifications professionnelles)',
    );
    for (const q of ["RNCP38123", "38123"]) expect(decodeHtml(await page(`/certifications?q=${q}`, secretariat))).toContain(`>${cqpm.title}</a>`);
    // The exports still name it by its branch number, and carry its registration in their last column.
    for (const line of await lucasCsv()) expect(line.split(";").slice(1, 2).concat(line.split(";").at(-1)!)).toEqual([cqpm.code, "RNCP38123"]);
    // Lucas is declarable now, and the file declares him under the RNCP code (valid for the schema).
    expect(await lucasRow()).toMatch(/À déclarer — (<strong>)?\d+ jours? restants?/);
    const exported = await post("/declarations/fichier.xml", new URLSearchParams(), secretariat);
    expect(exported.status).toBe(200);
    const xml = await exported.text();
    expect(xml).toContain("<cpf:nomNaissance>BONNET</cpf:nomNaissance>");
    expect(xml).toMatch(/<cpf:type>RNCP<\/cpf:type>\s*<cpf:code>RNCP38123<\/cpf:code>/);
    expect(xml).not.toContain(cqpm.code);
    const xmlPath = path.join(tmp, "declaration-cqpm.xml");
    await writeFile(xmlPath, xml);
    const lint = await run("xmllint", ["--noout", "--schema", path.join(ROOT, "app/archive/cdc/cdc-pc5.xsd"), xmlPath]);
    expect(lint.stderr).toContain("validates");
  });
});
