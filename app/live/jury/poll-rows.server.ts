/** Reading a poll's frozen electorate and its totals back from the database; counting a secret ballot. */
import type { Prisma } from "~/platform/db/db.server";
import { tally, type PollOption, type Tally, type VoteRight } from "~/domain/jury-vote";
import type { Db } from "./jury-context.server";

export type PollRow = {
  id: string;
  mode: "CONSENSUS" | "OPEN" | "SECRET";
  options: unknown;
  entitledVoterIds: unknown;
  recusedUserIds: unknown;
};

export const optionsOf = (poll: Pick<PollRow, "options">) => (poll.options ?? []) as PollOption[];
export const rightsOf = (poll: Pick<PollRow, "entitledVoterIds">) => (poll.entitledVoterIds ?? []) as VoteRight[];
export const recusedOf = (poll: Pick<PollRow, "recusedUserIds">) =>
  ((poll.recusedUserIds ?? []) as Array<{ userId: string; reason: string }>);

/**
 * The totals of a poll per choice (every option and the abstention, zero when nobody chose it). A secret poll has
 * nothing else: one count per choice, no ballot, no voter.
 */
export async function talliesOf(db: Db, poll: Pick<PollRow, "id" | "mode" | "options">): Promise<Tally> {
  if (poll.mode !== "SECRET") {
    const votes = await db.juryOpenVote.findMany({ where: { pollId: poll.id }, select: { choice: true } });
    return tally(optionsOf(poll), votes.map((v) => v.choice));
  }
  const counts = tally(optionsOf(poll), []);
  for (const row of await db.jurySecretTally.findMany({ where: { pollId: poll.id } })) {
    counts[row.choice] = (counts[row.choice] ?? 0) + row.count;
  }
  return counts;
}

/** A secret ballot: one more for its choice, and nothing else (the caller records « has voted » apart). */
export async function addSecretBallot(tx: Prisma.TransactionClient, pollId: string, choice: string): Promise<void> {
  await tx.jurySecretTally.upsert({
    where: { pollId_choice: { pollId, choice } },
    create: { pollId, choice, count: 1 },
    update: { count: { increment: 1 } },
  });
}

/**
 * When a secret poll closes: every count row is rewritten in the closing transaction, so the last version of a
 * count no longer carries the transaction of the last voter who chose it (which « has voted » shares).
 */
export async function sealSecretTallies(tx: Prisma.TransactionClient, pollId: string): Promise<void> {
  await tx.jurySecretTally.updateMany({ where: { pollId }, data: { count: { increment: 0 } } });
}

export async function votedCountOf(db: Db, poll: Pick<PollRow, "id" | "mode">): Promise<number> {
  return poll.mode === "SECRET"
    ? db.juryPollVoter.count({ where: { pollId: poll.id } })
    : db.juryOpenVote.count({ where: { pollId: poll.id } });
}
