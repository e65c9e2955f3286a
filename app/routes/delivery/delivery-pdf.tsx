/** The secretariat downloads a sealed delivery PDF: a record (parchemin, attestation), a notice letter, a CPNE validation. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getDeliveryPdf } from "~/delivery/get-session-delivery.server";
import { requireManager } from "~/platform/auth/guards.server";
import { documentDownload } from "~/platform/http/content-disposition";

const KINDS = new Set(["parchemin", "attestation", "notice", "validation"]);

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args);
  const kind = args.params.kind ?? "";
  const document = KINDS.has(kind) ? await getDeliveryPdf(access.organisationId, kind, args.params.documentId ?? "") : null;
  if (!document) throw data("Document introuvable, ou son PDF scellé est encore en préparation : réessayez dans un instant.", { status: 404 });
  return documentDownload(document);
}
