/** Download of an evidence file of a dossier on the jury's agenda (seated members and the secretariat). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { refusalOf } from "~/platform/app-error";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { getJuryEvidence } from "~/live/jury/get-jury-evidence.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { sessionId = "", evidenceId = "" } = args.params;
  let found: Awaited<ReturnType<typeof getJuryEvidence>>;
  try {
    found = await getJuryEvidence(sessionId, user.id, evidenceId);
  } catch (error) {
    const refusal = refusalOf(error);
    throw new Response(refusal.formErrors.join(" "), { status: refusal.status });
  }
  if (!found) throw new Response("Cette pièce n'existe pas dans les dossiers de ce jury.", { status: 404 });
  const { file, organisationId } = found;
  if (file.kind === "IDENTITY") {
    await recordAccess({
      action: ACCESS_ACTIONS.identityEvidenceDownloaded,
      actorId: user.id,
      organisationId,
      subjectType: "Evidence",
      subjectId: file.id,
      data: { sessionId, sha256: file.sha256 },
      ...auditMeta(args.request, args.context),
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
