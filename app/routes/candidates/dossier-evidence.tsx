/** Download of one evidence file: only through a dossier of the reader's organisation, always as an attachment. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { getEvidenceFile } from "~/back-office/dossiers/get-evidence-file.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:dossier", { dossier: args.params.dossierId ?? "" });
  const file = await getEvidenceFile(access.organisationId, args.params.dossierId ?? "", args.params.evidenceId ?? "");
  if (file.kind === "IDENTITY") {
    await recordAccess({
      action: ACCESS_ACTIONS.identityEvidenceDownloaded,
      actorId: access.user.id,
      organisationId: access.organisationId,
      subjectType: "Evidence",
      subjectId: file.id,
      data: { dossierId: args.params.dossierId, sha256: file.sha256 },
      ...auditMeta(args.request, args.context),
    });
  }
  return new Response(file.content, {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(file.content.byteLength),
      "Content-Disposition": attachmentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      Digest: `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`,
    },
  });
}
