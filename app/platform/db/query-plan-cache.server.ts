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
 * Only reads are cached per value (findUnique/findFirst/findMany, their OrThrow forms, count, aggregate, groupBy):
 * writes are rarer, and most name a value of their own (a text, a number) that would only fill the cache. A write is
 * filled from a template (below) when its skeleton has one: its generated values (ids, `now()`) are generator calls
 * in the plan, run by the interpreter, so a write's plan is a pure function of its JSON as a read's is — and a plan
 * that held one would differ from its template and never be kept. Raw SQL (`$queryRaw`,
 * `$executeRaw`) is cached too: its plan is only the SQL text, its parameters and their types (0.2 ms to compile
 * each time; the live room reads a passage's signatures this way at every request, a jury command locks its row). Queries whose JSON is longer than
 * MAX_KEY_LENGTH (long `in` lists) are compiled each time. The cache is a per-compiler LRU of MAX_ENTRIES plans; a
 * plan enters it the second time its query is seen (the last MAX_ENTRIES queries seen once are remembered), so a
 * query that inlines a value changing at each call (a job poll's `lte: new Date()`) never pushes a plan out.
 *
 * Plan templates (decision 0014, « Plans filled from templates »): most reads name ids (a passage, a dossier, the
 * viewer), a sign-in session's hash or a date, so a page opened for another candidate or by another member compiled
 * anew. A read's skeleton is its JSON with each such value replaced by a sentinel of the same shape (equal values, the
 * same sentinel; a raw query's string and date parameters likewise). At a skeleton's second sighting its plan is
 * compiled with the sentinels and kept as a template, with where the sentinels landed, if and only if — filled with
 * that query's values — it equals the query's own plan (else the skeleton is compiled per value, as before: a
 * sentinel inside a `contains` pattern, say). Later queries of that skeleton get the template with their values at
 * the sentinels' places (only the nodes on those paths copied); a filled plan is kept for the same query again.
 * Under tests (QUORUM_QUERY_PLAN_FREEZE=1 or QUORUM_QUERY_PLAN_VERIFY=1) every filled plan is compared with the
 * compiler's own, and a difference throws.
 *
 * It wraps `QueryCompiler.prototype.compile` of the runtime module that the generated client loads
 * (`@prisma/client/runtime/query_compiler_bg.postgresql.mjs`, the same ES module instance in the server entry and in
 * the Remix build). The Prisma version is pinned (package.json); `tests/integration/query-plan-cache.test.ts` checks
 * that cached and filled plans are used, give each query its own results, and are never modified by the interpreter.
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
type Stats = {
  /** Plans served without compiling: the same JSON seen before, or a template filled with this query's values. */
  hits: number;
  /** Of the hits, those filled from a template. */
  templated: number;
  /** Queries compiled (a template's making compiles twice: counted once here). */
  misses: number;
  /** Queries never cached (writes, long JSON). */
  uncached: number;
  /** Templates made; skeletons whose plan did not come out as its template would (compiled per value since). */
  templates: number;
  untemplatable: number;
};

/**
 * A plan made once for a query's skeleton (its JSON with each id, token hash and date replaced by a sentinel of the
 * same shape), with where those sentinels landed in it: `patch` mirrors the plan along the paths that lead to them,
 * a number at a sentinel's place (its index among the query's values).
 */
type Patch = number | { [key: string]: Patch };
type Template = { plan: unknown; patch: Patch };
type Cache = { plans: Map<string, unknown>; filled: Map<string, unknown>; seenOnce: Set<string>; templates: Map<string, Template | null> };

const key = Symbol.for("quorum.queryPlanCache");
const store = globalThis as unknown as {
  [key]?: { stats: Stats; caches: WeakMap<object, Cache>; freeze: boolean; verify: boolean };
};

/** Whether a query's JSON may be answered from the cache. */
export function isCacheableQuery(request: string): boolean {
  if (request.length > MAX_KEY_LENGTH) return false;
  if (RAW_HEAD.test(request)) return true;
  const action = HEAD.exec(request)?.[1];
  return action !== undefined && READ_ACTIONS.has(action);
}

/**
 * The values a read names that change from one viewer, passage or minute to the next: row ids (Prisma's cuid, 25
 * characters), SHA-256 hashes in hex (the sign-in session's id) and dates. In the JSON protocol an id is a string
 * literal, a date `{"$type":"DateTime","value":"…"}`. (A raw query's parameters are an escaped string: never matched.)
 */
const VALUE = /"(c[a-z0-9]{24}|[0-9a-f]{64})"|"\$type":"DateTime","value":"([0-9T:.+Z-]{20,35})"/g;

/** The i-th sentinel of a value's shape: improbable as data, of the same shape so that Prisma compiles it alike. */
function sentinelOf(value: string, index: number, date: boolean): string {
  if (date) return new Date(Date.UTC(1901, 0, 1) + index * 1000).toISOString();
  return value.length === 25 ? `c${"q".repeat(20)}${index.toString(36).padStart(4, "0")}` : `${"e0".repeat(30)}${index.toString(16).padStart(4, "0")}`;
}

/**
 * A read's skeleton and values: its JSON with each distinct id, hash or date replaced by a sentinel (the same value
 * twice, the same sentinel: a skeleton also says which values are equal), and the values in sentinel order.
 */
export function skeletonOf(request: string): { skeleton: string; values: string[]; sentinels: string[] } | null {
  const values: string[] = [];
  const sentinels: string[] = [];
  const indexOf = new Map<string, number>();
  const skeleton = request.replace(VALUE, (match, id: string | undefined, date: string | undefined) => {
    const value = (id ?? date)!;
    let index = indexOf.get(value);
    if (index === undefined) {
      index = values.length;
      indexOf.set(value, index);
      values.push(value);
      sentinels.push(sentinelOf(value, index, date !== undefined));
    }
    return id !== undefined ? `"${sentinels[index]}"` : `"$type":"DateTime","value":"${sentinels[index]}"`;
  });
  return values.length ? { skeleton, values, sentinels } : null;
}

/**
 * A raw query's skeleton and values: its SQL text with each string, date and bytes parameter replaced by a sentinel
 * (Prisma types a raw parameter by its JavaScript type alone, so any string will do), in arrays too (their lengths
 * stay); numbers, booleans and null stay. A realtime edit's row on PostgreSQL (realtime/yjs/stores/tables.ts) is one
 * skeleton whatever its document, author and bytes.
 */
export function rawSkeletonOf(request: string): { skeleton: string; values: string[]; sentinels: string[] } | null {
  let parsed: { query?: { arguments?: { parameters?: unknown } } };
  let parameters: unknown;
  try {
    parsed = JSON.parse(request);
    parameters = JSON.parse(String(parsed.query?.arguments?.parameters));
  } catch {
    return null;
  }
  if (!Array.isArray(parameters)) return null;
  const values: string[] = [];
  const sentinels: string[] = [];
  const indexOf = new Map<string, number>();
  const sentinel = (value: string, kind: "text" | "date" | "bytes") => {
    const key = `${kind}:${value}`;
    const seen = indexOf.get(key);
    if (seen !== undefined) return sentinels[seen]!;
    const index = values.length;
    indexOf.set(key, index);
    values.push(value);
    const text = `quorum-sentinel-${index}-3f9c`;
    sentinels.push(kind === "date" ? sentinelOf(value, index, true) : kind === "bytes" ? Buffer.from(text).toString("base64") : text);
    return sentinels[index]!;
  };
  const replace = (value: unknown): unknown => {
    if (typeof value === "string") return sentinel(value, "text");
    if (Array.isArray(value)) return value.map(replace);
    const typed = value as { prisma__type?: unknown; prisma__value?: unknown } | null;
    if (typed && typeof typed === "object" && typeof typed.prisma__value === "string") {
      if (typed.prisma__type === "date") return { ...typed, prisma__value: sentinel(typed.prisma__value, "date") };
      if (typed.prisma__type === "bytes") return { ...typed, prisma__value: sentinel(typed.prisma__value, "bytes") };
    }
    return value;
  };
  const replaced = parameters.map(replace);
  if (!values.length) return null;
  parsed.query!.arguments!.parameters = JSON.stringify(replaced);
  return { skeleton: JSON.stringify(parsed), values, sentinels };
}

/**
 * Where the sentinels are in a plan compiled from a skeleton; null when one is part of a longer string (a `contains`
 * pattern, an SQL text): such a plan cannot be filled by replacing leaves.
 */
function patchOf(plan: unknown, sentinels: string[]): Patch | null | undefined {
  const index = new Map(sentinels.map((sentinel, i) => [sentinel, i]));
  let broken = false;
  const walk = (node: unknown): Patch | undefined => {
    if (typeof node === "string") {
      const at = index.get(node);
      if (at !== undefined) return at;
      if (sentinels.some((sentinel) => node.includes(sentinel))) broken = true;
      return undefined;
    }
    if (node === null || typeof node !== "object") return undefined;
    let patch: { [key: string]: Patch } | undefined;
    for (const [key, child] of Object.entries(node)) {
      const inner = walk(child);
      if (inner !== undefined) (patch ??= {})[key] = inner;
    }
    return patch;
  };
  const patch = walk(plan);
  return broken ? null : patch;
}

/** The template's plan with the query's values at the sentinels' places: copies only the nodes on those paths. */
function fill(node: unknown, patch: Patch, values: string[]): unknown {
  if (typeof patch === "number") return values[patch];
  const copy: Record<string, unknown> = Array.isArray(node) ? [...node] as unknown as Record<string, unknown> : { ...(node as object) };
  for (const key in patch) copy[key] = fill((node as Record<string, unknown>)[key], patch[key]!, values);
  return copy;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Installs the cache once per process. `freezePlans` (tests) deep-freezes every cached plan, so an interpreter that
 * wrote into a plan would throw instead of corrupting the next request. `templates: false` (QUORUM_QUERY_PLAN_TEMPLATES=0)
 * keeps plans per exact query only. `verifyTemplates` (tests) compiles every
 * query a template answers as well, and throws when the two plans differ.
 */
export function installQueryPlanCache(options: { freezePlans?: boolean; verifyTemplates?: boolean; templates?: boolean } = {}): void {
  if (store[key]) {
    if (options.freezePlans) store[key].freeze = true;
    if (options.verifyTemplates) store[key].verify = true;
    return;
  }
  const state = (store[key] = {
    stats: { hits: 0, templated: 0, misses: 0, uncached: 0, templates: 0, untemplatable: 0 },
    caches: new WeakMap<object, Cache>(),
    freeze: options.freezePlans === true,
    verify: options.verifyTemplates === true,
  });
  const templating = options.templates !== false;
  const QueryCompiler = (runtime as unknown as { QueryCompiler: { prototype: Compiler } }).QueryCompiler;
  const compile = QueryCompiler.prototype.compile;

  /** Most recently used last: a Map's insertion order is its eviction order. */
  const touch = <V>(map: Map<string, V>, request: string, value: V) => {
    map.delete(request);
    map.set(request, value);
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  };
  /** The second sighting of `request` (the first is only remembered): whether to keep what it compiles to. */
  const secondSighting = (seenOnce: Set<string>, request: string) => {
    if (seenOnce.delete(request)) return true;
    seenOnce.add(request);
    if (seenOnce.size > MAX_ENTRIES) seenOnce.delete(seenOnce.values().next().value as string);
    return false;
  };

  QueryCompiler.prototype.compile = function cachedCompile(this: Compiler, request: string) {
    const read = isCacheableQuery(request);
    // A write is never kept per value (see above), but is filled from a template when its skeleton has one.
    const write = !read && request.length <= MAX_KEY_LENGTH && HEAD.test(request);
    if (!read && !write) {
      state.stats.uncached++;
      return compile.call(this, request);
    }
    let cache = state.caches.get(this);
    if (!cache) state.caches.set(this, (cache = { plans: new Map(), filled: new Map(), seenOnce: new Set(), templates: new Map() }));
    const { plans, filled, seenOnce, templates } = cache;
    const cached = plans.get(request) ?? filled.get(request);
    if (cached !== undefined) {
      state.stats.hits++;
      touch(plans.has(request) ? plans : filled, request, cached);
      return cached;
    }
    // A read naming ids, hashes or dates (a raw query: strings or dates): one plan per skeleton, filled with each
    // query's values.
    const shape = !templating ? null : RAW_HEAD.test(request) ? rawSkeletonOf(request) : skeletonOf(request);
    if (shape) {
      const template = templates.get(shape.skeleton);
      if (template) {
        state.stats.hits++;
        state.stats.templated++;
        touch(templates, shape.skeleton, template);
        const plan = fill(template.plan, template.patch, shape.values);
        if (state.verify) {
          const compiled = compile.call(this, request);
          if (JSON.stringify(compiled) !== JSON.stringify(plan)) {
            throw new Error(`query-plan template mismatch for ${request.slice(0, 300)}: ${JSON.stringify(plan).slice(0, 300)}`);
          }
        }
        // The same query again (a page reloaded) finds its filled plan without scanning its JSON.
        if (state.freeze) deepFreeze(plan);
        touch(filled, request, plan);
        return plan;
      }
      if (template === undefined) {
        state.stats.misses++;
        const plan = compile.call(this, request);
        if (!secondSighting(seenOnce, shape.skeleton)) return plan;
        // The skeleton compiled with its sentinels; kept only if, filled with this query's values, it is this query's plan.
        let made: Template | null = null;
        try {
          const skeletonPlan = compile.call(this, shape.skeleton);
          const patch = patchOf(skeletonPlan, shape.sentinels);
          if (patch && typeof patch === "object" && JSON.stringify(fill(skeletonPlan, patch, shape.values)) === JSON.stringify(plan)) {
            if (state.freeze) deepFreeze(skeletonPlan);
            made = { plan: skeletonPlan, patch };
          }
        } catch {
          // A sentinel Prisma refuses: compiled per value.
        }
        if (made) state.stats.templates++;
        else state.stats.untemplatable++;
        touch(templates, shape.skeleton, made);
        if (!made) return plan;
        // The template filled (equal to `plan`, checked above) rather than `plan`: it shares the template's nodes, so
        // its SQL text, written now, is the one the next queries of this skeleton find in memory (prisma-sql-render).
        const first = fill(made.plan, made.patch, shape.values);
        if (state.freeze) deepFreeze(first);
        touch(filled, request, first);
        return first;
      }
      // An untemplatable skeleton: a read cached per value, below.
    }
    if (write) {
      state.stats.uncached++;
      return compile.call(this, request);
    }
    state.stats.misses++;
    const plan = compile.call(this, request);
    if (!secondSighting(seenOnce, request)) return plan;
    if (state.freeze) deepFreeze(plan);
    touch(plans, request, plan);
    return plan;
  };
}

/** Hits, misses and queries not eligible, since the process started (zeros before installation). */
export function queryPlanCacheStats(): Stats {
  return { ...(store[key]?.stats ?? { hits: 0, templated: 0, misses: 0, uncached: 0, templates: 0, untemplatable: 0 }) };
}
