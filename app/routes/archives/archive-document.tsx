/** Download of one archived document (PDF), for whoever may see it in the archive; audited. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { AppError } from "~/platform/app-error";
import { downloadArchivedDocument } from "~/archive/documents/download-archived-document.server";
import { documentDownload } from "~/platform/http/content-disposition";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args, { signedDocument: args.params.documentId ?? "" });
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  try {
    const document = await downloadArchivedDocument(viewer, actor, args.params.documentId ?? "");
    return documentDownload(document);
  } catch (error) {
    if (error instanceof AppError) throw data(error.message, { status: error.status });
    throw error;
  }
}
