/**
 * Prisma's statements on PostgreSQL as named prepared statements (docs/decisions/0018-postgresql-prepared-statements.md).
 *
 * @prisma/adapter-pg sends every statement unnamed: PostgreSQL parses, analyses and plans the text again at each call.
 * Prisma's relation joins put a page's read into one statement of nested LATERAL subqueries and JSON aggregation, and
 * planning them is most of the database's work: the jury room's session read took 5.7 ms a call, 3 of them planning,
 * against 0.6 ms prepared. node-postgres prepares a query once per connection when it carries a `name`, then sends
 * only Bind + Execute; PostgreSQL's plan cache (`plan_cache_mode = auto`) settles on a generic plan after five calls
 * when it is not worse.
 *
 * A text is named the second time it is seen (a one-off text stays unnamed), at most MAX_NAMED texts per process (Prisma
 * writes one text per length of an `IN` list): each connection of the pool holds at most that many. Names are never
 * reused for another text. A statement whose result columns changed under it (a migration while the server runs)
 * fails once with 0A000; its text then gets a new name, prepared afresh.
 */

/** Distinct SQL texts named per process. */
export const MAX_NAMED = 400;
/** Texts remembered while waiting for their second call (cleared when full). */
const MAX_PENDING = 4096;

/** Statements that are never named: transaction control and session settings. */
const UNNAMED = /^\s*(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|RESET|DEALLOCATE|DISCARD|LISTEN|UNLISTEN|NOTIFY|PREPARE|EXECUTE)\b/i;

// One registry per process: the server entry and the Remix build each bundle this module.
type Registry = { named: Map<string, string>; pending: Set<string>; sequence: number; retired: number };
const key = Symbol.for("quorum.pgStatements");
const store = globalThis as unknown as { [key]?: Registry };
const registry = (store[key] ??= { named: new Map(), pending: new Set(), sequence: 0, retired: 0 });
const { named, pending } = registry;

/** The name to prepare `text` under, or undefined to send it unnamed (first call, over the limit, or not a query). */
export function statementName(text: string): string | undefined {
  const name = named.get(text);
  if (name !== undefined) return name;
  if (named.size >= MAX_NAMED || UNNAMED.test(text)) return undefined;
  if (!pending.has(text)) {
    if (pending.size >= MAX_PENDING) pending.clear();
    pending.add(text);
    return undefined;
  }
  pending.delete(text);
  const fresh = `quorum_${(++registry.sequence).toString(36)}`;
  named.set(text, fresh);
  return fresh;
}

/** SQLSTATE of « cached plan must not change result type » (a prepared statement whose table changed shape). */
const RESULT_TYPE_CHANGED = "0A000";

/** Whether a statement was refused because a table it reads changed shape since it was prepared. */
export function resultTypeChanged(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === RESULT_TYPE_CHANGED;
}

/** After the named statement `name` of `text` failed: one whose result type changed is named afresh at its next call. */
export function statementFailed(text: string, name: string, error: unknown): void {
  if (!resultTypeChanged(error) || named.get(text) !== name) return;
  named.delete(text);
  registry.retired++;
}

/** For the benchmark's statistics and the tests. */
export function namedStatementStats() {
  return { named: named.size, pending: pending.size, retired: registry.retired };
}
