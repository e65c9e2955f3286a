/**
 * « Fermer cette session » on a real database (PGlite, or PostgreSQL in the postgres tier), in the test's process:
 * closing one of one's own sessions is recorded in the audit trail with the closing itself, as a sign-out is; another
 * user's session is never closed, and nothing is recorded for it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareDatabase, type TestDatabase } from "../support/server";

let database: TestDatabase;
let db: typeof import("~/platform/db/db.server");

beforeAll(async () => {
  database = await prepareDatabase();
  Object.assign(process.env, { QUORUM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "quorum-revocation-")) }, database.env);
  db = await import("~/platform/db/db.server");
});
afterAll(async () => {
  await db?.disconnectDatabase();
  await database?.dispose();
});

it("records the closing of one's other session, never closes another user's", async () => {
  const { createAuthSession, revokeUserSession, sessionIdFromToken } = await import("~/platform/auth/session.server");
  const [ana, bob] = await Promise.all(
    ["ana@example.org", "bob@example.org"].map((email) => db.prisma.user.create({ data: { email, displayName: email, passwordHash: "x" } })),
  );
  const phone = sessionIdFromToken((await createAuthSession(ana.id, { userAgent: "téléphone" })).token);
  const bobs = sessionIdFromToken((await createAuthSession(bob.id)).token);
  const meta = { ip: "203.0.113.9", userAgent: "ordinateur" };

  expect(await revokeUserSession(ana.id, bobs, meta)).toBe(false);
  expect(await db.prisma.authSession.count({ where: { id: bobs } })).toBe(1);
  expect(await revokeUserSession(ana.id, phone, meta)).toBe(true);
  expect(await revokeUserSession(ana.id, phone, meta)).toBe(false); // a double click: closed once
  expect(await db.prisma.authSession.count({ where: { id: phone } })).toBe(0);

  const events = await db.prisma.auditEvent.findMany({ where: { action: "auth.session.revoked" } });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ actorId: ana.id, subjectId: ana.id, ip: "203.0.113.9", userAgent: "ordinateur", data: { session: phone.slice(0, 12) } });
});
