/**
 * Sessions' kinds (commission or jury) as read by the session page, kept in memory: a session's kind never changes
 * once it exists, so the page goes straight to the jury room's read for a jury it has seen, instead of reading the
 * commission's room first (one statement, with the session's members, slots and référentiel, less per jury page).
 * Filled by `getSessionForViewer` (no read of its own); at most MAX_KEPT, least recently used dropped first. Safe
 * across processes: nothing ever writes a session's kind after its creation (a deleted session is refused by the
 * reads that follow).
 */
export type SessionKind = "COMMISSION" | "JURY";

const MAX_KEPT = 2_000;
const kinds = new Map<string, SessionKind>();

/** The kind of a session read before in this process, or undefined. */
export function knownSessionKind(sessionId: string): SessionKind | undefined {
  const known = kinds.get(sessionId);
  if (known) {
    kinds.delete(sessionId);
    kinds.set(sessionId, known);
  }
  return known;
}

export function rememberSessionKind(sessionId: string, kind: SessionKind): void {
  if (kinds.has(sessionId)) return;
  if (kinds.size >= MAX_KEPT) kinds.delete(kinds.keys().next().value as string);
  kinds.set(sessionId, kind);
}
