/**
 * A query's SQL text from memory (app/platform/db/prisma-sql-render.server.ts) gives exactly what Prisma's runtime
 * builds for a `templateSql` node (its own function, read from the pinned @prisma/client/runtime/client.js), for every
 * kind of fragment and placeholder, and leaves chunking and malformed templates to the runtime.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderTemplateSql, renderTemplatesThroughQuorum, type TemplateSqlNode } from "~/platform/db/prisma-sql-render.server";

const require = createRequire(import.meta.url);
const file = require.resolve("@prisma/client/runtime/client.js");
const source = readFileSync(file, "utf8");

type BuildQueries = (node: object, scope: object, generators: object, maxBindValues?: number) => { sql: string; args: unknown[]; argTypes: unknown[] }[];

/** The runtime's own function that builds a node's queries (`No` in 6.19.3), from a fresh instance of the module. */
function runtimeBuildQueries(): BuildQueries {
  const fresh = new Module(file) as Module & { _compile(content: string, filename: string): void };
  fresh.filename = file;
  fresh.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  fresh._compile(`${source}\n;module.exports.__quorumBuildQueries = No;`, file);
  return (fresh.exports as { __quorumBuildQueries: BuildQueries }).__quorumBuildQueries;
}
const buildQueries = runtimeBuildQueries();

const text = { arity: "scalar", scalarType: "string", dbType: null };
const int = { arity: "scalar", scalarType: "int", dbType: null };
const pair = { arity: "tuple", elements: [text, int] };
const chunk = (c: string) => ({ type: "stringChunk" as const, chunk: c });
const dollar = { prefix: "$", hasNumbering: true };
const question = { prefix: "?", hasNumbering: false };

/** A node of every kind of fragment; `ids` and `pairs` give its lists' lengths. */
function everyKind(format = dollar, chunkable = false): TemplateSqlNode & { args: unknown[] } {
  return {
    type: "templateSql",
    fragments: [
      chunk('SELECT "t0"."id" FROM "t" AS "t0" WHERE "t0"."org" = '),
      { type: "parameter" },
      chunk(' AND "t0"."id" IN '),
      { type: "parameterTuple" },
      chunk(' AND "t0"."kind" IN '),
      { type: "parameterTuple" },
      chunk(' AND ("t0"."a", "t0"."b") IN ('),
      { type: "parameterTupleList", itemPrefix: "(", itemSeparator: ",", itemSuffix: ")", groupSeparator: "," },
      chunk(") LIMIT "),
      { type: "parameter" },
    ],
    placeholderFormat: format,
    argTypes: [text, text, text, pair, int],
    chunkable,
    args: [],
  };
}
const params = (ids: number, pairs: number) => [
  "org-1",
  Array.from({ length: ids }, (_, i) => `id-${i}`),
  "SCALAR", // a tuple given one value
  Array.from({ length: pairs }, (_, i) => [`a-${i}`, i]),
  10,
];

/** The runtime's answer for these parameters (the node's `args` are constants: evaluated as they are). */
const runtime = (node: TemplateSqlNode & { args: unknown[] }, values: unknown[], max?: number) => buildQueries({ ...node, args: values }, {}, {}, max);

describe("a query's SQL text from memory", () => {
  it("writes what Prisma's runtime writes, for every kind of fragment, placeholder and list length", () => {
    for (const format of [dollar, question]) {
      const node = everyKind(format);
      for (const [ids, pairs] of [[3, 1], [0, 2], [1, 1], [3, 1], [250, 40], [0, 2]]) {
        const values = params(ids, pairs);
        expect(renderTemplateSql(node, values, 32_766), `${format.prefix} ${ids}/${pairs}`).toEqual(runtime(node, values, 32_766));
        expect(renderTemplateSql(node, values, undefined)).toEqual(runtime(node, values, undefined));
      }
    }
    // A text from memory serves the same shape with other values.
    const node = everyKind();
    const first = renderTemplateSql(node, params(3, 1), undefined)!;
    const other = params(3, 1).map((v, i) => (i === 0 ? "org-2" : v));
    expect(renderTemplateSql(node, other, undefined)).toEqual(runtime(node, other, undefined));
    expect(renderTemplateSql(node, other, undefined)![0]!.sql).toBe(first[0]!.sql);
  });

  it("leaves to the runtime the lists it must split, and the templates it refuses", () => {
    const node = everyKind(dollar, true);
    const many = params(40, 1);
    expect(runtime(node, many, 30).length).toBeGreaterThan(1); // the runtime splits them
    expect(renderTemplateSql(node, many, 30)).toBeNull();
    // Too few parameters, an empty list of tuples, a tuple list that is not one: the runtime throws its own error.
    const short = params(1, 1).slice(0, 3);
    expect(() => runtime(node, short)).toThrow();
    expect(renderTemplateSql(node, short, undefined)).toBeNull();
    const noPairs = params(1, 0);
    expect(() => runtime(node, noPairs)).toThrow();
    expect(renderTemplateSql(node, noPairs, undefined)).toBeNull();
  });

  it("is reached by one line of the pinned runtime, and leaves a runtime it does not recognise alone", () => {
    const rewritten = renderTemplatesThroughQuorum(source)!;
    expect(rewritten).not.toBeNull();
    expect(rewritten).toContain('globalThis[Symbol.for("quorum.renderTemplateSql")]');
    expect(renderTemplatesThroughQuorum(rewritten)).toBeNull();
    expect(renderTemplatesThroughQuorum(source.replace('case"templateSql":', 'case"template":'))).toBeNull();
  });
});
