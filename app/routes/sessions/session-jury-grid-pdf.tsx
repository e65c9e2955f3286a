/** Download of a signed commission grid (PDF) of a candidate on the jury's agenda (seated members and the secretariat). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { refusalOf } from "~/platform/app-error";
import { renderFailedText } from "~/domain/render-failure";
import { recordSignedDownload } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { documentDownload } from "~/platform/http/content-disposition";
import { getJuryGridPdf } from "~/live/jury/get-jury-grid-pdf.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { sessionId = "", slotId = "" } = args.params;
  let found: Awaited<ReturnType<typeof getJuryGridPdf>>;
  try {
    found = await getJuryGridPdf(sessionId, user.id, slotId);
  } catch (error) {
    const refusal = refusalOf(error);
    throw new Response(refusal.formErrors.join(" "), { status: refusal.status });
  }
  if (!found) throw new Response("Cette grille n'est pas signée, son PDF est en préparation, ou elle ne concerne pas ce jury.", { status: 404 });
  if (!found.document) throw new Response(`Cette grille est signée, mais ${renderFailedText(found.failure, "son PDF")}`, { status: 404 });
  const { document, organisationId } = found;
  await recordSignedDownload(document, { actorId: user.id, organisationId, data: { sessionId }, ...auditMeta(args.request, args.context) });
  return documentDownload(document);
}
