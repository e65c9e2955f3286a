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
  // Sign-in, accounts and access (app/platform/auth, app/platform/audit/record-access)
  "auth.sign-in",
  "auth.sign-in.failed",
  "auth.sign-out",
  "auth.session.revoked",
  "auth.password.changed",
  "auth.password-reset.requested",
  "auth.password-reset.completed",
  // The organisation's members (administration)
  "member.invited",
  "member.added",
  "member.invitation-resent",
  "member.role-changed",
  "member.removed",
  "access.refused",
  "document.signed.downloaded",
  "evidence.identity.downloaded",
  // Live commission
  "slot.phase_changed",
  "slot.no_conflict_declared",
  // Archive and the Caisse des Dépôts declaration (app/archive)
  "archive.downloaded",
  "archive.verified",
  "archive.session_downloaded",
  "archive.retention_updated",
  "cdc.settings_updated",
  "cdc.declaration_exported",
  "cdc.acknowledgement_imported",
  // Remote sessions: who dropped out and came back (the minutes' technical incidents)
  "session.member_disconnected",
  "session.member_reconnected",
  // Live jury (app/live/jury)
  "jury.member_arrived",
  "jury.member_left",
  "jury.quorum_lost",
  "jury.quorum_recovered",
  "jury.proxy_granted",
  "jury.proxy_revoked",
  "jury.session_started",
  "jury.session_closed",
  "jury.phase_changed",
  "jury.conflict_declared",
  "jury.no_conflict_declared",
  "jury.conformity_acknowledged",
  "jury.poll_started",
  "jury.vote_cast",
  "jury.poll_finished",
  "jury.casting_vote",
  "jury.consensus_recorded",
  "jury.consensus_withdrawn",
  "jury.decision_recorded",
  "jury.candidate_postponed",
  // Delivery (app/delivery): issuing is "parchemin.sealed" / "attestation.sealed" (signing family)
  "delivery.record.revoked",
  "delivery.record.duplicated",
  "delivery.record.rectified",
  "delivery.decisions.returned",
  "delivery.notice.sent",
  "delivery.notice.reissued",
  // Appeals (recours): recorded by the secretariat, put on a jury's agenda, decided by that jury
  "appeal.recorded",
  "appeal.scheduled",
  "appeal.unscheduled",
  "appeal.decided",
] as const;

/** The documents signed through the signing core (app/signing): each kind's audit prefix. */
export const SIGNING_AUDIT_PREFIXES = ["grid", "decision", "minutes", "parchemin", "attestation", "validation", "notice"] as const;
export type SigningAuditPrefix = (typeof SIGNING_AUDIT_PREFIXES)[number];
/** What the signing core records of a document's life. */
export const SIGNING_AUDIT_STEPS = [
  "sealed",
  "signed",
  "completed",
  "reopened",
  "pdf_rendered",
  "pdf_render_retried",
  // An empêchement constaté: a signer recorded as unable to sign the round (never a signature, decision 0028).
  "signer_unavailable",
  // The vice-president's signature given in the stead of a prevented president (decision 0028): never his signature.
  "signed_for_prevented",
] as const;
export type SigningAuditAction = `${SigningAuditPrefix}.${(typeof SIGNING_AUDIT_STEPS)[number]}`;

export type AuditAction = (typeof AUDIT_ACTIONS)[number] | SigningAuditAction;

export function isAuditAction(value: string): value is AuditAction {
  if ((AUDIT_ACTIONS as readonly string[]).includes(value)) return true;
  const [prefix, step, ...rest] = value.split(".");
  return (
    rest.length === 0 &&
    (SIGNING_AUDIT_PREFIXES as readonly string[]).includes(prefix) &&
    (SIGNING_AUDIT_STEPS as readonly string[]).includes(step)
  );
}
