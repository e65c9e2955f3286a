/**
 * Session events over socket.io (path /socket.io): cookie-authenticated sockets join the rooms of the live
 * sessions they sit in and see who is present; a manager of the session's organisation who does not sit in it follows
 * its events read-only (never counted present, nothing to send). The protocol (events, payloads, messages) is in protocol.ts.
 *
 * Rules: every handler is registered synchronously in `connection`; every payload is validated; a handler never
 * throws (errors become `{ ok: false, error }` acks, or are logged when the client gave no ack).
 */
import type http from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { z } from "zod";
import { isCrossOrigin, trustProxyFromEnv } from "~/platform/security/request-origin";
import { createPresenceBroadcaster, computePresence } from "./presence";
import {
  MESSAGES,
  presenceIdleSchema,
  sessionJoinSchema,
  sessionLeaveSchema,
  SOCKET_PATH,
  type AckError,
  type JoinAck,
  type SimpleAck,
} from "./protocol";
import { createTokenBucket } from "./rate-limit";
import { isUserRoom, roomOf, sessionIdOfRoom, SESSION_ROOM_EVENTS, userRoomOf } from "./session-room";
import type { IncomingEvents, SessionEventsDeps, SessionEventsServer, SocketData } from "./types";

export type { AuthenticatedUser, SeatRecord, SessionEventsDeps } from "./types";

const MAX_HTTP_BUFFER_SIZE = 64 * 1024;
const MAX_DISCONNECTION_MS = 2 * 60 * 1000;
/** A tab follows one session; a few more cover the session list and a second window. */
const MAX_SESSIONS_PER_SOCKET = 8;
const EVENTS_BURST = 30;
const EVENTS_PER_SECOND = 10;

const logError = (context: string, error: unknown) => {
  console.error(`[quorum:events] ${context} :`, error instanceof Error ? error.message : error);
};

function refusal(code: "unauthorized" | "forbidden" | "unavailable"): Error & { data: { message: string } } {
  return Object.assign(new Error(code), { data: { message: MESSAGES[code] } });
}

export type SessionEventsOptions = {
  /** A cluster adapter (scale mode: @socket.io/redis-adapter); default: this process's in-memory adapter. */
  adapter?: ServerOptions["adapter"];
  /**
   * Scale mode: another process ended login sessions (`announceSignInsEnded` there); this one closes the websockets
   * they opened here (realtime/sign-in-sweep.ts) without waiting for its next sweep.
   */
  onSignInsEndedElsewhere?: () => void;
};

/**
 * Connection-state recovery gives a socket back its rooms, its data and the events sent to its rooms while it was
 * away, before any middleware runs (socket.io writes the missed events as it builds the socket). A member whose seat
 * was removed during a network drop (the removal's re-check did not see the socket: it was not connected) came back
 * into the room — shown present to the others, receiving the passage states and the jury's events — and got what was
 * said meanwhile; so did a socket whose login session ended meanwhile, before its handshake was refused. Only a
 * socket whose login session is still open and whose every seat still holds is recovered; the others connect afresh:
 * no room, no missed events, and the page's join looks the seat up. A lookup that fails recovers nothing (fails closed).
 */
function refuseStaleRecovery(io: SessionEventsServer, deps: SessionEventsDeps): void {
  const adapter = io.of("/").adapter;
  const restore = adapter.restoreSession.bind(adapter);
  // Typed as always finding a session; socket.io (Namespace._createSocket) and the in-memory adapter use null for none.
  adapter.restoreSession = (async (pid: string, offset: string) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    const data = session.data as Partial<SocketData> | undefined;
    const userId = data?.user?.id;
    if (!userId) return null;
    try {
      const signInId = data.user?.signInId;
      if (signInId && deps.openSignIns && !(await deps.openSignIns([signInId])).has(signInId)) return null;
      const seats = await Promise.all(Object.keys(data.seats ?? {}).map((sessionId) => deps.findSeat(userId, sessionId)));
      // A session followed read-only comes back only if the user still manages its organisation.
      const follows = await Promise.all(
        Object.keys(data.follows ?? {}).map((sessionId) => (deps.managesSession ? deps.managesSession(userId, sessionId) : false)),
      );
      return seats.every((seat) => seat !== null) && follows.every(Boolean) ? session : null;
    } catch (error) {
      logError("reprise de connexion", error);
      return null;
    }
  }) as typeof adapter.restoreSession;
}

export function attachSessionEvents(
  httpServer: http.Server,
  deps: SessionEventsDeps,
  options: SessionEventsOptions = {},
): {
  io: SessionEventsServer;
  /**
   * Re-checks the seat of every socket in a session's room, in every process (the cluster adapter's
   * `fetchSockets()`): a socket whose user no longer sits in the session gets `session:removed` (French message),
   * then is disconnected; one whose seat could not be looked up leaves the room and gets `session:recheck` (it joins
   * again, and its join looks the seat up). Resolves once done; rejects when a peer process failed.
   */
  refreshSession(sessionId: string): Promise<void>;
  /**
   * The sessions whose room a socket of this user is in, in every process (the cluster adapter's `fetchSockets()` on
   * the user's own room), seated or following, open or closed. Rejects when a peer process failed.
   */
  sessionsOf(userId: string): Promise<string[]>;
  /** The login sessions this process's sockets were opened with (`AuthenticatedUser.signInId`). */
  signInIds(): Set<string>;
  /**
   * Disconnects this process's sockets opened with one of these login sessions, now ended: each session page it
   * joined gets `session:removed` with « Session fermée : reconnectez-vous… » (the page freezes, no retry).
   */
  endSignIns(ended: ReadonlySet<string>): void;
  /**
   * Tells the other processes (scale mode, through the cluster adapter) that login sessions were ended (committed):
   * each sweeps its own connections at once (`onSignInsEndedElsewhere`). Nothing without a cluster adapter. Never
   * throws: a message lost with Redis leaves it to their periodic sweep.
   */
  announceSignInsEnded(): void;
  close(): Promise<void>;
} {
  const io: SessionEventsServer = new Server(httpServer, {
    ...(options.adapter ? { adapter: options.adapter } : {}),
    path: SOCKET_PATH,
    destroyUpgrade: false,
    serveClient: false,
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    // Middlewares run again on recovery: a revoked session must not come back through a recovered socket.
    connectionStateRecovery: { maxDisconnectionDuration: MAX_DISCONNECTION_MS, skipMiddlewares: false },
    // No `cors`: same origin only.
  });
  const presence = createPresenceBroadcaster(io, (error) => logError("présence", error));
  refuseStaleRecovery(io, deps);
  if (options.adapter && options.onSignInsEndedElsewhere) io.on("quorum:sign-ins-ended", options.onSignInsEndedElsewhere);
  let closed = false;
  // One member's connection events in one session are handled in the order the server saw them: a page that closes
  // its socket and opens the next one (a navigation) has its disconnection settled before its return is recorded.
  const connectionQueues = new Map<string, Promise<void>>();
  const inOrder = (sessionId: string, userId: string, task: () => Promise<unknown> | undefined) => {
    const key = `${sessionId}\n${userId}`;
    const next = (connectionQueues.get(key) ?? Promise.resolve())
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => logError("incident de connexion", error),
      );
    connectionQueues.set(key, next);
    void next.then(() => {
      if (connectionQueues.get(key) === next) connectionQueues.delete(key);
    });
  };
  const recordConnection = async (
    sessionId: string,
    userId: string,
    kind: "DISCONNECTED" | "RECONNECTED",
    at: Date,
    said: { voluntary?: boolean; navigated?: boolean } = {},
  ) => {
    const recorded = await deps.recordConnection?.({
      sessionId,
      userId,
      kind,
      at,
      ...(said.voluntary ? { voluntary: true } : {}),
      ...(said.navigated ? { navigated: true } : {}),
    });
    // The minutes' incidents changed: an open procès-verbal refetches (even the page whose own return this is: it
    // was rendered before its join was recorded).
    if (recorded === true && !closed) io.to(roomOf(sessionId)).emit("session:connection", { sessionId, userId, kind });
  };

  io.use((socket, next) => {
    if (closed) return next(refusal("unavailable"));
    if (isCrossOrigin(socket.request.headers, trustProxyFromEnv())) return next(refusal("forbidden"));
    deps.authenticate(socket.request).then(
      (user) => {
        if (!user) return next(refusal("unauthorized"));
        const previous = socket.recovered ? socket.data : undefined;
        if (previous?.user?.id === user.id) {
          socket.data = { user, seats: previous.seats ?? {}, follows: previous.follows ?? {}, idle: previous.idle === true };
        } else {
          // Fresh connection, or a recovered state that belonged to someone else: start clean.
          for (const room of [...socket.rooms]) if (sessionIdOfRoom(room) || isUserRoom(room)) void socket.leave(room);
          socket.data = { user, seats: {}, follows: {}, idle: false };
        }
        next();
      },
      (error: unknown) => {
        logError("authentification", error);
        next(refusal("unavailable"));
      },
    );
  });

  io.on("connection", (socket) => {
    // Everything below registers synchronously: no await before the last `on`.
    const bucket = createTokenBucket(EVENTS_BURST, EVENTS_PER_SECOND);
    // The user's own room (`sessionsOf`); a recovered socket is in it already.
    void socket.join(userRoomOf(socket.data.user.id));

    function handle<S extends z.ZodTypeAny, A>(
      event: keyof IncomingEvents,
      schema: S,
      handler: (payload: z.infer<S>, reply: (result: A | AckError) => void) => void | Promise<void>,
    ) {
      socket.on(event, (...args: unknown[]) => {
        const last = args[args.length - 1];
        const ack = typeof last === "function" ? (last as (result: unknown) => void) : undefined;
        let replied = false;
        const reply = (result: A | AckError) => {
          if (!ack || replied) return;
          replied = true;
          try {
            ack(result);
          } catch (error) {
            logError(`${event} (ack)`, error);
          }
        };
        const fail = (error: unknown) => {
          logError(event, error);
          reply({ ok: false, error: MESSAGES.internal });
        };
        try {
          if (!bucket.take()) return reply({ ok: false, error: MESSAGES.rateLimited });
          const parsed = schema.safeParse(args.length > (ack ? 1 : 0) ? args[0] : undefined);
          if (!parsed.success) {
            return reply({ ok: false, error: parsed.error.issues[0]?.message ?? MESSAGES.invalid });
          }
          const pending = handler(parsed.data, reply);
          if (pending) pending.catch(fail);
        } catch (error) {
          fail(error);
        }
      });
    }

    /** Out of a session's room (if it was in, seated or following): no more presence or passage states from it. */
    async function leaveSession(sessionId: string): Promise<void> {
      const follows = (socket.data.follows ??= {});
      if (!socket.data.seats[sessionId] && !follows[sessionId]) return;
      const seated = Boolean(socket.data.seats[sessionId]);
      delete socket.data.seats[sessionId];
      delete follows[sessionId];
      await socket.leave(roomOf(sessionId));
      if (seated) presence.request(sessionId);
    }

    /**
     * Whether the user manages the session's organisation (may follow it read-only); a lookup that fails takes the
     * socket out of the room first (fails closed), then throws.
     */
    async function lookUpManager(userId: string, sessionId: string): Promise<boolean> {
      if (!deps.managesSession) return false;
      try {
        return await deps.managesSession(userId, sessionId);
      } catch (error) {
        await leaveSession(sessionId);
        throw error;
      }
    }

    /** The user's seat; a lookup that fails takes the socket out of the room first (fails closed), then throws. */
    async function lookUpSeat(userId: string, sessionId: string) {
      try {
        return await deps.findSeat(userId, sessionId);
      } catch (error) {
        await leaveSession(sessionId);
        throw error;
      }
    }

    handle<typeof sessionJoinSchema, Extract<JoinAck, { ok: true }>>(
      "session:join",
      sessionJoinSchema,
      async ({ sessionId, navigated }, reply) => {
        // The member is back from the moment their page asks, not once the lookups below have answered.
        const askedAt = new Date();
        const data = socket.data;
        const follows = (data.follows ??= {});
        const joined = Object.keys(data.seats).length + Object.keys(follows).length;
        if (!data.seats[sessionId] && !follows[sessionId] && joined >= MAX_SESSIONS_PER_SOCKET) {
          return reply({ ok: false, error: MESSAGES.tooManySessions });
        }
        // The handshake cookie again: a session revoked since the connection cannot join new rooms.
        const user = await deps.authenticate(socket.request);
        if (!socket.connected || closed) return reply({ ok: false, error: MESSAGES.unavailable });
        if (!user || user.id !== data.user.id) {
          reply({ ok: false, error: MESSAGES.unauthorized });
          socket.disconnect(true);
          return;
        }
        const seat = await lookUpSeat(user.id, sessionId);
        if (!socket.connected || closed) return reply({ ok: false, error: MESSAGES.unavailable });
        if (!seat) {
          // Not seated: a manager of the session's organisation follows it read-only (the procès-verbal and the jury
          // room as the secretariat sees them refresh with the session's events); anyone else is refused.
          const manages = await lookUpManager(user.id, sessionId);
          if (!socket.connected || closed) return reply({ ok: false, error: MESSAGES.unavailable });
          if (!manages) {
            await leaveSession(sessionId);
            return reply({ ok: false, error: MESSAGES.notSeated });
          }
          if (data.seats[sessionId]) {
            // Was seated on this socket, no longer is: out of the presence.
            delete data.seats[sessionId];
            presence.request(sessionId);
          }
          follows[sessionId] = true;
          await socket.join(roomOf(sessionId));
          // The presence of the seated members (the follower is not in it); no connection incident recorded.
          return reply({ ok: true, seat: null, presence: await computePresence(io, sessionId) });
        }
        delete follows[sessionId];
        data.seats[sessionId] = { role: seat.role, college: seat.college };
        await socket.join(roomOf(sessionId));
        // The seat again, now that the socket is in the room: a seat removed between the lookup above and the join
        // was refreshed (`refreshSession`) while this socket was not in the room yet. One more query per join.
        const still = await lookUpSeat(user.id, sessionId);
        if (!socket.connected || closed) return reply({ ok: false, error: MESSAGES.unavailable });
        if (!still) {
          await leaveSession(sessionId);
          return reply({ ok: false, error: MESSAGES.notSeated });
        }
        const snapshot = await computePresence(io, sessionId);
        reply({ ok: true, seat: { role: seat.role, college: seat.college }, presence: snapshot });
        presence.request(sessionId);
        // Back after a drop: the use case records it only when the member's last event was a disconnection.
        // Its page may say it replaced a page of the session its tab had just left (the minutes' navigation rule).
        inOrder(sessionId, user.id, () => recordConnection(sessionId, user.id, "RECONNECTED", askedAt, { navigated: navigated === true }));
      },
    );

    handle<typeof sessionLeaveSchema, Extract<SimpleAck, { ok: true }>>(
      "session:leave",
      sessionLeaveSchema,
      async ({ sessionId }, reply) => {
        await leaveSession(sessionId);
        reply({ ok: true });
      },
    );

    handle<typeof presenceIdleSchema, Extract<SimpleAck, { ok: true }>>(
      "presence:idle",
      presenceIdleSchema,
      ({ sessionId, idle }, reply) => {
        const data = socket.data;
        if (!data.seats[sessionId]) return reply({ ok: false, error: MESSAGES.notJoined });
        if (data.idle !== idle) {
          // Idleness belongs to the socket (one tab): every session it joined sees the change.
          data.idle = idle;
          for (const joined of Object.keys(data.seats)) presence.request(joined);
        }
        reply({ ok: true });
      },
    );

    for (const register of SESSION_ROOM_EVENTS) register(socket);

    socket.on("disconnect", (reason) => {
      const droppedAt = new Date();
      // The socket has already left its rooms: the recomputed presence no longer counts it.
      for (const sessionId of Object.keys(socket.data?.seats ?? {})) presence.request(sessionId);
      // An incident when it was the member's last socket in the session (not a server shutdown).
      const userId = socket.data?.user?.id;
      if (!userId || closed || reason === "server shutting down") return;
      // The page closed its own socket (it unmounts on a navigation, and on `pagehide` for a reload): the minutes
      // do not count it as an incident if the member is back soon enough (app/domain/minutes.ts isNavigation).
      const voluntary = reason === "client namespace disconnect";
      for (const sessionId of Object.keys(socket.data?.seats ?? {})) {
        inOrder(sessionId, userId, async () => {
          const now = await computePresence(io, sessionId);
          if (!now.members.some((m) => m.userId === userId)) await recordConnection(sessionId, userId, "DISCONNECTED", droppedAt, { voluntary });
        });
      }
    });
    socket.on("error", (error) => logError("socket", error));

    if (socket.recovered) {
      for (const sessionId of Object.keys(socket.data.seats)) {
        presence.request(sessionId);
        const recoveredAt = new Date();
        inOrder(sessionId, socket.data.user.id, () => recordConnection(sessionId, socket.data.user.id, "RECONNECTED", recoveredAt));
      }
    }
  });

  async function refreshSession(sessionId: string): Promise<void> {
    if (closed) return;
    const sockets = await io.in(roomOf(sessionId)).fetchSockets();
    // One lookup per user, whatever their number of tabs.
    const seated = new Map<string, Promise<"seated" | "removed" | "unverified">>();
    let recheck = false;
    await Promise.all(
      sockets.map(async (socket) => {
        const userId = socket.data?.user?.id;
        if (!userId) return;
        // A socket following the session read-only (no seat): still a manager of its organisation?
        const following = !socket.data.seats?.[sessionId] && socket.data.follows?.[sessionId] === true;
        const key = `${following ? "follows" : "seat"}:${userId}`;
        let check = seated.get(key);
        if (!check) {
          const lookup = following
            ? (deps.managesSession?.(userId, sessionId) ?? Promise.resolve(false))
            : deps.findSeat(userId, sessionId).then((seat) => seat !== null);
          check = lookup.then(
            (still) => (still ? "seated" : "removed"),
            (error: unknown) => {
              logError("réévaluation des sièges", error);
              return "unverified";
            },
          );
          seated.set(key, check);
        }
        const outcome = await check;
        if (outcome === "seated") return;
        if (outcome === "unverified") {
          // Fails closed: out of the room (no presence, no passage state) until a join finds the seat again. The
          // page joins again at once; its join re-checks the seat.
          recheck = true;
          socket.leave(roomOf(sessionId));
          socket.emit("session:recheck", { sessionId, message: MESSAGES.recheck });
          return;
        }
        // Through the adapter both reach the socket's own process in this order; the event is written before the
        // transport closes. Its process recomputes the room's presence on 'disconnect'.
        socket.emit("session:removed", { sessionId, message: MESSAGES.removed });
        socket.disconnect(true);
      }),
    );
    if (recheck) presence.request(sessionId);
  }

  async function sessionsOf(userId: string): Promise<string[]> {
    if (closed) return [];
    const sockets = await io.in(userRoomOf(userId)).fetchSockets();
    const sessionIds = new Set<string>();
    for (const socket of sockets) {
      for (const room of socket.rooms) {
        const sessionId = sessionIdOfRoom(room);
        if (sessionId) sessionIds.add(sessionId);
      }
    }
    return [...sessionIds];
  }

  return {
    io,
    refreshSession,
    sessionsOf,
    signInIds() {
      const ids = new Set<string>();
      for (const socket of io.of("/").sockets.values()) {
        const id = socket.data?.user?.signInId;
        if (id) ids.add(id);
      }
      return ids;
    },
    endSignIns(ended) {
      for (const socket of Array.from(io.of("/").sockets.values())) {
        const id = socket.data?.user?.signInId;
        if (!id || !ended.has(id)) continue;
        for (const sessionId of [...Object.keys(socket.data.seats ?? {}), ...Object.keys(socket.data.follows ?? {})]) {
          socket.emit("session:removed", { sessionId, message: MESSAGES.signedOut });
        }
        socket.disconnect(true);
      }
    },
    announceSignInsEnded() {
      if (!options.adapter || closed) return;
      try {
        io.serverSideEmit("quorum:sign-ins-ended");
      } catch (error) {
        logError("sessions fermées : autres processus non prévenus", error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      presence.stop();
      // Not `io.close()`: it also calls `httpServer.close(cb)`, whose callback waits for every HTTP and websocket
      // connection (Remix, Yjs) to end, while the composition root closes those after us. Closing the engine
      // disconnects every client the same way ("transport close": they reconnect to the next instance).
      io.engine.close();
      await Promise.allSettled([io.of("/").adapter.close()]);
    },
  };
}
