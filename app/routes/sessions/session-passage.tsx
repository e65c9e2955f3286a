/**
 * Commands of a candidate's passage in a live session (resource route): change phase, declare no conflict,
 * open signing, sign, reopen. Every command is authorised by the member's seat in the use case; the new state
 * is broadcast to the session room by the use case through the realtime port.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { changePhase } from "~/live/commission/change-phase.server";
import { declareNoConflict } from "~/live/commission/declare-no-conflict.server";
import { GRID_KIND, toResponse } from "~/live/commission/slot-context.server";
import { AppError } from "~/platform/app-error";
import { motiveProblem } from "~/domain/motive";
import { openSigning } from "~/signing/open-signing.server";
import { reopenSigning } from "~/signing/reopen-signing.server";
import { signDocument } from "~/signing/sign-document.server";
import { readForm } from "~/platform/http/read-form.server";
import { requireSessionReader } from "~/live/sessions/queries.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/sessions/${params.sessionId}?candidat=${params.slotId}`);
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const { request, context, params } = args;
  const form = await readForm(request);
  const realtime = context.realtime;
  const common = {
    sessionId: params.sessionId ?? "",
    slotId: params.slotId ?? "",
    actorId: user.id,
    meta: auditMeta(request, context),
    realtime,
  };
  // The grid through the signing core: the passage is the document, within its session.
  const signing = {
    kind: GRID_KIND,
    ref: { documentId: common.slotId, within: common.sessionId },
    actorId: user.id,
    meta: common.meta,
    ports: { realtime, renderQueue: context.renderQueue },
  };
  try {
    // Strangers are told « introuvable », as by the session's page, whatever they send.
    await requireSessionReader(user.id, common.sessionId);
    switch (form.get("intent")) {
      case "phase":
        return Response.json({ ok: true, state: await changePhase({ ...common, to: String(form.get("to") ?? "") }) });
      case "declare":
        return Response.json({ ok: true, state: await declareNoConflict(common) });
      case "open-signing":
        return Response.json({ ok: true, state: await openSigning(signing) });
      case "sign":
        return Response.json({
          ok: true,
          state: await signDocument({
            ...signing,
            password: String(form.get("password") ?? ""),
            consent: form.get("consent") === "on",
            shownHash: String(form.get("contentHash") ?? ""),
          }),
        });
      case "reopen": {
        // Reopening voids the signatures already given: the reason is recorded with it (as for the decision sheet and
        // the minutes); an empty one voided them silently, a long one was cut.
        const reason = String(form.get("reason") ?? "").trim();
        if (motiveProblem(reason)) {
          throw new AppError("INVALID", "Indiquez le motif de la réouverture (quelques mots au moins : 3 lettres ou plus) : rien n'a été annulé.");
        }
        if (reason.length > 500) throw new AppError("INVALID", "Le motif de la réouverture ne peut dépasser 500 caractères : rien n'a été annulé.");
        return Response.json({ ok: true, state: await reopenSigning({ ...signing, reason }) });
      }
      default:
        throw new AppError("INVALID", "Action inconnue.");
    }
  } catch (error) {
    return toResponse(error);
  }
}
