/**
 * Quorum's one HTTP server: Remix (pages and actions), socket.io (/socket.io, session events) and the Yjs
 * endpoint (/yjs/<document>), behind one upgrade dispatcher. Run from the working directory that holds ./build:
 *   NODE_ENV=production → `node build/node/server.js` (this file bundled by `npm run build`, vite.server.config.ts),
 *                         serves the Vite build in ./build;
 *   otherwise           → `node --import tsx server.ts`, Vite middleware with HMR.
 */
// First: rewrites a line of @remix-run/router and of Prisma's runtime as Node compiles them (decision 0014).
import { packageRewrites } from "~/platform/package-rewrites.server";
import { readdirSync } from "node:fs";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import type { Duplex } from "node:stream";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Server as SocketServer } from "socket.io";
import {
  authenticateCookieHeader,
  openSignInIds,
  readSessionToken,
  sessionCookie,
  type ValidSession,
} from "~/platform/auth/session.server";
import { dataDir, sharedEmbeddedDatabase } from "~/platform/db/adapters.server";
import { benchStatsEnabled, queryCount, sendStatementCount } from "~/platform/db/query-counter.server";
import { queryPlanCacheStats } from "~/platform/db/query-plan-cache.server";
import { sqlRenderStats } from "~/platform/db/prisma-sql-render.server";
import { namedStatementStats } from "~/platform/db/pg-statements.server";
import { disconnectDatabase, isEmbeddedDatabase, prisma } from "~/platform/db/db.server";
import { startEmbeddedMaintenance } from "~/platform/db/embedded-maintenance.server";
import { registerEmbeddedDatabase } from "~/platform/db/pglite.server";
import { startPGliteThread } from "~/platform/db/pglite-thread.server";
import { startTestDatabaseChannel } from "~/platform/db/test-channel.server";
import type { RealtimePort } from "~/live/realtime-port";
import { createNonce, MAX_DROPPED_BODY, requestRefusal, securityHeaders, urlRefusal } from "~/platform/http/front-door";
import { bodyRefusalOf, dropUnreadBody, refuseBodyInPage } from "~/platform/http/unread-body.server";
import { runInRequestScope } from "~/platform/http/request-scope.server";
import { batchResponseWrites } from "~/platform/http/batched-writes.server";
import { createAdmissionGate, isOverloaded, maxConcurrentRequests, maxQueueWaitMs } from "~/platform/http/admission-gate.server";
import { coalescedReadStats } from "~/platform/http/coalesced-read.server";
import { refuseTransientDatabaseErrors } from "~/platform/http/transient-refusals.server";
import { installRouteMatchCache, routeMatchStats } from "~/platform/http/route-match-cache.server";
import { settleSignIn } from "~/platform/http/settle-sign-in.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { crossSiteRefusal } from "~/platform/security/origin.server";
import { findSeat, managesSession, resolveDocumentGrant } from "~/live/sessions/access.server";
import { parseDocumentName } from "~/domain/access";
import { parsePreconisationsDocumentName } from "~/domain/preconisations";
import { parseMinutesDocumentName } from "~/domain/minutes";
import { startRenderJobs } from "~/signing/render-jobs.server";
import { startOutboxDelivery } from "~/platform/mail/deliver-emails.server";
import { recordConnectionEvent } from "~/live/sessions/record-connection-event.server";
import type { RenderQueuePort } from "~/signing/ports";
import { trustProxyFromEnv } from "~/platform/security/request-origin";
import { seedDemoIfEmpty } from "./prisma/seed/demo";
import { attachSessionEvents } from "./realtime/events/server";
import { roomOf } from "./realtime/events/session-room";
import { scaleConfig, startScaleOut } from "./realtime/scale";
import { startSignInSweep } from "./realtime/sign-in-sweep";
import { gridSchema } from "./realtime/yjs/grid-schema";
import { minutesSchema } from "./realtime/yjs/minutes-schema";
import { preconisationsSchema } from "./realtime/yjs/preconisations-schema";
import { createYjsServer } from "./realtime/yjs/server";
import { openDocumentStore, storeKind } from "./realtime/yjs/stores";

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
/** TRUST_PROXY: behind an HTTPS reverse proxy; only then X-Forwarded-* count and the cookie is `__Host-`, Secure. */
const trustProxy = trustProxyFromEnv();
const log = (message: string) => console.log(`[quorum] ${message}`);
/** How soon a login session ended through another process (scale mode) closes this process's websockets. */
const SIGN_IN_SWEEP_MS = Number(process.env.QUORUM_SIGN_IN_SWEEP_MS) || 15_000;

async function main() {
  const app = express();
  const admission = createAdmissionGate({ limit: maxConcurrentRequests(), maxWaitMs: maxQueueWaitMs() });
  app.disable("x-powered-by");
  // Express reads X-Forwarded-For/-Proto (req.ip, req.secure) only from a trusted proxy (the first hop).
  app.set("trust proxy", trustProxy ? 1 : false);
  publicUrl(); // a malformed PUBLIC_URL stops the boot here
  const httpServer = http.createServer(app);
  // An idle keep-alive connection is closed after 65 s, not Node's 5 s: a client whose own idle timeout is also ~5 s
  // (Node's agent, Playwright's request context) could send its next request on a connection the server was closing
  // at that moment, and get « read ECONNRESET » instead of an answer (seen once in the E2E suite). Headers must still
  // arrive within a minute and a second.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  // Embedded PGlite runs in a worker thread, off the event loop that carries every room's messages
  // (docs/decisions/0005-pglite-worker-thread.md). QUORUM_PGLITE_THREAD=main keeps it in this thread.
  if (isEmbeddedDatabase() && process.env.QUORUM_PGLITE_THREAD !== "main") {
    registerEmbeddedDatabase(dataDir(), await startPGliteThread(dataDir()));
    log(`base embarquée PGlite (${dataDir()}) dans un thread dédié`);
  }

  // Collaborative documents: which store serves which mode is decided in realtime/yjs/stores/index.ts. Embedded mode
  // commits each Yjs edit to a journal file, then to PGlite in the background; what a crash left in the journal is
  // stored now, before anything reads the documents (docs/decisions/0006-embedded-yjs-journal.md).
  const scaling = scaleConfig();
  const documentStore = await openDocumentStore(
    storeKind({ scale: scaling !== null, embeddedDatabase: isEmbeddedDatabase() }) === "embedded"
      ? {
          kind: "embedded",
          journalDir: path.join(dataDir(), "yjs-journal"),
          db: sharedEmbeddedDatabase(),
          logger: { info: log, warn: console.warn, error: console.error },
        }
      : { kind: scaling ? "scale" : "postgres" },
  );

  // Scale mode (REDIS_URL): socket.io and Yjs changes cross processes through Redis; otherwise no Redis at all.
  // The scale store touches nothing when opened: a misconfiguration (PGlite) stops the boot here.
  const scale = scaling
    ? await startScaleOut({
        ...scaling,
        sharedDatabase: !isEmbeddedDatabase(),
        store: documentStore.store,
        logger: { info: (message) => console.log(message), warn: console.warn, error: console.error },
      })
    : null;

  // PGlite has no autovacuum and no checkpointer: the server does their work (app/platform/db/embedded-maintenance.server).
  const maintenance = isEmbeddedDatabase()
    ? startEmbeddedMaintenance(prisma, { logger: { info: (message) => console.log(message), error: console.error } })
    : null;

  if (process.env.QUORUM_DEMO !== "off") {
    const seeded = await seedDemoIfEmpty(prisma);
    if (seeded) log("base vide : organisation de démonstration créée (QUORUM_DEMO=off pour ne pas la créer)");
  }

  /* ---------------------------------------------------------------- realtime */
  const authenticate = async (req: http.IncomingMessage) => {
    const session = await authenticateCookieHeader(req.headers.cookie);
    // The login session too: its connections are closed when it ends (realtime/sign-in-sweep.ts).
    return session ? { ...session.user, signInId: session.id } : null;
  };
  const yjs = createYjsServer({
    authenticate,
    resolveAccess: resolveDocumentGrant,
    // Every update of a grid, of a jury's préconisations or of the minutes' remarks is checked against its schema
    // before it is applied or stored.
    schemaFor: (name) =>
      parseDocumentName(name)
        ? gridSchema
        : parsePreconisationsDocumentName(name)
          ? preconisationsSchema
          : parseMinutesDocumentName(name)
            ? minutesSchema
            : null,
    store: documentStore.store,
    ...(scale ? { broadcaster: scale.broadcaster } : {}),
  });
  const events = attachSessionEvents(
    httpServer,
    { authenticate, findSeat, managesSession, openSignIns: openSignInIds, recordConnection: recordConnectionEvent },
    // Scale mode: a login session ended through another process closes its websockets here at once (the sweep below).
    { adapter: scale?.socketAdapter, onSignInsEndedElsewhere: () => void signIns.sweep() },
  );
  // Ended login sessions (signed out, closed, password changed or reset) close the websockets they opened: at once in
  // this process and, told through Redis, in the others (scale mode); every SIGN_IN_SWEEP_MS in any case, for a
  // message lost with Redis.
  const signIns = startSignInSweep({
    holders: [yjs, events],
    stillOpen: openSignInIds,
    periodMs: SIGN_IN_SWEEP_MS,
    logger: { error: (message, error) => console.error(message, error ?? "") },
  });
  // The commission use cases reach the realtime side only through this port (app/ never imports realtime/).
  const realtime: RealtimePort = {
    seal: (name, inside) => yjs.sealWith(name, inside),
    unseal: (name, inside) => yjs.unsealWith(name, inside),
    notifySession: (sessionId, event, payload) => {
      (events.io as unknown as SocketServer).to(roomOf(sessionId)).emit(event, payload);
    },
    refreshSessionAccess: async (sessionId, documentNames) => {
      await Promise.all([yjs.refreshAccess(documentNames), events.refreshSession(sessionId)]);
    },
    sessionsOpenedBy: async (userId) => {
      const sessions = new Set(await events.sessionsOf(userId));
      for (const name of yjs.documentsOf(userId)) {
        const sessionId = parseDocumentName(name)?.sessionId ?? parsePreconisationsDocumentName(name)?.sessionId ?? parseMinutesDocumentName(name);
        if (sessionId) sessions.add(sessionId);
      }
      return [...sessions];
    },
    refreshUserAccess: (userId) => yjs.refreshUser(userId),
    signInsEnded: () => {
      events.announceSignInsEnded();
      return signIns.sweep();
    },
    // Edits received are stored (every loaded document's pipeline), then the journal's rows reach the tables.
    storeAcknowledgedEdits: async () => {
      await yjs.flush();
      await documentStore.drain();
    },
  };

  // Signed documents' PDFs: rendered after their signing committed, in a worker thread (app/signing/render-jobs.server).
  const renderJobs = startRenderJobs({
    realtime,
    logger: { info: log, error: (message, error) => console.error(message, error ?? "") },
    // Several processes share the queue in scale mode: a starting one leaves its peers' running jobs alone.
    sharedQueue: scale !== null,
  });
  await renderJobs.ready;
  // E-mails still due to the SMTP relay (SMTP_URL): left by a killed process, refused by the relay, or not waited for
  // by their use case (app/platform/mail/deliver-emails.server). Shared by the processes, like the render queue.
  const outbox = startOutboxDelivery({ logger: { info: log, error: (message, error) => console.error(message, error ?? "") } });

  /* ---------------------------------------------------------------- benchmark figures (QUORUM_BENCH_STATS=1 only) */
  // `npm run bench:pages` reads this process's CPU, memory, SQL statement count and event-loop delay here.
  // Off by default: the route does not exist unless the variable is set.
  if (benchStatsEnabled()) {
    // The histogram records the interval between the firings of a 10 ms timer (an idle loop reads ~10.2 ms); the
    // delay reported is how late the timer fired: that interval minus its period (as @fastify/under-pressure does).
    const LOOP_RESOLUTION_MS = 10;
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    app.get("/__bench/stats", async (req, res) => {
      const cpu = process.cpuUsage();
      const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
      const body = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssMiB: process.memoryUsage().rss / 1024 / 1024,
        queries: queryCount(),
        queryPlans: queryPlanCacheStats(),
        admission: admission.stats(),
        routeMatches: { ...routeMatchStats(), staticHandlerThroughMemo: packageRewrites().router },
        sqlTexts: { ...sqlRenderStats(), runtimeRewritten: packageRewrites().prisma },
        preparedStatements: namedStatementStats(),
        reactChunksAsStrings: packageRewrites().react,
        coalescedReads: coalescedReadStats(),
        loopDelay: { p50: late(loopDelay.percentile(50)), p99: late(loopDelay.percentile(99)), max: late(loopDelay.max), count: loopDelay.count },
        renderJobsOpen:
          req.query.renderJobs === "1" ? await prisma.renderJob.count({ where: { status: { in: ["PENDING", "RUNNING"] } } }) : null,
      };
      if (req.query.reset === "1") loopDelay.reset();
      res.json(body);
    });
  }

  /* ---------------------------------------------------------------- front door (every response) */
  // Security headers with a per-response CSP nonce (handed to Remix through the load context), then the
  // method, length and type checks that run before any body is read (app/platform/http/front-door.ts).
  app.use((req, res, next) => {
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, https: req.secure, dev: !production }));
    const refusal = requestRefusal(req.method, req.path, req.headers) ?? urlRefusal(req.originalUrl);
    if (refusal?.status === 413 && Number(req.headers["content-length"]) <= MAX_DROPPED_BODY) {
      // A form over its page's limit, as a browser sends it: the page answers in French, the body is dropped after.
      refuseBodyInPage(req, refusal);
      return next();
    }
    if (refusal) {
      // The body is not read: the connection closes after the answer.
      res.set({ Connection: "close", ...refusal.headers });
      res.status(refusal.status).type("text/plain; charset=utf-8").send(refusal.message);
      return;
    }
    next();
  });
  // A form answered before its body was read (a guard's redirect): the rest is dropped, the connection goes on.
  app.use(dropUnreadBody);

  /* ---------------------------------------------------------------- Remix */
  let vite: import("vite").ViteDevServer | undefined;
  if (production) {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    // The other public files (favicon…) by name: a page URL never costs a disk lookup.
    const publicFiles = new Set(
      readdirSync("build/client", { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `/${entry.name}`),
    );
    const publicStatic = express.static("build/client", { maxAge: "1h", index: false });
    app.use((req, res, next) => (publicFiles.has(req.path) ? publicStatic(req, res, next) : next()));
  } else {
    const { createServer } = await import("vite");
    const before = new Set(process.listeners("SIGTERM"));
    vite = await createServer({
      server: { middlewareMode: true, hmr: { server: httpServer } },
      appType: "custom",
    });
    // Vite's inner server exits the process on SIGTERM; our shutdown must run instead.
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
      for (const listener of process.listeners(signal)) {
        if (!before.has(listener)) process.off(signal, listener);
      }
    }
    app.use(vite.middlewares);
  }

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  // Cross-site protection for every state-changing request (Remix actions included): a foreign or missing Origin is a
  // 403 in French, so `curl -X POST -b <session cookie>` gets nothing done (origin.server.ts: why the websockets differ).
  app.use((req, res, next) => {
    const refusal = crossSiteRefusal(req.method, req.headers, trustProxy);
    if (refusal) {
      res.status(403).type("text/plain; charset=utf-8").send(refusal);
      return;
    }
    next();
  });

  // At most a few page and data requests worked on at once, the others queued in order (admission-gate.server.ts).
  app.use(admission.gate);

  // Resolve the login session once per page or data request, while Remix routes it and its loaders start (they await
  // it through the guards: settleSignIn below holds every loader's and action's answer until it is read); renew the
  // cookie when the expiry slid.
  app.use((req, res, next) => {
    // A request the gate refused reads nothing: its loaders and actions answer « réessayez » (transient-refusals).
    const token = isOverloaded(req) ? null : readSessionToken(req.headers.cookie);
    // QUORUM_BENCH_STATS=1: the request's SQL statements, sign-in read included, in its X-Quorum-Statements header.
    const statements = benchStatsEnabled() ? sendStatementCount(res) : undefined;
    const auth: Promise<ValidSession | null> = token
      ? runInRequestScope({ auth: Promise.resolve(null), statements }, () => authenticateCookieHeader(req.headers.cookie))
      : Promise.resolve(null);
    auth.then(
      (session) => {
        if (session?.renewed && token && !res.headersSent) res.append("Set-Cookie", sessionCookie(token, session.expiresAt, req.secure || trustProxy));
      },
      () => {}, // a failed read reaches the loaders that await it (a transient failure: « réessayez »)
    );
    res.locals.auth = auth;
    // The loaders read the session's memberships from here instead of querying them again.
    runInRequestScope({ auth, reads: req.method === "GET" || req.method === "HEAD" ? new Map() : null, statements }, next);
  });

  // Remix's route matching memoised (every page calls it five times), and a page's chunks sent in one write per turn.
  installRouteMatchCache();
  app.use((_req, res, next) => {
    batchResponseWrites(res);
    next();
  });

  // Transient database failures (busy, deadlock) answer a French « réessayez », not a 500 (transient-refusals.server.ts).
  const build = vite
    ? async () => refuseTransientDatabaseErrors(settleSignIn((await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild))
    : refuseTransientDatabaseErrors(settleSignIn((await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (req, res) => ({
        clientIp: req.ip ?? req.socket.remoteAddress ?? null,
        auth: res.locals.auth as Promise<ValidSession | null>,
        secure: req.secure || trustProxy,
        cspNonce: String(res.locals.cspNonce ?? ""),
        realtime,
        renderQueue: renderJobs,
        overloaded: isOverloaded(req),
        bodyRefusal: bodyRefusalOf(req),
      }),
    }),
  );

  /* ---------------------------------------------------------------- one upgrade dispatcher */
  httpServer.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/socket.io/")) return; // engine.io's own upgrade listener takes it
    if (path.startsWith("/yjs/")) return yjs.handleUpgrade(req, socket, head);
    if (vite && String(req.headers["sec-websocket-protocol"] ?? "").includes("vite-hmr")) return; // HMR
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    socket.destroy();
  });

  // Tests only: the harness's Prisma calls on this database while the server runs (QUORUM_TEST_DB_CHANNEL and an IPC
  // channel to the parent process, never reachable over the network).
  startTestDatabaseChannel(log);

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  log(`prêt sur http://localhost:${actualPort} (${production ? "production" : "développement"})`);

  /* ---------------------------------------------------------------- graceful shutdown */
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} reçu : arrêt en cours…`);
    const force = setTimeout(() => {
      console.error("[quorum] arrêt forcé après 10 s");
      process.exit(1);
    }, 10_000);
    force.unref();
    httpServer.close();
    signIns.stop();
    await events.close();
    await renderJobs.stop(); // a render in progress finishes; the others stay queued for the next start
    await outbox.stop(); // an e-mail being handed over finishes; the others stay due
    await yjs.close(); // flushes pending document updates
    await documentStore.close(); // and stores what the journal holds
    await scale?.close();
    await maintenance?.stop();
    await vite?.close();
    httpServer.closeAllConnections();
    await disconnectDatabase();
    log("arrêt terminé");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch(async (error) => {
  console.error("[quorum] démarrage impossible :", error);
  await disconnectDatabase().catch(() => {});
  process.exit(1);
});

declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp: string | null;
    /**
     * The signed-in session of this request, read by the server while Remix routes it (await it, or use the guards of
     * app/platform/auth/guards.server.ts); every loader and action has awaited it before the response goes out.
     */
    auth: Promise<ValidSession | null>;
    /** Whether the request came over HTTPS (cookies then get `Secure`). */
    secure: boolean;
    /** This response's Content-Security-Policy nonce, for Remix's inline scripts (app/entry.server.tsx). */
    cspNonce: string;
    /** Sealing and session broadcasts for the commission use cases. */
    realtime: RealtimePort;
    /** The PDF render runner, told when a signing committed a render job. */
    renderQueue: RenderQueuePort;
    /** The admission gate refused this request (the server is far behind): it answers 503 « réessayez », doing nothing. */
    overloaded?: boolean;
    /** The front door refused this form's body (over its page's limit): the action answers this, reading nothing. */
    bodyRefusal?: { status: number; message: string } | null;
  }
}
