/**
 * The session-events protocol (socket.io, path /socket.io): event names, payload schemas and types shared by the
 * server (realtime/events/server.ts) and the browser client. Pure: no Node, no React, no Remix imports.
 *
 * Client → server (every payload validated; the ack, when given, always receives an `Ack`):
 *   session:join   { sessionId }            ack → { ok: true, seat, presence } | { ok: false, error }
 *                                          (seat null: a manager of the session's organisation who does not sit in
 *                                          it follows its events read-only, and is never shown present)
 *   session:leave  { sessionId }            ack → { ok: true } | { ok: false, error }
 *   presence:idle  { sessionId, idle }      ack → { ok: true } | { ok: false, error }
 * Server → client:
 *   presence         { sessionId, members: [{ userId, displayName, role, devices, idle }] }
 *   session:removed  { sessionId, message }   the user no longer sits in the session; the server then disconnects
 *                                            the socket (reason "io server disconnect": the client does not retry)
 *   session:recheck  { sessionId, message }   the seat could not be re-checked after a change of seats (database
 *                                            unreachable): the socket was taken out of the room; join again
 *   slot:state       SlotState                a passage's live state (sent by the commission use cases)
 */
import { z } from "zod";
import type { College, Presence, PresenceMember, SeatRole, ServerToClientEvents, SessionRemoved } from "~/live/session-events";

// What the server sends is typed once, in app/live/session-events.ts (the use cases send "slot:state" through the
// RealtimePort); re-exported here for the server and the client.
export type { College, Presence, PresenceMember, SeatRole, ServerToClientEvents, SessionRemoved };

export const SOCKET_PATH = "/socket.io";


/** Ids are cuids in the database; accept any short opaque token and let the seat lookup decide. */
const sessionId = z
  .string({
    required_error: "Identifiant de session manquant.",
    invalid_type_error: "Identifiant de session invalide.",
  })
  .min(1, "Identifiant de session manquant.")
  .max(64, "Identifiant de session invalide.")
  .regex(/^[A-Za-z0-9_-]+$/, "Identifiant de session invalide.");

const REQUEST = { required_error: "Requête invalide.", invalid_type_error: "Requête invalide." };

/**
 * `navigated`: this page replaced a page of the same session its browser tab had just left (a reload, a link followed,
 * a page restored from the back-forward cache), as the leaving page noted in the tab's storage
 * (app/components/live/page-socket.ts). Only the minutes read it (app/domain/minutes.ts isNavigation).
 */
export const sessionJoinSchema = z.object({ sessionId, navigated: z.boolean(REQUEST).optional() }, REQUEST);
export const sessionLeaveSchema = z.object({ sessionId }, REQUEST);
export const presenceIdleSchema = z.object(
  {
    sessionId,
    idle: z.boolean({
      required_error: "État d'activité manquant.",
      invalid_type_error: "État d'activité invalide.",
    }),
  },
  REQUEST,
);

export type SessionJoinPayload = z.infer<typeof sessionJoinSchema>;
export type SessionLeavePayload = z.infer<typeof sessionLeaveSchema>;
export type PresenceIdlePayload = z.infer<typeof presenceIdleSchema>;

export type AckError = { ok: false; error: string };
export type JoinAck = { ok: true; seat: { role: SeatRole; college: College } | null; presence: Presence } | AckError;
export type SimpleAck = { ok: true } | AckError;

/** Typing for the browser: `io() as Socket<ServerToClientEvents, ClientToServerEvents>` (socket.io-client). */
export interface ClientToServerEvents {
  "session:join": (payload: SessionJoinPayload, ack: (result: JoinAck) => void) => void;
  "session:leave": (payload: SessionLeavePayload, ack?: (result: SimpleAck) => void) => void;
  "presence:idle": (payload: PresenceIdlePayload, ack?: (result: SimpleAck) => void) => void;
}

/** French messages sent to clients (acks and connect_error data). */
export const MESSAGES = {
  unauthorized: "Session expirée ou absente : reconnectez-vous.",
  forbidden: "Connexion refusée : elle ne provient pas de Quorum (contrôle d'origine).",
  unavailable: "Service temps réel momentanément indisponible : réessayez dans un instant.",
  notSeated: "Vous ne siégez pas dans cette session.",
  removed: "Vous ne siégez plus dans cette session.",
  signedOut: "Session fermée : reconnectez-vous pour continuer.",
  recheck: "Vos droits dans cette session n'ont pas pu être vérifiés : nouvelle vérification en cours…",
  notJoined: "Vous n'avez pas rejoint cette session.",
  tooManySessions: "Trop de sessions ouvertes sur cette connexion.",
  rateLimited: "Trop de requêtes : ralentissez un instant.",
  invalid: "Requête invalide.",
  internal: "Erreur interne : réessayez dans un instant.",
} as const;
