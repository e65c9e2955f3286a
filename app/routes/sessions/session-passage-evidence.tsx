/** Download of a candidate's evidence by the members of the session evaluating them (and its secretariat). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { getPassageEvidence } from "~/live/commission/passage-dossier.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { getSessionForViewer } from "~/live/sessions/queries.server";
import { evidenceDownloadRefusal } from "~/domain/access";
import { recusedEvidenceRefusal } from "~/domain/jury-vote";
import { passageRecusal } from "~/live/commission/passage-recusal.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { sessionId = "", slotId = "", evidenceId = "" } = args.params;
  const { session, seat, referential } = await getSessionForViewer(user.id, sessionId); // 404 unless seated or managing
  const file = await getPassageEvidence(sessionId, slotId, evidenceId);
  if (!file) throw new Response("Cette pièce n'existe pas dans le dossier du candidat.", { status: 404 });
  const meta = auditMeta(args.request, args.context);
  const subject = { subjectType: "Evidence", subjectId: file.id, organisationId: session.organisation.id };
  // The jury's recusal rule: a member recused for the candidate (declared conflict, his trainer) reads none of his files.
  const recused = seat ? recusedEvidenceRefusal(await passageRecusal(sessionId, slotId, { userId: user.id, role: seat.role })) : null;
  if (recused) {
    await recordAccess({ action: ACCESS_ACTIONS.accessRefused, actorId: user.id, ...subject, data: { seat: seat!.role, recused: true }, ...meta });
    throw new Response(recused, { status: 403 });
  }
  if (file.kind === "IDENTITY") {
    const withheld = evidenceDownloadRefusal(seat?.role ?? null, file.kind, { observersMayDownloadIdentity: !!referential?.certification.scheme.observersMayDownloadIdentity });
    if (withheld) {
      await recordAccess({ action: ACCESS_ACTIONS.accessRefused, actorId: user.id, ...subject, data: { seat: "OBSERVER" }, ...meta });
      throw new Response(withheld, { status: 403 });
    }
    await recordAccess({
      action: ACCESS_ACTIONS.identityEvidenceDownloaded,
      actorId: user.id,
      ...subject,
      data: { sessionId, slotId, sha256: file.sha256 },
      ...meta,
    });
  }
  return new Response(file.content, {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Disposition": attachmentDisposition(file.fileName),
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
