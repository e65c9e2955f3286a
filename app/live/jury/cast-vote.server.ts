/**
 * Use case: a member casts a ballot (for themself, or for a member whose proxy they hold). Refused for a non-member,
 * an observer, a recused member, someone not entitled when the vote opened, a member no longer present, a holder
 * whose proxy no longer counts (revoked, or its giver back: he votes himself), without quorum (the vote waits for it
 * to come back), from a member (or for a represented member) who has not declared for this candidate the absence of any
 * link (« Déclarez d'abord l'absence de lien avec ce candidat »), and after the vote closes. One ballot per entitled
 * member (unique index). A vote is an idempotent command: the same ballot sent again (a double click, a retry after a
 * lost answer) by whoever cast it answers ok, unchanged (`unchanged: true`), even once the vote is closed; an open
 * ballot with another choice stays refused (« Vous avez déjà voté. »: a ballot is not changed). Secret: « has voted »
 * (JuryPollVoter) is written and the choice's count (JurySecretTally: totals only, no ballot row) incremented in the
 * same transaction; neither the audit event nor the broadcast carries the choice. The server keeps no secret choice,
 * so it cannot tell the same secret ballot from another: sent again by whoever cast it, it answers ok, « Votre vote
 * était déjà enregistré » (`unchanged: true`), revealing and changing nothing.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, Prisma } from "~/platform/db/db.server";
import { ABSTAIN, castRefusal } from "~/domain/jury-vote";
import { agendaItemOf, broadcast, loadJury, lockJury, recusedFor, requireCandidateQuorum, seatOf, type JuryCommand } from "./jury-context.server";
import { addSecretBallot, optionsOf, recusedOf, rightsOf, votedCountOf } from "./poll-rows.server";

/** What a ballot sent again answers: ok, nothing changed (a secret ballot: nothing to tell of its choice). */
export const SECRET_BALLOT_ALREADY_RECORDED = "Votre vote était déjà enregistré : il n'a pas été modifié (le scrutin est secret, le choix n'est pas conservé).";

type Cast = { mode: string; votedCount: number; unchanged: boolean };

export async function castVote(input: JuryCommand & { pollId: string; choice: string; forUserId?: string | null }) {
  const forUserId = input.forUserId || input.actorId;
  let result: Cast;
  /**
   * The ballot already recorded for `forUserId`, when it is this one sent again by whoever cast it: an open ballot
   * with the same choice, or any secret ballot (its choice is not kept) with a known choice. Else null.
   */
  const sameBallot = async (db: Parameters<typeof votedCountOf>[0], poll: { id: string; mode: "CONSENSUS" | "OPEN" | "SECRET"; options: unknown }): Promise<Cast | null> => {
    if (poll.mode === "SECRET") {
      const voter = await db.juryPollVoter.findUnique({ where: { pollId_userId: { pollId: poll.id, userId: forUserId } } });
      const known = optionsOf(poll).some((o) => o.value === input.choice) || input.choice === ABSTAIN;
      if (!voter || voter.actingUserId !== input.actorId || !known) return null;
    } else if (poll.mode === "OPEN") {
      const ballot = await db.juryOpenVote.findUnique({ where: { pollId_userId: { pollId: poll.id, userId: forUserId } } });
      if (!ballot || ballot.actingUserId !== input.actorId || ballot.choice !== input.choice) return null;
    } else return null;
    return { mode: poll.mode, votedCount: await votedCountOf(db, poll), unchanged: true };
  };
  try {
    result = await prisma.$transaction(async (tx) => {
      await lockJury(tx, input.sessionId);
      const ctx = await loadJury(tx, input.sessionId);
      const poll = ctx.session.polls.find((p) => p.id === input.pollId);
      if (!poll) throw new AppError("NOT_FOUND", "Vote introuvable.");
      // The same ballot again: what it asked is done (before any refusal that would now apply, the vote closed since).
      const same = await sameBallot(tx, poll);
      if (same) return same;
      const seat = seatOf(ctx, input.actorId);
      const alreadyVoted =
        poll.mode === "SECRET"
          ? (await tx.juryPollVoter.count({ where: { pollId: poll.id, userId: forUserId } })) > 0
          : (await tx.juryOpenVote.count({ where: { pollId: poll.id, userId: forUserId } })) > 0;
      const refusal = castRefusal({
        state: poll.state,
        mode: poll.mode,
        options: optionsOf(poll),
        rights: rightsOf(poll),
        recusedIds: recusedOf(poll).map((r) => r.userId),
        // Declared for this candidate (no link; a declared conflict recuses): the declaration comes before the ballot.
        declaredIds: new Set(agendaItemOf(ctx, poll.agendaItemId).conflicts.map((c) => c.userId)),
        present: ctx.present,
        majorityBase: poll.majorityBase,
        proxies: ctx.quorum.proxies,
        actor: { userId: input.actorId, role: seat?.role ?? null },
        forUserId,
        choice: input.choice,
        alreadyVoted,
      });
      if (refusal) {
        const code = !seat || seat.role === "OBSERVER" || seat.role === "SECRETARY" ? "FORBIDDEN" : "CONFLICT";
        throw new AppError(code, refusal);
      }
      // README: a loss of quorum blocks votes and decisions; the open vote waits for quorum to come back.
      requireCandidateQuorum(ctx, await recusedFor(tx, ctx, agendaItemOf(ctx, poll.agendaItemId)), "voter");
      if (poll.mode === "SECRET") {
        await tx.juryPollVoter.create({ data: { pollId: poll.id, userId: forUserId, actingUserId: input.actorId } });
        await addSecretBallot(tx, poll.id, input.choice);
      } else {
        await tx.juryOpenVote.create({ data: { pollId: poll.id, userId: forUserId, actingUserId: input.actorId, choice: input.choice } });
      }
      await recordAudit(tx, {
        organisationId: ctx.session.organisationId,
        actorId: input.actorId,
        action: "jury.vote_cast",
        subjectType: "JuryPoll",
        subjectId: poll.id,
        // Secret: who voted, never what.
        data: { sessionId: ctx.session.id, userId: forUserId, ...(poll.mode === "SECRET" ? {} : { choice: input.choice }) },
        ...input.meta,
      });
      return { mode: poll.mode, votedCount: await votedCountOf(tx, poll), unchanged: false };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // Another transaction recorded a ballot for this member meanwhile: this one, sent twice at once, is ok.
      const poll = await prisma.juryPoll.findFirst({ where: { id: input.pollId, sessionId: input.sessionId }, select: { id: true, mode: true, options: true } });
      const same = poll ? await sameBallot(prisma, poll) : null;
      if (same) return { votedCount: same.votedCount, unchanged: true, ...(same.mode === "SECRET" ? { message: SECRET_BALLOT_ALREADY_RECORDED } : {}) };
      throw new AppError("CONFLICT", "Vous avez déjà voté.");
    }
    throw error;
  }
  if (result.unchanged) {
    return { votedCount: result.votedCount, unchanged: true, ...(result.mode === "SECRET" ? { message: SECRET_BALLOT_ALREADY_RECORDED } : {}) };
  }
  await broadcast(
    prisma,
    input,
    result.mode === "SECRET"
      ? { type: "vote", pollId: input.pollId, votedCount: result.votedCount }
      : { type: "vote", pollId: input.pollId, votedCount: result.votedCount, userId: forUserId, choice: input.choice },
  );
  return { votedCount: result.votedCount, unchanged: false };
}
