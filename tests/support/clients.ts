/**
 * Real clients of a running Quorum server, as a browser tab would be, for integration tests:
 *
 *   const ids = await findCommission(server.baseUrl, cookie);          // session, slots, competences (over HTTP)
 *   const grid = connectGrid(server.baseUrl, ids.documentName, cookie); // y-websocket provider with the cookie
 *   await until(() => grid.synced, "grid synced");
 *   grid.results.set(ids.competenceIds[0], "ACQUIS");
 *   const events = connectEvents(server.baseUrl, cookie);              // socket.io client with the cookie
 *   const ack = await events.join(ids.sessionId);
 *   closeAll(grid, events);
 *
 * The ids come from the pages' own data (Remix single-fetch `.data`), so a test never opens the database the
 * server is running on.
 */
import { io, type Socket } from "socket.io-client";
import { decode } from "turbo-stream";
import WebSocket from "ws";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { installAckHandler, MESSAGE_AUTH, type ProviderWithHandlers } from "../../realtime/yjs/protocol";

/* ------------------------------------------------------------------------------------------------ waiting */

/** Polls `predicate` until it holds; fails with `what` (and `details()`) past the deadline. Never a fixed sleep. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 10_000, details }: { timeoutMs?: number; details?: () => unknown } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      const extra = details ? `\n${JSON.stringify(details(), null, 2)}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${extra}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/* ------------------------------------------------------------------------------------------------ ids over HTTP */

/** GETs a route's single-fetch data (`<path>.data`, its query kept) with the cookie and decodes it (turbo-stream). */
export async function routeData<T>(baseUrl: string, path: string, cookie: string, routeId: string): Promise<T> {
  const [pathname, search] = path.split("?");
  const res = await fetch(`${baseUrl}${pathname}.data${search ? `?${search}` : ""}`, { headers: { Cookie: cookie }, redirect: "manual" });
  if (res.status !== 200 || !res.body) {
    throw new Error(`GET ${path}.data answered HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
  const { value, done } = await decode(res.body);
  await done;
  const route = (value as Record<string, { data?: unknown; error?: unknown }>)[routeId];
  if (!route || !("data" in route)) throw new Error(`GET ${path}.data: no data for route ${routeId}`);
  return route.data as T;
}

export type SessionIds = {
  sessionId: string;
  /** Candidate slots in their order of passage. */
  slotIds: string[];
  /** Competence ids of the session's référentiel, in order (the keys of a grid's maps). */
  competenceIds: string[];
  /** The grid of the first slot: `grid:<sessionId>:<slotId>`. */
  documentName: string;
  /** The people seated in the session (a member writes only their own `<userId>|<competenceId>` assessments). */
  members: Array<{ userId: string; displayName: string; role: string }>;
};

type SessionsData = { upcoming: Array<{ id: string; kind: string }>; past: Array<{ id: string; kind: string }> };
type SessionData = {
  session: {
    id: string;
    slots: Array<{ id: string }>;
    members: Array<{ userId: string; role: string; user: { displayName: string } }>;
  };
  referential: { blocs: Array<{ competences: Array<{ id: string }> }> } | null;
};

/** The ids of a session the cookie's user sees (/sessions), read from its page (/sessions/<id>). */
export async function findSession(baseUrl: string, cookie: string, kind: "COMMISSION" | "JURY"): Promise<SessionIds> {
  const list = await routeData<SessionsData>(baseUrl, "/sessions", cookie, "routes/sessions/sessions");
  const found = [...list.upcoming, ...list.past].find((session) => session.kind === kind);
  if (!found) throw new Error(`no ${kind} session visible on /sessions`);
  const page = await routeData<SessionData>(baseUrl, `/sessions/${found.id}`, cookie, "routes/sessions/session");
  const slotIds = page.session.slots.map((slot) => slot.id);
  const competenceIds = (page.referential?.blocs ?? []).flatMap((bloc) => bloc.competences.map((c) => c.id));
  if (slotIds.length === 0) throw new Error(`session ${found.id} has no candidate slot`);
  const members = page.session.members.map((m) => ({ userId: m.userId, displayName: m.user.displayName, role: m.role }));
  return { sessionId: found.id, slotIds, competenceIds, documentName: gridName(found.id, slotIds[0]), members };
}

export const findCommission = (baseUrl: string, cookie: string) => findSession(baseUrl, cookie, "COMMISSION");

export function gridName(sessionId: string, slotId: string): string {
  return `grid:${sessionId}:${slotId}`;
}

/* ------------------------------------------------------------------------------------------------ commands */

/**
 * A member declares the absence of conflict of interest for a candidate (POST on the passage, as the button of
 * the session page does): the grid is writable for them from their next connection on.
 */
export async function declareNoConflict(baseUrl: string, cookie: string, sessionId: string, slotId: string): Promise<void> {
  const res = await fetch(`${baseUrl}/sessions/${sessionId}/passages/${slotId}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "declare" }),
  });
  const body = await res.text();
  let ok = false;
  try {
    ok = res.status === 200 && (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`declaring no conflict on ${slotId} failed: HTTP ${res.status}\n${body.slice(0, 500)}`);
}

/**
 * A command on a candidate's passage (POST, as the session page's buttons do): `{ intent: "open-signing" }`,
 * `{ intent: "reopen", reason }`… The status and the JSON answer.
 */
export type PassageAnswer = {
  ok: boolean;
  error?: string;
  details?: string[];
  state?: { gridStatus: string; sealedHash: string | null };
};

/**
 * The sealed hash each command URL's page shows, from the latest command answer that carried one: a signature is
 * sent with it, as the page's sign form sends the hash it displays (`contentHash`).
 */
const shownHashes = new Map<string, string>();

/** Remembers the sealed hash a command's answer carries (its `state.sealedHash`) for that page. */
export function rememberShownHash(url: string, body: unknown): void {
  const hash = (body as { state?: { sealedHash?: unknown } } | null)?.state?.sealedHash;
  if (typeof hash === "string") shownHashes.set(url, hash);
}

/** A sign form's fields as the page sends them: with the hash it shows, unless the test gives one. */
export function asSignedFromPage(url: string, fields: Record<string, string>): Record<string, string> {
  if (fields.intent !== "sign" || "contentHash" in fields) return fields;
  return { ...fields, contentHash: shownHashes.get(url) ?? "" };
}

/** A command of the jury room (POST /sessions/:id/jury), as its page's fetcher sends it: status and JSON answer. */
export async function juryCommand<T>(baseUrl: string, cookie: string, sessionId: string, fields: Record<string, string>) {
  const res = await fetch(`${baseUrl}/sessions/${sessionId}/jury`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return { status: res.status, body: (await res.json()) as T };
}

export async function passageCommand(
  baseUrl: string,
  cookie: string,
  sessionId: string,
  slotId: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: PassageAnswer }> {
  const url = `/sessions/${sessionId}/passages/${slotId}`;
  const res = await fetch(`${baseUrl}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(asSignedFromPage(url, fields)),
  });
  const body = (await res.json()) as PassageAnswer;
  rememberShownHash(url, body);
  return { status: res.status, body };
}

type PlanningData = { members: Array<{ id: string; email: string }> };

/**
 * The secretariat removes a person's seat from a (planned, hence live) session through the planning page's form:
 * POST /sessions/<id>/planning { intent: "unseat-member", id: <seat id> }, the seat id read from the page's data.
 */
export async function unseatMember(baseUrl: string, secretariatCookie: string, sessionId: string, email: string): Promise<void> {
  const planning = await routeData<PlanningData>(baseUrl, `/sessions/${sessionId}/planning`, secretariatCookie, "routes/planning/planning");
  const seat = planning.members.find((member) => member.email === email);
  if (!seat) throw new Error(`${email} does not sit in session ${sessionId}`);
  const res = await fetch(`${baseUrl}/sessions/${sessionId}/planning`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: secretariatCookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "unseat-member", id: seat.id }),
  });
  if (res.status !== 302) throw new Error(`unseating ${email} failed: HTTP ${res.status}\n${(await res.text()).slice(0, 500)}`);
}

/* ------------------------------------------------------------------------------------------------ Yjs */

export type Closed = { code: number; reason: string };

export type GridClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The grid's maps, keyed by competence id. */
  results: Y.Map<string>;
  comments: Y.Map<string>;
  /** Each member's own assessments, keyed `<userId>|<competenceId>`. */
  assessments: Y.Map<string>;
  /** True once the first sync with the server completed. */
  readonly synced: boolean;
  /** Highest acknowledgement (message 100) received on the current connection. */
  readonly acked: number;
  /** Reasons of the permission-denied messages received. */
  denied: string[];
  /** Every frame the server sent, across reconnections. */
  readonly framesReceived: number;
  /** Close events of the websocket(s), in order. */
  closes: Closed[];
  /** Awareness states of the other clients (user field), as the grid shows them. */
  peers(): Array<{ name: string }>;
  close(): void;
};

/**
 * A y-websocket 3 provider on `/yjs/<documentName>`, sending `cookie` (null: none) with the upgrade as a browser
 * does. Its awareness carries `{ user: { name } }` like the grid's. Connects at once.
 */
export function connectGrid(
  baseUrl: string,
  documentName: string,
  cookie: string | null,
  options: { userName?: string } = {},
): GridClient {
  const doc = new Y.Doc();
  const closes: Closed[] = [];
  const denied: string[] = [];
  let framesReceived = 0;
  let synced = false;
  let acked = 0;

  // The cookie a browser would send, and a tap on what the server sends and how it closes.
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, cookie ? { headers: { Cookie: cookie } } : {});
      this.on("message", () => {
        framesReceived++;
      });
      this.on("close", (code: number, reason: Buffer) => {
        closes.push({ code, reason: reason.toString("utf8") });
      });
    }
  }

  const url = `${baseUrl.replace(/^http/, "ws")}/yjs`;
  const provider = new WebsocketProvider(url, documentName, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true, // two clients in one test process must talk through the server only
    maxBackoffTime: 500,
  });
  installAckHandler(provider as unknown as ProviderWithHandlers, (count) => {
    acked = Math.max(acked, count);
  });
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denied.push(reason));
  };
  provider.on("status", ({ status }) => {
    if (status === "connected") acked = 0; // a new connection acknowledges from zero
  });
  provider.on("sync", (isSynced: boolean) => {
    if (isSynced) synced = true;
  });
  if (options.userName) provider.awareness.setLocalStateField("user", { name: options.userName });

  return {
    doc,
    provider,
    results: doc.getMap<string>("result"),
    comments: doc.getMap<string>("comment"),
    assessments: doc.getMap<string>("assessment"),
    get synced() {
      return synced;
    },
    get acked() {
      return acked;
    },
    denied,
    get framesReceived() {
      return framesReceived;
    },
    closes,
    peers() {
      const list: Array<{ name: string }> = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const user = (state as { user?: { name?: unknown } }).user;
        if (clientId !== doc.clientID && user) list.push({ name: String(user.name) });
      });
      return list;
    },
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/* ------------------------------------------------------------------------------------------------ socket.io */

export type PresenceMember = { userId: string; displayName: string; role: string; devices: number; idle: boolean };
export type Presence = { sessionId: string; members: PresenceMember[] };
export type JoinAck =
  | { ok: true; seat: { role: string; college: string | null }; presence: Presence }
  | { ok: false; error: string };

export type EventsClient = {
  socket: Socket;
  /** Latest presence per session id (from the join ack, then from `presence` events). */
  presence: Map<string, Presence>;
  /** `connect_error` messages (French, from the server's `data.message`). */
  errors: string[];
  /** `session:removed` events received (the user's seat was removed). */
  removals: Array<{ sessionId: string; message: string }>;
  /** Reasons of the disconnections ("io server disconnect": the server's doing, the client does not retry). */
  disconnects: string[];
  readonly connected: boolean;
  join(sessionId: string): Promise<JoinAck>;
  /** Display names present in a session, as last seen. */
  membersOf(sessionId: string): string[];
  close(): void;
};

/** A render job's state as the server announces it to a session's room (`render:state`). */
export type RenderState = { sessionId: string; kind: string; documentId: string; status: string };

/** Every `render:state` the client receives from now on, in order. */
export function recordRenderStates(client: EventsClient): RenderState[] {
  const received: RenderState[] = [];
  client.socket.on("render:state", (state: RenderState) => received.push(state));
  return received;
}

/** A socket.io client on /socket.io (websocket transport), sending `cookie` (null: none) with the handshake. */
export function connectEvents(baseUrl: string, cookie: string | null): EventsClient {
  const socket = io(baseUrl, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: cookie ? { Cookie: cookie } : {},
    forceNew: true,
    reconnection: false,
  });
  const presence = new Map<string, Presence>();
  const errors: string[] = [];
  const removals: Array<{ sessionId: string; message: string }> = [];
  const disconnects: string[] = [];
  socket.on("presence", (update: Presence) => presence.set(update.sessionId, update));
  socket.on("session:removed", (removal: { sessionId: string; message: string }) => removals.push(removal));
  socket.on("disconnect", (reason: string) => disconnects.push(reason));
  socket.on("connect_error", (error: Error & { data?: { message?: string } }) => {
    errors.push(error.data?.message ?? error.message);
  });
  return {
    socket,
    presence,
    errors,
    removals,
    disconnects,
    get connected() {
      return socket.connected;
    },
    async join(sessionId) {
      const ack = (await socket.timeout(10_000).emitWithAck("session:join", { sessionId })) as JoinAck;
      // Our join's own presence broadcast follows the ack on this socket: later state always wins.
      if (ack.ok) presence.set(sessionId, ack.presence);
      return ack;
    },
    membersOf(sessionId) {
      return (presence.get(sessionId)?.members ?? []).map((member) => member.displayName).sort();
    },
    close() {
      socket.disconnect();
    },
  };
}

/** Closes every client given (grids and socket.io clients alike). */
export function closeAll(...clients: Array<{ close(): void } | undefined>): void {
  for (const client of clients) client?.close();
}

/**
 * The clients a test opens, closed after it whatever happened:
 *   const clients = clientTracker();  const alice = clients.track(connectGrid(…));  afterEach(clients.closeAll);
 */
export function clientTracker() {
  const open: Array<{ close(): void }> = [];
  return {
    track<T extends { close(): void }>(client: T): T {
      open.push(client);
      return client;
    },
    closeAll(): void {
      closeAll(...open.splice(0));
    },
  };
}
