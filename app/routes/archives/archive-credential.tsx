/** Download of the digital credential (JSON) of an archived parchemin or attestation; audited. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { AppError } from "~/platform/app-error";
import { downloadArchivedCredential } from "~/archive/documents/download-archived-credential.server";
import { documentDownload } from "~/platform/http/content-disposition";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args, { signedDocument: args.params.documentId ?? "" });
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  try {
    const credential = await downloadArchivedCredential(viewer, actor, args.params.documentId ?? "");
    return documentDownload({ ...credential, content: new Uint8Array(credential.content) }, "application/ld+json; charset=utf-8");
  } catch (error) {
    if (error instanceof AppError) throw data(error.message, { status: error.status });
    throw error;
  }
}
