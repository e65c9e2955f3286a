/** Reading a poll's frozen electorate and its ballots back from the database. */
import type { PollOption, VoteRight } from "~/domain/jury-vote";
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

/** The choices cast in a poll, without who cast them (secret ballots have no voter). */
export async function choicesOf(db: Db, poll: Pick<PollRow, "id" | "mode">): Promise<string[]> {
  if (poll.mode === "SECRET") {
    return (await db.jurySecretBallot.findMany({ where: { pollId: poll.id }, select: { choice: true } })).map((b) => b.choice);
  }
  return (await db.juryOpenVote.findMany({ where: { pollId: poll.id }, select: { choice: true } })).map((v) => v.choice);
}

export async function votedCountOf(db: Db, poll: Pick<PollRow, "id" | "mode">): Promise<number> {
  return poll.mode === "SECRET"
    ? db.juryPollVoter.count({ where: { pollId: poll.id } })
    : db.juryOpenVote.count({ where: { pollId: poll.id } });
}
