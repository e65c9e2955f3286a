/**
 * Planning as the secretariat meets it, against the real production server on a fresh database with the demo
 * seed: a commission planned with its timetable (slot outside the session hours refused), members seated (an
 * expired habilitation refused with its message), convocations written to the outbox with a valid iCalendar
 * file, a jury agenda that refuses an incomplete dossier, habilitations renewed, a member refused everywhere, and
 * convocations handed to an SMTP relay when SMTP_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventProperties, unfoldLines } from "~/domain/ical";
import { addDays, formatDateKeyFr, parisDateKey, parisLocalToUtc } from "~/domain/planning";
import { formatLongDay } from "~/domain/paris-date";
import { DEMO_ACCOUNTS, login, startServer, type TestServer } from "../support/server";
import { startFakeSmtp } from "../support/fake-smtp";
import { decodeHtml } from "../support/html";

const ERIC = "evaluateur-expire@quorum.test";
const ASSISTANT = "CQP Assistant(e) de formation";

/** `<option value="id">label</option>` pairs of the decoded page. */
function options(html: string): Array<{ value: string; label: string }> {
  return [...html.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1], label: m[2] }));
}

function optionValue(html: string, label: RegExp): string {
  const found = options(html).find((o) => label.test(o.label));
  if (!found) throw new Error(`no option matching ${label} in:\n${options(html).map((o) => o.label).join("\n")}`);
  return found.value;
}

const octets = (s: string) => new TextEncoder().encode(s).length;

/** Checks the RFC 5545 shape of a convocation and returns its event properties. */
function expectValidIcs(ics: string) {
  expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const line of ics.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
  const lines = unfoldLines(ics);
  expect(lines).toContain("VERSION:2.0");
  expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
  const props = readEventProperties(ics);
  for (const name of ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER"]) {
    expect(props[name], name).toBeTruthy();
  }
  expect(props.DTSTART).toMatch(/^\d{8}T\d{6}Z$/);
  expect(props.DTEND).toMatch(/^\d{8}T\d{6}Z$/);
  expect(props.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
  return props;
}

const icsUtc = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

function client(getServer: () => TestServer) {
  const base = () => getServer().baseUrl;
  const get = (path: string, cookie: string) => fetch(`${base()}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
  const page = async (path: string, cookie: string) => {
    const res = await get(path, cookie);
    expect(res.status, path).toBe(200);
    return decodeHtml(await res.text());
  };
  const post = (path: string, fields: Record<string, string>, cookie: string) =>
    fetch(`${base()}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: base(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  return { get, page, post };
}

async function findSession(page: (p: string) => Promise<string>, title: string): Promise<string> {
  const html = await page("/sessions");
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`href="/sessions/([a-z0-9]+)"[^>]*>${escaped}<`).exec(html);
  if (!match) throw new Error(`session « ${title} » not listed`);
  return match[1];
}

describe("planning, habilitations and convocations (outbox)", () => {
  let server: TestServer;
  let secretariat: string;
  let member: string;
  const { get, page, post } = client(() => server);
  const day = addDays(parisDateKey(new Date()), 30);
  let commissionId = "";
  let juryId = "";

  beforeAll(async () => {
    server = await startServer({ env: { SMTP_URL: undefined } });
    [secretariat, member] = await Promise.all([
      login(server.baseUrl, DEMO_ACCOUNTS.secretariat),
      login(server.baseUrl, DEMO_ACCOUNTS.membre1),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  const planningPage = (id: string) => page(`/sessions/${id}/planning`, secretariat);

  async function planSession(fields: Record<string, string>): Promise<string> {
    const form = await page("/sessions/new", secretariat);
    const res = await post(
      "/sessions/new",
      {
        certificationId: optionValue(form, /^CQP Assistant\(e\) de formation/),
        date: day,
        startTime: "09:00",
        endTime: "12:00",
        mode: "remote",
        remoteMeans: "Visioconférence Quorum",
        ...fields,
      },
      secretariat,
    );
    expect(res.status, decodeHtml(await res.clone().text()).slice(0, 3000)).toBe(302);
    const location = res.headers.get("location") ?? "";
    const match = /^\/sessions\/([a-z0-9]+)\/planning$/.exec(location);
    expect(match, location).not.toBeNull();
    return match![1];
  }

  it("the sessions list offers « Planifier une session » to the secretariat, not to a member", async () => {
    expect(await page("/sessions", secretariat)).toContain("Planifier une session");
    expect(await page("/sessions", member)).not.toContain("Planifier une session");
  });

  it("refuses an invalid session form with French errors at the fields", async () => {
    const res = await post(
      "/sessions/new",
      { kind: "COMMISSION", title: "", date: "2026-02-30", startTime: "12:00", endTime: "09:00", mode: "onsite" },
      secretariat,
    );
    expect(res.status).toBe(400);
    const html = decodeHtml(await res.text());
    expect(html).toContain("Saisissez l'intitulé de la session.");
    expect(html).toContain("Date invalide (jj/mm/aaaa).");
    expect(html).toContain("Choisissez la certification.");

    // A tampered form (a kind or a mode no select offers): French messages at the fields, never zod's English.
    const tampered = await post("/sessions/new", { kind: "XX", title: "Falsifiée", date: day, startTime: "09:00", endTime: "12:00", mode: "YY" }, secretariat);
    expect(tampered.status).toBe(400);
    const tamperedHtml = decodeHtml(await tampered.text());
    expect(tamperedHtml).toContain("Choisissez le type de session : commission d'évaluation ou jury paritaire.");
    expect(tamperedHtml).toContain("Choisissez : à distance ou en présentiel.");
    expect(tamperedHtml).not.toMatch(/Invalid enum value|Expected|received/);

    // Cross-field rules once the fields themselves are valid.
    const form = await page("/sessions/new", secretariat);
    const onsite = await post(
      "/sessions/new",
      {
        kind: "COMMISSION",
        title: "Sans lieu",
        certificationId: optionValue(form, /^CQP Assistant\(e\) de formation/),
        date: day,
        startTime: "12:00",
        endTime: "09:00",
        mode: "onsite",
      },
      secretariat,
    );
    expect(onsite.status).toBe(400);
    const onsiteHtml = decodeHtml(await onsite.text());
    expect(onsiteHtml).toContain("Indiquez le lieu de la session.");
    expect(onsiteHtml).toContain("L'heure de fin doit être après l'heure de début.");

    const past = await post(
      "/sessions/new",
      {
        kind: "JURY",
        title: "Dans le passé",
        certificationId: optionValue(form, /^CQP Assistant\(e\) de formation/),
        date: addDays(parisDateKey(new Date()), -2),
        startTime: "09:00",
        endTime: "12:00",
        mode: "remote",
        remoteMeans: "Visioconférence",
      },
      secretariat,
    );
    expect(past.status).toBe(400);
    expect(decodeHtml(await past.text())).toContain("La session ne peut pas commencer dans le passé.");
  });

  it("plans a commission pinned to the published référentiel, times stored in UTC from Paris time", async () => {
    commissionId = await planSession({
      kind: "COMMISSION",
      title: "Commission de printemps — Assistant(e) de formation",
      ACCUEIL: "5",
      PRESENTATION: "15",
      QUESTIONS: "15",
      EVALUATION: "10",
      SIGNATURE: "5",
    });
    const html = await planningPage(commissionId);
    expect(html).toContain("Préparer la session");
    expect(html).toContain(`${ASSISTANT} (RNCP38544) — référentiel version`);
    expect(html).toContain('value="09:00"');
    expect(html).toContain("50 min en tout");
    // The live session page links to the preparation for the secretariat.
    expect(await page(`/sessions/${commissionId}`, secretariat)).toContain("Préparer la session");
  });

  it("refuses a slot outside the session hours, then accepts one inside; overlaps are refused", async () => {
    const html = await planningPage(commissionId);
    const dossierId = optionValue(html, /^Léa DURAND/);
    const outside = await post(
      `/sessions/${commissionId}/planning`,
      { intent: "add-slot", dossierId, startTime: "08:00", endTime: "09:00" },
      secretariat,
    );
    expect(outside.status).toBe(400);
    expect(decodeHtml(await outside.text())).toContain("Le créneau doit se situer dans les horaires de la session (09:00 – 12:00).");

    const inside = await post(`/sessions/${commissionId}/planning`, { intent: "add-slot", dossierId, startTime: "09:00" }, secretariat);
    expect(inside.status).toBe(302);
    const after = await planningPage(commissionId);
    expect(after).toContain("09:00 – 09:50 · Léa DURAND");

    const other = optionValue(after, /^Thomas NGUYEN/);
    const overlap = await post(
      `/sessions/${commissionId}/planning`,
      { intent: "add-slot", dossierId: other, startTime: "09:30", endTime: "10:30" },
      secretariat,
    );
    expect(overlap.status).toBe(400);
    expect(decodeHtml(await overlap.text())).toContain("Ce créneau chevauche celui de Léa DURAND (09:00 – 09:50).");
  });

  it("seats habilitated members and refuses the expired evaluator with the French message", async () => {
    const html = await planningPage(commissionId);
    const pierre = optionValue(html, /^Pierre Président/);
    const marie = optionValue(html, /^Marie Membre/);
    const eric = optionValue(html, /^Eric Expiré/);
    expect(options(html).find((o) => o.value === eric)?.label).toMatch(/habilitation expirée le \d{1,2}(er)? [a-zéû]+ \d{4}/);

    for (const [userId, role] of [
      [pierre, "PRESIDENT"],
      [marie, "MEMBER"],
    ]) {
      const res = await post(`/sessions/${commissionId}/planning`, { intent: "seat-member", userId, role }, secretariat);
      expect(res.status, decodeHtml(await res.clone().text()).slice(0, 2000)).toBe(302);
    }

    const expiredOn = formatLongDay(addDays(new Date().toISOString().slice(0, 10), -35));
    const refused = await post(`/sessions/${commissionId}/planning`, { intent: "seat-member", userId: eric, role: "MEMBER" }, secretariat);
    expect(refused.status).toBe(400);
    expect(decodeHtml(await refused.text())).toContain(
      `Habilitation de Eric Expiré expirée le ${expiredOn} : impossible de faire siéger ce membre.`,
    );

    // Observing needs no habilitation.
    const observer = await post(`/sessions/${commissionId}/planning`, { intent: "seat-member", userId: eric, role: "OBSERVER" }, secretariat);
    expect(observer.status).toBe(302);
    const after = await planningPage(commissionId);
    expect(after).toMatch(/Pierre Président<\/p><p[^>]*>Président\(e\)/);
    expect(after).toMatch(/Eric Expiré<\/p><p[^>]*>Observateur·rice/);

    const second = await post(`/sessions/${commissionId}/planning`, { intent: "seat-member", userId: marie, role: "PRESIDENT" }, secretariat);
    expect(second.status).toBe(400);
    expect(decodeHtml(await second.text())).toContain("Marie Membre siège déjà dans cette session.");
  });

  it("refuses moving the session to a date where the members are no longer habilitated", async () => {
    const res = await post(
      `/sessions/${commissionId}/planning`,
      {
        intent: "update-session",
        title: "Commission de printemps — Assistant(e) de formation",
        date: addDays(parisDateKey(new Date()), 400),
        startTime: "09:00",
        endTime: "12:00",
        mode: "remote",
        remoteMeans: "Visioconférence Quorum",
      },
      secretariat,
    );
    expect(res.status).toBe(400);
    expect(decodeHtml(await res.text())).toMatch(/Habilitation de Pierre Président expirée le \d{1,2}(er)? [a-zéû]+ \d{4} :/);
  });

  it("sends the convocations: one outbox e-mail per member with a valid .ics, convokedAt recorded", async () => {
    // Léa DURAND, on the order of passage, is given an e-mail address: she is convened too.
    const list = await page("/candidates", secretariat);
    const leaId = /href="\/candidates\/([a-z0-9]+)"[^>]*>[^<]*DURAND/.exec(list)![1];
    const edit = await page(`/candidates/${leaId}/edit`, secretariat);
    const form = /<form[^>]*method="post"[^>]*>((?:(?!<\/form>)[\s\S])*name="email"[\s\S]*?)<\/form>/.exec(edit)![1];
    const fields: Record<string, string> = {};
    for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
      const name = /\sname="([^"]*)"/.exec(tag)?.[1];
      const type = /\stype="([^"]*)"/.exec(tag)?.[1] ?? "text";
      if (!name || ((type === "checkbox" || type === "radio") && !/\schecked/.test(tag))) continue;
      fields[name] = /\svalue="([^"]*)"/.exec(tag)?.[1] ?? (type === "checkbox" ? "on" : "");
    }
    for (const [, open, body] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = /\sname="([^"]*)"/.exec(open)?.[1];
      const selected = /<option[^>]*value="([^"]*)"[^>]*\sselected/.exec(body);
      if (name && selected) fields[name] = selected[1];
    }
    for (const [, open, body] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = /\sname="([^"]*)"/.exec(open)?.[1];
      if (name) fields[name] = body;
    }
    const saved = await post(`/candidates/${leaId}/edit`, { ...fields, email: "lea.durand@example.fr" }, secretariat);
    expect(saved.status, decodeHtml(await saved.clone().text()).slice(0, 2000)).toBe(302);

    const res = await post(`/sessions/${commissionId}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(res.status, decodeHtml(await res.clone().text()).slice(0, 3000)).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${commissionId}/planning?convocations=3&envoi=outbox`);

    const planning = await page(res.headers.get("location")!, secretariat);
    expect(planning).toContain("3 convocations déposées dans la boîte d'envoi (SMTP non configuré).");
    expect(planning).toContain("3 membres convoqués, 0 à convoquer.");
    expect(planning).not.toContain("Attention : le jury se tient dans moins de 15 jours");

    const outbox = await page("/outbox", secretariat);
    const links = [...outbox.matchAll(/href="\/outbox\/([a-z0-9]+)"[^>]*>Convocation : Commission de printemps/g)].map((m) => m[1]);
    expect(links).toHaveLength(3);
    expect(outbox).toContain("À president@quorum.test");
    expect(outbox).toContain("Non envoyé (SMTP non configuré)");
    // Searched by recipient and by words of the subject, in any case; filtered by delivery state.
    const found = (html: string) => [...html.matchAll(/href="\/outbox\/([a-z0-9]+)"/g)].map((m) => m[1]);
    // The president's two convocations: this one, and the demo jury's, sent when the demo was created.
    const toPresident = await page("/outbox?q=PRESIDENT%40quorum", secretariat);
    expect(found(toPresident)).toHaveLength(2);
    expect(found(toPresident).filter((id) => links.includes(id))).toHaveLength(1);
    expect(toPresident).toContain("Convocation : Jury paritaire — CQP Assistant(e) de formation");
    expect(found(await page("/outbox?q=convocation+printemps", secretariat))).toEqual(links);
    expect(found(await page("/outbox?etat=pending&q=printemps", secretariat))).toEqual(links);
    const failed = await page("/outbox?etat=failed&q=printemps", secretariat);
    expect(found(failed)).toEqual([]);
    expect(decodeHtml(failed)).toContain("Aucun courriel ne correspond à votre recherche.");
    // An unknown state is said, and every e-mail shown under « Tous » (it showed them all without a word).
    const unknown = decodeHtml(await page("/outbox?etat=expedie&q=printemps", secretariat));
    expect(found(unknown)).toEqual(links);
    expect(unknown).toContain(
      "L'état « expedie » demandé n'existe pas : tous les courriels sont affichés. Choisissez un état dans la liste (en attente d'envoi, envoyés, échecs de l'envoi).",
    );
    expect(decodeHtml(await page("/outbox?etat=pending", secretariat))).not.toContain('data-testid="outbox-notice"');

    const view = await page(`/outbox/${links[0]}`, secretariat);
    expect(view).toContain("Vous êtes convoqué(e) à la session « Commission de printemps — Assistant(e) de formation »");
    expect(view).toContain("9\u00a0h\u00a000 – 9\u00a0h\u00a050 : Léa DURAND");

    const ics = await get(`/outbox/${links[0]}/convocation.ics`, secretariat);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(ics.headers.get("content-disposition")).toContain("convocation.ics");
    const props = expectValidIcs(await ics.text());
    expect(props.DTSTART).toBe(icsUtc(parisLocalToUtc(day, "09:00")!));
    expect(props.DTEND).toBe(icsUtc(parisLocalToUtc(day, "12:00")!));
    expect(props.LOCATION).toBe("À distance (Visioconférence Quorum)");
    expect(props.SUMMARY).toBe("Commission d'évaluation — Commission de printemps — Assistant(e) de formation");
    expect(props.UID).toBe(`session-${commissionId}@quorum`);
    expect(props.ORGANIZER).toBe("mailto:secretariat@quorum.test");

    // The candidate's own convocation: passage time, place, what to bring, her .ics.
    const candidateLink = /href="\/outbox\/([a-z0-9]+)"[^>]*>Votre convocation : /.exec(outbox)![1];
    expect(outbox).toContain("À lea.durand@example.fr");
    const letter = await page(`/outbox/${candidateLink}`, secretariat);
    expect(letter).toContain("Bonjour Léa DURAND,");
    expect(letter).toContain("Heure de passage : 9\u00a0h\u00a000 – 9\u00a0h\u00a050 (heure de Paris)");
    expect(letter).toContain("Lieu : À distance (Visioconférence Quorum)");
    expect(letter).toContain("votre pièce d'identité en cours de validité");
    const candidateIcs = expectValidIcs(await (await get(`/outbox/${candidateLink}/convocation.ics`, secretariat)).text());
    expect(candidateIcs.DTSTART).toBe(icsUtc(parisLocalToUtc(day, "09:00")!));
    expect(candidateIcs.DTEND).toBe(icsUtc(parisLocalToUtc(day, "09:50")!));

    const again = await post(`/sessions/${commissionId}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(again.status).toBe(400);
    expect(decodeHtml(await again.text())).toContain("Tous les membres ont déjà été convoqués.");
  });

  it("a jury agenda refuses an incomplete dossier with what is missing, and takes a complete one", async () => {
    juryId = await planSession({ kind: "JURY", title: "Jury paritaire de printemps", startTime: "14:00", endTime: "17:00" });
    const html = await planningPage(juryId);
    const incomplete = optionValue(html, /— Brouillon$/);
    const refused = await post(`/sessions/${juryId}/planning`, { intent: "add-agenda", dossierId: incomplete }, secretariat);
    expect(refused.status).toBe(400);
    const message = decodeHtml(await refused.text());
    expect(message).toMatch(/Dossier incomplet : celui de .+ ne peut pas être présenté au jury\. Il manque :/);
    expect(message).toMatch(/<li>[^<]+ — [^<]+<\/li>/);

    const complete = optionValue(html, /— Complet$/);
    const accepted = await post(`/sessions/${juryId}/planning`, { intent: "add-agenda", dossierId: complete }, secretariat);
    expect(accepted.status, decodeHtml(await accepted.clone().text()).slice(0, 3000)).toBe(302);
    const after = await planningPage(juryId);
    expect(after).toMatch(/1\. [^<]+ <span[^>]*>— À l'ordre du jour d'un jury<\/span>/);
  });

  it("a dossier on a jury's agenda gets no new commission passage: a French error at the candidate field", async () => {
    const jury = await planningPage(juryId);
    const onAgenda = /1\. ([^<]+) <span[^>]*>— À l'ordre du jour d'un jury<\/span>/.exec(jury)![1].trim();
    const commission = await planSession({ kind: "COMMISSION", title: "Commission de rattrapage — dossier déjà au jury", startTime: "13:00", endTime: "16:00" });
    const html = await planningPage(commission);
    const name = onAgenda.split(" ")[0]!;
    const dossierId = optionValue(html, new RegExp(`^${name} .*— À l'ordre du jour d'un jury$`));
    const refused = await post(`/sessions/${commission}/planning`, { intent: "add-slot", dossierId, startTime: "13:00" }, secretariat);
    expect(refused.status).toBe(400);
    const answer = decodeHtml(await refused.text());
    // At the candidate field (its error list), naming the jury and what to do instead.
    const fieldErrors = /<[^>]+id="[^"]*dossierId-error"[^>]*>([\s\S]*?)<\/(?:ul|div|p)>/.exec(answer)?.[1] ?? "";
    expect(fieldErrors).toContain(
      `est déjà évalué et inscrit à l'ordre du jour du jury « Jury paritaire de printemps » : pas de nouveau passage en commission.`,
    );
    expect(await planningPage(commission)).toContain("Aucun candidat inscrit.");
  });

  it("a jury needs both colleges before convocations; president and vice-president of one college is a warning", async () => {
    const html = await planningPage(juryId);
    const pierre = optionValue(html, /^Pierre Président/);
    const marie = optionValue(html, /^Marie Membre/);
    const mehdi = optionValue(html, /^Mehdi Membre/);

    const noCollege = await post(`/sessions/${juryId}/planning`, { intent: "seat-member", userId: pierre, role: "PRESIDENT" }, secretariat);
    expect(noCollege.status).toBe(400);
    expect(decodeHtml(await noCollege.text())).toContain("Indiquez le collège (employeurs ou salariés) de ce membre du jury.");

    for (const [userId, role] of [
      [pierre, "PRESIDENT"],
      [marie, "VICE_PRESIDENT"],
    ]) {
      const res = await post(`/sessions/${juryId}/planning`, { intent: "seat-member", userId, role, college: "EMPLOYER" }, secretariat);
      expect(res.status).toBe(302);
    }
    let planning = await planningPage(juryId);
    expect(planning).toContain("Le jury doit compter au moins un membre du collège salariés.");
    expect(planning).toContain(
      "Le président et le vice-président sont tous deux du collège employeurs : ils devraient venir de collèges opposés.",
    );
    const blocked = await post(`/sessions/${juryId}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(blocked.status).toBe(400);
    expect(decodeHtml(await blocked.text())).toContain("Convocations impossibles tant que ces points ne sont pas réglés :");

    const res = await post(`/sessions/${juryId}/planning`, { intent: "seat-member", userId: mehdi, role: "MEMBER", college: "EMPLOYEE" }, secretariat);
    expect(res.status).toBe(302);
    planning = await planningPage(juryId);
    expect(planning).not.toContain("Points bloquants avant les convocations");
    const sent = await post(`/sessions/${juryId}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(sent.status).toBe(302);
  });

  it("warns before and after convening a jury less than 15 days ahead", async () => {
    const soon = addDays(parisDateKey(new Date()), 5);
    const id = await planSession({ kind: "JURY", title: "Jury de rattrapage", date: soon });
    const html = await planningPage(id);
    expect(html).toContain("Attention : le jury se tient dans moins de 15 jours");
    const pierre = optionValue(html, /^Pierre Président/);
    const mehdi = optionValue(html, /^Mehdi Membre/);
    await post(`/sessions/${id}/planning`, { intent: "seat-member", userId: pierre, role: "PRESIDENT", college: "EMPLOYER" }, secretariat);
    await post(`/sessions/${id}/planning`, { intent: "seat-member", userId: mehdi, role: "MEMBER", college: "EMPLOYEE" }, secretariat);
    const sent = await post(`/sessions/${id}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(sent.status).toBe(302);
    const after = await page(sent.headers.get("location")!, secretariat);
    expect(after).toContain("2 convocations déposées dans la boîte d'envoi");
    expect(after).toContain("Attention : le jury se tient dans moins de 15 jours");
  });

  it("lists habilitations, refuses an overlapping one, renews the expired one so Eric can sit", async () => {
    const html = await page("/habilitations", secretariat);
    expect(html).toContain("Eric Expiré");
    expect(html).toContain("Expirée");
    const ericRow = /<tr[^>]*>(?:(?!<\/tr>).)*Eric Expiré(?:(?!<\/tr>).)*<\/tr>/s.exec(html)?.[0] ?? "";
    const habilitationId = /name="id" value="([a-z0-9]+)"/.exec(ericRow)?.[1];
    expect(habilitationId).toBeTruthy();

    const certificationId = optionValue(html, /^CQP Assistant\(e\) de formation/);
    const marie = optionValue(html, /^Marie Membre/);
    const today = parisDateKey(new Date());
    const overlapping = await post(
      "/habilitations",
      { intent: "create", userId: marie, certificationId, validFrom: today, validUntil: addDays(today, 30) },
      secretariat,
    );
    expect(overlapping.status).toBe(400);
    expect(decodeHtml(await overlapping.text())).toMatch(/Marie Membre est déjà habilité\(e\) pour cette certification du/);

    const tooEarly = await post("/habilitations", { intent: "renew", id: habilitationId!, validUntil: addDays(today, -1) }, secretariat);
    expect(tooEarly.status).toBe(400);
    expect(decodeHtml(await tooEarly.text())).toContain(`La nouvelle échéance doit être au plus tôt le ${formatLongDay(today)}.`);

    const renewed = await post("/habilitations", { intent: "renew", id: habilitationId!, validUntil: addDays(today, 364) }, secretariat);
    expect(renewed.status).toBe(302);
    const list = await page(renewed.headers.get("location")!, secretariat);
    expect(list).toContain("Habilitation renouvelée.");
    expect(list).toContain(formatDateKeyFr(addDays(today, 364)));

    const id = await planSession({ kind: "COMMISSION", title: "Commission avec Eric" });
    const planning = await planningPage(id);
    const eric = optionValue(planning, /^Eric Expiré/);
    const seated = await post(`/sessions/${id}/planning`, { intent: "seat-member", userId: eric, role: "MEMBER" }, secretariat);
    expect(seated.status).toBe(302);
  });

  it("a candidate's trainer may not evaluate her, whichever comes first (slot or seat)", async () => {
    const id = await planSession({ kind: "COMMISSION", title: "Commission avec conflit d'intérêts" });
    let planning = await planningPage(id);
    const marie = optionValue(planning, /^Marie Membre/);

    // A candidate trained by Marie Membre, with a dossier for the CQP (scheme: evaluator ≠ trainer).
    const created = await post(
      "/candidates/new",
      {
        birthName: "FONTAINE",
        usageName: "",
        givenNames: "Zoé",
        sex: "F",
        birthDate: "1990-01-20",
        birthCommune: "Tours",
        birthDepartment: "37",
        birthCountry: "",
        email: "",
        phone: "",
        employer: "Touraine Formation",
        trainerId: marie,
        trainerName: "",
      },
      secretariat,
    );
    expect(created.status, decodeHtml(await created.clone().text()).slice(0, 2000)).toBe(302);
    const candidatePath = created.headers.get("location")!;
    const candidatePage = await page(candidatePath, secretariat);
    const dossier = await post(
      candidatePath,
      { certificationId: optionValue(candidatePage, /^CQP Assistant\(e\) de formation/), route: "FORMATION" },
      secretariat,
    );
    expect(dossier.status).toBe(302);
    const conflict = "Conflit d'intérêts : Marie Membre a formé Zoé FONTAINE et ne peut ni évaluer ni juger sa candidature.";

    // Marie sits first: Zoé's slot is refused.
    expect((await post(`/sessions/${id}/planning`, { intent: "seat-member", userId: marie, role: "MEMBER" }, secretariat)).status).toBe(302);
    planning = await planningPage(id);
    const zoe = optionValue(planning, /^Zoé FONTAINE/);
    const slot = await post(`/sessions/${id}/planning`, { intent: "add-slot", dossierId: zoe, startTime: "09:00" }, secretariat);
    expect(slot.status).toBe(400);
    expect(decodeHtml(await slot.text())).toContain(conflict);

    // Zoé first: seating Marie is refused, even as an observer under this scheme.
    const seatId = /name="intent" value="unseat-member"\/><input type="hidden" name="id" value="([a-z0-9]+)"/.exec(planning)?.[1];
    expect(seatId).toBeTruthy();
    expect((await post(`/sessions/${id}/planning`, { intent: "unseat-member", id: seatId! }, secretariat)).status).toBe(302);
    expect((await post(`/sessions/${id}/planning`, { intent: "add-slot", dossierId: zoe, startTime: "09:00" }, secretariat)).status).toBe(302);
    for (const role of ["MEMBER", "OBSERVER"]) {
      const seat = await post(`/sessions/${id}/planning`, { intent: "seat-member", userId: marie, role }, secretariat);
      expect(seat.status, role).toBe(400);
      expect(decodeHtml(await seat.text())).toContain(conflict);
    }
  });

  it("a member gets 403 on every planning page and action", async () => {
    const demoCommission = await findSession((p) => page(p, member), `Commission d'évaluation — ${ASSISTANT}`);
    for (const path of [
      "/sessions/new",
      `/sessions/${commissionId}/planning`,
      `/sessions/${demoCommission}/planning`,
      "/habilitations",
      "/outbox",
    ]) {
      const res = await get(path, member);
      expect(res.status, path).toBe(403);
    }
    const attempts: Array<[string, Record<string, string>]> = [
      ["/sessions/new", { kind: "COMMISSION", title: "Pirate", date: day, startTime: "09:00", endTime: "10:00", mode: "remote", remoteMeans: "x" }],
      [`/sessions/${demoCommission}/planning`, { intent: "send-convocations", scope: "all" }],
      [`/sessions/${commissionId}/planning`, { intent: "seat-member", userId: "x", role: "MEMBER" }],
      ["/habilitations", { intent: "create", userId: "x", certificationId: "y", validFrom: day, validUntil: day }],
    ];
    for (const [path, fields] of attempts) {
      const res = await post(path, fields, member);
      expect(res.status, path).toBe(403);
    }
    // Nothing was sent in the member's name: the outbox holds the secretariat's convocations only.
    const outbox = await page("/outbox", secretariat);
    expect(outbox).not.toContain("Pirate");
    // + Léa DURAND's own; + what the demo had sent: the demo jury's six convocations, an invitation, and the past jury's
    // two decision notices by e-mail (its third candidate has no address: a letter only).
    expect([...outbox.matchAll(/href="\/outbox\/[a-z0-9]+"/g)]).toHaveLength(3 + 1 + 3 + 2 + 6 + 1 + 2);
  });

  it("answers 404 for a session of no one's organisation", async () => {
    const res = await get("/sessions/doesnotexist00/planning", secretariat);
    expect(res.status).toBe(404);
  });
});

/* ------------------------------------------------------------------ SMTP */

/** The text/calendar part of a MIME message, decoded (base64 body after the part's headers). */
function calendarPart(data: string): string | null {
  const start = data.search(/^Content-Type: text\/calendar/m);
  if (start < 0) return null;
  const part = data.slice(start);
  const headersEnd = part.indexOf("\r\n\r\n");
  if (!/Content-Transfer-Encoding: base64/i.test(part.slice(0, headersEnd))) return null;
  const body = /^([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(part.slice(headersEnd + 4));
  return body ? Buffer.from(body[1].replace(/\r\n/g, ""), "base64").toString("utf8") : null;
}

describe("convocations through SMTP (SMTP_URL set)", () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  let secretariat: string;
  const { page, post } = client(() => server);

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    server = await startServer({
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`, MAIL_FROM: "CPNEF démo <convocations@cpnef.test>" },
    });
    secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  });

  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it("hands each member's convocation to the relay with the .ics attached, and marks it sent", async () => {
    const id = await findSession((p) => page(p, secretariat), `Commission d'évaluation — ${ASSISTANT}`);
    const res = await post(`/sessions/${id}/planning`, { intent: "send-convocations", scope: "pending" }, secretariat);
    expect(res.status, decodeHtml(await res.clone().text()).slice(0, 3000)).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${id}/planning?convocations=4&envoi=smtp`);

    expect(smtp.messages).toHaveLength(4);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(
      [DEMO_ACCOUNTS.membre1, DEMO_ACCOUNTS.membre2, DEMO_ACCOUNTS.observateur, DEMO_ACCOUNTS.president].sort(),
    );
    for (const message of smtp.messages) {
      expect(message.from).toBe("convocations@cpnef.test");
      expect(message.data).toMatch(/^From: =\?UTF-8\?[BQ]\?[^?]+\?= <convocations@cpnef\.test>\r\n/im);
      expect(message.data).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
      expect(message.data).toContain("Content-Type: multipart/mixed;");
      const ics = calendarPart(message.data);
      expect(ics).not.toBeNull();
      const props = expectValidIcs(ics!);
      expect(props.SUMMARY).toBe(`Commission d'évaluation — Commission d'évaluation — ${ASSISTANT}`);
    }
    expect(await page(`/sessions/${id}/planning?convocations=4&envoi=smtp`, secretariat)).toContain(
      "4 convocations envoyées par courriel.",
    );
    const outbox = await page("/outbox", secretariat);
    expect(outbox.match(/Envoyé le/g)).toHaveLength(4);
    expect(outbox).not.toContain(ERIC);
  });
});
