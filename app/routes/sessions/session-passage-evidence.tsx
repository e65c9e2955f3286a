/** Download of a candidate's evidence by the members of the session evaluating them (and its secretariat). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/platform/auth/guards.server";
import { getPassageEvidence } from "~/live/commission/passage-dossier.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { getSessionForViewer } from "~/live/sessions/queries.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { sessionId = "", slotId = "", evidenceId = "" } = args.params;
  await getSessionForViewer(user.id, sessionId); // 404 unless seated or managing the organisation
  const file = await getPassageEvidence(sessionId, slotId, evidenceId);
  if (!file) throw new Response("Cette pièce n'existe pas dans le dossier du candidat.", { status: 404 });
  return new Response(file.content, {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Disposition": attachmentDisposition(file.fileName),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
