/**
 * After a committed change of a PDF render (relaunched after a failure, stored, given up on): `render:state` to the
 * document's session and to the sessions that also show it (`pdf.alsoShownIn`), so every open room re-reads the PDF's
 * state at once (its link, « en préparation… », or the failure with « Relancer la production du PDF »). A document
 * outside any session (none to tell) sends nothing. Never throws: the change is committed, a page that missed it
 * still reads it at its next read.
 */
import type { RealtimePort } from "~/live/realtime-port";
import type { RenderState } from "~/live/session-events";
import { prisma } from "~/platform/db/db.server";
import type { RenderableKind } from "./document-kind";

export async function announceRenderState(
  kind: RenderableKind,
  documentId: string,
  status: RenderState["status"],
  realtime: RealtimePort | undefined,
  /** The document's session when the caller has loaded it (otherwise read here). */
  known?: { sessionId?: string },
): Promise<void> {
  if (!realtime) return;
  try {
    const ref = { documentId };
    const own = known ? known.sessionId : (await kind.load(prisma, ref).catch(() => null))?.sessionId;
    const others = (await kind.pdf.alsoShownIn?.(prisma, ref)) ?? [];
    for (const sessionId of new Set([...(own ? [own] : []), ...others])) {
      realtime.notifySession(sessionId, "render:state", { sessionId, kind: kind.kind, documentId, status });
    }
  } catch (error) {
    console.error(`[pdf] ${kind.kind} ${documentId} : état du rendu non diffusé`, error);
  }
}
