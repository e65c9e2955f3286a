/** Reads a collaborative document's text as stored (snapshot + logged updates), e.g. the minutes' remarks. */
import * as Y from "yjs";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";

type Db = PrismaClient | Prisma.TransactionClient;

export async function readCollabText(db: Db, name: string, field: string): Promise<string> {
  const row = await db.collabDocument.findUnique({ where: { name }, select: { snapshot: true, snapshotSeq: true } });
  if (!row) return "";
  const updates = await db.collabUpdate.findMany({
    where: { docName: name, seq: { gt: row.snapshotSeq } },
    orderBy: { seq: "asc" },
    select: { update: true },
  });
  const doc = new Y.Doc();
  try {
    if (row.snapshot && row.snapshot.byteLength > 0) Y.applyUpdate(doc, new Uint8Array(row.snapshot));
    for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u.update));
    return doc.getText(field).toString();
  } finally {
    doc.destroy();
  }
}
