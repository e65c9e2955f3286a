/** The delivery states the outbox filters by (app/platform/mail/list-outbox.server.ts), with their French labels. */
export const OUTBOX_STATES = ["pending", "sent", "failed"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = { pending: "En attente d'envoi", sent: "Envoyés", failed: "Échecs de l'envoi" };

export function outboxStateOf(value: string | null): OutboxState | null {
  return (OUTBOX_STATES as readonly string[]).includes(value ?? "") ? (value as OutboxState) : null;
}
