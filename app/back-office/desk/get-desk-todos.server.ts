/** The dashboard's « À faire »: one count and one link per list (the same functions the lists use). */
import { listHolderDeclarations } from "~/archive/cdc/holder-declarations.server";
import { countOf } from "~/domain/format";
import type { Permission } from "~/domain/permissions";
import { missingSummary, TO_DO_FILTER, TO_SEND_FILTER, TO_SEND_KINDS } from "~/archive/cdc/declaration-status";
import {
  listConvocationsToSend,
  listExpiringHabilitations,
  listAppealsAwaitingJury,
  listDecisionsAwaitingValidation,
  listDecisionsToNotify,
  listExpiringPartialValidations,
  listIncompleteDossiers,
  listRecordsToIssue,
  listSessionsAwaitingSignatures,
  listMinutesToFinalise,
  listSheetsToSign,
} from "./list-desk-items.server";

export type DeskTodo = {
  key: string;
  label: string;
  count: number;
  href: string | null;
  /** A line under the label (what is missing, days left…). */
  detail: string | null;
  /** The data behind it does not exist yet in Quorum. */
  soon?: boolean;
  /**
   * Links to parts of the list (what to do with each), under the detail. `permission`: shown only to a viewer whose role
   * has it (the desk is one read for the organisation's administration and secretariat alike).
   */
  links?: Array<{ label: string; href: string; permission?: Permission }>;
};

export async function getDeskTodos(organisationId: string, now = new Date()): Promise<DeskTodo[]> {
  const [dossiers, convocations, habilitations, signatures, minutes, holders, partials, records, validations, appeals, notices, sheets] = await Promise.all([
    listIncompleteDossiers(organisationId),
    listConvocationsToSend(organisationId, now),
    listExpiringHabilitations(organisationId, now),
    listSessionsAwaitingSignatures(organisationId, now),
    listMinutesToFinalise(organisationId, now),
    listHolderDeclarations(organisationId, now),
    listExpiringPartialValidations(organisationId, now),
    listRecordsToIssue(organisationId),
    listDecisionsAwaitingValidation(organisationId, now),
    // The desk reads the organisation's decisions anyway (records to issue, partial validations, holders).
    listAppealsAwaitingJury(organisationId, { withDecisions: true }),
    listDecisionsToNotify(organisationId, now),
    listSheetsToSign(organisationId),
  ]);
  const sheetSessions = [...new Set(sheets.map((s) => s.sessionId))];
  // Grids waiting for a signer who may no longer sign them, until the administration records the empêchement.
  const blockedGrids = signatures.flatMap((s) => s.blocked.map((g) => ({ ...g, sessionId: s.id })));
  const toNotify = notices.reduce((n, s) => n + s.decisions, 0);
  const unscheduled = appeals.filter((a) => a.status === "RECEIVED").length;
  // What the next file carries; the link lists exactly these.
  const toDeclare = holders.filter((h) => TO_SEND_KINDS.includes(h.status.kind));
  const soonest = toDeclare
    // A holder to declare again (identity corrected) has no deadline of its own.
    .flatMap((h) => (h.status.kind === "to_declare" || h.status.kind === "rejected" ? [h.status.daysLeft] : h.status.kind === "past_deadline" ? [-1] : []))
    .sort((a, b) => a - b)[0];
  const blocked = holders.flatMap((h) => (h.status.kind === "not_declarable" ? [h.status.missing] : []));
  const notDeclarable = blocked.length;
  // What really blocks them (the certification's code, the birth code…), the most frequent first.
  const blockers = missingSummary(blocked);
  const missingKinds = [...new Set(dossiers.flatMap((d) => d.missing))].slice(0, 3);
  return [
    {
      key: "dossiers",
      label: "Dossiers incomplets",
      count: dossiers.length,
      href: "/candidates?filtre=incomplets",
      detail: missingKinds.length ? `Manque notamment : ${missingKinds.join(" ; ")}` : null,
    },
    {
      key: "convocations",
      label: "Convocations à envoyer (ou envoyées moins de 15 jours avant un jury)",
      count: convocations.length,
      href: "/sessions?filtre=convocations",
      detail: convocations.length
        ? [
            countOf(convocations.reduce((n, s) => n + s.notSent, 0), "membre non convoqué", "membres non convoqués"),
            countOf(convocations.reduce((n, s) => n + s.late, 0), "convocation tardive", "convocations tardives"),
          ].join(", ")
        : null,
    },
    {
      key: "habilitations",
      label: "Habilitations expirant dans les 60 jours",
      count: habilitations.length,
      href: "/habilitations?filtre=expirent",
      detail: null,
    },
    {
      key: "signatures",
      label: "Grilles et procès-verbaux en attente de signatures",
      count: signatures.reduce((n, s) => n + s.grids + s.minutes, 0),
      href: "/sessions?filtre=signatures",
      detail: signatures.length
        ? [
            countOf(signatures.reduce((n, s) => n + s.grids, 0), "grille", "grilles"),
            countOf(signatures.reduce((n, s) => n + s.minutes, 0), "procès-verbal", "procès-verbaux"),
          ].join(", ") +
          (blockedGrids.length
            ? `, dont ${countOf(blockedGrids.length, "grille bloquée", "grilles bloquées")} : signataire qui ne peut plus signer, empêchement non constaté (à constater par l'administration, page « Membres »)`
            : "")
        : null,
      links: blockedGrids.length
        ? [
            ...blockedGrids.slice(0, 3).map((g) => ({ label: `Grille de ${g.candidate} (bloquée)`, href: `/sessions/${g.sessionId}?candidat=${g.slotId}` })),
            { label: "Constater l'empêchement (Membres)", href: "/membres", permission: "manage:users" as const },
          ]
        : undefined,
    },
    {
      key: "minutes",
      label: "Procès-verbaux de jury à finaliser",
      count: minutes.length,
      href: minutes.length === 1 ? `/sessions/${minutes[0]!.id}/proces-verbal` : minutes.length ? "/sessions?filtre=proces-verbaux" : null,
      detail: minutes.length
        ? `Séance levée, procès-verbal à finaliser puis à faire signer : ${minutes
            .slice(0, 3)
            .map((m) => m.title)
            .join(", ")}${minutes.length > 3 ? "…" : ""}`
        : null,
    },
    {
      // Every holder still to declare, those ready and those not declarable yet: « 1 » beside « 2 non déclarables » left
      // the secretariat wondering whether 1 or 3 awaited. The count is the total, the detail says which are which, and
      // each part links to where it is done (the file, or the identities to complete).
      key: "declarations",
      label: "Titulaires à déclarer à la Caisse des Dépôts",
      count: toDeclare.length + notDeclarable,
      href: `/declarations?statut=${TO_DO_FILTER}`,
      detail:
        toDeclare.length || notDeclarable
          ? `Dont ${[
              toDeclare.length
                ? `${countOf(toDeclare.length, "prêt à déclarer", "prêts à déclarer")}${
                    soonest !== undefined
                      ? soonest < 0
                        ? " (délai de 3 mois dépassé pour au moins un)"
                        : ` (${countOf(soonest, "jour restant", "jours restants")} pour le plus proche)`
                      : ""
                  }`
                : null,
              notDeclarable
                ? `${countOf(notDeclarable, "non déclarable", "non déclarables")}, faute de : ${blockers.slice(0, 3).join(" ; ")}${blockers.length > 3 ? " ; …" : ""}`
                : null,
            ]
              .filter(Boolean)
              .join(" et ")}.`
          : null,
      links:
        toDeclare.length && notDeclarable
          ? [
              { label: toDeclare.length > 1 ? "Déclarer les titulaires prêts" : "Déclarer le titulaire prêt", href: `/declarations?statut=${TO_SEND_FILTER}` },
              { label: notDeclarable > 1 ? "Compléter les non déclarables" : "Compléter le non déclarable", href: "/declarations?statut=not_declarable" },
            ]
          : undefined,
    },
    {
      key: "partials",
      label: "Validations partielles expirant dans les 90 jours",
      count: partials.length,
      href: "/candidates?filtre=validations-partielles",
      detail: partials.length ? partials.map((p) => `${p.candidate.givenNames} ${p.candidate.birthName}`).join(", ") : null,
    },
    {
      key: "cpne",
      label: "Décisions en attente de validation CPNE",
      count: validations.reduce((n, v) => n + v.decisions, 0),
      href: validations.length === 1 ? `/sessions/${validations[0]!.sessionId}/delivrance` : "/sessions?filtre=validation",
      detail: validations.length
        ? `${countOf(validations.length, "jury", "jurys")} : ${validations.map((v) => v.title + (v.returned ? " (renvoyé au jury)" : "")).join(", ")}`
        : null,
    },
    {
      key: "records",
      label: "Parchemins et attestations à délivrer",
      count: records.length,
      href: "/sessions?filtre=delivrances",
      detail: records.length ? records.slice(0, 3).map((r) => r.candidate).join(", ") + (records.length > 3 ? "…" : "") : null,
    },
    {
      key: "sheets",
      label: "Fiches de décision à signer par le président",
      count: sheets.length,
      href: sheetSessions.length === 1 ? `/sessions/${sheetSessions[0]}/delivrance` : sheetSessions.length ? "/sessions?filtre=fiches" : null,
      detail: sheets.length
        ? `Avant le document ou la validation CPNE : ${sheets.slice(0, 3).map((s) => s.candidate).join(", ")}${sheets.length > 3 ? "…" : ""}`
        : null,
    },
    {
      key: "notices",
      label: "Décisions à notifier aux candidats",
      count: toNotify,
      href: notices.length === 1 ? `/sessions/${notices[0]!.sessionId}/delivrance` : notices.length ? "/sessions?filtre=notifications" : null,
      detail: notices.length
        ? notices
            .slice(0, 3)
            .map((s) => `${s.title} : ${s.candidates.slice(0, 3).join(", ")}${s.candidates.length > 3 ? "…" : ""}`)
            .join(" ; ") + (notices.length > 3 ? " ; …" : "")
        : null,
    },
    {
      key: "appeals",
      label: "Recours en attente d'un jury",
      count: appeals.length,
      href: appeals.length === 1 ? `/dossiers/${appeals[0]!.dossierId}` : appeals.length ? "/candidates?filtre=recours" : null,
      detail: appeals.length ? `${unscheduled} à inscrire à l'ordre du jour d'un jury, ${countOf(appeals.length - unscheduled, "inscrit", "inscrits")}` : null,
    },
  ];
}
