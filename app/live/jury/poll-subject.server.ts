/** The question of a poll: the overall decision, or one bloc / competence of the candidate's dossier. */
import { AppError } from "~/platform/app-error";
import { OVERALL_OPTIONS, TARGET_OPTIONS, type PollOption } from "~/domain/jury-vote";
import type { Prisma } from "~/platform/db/db.server";
import type { CandidateFacts } from "./candidate-facts.server";
import type { AgendaItem, JuryCommand, JuryContext } from "./jury-context.server";

export type PollSubjectInput = { subject: string; subjectId?: string | null };

export function pollQuestion(facts: CandidateFacts, input: PollSubjectInput, partialAllowed: boolean) {
  if (input.subject === "OVERALL") {
    const options: PollOption[] = OVERALL_OPTIONS.filter((o) => partialAllowed || o.value !== "PARTIAL");
    return { subject: "OVERALL" as const, subjectId: null, question: "Décision d'ensemble", options };
  }
  if (input.subject === "BLOC") {
    const bloc = facts.blocs.find((b) => b.id === input.subjectId);
    if (!bloc) throw AppError.field("subjectId", "Ce bloc n'est pas visé par le dossier.");
    return { subject: "BLOC" as const, subjectId: bloc.id, question: `Bloc ${bloc.code} — ${bloc.title}`, options: [...TARGET_OPTIONS] };
  }
  if (input.subject === "COMPETENCE") {
    const competence = facts.blocs.flatMap((b) => b.competences).find((c) => c.id === input.subjectId);
    if (!competence) throw AppError.field("subjectId", "Cette compétence n'est pas visée par le dossier.");
    return {
      subject: "COMPETENCE" as const,
      subjectId: competence.id,
      question: `Compétence ${competence.code} — ${competence.statement}`,
      options: [...TARGET_OPTIONS],
    };
  }
  throw AppError.field("subject", "Objet du vote inconnu.");
}

/** What every poll row of this question holds (open, secret or consensus), the mode and its outcome aside. */
export function pollRowBase(ctx: JuryContext, item: AgendaItem, question: ReturnType<typeof pollQuestion>, input: JuryCommand, now: Date) {
  return {
    sessionId: ctx.session.id,
    agendaItemId: item.id,
    subject: question.subject,
    subjectId: question.subjectId,
    question: question.question,
    options: question.options as Prisma.InputJsonValue,
    majorityBase: ctx.scheme.jury.majorityBase,
    createdById: input.actorId,
    startedAt: now,
  };
}
