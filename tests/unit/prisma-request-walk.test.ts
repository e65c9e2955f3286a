/**
 * The lighter walks over a query's arguments and rows (app/platform/db/prisma-request-walk.server.ts) give what the
 * pinned Prisma runtime gives: its serializer (`Nn`) and its data mapper (`xl`), compiled fresh from
 * @prisma/client/runtime/client.js once as shipped and once rewritten, on the same calls, with Quorum's data model.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lighterRequestWalks } from "~/platform/db/prisma-request-walk.server";

const require = createRequire(import.meta.url);
const file = require.resolve("@prisma/client/runtime/client.js");
const source = readFileSync(file, "utf8");

type Serialize = (params: Record<string, unknown>) => unknown;
type MapData = (data: unknown, structure: object, enums: object) => unknown;
type Runtime = { serialize: Serialize; mapData: MapData; Context: new (params: Record<string, unknown>) => { findField(name: string): unknown } };

/** The runtime's serializer, data mapper and validation context, from a fresh instance of the module. */
function compile(text: string): Runtime {
  const fresh = new Module(file) as Module & { _compile(content: string, filename: string): void };
  fresh.filename = file;
  fresh.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  fresh._compile(`${text}\n;module.exports.__quorumWalks = { serialize: Nn, mapData: xl, Context: Bi };`, file);
  return (fresh.exports as { __quorumWalks: Runtime }).__quorumWalks;
}

const rewrittenSource = lighterRequestWalks(source);
const original = compile(source);
const rewritten = compile(rewrittenSource ?? source);

// Quorum's own data model, as the generated client hands it to the runtime.
const classFile = readFileSync(path.resolve("app/platform/db/generated/internal/class.ts"), "utf8");
const runtimeDataModel = JSON.parse(JSON.parse(`"${/config\.runtimeDataModel = JSON\.parse\("((?:[^"\\]|\\.)*)"\)/.exec(classFile)![1]}"`)) as {
  models: Record<string, { fields: { name: string }[] }>;
};

const call = (modelName: string, action: string, args: unknown) => ({
  modelName,
  action,
  args,
  runtimeDataModel,
  clientMethod: `${modelName}.${action}`,
  errorFormat: "minimal",
  clientVersion: "6.19",
  previewFeatures: [],
  globalOmit: undefined,
});

/** What each runtime answers for a call: the JSON query, or the message of the error it throws. */
function both(modelName: string, action: string, args: () => unknown) {
  const run = (runtime: Runtime) => {
    try {
      return { query: JSON.parse(JSON.stringify(runtime.serialize(call(modelName, action, args())))) as unknown };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  return { before: run(original), after: run(rewritten) };
}

describe("Prisma's walks over a query's arguments and rows, lighter", () => {
  it("rewrites the pinned runtime, and leaves a runtime it does not recognise alone", () => {
    expect(rewrittenSource).not.toBeNull();
    expect(rewrittenSource).toContain("__quorumEntriesOf(t)");
    expect(lighterRequestWalks(rewrittenSource!)).toBeNull();
    expect(lighterRequestWalks(source.replace("findField(t){return this.modelOrType?.fields.find(r=>r.name===t)}", "findField(t){return void 0}"))).toBeNull();
  });

  it("serializes every kind of argument as the runtime does", () => {
    const day = new Date("2026-12-04T10:00:00Z");
    const calls: [string, string, () => unknown][] = [
      ["Dossier", "findMany", () => ({
        where: {
          organisationId: "org-1",
          status: { in: ["SUBMITTED", "COMPLETE"] },
          id: { in: Array.from({ length: 250 }, (_, i) => `dossier-${i}`) },
          createdAt: { gte: day, lt: new Date(day.getTime() + 86_400_000) },
          OR: [{ candidate: { birthName: { contains: "Mar", mode: "insensitive" } } }, { vaeExperienceMonths: { gt: 12 } }, { vaeExperienceMonths: { in: [6, 12, 24] } }, { route: null }],
          companyOpinionFavourable: { in: [true, false] },
          NOT: { positioning: false },
        },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: 20,
        skip: 0,
        select: {
          id: true,
          status: true,
          route: false,
          positioning: undefined,
          candidate: { select: { birthName: true, trainer: { select: { displayName: true } } } },
          evidence: { where: { kind: { in: ["cv", "attestation"] } }, select: { kind: true } },
          blocs: { select: { blocId: true } },
        },
      })],
      ["Session", "findUnique", () => ({ where: { id: "s-1" }, include: { members: { where: { userId: "u-1" } }, slots: { orderBy: { position: "asc" } } } })],
      ["Session", "findMany", () => ({ where: { endsAt: { gte: day }, AND: [{ searchKey: { contains: "jury" } }], id: { in: [] } } })],
      ["Membership", "update", () => ({ where: { id: "m-1" }, data: { role: "SECRETARIAT" } })],
      // Refused values keep their messages: `undefined` and an invalid date in a list, an unknown field, a wrong type.
      ["Dossier", "findMany", () => ({ where: { id: { in: ["a", undefined, "c"] } } })],
      ["Dossier", "findMany", () => ({ where: { createdAt: { in: [day, new Date("not a date")] } } })],
      ["Dossier", "findMany", () => ({ select: { id: true, notAField: true } })],
      ["Dossier", "findMany", () => ({ include: { id: true } })],
      ["Dossier", "findMany", () => ({ select: { id: true, candidate: true, evidence: false } })],
      ["Dossier", "findMany", () => ({ select: { id: true, candidate: undefined } })],
    ];
    for (const [model, action, args] of calls) {
      const { before, after } = both(model, action, args);
      expect(after, `${model}.${action}`).toEqual(before);
    }
    expect(both("Dossier", "findMany", calls[4][2]).after).toHaveProperty("error");
    expect(both("Dossier", "findMany", calls[0][2]).after).toHaveProperty("query");
  });

  it("finds a model's fields by name as the runtime does", () => {
    for (const modelName of ["Dossier", "Session", "User"]) {
      const params = { runtimeDataModel, modelName, selectionPath: [], argumentPath: [] };
      const [before, after] = [new original.Context(params), new rewritten.Context(params)];
      for (const { name } of runtimeDataModel.models[modelName].fields) expect(after.findField(name)).toBe(before.findField(name));
      expect(after.findField("notAField")).toBeUndefined();
    }
  });

  it("maps rows as the runtime does, the same structure again and again", () => {
    const text = { type: "string", arity: "scalar" };
    const structure = {
      type: "object",
      fields: {
        id: { type: "field", dbName: "id", fieldType: text },
        months: { type: "field", dbName: "vaeExperienceMonths", fieldType: { type: "int", arity: "scalar" } },
        decidedAt: { type: "field", dbName: "decidedAt", fieldType: { type: "datetime", arity: "scalar" } },
        candidate: {
          type: "object",
          serializedName: "candidate",
          skipNulls: false,
          fields: { birthName: { type: "field", dbName: "birthName", fieldType: text }, givenNames: { type: "field", dbName: "givenNames", fieldType: text } },
        },
        evidence: { type: "object", serializedName: "evidence", skipNulls: true, fields: { kind: { type: "field", dbName: "kind", fieldType: text } } },
      },
    };
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `d-${i}`,
        vaeExperienceMonths: i === 1 ? null : 12 + i,
        decidedAt: "2026-12-04T10:00:00.000Z",
        candidate: JSON.stringify({ birthName: `Nom ${i}`, givenNames: "Élise" }),
        evidence: i % 2 ? [{ kind: "cv" }, null, { kind: "attestation" }] : [],
      }));
    for (const n of [3, 1, 0]) {
      expect(JSON.parse(JSON.stringify(rewritten.mapData(rows(n), structure, {})))).toEqual(JSON.parse(JSON.stringify(original.mapData(rows(n), structure, {}))));
    }
    const broken = [{ id: "d-1", decidedAt: null, candidate: null, evidence: [] }]; // a missing column
    expect(() => rewritten.mapData(broken, structure, {})).toThrow(/Missing data field \(Value\): 'vaeExperienceMonths'/);
    expect(() => original.mapData(broken, structure, {})).toThrow(/Missing data field \(Value\): 'vaeExperienceMonths'/);
  });
});
