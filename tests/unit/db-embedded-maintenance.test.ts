/**
 * When the embedded database's housekeeping runs (app/platform/db/embedded-maintenance.server.ts `maintenanceDue`):
 * PostgreSQL's autovacuum and checkpointer defaults, applied to the counters PGlite keeps.
 */
import { describe, expect, it } from "vitest";
import { maintenanceDue, type TableCounters } from "~/platform/db/embedded-maintenance.server";

const table = (counters: Partial<TableCounters> & { table: string }): TableCounters => ({
  liveRows: 0,
  deadRows: 0,
  changedSinceAnalyze: 0,
  xidAge: 1_000,
  ...counters,
});
const quiet = { walBytesSinceRedo: 0, msSinceCheckpoint: 0 };

describe("embedded database maintenance: what is due", () => {
  it("vacuums a table once its dead rows exceed 50 + 20 % of its live rows, not before", () => {
    const work = maintenanceDue(
      [
        table({ table: "CollabUpdate", liveRows: 1_000, deadRows: 251 }),
        table({ table: "Session", liveRows: 1_000, deadRows: 250 }),
        table({ table: "Empty", liveRows: 0, deadRows: 51 }),
      ],
      quiet,
    );
    expect(work.vacuum).toEqual(["CollabUpdate", "Empty"]);
  });

  it("vacuums a table whose oldest unfrozen transaction is 200 million transactions old, even without dead rows", () => {
    const work = maintenanceDue([table({ table: "AuditEvent", liveRows: 5_000, xidAge: 200_000_001 })], quiet);
    expect(work.vacuum).toEqual(["AuditEvent"]);
  });

  it("analyzes a table once its changes since the last analyze exceed 50 + 10 % of its live rows", () => {
    const work = maintenanceDue(
      [
        table({ table: "Candidate", liveRows: 2_000, changedSinceAnalyze: 251 }),
        table({ table: "Dossier", liveRows: 2_000, changedSinceAnalyze: 250 }),
      ],
      quiet,
    );
    expect(work).toEqual({ vacuum: [], analyze: ["Candidate"], checkpoint: false });
  });

  it("never analyzes the Yjs tables (read by their keys only), but vacuums them", () => {
    const work = maintenanceDue(
      [
        table({ table: "CollabUpdate", liveRows: 100, deadRows: 9_000, changedSinceAnalyze: 90_000 }),
        table({ table: "CollabDocument", liveRows: 30, deadRows: 200, changedSinceAnalyze: 200 }),
        table({ table: "Candidate", liveRows: 30, deadRows: 0, changedSinceAnalyze: 200 }),
      ],
      quiet,
    );
    expect(work).toEqual({ vacuum: ["CollabUpdate", "CollabDocument"], analyze: ["Candidate"], checkpoint: false });
  });

  it("checkpoints 5 minutes after the last checkpoint if the WAL moved, or at once past 64 MB of WAL", () => {
    expect(maintenanceDue([], { walBytesSinceRedo: 8_192, msSinceCheckpoint: 299_999 }).checkpoint).toBe(false);
    expect(maintenanceDue([], { walBytesSinceRedo: 8_192, msSinceCheckpoint: 300_000 }).checkpoint).toBe(true);
    expect(maintenanceDue([], { walBytesSinceRedo: 0, msSinceCheckpoint: 3_600_000 }).checkpoint).toBe(false);
    expect(maintenanceDue([], { walBytesSinceRedo: 64 * 1024 * 1024, msSinceCheckpoint: 1_000 }).checkpoint).toBe(true);
  });
});
