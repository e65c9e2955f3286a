/**
 * Candidates and dossiers as the secretariat meets them, against the real production server on a fresh
 * database with the demo seed: candidate form errors, dossier creation pinned to the published référentiel,
 * evidence upload (SHA-256, download, refused types, nothing half-stored), the checklist, the lifecycle enforced on
 * the server, and a member refused everywhere.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { decodeHtml } from "../support/html";

/** A small valid PDF. */
const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);
/** The start of a Windows executable. */
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff]);

describe("candidates and dossiers", () => {
  let database: TestDatabase;
  let server: TestServer;
  let secretariat: string;
  let member: string;
  let candidateId = "";
  let dossierId = "";
  let evidencePath = "";

  const get = (path: string, cookie: string) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
  const page = async (path: string, cookie = secretariat) => {
    const res = await get(path, cookie);
    expect(res.status).toBe(200);
    return decodeHtml(await res.text());
  };
  const postForm = (path: string, fields: Record<string, string>, cookie = secretariat) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  const postMultipart = (path: string, form: FormData, cookie = secretariat) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: form,
    });
  const uploadForm = (file: File | null, kind: string | null) => {
    const form = new FormData();
    form.set("intent", "upload-evidence");
    if (kind !== null) form.set("kind", kind);
    if (file) form.set("file", file);
    return form;
  };
  const evidenceCount = async () => (await page(`/dossiers/${dossierId}`)).match(/data-testid="sha256"/g)?.length ?? 0;

  const validCandidate = {
    birthName: "Valadier",
    usageName: "",
    givenNames: "Hortense Marie Louise",
    sex: "F",
    birthDate: "1993-04-17",
    birthCommune: "Clermont-Ferrand",
    birthDepartment: "63",
    birthCountry: "",
    email: "hortense.valadier@example.fr",
    phone: "06 11 22 33 44",
    postalAddress: "Appartement 3\r\n18 rue Blatin\r\n63000 Clermont-Ferrand",
    employer: "Auvergne Formation",
    trainerId: "",
    trainerName: "GRETA Auvergne",
  };

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    server = await startServer({ database });
    secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    member = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  it("lists the seeded candidates with dossier counts per status, and searches by name", async () => {
    const html = await page("/candidates");
    expect(html).toContain("Dossiers par statut");
    expect(html).toMatch(/Complet <span class="font-semibold">[1-9]\d*<\/span>/);
    expect(html.match(/href="\/candidates\/c[a-z0-9]+"/g)?.length ?? 0).toBeGreaterThanOrEqual(18);

    const search = await page("/candidates?q=durand");
    expect(search).toContain("Léa Marie DURAND");
    expect(search).not.toContain("Thomas NGUYEN");
  });

  it("refuses a birth date in the future with the French message at the field, and creates nothing", async () => {
    const res = await postForm("/candidates/new", { ...validCandidate, birthDate: "2999-01-01" });
    expect(res.status).toBe(200); // the form again, with its messages
    const html = decodeHtml(await res.text());
    expect(html).toContain("La date de naissance est dans le futur.");
    expect(await page("/candidates?q=Valadier")).toContain("Aucun candidat ne correspond à votre recherche.");
  });

  it("refuses a birth place given both in France and abroad", async () => {
    const res = await postForm("/candidates/new", { ...validCandidate, birthCountry: "Belgique" });
    expect(res.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await res.text())).toContain("Indiquez soit la commune de naissance (en France), soit le pays (à l'étranger), pas les deux.");
  });

  it("refuses an INSEE birth code that contradicts the birth place, at its field, and creates nothing", async () => {
    const lyon = { ...validCandidate, birthCommune: "Lyon", birthDepartment: "69" };
    const abroad = { ...validCandidate, birthCommune: "", birthDepartment: "", birthCountry: "Maroc" };
    for (const [fields, message] of [
      [{ ...lyon, birthCode: "99109" }, "Ce code désigne un pays (99…), or la naissance est en France"],
      [{ ...lyon, birthCode: "13055" }, "Ce code désigne une commune du département 13, pas du 69"],
      [{ ...abroad, birthCode: "75056" }, "Ce code désigne une commune française, or la naissance est à l'étranger"],
    ] as const) {
      const res = await postForm("/candidates/new", fields);
      expect(res.status, fields.birthCode).toBe(200); // the form again, with its messages
      const html = decodeHtml(await res.text());
      expect(html).toContain(message);
      expect(html).toMatch(/aria-invalid="true"[^>]*name="birthCode"|name="birthCode"[^>]*aria-invalid="true"/);
    }
    expect(await page("/candidates?q=Valadier")).toContain("Aucun candidat ne correspond à votre recherche.");
  });

  it("refuses a foreign country's INSEE code with no birth place at all, asking for the country at its field", async () => {
    const res = await postForm("/candidates/new", { ...validCandidate, birthCommune: "", birthDepartment: "", birthCountry: "", birthCode: "99350" });
    expect(res.status).toBe(200); // the form again, with its messages
    const html = decodeHtml(await res.text());
    expect(html).toContain("Le code INSEE 99350 désigne un pays étranger : indiquez aussi le pays de naissance.");
    expect(html).toMatch(/aria-invalid="true"[^>]*name="birthCountry"|name="birthCountry"[^>]*aria-invalid="true"/);
    expect(await page("/candidates?q=Valadier")).toContain("Aucun candidat ne correspond à votre recherche.");
  });

  it("refuses a postal address that no envelope takes or the sealed letter cannot print, at its field, and creates nothing", async () => {
    for (const [postalAddress, message] of [
      ["1 rue A\n2\n3\n4\n5\n63000 Clermont-Ferrand", "Adresse postale : 5 lignes au plus (l'enveloppe en a 6, nom compris)."],
      ["18 rue du Général-Charles-de-Gaulle-et-de-la-Libération\n63000 Clermont-Ferrand", "Adresse postale : 38 caractères au plus par ligne, comme sur une enveloppe (la ligne 1 en a 55)."],
      ["18 rue Blatin 63000 Clermont-Ferrand", "Adresse postale incomplète : la voie sur une ligne, puis le code postal et la commune sur la suivante."],
      ["18 rue Blatin 🏠\n63000 Clermont-Ferrand", "Le caractère « 🏠 » (U+1F3E0) ne peut pas figurer dans les documents signés"],
      ["18 rue \u202eBlatin\n63000 Clermont-Ferrand", "Caractères invisibles ou de contrôle refusés"],
    ] as const) {
      const res = await postForm("/candidates/new", { ...validCandidate, postalAddress });
      expect(res.status, postalAddress).toBe(200); // the form again, with its messages
      const html = decodeHtml(await res.text());
      expect(html).toMatch(new RegExp(`id="[^"]*postalAddress-error"[^>]*>${message.replace(/[.()+]/g, "\\$&")}`));
      expect(html).toMatch(/aria-invalid="true"[^>]*name="postalAddress"|name="postalAddress"[^>]*aria-invalid="true"/);
    }
    expect(await page("/candidates?q=Valadier")).toContain("Aucun candidat ne correspond à votre recherche.");
  });

  it("creates a valid candidate", async () => {
    const res = await postForm("/candidates/new", validCandidate);
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/candidates\/c[a-z0-9]+$/);
    candidateId = location.split("/").pop()!;

    const html = await page(location);
    expect(html).toContain("Hortense Marie Louise VALADIER");
    expect(html).toContain("Clermont-Ferrand (63)");
    expect(html).toContain("17/04/1993");
    expect(html).toContain("Appartement 3\n18 rue Blatin\n63000 Clermont-Ferrand");
    expect(html).not.toContain("Identité incomplète");
    // The candidates' export gives it on one line, in its own column.
    const csv = (await (await get("/exports/candidats.csv", secretariat)).text()).split(/\r?\n/);
    const header = csv[0]!.split(";");
    const row = csv.find((line) => line.startsWith("VALADIER;"))!.split(";");
    expect(row[header.indexOf("Adresse postale")]).toBe("Appartement 3, 18 rue Blatin, 63000 Clermont-Ferrand");
    // The form to correct it gives the address back, line by line.
    expect(await page(`${location}/edit`)).toMatch(/<textarea[^>]*name="postalAddress"[^>]*>\s*Appartement 3\n18 rue Blatin\n63000 Clermont-Ferrand<\/textarea>/);
  });

  it("refuses a second registration of a person (birth name, given names, birth date; accents, case and hyphens aside) at the birth name, with a link to the existing candidate; a confirmed homonym is registered", async () => {
    const candidateLinks = async (query: string) =>
      [...(await page(`/candidates?q=${query}`)).matchAll(/href="\/candidates\/(c[a-z0-9]+)"/g)].map((m) => m[1]);
    const [existing] = await candidateLinks("garcia");
    const twin = {
      ...validCandidate,
      birthName: "garcia",
      givenNames: "INES",
      birthDate: "1998-05-07",
      birthCommune: "",
      birthDepartment: "",
      birthCountry: "Espagne",
      email: "",
    };
    const refused = await postForm("/candidates/new", twin);
    expect(refused.status).toBe(200); // the form again, with its messages
    const html = decodeHtml(await refused.text());
    const message =
      "Un candidat de même nom de naissance, prénoms et date de naissance existe déjà : Inès GARCIA, née le 07/05/1998.";
    expect(html).toMatch(new RegExp(`id="[^"]*birthName-error"[^>]*>${message.replace(/[.()]/g, "\\$&")}`));
    expect(html).toContain(`href="/candidates/${existing}"`);
    expect(html).toContain("Il s'agit d'une autre personne");
    expect(await candidateLinks("garcia")).toEqual([existing]);

    const homonym = await postForm("/candidates/new", { ...twin, confirmedHomonymOf: existing });
    expect(homonym.status).toBe(302);
    expect(await candidateLinks("garcia")).toHaveLength(2);

    // Correcting another candidate into that identity is refused the same way; the candidate is unchanged.
    const edit = await postForm(`/candidates/${candidateId}/edit`, { ...twin, birthName: "Garcia", givenNames: "Inès" });
    expect(edit.status).toBe(200);
    expect(decodeHtml(await edit.text())).toContain(message);
    expect(await page(`/candidates/${candidateId}`)).toContain("Hortense Marie Louise VALADIER");
  });

  it("edits the candidate: a usage name, and a trainer who must belong to the organisation", async () => {
    const edit = await page(`/candidates/${candidateId}/edit`);
    expect(edit).toContain('value="Clermont-Ferrand"');
    const foreign = await postForm(`/candidates/${candidateId}/edit`, { ...validCandidate, trainerId: "cnotauserofthisorg0000000" });
    expect(foreign.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await foreign.text())).toContain("Ce formateur n'est pas un utilisateur de votre organisation.");

    const res = await postForm(`/candidates/${candidateId}/edit`, { ...validCandidate, usageName: "Dumas" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/candidates/${candidateId}`);
    expect(await page(`/candidates/${candidateId}`)).toContain("Hortense Marie Louise DUMAS (née VALADIER)");
  });

  it("opens a dossier pinned to the latest published référentiel version", async () => {
    const html = await page(`/candidates/${candidateId}`);
    const option = /<option value="(c[a-z0-9]+)">CQP Assistant\(e\) de formation \(RNCP38544\) — version (\d+)<\/option>/.exec(html);
    expect(option).not.toBeNull();
    const [, certificationId, version] = option!;

    const missingRoute = await postForm(`/candidates/${candidateId}`, { certificationId });
    expect(missingRoute.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await missingRoute.text())).toContain("Choisissez le parcours : formation, VAE ou blocs.");

    const res = await postForm(`/candidates/${candidateId}`, { certificationId, route: "FORMATION" });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/dossiers\/c[a-z0-9]+$/);
    dossierId = location.split("/").pop()!;

    const dossier = await page(location);
    expect(dossier).toContain(`référentiel version ${version}`);
    expect(dossier).toContain("Brouillon");

    // One active dossier per candidate and certification.
    const again = await postForm(`/candidates/${candidateId}`, { certificationId, route: "VAE" });
    expect(again.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await again.text())).toContain("Ce candidat a déjà un dossier en cours pour cette certification.");
  });

  it("lists what is missing in the checklist, with the reason", async () => {
    const html = await page(`/dossiers/${dossierId}`);
    expect(html).toContain("Complétude et conformité");
    expect(html).toContain("Dossier incomplet");
    expect(html).toContain("Pièce manquante : Pièce d'identité.");
    expect(html).toMatch(/6 compétences sans résultat de positionnement : C1, C2, C3, C4, C5, C6\./);
    expect(html).toContain("Formateur hors Quorum (GRETA Auvergne)");
  });

  it("enforces the lifecycle on the server", async () => {
    const skip = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "DRAFT", to: "COMPLETE" });
    expect(skip.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await skip.text())).toContain("Passage de « Brouillon » à « Complet » non autorisé.");

    const register = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "DRAFT", to: "REGISTERED" });
    expect(register.status).toBe(302);

    const early = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "REGISTERED", to: "POSITIONED" });
    expect(early.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await early.text())).toContain("Positionnement incomplet : 6 compétences sans résultat de positionnement");

    const agenda = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "REGISTERED", to: "ON_AGENDA" });
    expect(decodeHtml(await agenda.text())).toContain("Ce statut est attribué par la planification du jury ou par sa délibération.");

    const stale = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "DRAFT", to: "REGISTERED" });
    expect(decodeHtml(await stale.text())).toContain("Le statut du dossier a changé entre-temps");
  });

  it("validates the company opinion form in French", async () => {
    const res = await postForm(`/dossiers/${dossierId}`, { intent: "company-opinion", favourable: "no", givenAt: "2999-01-01" });
    expect(res.status).toBe(200); // the form again, with its messages
    const html = decodeHtml(await res.text());
    expect(html).toContain("Un avis défavorable doit être motivé.");
    expect(html).toContain("Date de l'avis : la date est dans le futur.");
  });

  it("records the positioning, then positions the candidate", async () => {
    const html = await page(`/dossiers/${dossierId}`);
    const competenceIds = [...html.matchAll(/name="results\.(c[a-z0-9]+)" value="ACQUIRED"/g)].map((m) => m[1]);
    expect(competenceIds).toHaveLength(6);
    const results = Object.fromEntries(competenceIds.map((id, i) => [`results.${id}`, i === 0 ? "TO_ACQUIRE" : "ACQUIRED"]));

    const future = await postForm(`/dossiers/${dossierId}`, { intent: "positioning", positionedAt: "2999-01-01", ...results });
    expect(future.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await future.text())).toContain("Date du positionnement : la date est dans le futur.");

    const res = await postForm(`/dossiers/${dossierId}`, { intent: "positioning", positionedAt: "2024-05-02", ...results });
    expect(res.status).toBe(302);
    expect(await page(`/dossiers/${dossierId}`)).toContain("1 compétence à acquérir : C1.");

    const positioned = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "REGISTERED", to: "POSITIONED" });
    expect(positioned.status).toBe(302);
  });

  it("records a VAE admissibility only above the scheme's minimum experience", async () => {
    const list = await page("/candidates?q=DIALLO");
    const vaeDossier = /href="\/dossiers\/(c[a-z0-9]+)"/.exec(list)![1];
    const fields = { intent: "vae-admissibility", decision: "ADMISSIBLE", decidedAt: "2024-03-01", note: "" };

    const short = await postForm(`/dossiers/${vaeDossier}`, { ...fields, experienceMonths: "12" });
    expect(short.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await short.text())).toMatch(/12 mois d'expérience : en dessous du minimum de \d+ mois fixé pour cette certification/);

    const refusedWithoutNote = await postForm(`/dossiers/${vaeDossier}`, { ...fields, decision: "NOT_ADMISSIBLE", experienceMonths: "12" });
    expect(decodeHtml(await refusedWithoutNote.text())).toContain("Motivez la décision de non-recevabilité.");

    const ok = await postForm(`/dossiers/${vaeDossier}`, { ...fields, experienceMonths: "40" });
    expect(ok.status).toBe(302);
    expect(await page(`/dossiers/${vaeDossier}`)).toContain("Demande déclarée recevable.");
    const evaluation = await postForm(`/dossiers/${vaeDossier}`, { intent: "status", from: "REGISTERED", to: "IN_EVALUATION" });
    expect(evaluation.status).toBe(302);

    // A VAE dossier has no positioning nor company opinion.
    const opinion = await postForm(`/dossiers/${vaeDossier}`, { intent: "company-opinion", favourable: "yes", givenAt: "2024-03-01" });
    expect(decodeHtml(await opinion.text())).toContain("L'avis de l'entreprise ne s'applique pas à un parcours VAE.");
  });

  it("uploads a PDF evidence: SHA-256 shown, download returns the same bytes as an attachment", async () => {
    const res = await postMultipart(
      `/dossiers/${dossierId}`,
      uploadForm(new File([PDF], "Pièce d'identité.pdf", { type: "application/pdf" }), "IDENTITY"),
    );
    expect(res.status).toBe(302);

    const sha256 = createHash("sha256").update(PDF).digest("hex");
    const html = await page(`/dossiers/${dossierId}`);
    expect(html).toContain(sha256);
    expect(html).not.toContain("Pièce manquante : Pièce d'identité.");
    // Complete but still « Positionné »: a jury would refuse it, and the checklist says what is left to do.
    expect(html).toContain(
      "Dossier complet. Pour l'inscrire à l'ordre du jour d'un jury, faites avancer son statut jusqu'à « Complet » (section « Statut » ci-dessous ; statut actuel : « Positionné »).",
    );
    expect(html).not.toContain("il peut être présenté au jury");
    const link = new RegExp(`href="(/dossiers/${dossierId}/pieces/c[a-z0-9]+)"`).exec(html);
    expect(link).not.toBeNull();
    evidencePath = link![1];

    const download = await get(evidencePath, secretariat);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="Piece d_identite.pdf"; filename*=UTF-8''Pi%C3%A8ce%20d%27identit%C3%A9.pdf`,
    );
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256);
    expect(Buffer.from(bytes).equals(Buffer.from(PDF))).toBe(true);
  });

  it("stores a file whose name holds « ; », « = » or a quote, under that name (the parser's reading made it a 500)", async () => {
    // Another dossier than the one whose evidence the next tests count.
    const otherDossier = /href="\/dossiers\/(c[a-z0-9]+)"/.exec(await page("/candidates?q=DIALLO"))![1];
    expect(otherDossier).not.toBe(dossierId);
    // Quotes are dropped from a stored name (safeFileName); the rest is kept as the browser sent it.
    for (const [name, stored] of [
      ["CR réunion; version=2.pdf", "CR réunion; version=2.pdf"],
      ['devis "final"; a=b.pdf', "devis final; a=b.pdf"],
    ]) {
      const res = await postMultipart(`/dossiers/${otherDossier}`, uploadForm(new File([PDF], name, { type: "application/pdf" }), "OTHER"));
      expect(res.status, name).toBe(302);
      expect(await page(`/dossiers/${otherDossier}`), name).toContain(`>${stored}<`);
    }
  });

  it("answers a tampered form of the dossier page (unknown action, choice outside the list, malformed field) in French", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const english = /Invalid|Expected|Required|\breceived\b|String must|Number must|Array must/;
    // Each post as the page's fetcher sends it (.data: the action's raw answer) and as a plain form post.
    const tampered: Array<[Record<string, string>, RegExp]> = [
      [{ intent: "nope" }, /Action inconnue/],
      [{}, /Action inconnue/],
      [{ intent: "blocs", "blocIds.x": "b1" }, /rechargez la page/],
      [{ intent: "positioning", positionedAt: today, results: "acquis" }, /Résultat de positionnement inconnu|rechargez la page/],
      [{ intent: "positioning", positionedAt: today, "results.c1": "PEUT-ETRE" }, /Résultat de positionnement inconnu/],
      [{ intent: "company-opinion", favourable: "peut-être", givenAt: today }, /Indiquez si l'avis de l'entreprise est favorable/],
      [{ intent: "company-opinion", favourable: "yes", givenAt: today, "text.x": "a" }, /rechargez la page/],
      [{ intent: "vae-admissibility", decision: "PEUT_ETRE" }, /Choisissez la décision de recevabilité/],
      [{ intent: "vae-admissibility", decision: "PENDING", experienceMonths: "beaucoup" }, /Indiquez un nombre de mois/],
      [{ intent: "status", from: "XX", to: "YY" }, /Statut actuel du dossier inconnu/],
      [{ intent: "delete-evidence" }, /rechargez la page/],
      [{ intent: "record-appeal", "decisionId.x": "d", receivedAt: today, grounds: "Motifs." }, /rechargez la page/],
    ];
    for (const [fields, french] of tampered) {
      for (const path of [`/dossiers/${dossierId}.data`, `/dossiers/${dossierId}`]) {
        const res = await postForm(path, fields);
        const text = decodeHtml(await res.text());
        const what = `${path} ${JSON.stringify(fields)}`;
        expect(res.status, what).toBeLessThan(500);
        expect(text, what).toMatch(french);
        expect(text, what).not.toMatch(english);
      }
    }
    // An upload form whose action was changed: refused in French, nothing stored.
    const before = await evidenceCount();
    const form = uploadForm(new File([PDF], "a.pdf", { type: "application/pdf" }), "OTHER");
    form.set("intent", "status");
    for (const path of [`/dossiers/${dossierId}.data`, `/dossiers/${dossierId}`]) {
      const res = await postMultipart(path, form);
      const text = decodeHtml(await res.text());
      expect(res.status, path).toBe(400);
      expect(text, path).toContain("Action inconnue.");
      expect(text, path).not.toMatch(english);
    }
    expect(await evidenceCount()).toBe(before);

    // The candidate forms beside it: a field sent as another shape than the page's gets French too.
    const candidate = await postForm("/candidates/new", { ...validCandidate, birthName: "", "birthName.x": "Valadier", "sex.x": "F" });
    expect(candidate.status).toBeLessThan(500);
    const candidateText = decodeHtml(await candidate.text());
    expect(candidateText).toContain("rechargez la page et recommencez");
    expect(candidateText).not.toMatch(english);
  });

  it("refuses an .exe with a French message and stores nothing", async () => {
    const res = await postMultipart(
      `/dossiers/${dossierId}`,
      uploadForm(new File([EXE], "setup.exe", { type: "application/x-msdownload" }), "OTHER"),
    );
    expect(res.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await res.text())).toContain("Type de fichier non autorisé : déposez un fichier PDF, JPEG, PNG, ODT ou DOCX.");
    expect(await evidenceCount()).toBe(1);
  });

  it("refuses an executable disguised as a PDF, a missing kind, a missing file and a file over 10 Mo — keeping the stored file", async () => {
    const disguised = await postMultipart(
      `/dossiers/${dossierId}`,
      uploadForm(new File([EXE], "facture.pdf", { type: "application/pdf" }), "OTHER"),
    );
    expect(decodeHtml(await disguised.text())).toContain("Le contenu du fichier n'est pas celui d'un fichier PDF : fichier refusé.");

    const noKind = await postMultipart(`/dossiers/${dossierId}`, uploadForm(new File([PDF], "a.pdf", { type: "application/pdf" }), null));
    expect(decodeHtml(await noKind.text())).toContain("Choisissez le type de pièce.");

    const noFile = await postMultipart(`/dossiers/${dossierId}`, uploadForm(null, "OTHER"));
    expect(decodeHtml(await noFile.text())).toContain("Choisissez un fichier à déposer.");

    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PDF);
    const tooLarge = await postMultipart(`/dossiers/${dossierId}`, uploadForm(new File([big], "gros.pdf", { type: "application/pdf" }), "OTHER"));
    expect(tooLarge.status).toBe(200); // the form again, with its messages
    expect(decodeHtml(await tooLarge.text())).toContain("Le fichier dépasse la taille maximale de 10 Mo.");

    expect(await evidenceCount()).toBe(1);
    expect((await get(evidencePath, secretariat)).status).toBe(200);
  });

  it("refuses a member on the candidate pages, the dossier, its actions and the evidence download", async () => {
    for (const path of ["/candidates", "/candidates/new", `/candidates/${candidateId}`, `/dossiers/${dossierId}`, evidencePath]) {
      const res = await get(path, member);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).not.toContain("%PDF");
    }
    const create = await postForm("/candidates/new", { ...validCandidate, birthName: "Intrus" }, member);
    expect(create.status).toBe(403);
    const status = await postForm(`/dossiers/${dossierId}`, { intent: "status", from: "POSITIONED", to: "WITHDRAWN" }, member);
    expect(status.status).toBe(403);
    const upload = await postMultipart(
      `/dossiers/${dossierId}`,
      uploadForm(new File([PDF], "b.pdf", { type: "application/pdf" }), "OTHER"),
      member,
    );
    expect(upload.status).toBe(403);
    expect(await evidenceCount()).toBe(1);
    expect(await page("/candidates?q=Intrus")).toContain("Aucun candidat ne correspond à votre recherche.");
  });

  it("answers 404 for an evidence id that is not in this dossier", async () => {
    const res = await get(`/dossiers/${dossierId}/pieces/cdoesnotexist000000000000`, secretariat);
    expect(res.status).toBe(404);
  });

  it("deletes an evidence file", async () => {
    const evidenceId = evidencePath.split("/").pop()!;
    const res = await postForm(`/dossiers/${dossierId}`, { intent: "delete-evidence", evidenceId });
    expect(res.status).toBe(302);
    expect(await evidenceCount()).toBe(0);
    expect((await get(evidencePath, secretariat)).status).toBe(404);
    expect(await page(`/dossiers/${dossierId}`)).toContain("Pièce manquante : Pièce d'identité.");
  });

  it("shows the seeded states: a complete dossier, a CQPM missing the company opinion, a VAE not yet admissible", async () => {
    const dossierOf = async (name: string) => {
      const list = await page(`/candidates?q=${encodeURIComponent(name)}`);
      const href = /href="(\/dossiers\/c[a-z0-9]+)"/.exec(list);
      expect(href, name).not.toBeNull();
      return page(href![1]);
    };
    const complete = await dossierOf("MOREAU");
    expect(complete).toContain("Dossier complet : il peut être présenté au jury.");
    const [, seeded, sha256] = /href="(\/dossiers\/c[a-z0-9]+\/pieces\/c[a-z0-9]+)"[\s\S]*?data-testid="sha256">([0-9a-f]{64})</.exec(complete)!;
    const file = new Uint8Array(await (await get(seeded, secretariat)).arrayBuffer());
    expect(new TextDecoder().decode(file.subarray(0, 5))).toBe("%PDF-");
    expect(createHash("sha256").update(file).digest("hex")).toBe(sha256);
    expect(await dossierOf("LEFEBVRE")).toContain("Requis par le référentiel : avis de l'entreprise non saisi.");
    expect(await dossierOf("ROUX")).toContain("Recevabilité pas encore prononcée par le secrétariat.");
  });
  it("exports the candidates as a French spreadsheet reads them: a birth code's leading zero kept, dates JJ/MM/AAAA, one row per candidate for a CSV parser", async () => {
    // Born in Ain: INSEE code 01053, which a spreadsheet would read as the number 1053.
    const ain = {
      ...validCandidate,
      birthName: "Bressan",
      givenNames: "Odile",
      birthDate: "1990-02-01",
      birthCommune: "Bourg-en-Bresse",
      birthDepartment: "01",
      birthCode: "01053",
      email: "odile.bressan@example.fr",
      postalAddress: "2 place Carriat\r\n01000 Bourg-en-Bresse",
    };
    expect((await postForm("/candidates/new", ain)).status).toBe(302);
    const bytes = Buffer.from(await (await get("/exports/candidats.csv", secretariat)).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Python's standard csv module, as Excel reads it: UTF-8 with its BOM, semicolons.
    const parsed = spawnSync(
      "python3",
      ["-c", "import csv,io,json,sys;print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8-sig')),delimiter=';'))))"],
      { input: bytes, encoding: "utf8" },
    );
    expect(parsed.status, parsed.stderr).toBe(0);
    const [header, ...rows] = JSON.parse(parsed.stdout) as string[][];
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
    const odile = rows.filter((r) => r[0] === "BRESSAN");
    expect(odile).toHaveLength(1);
    const column = (name: string) => odile[0]![header!.indexOf(name)];
    // The code as text: a tab first (Excel and LibreOffice then keep 01053), the code itself once trimmed.
    expect(column("Code INSEE de naissance")).toBe("\t01053");
    expect(column("Code INSEE de naissance")!.trim()).toBe("01053");
    expect(column("Date de naissance")).toBe("01/02/1990");
    expect(column("Adresse postale")).toBe("2 place Carriat, 01000 Bourg-en-Bresse");
  });

  it("after the server stops: every change audited in an intact chain, nothing half-written", async () => {
    expect(await server.stop()).toBe(0);
    // The server is gone: this process may open its database.
    await withPrisma(database, async (prisma) => {
      const { verifyAuditChain } = await import("~/platform/audit/verify-audit.server");
      const actor = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.secretariat } });
      const events = await prisma.auditEvent.findMany({
        where: { subjectId: { in: [candidateId, dossierId] } },
        orderBy: { seq: "asc" },
      });
      expect(events.map((e) => e.action)).toEqual([
        "candidate.create",
        "candidate.update",
        "dossier.create",
        "dossier.status.change",
        "dossier.positioning.record",
        "dossier.status.change",
        "evidence.add",
        "evidence.delete",
      ]);
      for (const event of events) {
        expect(event.actorId).toBe(actor.id);
        expect(event.ip).toMatch(/^(::1|127\.0\.0\.1|::ffff:127\.0\.0\.1)$/); // this test's loopback client
      }
      expect(events[1].data).toEqual({ fields: ["usageName"] });
      expect(events.filter((e) => e.action === "dossier.status.change").map((e) => e.data)).toEqual([
        { from: "DRAFT", to: "REGISTERED" },
        { from: "REGISTERED", to: "POSITIONED" },
      ]);
      expect(events[4].data).toMatchObject({ positionedAt: "2024-05-02", acquired: 5, toAcquire: 1 });
      expect(events[6].data).toMatchObject({ kind: "IDENTITY", sha256: createHash("sha256").update(PDF).digest("hex") });
      expect((await verifyAuditChain()).broken).toBeNull();

      // Refused forms left nothing: one candidate, one dossier, no evidence after the deletion, no company opinion.
      expect(await prisma.candidate.count({ where: { birthName: { in: ["VALADIER", "INTRUS"] } } })).toBe(1);
      expect(await prisma.dossier.count({ where: { candidateId } })).toBe(1);
      expect(await prisma.evidence.count({ where: { dossierId } })).toBe(0);
      expect(await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } })).toMatchObject({
        status: "POSITIONED",
        companyOpinionAt: null,
      });
    });
  });
});
