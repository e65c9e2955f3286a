/** Download of a passage's signed grid (PDF), for the session's members and the organisation's secretariat. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { prisma } from "~/platform/db/db.server";
import { getSessionForViewer } from "~/live/sessions/queries.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { session } = await getSessionForViewer(user.id, args.params.sessionId ?? ""); // 404 unless seated or managing
  const document = await prisma.signedDocument.findFirst({
    where: { kind: "grid", slot: { id: args.params.slotId, sessionId: args.params.sessionId } },
  });
  if (!document) throw new Response("La grille n'est pas encore signée par tous.", { status: 404 });
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
