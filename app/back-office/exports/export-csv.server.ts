/**
 * CSV exports for French spreadsheets (UTF-8 with BOM, semicolons, dates JJ/MM/AAAA, codes and identifiers as
 * text-typed cells that keep their leading zeros: app/platform/csv.ts): the organisation's
 * candidates, its decisions (the jury's final decisions, as `listDecisions` reads them) and its holders with their
 * declaration status. Streamed: read and formatted 250 rows at a time, the event loop free between two batches (an
 * organisation's years of decisions held it ~80–95 ms at once, every live room waiting).
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { csvStream } from "~/platform/csv";
import { candidateName, formatDateFr } from "~/domain/identity";
import { DOSSIER_STATUS_LABELS, type DossierStatus } from "~/domain/completeness";
import { postalAddressOneLine } from "~/domain/postal-address";
import { finalDecisionsInBatches, type Decision } from "~/archive/list-decisions.server";
import { holderDeclarationsInBatches, type HolderDeclaration } from "~/archive/cdc/holder-declarations.server";
import { DECLARATION_STATUS_LABELS } from "~/archive/cdc/declaration-status";
import { ARCHIVE_DECISION_LABELS } from "~/archive/documents/archive-kinds";
import { registrationOf } from "~/domain/certification";

/**
 * Appended to the decisions' and holders' exports (their columns before it unchanged): the RNCP or RS code the
 * certification is registered under — its code, or a branch certification's registration code; empty without one.
 */
const REGISTRATION_HEADER = "Enregistrement (RNCP/RS)";

export const CSV_EXPORTS = ["candidats", "decisions", "titulaires"] as const;
export type CsvExport = (typeof CSV_EXPORTS)[number];

/** Rows read and formatted at a time (QUORUM_EXPORT_BATCH: smaller in a test, to read a history in several batches). */
const BATCH = Number(process.env.QUORUM_EXPORT_BATCH) > 0 ? Number(process.env.QUORUM_EXPORT_BATCH) : 250;

/** The organisation's candidates by name, BATCH at a time (keyset on the order: name, given names, id). */
async function* candidatesInBatches(organisationId: string) {
  let after: { birthName: string; givenNames: string; id: string } | null = null;
  for (;;) {
    const keyset: Prisma.CandidateWhereInput = after
      ? {
          OR: [
            { birthName: { gt: after.birthName } },
            { birthName: after.birthName, givenNames: { gt: after.givenNames } },
            { birthName: after.birthName, givenNames: after.givenNames, id: { gt: after.id } },
          ],
        }
      : {};
    const order = [{ birthName: "asc" as const }, { givenNames: "asc" as const }, { id: "asc" as const }];
    // Ids first, then their rows with their dossiers (as finalDecisionsInBatches: not every later row's dossiers).
    const ids = await prisma.candidate.findMany({ where: { AND: [{ organisationId }, keyset] }, orderBy: order, take: BATCH, select: { id: true, birthName: true, givenNames: true } });
    if (ids.length === 0) return;
    const batch = await prisma.candidate.findMany({
      where: { id: { in: ids.map((c) => c.id) } },
      orderBy: order,
      include: { dossiers: { include: { certification: { select: { code: true } } } } },
    });
    yield batch;
    if (ids.length < BATCH) return;
    const last = ids[ids.length - 1];
    after = { birthName: last.birthName, givenNames: last.givenNames, id: last.id };
  }
}

async function* mapBatches<From, To>(batches: AsyncIterable<From>, map: (batch: From) => To): AsyncGenerator<To> {
  for await (const batch of batches) yield map(batch);
}

export async function exportCsv(organisationId: string, which: CsvExport): Promise<{ fileName: string; body: ReadableStream<Uint8Array> }> {
  const stamp = new Date().toISOString().slice(0, 10);
  if (which === "candidats") {
    type Row = Prisma.CandidateGetPayload<{ include: { dossiers: { include: { certification: { select: { code: true } } } } } }>;
    return {
      fileName: `candidats-${stamp}.csv`,
      body: await csvStream<Row>(
        [
          { header: "Nom de naissance", value: (c) => c.birthName },
          { header: "Nom d'usage", value: (c) => c.usageName },
          { header: "Prénoms", value: (c) => c.givenNames },
          { header: "Sexe", value: (c) => c.sex },
          { header: "Date de naissance", value: (c) => (c.birthDate ? { date: c.birthDate } : null) },
          { header: "Lieu de naissance", value: (c) => c.birthPlace ?? c.birthCountry },
          { header: "Code INSEE de naissance", value: (c) => ({ text: c.birthCode }) },
          { header: "Adresse postale", value: (c) => ({ text: postalAddressOneLine(c.postalAddress) || null }) },
          { header: "Employeur", value: (c) => c.employer },
          {
            header: "Dossiers",
            value: (c) => c.dossiers.map((d) => `${d.certification.code} (${DOSSIER_STATUS_LABELS[d.status as DossierStatus]})`).join(", "),
          },
        ],
        candidatesInBatches(organisationId),
      ),
    };
  }
  if (which === "decisions") {
    type Row = Decision;
    return {
      fileName: `decisions-${stamp}.csv`,
      body: await csvStream<Row>(
        [
          { header: "Candidat", value: (d) => candidateName(d.candidate) },
          { header: "Certification", value: (d) => ({ text: d.certificationCode }) },
          { header: "Intitulé", value: (d) => d.certificationTitle },
          { header: "Session", value: (d) => d.sessionTitle },
          { header: "Date de décision", value: (d) => ({ date: d.decidedAt }) },
          { header: "Décision du jury", value: (d) => ARCHIVE_DECISION_LABELS[d.outcome] },
          { header: "Avis de la commission", value: (d) => (d.overturned ? "Non suivi" : "Suivi") },
          { header: "Blocs acquis", value: (d) => ({ text: d.blocs.filter((b) => b.acquired).map((b) => b.code).join(", ") }) },
          { header: "Validité partielle jusqu'au", value: (d) => (d.partialValidUntil ? { date: d.partialValidUntil } : null) },
          { header: "Document délivré", value: (d) => ({ text: d.record ? `${d.record.number}${d.record.revoked ? " (révoqué)" : ""}` : null }) },
          { header: REGISTRATION_HEADER, value: (d) => ({ text: registrationOf(d.declaredCertificationCode) }) },
        ],
        mapBatches(finalDecisionsInBatches(organisationId, {}, BATCH), (batch) => batch.decisions),
      ),
    };
  }
  type Row = HolderDeclaration;
  const detail = (h: Row): string => {
    const s = h.status;
    if (s.kind === "to_declare") return `${s.daysLeft} jours restants`;
    if (s.kind === "not_declarable") return `Manque : ${s.missing.join(", ")}`;
    if (s.kind === "rejected") return s.message;
    if (s.kind === "past_deadline") return `${s.daysLate} jours de retard`;
    if (s.kind === "identity_changed") return `Identité modifiée depuis la déclaration${s.declaredOn ? ` du ${formatDateFr(s.declaredOn)}` : ""} : à redéclarer`;
    return "";
  };
  return {
    fileName: `titulaires-${stamp}.csv`,
    body: await csvStream<Row>(
      [
        { header: "Titulaire", value: (h) => h.holder },
        { header: "Certification", value: (h) => ({ text: h.certificationCode }) },
        // The jury's decision (the certification is obtained then; the 3 months to declare run from it), not the
        // parchemin's issue date.
        { header: "Obtenue le (décision du jury)", value: (h) => ({ date: h.deliveredOn }) },
        { header: "Identifiant technique", value: (h) => ({ text: h.passage.idTechnique }) },
        { header: "État", value: (h) => DECLARATION_STATUS_LABELS[h.status.kind] },
        { header: "Détail", value: detail },
        { header: REGISTRATION_HEADER, value: (h) => ({ text: registrationOf(h.passage.certificationCode) }) },
      ],
      holderDeclarationsInBatches(organisationId, new Date(), BATCH),
    ),
  };
}
