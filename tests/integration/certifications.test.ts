/**
 * Certifications, scheme rules and versioned référentiels, as the secretariat meets them, against the real
 * production server on a fresh database with the demo seed (which holds the certification catalogue).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, type TestDatabase, type TestServer, login, prepareDemoDatabase, startServer } from "../support/server";
import { withPrisma } from "../support/prisma";

const CODE = "RNCP40123";

function validReferential() {
  return {
    format: "quorum-referential",
    formatVersion: 1,
    certification: { code: CODE },
    notes: "Première version",
    blocs: [
      {
        code: `${CODE}BC01`,
        title: "Préparer la production",
        competences: [
          {
            code: "C1",
            statement: "Préparer son poste de travail",
            conditions: "À partir d'un ordre de fabrication",
            modalities: ["SITUATION_PROFESSIONNELLE"],
            criteria: [{ statement: "Le poste est prêt à l'heure", mandatory: true }],
          },
        ],
      },
      {
        code: `${CODE}BC02`,
        title: "Contrôler la qualité",
        competences: [
          {
            code: "C2",
            statement: "Contrôler les produits finis",
            modalities: ["QUESTIONNAIRE", "GRILLE_TUTEUR"],
            criteria: [{ statement: "Les contrôles sont tracés", measurable: true, expected: "100 % tracés" }],
          },
        ],
      },
    ],
  };
}

describe("certifications and référentiels", () => {
  let database: TestDatabase;
  let server: TestServer;
  let secretariat: string;
  let member: string;
  let certificationId = "";
  let versionId = "";
  let expectedScheme: object = {};

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    server = await startServer({ database });
    [secretariat, member] = await Promise.all([
      login(server.baseUrl, DEMO_ACCOUNTS.secretariat),
      login(server.baseUrl, DEMO_ACCOUNTS.membre1),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  const get = (path: string, cookie = secretariat) =>
    fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });

  const post = (path: string, fields: Record<string, string | string[]>, cookie = secretariat) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
  };

  const upload = (path: string, json: string, cookie = secretariat) => {
    const form = new FormData();
    form.append("file", new Blob([json], { type: "application/json" }), "referentiel.json");
    return fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: form,
    });
  };

  /** React escapes apostrophes and separates interpolated text with comments; compare on the decoded text. */
  /** The values a browser would send back from the scheme form of the page at `path`, as the page shows them. */
  const formValues = async (path: string) => {
    const page = await html(await get(path));
    const form = /<form[^>]*\sid="scheme"[^>]*>([\s\S]*?)<\/form>/.exec(page)![1];
    const values: Record<string, string | string[]> = {};
    const add = (name: string, value: string) => {
      const previous = values[name];
      values[name] = previous === undefined ? value : [previous, value].flat();
    };
    const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const decode = (v: string) => v.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
    for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(tag, "name");
      if (!name) continue;
      const type = attr(tag, "type") ?? "text";
      if ((type === "checkbox" || type === "radio") && !/\schecked(=|\s|>|\/)/.test(tag)) continue;
      add(name, decode(attr(tag, "value") ?? (type === "checkbox" ? "on" : "")));
    }
    for (const [, open, body] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(open, "name");
      const selected = /<option[^>]*value="([^"]*)"[^>]*\sselected/.exec(body) ?? /<option[^>]*value="([^"]*)"/.exec(body);
      if (name && selected) add(name, decode(selected[1]));
    }
    return values;
  };

  const html = async (res: Response) =>
    (await res.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"');

  const identity = (overrides: Record<string, string> = {}) => ({
    kind: "CQP",
    code: CODE,
    title: "CQP Opérateur(trice) de production de démonstration",
    nationalLevel: "3",
    eqfLevel: "3",
    nsfCodes: "200, 221",
    decisionDate: "2024-06-27",
    certifierName: "CPNEF de démonstration",
    certifierSignatory: "Pierre Président",
    ...overrides,
  });

  it("lists the demo catalogue", async () => {
    const res = await get("/certifications");
    expect(res.status).toBe(200);
    const page = await html(res);
    for (const title of ["CQP Assistant(e) de formation", "CléA", "CQPM Opérateur", "ligne de production alimentaire"]) {
      expect(page).toContain(title);
    }
  });

  it("refuses a wrong code with a French error at the field, creating nothing", async () => {
    const res = await post("/certifications/new", identity({ code: "RNCP12" }));
    expect(res.status).toBe(200); // the form again, with its messages
    const page = await html(res);
    expect(page).toContain("Un code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres");
    expect(page).toMatch(/aria-invalid="true"[^>]*name="code"|name="code"[^>]*aria-invalid="true"/);

    const clea = await post("/certifications/new", identity({ kind: "CLEA", code: "RNCP40124" }));
    expect(await html(clea)).toContain("CléA est enregistrée au répertoire spécifique");

    const nsf = await post("/certifications/new", identity({ nsfCodes: "22" }));
    expect(await html(nsf)).toContain("« 22 » n'est pas un code NSF");

    const list = await html(await get("/certifications"));
    expect(list).not.toContain("Opérateur(trice) de production de démonstration");
  });

  it("creates the certification with a right code, then refuses the same code twice", async () => {
    const res = await post("/certifications/new", identity({ code: " rncp 40123 " }));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "", server.baseUrl);
    const match = /^\/certifications\/([^/]+)$/.exec(location.pathname);
    expect(match).not.toBeNull();
    certificationId = match![1];

    const page = await html(await get(`/certifications/${certificationId}`));
    expect(page).toContain("CQP Opérateur(trice) de production de démonstration");
    expect(page).toContain(CODE);
    expect(page).toContain("Aucune version du référentiel");
    // The usual starting rules of a CQP.
    expect(page).toContain("Acquis / Partiellement acquis / Non acquis");

    const again = await post("/certifications/new", identity());
    expect(await html(again)).toContain("Une certification de votre organisation porte déjà ce code.");
  });

  // A CQPM known by its branch's own number, registered at France Compétences under an RNCP (then RS) code of its own.
  const BRANCH = { kind: "CQPM", code: "MQ 2026 01 69 0042", title: "CQPM Technicien(ne) de maintenance enregistré(e)" };
  let branchId = "";
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  /** The titles of the certifications the list finds for `q`. */
  const found = async (q: string) =>
    [...(await html(await get(`/certifications?q=${encodeURIComponent(q)}`))).matchAll(/<td[^>]*><a[^>]*href="\/certifications\/[a-z0-9]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);

  it("refuses an invalid registration code at its field in French, creating nothing", async () => {
    for (const [typed, message] of [
      ["RNCP12", "Un code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres, sans autre caractère (ex. RNCP38544)."],
      ["RS50A", "Un code RS s'écrit « RS » suivi de chiffres uniquement (ex. RS5080)."],
      ["38544", "Code d'enregistrement invalide : saisissez le code RNCP (RNCP + 3 à 5 chiffres, ex. RNCP38544) ou RS (RS + chiffres, ex. RS5080) de France compétences."],
    ]) {
      const res = await post("/certifications/new", identity({ ...BRANCH, registrationCode: typed }));
      expect(res.status).toBe(200); // the form again, with its message at the registration field
      const page = await html(res);
      expect(page).toMatch(new RegExp(`id="certification-registrationCode-error"[^>]*>[^<]*${escapeRegExp(message)}<`));
      expect(page).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="registrationCode"|<input[^>]*name="registrationCode"[^>]*aria-invalid="true"/);
      expect(page).toMatch(new RegExp(`<input[^>]*name="registrationCode"[^>]*value="${typed}"`));
    }
    expect(await found("maintenance enregistre")).toEqual([]);
  });

  it("creates a branch certification with its registration, shown on its page and found by it in the searches", async () => {
    const res = await post("/certifications/new", identity({ ...BRANCH, registrationCode: " rncp 41234 " }));
    expect(res.status).toBe(302);
    branchId = /^\/certifications\/([^/?]+)/.exec(new URL(res.headers.get("location") ?? "", server.baseUrl).pathname)![1];
    const page = await html(await get(`/certifications/${branchId}`));
    expect(page).toContain(
      'Enregistrement RNCP ou RS : <span class="font-mono">RNCP41234</span> (Répertoire national des certifications professionnelles)',
    );
    expect(page).toMatch(/<input[^>]*name="registrationCode"[^>]*value="RNCP41234"/);
    // The secretariat types the RNCP number, whole or its digits: the list finds the certification.
    for (const q of ["RNCP41234", "41234", "rncp 41234"]) expect(await found(q)).toEqual([BRANCH.title]);
    expect(await found("41235")).toEqual([]);
    expect(await html(await get("/certifications?q=41234"))).toContain("Enregistrement : RNCP41234");
    // The habilitations' search too: a person habilitated for it is found by its registration.
    const habilitations = await html(await get("/habilitations"));
    const userId = /<option value="([^"]+)"[^>]*>[^<]*\(membre1@quorum\.test\)</.exec(habilitations)![1];
    const created = await post("/habilitations", { intent: "create", userId, certificationId: branchId, validFrom: "2026-01-01", validUntil: "2030-12-31" });
    expect(created.status).toBe(302);
    expect(await html(await get("/habilitations?q=41234"))).toContain(`${BRANCH.title} (${BRANCH.code})`);
    expect(await html(await get("/habilitations?q=41235"))).toContain("Aucune habilitation ne correspond à « 41235 ».");
  });

  it("edits the registration on the certification's page: refused at its field, then saved, shown and searched by", async () => {
    const edit = (registrationCode: string) => post(`/certifications/${branchId}`, { intent: "identity", ...identity({ ...BRANCH, registrationCode }) });
    const bad = await edit("RS 50 80 B");
    expect(bad.status).toBe(200);
    expect(await html(bad)).toMatch(/id="certification-registrationCode-error"[^>]*>[^<]*Un code RS s'écrit « RS » suivi de chiffres uniquement \(ex\. RS5080\)\.</);
    expect(await html(await get(`/certifications/${branchId}`))).toContain('<span class="font-mono">RNCP41234</span>');

    expect((await edit("rs6123")).status).toBe(302);
    const page = await html(await get(`/certifications/${branchId}`));
    expect(page).toContain('Enregistrement RNCP ou RS : <span class="font-mono">RS6123</span> (Répertoire spécifique)');
    expect(await found("RS6123")).toEqual([BRANCH.title]);
    expect(await found("41234")).toEqual([]);
    expect(await html(await get("/habilitations?q=rs6123"))).toContain(`${BRANCH.title} (${BRANCH.code})`);

    // Emptied: the page says it is missing and where to enter it; the search no longer finds it by the old code.
    expect((await edit("")).status).toBe(302);
    expect(await html(await get(`/certifications/${branchId}`))).toContain("Enregistrement RNCP ou RS : non renseigné");
    expect(await found("RS6123")).toEqual([]);
    expect(await found("maintenance enregistre")).toEqual([BRANCH.title]);
  });

  it("refuses an invalid référentiel file with every error located, importing nothing", async () => {
    const doc = validReferential() as ReturnType<typeof validReferential> & { blocs: Array<Record<string, unknown>> };
    doc.blocs[0].code = "RNCP40123BC1";
    delete (doc.blocs[1].competences as Array<Record<string, unknown>>)[0].code;
    (doc.blocs[1].competences as Array<Record<string, unknown>>)[0].criteria = [];
    const res = await upload(`/certifications/${certificationId}/import`, JSON.stringify(doc));
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(page).toContain("Import refusé (referentiel.json) : 3 erreurs, rien n'a été importé.");
    expect(page).toContain("blocs[0].code : code de bloc invalide : attendu RNCP40123BC suivi de 2 chiffres");
    expect(page).toContain("blocs[1].competences[0].code : code obligatoire");
    expect(page).toContain("blocs[1].competences[0].criteria : critères : au moins un élément est attendu");

    const syntax = await upload(`/certifications/${certificationId}/import`, '{ "blocs": [ }');
    expect(await html(syntax)).toContain("fichier : le fichier n'est pas un JSON valide : caractère inattendu « } » (ligne 1, colonne 14)");

    // Keys named like an object's own members are unknown fields like any other (a 500 before).
    const members = await upload(`/certifications/${certificationId}/import`, '{ "__proto__": { "x": 1 }, "constructor": 1, "toString": 2 }');
    expect(members.status).toBe(400);
    const membersPage = await html(members);
    for (const key of ["__proto__", "constructor", "toString"]) expect(membersPage).toContain(`${key} : champ inconnu`);

    // Nested 20,000 levels deep, a NUL, a bidi override: located French errors, never a 500 (a RangeError, PostgreSQL's
    // refusal of 0x00 before).
    const nested = JSON.stringify(validReferential()).replace('"modalities":[', `"modalities":[${"[".repeat(20_000)}${"]".repeat(20_000)},`);
    const deep = await upload(`/certifications/${certificationId}/import`, nested);
    expect(deep.status).toBe(400);
    expect(await html(deep)).toMatch(/blocs\[0\]\.competences\[0\]\.modalities(\[0\])+ : imbrication trop profonde \(16 niveaux de listes et d'objets au plus\)/);
    const unsafe = validReferential();
    unsafe.blocs[0].competences[0].statement = "abc\u0000def";
    unsafe.notes = "Première \u202Eversion";
    const characters = await upload(`/certifications/${certificationId}/import`, JSON.stringify(unsafe));
    expect(characters.status).toBe(400);
    const charactersPage = await html(characters);
    expect(charactersPage).toContain("Import refusé (referentiel.json) : 2 erreurs, rien n'a été importé.");
    expect(charactersPage).toContain("notes : notes : Caractères invisibles ou de contrôle refusés");
    expect(charactersPage).toContain("blocs[0].competences[0].statement : énoncé : Caractères invisibles ou de contrôle refusés");

    expect(await html(await get(`/certifications/${certificationId}`))).toContain("Aucune version du référentiel");
  });

  it("imports a valid file as a draft version", async () => {
    const res = await upload(`/certifications/${certificationId}/import`, JSON.stringify(validReferential()));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "", server.baseUrl);
    const match = /\/versions\/([^/]+)$/.exec(location.pathname);
    expect(match).not.toBeNull();
    versionId = match![1];

    const page = await html(await get(`/certifications/${certificationId}/versions/${versionId}`));
    expect(page).toContain("Référentiel — version 1");
    expect(page).toContain("Brouillon");
    expect(page).toContain("Préparer son poste de travail");
    expect(page).toContain("Attendu : 100 % tracés");
    expect(page).toContain("Publier cette version");

    // One draft at a time.
    const second = await upload(`/certifications/${certificationId}/import`, JSON.stringify(validReferential()));
    expect(await html(second)).toContain("La version 1 est encore un brouillon");
  });

  it("edits the draft, with French errors at the field", async () => {
    const version = await html(await get(`/certifications/${certificationId}/versions/${versionId}`));
    const blocId = /name="blocId" value="([^"]+)"/.exec(version)![1];
    const bad = await post(`/certifications/${certificationId}/versions/${versionId}`, {
      intent: "save-bloc",
      blocId,
      code: "RNCP99999BC01",
      title: "Préparer la production",
    });
    expect(bad.status).toBe(400);
    expect(await html(bad)).toContain("ce bloc appartient à une autre certification");
    // A title that an override would print reversed in the grids and parchemins: refused at its field.
    const reversed = await post(`/certifications/${certificationId}/versions/${versionId}`, {
      intent: "save-bloc",
      blocId,
      code: `${CODE}BC01`,
      title: "Préparer \u202Enoitcudorp al",
    });
    expect(reversed.status).toBe(400);
    expect(await html(reversed)).toContain("Caractères invisibles ou de contrôle refusés");
    // A bloc's code and title are one line (the parchemin's « bloc X » mention, the exports).
    for (const fields of [{ code: `${CODE}\nBC01`, title: "Préparer la production" }, { code: `${CODE}BC01`, title: "Préparer\r\nla production" }]) {
      const broken = await post(`/certifications/${certificationId}/versions/${versionId}`, { intent: "save-bloc", blocId, ...fields });
      expect(broken.status).toBe(400);
      expect(await html(broken)).toContain("Ce texte tient sur une ligne : retirez le retour à la ligne.");
    }

    const ok = await post(`/certifications/${certificationId}/versions/${versionId}`, {
      intent: "save-bloc",
      blocId,
      code: `${CODE}BC01`,
      title: "Préparer et lancer la production",
    });
    expect(ok.status).toBe(302);
    expect(await html(await get(`/certifications/${certificationId}/versions/${versionId}`))).toContain(
      "Préparer et lancer la production",
    );
  });

  it("publishes the draft only once confirmed, then refuses any edit of the published version", async () => {
    // Irreversible: without the confirmation box checked, the server refuses at that box, in French, and the draft stays.
    const unconfirmedForms: Array<Record<string, string>> = [{ intent: "publish" }, { intent: "publish", confirm: "" }, { intent: "publish", confirm: "non" }];
    for (const fields of unconfirmedForms) {
      const unconfirmed = await post(`/certifications/${certificationId}/versions/${versionId}`, fields);
      expect(unconfirmed.status).toBe(400);
      const page = await html(unconfirmed);
      expect(page).toContain(
        "Cochez la confirmation pour publier : une fois publiée, la version est figée et ne pourra plus être modifiée ni supprimée.",
      );
      expect(page).toMatch(/<input[^>]*name="confirm"[^>]*aria-invalid="true"/);
    }
    const still = await html(await get(`/certifications/${certificationId}/versions/${versionId}`));
    expect(still).toContain("Brouillon");
    expect(still).toContain("Publier cette version");
    expect(still).toContain("Je confirme la publication de la version 1 : elle sera figée définitivement.");

    const publish = await post(`/certifications/${certificationId}/versions/${versionId}`, { intent: "publish", confirm: "yes" });
    expect(publish.status).toBe(302);
    const before = await html(await get(`/certifications/${certificationId}/versions/${versionId}`));
    expect(before).toContain("Publiée");
    expect(before).not.toContain("Publier cette version");
    const blocId = /id="bloc-([^"]+)"/.exec(before)![1];

    const edit = await post(`/certifications/${certificationId}/versions/${versionId}`, {
      intent: "save-bloc",
      blocId,
      code: `${CODE}BC01`,
      title: "Titre modifié après publication",
    });
    expect(edit.status).toBe(409);
    expect(await html(edit)).toContain("Cette version du référentiel est publiée : elle ne peut plus être modifiée.");

    const attempts: Array<Record<string, string>> = [
      { intent: "delete-bloc", blocId },
      { intent: "save-bloc", code: `${CODE}BC03`, title: "Bloc ajouté" },
      { intent: "notes", notes: "Notes modifiées" },
      { intent: "publish" },
      { intent: "delete-version" },
    ];
    for (const fields of attempts) {
      const res = await post(`/certifications/${certificationId}/versions/${versionId}`, fields);
      expect(res.status, fields.intent).toBe(409);
    }
    const after = await html(await get(`/certifications/${certificationId}/versions/${versionId}`));
    expect(after).not.toContain("Titre modifié après publication");
    expect(after).not.toContain("Bloc ajouté");
    expect(after).toContain("Préparer et lancer la production");
  });

  it("exports the published version as JSON that imports back", async () => {
    const res = await get(`/certifications/${certificationId}/versions/${versionId}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("content-disposition")).toContain(`${CODE}-referentiel-v1.json`);
    const doc = (await res.json()) as { version: number; publishedAt: string | null; blocs: Array<{ code: string; title: string }> };
    expect(doc.version).toBe(1);
    expect(doc.publishedAt).not.toBeNull();
    expect(doc.blocs.map((b) => b.title)).toEqual(["Préparer et lancer la production", "Contrôler la qualité"]);
  });

  it("creates a new version as a draft copy of the latest, the published one staying unchanged", async () => {
    const res = await post(`/certifications/${certificationId}`, { intent: "new-version" });
    expect(res.status).toBe(302);
    const draftPath = new URL(res.headers.get("location") ?? "", server.baseUrl).pathname;
    const draft = await html(await get(draftPath));
    expect(draft).toContain("Référentiel — version 2");
    expect(draft).toContain("Brouillon");
    expect(draft).toContain("Préparer et lancer la production");
    const blocId = /name="blocId" value="([^"]+)"/.exec(draft)![1];
    const edit = await post(draftPath, { intent: "save-bloc", blocId, code: `${CODE}BC01`, title: "Bloc de la version 2" });
    expect(edit.status).toBe(302);
    expect(await html(await get(draftPath))).toContain("Bloc de la version 2");
    expect(await html(await get(`/certifications/${certificationId}/versions/${versionId}`))).not.toContain(
      "Bloc de la version 2",
    );
    // The certification's code is frozen now that versions refer to it.
    const rename = await post(`/certifications/${certificationId}`, { intent: "identity", ...identity({ code: "RNCP40999" }) });
    expect(await html(rename)).toContain("Le code ne peut plus changer");
  });

  it("saves scheme rules, refusing inconsistent ones at the field", async () => {
    const rules = {
      scale: "marks",
      marksMax: "20",
      marksStep: "0.5",
      marksPassMark: "10",
      marksWeights: "C1 = 2",
      marksThresholds: "",
      blocRule: "weightedAverage",
      blocPassMark: "10",
      everyCompetenceMustPass: "on",
      finalPassMark: "25",
      partialAllowed: "on",
      commentRequired: "notPositive",
      partialValidity: "life",
      companyOpinionRequired: "on",
      vaeMinExperienceMonths: "36",
      juryMinPerCollege: "2",
      juryMinTotal: "4",
      juryProxiesAllowed: "on",
      juryProxiesMaxPerHolder: "1",
      juryCastingVote: "president",
      juryVoteModes: ["consensus", "open", "secret"],
      juryDefaultVoteMode: "open",
      juryMajorityBase: "present",
      juryDecisionGranularity: "bloc",
      juryAppealsAllowed: "on",
      juryAppealDeadlineDays: "60",
    };
    const bad = await post(`/certifications/${certificationId}/scheme`, rules);
    expect(bad.status).toBe(200); // the form again, with its messages
    expect(await html(bad)).toContain("La moyenne finale exigée ne peut dépasser 20.");

    const ok = await post(`/certifications/${certificationId}/scheme`, { ...rules, finalPassMark: "12" });
    expect(ok.status).toBe(302);
    const page = await html(await get(`/certifications/${certificationId}`));
    expect(page).toContain("Notes sur 20 (pas de 0,5), compétence acquise à partir de 10, 1 coefficient(s)");
    expect(page).toContain("Moyenne pondérée du bloc ≥ 10, chaque compétence à son seuil");
    expect(page).toContain("Tous les blocs acquis, moyenne finale ≥ 12");
    expect(page).toContain("Blocs acquis valables à vie");
    expect(page).toContain("36 mois");
    expect(page).toContain("procurations admises");
  });

  it("saves the jury, vote, appeal and evaluator settings, and keeps them when the page is saved again untouched", async () => {
    const path = `/certifications/${certificationId}/scheme`;
    const changed: Record<string, string | string[]> = {
      ...(await formValues(path)),
      juryEqualColleges: "on",
      juryProxiesAllowed: "on",
      juryProxiesMaxPerHolder: "3",
      juryCastingVote: "employerChair",
      juryVoteModes: ["open", "secret"],
      juryDefaultVoteMode: "secret",
      juryMajorityBase: "presentOrRepresented",
      juryDecisionGranularity: "competence",
      juryMembersSignDecision: "on",
      juryCpneValidation: "on",
      juryAppealDeadlineDays: "30",
      juryMembersSignMinutes: "on",
      evaluatorPairRequired: "on",
      observersMayDownloadIdentity: "on",
    };
    delete changed.juryAppealsAllowed; // unticked
    const expected = {
      evaluatorPairRequired: true,
      observersMayDownloadIdentity: true,
      jury: {
        equalColleges: true,
        proxiesAllowed: true,
        proxiesMaxPerHolder: 3,
        castingVote: "employerChair",
        voteModes: ["open", "secret"],
        defaultVoteMode: "secret",
        majorityBase: "presentOrRepresented",
        decisionGranularity: "competence",
        membersSignDecision: true,
        cpneValidation: true,
        appealsAllowed: false,
        appealDeadlineDays: 30,
        membersSignMinutes: true,
      },
    };

    // A default mode outside the admitted ones is refused at its field; nothing is stored.
    const bad = await post(path, { ...changed, juryVoteModes: ["open"] });
    expect(bad.status).toBe(200);
    expect(await html(bad)).toContain("Le mode de décision proposé doit faire partie des modes admis.");

    expect((await post(path, changed)).status).toBe(302);
    const summary = await html(await get(`/certifications/${certificationId}`));
    expect(summary).toContain("3 au plus par membre");
    expect(summary).toContain("Compétence par compétence");
    expect(summary).toContain("Fiches de décision : président et membres");
    expect(summary).toContain("Binôme professionnel du secteur et évaluateur externe");

    // The page shows the stored settings; saving it untouched keeps every one of them (it used to reset them).
    const shown = await formValues(path);
    expect(shown).toEqual(changed);
    expect((await post(path, shown)).status).toBe(302);
    expect(await formValues(path)).toEqual(changed);
    expectedScheme = expected;
  });

  it("gives a member 403 on every certification page and action", async () => {
    for (const path of [
      "/certifications",
      "/certifications/new",
      `/certifications/${certificationId}`,
      `/certifications/${certificationId}/scheme`,
      `/certifications/${certificationId}/import`,
      `/certifications/${certificationId}/versions/${versionId}`,
      `/certifications/${certificationId}/versions/${versionId}/export`,
    ]) {
      expect((await get(path, member)).status, path).toBe(403);
    }
    const create = await post("/certifications/new", identity({ code: "RNCP40777" }), member);
    expect(create.status).toBe(403);
    const edit = await post(`/certifications/${certificationId}`, { intent: "new-version" }, member);
    expect(edit.status).toBe(403);
    const imported = await upload(`/certifications/${certificationId}/import`, JSON.stringify(validReferential()), member);
    expect(imported.status).toBe(403);
  });

  it("answers 404 for a certification that is not the organisation's", async () => {
    expect((await get("/certifications/not-a-certification")).status).toBe(404);
    expect((await get(`/certifications/${certificationId}/versions/not-a-version`)).status).toBe(404);
  });

  it("after the server stops: every change audited in an intact chain, refused ones left nothing", async () => {
    expect(await server.stop()).toBe(0);
    // The server is gone: this process may open its database.
    await withPrisma(database, async (prisma) => {
      const { verifyAuditChain } = await import("~/platform/audit/verify-audit.server");
      const actor = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.secretariat } });
      const versions = await prisma.referentialVersion.findMany({
        where: { certificationId },
        orderBy: { version: "asc" },
        select: { id: true, version: true, publishedAt: true, blocs: { orderBy: { position: "asc" }, select: { id: true, title: true } } },
      });
      expect(versions.map((v) => [v.version, v.publishedAt !== null])).toEqual([
        [1, true],
        [2, false],
      ]);
      expect(versions[0].blocs.map((b) => b.title)).toEqual(["Préparer et lancer la production", "Contrôler la qualité"]);

      const { organisationId } = await prisma.certification.findUniqueOrThrow({ where: { id: certificationId } });
      const subjects = [certificationId, ...versions.map((v) => v.id), ...versions.flatMap((v) => v.blocs.map((b) => b.id))];
      const events = await prisma.auditEvent.findMany({ where: { subjectId: { in: subjects } }, orderBy: { seq: "asc" } });
      expect(events.map((e) => e.action)).toEqual([
        "certification.create",
        "referential.import",
        "referential.bloc.update",
        "referential.publish",
        "referential.version.create",
        "referential.bloc.update",
        "certification.scheme.update",
        "certification.scheme.update", // the new settings; saving them again untouched recorded nothing
      ]);
      for (const event of events) {
        expect(event.actorId).toBe(actor.id);
        expect(event.organisationId).toBe(organisationId);
      }
      expect(events[1].data).toMatchObject({ version: 1, fileName: "referentiel.json", blocs: 2, competences: 2 });
      expect(events[4].data).toMatchObject({ version: 2, copiedFrom: { id: versions[0].id, version: 1 } });
      expect((await verifyAuditChain()).broken).toBeNull();

      // Refused forms and files left nothing behind.
      expect(await prisma.certification.count({ where: { code: { in: ["RNCP12", "RNCP40124", "RNCP40777", "RNCP40999"] } } })).toBe(0);
      expect(await prisma.certification.count({ where: { code: CODE } })).toBe(1);
      const scheme = (await prisma.certification.findUniqueOrThrow({ where: { id: certificationId } })).scheme;
      expect(scheme).toMatchObject({ scale: { kind: "marks", weights: { C1: 2 } }, aggregation: { finalPassMark: 12 } });
      expect(scheme).toMatchObject(expectedScheme);
    });
  });
});
