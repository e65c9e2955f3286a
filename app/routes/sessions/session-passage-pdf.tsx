/** Download of a passage's signed grid (PDF), for the session's members and the organisation's secretariat. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordSignedDownload } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { documentDownload } from "~/platform/http/content-disposition";
import { GRID_KIND } from "~/live/commission/slot-context.server";
import { getSessionForViewer } from "~/live/sessions/queries.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";
import { renderFailureOf } from "~/signing/render-failure.server";
import { renderFailedText } from "~/domain/render-failure";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { session } = await getSessionForViewer(user.id, args.params.sessionId ?? ""); // 404 unless seated or managing
  const slotId = args.params.slotId ?? "";
  const inSession = session.slots.some((s) => s.id === slotId);
  const document = inSession ? await getSignedPdf(GRID_KIND, slotId) : null;
  if (!document) {
    const failure = inSession ? await renderFailureOf(GRID_KIND, slotId) : null;
    const why = failure
      ? `La grille est signée par tous, mais ${renderFailedText(failure, "son PDF")}`
      : "La grille n'est pas encore signée par tous, ou son PDF est en préparation.";
    throw new Response(why, { status: 404 });
  }
  const meta = auditMeta(args.request, args.context);
  await recordSignedDownload(document, { actorId: user.id, organisationId: session.organisation.id, ...meta });
  return documentDownload(document);
}
