/** A passage's signed grid (PDF) for a viewer of the session (404 unless seated or managing, or not signed yet). */
import { prisma } from "~/platform/db/db.server";
import { getSessionForViewer } from "./queries.server";

export async function getSignedGrid(userId: string, sessionId: string, slotId: string) {
  await getSessionForViewer(userId, sessionId); // 404 unless seated or managing
  const document = await prisma.signedDocument.findFirst({
    where: { kind: "grid", slot: { id: slotId, sessionId } },
    select: { content: true, fileName: true, sha256: true },
  });
  if (!document) throw new Response("La grille n'est pas encore signée par tous.", { status: 404 });
  return document;
}
