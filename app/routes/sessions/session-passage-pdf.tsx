/** Download of a passage's signed grid (PDF), for the session's members and the organisation's secretariat. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/platform/auth/guards.server";
import { getSignedGrid } from "~/live/sessions/get-signed-grid.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const document = await getSignedGrid(user.id, args.params.sessionId ?? "", args.params.slotId ?? "");
  return new Response(document.content, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${document.fileName}"`,
      "X-Content-SHA256": document.sha256,
      "Cache-Control": "private, no-store",
    },
  });
}
