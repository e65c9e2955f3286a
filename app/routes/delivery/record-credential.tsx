/** The secretariat downloads a record's Open Badges 3.0 credential (signed JSON-LD). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getRecordCredential } from "~/delivery/get-session-delivery.server";
import { requireManager } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args, { deliveryRecord: args.params.recordId ?? "" });
  const found = await getRecordCredential(access.organisationId, args.params.recordId ?? "");
  if (!found) throw data("Attestation numérique introuvable (ou pas encore émise).", { status: 404 });
  return new Response(JSON.stringify(found.credential, null, 2), {
    headers: {
      "Content-Type": "application/ld+json; charset=utf-8",
      "Content-Disposition": attachmentDisposition(`${found.number}.credential.json`),
      "Cache-Control": "private, no-store",
    },
  });
}
