/**
 * Which statements the app prepares on PostgreSQL (app/platform/db/pg-statements.server.ts): a text the second time it
 * is seen, under a name of its own that never changes, never transaction control, at most MAX_NAMED texts; one whose
 * table changed shape is named afresh.
 */
import { describe, expect, it } from "vitest";
import { MAX_NAMED, namedStatementStats, resultTypeChanged, statementFailed, statementName } from "~/platform/db/pg-statements.server";

const changed = Object.assign(new Error("cached plan must not change result type"), { code: "0A000" });

describe("named statements on PostgreSQL", () => {
  it("names a text at its second call, keeps its name, and gives every text its own", () => {
    const text = 'SELECT "id" FROM "Session" WHERE "id" = $1';
    expect(statementName(text)).toBeUndefined();
    const name = statementName(text);
    expect(name).toMatch(/^quorum_/);
    expect(statementName(text)).toBe(name);
    statementName('SELECT "id" FROM "Dossier" WHERE "id" = $1');
    const other = statementName('SELECT "id" FROM "Dossier" WHERE "id" = $1');
    expect(other).toMatch(/^quorum_/);
    expect(other).not.toBe(name);
  });

  it("never names transaction control or session settings", () => {
    for (const text of ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "  begin"]) {
      statementName(text);
      expect([text, statementName(text)]).toEqual([text, undefined]);
    }
  });

  it("names a text afresh when its table changed shape, and only for the failing name", () => {
    const text = 'SELECT * FROM "Probe" WHERE "a" = $1';
    statementName(text);
    const first = statementName(text)!;
    statementFailed(text, first, new Error("connection reset"));
    expect(statementName(text)).toBe(first);
    expect(resultTypeChanged(changed)).toBe(true);
    const retired = namedStatementStats().retired;
    statementFailed(text, first, changed);
    expect(namedStatementStats().retired).toBe(retired + 1);
    // Unnamed once more, then a new name (never the old one: other connections still hold it).
    expect(statementName(text)).toBeUndefined();
    const second = statementName(text)!;
    expect(second).toMatch(/^quorum_/);
    expect(second).not.toBe(first);
    // A late failure of the old name does not retire the new one.
    statementFailed(text, first, changed);
    expect(statementName(text)).toBe(second);
  });

  it("names at most MAX_NAMED texts per process; the others go unnamed", () => {
    const before = namedStatementStats().named;
    for (let i = 0; i < MAX_NAMED + 50; i++) {
      const text = `SELECT "id" FROM "Candidate" WHERE "id" IN (${Array.from({ length: i + 1 }, (_, k) => `$${k + 1}`).join(",")})`;
      statementName(text);
      statementName(text);
    }
    expect(namedStatementStats().named).toBe(MAX_NAMED);
    expect(before).toBeLessThan(MAX_NAMED);
    const late = 'SELECT "id" FROM "User" WHERE "id" = $1';
    statementName(late);
    expect(statementName(late)).toBeUndefined();
  });
});
