/**
 * CSV exports for French spreadsheets (UTF-8 with BOM, semicolons: app/platform/csv.ts): the organisation's
 * candidates, its decisions (the jury's final decisions, from `listDecisions`) and its holders with their declaration
 * status.
 */
import { prisma } from "~/platform/db/db.server";
import { toCsv } from "~/platform/csv";
import { candidateName } from "~/domain/identity";
import { DOSSIER_STATUS_LABELS, type DossierStatus } from "~/domain/completeness";
import { listDecisions } from "~/archive/list-decisions.server";
import { listHolderDeclarations } from "~/archive/cdc/holder-declarations.server";
import { DECLARATION_STATUS_LABELS } from "~/archive/cdc/declaration-status";
import { ARCHIVE_DECISION_LABELS } from "~/archive/documents/archive-kinds";

export const CSV_EXPORTS = ["candidats", "decisions", "titulaires"] as const;
export type CsvExport = (typeof CSV_EXPORTS)[number];

export async function exportCsv(organisationId: string, which: CsvExport): Promise<{ fileName: string; csv: string }> {
  const stamp = new Date().toISOString().slice(0, 10);
  if (which === "candidats") {
    const candidates = await prisma.candidate.findMany({
      where: { organisationId },
      orderBy: [{ birthName: "asc" }, { givenNames: "asc" }],
      include: { dossiers: { include: { certification: { select: { code: true } } } } },
    });
    type Row = (typeof candidates)[number];
    return {
      fileName: `candidats-${stamp}.csv`,
      csv: toCsv<Row>(
        [
          { header: "Nom de naissance", value: (c) => c.birthName },
          { header: "Nom d'usage", value: (c) => c.usageName },
          { header: "Prénoms", value: (c) => c.givenNames },
          { header: "Sexe", value: (c) => c.sex },
          { header: "Date de naissance", value: (c) => (c.birthDate ? { date: c.birthDate } : null) },
          { header: "Lieu de naissance", value: (c) => c.birthPlace ?? c.birthCountry },
          { header: "Code INSEE de naissance", value: (c) => c.birthCode },
          { header: "Employeur", value: (c) => c.employer },
          {
            header: "Dossiers",
            value: (c) => c.dossiers.map((d) => `${d.certification.code} (${DOSSIER_STATUS_LABELS[d.status as DossierStatus]})`).join(", "),
          },
        ],
        candidates,
      ),
    };
  }
  if (which === "decisions") {
    const decisions = await listDecisions(organisationId);
    type Row = (typeof decisions)[number];
    return {
      fileName: `decisions-${stamp}.csv`,
      csv: toCsv<Row>(
        [
          { header: "Candidat", value: (d) => candidateName(d.candidate) },
          { header: "Certification", value: (d) => d.certificationCode },
          { header: "Intitulé", value: (d) => d.certificationTitle },
          { header: "Session", value: (d) => d.sessionTitle },
          { header: "Date de décision", value: (d) => ({ date: d.decidedAt }) },
          { header: "Décision du jury", value: (d) => ARCHIVE_DECISION_LABELS[d.outcome] },
          { header: "Avis de la commission", value: (d) => (d.overturned ? "Non suivi" : "Suivi") },
          { header: "Blocs acquis", value: (d) => d.blocs.filter((b) => b.acquired).map((b) => b.code).join(", ") },
          { header: "Validité partielle jusqu'au", value: (d) => (d.partialValidUntil ? { date: d.partialValidUntil } : null) },
          { header: "Document délivré", value: (d) => (d.record ? `${d.record.number}${d.record.revoked ? " (révoqué)" : ""}` : null) },
        ],
        decisions,
      ),
    };
  }
  const holders = await listHolderDeclarations(organisationId);
  type Row = (typeof holders)[number];
  const detail = (h: Row): string => {
    const s = h.status;
    if (s.kind === "to_declare") return `${s.daysLeft} jours restants`;
    if (s.kind === "not_declarable") return `Manque : ${s.missing.join(", ")}`;
    if (s.kind === "rejected") return s.message;
    if (s.kind === "past_deadline") return `${s.daysLate} jours de retard`;
    return "";
  };
  return {
    fileName: `titulaires-${stamp}.csv`,
    csv: toCsv<Row>(
      [
        { header: "Titulaire", value: (h) => h.holder },
        { header: "Certification", value: (h) => h.certificationCode },
        { header: "Délivrée le", value: (h) => ({ date: h.deliveredOn }) },
        { header: "Identifiant technique", value: (h) => h.passage.idTechnique },
        { header: "État", value: (h) => DECLARATION_STATUS_LABELS[h.status.kind] },
        { header: "Détail", value: detail },
      ],
      holders,
    ),
  };
}
