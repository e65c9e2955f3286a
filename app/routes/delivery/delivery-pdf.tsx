/**
 * The secretariat downloads a sealed delivery PDF: a record (parchemin, attestation), a notice letter, a CPNE
 * validation. Each download is audited. Managers only: these kinds are the ones the archive withholds from members
 * too (`DELIVERY_PDF_KINDS`, `mayReadArchivedKind` in app/domain/archive-scope.ts; a unit test keeps them agreeing).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { deliveryRenderFailure, getDeliveryPdf } from "~/delivery/get-session-delivery.server";
import { renderFailedText } from "~/domain/render-failure";
import { DELIVERY_PDF_KINDS } from "~/domain/archive-scope";
import { recordSignedDownload } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { documentDownload } from "~/platform/http/content-disposition";

const KINDS = new Set<string>(DELIVERY_PDF_KINDS);

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args, { signedKind: args.params.kind ?? "", documentId: args.params.documentId ?? "" });
  const kind = args.params.kind ?? "";
  const document = KINDS.has(kind) ? await getDeliveryPdf(access.organisationId, kind, args.params.documentId ?? "") : null;
  if (!document) {
    const failure = KINDS.has(kind) ? await deliveryRenderFailure(access.organisationId, kind, args.params.documentId ?? "") : null;
    if (failure) throw data(renderFailedText(failure, "Le PDF scellé de ce document"), { status: 404 });
    throw data("Document introuvable, ou son PDF scellé est encore en préparation : réessayez dans un instant.", { status: 404 });
  }
  const meta = auditMeta(args.request, args.context);
  await recordSignedDownload(document, { actorId: access.user.id, organisationId: access.organisationId, data: { documentId: document.documentId }, ...meta });
  return documentDownload(document);
}
