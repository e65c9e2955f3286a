/** A session's whole file as one ZIP (documents, attendance CSV, SHA-256 manifest); members only for their sessions. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { AppError } from "~/platform/app-error";
import { exportSessionArchive } from "~/archive/documents/export-session-archive.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args, { session: args.params.sessionId ?? "" });
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  try {
    const { fileName, zip } = await exportSessionArchive(viewer, actor, args.params.sessionId ?? "");
    return new Response(zip, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) throw data(error.message, { status: error.status });
    throw error;
  }
}
