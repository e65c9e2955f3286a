/**
 * Where a holder's declaration to the Caisse des Dépôts stands (app/archive/cdc/declaration-status.ts), as the
 * declarations page and the candidate's page say it: the days left, what is missing with the way to put each right (the
 * holder's form at its field, the certification's code at its field, or who reports a value Quorum computes), the file
 * that carried it, the Caisse des Dépôts' rejection.
 */
import { Link } from "@remix-run/react";
import { DECLARATION_STATUS_LABELS, type DeclarationStatus } from "~/archive/cdc/declaration-status";
import type { DeclarationGap } from "~/archive/cdc/declaration";
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";

/** Each way out of « non déclarable », once: the holder's identity, the certification's code, Quorum's administration. */
export function GapFixes({ gaps, candidateId, certificationId }: { gaps: readonly DeclarationGap[]; candidateId: string; certificationId: string }) {
  const identity = gaps.find((g) => g.fix.on === "candidate")?.fix;
  const certification = gaps.find((g) => g.fix.on === "certification")?.fix;
  const computed = gaps.filter((g) => g.fix.on === "quorum");
  // Each way out apart from the next (they ran together as one sentence), wrapping on a phone.
  return (
    <>
      {" "}
      <span className="inline-flex flex-wrap gap-x-3">
        {identity && identity.on === "candidate" ? (
          <Link to={`/candidates/${candidateId}/edit#candidate-${identity.field}`} className="text-brand-700 underline" data-testid="holder-complete">
            Compléter son identité
          </Link>
        ) : null}
        {certification && certification.on === "certification" ? (
          <Link to={`/certifications/${certificationId}#certification-${certification.field}`} className="text-brand-700 underline" data-testid="holder-certification">
            Renseigner le code RNCP ou RS de la certification
          </Link>
        ) : null}
      </span>
      {computed.length > 0 ? (
        <span data-testid="holder-computed">
          {" "}
          ({computed.map((g) => g.label).join(", ")} : calculé par Quorum, aucun formulaire ne le modifie — à signaler à l'administration de Quorum)
        </span>
      ) : null}
    </>
  );
}

/** A holder's declaration as one line: its state and what it says (days left, what is missing and where to fix it…). */
export function DeclarationStatusText({
  status,
  gaps,
  candidateId,
  certificationId,
}: {
  status: DeclarationStatus;
  gaps: readonly DeclarationGap[];
  candidateId: string;
  certificationId: string;
}) {
  const label = DECLARATION_STATUS_LABELS[status.kind];
  switch (status.kind) {
    case "to_declare":
      return (
        <span>
          {label} — <strong>{status.daysLeft} jour{status.daysLeft > 1 ? "s" : ""} restant{status.daysLeft > 1 ? "s" : ""}</strong> (avant le{" "}
          {formatLongDay(status.deadline)})
        </span>
      );
    case "past_deadline":
      return (
        <span className="text-red-800">
          {label} de {status.daysLate} jour{status.daysLate > 1 ? "s" : ""} (échéance {formatLongDay(status.deadline)})
        </span>
      );
    case "not_declarable":
      return (
        <span className="text-amber-800">
          {label} — manque : {status.missing.join(", ")}
          <GapFixes gaps={gaps} candidateId={candidateId} certificationId={certificationId} />
        </span>
      );
    case "rejected":
      return (
        <span className="text-red-800">
          {label} : {status.message}
        </span>
      );
    case "identity_changed":
      return (
        <span className="text-amber-800" data-testid="identity-changed">
          {label} depuis la déclaration{status.declaredOn ? ` du ${formatLongDay(status.declaredOn)}` : ""} : à redéclarer
        </span>
      );
    case "exported":
      return <span>{label}</span>;
    case "accepted":
      return <span className="text-emerald-800">{label}</span>;
  }
}

/** A record's declaration as the candidate's page receives it (the holder's status, or why there is none). */
export type RecordDeclarationView =
  | {
      kind: "holder";
      status: DeclarationStatus;
      gaps: DeclarationGap[];
      candidateId: string;
      certificationId: string;
      /** The last file that carried the passage, and when it was generated (ISO), when it was. */
      idFlux: string | null;
      exportedAt: string | null;
    }
  | { kind: "none"; reason: string };

/** Under a record on the candidate's page: where its holder's declaration to the Caisse des Dépôts stands. */
export function RecordDeclarationLine({ declaration }: { declaration: RecordDeclarationView }) {
  if (declaration.kind === "none") {
    return (
      <p className="text-sm text-slate-600" data-testid="record-declaration">
        Déclaration à la Caisse des Dépôts : {declaration.reason}
      </p>
    );
  }
  const { status, idFlux, exportedAt } = declaration;
  // The file that carried it: what « exporté », « accepté », « rejeté », « identité modifiée » refer to.
  const file = exportedAt && status.kind !== "to_declare" && status.kind !== "past_deadline" ? ` — dernier fichier : ${idFlux ?? "sans identifiant"}, généré le ${formatParisLongDate(exportedAt)}` : "";
  return (
    <p className="text-sm" data-testid="record-declaration">
      Déclaration à la Caisse des Dépôts :{" "}
      <DeclarationStatusText status={status} gaps={declaration.gaps} candidateId={declaration.candidateId} certificationId={declaration.certificationId} />
      {file ? <span className="text-slate-700" data-testid="record-declaration-file">{file}</span> : null}
      {" · "}
      <Link to="/declarations" className="text-brand-700 underline">
        Voir la déclaration des titulaires
      </Link>
    </p>
  );
}
