/**
 * Commands of a session's procès-verbal (resource route): finalise (secretary or president), sign (password +
 * consent), request a change (a reason; the round's signatures are voided). Authorised in the signing core and
 * the « minutes » kind; answers JSON, refusals in French.
 */
import { readForm } from "~/platform/http/read-form.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { AppError } from "~/platform/app-error";
import { motiveProblem } from "~/domain/motive";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { toResponse } from "~/live/commission/slot-context.server";
import { requireSessionReader } from "~/live/sessions/queries.server";
import { MINUTES_KIND } from "~/signing/kinds/minutes/minutes-kind.server";
import { openSigning } from "~/signing/open-signing.server";
import { reopenSigning } from "~/signing/reopen-signing.server";
import { signDocument } from "~/signing/sign-document.server";

export async function loader({ params }: { params: { sessionId?: string } }) {
  return redirect(`/sessions/${params.sessionId}/proces-verbal`);
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const { request, context, params } = args;
  const sessionId = params.sessionId ?? "";
  const form = await readForm(request);
  const signing = {
    kind: MINUTES_KIND,
    ref: { documentId: sessionId, within: sessionId },
    actorId: user.id,
    meta: auditMeta(request, context),
    ports: { realtime: context.realtime, renderQueue: context.renderQueue },
  };
  try {
    // Strangers are told « introuvable », as by the page, whatever they send.
    await requireSessionReader(user.id, sessionId);
    switch (form.get("intent")) {
      case "finalise":
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
      case "request-change": {
        // Refused rather than cut: the request is kept as the member wrote it (as on the decision sheet).
        const reason = String(form.get("reason") ?? "").trim();
        if (motiveProblem(reason)) throw AppError.field("reason", "Indiquez la modification demandée (quelques mots au moins : 3 lettres ou plus).");
        if (reason.length > 500) throw AppError.field("reason", "La demande ne peut dépasser 500 caractères.");
        return Response.json({ ok: true, state: await reopenSigning({ ...signing, reason }) });
      }
      default:
        throw new AppError("INVALID", "Action inconnue.");
    }
  } catch (error) {
    return toResponse(error);
  }
}

