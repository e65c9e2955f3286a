/**
 * The closed list of audit actions: every event of the hash-chained audit trail names one of these. Adding an
 * action means adding it here (`recordAudit` accepts nothing else), so the trail's vocabulary is one place to read.
 */
export const AUDIT_ACTIONS = [
  // Certifications and référentiel
  "certification.create",
  "certification.update",
  "certification.scheme.update",
  "referential.import",
  "referential.publish",
  "referential.version.create",
  "referential.version.delete",
  "referential.version.notes",
  "referential.bloc.create",
  "referential.bloc.update",
  "referential.bloc.delete",
  "referential.competence.create",
  "referential.competence.update",
  "referential.competence.delete",
  "referential.criterion.create",
  "referential.criterion.update",
  "referential.criterion.delete",
  // Candidates and dossiers
  "candidate.create",
  "candidate.update",
  "dossier.create",
  "dossier.blocs.update",
  "dossier.company-opinion.record",
  "dossier.positioning.record",
  "dossier.status.change",
  "dossier.vae-admissibility.record",
  "evidence.add",
  "evidence.delete",
  // Planning
  "habilitation.create",
  "habilitation.renew",
  "session.plan",
  "session.update",
  "session.agenda.add",
  "session.agenda.remove",
  "session.convocations.send",
  "session.member.seat",
  "session.member.unseat",
  "session.slot.add",
  "session.slot.remove",
  // Live commission and signing
  "slot.phase_changed",
  "slot.no_conflict_declared",
  "grid.sealed",
  "grid.signed",
  "grid.completed",
  "grid.reopened",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
