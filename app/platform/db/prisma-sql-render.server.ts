/**
 * A query's SQL text rendered once per plan (decision 0014, « The SQL text of a cached plan »).
 *
 * Prisma 6.19's interpreter turns a plan's `templateSql` node into SQL at every execution: it walks the fragments
 * with generators three times (twice to see whether the parameters must be split into chunks, once to write the
 * text), spreading an object per fragment and a generator step per value of every `IN` list, then concatenates the
 * text again. With the query-plan cache (query-plan-cache.server.ts) a page's plans are the same objects from one
 * request to the next, and so is their text: only the values change. On the desk this was ~0.4 ms of CPU a request.
 *
 * `renderTemplateSql` does the interpreter's work in one pass and keeps the text (with the parameters' types) per plan
 * node's fragments and shape (the length of each `IN` list): the values are flattened afresh at each call. It answers null
 * whenever the interpreter's own path must run: parameters to split into chunks (more than the database's limit),
 * malformed templates (the interpreter throws its own errors), anything it does not know.
 *
 * It is reached through one line of Prisma's runtime, rewritten as Node compiles it (package-rewrites.server.ts): the
 * `templateSql` case of the function that builds a node's queries first asks `globalThis[RENDER]`.
 * `tests/unit/prisma-sql-render.test.ts` compares it with the runtime's own function on every kind of fragment.
 */

type Fragment =
  | { type: "stringChunk"; chunk: string }
  | { type: "parameter" }
  | { type: "parameterTuple" }
  | { type: "parameterTupleList"; itemPrefix: string; itemSeparator: string; itemSuffix: string; groupSeparator: string };
type PlaceholderFormat = { prefix: string; hasNumbering: boolean };
type ArgType = { arity?: string; elements?: ArgType[] } & Record<string, unknown>;
export type TemplateSqlNode = {
  type: "templateSql";
  fragments: Fragment[];
  placeholderFormat: PlaceholderFormat;
  argTypes?: ArgType[];
  chunkable?: boolean;
};
export type RenderedQuery = { sql: string; args: unknown[]; argTypes: ArgType[] };
type Text = { sql: string; argTypes: ArgType[] };

export const RENDER = Symbol.for("quorum.renderTemplateSql");
const MAX_SHAPES = 32;
const texts = new WeakMap<object, Map<string, Text>>();
const stats = { rendered: 0, fromMemory: 0, declined: 0 };

/** Texts written and reused, and nodes left to Prisma's own path, since the process started (`GET /__bench/stats`). */
export function sqlRenderStats(): { rendered: number; fromMemory: number; declined: number } {
  return { ...stats };
}

function placeholder(format: PlaceholderFormat, n: number): string {
  return format.hasNumbering ? `${format.prefix}${n}` : format.prefix;
}

/** The node's text for these parameters' shape, as the interpreter writes it (gg/yg in Prisma's runtime). */
function write(node: TemplateSqlNode, params: readonly unknown[]): Text | null {
  const { fragments, placeholderFormat: format, argTypes } = node;
  let sql = "";
  let n = 1;
  let p = 0;
  const types: ArgType[] = [];
  for (const fragment of fragments) {
    if (fragment.type === "stringChunk") {
      sql += fragment.chunk;
      continue;
    }
    const value = params[p];
    const type = argTypes?.[p];
    p++;
    let count: number;
    if (fragment.type === "parameter") {
      sql += placeholder(format, n++);
      count = 1;
    } else if (fragment.type === "parameterTuple") {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0) sql += "(NULL)";
      else {
        const marks: string[] = [];
        for (let k = 0; k < items.length; k++) marks.push(placeholder(format, n++));
        sql += `(${marks.join(",")})`;
      }
      count = items.length;
    } else if (fragment.type === "parameterTupleList") {
      const groups: string[] = [];
      count = 0;
      for (const tuple of value as unknown[][]) {
        const marks: string[] = [];
        for (let k = 0; k < tuple.length; k++) marks.push(placeholder(format, n++));
        groups.push(`${fragment.itemPrefix}${marks.join(fragment.itemSeparator)}${fragment.itemSuffix}`);
        count += tuple.length;
      }
      sql += groups.join(fragment.groupSeparator);
    } else return null;
    if (!type) return null;
    if (type.arity === "tuple") {
      const elements = type.elements;
      if (!Array.isArray(elements) || elements.length === 0 || count % elements.length !== 0) return null;
      for (let k = 0; k < count / elements.length; k++) types.push(...elements);
    } else for (let k = 0; k < count; k++) types.push(type);
  }
  return { sql, argTypes: types };
}

/**
 * The queries of a `templateSql` node for these evaluated parameters, or null to let Prisma's runtime build them
 * (`maxBindValues`: the database's limit on parameters per statement, when it has one).
 */
export function renderTemplateSql(node: TemplateSqlNode, params: readonly unknown[], maxBindValues: number | undefined): RenderedQuery[] | null {
  if (node === null || typeof node !== "object" || !Array.isArray(node.fragments) || !Array.isArray(params)) return decline();
  // The shape (each list's length) and the flat values, checked as the interpreter checks them.
  let shape = "";
  let p = 0;
  const args: unknown[] = [];
  for (const fragment of node.fragments) {
    if (fragment.type === "stringChunk") continue;
    if (p >= params.length) return decline();
    const value = params[p++];
    if (fragment.type === "parameter") args.push(value);
    else if (fragment.type === "parameterTuple") {
      if (Array.isArray(value)) {
        for (const item of value) args.push(item);
        shape += `${value.length},`;
      } else {
        args.push(value);
        shape += "1,";
      }
    } else if (fragment.type === "parameterTupleList") {
      if (!Array.isArray(value) || value.length === 0) return decline();
      for (const tuple of value) {
        if (!Array.isArray(tuple)) return decline();
        for (const item of tuple) args.push(item);
        shape += `${tuple.length}.`;
      }
      shape += ",";
    } else return decline();
  }
  if (maxBindValues !== undefined && (params.length > maxBindValues || (node.chunkable && args.length > maxBindValues))) return decline();
  // Keyed by the node's fragments, which a plan filled from a template shares with the template (its node is a copy
  // holding this query's values: query-plan-cache.server.ts), as it shares its parameters' types.
  let byShape = texts.get(node.fragments);
  if (!byShape) texts.set(node.fragments, (byShape = new Map()));
  let text = byShape.get(shape);
  if (text === undefined) {
    const written = write(node, params);
    if (written === null) return decline();
    text = written;
    if (byShape.size >= MAX_SHAPES) byShape.delete(byShape.keys().next().value as string);
    byShape.set(shape, text);
    stats.rendered++;
  } else stats.fromMemory++;
  return [{ sql: text.sql, args, argTypes: text.argTypes.slice() }];
}

function decline(): null {
  stats.declined++;
  return null;
}

/** The line of Prisma 6.19.3's runtime (`@prisma/client/runtime/client.js`) that builds a `templateSql` node's queries. */
const TEMPLATE_CASE =
  'case"templateSql":return(e.chunkable?Eg(e.fragments,i,n):[i]).map(s=>{if(n!==void 0&&s.length>n)throw new oe("The query parameter limit supported by your database is exceeded.","P2029");return gg(e.fragments,e.placeholderFormat,s,e.argTypes)});';

/** Prisma's runtime with its `templateSql` case asking `globalThis[RENDER]` first, or null when the line is not there. */
export function renderTemplatesThroughQuorum(source: string): string | null {
  if (source.split(TEMPLATE_CASE).length !== 2) return null;
  const own = 'case"templateSql":{let q=globalThis[Symbol.for("quorum.renderTemplateSql")],f=q?q(e,i,n):null;if(f)return f}';
  return source.replace(TEMPLATE_CASE, own + TEMPLATE_CASE.slice('case"templateSql":'.length));
}
