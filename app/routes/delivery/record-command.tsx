/**
 * A delivery record's commands for the secretariat (JSON, posted by the record cards of the délivrance pages):
 * `duplicate` issues a « duplicata » (new number, PDF rendered after the commit); `revoke` revokes it with a reason
 * (never deleted; its credential's status bit is set); `rectify` issues a rectified record for the same decision once
 * the record's chain is revoked (the holder's corrected identity, a new number). Answered as JSON with the refusal's HTTP status (a resource
 * route answers a Response: Remix would send `data()` as a 200 with its wrapper); the card's fetcher reads the body,
 * whatever the status.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { issueDuplicate } from "~/delivery/issue-duplicate.server";
import { issueRectifiedRecord } from "~/delivery/issue-rectified-record.server";
import { revokeRecord } from "~/delivery/revoke-record.server";
import { attempt, refusal, type Actor } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { submissionKeyOf } from "~/platform/http/submission-key.server";

export async function loader() {
  throw data("Page introuvable.", { status: 404 });
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireManager(args, { deliveryRecord: args.params.recordId ?? "" });
  const form = await readForm(args.request);
  const actor: Actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) };
  const recordId = args.params.recordId ?? "";
  const intent = String(form.get("intent") ?? "");
  const result =
    intent === "duplicate"
      ? await attempt(async () => {
          const duplicate = await issueDuplicate({ actor, recordId, renderQueue: args.context.renderQueue, submissionKey: submissionKeyOf(form) });
          return { message: `Duplicata n° ${duplicate.number} émis.` };
        })
      : intent === "revoke"
        ? await attempt(async () => {
            await revokeRecord({ actor, recordId, reason: String(form.get("reason") ?? "") });
            return { message: "Document révoqué." };
          })
        : intent === "rectify"
          ? await attempt(async () => {
              const { record, replaces } = await issueRectifiedRecord({ actor, recordId, renderQueue: args.context.renderQueue, submissionKey: submissionKeyOf(form) });
              return { message: `Document rectifié n° ${record.number} délivré : il remplace le n° ${replaces}.` };
            })
          : refusal("INVALID", ["Commande inconnue."]);
  return Response.json(result, { status: result.ok ? 200 : result.status, headers: { "Cache-Control": "no-store" } });
}
