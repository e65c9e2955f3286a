/**
 * A query-plan cache for Prisma 6.19's client engine (decision 0014).
 *
 * Prisma 6.19 compiles every query in its WebAssembly query compiler, on the event loop, with no cache: 0.3–2 ms per
 * query with relation joins, about half of a page's CPU. Prisma 7.4 added a plan cache, but Prisma 7 cannot migrate
 * offline here (decision 0011). A compiled plan is a pure function of the query's JSON (model, action, arguments with
 * their values inlined, selection) and of the schema: the same read compiled twice gives the same plan, which the
 * interpreter only reads. So reads are memoised by their exact JSON: a request that a page sends for every viewer
 * (the session, its agenda, its référentiel) is compiled once, and each user's own reads once per user.
 *
 * Only reads are cached (findUnique/findFirst/findMany, their OrThrow forms, count, aggregate, groupBy): a write's
 * plan holds generated values (ids, `now()`) in some forms, and writes are rarer. Raw SQL (`$queryRaw`,
 * `$executeRaw`) is cached too: its plan is only the SQL text, its parameters and their types (0.2 ms to compile
 * each time; the live room reads a passage's signatures this way at every request, a jury command locks its row). Queries whose JSON is longer than
 * MAX_KEY_LENGTH (long `in` lists) are compiled each time. The cache is a per-compiler LRU of MAX_ENTRIES plans; a
 * plan enters it the second time its query is seen (the last MAX_ENTRIES queries seen once are remembered), so a
 * query that inlines a value changing at each call (a job poll's `lte: new Date()`) never pushes a plan out.
 *
 * It wraps `QueryCompiler.prototype.compile` of the runtime module that the generated client loads
 * (`@prisma/client/runtime/query_compiler_bg.postgresql.mjs`, the same ES module instance in the server entry and in
 * the Remix build). The Prisma version is pinned (package.json); `tests/integration/query-plan-cache.test.ts` checks
 * that cached plans are used, give the same results, and are never modified by the interpreter.
 */
import * as runtime from "@prisma/client/runtime/query_compiler_bg.postgresql.mjs";

const MAX_ENTRIES = 1000;
const MAX_KEY_LENGTH = 16_000;
const READ_ACTIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
]);
/** `JSON.stringify` of Prisma's JSON protocol request starts with the model and the action. */
const HEAD = /^\{"modelName":"[A-Za-z0-9_]+","action":"([A-Za-z]+)"/;
/** A raw query's request has no model: its action comes first. */
const RAW_HEAD = /^\{"action":"(?:queryRaw|executeRaw)","query":/;

type Compiler = { compile(request: string): unknown };
type Stats = { hits: number; misses: number; uncached: number };

const key = Symbol.for("quorum.queryPlanCache");
const store = globalThis as unknown as {
  [key]?: { stats: Stats; caches: WeakMap<object, { plans: Map<string, unknown>; seenOnce: Set<string> }>; freeze: boolean };
};

/** Whether a query's JSON may be answered from the cache. */
export function isCacheableQuery(request: string): boolean {
  if (request.length > MAX_KEY_LENGTH) return false;
  if (RAW_HEAD.test(request)) return true;
  const action = HEAD.exec(request)?.[1];
  return action !== undefined && READ_ACTIONS.has(action);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Installs the cache once per process. `freezePlans` (tests) deep-freezes every cached plan, so an interpreter that
 * wrote into a plan would throw instead of corrupting the next request.
 */
export function installQueryPlanCache(options: { freezePlans?: boolean } = {}): void {
  if (store[key]) {
    if (options.freezePlans) store[key].freeze = true;
    return;
  }
  const state = (store[key] = {
    stats: { hits: 0, misses: 0, uncached: 0 },
    caches: new WeakMap<object, { plans: Map<string, unknown>; seenOnce: Set<string> }>(),
    freeze: options.freezePlans === true,
  });
  const QueryCompiler = (runtime as unknown as { QueryCompiler: { prototype: Compiler } }).QueryCompiler;
  const compile = QueryCompiler.prototype.compile;
  QueryCompiler.prototype.compile = function cachedCompile(this: Compiler, request: string) {
    if (!isCacheableQuery(request)) {
      state.stats.uncached++;
      return compile.call(this, request);
    }
    let cache = state.caches.get(this);
    if (!cache) state.caches.set(this, (cache = { plans: new Map(), seenOnce: new Set() }));
    const { plans, seenOnce } = cache;
    const cached = plans.get(request);
    if (cached !== undefined) {
      state.stats.hits++;
      // Most recently used last: the Map's insertion order is the eviction order.
      plans.delete(request);
      plans.set(request, cached);
      return cached;
    }
    state.stats.misses++;
    const plan = compile.call(this, request);
    if (!seenOnce.delete(request)) {
      seenOnce.add(request);
      if (seenOnce.size > MAX_ENTRIES) seenOnce.delete(seenOnce.values().next().value as string);
      return plan;
    }
    if (state.freeze) deepFreeze(plan);
    plans.set(request, plan);
    if (plans.size > MAX_ENTRIES) plans.delete(plans.keys().next().value as string);
    return plan;
  };
}

/** Hits, misses and queries not eligible, since the process started (zeros before installation). */
export function queryPlanCacheStats(): Stats {
  return { ...(store[key]?.stats ?? { hits: 0, misses: 0, uncached: 0 }) };
}
