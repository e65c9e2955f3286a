/** Resource route: the JSON export of a référentiel version (docs/referential-format.md). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { exportReferential } from "~/back-office/certifications/export-referential.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const { fileName, document } = await exportReferential(
    access.organisationId,
    args.params.certificationId ?? "",
    args.params.versionId ?? "",
  );
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": attachmentDisposition(fileName),
      "Cache-Control": "no-store",
    },
  });
}
