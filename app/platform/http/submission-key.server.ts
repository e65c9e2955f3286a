/**
 * Creation forms submitted once. A creation form (plan a session, add a piece to a dossier, issue a duplicata…)
 * carries a submission key (`<SubmissionKeyField>`), new with each load of the page's data: a successful submission
 * revalidates the page, so the next one has a new key. The use case writes the key in the same transaction as what it
 * creates (`oncePerSubmission`). The same submission sent again — a double click before the button is disabled, a
 * form posted without JavaScript twice, a browser or proxy retrying the request, the back button — waits for the
 * first one (the key's row is locked until the first transaction ends), then answers with what the first created
 * instead of creating a second. A refused submission (invalid field, rule) leaves no key behind: it can be corrected
 * and sent again with the same key. Keys are scoped by user and action, the action naming its subject where a page
 * has one form per subject (a duplicata per record): two forms of a page never share a key's result.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "~/platform/db/db.server";
import { SUBMISSION_KEY_FIELD } from "./submission-key-field";

export { SUBMISSION_KEY_FIELD };

/** A new key, for a loader to hand to its page's creation forms. */
export function newSubmissionKey(): string {
  return randomUUID();
}

const KEY_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The key a form sent, or null (none, or not one of ours: the submission then simply runs, as before keys). */
export function submissionKeyOf(form: FormData): string | null {
  const value = form.get(SUBMISSION_KEY_FIELD);
  return typeof value === "string" && KEY_FORMAT.test(value) ? value : null;
}

export type Submission = { userId: string; key: string | null; action: string };

/** How long a key is remembered: far beyond any retry or back button, short enough to keep the table small. */
const KEPT_MS = 24 * 3600_000;

/**
 * For a command sent without its key (a form stripped of it, a script): what the same user's same action created
 * within the last `withinMs` (keyed or not), or null. The caller, under its own lock on the subject, refuses a second
 * creation meanwhile (`rememberKeyless` records a keyless one), so a keyless submission sent twice creates once.
 */
export async function recentSubmission(
  tx: Prisma.TransactionClient,
  submission: Omit<Submission, "key">,
  withinMs: number,
): Promise<{ resultId: string; createdAt: Date } | null> {
  const row = await tx.formSubmission.findFirst({
    where: { userId: submission.userId, action: submission.action, resultId: { not: null }, createdAt: { gte: new Date(Date.now() - withinMs) } },
    orderBy: { createdAt: "desc" },
    select: { resultId: true, createdAt: true },
  });
  return row?.resultId ? { resultId: row.resultId, createdAt: row.createdAt } : null;
}

/** Records what a keyless submission created, under a key of the server's own (read back by `recentSubmission`). */
export async function rememberKeyless(tx: Prisma.TransactionClient, submission: Omit<Submission, "key">, resultId: string): Promise<void> {
  await tx.formSubmission.create({ data: { userId: submission.userId, key: `server:${randomUUID()}`, action: submission.action, resultId } });
}

/**
 * Runs `create` once for a submission, inside the caller's transaction. `create` answers what it created (`resultId`)
 * or null when it refused (nothing written: the key is let go). When the same submission already went through, its
 * result is replayed by `replay(resultId)` instead. Without a key, `create` just runs.
 */
export async function oncePerSubmission<T>(
  tx: Prisma.TransactionClient,
  submission: Submission | undefined,
  create: () => Promise<{ value: T; resultId: string | null }>,
  replay: (resultId: string) => Promise<T>,
): Promise<T> {
  if (!submission?.key) return (await create()).value;
  const { userId, key, action } = submission;
  // The insert is the lock: a second transaction with the same key waits here until the first one ends, then
  // finds its row (committed) or none (rolled back, or let go after a refusal) and goes on alone.
  const claimed = await tx.$executeRaw`
    INSERT INTO "FormSubmission" ("userId", "key", "action") VALUES (${userId}, ${key}, ${action}) ON CONFLICT DO NOTHING`;
  if (claimed === 0) {
    const earlier = await tx.formSubmission.findUnique({ where: { userId_key_action: { userId, key, action } }, select: { resultId: true } });
    if (earlier?.resultId) return replay(earlier.resultId);
    return (await create()).value; // not reachable: a committed row always names its result
  }
  const { value, resultId } = await create();
  if (resultId === null) {
    await tx.$executeRaw`DELETE FROM "FormSubmission" WHERE "userId" = ${userId} AND "key" = ${key} AND "action" = ${action}`;
  } else {
    await tx.$executeRaw`UPDATE "FormSubmission" SET "resultId" = ${resultId} WHERE "userId" = ${userId} AND "key" = ${key} AND "action" = ${action}`;
    // The user's keys older than a day go (one indexed delete per creation, nothing else ever reads them).
    await tx.$executeRaw`DELETE FROM "FormSubmission" WHERE "userId" = ${userId} AND "createdAt" < ${new Date(Date.now() - KEPT_MS)}`;
  }
  return value;
}
