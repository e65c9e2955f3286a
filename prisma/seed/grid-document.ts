/**
 * A demo grid already sealed (signed, or awaiting signatures): its Yjs document stored sealed, so that the live room
 * shows what was signed (results, comments, assessments, synthesis) rather than an empty grid, with the hash and the
 * content the product itself seals (the canonical content of that document, app/domain/canonical.ts).
 */
import * as Y from "yjs";
import { gridDocumentName } from "~/domain/access";
import { canonicalDocumentJson, sha256Hex } from "~/domain/canonical";
import { GRID_ROOTS, type GridContent } from "~/live/commission/grid-content";
import type { Prisma } from "~/platform/db/db.server";

export async function sealedGridDocument(
  tx: Prisma.TransactionClient,
  input: { sessionId: string; slotId: string; content: GridContent; sealedAt: Date },
): Promise<{ sealedHash: string; sealedContent: Prisma.InputJsonValue }> {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const root of ["result", "comment", "assessment"] as const) {
      const map = doc.getMap<string>(GRID_ROOTS[root]);
      for (const [key, value] of Object.entries(input.content[root])) map.set(key, value);
    }
    doc.getText(GRID_ROOTS.synthesis).insert(0, input.content.synthesis);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const canonical = canonicalDocumentJson(state);
  const sealedHash = sha256Hex(canonical);
  await tx.collabDocument.create({
    data: { name: gridDocumentName(input.sessionId, input.slotId), snapshot: Buffer.from(state), sealedAt: input.sealedAt, sealedHash },
  });
  return { sealedHash, sealedContent: JSON.parse(canonical) as Prisma.InputJsonValue };
}
