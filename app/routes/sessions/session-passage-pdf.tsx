/** Download of a passage's signed grid (PDF), for the session's members and the organisation's secretariat. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { GRID_KIND } from "~/live/commission/slot-context.server";
import { getSessionForViewer } from "~/live/sessions/queries.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { session } = await getSessionForViewer(user.id, args.params.sessionId ?? ""); // 404 unless seated or managing
  const slotId = args.params.slotId ?? "";
  const inSession = session.slots.some((s) => s.id === slotId);
  const document = inSession ? await getSignedPdf(GRID_KIND, slotId) : null;
  if (!document) throw new Response("La grille n'est pas encore signée par tous, ou son PDF est en préparation.", { status: 404 });
  await recordAccess({
    action: ACCESS_ACTIONS.signedDocumentDownloaded,
    actorId: user.id,
    organisationId: session.organisation.id,
    subjectType: "SignedDocument",
    subjectId: document.id,
    data: { kind: document.kind, sha256: document.sha256 },
    ...auditMeta(args.request, args.context),
  });
  return new Response(document.content, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": attachmentDisposition(document.fileName),
      "X-Content-SHA256": document.sha256,
      "Cache-Control": "private, no-store",
    },
  });
}
