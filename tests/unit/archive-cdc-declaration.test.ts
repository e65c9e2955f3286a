import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildDeclaration,
  declarationGapList,
  declarationGaps,
  escapeXml,
  holderFromIdentity,
  parisTimestamp,
  passageIdOf,
  settingsErrors,
  type CdcPassage,
} from "~/archive/cdc/declaration";
import { cdcSchema, prepareDeclaration, validateAgainstCdcSchema } from "~/archive/cdc/validate-declaration.server";

const settings = { emitterIdClient: "12ABC345", certifierIdClient: "12ABC345", contractId: "MCFCER000123" };
const now = new Date("2026-12-02T14:30:00Z");

const elodie: CdcPassage = {
  idTechnique: passageIdOf("rec_elodie"),
  certificationCode: "RNCP38544",
  deliveredOn: "2026-06-30",
  validUntil: null,
  accessMode: "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
  holder: {
    birthName: "Martin",
    usageName: "Durand-Martin",
    givenNames: "Élodie Marie, Anne Sophie",
    sex: "F",
    birthDate: "1990-03-07",
    birthCommuneCode: "2a004",
    birthCommuneName: "Ajaccio",
  },
};
const karl: CdcPassage = {
  idTechnique: passageIdOf("rec_karl"),
  certificationCode: "RS5875",
  deliveredOn: "2026-09-15",
  validUntil: "2031-09-15",
  accessMode: "VAE",
  holder: {
    birthName: "O'Neil & <Schmidt>",
    givenNames: "Karl",
    sex: "M",
    birthDate: "1985-11-23",
    birthCountryCode: "99109",
    birthCountryName: "Allemagne",
  },
};
const noSex: CdcPassage = { ...elodie, idTechnique: passageIdOf("rec_nosex"), holder: { ...elodie.holder, sex: "" } };
const noBirthCode: CdcPassage = {
  ...elodie,
  idTechnique: passageIdOf("rec_nocode"),
  holder: { ...elodie.holder, birthName: "Petit", givenNames: "Léa", birthCommuneCode: null, birthCountryCode: null },
};

const tmp = mkdtempSync(path.join(tmpdir(), "quorum-cdc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Debian's libxml2 command line, independent of the WebAssembly build used by the application. */
function xmllintCli(xml: string): { ok: boolean; output: string } {
  const xsdFile = path.join(tmp, "cdc-pc5.xsd");
  const xmlFile = path.join(tmp, `declaration-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(xsdFile, cdcSchema);
  writeFileSync(xmlFile, xml);
  const run = spawnSync("xmllint", ["--noout", "--schema", xsdFile, xmlFile], { encoding: "utf8" });
  if (run.error) throw run.error; // xmllint missing: apt-get install -y libxml2-utils
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe("declaration of holders to the Caisse des Dépôts", () => {
  it("the file for sample holders validates against the shipped XSD (xmllint-wasm and xmllint --schema)", async () => {
    const declaration = buildDeclaration({ settings, passages: [elodie, karl], idFlux: "flux-0001", now });
    expect(declaration.notDeclarable).toEqual([]);
    expect(declaration.included).toEqual([elodie.idTechnique, karl.idTechnique]);
    expect(await validateAgainstCdcSchema(declaration.xml)).toEqual({ valid: true, errors: [] });
    const cli = xmllintCli(declaration.xml);
    expect(cli.output).toContain("validates");
    expect(cli.ok).toBe(true);
  });

  it("writes the elements Pix's export writes, in the schema's order, escaped", () => {
    const { xml } = buildDeclaration({ settings, passages: [elodie, karl], idFlux: "flux-0001", now });
    expect(xml).toContain('<cpf:flux xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0"');
    expect(xml).toContain("<cpf:horodatage>2026-12-02T15:30:00+01:00</cpf:horodatage>");
    const order = [
      "idTechnique",
      "obtentionCertification",
      "donneeCertifiee",
      "dateDebutValidite",
      "dateFinValidite",
      "presenceNiveauLangueEuro",
      "presenceNiveauNumeriqueEuro",
      "scoring",
      "mentionValidee",
      "modalitesInscription",
      "identificationTitulaire",
      "nomNaissance",
      "nomUsage",
      "prenom1",
      "prenom2",
      "prenom3",
      "anneeNaissance",
      "moisNaissance",
      "jourNaissance",
      "sexe",
      "codeCommuneNaissance",
    ];
    const first = xml.slice(xml.indexOf("<cpf:passageCertification>"));
    const positions = order.map((name) => first.indexOf(`<cpf:${name}`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(xml).toContain("<cpf:nomNaissance>MARTIN</cpf:nomNaissance><cpf:nomUsage>DURAND-MARTIN</cpf:nomUsage>");
    expect(xml).toContain("<cpf:prenom1>Élodie</cpf:prenom1><cpf:prenom2>Marie</cpf:prenom2><cpf:prenom3>Anne Sophie</cpf:prenom3>");
    expect(xml).toContain("<cpf:codeInsee>2A004</cpf:codeInsee>");
    expect(xml).toContain('<cpf:dateFinValidite xsi:nil="true"/>');
    expect(xml).toContain("<cpf:dateFinValidite>2031-09-15</cpf:dateFinValidite>");
    expect(xml).toContain("<cpf:nomNaissance>O&apos;NEIL &amp; &lt;SCHMIDT&gt;</cpf:nomNaissance>");
    expect(xml).toContain('<cpf:codePostal xsi:nil="true"/></cpf:codePostalNaissance></cpf:codeCommuneNaissance><cpf:codePaysNaissance>99109');
    expect(xml).toContain("<cpf:type>RS</cpf:type><cpf:code>RS5875</cpf:code>");
  });

  it("an empty sex is refused before the XML: the holder is listed with what is missing and left out", async () => {
    expect(declarationGaps(noSex)).toEqual(["sexe"]);
    const prepared = await prepareDeclaration({ settings, passages: [elodie, noSex, noBirthCode], idFlux: "flux-0002", now });
    expect(prepared.included).toEqual([elodie.idTechnique]);
    expect(prepared.notDeclarable).toEqual([
      { idTechnique: noSex.idTechnique, holder: "Élodie Marie Anne Sophie MARTIN", missing: ["sexe"] },
      {
        idTechnique: noBirthCode.idTechnique,
        holder: "Léa PETIT",
        missing: ["code INSEE de la commune de naissance (ou du pays, si né à l'étranger)"],
      },
    ]);
    expect(prepared.file!.xml).not.toContain(noSex.idTechnique);
    expect(prepared.file!.name).toBe("accrochage-12ABC345-20261202-143000.xml");
    // Had it gone through, the schema would have made the whole file unusable (Pix's classic error).
    const forced = buildDeclaration({ settings, passages: [elodie], idFlux: "flux-0003", now }).xml.replace(
      "<cpf:sexe>F</cpf:sexe>",
      "<cpf:sexe></cpf:sexe>",
    );
    const wasm = await validateAgainstCdcSchema(forced);
    expect(wasm.valid).toBe(false);
    expect(wasm.errors.join("\n")).toContain("sexe");
    expect(xmllintCli(forced).ok).toBe(false);
  });

  it("lists every gap of a holder and refuses bad codes with French messages", () => {
    const empty: CdcPassage = {
      idTechnique: "x",
      certificationCode: "CQP-42",
      deliveredOn: "2026-02-30",
      validUntil: null,
      holder: { birthName: " ", givenNames: "", sex: null, birthDate: null, birthCommuneCode: "20004" },
    };
    expect(declarationGaps(empty)).toEqual([
      "code RNCP ou RS de la certification",
      "date de délivrance",
      "nom de naissance",
      "prénom",
      "sexe",
      "date de naissance",
      "code INSEE de la commune de naissance valide (En Corse, le code commence par 2A (Corse-du-Sud) ou 2B (Haute-Corse).)",
    ]);
    expect(buildDeclaration({ settings, passages: [empty], idFlux: "f", now })).toMatchObject({ xml: "", included: [] });
  });

  it("says where each gap is put right: the holder's form at its field, the certification's code, or Quorum's administration", () => {
    const empty: CdcPassage = {
      idTechnique: "x y",
      certificationCode: "MQ 2006 05 69 0262",
      deliveredOn: "2026-02-30",
      validUntil: null,
      holder: { birthName: " ", givenNames: "", sex: null, birthDate: null, birthCommuneCode: "20004", usageName: "X".repeat(61) },
    };
    expect(declarationGapList(empty).map((g) => [g.label.split(" (")[0], g.fix])).toEqual([
      ["code RNCP ou RS de la certification", { on: "certification", field: "registrationCode" }],
      ["date de délivrance", { on: "quorum" }],
      ["identifiant technique du passage", { on: "quorum" }],
      ["nom de naissance", { on: "candidate", field: "birthName" }],
      ["prénom", { on: "candidate", field: "givenNames" }],
      ["nom d'usage de 60 caractères au plus", { on: "candidate", field: "usageName" }],
      ["sexe", { on: "candidate", field: "sex" }],
      ["date de naissance", { on: "candidate", field: "birthDate" }],
      ["code INSEE de la commune de naissance valide", { on: "candidate", field: "birthCode" }],
    ]);
    // The certification's code alone: its only way out is the certification's form, not the holder's — for a branch
    // number (frozen once versions exist), its RNCP or RS registration beside it; for a malformed code, the code itself.
    expect(declarationGapList({ ...elodie, certificationCode: "MQ 2006 05 69 0262" })).toEqual([
      { label: "code RNCP ou RS de la certification", fix: { on: "certification", field: "registrationCode" } },
    ]);
    expect(declarationGapList({ ...elodie, certificationCode: "rncp-12" })).toEqual([
      { label: "code RNCP ou RS de la certification", fix: { on: "certification", field: "code" } },
    ]);
    expect(declarationGaps(empty)).toEqual(declarationGapList(empty).map((g) => g.label));
  });

  it("keeps the same idTechnique when a passage is resent, and never twice in one file", () => {
    expect(passageIdOf("rec_elodie")).toBe(passageIdOf("rec_elodie"));
    const first = buildDeclaration({ settings, passages: [elodie], idFlux: "flux-a", now });
    const resent = buildDeclaration({ settings, passages: [elodie, elodie], idFlux: "flux-b", now });
    expect(resent.included).toEqual(first.included);
    expect(resent.notDeclarable[0].missing).toEqual(["passage en double dans le fichier"]);
    expect(resent.xml).toContain(`<cpf:idTechnique>${elodie.idTechnique}</cpf:idTechnique>`);
  });

  it("refuses unusable organisation settings and control characters", () => {
    expect(settingsErrors({ emitterIdClient: "12abc345", certifierIdClient: "12ABC345", contractId: "MCF123" })).toEqual({
      emitterIdClient: "Identifiant client émetteur attendu sous la forme 12ABC345.",
      certifierIdClient: undefined,
      contractId: "Numéro de contrat attendu sous la forme MCFCER000123.",
    });
    expect(() => buildDeclaration({ settings: { ...settings, contractId: "X" }, passages: [elodie], idFlux: "f", now })).toThrow(
      "MCFCER000123",
    );
    expect(() => escapeXml("a\u0001b")).toThrow();
  });

  it("takes the holder from a candidate's stored identity and INSEE birth code", async () => {
    const identity = {
      birthName: "BERNARD",
      usageName: null,
      givenNames: "Zoé",
      sex: "F",
      birthDate: new Date("1999-01-31T00:00:00Z"),
      birthPlace: "Lyon (69)",
      birthCountry: null,
    };
    expect(holderFromIdentity(identity, "69123")).toEqual({
      birthName: "BERNARD",
      usageName: null,
      givenNames: "Zoé",
      sex: "F",
      birthDate: "1999-01-31",
      birthCommuneCode: "69123",
      birthCommuneName: "Lyon",
      birthCountryCode: null,
      birthCountryName: null,
    });
    const abroad = holderFromIdentity({ ...identity, birthPlace: null, birthCountry: "Maroc" }, "99350");
    expect(abroad).toMatchObject({ birthCommuneCode: null, birthCountryCode: "99350", birthCountryName: "Maroc" });
    const passage: CdcPassage = { ...elodie, idTechnique: passageIdOf("rec_zoe"), holder: abroad };
    const { xml } = buildDeclaration({ settings, passages: [passage], idFlux: "flux-z", now });
    expect(await validateAgainstCdcSchema(xml)).toEqual({ valid: true, errors: [] });
    // Today's free-text birth place alone is not enough.
    expect(declarationGaps({ ...passage, holder: holderFromIdentity(identity, null) })).toEqual([
      "code INSEE de la commune de naissance (ou du pays, si né à l'étranger)",
    ]);
  });

  it("stamps the file in Paris time with the summer or winter offset", () => {
    expect(parisTimestamp(new Date("2026-07-01T10:00:00Z"))).toBe("2026-07-01T12:00:00+02:00");
    expect(parisTimestamp(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01T00:30:00+01:00");
  });
});
