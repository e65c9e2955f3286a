/**
 * Housekeeping of the embedded database: what PostgreSQL's background processes do on a server, done by ours.
 *
 * PGlite is PostgreSQL in single-user mode: no autovacuum launcher, no checkpointer. Left alone (measured on this
 * machine): the rows that every Yjs compaction deletes are never vacuumed, so `CollabUpdate` grows by every update
 * ever written (326 MB on disk for 1,000 live rows after 800,000 appended and deleted); the planner never gets
 * statistics; and with no checkpoint before `max_wal_size` (1 GB) the WAL directory grows to that size and a
 * restart after `kill -9` replays all of it (470 MB: 2.6 s).
 *
 * So the server runs a pass every `intervalMs` (60 s, autovacuum_naptime): it reads the tables' counters and the last
 * checkpoint, then runs what PostgreSQL's defaults would have triggered (`maintenanceDue`, pure):
 *  - VACUUM a table once its dead rows exceed 50 + 20 % of its live rows (autovacuum_vacuum_threshold / _scale_factor),
 *    or when its oldest unfrozen transaction id is older than 200 million (autovacuum_freeze_max_age);
 *  - ANALYZE it once its rows changed since the last analyze exceed 50 + 10 % of its live rows — except the two Yjs
 *    tables, read only through their keys (the log by its primary key and its (docName, seq) index, the documents by
 *    name), where statistics change no plan: under the realtime benchmark's 300 edits/s the log's ANALYZE took 36 ms
 *    per pass, and the documents' (every compaction updates a row, so it was due every minute) 5–11 ms, reading the
 *    snapshots;
 *  - CHECKPOINT once the WAL has moved since the last one and 5 minutes have passed (checkpoint_timeout), or at once
 *    past 64 MB of WAL (which bounds the replay after a crash).
 * PGlite runs one statement at a time: a pass holds every other query (Yjs commits included) while it runs — under
 * the realtime benchmark the log's VACUUM took 26–42 ms once a minute; replayed in isolation, 5 minutes of that load
 * made 39 MB of WAL and an 18 ms CHECKPOINT. VACUUM makes deleted rows' space reusable; it does not give a table's
 * existing size back to the file system (a database that grew before this ran keeps its size, and stops growing). Started by server.ts on the embedded database only; PostgreSQL does this itself.
 */
import type { PrismaClient } from "./generated/client";

export type TableCounters = {
  table: string;
  liveRows: number;
  deadRows: number;
  changedSinceAnalyze: number;
  /** age(relfrozenxid): transactions since the table's oldest unfrozen row id. */
  xidAge: number;
};

export type CheckpointState = { walBytesSinceRedo: number; msSinceCheckpoint: number };

export type MaintenanceWork = { vacuum: string[]; analyze: string[]; checkpoint: boolean };

/** PostgreSQL's defaults for autovacuum and the checkpointer (postgresql.conf); the WAL bound and the exception are ours. */
export const MAINTENANCE_THRESHOLDS = Object.freeze({
  vacuumBase: 50,
  vacuumScale: 0.2,
  analyzeBase: 50,
  analyzeScale: 0.1,
  freezeMaxAge: 200_000_000,
  checkpointTimeoutMs: 5 * 60_000,
  checkpointWalBytes: 64 * 1024 * 1024,
  neverAnalyze: ["CollabUpdate", "CollabDocument"] as readonly string[],
});

export type MaintenanceThresholds = typeof MAINTENANCE_THRESHOLDS;

/** Which tables to vacuum or analyze, and whether to checkpoint (a table vacuumed and analyzed is in both). */
export function maintenanceDue(
  tables: TableCounters[],
  checkpoint: CheckpointState,
  t: MaintenanceThresholds = MAINTENANCE_THRESHOLDS,
): MaintenanceWork {
  const vacuum = tables
    .filter(({ liveRows, deadRows, xidAge }) => deadRows > t.vacuumBase + t.vacuumScale * liveRows || xidAge > t.freezeMaxAge)
    .map(({ table }) => table);
  const analyze = tables
    .filter(({ table }) => !t.neverAnalyze.includes(table))
    .filter(({ liveRows, changedSinceAnalyze }) => changedSinceAnalyze > t.analyzeBase + t.analyzeScale * liveRows)
    .map(({ table }) => table);
  const walMoved = checkpoint.walBytesSinceRedo > 0;
  return {
    vacuum,
    analyze,
    checkpoint:
      (walMoved && checkpoint.msSinceCheckpoint >= t.checkpointTimeoutMs) ||
      checkpoint.walBytesSinceRedo >= t.checkpointWalBytes,
  };
}

/** Reads the counters, then runs what is due. Returns what was due and each command it ran, with its duration. */
export async function runMaintenancePass(
  prisma: PrismaClient,
  thresholds: MaintenanceThresholds = MAINTENANCE_THRESHOLDS,
): Promise<MaintenanceWork & { ran: { command: string; ms: number }[] }> {
  const tables = await prisma.$queryRawUnsafe<
    { table: string; live: bigint; dead: bigint; changed: bigint; xid_age: number }[]
  >(
    // The counters straight from pg_class, not through the pg_stat_user_tables view: 2–3 ms against 6–29 ms on PGlite.
    `SELECT c.relname AS "table", pg_stat_get_live_tuples(c.oid) AS live, pg_stat_get_dead_tuples(c.oid) AS dead,
            pg_stat_get_mod_since_analyze(c.oid) AS changed, age(c.relfrozenxid) AS xid_age
       FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`,
  );
  const [control] = await prisma.$queryRawUnsafe<{ wal: string; ms: number }[]>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::text AS wal,
            (extract(epoch FROM (clock_timestamp() - checkpoint_time)) * 1000)::float8 AS ms
       FROM pg_control_checkpoint()`,
  );
  const work = maintenanceDue(
    tables.map((row) => ({
      table: row.table,
      liveRows: Number(row.live),
      deadRows: Number(row.dead),
      changedSinceAnalyze: Number(row.changed),
      xidAge: Number(row.xid_age),
    })),
    { walBytesSinceRedo: Number(control.wal), msSinceCheckpoint: control.ms },
    thresholds,
  );
  const commands: string[] = [];
  for (const table of new Set([...work.vacuum, ...work.analyze])) {
    const vacuum = work.vacuum.includes(table);
    const analyze = work.analyze.includes(table);
    // VACUUM (ANALYZE) does both in one scan; a lone ANALYZE is its own command.
    commands.push(`${vacuum && analyze ? "VACUUM (ANALYZE)" : vacuum ? "VACUUM" : "ANALYZE"} ${quoteIdentifier(table)}`);
  }
  if (work.checkpoint) commands.push("CHECKPOINT");
  const ran: { command: string; ms: number }[] = [];
  for (const command of commands) {
    const started = performance.now();
    await prisma.$executeRawUnsafe(command);
    ran.push({ command, ms: Math.round(performance.now() - started) });
  }
  return { ...work, ran };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type MaintenanceLogger = { info(message: string): void; error(message: string, error: unknown): void };

/**
 * Runs `runMaintenancePass` every `intervalMs`, never two at once; a failed pass is logged and the next one runs.
 * `stop()` cancels the timer and waits for a pass in progress (call it before closing the database).
 */
export function startEmbeddedMaintenance(
  prisma: PrismaClient,
  { intervalMs = 60_000, logger }: { intervalMs?: number; logger: MaintenanceLogger },
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const pass = async () => {
    try {
      const { ran } = await runMaintenancePass(prisma);
      if (ran.length > 0) {
        logger.info(`[db] entretien de la base embarquée : ${ran.map(({ command, ms }) => `${command} (${ms} ms)`).join(", ")}`);
      }
    } catch (error) {
      logger.error("[db] échec de l'entretien de la base embarquée (nouvel essai au prochain passage)", error);
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = pass().finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
