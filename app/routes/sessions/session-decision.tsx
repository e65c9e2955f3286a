/**
 * Resource route of one candidate's fiche de décision (`/sessions/:sessionId/decisions/:agendaItemId`): GET answers
 * its state as the panel shows it (JSON); POST runs one command chosen by `intent` — `open` (submit for signature:
 * the president or vice-president), `sign` (password + consent), `reopen` (a jury member asks for a change, with a
 * reason) — and answers `{ ok: true, state }` or the refusal `{ ok: false, code, status, formErrors, fieldErrors }`.
 * Readers are checked first (strangers get « introuvable »); the signing core and the « decision » kind decide the
 * rest. The new state is broadcast to the session's room as `decision:state`.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { AppError, refusalOf } from "~/platform/app-error";
import { motiveProblem } from "~/domain/motive";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { getDecisionSheet, requireSheetReader } from "~/live/jury/get-decision-sheet.server";
import { DECISION_KIND } from "~/signing/kinds/decision/decision-kind.server";
import { openSigning } from "~/signing/open-signing.server";
import { reopenSigning } from "~/signing/reopen-signing.server";
import { signDocument } from "~/signing/sign-document.server";

function refused(error: unknown): Response {
  const refusal = refusalOf(error);
  return Response.json(refusal, { status: refusal.status, headers: { "Cache-Control": "no-store" } });
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  try {
    const view = await getDecisionSheet(user.id, args.params.sessionId ?? "", args.params.agendaItemId ?? "");
    return Response.json({ ok: true, view }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return refused(error);
  }
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const { request, context, params } = args;
  const sessionId = params.sessionId ?? "";
  const agendaItemId = params.agendaItemId ?? "";
  const form = await readForm(request);
  const signing = {
    kind: DECISION_KIND,
    ref: { documentId: agendaItemId, within: sessionId },
    actorId: user.id,
    meta: auditMeta(request, context),
    ports: { realtime: context.realtime, renderQueue: context.renderQueue },
  };
  try {
    await requireSheetReader(user.id, sessionId, agendaItemId);
    switch (form.get("intent")) {
      case "open":
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
        const reason = String(form.get("reason") ?? "").trim();
        if (motiveProblem(reason)) throw AppError.field("reason", "Indiquez la modification demandée (quelques mots au moins : 3 lettres ou plus).");
        if (reason.length > 500) throw AppError.field("reason", "La demande ne peut dépasser 500 caractères.");
        return Response.json({ ok: true, state: await reopenSigning({ ...signing, reason }) });
      }
      default:
        throw new AppError("INVALID", "Action inconnue.");
    }
  } catch (error) {
    return refused(error);
  }
}
