/**
 * Resource route of the live jury: GET answers the room's read model (JSON); POST runs one jury command chosen by
 * `intent` and answers `{ ok: true, ... }` or the refusal (`{ ok: false, code, status, formErrors, fieldErrors }`).
 * Every change is broadcast to the session room as `jury:event` by the use case.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { AppError, refusalOf } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { decisionChoicesOf } from "~/domain/jury-decision";
import { DECLARATION_CHOICE_MISSING, declaredConflictOf } from "~/domain/jury-vote";
import { textRefusal } from "~/domain/safe-text";
import { acknowledgeConformity } from "~/live/jury/acknowledge-conformity.server";
import { advanceCandidatePhase } from "~/live/jury/advance-candidate-phase.server";
import { castCastingVote } from "~/live/jury/cast-casting-vote.server";
import { castVote } from "~/live/jury/cast-vote.server";
import { closeJurySession } from "~/live/jury/close-jury-session.server";
import { closePoll } from "~/live/jury/close-poll.server";
import { decideAppeal } from "~/live/jury/decide-appeal.server";
import { declareAppealConflict } from "~/live/jury/declare-appeal-conflict.server";
import { declareConflict } from "~/live/jury/declare-conflict.server";
import { getJuryRoom } from "~/live/jury/get-jury-room.server";
import { grantProxy } from "~/live/jury/grant-proxy.server";
import { requireJuryViewer } from "~/live/jury/jury-viewer.server";
import { openPoll } from "~/live/jury/open-poll.server";
import { postponeCandidate } from "~/live/jury/postpone-candidate.server";
import { recordArrival } from "~/live/jury/record-arrival.server";
import { recordConsensus } from "~/live/jury/record-consensus.server";
import { withdrawConsensus } from "~/live/jury/withdraw-consensus.server";
import { recordDecision } from "~/live/jury/record-decision.server";
import { recordDeparture } from "~/live/jury/record-departure.server";
import { revokeProxy } from "~/live/jury/revoke-proxy.server";
import { startJurySession } from "~/live/jury/start-jury-session.server";

function refused(error: unknown): Response {
  const refusal = refusalOf(error);
  return Response.json(refusal, { status: refusal.status });
}

export async function loader(args: LoaderFunctionArgs) {
  const signedIn = requireUser(args);
  // The room is read while the sign-in is; without one, the answer is the guard's redirect and the room is dropped.
  const room = getJuryRoom(args.params.sessionId ?? "", signedIn.then((user) => user.id));
  room.catch(() => {});
  await signedIn;
  try {
    return Response.json({ ok: true, room: await room });
  } catch (error) {
    return refused(error);
  }
}

/**
 * A free text of the jury (note, reason, remark), printed in the minutes and the decision sheets: control and
 * bidirectional characters, and those the PDFs' fonts lack, are refused at its field.
 */
function freeText(form: FormData, name: string, max: number): string {
  const value = String(form.get(name) ?? "").slice(0, max);
  const refusal = textRefusal(value, { multiline: true });
  if (refusal) throw AppError.field(name, refusal);
  return value;
}

/** `choice.<targetId>` = "ACQUIRED" | "NOT_ACQUIRED", `reason.<targetId>` = text; anything else is a field error. */
function decisionChoices(form: FormData) {
  const fields = [...form.entries()].map(([key, value]) => [key, String(value).slice(0, 5000)] as const);
  const { choices, errors } = decisionChoicesOf(fields);
  if (Object.keys(errors).length > 0) {
    throw new AppError("INVALID", "La décision est incomplète ou incohérente.", {
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]])),
    });
  }
  return choices;
}

/** The declaration's choice (« no link » or a conflict); a form that says neither is refused, never taken for « no link ». */
function declaredConflict(form: FormData): boolean {
  const conflict = declaredConflictOf(form.get("conflict"));
  if (conflict === null) throw AppError.field("conflict", DECLARATION_CHOICE_MISSING);
  return conflict;
}

function remarksOf(form: FormData) {
  const remarks: Record<string, string> = {};
  for (const key of form.keys()) {
    if (key.startsWith("remark.")) remarks[key.slice("remark.".length)] = freeText(form, key, 5000);
  }
  return remarks;
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const { request, context, params } = args;
  const form = await readForm(request); // an unreadable form is a 400 with its French reason
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, 500) : "";
  };
  const command = {
    sessionId: params.sessionId ?? "",
    actorId: user.id,
    meta: auditMeta(request, context),
    realtime: context.realtime,
  };
  try {
    // Someone who may not read this jury (GET: « Jury introuvable ») is told the same here, whether it exists or not.
    await requireJuryViewer(command.sessionId, user.id);
    const run = async (): Promise<object> => {
      switch (form.get("intent")) {
        case "arrive":
          return recordArrival({ ...command, userId: text("userId") || undefined });
        case "leave":
          return recordDeparture({ ...command, userId: text("userId") || undefined });
        case "grant-proxy":
          return grantProxy({ ...command, giverId: text("giverId") || undefined, holderId: text("holderId") });
        case "revoke-proxy":
          return revokeProxy({ ...command, proxyId: text("proxyId") });
        case "start":
          return startJurySession(command);
        case "close":
          // Irreversible: only with the president's confirmation (« Oui, lever la séance »).
          return closeJurySession({ ...command, confirmed: text("confirm") === "yes" });
        case "phase":
          return advanceCandidatePhase({ ...command, agendaItemId: text("agendaItemId"), to: text("to") });
        case "declare":
          // For a candidate of the agenda, or for the candidate of an appeal on it (`appealId`).
          if (text("appealId")) {
            return declareAppealConflict({
              ...command,
              appealId: text("appealId"),
              conflict: declaredConflict(form),
              note: freeText(form, "note", 2000),
            });
          }
          return declareConflict({
            ...command,
            agendaItemId: text("agendaItemId"),
            conflict: declaredConflict(form),
            note: freeText(form, "note", 2000),
          });
        case "acknowledge-conformity":
          return acknowledgeConformity({ ...command, agendaItemId: text("agendaItemId"), remarks: remarksOf(form) });
        case "open-poll":
          return openPoll({
            ...command,
            agendaItemId: text("agendaItemId"),
            subject: text("subject") || "OVERALL",
            subjectId: text("subjectId") || null,
            mode: text("mode") || null,
          });
        case "vote":
          return castVote({ ...command, pollId: text("pollId"), choice: text("choice"), forUserId: text("forUserId") || null });
        case "close-poll":
          return closePoll({ ...command, pollId: text("pollId") });
        case "casting-vote":
          return castCastingVote({ ...command, pollId: text("pollId"), choice: text("choice") });
        case "consensus":
          return recordConsensus({
            ...command,
            agendaItemId: text("agendaItemId"),
            subject: text("subject") || "OVERALL",
            subjectId: text("subjectId") || null,
            choice: text("choice"),
          });
        case "withdraw-consensus":
          return withdrawConsensus({ ...command, pollId: text("pollId"), reason: freeText(form, "reason", 2001) });
        case "decide":
          return recordDecision({
            ...command,
            agendaItemId: text("agendaItemId"),
            overall: text("overall"),
            adjournmentReason: freeText(form, "adjournmentReason", 5000),
            choices: decisionChoices(form),
          });
        case "postpone":
          // Irreversible: only with the president's confirmation (« Oui, reporter »).
          return postponeCandidate({ ...command, agendaItemId: text("agendaItemId"), confirmed: text("confirm") === "yes" });
        case "decide-appeal":
          return decideAppeal({
            ...command,
            appealId: text("appealId"),
            outcome: text("outcome"),
            reason: freeText(form, "reason", 6000),
            acquiredTargetIds: form.getAll("acquired").map(String),
          });
        default:
          throw new AppError("INVALID", "Action inconnue.");
      }
    };
    return Response.json({ ok: true, ...(await run()) });
  } catch (error) {
    return refused(error);
  }
}
