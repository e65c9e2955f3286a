/**
 * A person who belongs to several organisations, against the real production server (docs/decisions/0024). Diane is
 * secretariat of the demo's CPNEF (her first membership) and of a second CPNE, and only a member of a third
 * organisation. Her lists show the « organisation active » (the CPNEF by default; the header's selector changes it, kept
 * on her login session); what she creates from a list lands in the active one; a page about one session or candidate
 * acts with her role in THAT resource's organisation, whatever is active; where she is only a member she manages
 * nothing; a forged choice is refused in French and changes nothing. A person in one organisation sees no selector.
 * The demo's own secretariat (Samia) works for the CPNEF and for the CPNE de la propreté: she sees both and switches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { postForm, readPage } from "../support/html";

let database: TestDatabase;
let server: TestServer;
let diane = "";
let single = "";
let bruno = "";
const ids = { cpnef: "", second: "", third: "", stranger: "", secondSession: "", secondCandidate: "", thirdSession: "", thirdCandidate: "", diane: "" };

const SECOND_SESSION = "Commission d'évaluation — CQP Régleur plasturgie";
const SECOND_CANDIDATE = "PLASTURGE";
const CPNEF_CANDIDATE = "Léa Marie DURAND";
const CPNEF_SESSION = "Jury paritaire de délivrance — session passée";

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const demoSession = await prisma.session.findFirstOrThrow({ where: { title: CPNEF_SESSION } });
    ids.cpnef = demoSession.organisationId;
    const certification = await prisma.certification.findFirstOrThrow({ where: { organisationId: ids.cpnef } });
    const organisation = async (slug: string, name: string) => {
      const org = await prisma.organisation.create({ data: { slug, name, legalName: name } });
      const cert = await prisma.certification.create({
        data: { organisationId: org.id, kind: "CQP", code: `CQP-${slug}`, title: `CQP de ${name}`, scheme: certification.scheme as object },
      });
      return { org, cert };
    };
    const second = await organisation("cpne-plasturgie", "CPNE de la plasturgie");
    const third = await organisation("observatoire-metiers", "Observatoire des métiers");
    const stranger = await organisation("branche-etrangere", "Branche étrangère");
    ids.second = second.org.id;
    ids.third = third.org.id;
    ids.stranger = stranger.org.id;
    const startsAt = new Date(Date.now() + 10 * 86_400_000);
    const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000);
    ids.secondSession = (
      await prisma.session.create({ data: { organisationId: ids.second, kind: "COMMISSION", title: SECOND_SESSION, startsAt, endsAt, remote: true } })
    ).id;
    ids.thirdSession = (
      await prisma.session.create({ data: { organisationId: ids.third, kind: "COMMISSION", title: "Commission de l'observatoire", startsAt, endsAt, remote: true } })
    ).id;
    ids.secondCandidate = (await prisma.candidate.create({ data: { organisationId: ids.second, birthName: SECOND_CANDIDATE, givenNames: "Paul" } })).id;
    ids.thirdCandidate = (await prisma.candidate.create({ data: { organisationId: ids.third, birthName: "OBSERVE", givenNames: "Olga" } })).id;

    const { passwordHash } = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.admin } });
    const user = await prisma.user.create({ data: { email: "diane@quorum.test", displayName: "Diane Deux-Branches", passwordHash } });
    ids.diane = user.id;
    // Oldest first: the CPNEF is her first membership.
    const t = Date.now() - 86_400_000;
    await prisma.membership.create({ data: { userId: user.id, organisationId: ids.cpnef, role: "SECRETARIAT", createdAt: new Date(t) } });
    await prisma.membership.create({ data: { userId: user.id, organisationId: ids.second, role: "SECRETARIAT", createdAt: new Date(t + 1000) } });
    await prisma.membership.create({ data: { userId: user.id, organisationId: ids.third, role: "MEMBER", createdAt: new Date(t + 2000) } });
    // The second organisation's administrator (who removes her at the end).
    await prisma.user.create({
      data: { email: "bruno@quorum.test", displayName: "Bruno Admin", passwordHash, memberships: { create: [{ organisationId: ids.second, role: "ADMIN" }] } },
    });
  });
  // QUORUM_BENCH_STATS: each answer says how many SQL statements it sent (X-Quorum-Statements).
  server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" } });
  diane = await login(server.baseUrl, "diane@quorum.test");
  // The demo's administrator belongs to the CPNEF only (its secretariat also works for the CPNE de la propreté).
  single = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
  bruno = await login(server.baseUrl, "bruno@quorum.test");
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const page = async (path: string, cookie = diane) => {
  const { status, text } = await readPage(server.baseUrl, cookie, path);
  return { status, text };
};
const choose = (organisationId: string, redirectTo = "/candidates") => postForm(server.baseUrl, diane, "/organisation-active", { organisationId, redirectTo });

describe("a secretariat of two organisations", () => {
  it("sees the first organisation she manages by default, and a selector of her three organisations in the header", async () => {
    const candidates = await page("/candidates");
    expect(candidates.status).toBe(200);
    expect(candidates.text).toContain(CPNEF_CANDIDATE);
    expect(candidates.text).not.toContain(SECOND_CANDIDATE);
    expect(candidates.text).toContain("Organisation active");
    for (const name of ["CPNE de la plasturgie (secrétariat)", "Observatoire des métiers (membre)"]) expect(candidates.text).toContain(name);
    const sessions = await page("/sessions");
    expect(sessions.text).toContain(CPNEF_SESSION);
    expect(sessions.text).not.toContain(SECOND_SESSION);
  });

  it("switches to the second organisation: its candidates and sessions, the same page shown again", async () => {
    const res = await choose(ids.second);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/candidates");
    const candidates = await page("/candidates");
    expect(candidates.text).toContain(SECOND_CANDIDATE);
    expect(candidates.text).not.toContain(CPNEF_CANDIDATE);
    const sessions = await page("/sessions");
    expect(sessions.text).toContain(SECOND_SESSION);
    expect(sessions.text).not.toContain(CPNEF_SESSION);
    // The desk too.
    expect((await page("/")).text).toContain(SECOND_SESSION);
  });

  it("creates a candidate in the active organisation", async () => {
    const res = await postForm(server.baseUrl, diane, "/candidates/new", {
      birthName: "Créé-Dans-B",
      usageName: "",
      givenNames: "Bertille",
      sex: "F",
      birthDate: "1990-02-03",
      birthCommune: "Oyonnax",
      birthDepartment: "01",
      birthCountry: "",
      email: "",
      phone: "",
      postalAddress: "",
      employer: "",
      trainerId: "",
      trainerName: "",
    });
    expect(res.status).toBe(302);
    expect((await page("/candidates")).text).toContain("Bertille");
    expect((await page("/candidates", bruno)).text).toContain("Bertille");
    expect((await page("/candidates", single)).text).not.toContain("Bertille");
  });

  it("acts on a session of the second organisation from its page while the first one is active: the session's organisation decides", async () => {
    expect((await choose(ids.cpnef)).status).toBe(302);
    expect((await page("/candidates")).text).toContain(CPNEF_CANDIDATE);
    const planning = await page(`/sessions/${ids.secondSession}/planning`);
    expect(planning.status).toBe(200);
    expect(planning.text).toContain(SECOND_SESSION);
    const res = await postForm(server.baseUrl, diane, `/sessions/${ids.secondSession}/planning`, {
      intent: "update-session",
      title: "Commission renommée de la plasturgie",
      date: new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10),
      startTime: "09:00",
      endTime: "12:00",
      mode: "remote",
      remoteMeans: "Visioconférence",
    });
    expect(res.status).toBe(302);
    expect((await page(`/sessions/${ids.secondSession}/planning`, bruno)).text).toContain("Commission renommée de la plasturgie");
    // The first organisation's list is still the one shown.
    expect((await page("/sessions")).text).not.toContain("Commission renommée de la plasturgie");
    const candidate = await page(`/candidates/${ids.secondCandidate}`);
    expect(candidate.status).toBe(200);
    expect(candidate.text).toContain(SECOND_CANDIDATE);
  });

  it("reads her pages within the pages' budget: the resource's organisation costs one statement once, the active one none", async () => {
    const statements = async (path: string) => {
      const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: diane } });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      return Number(res.headers.get("x-quorum-statements"));
    };
    const single_ = async (path: string) => {
      const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: single } });
      await res.arrayBuffer();
      return Number(res.headers.get("x-quorum-statements"));
    };
    // A list: the same statements as for the secretariat of one organisation.
    expect(await statements("/candidates")).toBe(await single_("/candidates"));
    for (const path of [`/candidates/${ids.secondCandidate}`, `/sessions/${ids.secondSession}/planning`]) expect(await statements(path)).toBeLessThanOrEqual(10);
    // A resource never changes organisation (decision 0027): opened again, her page costs what it costs the second
    // organisation's administrator, who belongs to it alone.
    const bruno_ = async (path: string) => {
      const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: bruno } });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      return Number(res.headers.get("x-quorum-statements"));
    };
    for (const path of [`/candidates/${ids.secondCandidate}`, `/sessions/${ids.secondSession}/planning`]) {
      await bruno_(path);
      expect([path, await statements(path)]).toEqual([path, await bruno_(path)]);
    }
  });

  it("manages nothing where she is only a member, whichever organisation is active", async () => {
    expect((await page(`/sessions/${ids.thirdSession}/planning`)).status).toBe(403);
    expect((await page(`/candidates/${ids.thirdCandidate}`)).status).toBe(403);
    expect((await choose(ids.third)).status).toBe(302);
    const refused = await page("/candidates");
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Vous agissez pour l'organisation active « Observatoire des métiers » : choisissez une autre organisation dans l'en-tête.");
    // Her sessions list shows no session of the organisation she does not manage.
    expect((await page("/sessions")).text).not.toContain("Commission de l'observatoire");
  });

  it("refuses a forged choice of an organisation she does not belong to, in French, and changes nothing", async () => {
    expect((await choose(ids.second)).status).toBe(302);
    const forged = await choose(ids.stranger);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("Vous n'appartenez pas à cette organisation : l'organisation active n'a pas changé.");
    expect((await page("/candidates")).text).toContain(SECOND_CANDIDATE);
    // And from another site, nothing at all.
    const crossSite = await fetch(`${server.baseUrl}/organisation-active`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: diane, Origin: "https://ailleurs.example" },
      body: new URLSearchParams({ organisationId: ids.cpnef }),
    });
    expect(crossSite.status).toBe(403);
    expect((await page("/candidates")).text).toContain(SECOND_CANDIDATE);
  });

  it("falls back to her first managed organisation once the chosen one is no longer hers", async () => {
    const removed = await postForm(server.baseUrl, bruno, "/membres", { intent: "remove", userId: ids.diane });
    expect(removed.status).toBe(302);
    const candidates = await page("/candidates");
    expect(candidates.text).toContain(CPNEF_CANDIDATE);
    expect(candidates.text).not.toContain(SECOND_CANDIDATE);
    expect((await page(`/candidates/${ids.secondCandidate}`)).status).toBe(404);
  });
});

describe("a person in one organisation", () => {
  it("sees no organisation selector", async () => {
    const home = await page("/", single);
    expect(home.status).toBe(200);
    expect(home.text).not.toContain("Organisation active");
    expect(home.text).not.toContain('data-testid="organisation-switcher"');
  });
});

describe("the demo's secretariat, who works for two CPNE", () => {
  it("sees both organisations in the header, the CPNEF active; switches to the CPNE de la propreté and back", async () => {
    const samia = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const home = await page("/", samia);
    expect(home.status).toBe(200);
    expect(home.text).toContain('data-testid="organisation-switcher"');
    const options = [...home.text.matchAll(/<option value="([^"]+)"( selected="")?>([^<]+)<\/option>/g)]
      .filter(([, , , label]) => /\((secrétariat|membre|administration|observation)\)$/.test(label!))
      .map(([, id, selected, label]) => ({ id: id!, selected: selected !== undefined, label: label! }));
    expect(options.map((o) => [o.label, o.selected])).toEqual([
      ["CPNEF de démonstration (secrétariat)", true],
      ["CPNE de la propreté (secrétariat)", false],
    ]);
    expect((await page("/sessions", samia)).text).toContain("Commission d'évaluation — CQP Assistant(e) de formation");
    const before = await page("/candidates", samia);
    expect(before.text).toContain(CPNEF_CANDIDATE);
    expect(before.text).not.toContain("KERVELLA");

    const switched = await postForm(server.baseUrl, samia, "/organisation-active", { organisationId: options[1]!.id, redirectTo: "/sessions" });
    expect(switched.status).toBe(302);
    expect(switched.headers.get("location")).toBe("/sessions");
    const sessions = await page("/sessions", samia);
    expect(sessions.text).toContain("Commission d'évaluation — CQP Agent(e) machiniste classique");
    // The CPNEF's sessions she does not sit on are no longer listed (its juries, where she is the secretary, still are).
    expect(sessions.text).not.toContain("Commission d'évaluation — CQP Assistant(e) de formation");
    const candidates = await page("/candidates", samia);
    expect(candidates.text).toContain("KERVELLA");
    expect(candidates.text).toContain("OUEDRAOGO");
    expect(candidates.text).not.toContain(CPNEF_CANDIDATE);
    expect((await page("/certifications", samia)).text).toContain("CQP Agent(e) machiniste classique");
    expect((await page("/", samia)).text).toMatch(/<option value="[^"]+" selected="">CPNE de la propreté \(secrétariat\)<\/option>/);

    expect((await postForm(server.baseUrl, samia, "/organisation-active", { organisationId: options[0]!.id, redirectTo: "/candidates" })).status).toBe(302);
    expect((await page("/candidates", samia)).text).toContain(CPNEF_CANDIDATE);
  });

  it("with the CPNE de la propreté active, the desk's « Habilitations expirant » filter says none expire, not that there are none", async () => {
    const samia = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const propreteId = /<option value="([^"]+)"[^>]*>CPNE de la propreté \(secrétariat\)<\/option>/.exec((await page("/", samia)).text)![1]!;
    expect((await postForm(server.baseUrl, samia, "/organisation-active", { organisationId: propreteId, redirectTo: "/" })).status).toBe(302);
    const emptyOf = (html: string) => /data-testid="habilitations-empty">([^<]*)</.exec(html)?.[1];
    // Its two habilitations run to August 2027: none in the next 60 days, yet both are on record.
    expect((await page("/habilitations", samia)).text).toContain("Yann Le Goff");
    expect(emptyOf((await page("/habilitations?filtre=expirent", samia)).text)).toBe("Aucune habilitation n'expire dans les 60 jours.");
    expect(emptyOf((await page("/habilitations?q=inconnu", samia)).text)).toBe("Aucune habilitation ne correspond à « inconnu ».");
    expect(emptyOf((await page("/habilitations?filtre=expirent&q=inconnu", samia)).text)).toBe(
      "Aucune habilitation expirant dans les 60 jours ne correspond à « inconnu ».",
    );
    await postForm(server.baseUrl, samia, "/organisation-active", {
      organisationId: /<option value="([^"]+)"[^>]*>CPNEF de démonstration/.exec((await page("/", samia)).text)![1]!,
      redirectTo: "/",
    });
  });

  it("with the CPNE de la propreté active, her dashboard's « Sessions à venir de votre organisation » holds none of the CPNEF's", async () => {
    const samia = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const propreteId = /<option value="([^"]+)"[^>]*>CPNE de la propreté \(secrétariat\)<\/option>/.exec((await page("/", samia)).text)![1]!;
    expect((await postForm(server.baseUrl, samia, "/organisation-active", { organisationId: propreteId, redirectTo: "/" })).status).toBe(302);
    const home = (await page("/", samia)).text;
    const section = (id: string) => new RegExp(`<section aria-labelledby="${id}">([\\s\\S]*?)</section>`).exec(home)?.[1] ?? "";
    const organisation = section("org-sessions");
    expect(organisation).toContain("Commission d'évaluation — CQP Agent(e) machiniste classique");
    // The CPNEF's upcoming juries, where she is the secretary: hers, under « Les sessions où je siège », named with the CPNEF.
    expect(organisation).not.toContain("Jury paritaire — CQP Assistant(e) de formation");
    expect(organisation).not.toContain("Jury paritaire — examen des recours");
    const mine = section("my-sessions");
    expect(mine).toContain("Jury paritaire — CQP Assistant(e) de formation");
    expect(mine).toMatch(/Secrétaire de séance(<!-- -->)? · (<!-- -->)?CPNEF de démonstration/);
    // Her /sessions list keeps her seats there too, and says whose they are.
    expect((await page("/sessions", samia)).text).toMatch(/Secrétaire de séance(<!-- -->)? · (<!-- -->)?CPNEF de démonstration/);
    await postForm(server.baseUrl, samia, "/organisation-active", { organisationId: /<option value="([^"]+)"[^>]*>CPNEF de démonstration/.exec(home)![1]!, redirectTo: "/" });
  });
});
