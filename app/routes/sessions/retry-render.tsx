/**
 * « Relancer la production du PDF »: the organisation's secretariat or an administrator asks for one more try at a
 * signed or issued document's PDF the render runner gave up on (app/signing/retry-render.server.ts). Posted by the
 * button shown next to the failure (app/components/signing/render-failed.tsx) with the document's kind and id;
 * answered as JSON with the refusal's HTTP status, as the other command routes. A member who does not manage gets 403.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { attempt, type Actor } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { readForm } from "~/platform/http/read-form.server";
import { renderableOrganisation, retryRender } from "~/signing/retry-render.server";

export async function loader() {
  throw data("Page introuvable.", { status: 404 });
}

export async function action(args: ActionFunctionArgs) {
  const form = await readForm(args.request);
  // The document's organisation decides (a person managing several organisations retries any of theirs).
  const [kind, documentId] = [String(form.get("kind") ?? ""), String(form.get("documentId") ?? "")];
  const access = await requireManager(args, { organisationOf: () => renderableOrganisation(kind, documentId) });
  const actor: Actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) };
  const result = await attempt(() =>
    retryRender({ actor, kind, documentId, renderQueue: args.context.renderQueue, realtime: args.context.realtime }),
  );
  return Response.json(result, { status: result.ok ? 200 : result.status, headers: { "Cache-Control": "no-store" } });
}
