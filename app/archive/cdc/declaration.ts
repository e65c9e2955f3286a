/**
 * The declaration of holders to the Caisse des Dépôts (« accrochage », Passeport de compétences): from Quorum's
 * holders to the XML flow of namespace urn:cdc:cpf:pc5:schema:1.0.0, element for element in the order of the
 * shipped schema (cdc-pc5.xsd, written after Pix's open-source export). Pure: no I/O; the file is validated
 * against the XSD (validate-xml.server.ts) before it is offered.
 *
 * A holder that cannot be declared (no sex, birth date, birth code…) is listed with what is missing and left out:
 * a schema error would make the whole file unusable, and a half-filled passage would be rejected or, worse, match
 * the wrong person. Each passage keeps its `idTechnique` for ever, so a rejected passage is resent with the same id.
 */
import {
  normaliseFamilyName,
  normaliseGivenNames,
  parseBirthPlace,
  parseIsoDate,
  toIsoDate,
  type IdentityFields,
} from "~/domain/identity";
import { needsRegistrationCode } from "~/domain/certification";
import { countryCodeError, communeCodeError, normaliseInseeCode } from "~/domain/birthplace";

export const CDC_NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0";
const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

export type CdcSettings = {
  /** Emitter's client id at the Caisse des Dépôts (usually the certifier's own), e.g. 12ABC345. */
  emitterIdClient: string;
  /** Certifier's client id, e.g. 12ABC345. */
  certifierIdClient: string;
  /** Certifier's contract number, e.g. MCFCER000123. */
  contractId: string;
};

export type AccessMode =
  | "FORMATION_INITIALE_HORS_APPRENTISSAGE"
  | "FORMATION_INITIALE_APPRENTISSAGE"
  | "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"
  | "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
  | "VAE"
  | "CANDIDAT_LIBRE";

/** One passage to declare: a holder's total delivery of a certification. */
export type CdcPassage = {
  /** Stable technical id of this passage (see `passageIdOf`), reused when the passage is resent. */
  idTechnique: string;
  /** RNCP38544 or RS5875. */
  certificationCode: string;
  /** Date of the decision, "YYYY-MM-DD". */
  deliveredOn: string;
  /** End of validity "YYYY-MM-DD", null when the certification is valid for life. */
  validUntil: string | null;
  accessMode?: AccessMode | null;
  holder: {
    birthName: string | null;
    usageName?: string | null;
    /** All given names in civil-status order, separated by spaces or commas. */
    givenNames: string | null;
    sex: string | null;
    /** "YYYY-MM-DD" */
    birthDate: string | null;
    /** INSEE code of the commune of birth (born in France). */
    birthCommuneCode?: string | null;
    birthCommuneName?: string | null;
    /** INSEE code of the country of birth, 99xxx (born abroad). */
    birthCountryCode?: string | null;
    birthCountryName?: string | null;
  };
};

/**
 * A holder as the declaration needs it, from a candidate's stored identity (app/domain/identity.ts) and the INSEE
 * birth code that free-text birth places cannot give (a commune code, or a 99xxx country code when born abroad).
 */
export function holderFromIdentity(identity: IdentityFields, birthCode: string | null): CdcPassage["holder"] {
  const code = birthCode ? normaliseInseeCode(birthCode) : "";
  const bornAbroad = code.startsWith("99");
  const place = parseBirthPlace(identity.birthPlace);
  return {
    birthName: identity.birthName,
    usageName: identity.usageName ?? null,
    givenNames: identity.givenNames,
    sex: identity.sex,
    birthDate: identity.birthDate ? toIsoDate(identity.birthDate) : null,
    birthCommuneCode: code && !bornAbroad ? code : null,
    birthCommuneName: !bornAbroad && place.commune ? place.commune : null,
    birthCountryCode: bornAbroad ? code : null,
    birthCountryName: bornAbroad ? (identity.birthCountry?.trim() ?? null) : null,
  };
}

export type NotDeclarable = { idTechnique: string; holder: string; missing: string[] };

export type Declaration = {
  idFlux: string;
  xml: string;
  /** idTechnique of every passage in the file, in file order. */
  included: string[];
  /** Passages left out, with what is missing (French). */
  notDeclarable: NotDeclarable[];
};

/** The idTechnique Quorum gives a passage: derived from the delivery record's id, so it never changes. */
export function passageIdOf(recordId: string): string {
  const id = `QRM-${recordId}`.replace(/[^A-Za-z0-9_-]/g, "_");
  if (id.length > 255) throw new Error("Identifiant de passage trop long");
  return id;
}

/** Escapes text for an XML element; refuses characters XML 1.0 cannot carry. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(value)) {
    throw new Error("Caractère de contrôle interdit dans un fichier XML");
  }
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** xs:dateTime in Paris time with its real offset (+01:00 in winter, +02:00 in summer), no milliseconds. */
export function parisTimestamp(now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const offsetMinutes = Math.round((local - Math.floor(now.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

const ID_CLIENT = /^\d{2}[A-Z]{3}\d{3}$/;
const ID_CONTRAT = /^MCFCER\d{6}$/;

/** French messages for the organisation's settings, empty when they are usable. */
export function settingsErrors(settings: CdcSettings): Record<keyof CdcSettings, string | undefined> {
  return {
    emitterIdClient: ID_CLIENT.test(settings.emitterIdClient) ? undefined : "Identifiant client émetteur attendu sous la forme 12ABC345.",
    certifierIdClient: ID_CLIENT.test(settings.certifierIdClient)
      ? undefined
      : "Identifiant client du certificateur attendu sous la forme 12ABC345.",
    contractId: ID_CONTRAT.test(settings.contractId) ? undefined : "Numéro de contrat attendu sous la forme MCFCER000123.",
  };
}

function displayName(passage: CdcPassage): string {
  const { birthName, givenNames } = passage.holder;
  return [normaliseGivenNames(givenNames ?? ""), normaliseFamilyName(birthName ?? "")].filter(Boolean).join(" ") || passage.idTechnique;
}

function splitGivenNames(givenNames: string): string[] {
  const names = normaliseGivenNames(givenNames).split(" ").filter(Boolean);
  if (names.length <= 3) return names;
  return [names[0], names[1], names.slice(2).join(" ")];
}

const NAME_MAX = 60;

/**
 * The holder's identity as a declaration file carries it (the « titulaire » of passageXml: names as normalised there,
 * birth date, sex, commune or country of birth), as one comparable string. Stored with each passage a file declares
 * (`CdcPassage.declaredHolder`): a holder whose key changes afterwards (a correction of a name, a birth date) is to
 * declare again; a change the file does not show (an e-mail, the case of a name) is not.
 */
export function declaredIdentityKey(holder: CdcPassage["holder"]): string {
  const commune = holder.birthCommuneCode ? normaliseInseeCode(holder.birthCommuneCode) : "";
  const country = !commune && holder.birthCountryCode ? normaliseInseeCode(holder.birthCountryCode) : "";
  return JSON.stringify([
    normaliseFamilyName(holder.birthName ?? ""),
    holder.usageName ? normaliseFamilyName(holder.usageName) : "",
    splitGivenNames(holder.givenNames ?? ""),
    holder.birthDate ?? "",
    holder.sex ?? "",
    commune,
    commune ? (holder.birthCommuneName?.trim().slice(0, 255) ?? "") : "",
    country,
    country ? (holder.birthCountryName?.trim().slice(0, 255) ?? "") : "",
  ]);
}

/**
 * Where what keeps a passage out of the file is put right, so that every reason comes with its way out:
 * - `candidate`: the holder's identity, at `field` of the candidate's form (/candidates/:id/edit);
 * - `certification`: the certification's code, on its form (/certifications/:id) — the code RNCP or RS it is registered
 *   under; for a branch number (a CQPM's), not declarable itself, its registration code (`registrationCode`) beside it;
 * - `quorum`: a value Quorum computes itself (the day of the jury's decision, the passage's identifier): no form holds
 *   it, the organisation's administration reports it.
 */
export type DeclarationGapFix =
  | { on: "candidate"; field: "birthName" | "usageName" | "givenNames" | "sex" | "birthDate" | "birthCode" }
  | { on: "certification"; field: "code" | "registrationCode" }
  | { on: "quorum" };

/** One thing that keeps a passage out of the file: what is missing (French) and where it is put right. */
export type DeclarationGap = { label: string; fix: DeclarationGapFix };

const onCandidate = (field: Extract<DeclarationGapFix, { on: "candidate" }>["field"]): DeclarationGapFix => ({ on: "candidate", field });
const COMPUTED: DeclarationGapFix = { on: "quorum" };

/** What keeps a passage out of the file, each with where it is put right; empty when it can be declared. */
export function declarationGapList(passage: CdcPassage): DeclarationGap[] {
  const gaps: DeclarationGap[] = [];
  const gap = (label: string, fix: DeclarationGapFix) => gaps.push({ label, fix });
  const { holder } = passage;
  if (!/^(RNCP|RS)\d{1,6}$/.test(passage.certificationCode)) {
    // A branch number (a CQPM's) stays: its RNCP or RS registration is entered beside it.
    gap("code RNCP ou RS de la certification", { on: "certification", field: needsRegistrationCode(passage.certificationCode) ? "registrationCode" : "code" });
  }
  if (!parseIsoDate(passage.deliveredOn)) gap("date de délivrance", COMPUTED);
  if (passage.validUntil !== null && (!parseIsoDate(passage.validUntil) || passage.validUntil < passage.deliveredOn)) {
    gap("date de fin de validité cohérente", COMPUTED);
  }
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(passage.idTechnique)) gap("identifiant technique du passage", COMPUTED);
  const birthName = normaliseFamilyName(holder.birthName ?? "");
  if (!birthName) gap("nom de naissance", onCandidate("birthName"));
  else if (birthName.length > NAME_MAX) gap(`nom de naissance de ${NAME_MAX} caractères au plus`, onCandidate("birthName"));
  const given = splitGivenNames(holder.givenNames ?? "");
  if (given.length === 0) gap("prénom", onCandidate("givenNames"));
  else if (given.some((name) => name.length > NAME_MAX)) gap(`prénoms de ${NAME_MAX} caractères au plus`, onCandidate("givenNames"));
  if (holder.usageName && normaliseFamilyName(holder.usageName).length > NAME_MAX) {
    gap(`nom d'usage de ${NAME_MAX} caractères au plus`, onCandidate("usageName"));
  }
  if (holder.sex !== "M" && holder.sex !== "F") gap("sexe", onCandidate("sex"));
  const birthDate = holder.birthDate ? parseIsoDate(holder.birthDate) : null;
  if (!birthDate || birthDate.getUTCFullYear() < 1900) gap("date de naissance", onCandidate("birthDate"));
  const commune = holder.birthCommuneCode ? normaliseInseeCode(holder.birthCommuneCode) : "";
  const country = holder.birthCountryCode ? normaliseInseeCode(holder.birthCountryCode) : "";
  if (commune) {
    const error = communeCodeError(commune);
    if (error) gap(`code INSEE de la commune de naissance valide (${error})`, onCandidate("birthCode"));
  } else if (country) {
    const error = countryCodeError(country);
    if (error) gap(`code INSEE du pays de naissance valide (${error})`, onCandidate("birthCode"));
  } else {
    gap("code INSEE de la commune de naissance (ou du pays, si né à l'étranger)", onCandidate("birthCode"));
  }
  return gaps;
}

/** What keeps a passage out of the file, in French; empty when it can be declared. */
export function declarationGaps(passage: CdcPassage): string[] {
  return declarationGapList(passage).map((gap) => gap.label);
}

type Node = string;
const el = (name: string, text: string): Node => `<cpf:${name}>${escapeXml(text)}</cpf:${name}>`;
const nil = (name: string): Node => `<cpf:${name} xsi:nil="true"/>`;
const parent = (name: string, children: Node[]): Node => `<cpf:${name}>${children.join("")}</cpf:${name}>`;

function passageXml(passage: CdcPassage): Node {
  const { holder } = passage;
  const [year, month, day] = holder.birthDate!.split("-");
  const given = splitGivenNames(holder.givenNames!);
  const usageName = holder.usageName ? normaliseFamilyName(holder.usageName) : "";
  const commune = holder.birthCommuneCode ? normaliseInseeCode(holder.birthCommuneCode) : "";
  const country = holder.birthCountryCode ? normaliseInseeCode(holder.birthCountryCode) : "";
  const titulaire: Node[] = [
    el("nomNaissance", normaliseFamilyName(holder.birthName!)),
    usageName ? el("nomUsage", usageName) : nil("nomUsage"),
    el("prenom1", given[0]),
    ...(given[1] ? [el("prenom2", given[1])] : []),
    ...(given[2] ? [el("prenom3", given[2])] : []),
    el("anneeNaissance", year),
    el("moisNaissance", month),
    el("jourNaissance", day),
    el("sexe", holder.sex!),
    commune
      ? parent("codeCommuneNaissance", [parent("codeInseeNaissance", [el("codeInsee", commune)])])
      : parent("codeCommuneNaissance", [parent("codePostalNaissance", [nil("codePostal")])]),
  ];
  const communeName = holder.birthCommuneName?.trim();
  if (commune && communeName) titulaire.push(el("libelleCommuneNaissance", communeName.slice(0, 255)));
  if (!commune && country) {
    titulaire.push(el("codePaysNaissance", country));
    const countryName = holder.birthCountryName?.trim();
    if (countryName) titulaire.push(el("libellePaysNaissance", countryName.slice(0, 255)));
  }
  return parent("passageCertification", [
    el("idTechnique", passage.idTechnique),
    el("obtentionCertification", "PAR_ADMISSION"),
    el("donneeCertifiee", "true"),
    el("dateDebutValidite", passage.deliveredOn),
    passage.validUntil ? el("dateFinValidite", passage.validUntil) : nil("dateFinValidite"),
    el("presenceNiveauLangueEuro", "false"),
    el("presenceNiveauNumeriqueEuro", "false"),
    nil("scoring"),
    nil("mentionValidee"),
    parent("modalitesInscription", [passage.accessMode ? el("modaliteAcces", passage.accessMode) : nil("modaliteAcces")]),
    parent("identificationTitulaire", [parent("titulaire", titulaire)]),
  ]);
}

/**
 * The flow for these passages: one `certification` per code (in code order), passages in the given order.
 * Throws when the settings are unusable or when no passage can be declared (nothing to offer).
 */
export function buildDeclaration(input: {
  settings: CdcSettings;
  passages: CdcPassage[];
  idFlux: string;
  now: Date;
}): Declaration {
  const errors = Object.values(settingsErrors(input.settings)).filter(Boolean);
  if (errors.length) throw new Error(errors.join(" "));
  if (!/^[A-Za-z0-9_-]{1,50}$/.test(input.idFlux)) throw new Error("Identifiant de flux invalide");
  const notDeclarable: NotDeclarable[] = [];
  const byCode = new Map<string, CdcPassage[]>();
  const seen = new Set<string>();
  for (const passage of input.passages) {
    const missing = declarationGaps(passage);
    if (seen.has(passage.idTechnique)) missing.push("passage en double dans le fichier");
    if (missing.length) {
      notDeclarable.push({ idTechnique: passage.idTechnique, holder: displayName(passage), missing });
      continue;
    }
    seen.add(passage.idTechnique);
    byCode.set(passage.certificationCode, [...(byCode.get(passage.certificationCode) ?? []), passage]);
  }
  const codes = [...byCode.keys()].sort();
  const certifications = codes.map((code) =>
    parent("certification", [
      el("type", code.startsWith("RNCP") ? "RNCP" : "RS"),
      el("code", code),
      el("natureDeposant", "CERTIFICATEUR"),
      parent("passageCertifications", byCode.get(code)!.map(passageXml)),
    ]),
  );
  const included = codes.flatMap((code) => byCode.get(code)!.map((passage) => passage.idTechnique));
  if (included.length === 0) return { idFlux: input.idFlux, xml: "", included, notDeclarable };
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<cpf:flux xmlns:cpf="${CDC_NAMESPACE}" xmlns:xsi="${XSI_NAMESPACE}">` +
    el("idFlux", input.idFlux) +
    el("horodatage", parisTimestamp(input.now)) +
    parent("emetteur", [
      el("idClient", input.settings.emitterIdClient),
      parent("certificateurs", [
        parent("certificateur", [
          el("idClient", input.settings.certifierIdClient),
          el("idContrat", input.settings.contractId),
          parent("certifications", certifications),
        ]),
      ]),
    ]) +
    `</cpf:flux>\n`;
  return { idFlux: input.idFlux, xml, included, notDeclarable };
}
