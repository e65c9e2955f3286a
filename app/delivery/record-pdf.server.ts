/**
 * The sealed PDF of a delivery record (PDF/A, PAdES seal of the organisation, QR code to the public verification
 * page). Parchemin: the eight mandatory mentions (RNCP/RS registration and France Compétences' decision date,
 * certifier's legal name, exact title, national and EQF levels, NSF codes, holder identity, date and place of issue,
 * signature of the authorised person). Attestation: only the named blocs (« uniquement »), préconisations, blocs
 * still missing, validity end.
 */
import { registryOf } from "~/domain/certification";
import { attestationScope, birthMention, duplicateMention, holderName, rectificationMention, verificationUrl } from "~/domain/delivery-record";
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";
import { HEADING_KEEP, TextFlow } from "~/platform/pdf/layout.server";
import { attachJson, createPdfA, numberPages } from "~/platform/pdf/pdfa.server";
import { drawVerificationCode } from "~/platform/pdf/qr.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import type { RecordSnapshot } from "./record-store.server";

export type RecordForPdf = {
  kind: "PARCHEMIN" | "ATTESTATION";
  number: string;
  verificationCode: string;
  holder: RecordSnapshot["holder"];
  certification: RecordSnapshot["certification"];
  blocs: RecordSnapshot["blocs"];
  missingBlocs: RecordSnapshot["missingBlocs"];
  preconisations: string | null;
  validUntil: Date | null;
  placeOfIssue: string | null;
  issuedAt: Date;
  /** For a duplicate, the original it replaces (its chain's root): named on the document. Null for an original. */
  duplicateOf: { kind: "PARCHEMIN" | "ATTESTATION"; number: string; issuedAt: Date } | null;
  /** For a rectified record, the revoked one it replaces (named on the document). Absent or null otherwise. */
  replaces?: { kind: "PARCHEMIN" | "ATTESTATION"; number: string; revokedAt: Date | null } | null;
  credential: unknown;
};

/** A calendar day (birth, France Compétences' decision, end of validity), as stored: « 10 mars 2031 ». */
const frDay = (value: Date | string | null) => {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? formatLongDay(date) : "—";
};
/** The day of an instant (the issue) in Paris: a record issued at 00:30 there is dated that day. */
const frIssueDate = (value: Date) => formatParisLongDate(value);

export async function renderRecordPdf(record: RecordForPdf, options: { baseUrl: string; organisationName: string }) {
  const c = record.certification;
  const registry = registryOf(c.code);
  const title = record.kind === "PARCHEMIN" ? "Parchemin" : "Attestation de blocs de compétences";
  const doc = await createPdfA({
    title: `${title} ${record.number}${record.duplicateOf ? " (duplicata)" : ""}`,
    author: c.certifierName,
    subject: `${c.code} — ${c.title}`,
    createdAt: record.issuedAt,
  });
  const flow = new TextFlow(doc, {
    continuation: `${title} n° ${record.number}${record.duplicateOf ? " (duplicata)" : ""} — ${holderName(record.holder)} — suite`,
  });
  if (record.duplicateOf) {
    flow.text("DUPLICATA", { size: 14, bold: true, color: [0.7, 0.1, 0.1] });
    flow.text(`${duplicateMention(record.duplicateOf, frIssueDate(record.duplicateOf.issuedAt))}.`, { size: 10, color: [0.7, 0.1, 0.1], gap: 8 });
  }
  if (record.replaces) {
    const revokedOn = record.replaces.revokedAt ? frIssueDate(record.replaces.revokedAt) : "—";
    flow.text(`${rectificationMention(record.replaces, revokedOn)}.`, { size: 10, bold: true, gap: 8 });
  }
  flow.text(title, { size: 20, bold: true, gap: 8 });
  flow.field("Numéro", record.number);
  flow.field("Organisme certificateur", c.certifierName);
  // An organisation that runs another certifier's certification (a branch's CPNE for a federation's CQP) issues and
  // seals the record on its behalf: the seal's certificate names the organisation, so the record says so too.
  const onBehalf = !sameBody(options.organisationName, c.certifierName);
  if (onBehalf) {
    flow.field(record.kind === "PARCHEMIN" ? "Délivré par" : "Délivrée par", `${options.organisationName}, pour le compte de l'organisme certificateur`);
  }
  flow.text(`${c.title}`, { size: 14, bold: true, gap: 6 });
  // A branch's own number is no registration: France Compétences' decision is named only when one was entered.
  if (registry) flow.field("Enregistrement", `${c.code}, ${registry}, décision de France Compétences du ${frDay(c.decisionDate)}`);
  else {
    const decision = c.decisionDate ? `, décision de France Compétences du ${frDay(c.decisionDate)}` : "";
    // Registered under an RNCP or RS code of its own (a CQPM's): the branch's number, then the registration.
    const registered = c.registrationCode ? registryOf(c.registrationCode) : null;
    if (registered) {
      flow.field("Code de la certification", `${c.code} (numéro attribué par la branche professionnelle)`);
      flow.field("Enregistrement", `${c.registrationCode}, ${registered}${decision}`);
    } else flow.field("Code de la certification", `${c.code} (numéro attribué par la branche professionnelle)${decision}`);
  }
  flow.field("Niveau", `niveau national ${c.nationalLevel ?? "—"} ; niveau européen (CEC/EQF) ${c.eqfLevel ?? "—"}`);
  flow.field(c.nsfCodes.length > 1 ? "Codes NSF" : "Code NSF", c.nsfCodes.length ? c.nsfCodes.join(", ") : "—");
  flow.text("", { gap: 6 });
  flow.field("Titulaire", holderName(record.holder));
  flow.field(
    "Né(e) le",
    birthMention(frDay(record.holder.birthDate), record.holder),
  );
  flow.text("", { gap: 6 });
  if (record.kind === "PARCHEMIN") {
    flow.text(`Le titulaire a obtenu la certification « ${c.title} » (${c.code}).`, { gap: 6 });
    flow.text("Blocs de compétences constitutifs :", { bold: true, keepWithNext: HEADING_KEEP });
    for (const bloc of record.blocs) flow.text(`${bloc.code} — ${bloc.title}`, { indent: 12 });
  } else {
    flow.text(attestationScope(c.code, record.blocs.map((b) => b.code)), { bold: true, gap: 6 });
    flow.text("Blocs acquis :", { bold: true, keepWithNext: HEADING_KEEP });
    for (const bloc of record.blocs) flow.text(`${bloc.code} — ${bloc.title}`, { indent: 12 });
    flow.field("Validité des blocs acquis", record.validUntil ? `jusqu'au ${frDay(record.validUntil)}` : "sans limite de durée");
    flow.text("Blocs restant à acquérir :", { bold: true, keepWithNext: HEADING_KEEP });
    for (const bloc of record.missingBlocs) flow.text(`${bloc.code} — ${bloc.title}`, { indent: 12 });
    if (record.missingBlocs.length === 0) flow.text("aucun", { indent: 12 });
    flow.text("Préconisations du jury :", { bold: true, keepWithNext: HEADING_KEEP });
    flow.text(record.preconisations ?? "aucune", { indent: 12 });
  }
  flow.text("", { gap: 10 });
  // « Délivré » for a parchemin, « Délivrée » for an attestation.
  flow.field(record.kind === "PARCHEMIN" ? "Délivré le" : "Délivrée le", `${frIssueDate(record.issuedAt)}${record.placeOfIssue ? ` à ${record.placeOfIssue}` : ""}`);
  flow.field("Pour l'organisme certificateur, la personne habilitée", c.signatory || "—");
  flow.text("Signature : cachet électronique de l'organisme (PAdES) apposé sur ce document.", { size: 8 });
  drawVerificationCode(flow, verificationUrl(options.baseUrl, record.verificationCode), doc.fonts.regular);
  numberPages(doc);
  if (record.credential) {
    await attachJson(doc, {
      fileName: `${record.number}.credential.json`,
      description: "Attestation numérique Open Badges 3.0 de ce document",
      data: record.credential,
    });
  }
  const certificate = await loadSealCertificate({ organisation: options.organisationName });
  const reason = onBehalf
    ? `${title} ${record.number} scellé par ${options.organisationName} pour le compte de ${c.certifierName}`
    : `${title} ${record.number} scellé par l'organisme certificateur`;
  const sealed = await sealPdf(doc, { certificate, reason, location: record.placeOfIssue ?? undefined });
  return { ...sealed, replacedCharacters: [...doc.replacedCharacters] };
}

/** The same body under two spellings (case, spaces, accents aside)? */
function sameBody(a: string, b: string): boolean {
  const key = (name: string) => name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
  return key(a) === key(b);
}
