/**
 * The skeleton of a read (app/platform/db/query-plan-cache.server.ts): the values that change from one viewer, passage
 * or minute to the next become sentinels of the same shape, equal values the same sentinel; everything else stays.
 */
import { describe, expect, it } from "vitest";
import { rawSkeletonOf, skeletonOf } from "~/platform/db/query-plan-cache.server";

const id1 = "cmx94f7rr009zfb7dizujzoi1";
const id2 = "cmx94f6n50000fb7d1ndud3d1";
const hash = "9f".repeat(32);

describe("a query's skeleton", () => {
  it("replaces ids, hashes and dates, equal values by the same sentinel, and keeps enums, numbers and texts", () => {
    const request = JSON.stringify({
      modelName: "Session",
      action: "findMany",
      query: {
        arguments: {
          where: { organisationId: id1, id: { in: [id2, id1] }, tokenHash: hash, endsAt: { gte: { $type: "DateTime", value: "2026-12-04T15:00:00.000Z" } }, status: "OPEN", title: "Jury" },
          take: 5,
        },
        selection: { id: true },
      },
    });
    const shape = skeletonOf(request)!;
    expect(shape.values).toEqual([id1, id2, hash, "2026-12-04T15:00:00.000Z"]);
    const [s1, s2, s3, s4] = shape.sentinels;
    expect(s1).toMatch(/^c[a-z0-9]{24}$/);
    expect(s3).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(s4!).toISOString()).toBe(s4);
    expect(new Set(shape.sentinels).size).toBe(4);
    const skeleton = JSON.parse(shape.skeleton);
    expect(skeleton.query.arguments.where).toEqual({
      organisationId: s1,
      id: { in: [s2, s1] },
      tokenHash: s3,
      endsAt: { gte: { $type: "DateTime", value: s4 } },
      status: "OPEN",
      title: "Jury",
    });
    expect(skeleton.query.arguments.take).toBe(5);
    // Other values, the same skeleton; nothing to replace, no skeleton.
    expect(skeletonOf(request.replaceAll(id1, "cmx94f7rr009zfb7dizujzoi9").replace("15:00:00", "16:00:00"))!.skeleton).toBe(shape.skeleton);
    expect(skeletonOf(JSON.stringify({ modelName: "User", action: "findUnique", query: { arguments: { where: { email: "a@b.fr" } } } }))).toBeNull();
  });

  it("replaces a raw query's string and date parameters, and keeps its numbers", () => {
    const request = JSON.stringify({
      action: "queryRaw",
      query: {
        arguments: {
          query: 'SELECT * FROM "Signature" WHERE "documentKind" = $1 AND "documentId" = $2 AND "signedAt" > $3 LIMIT $4',
          parameters: JSON.stringify(["grid", id1, { prisma__type: "date", prisma__value: "2026-12-04T15:00:00.000Z" }, 5]),
        },
        selection: {},
      },
    });
    const shape = rawSkeletonOf(request)!;
    expect(shape.values).toEqual(["grid", id1, "2026-12-04T15:00:00.000Z"]);
    const parameters = JSON.parse(JSON.parse(shape.skeleton).query.arguments.parameters);
    expect(parameters).toEqual([shape.sentinels[0], shape.sentinels[1], { prisma__type: "date", prisma__value: shape.sentinels[2] }, 5]);
    expect(JSON.parse(shape.skeleton).query.arguments.query).toContain('"documentId" = $2');
    // Bytes and arrays too (a realtime edit's rows): a text equal to a date is not that date.
    const rows = JSON.stringify({
      action: "queryRaw",
      query: {
        arguments: {
          query: "INSERT …",
          parameters: JSON.stringify([[id1, id1], ["AQID", "BAUG"], { prisma__type: "bytes", prisma__value: "AQID" }, "2026-12-04T15:00:00.000Z", { prisma__type: "date", prisma__value: "2026-12-04T15:00:00.000Z" }]),
        },
        selection: {},
      },
    });
    const many = rawSkeletonOf(rows)!;
    expect(many.values).toEqual([id1, "AQID", "BAUG", "AQID", "2026-12-04T15:00:00.000Z", "2026-12-04T15:00:00.000Z"]);
    const [first, second, third, bytes, text, date] = many.sentinels;
    expect(JSON.parse(JSON.parse(many.skeleton).query.arguments.parameters)).toEqual([
      [first, first],
      [second, third],
      { prisma__type: "bytes", prisma__value: bytes },
      text,
      { prisma__type: "date", prisma__value: date },
    ]);
    expect(Buffer.from(bytes!, "base64").toString()).toMatch(/^quorum-sentinel-/);
  });
});
