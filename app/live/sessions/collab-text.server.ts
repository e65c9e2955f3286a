/**
 * Reads a collaborative document's text as stored (snapshot + logged updates), e.g. the minutes' remarks. What the
 * document server acknowledged may not be in the tables yet (the embedded database's journal, decision 0006): a use
 * case that reads live texts calls `storeLiveEdits` first, before its transaction.
 */
import * as Y from "yjs";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import type { RealtimePort } from "../realtime-port";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Every edit acknowledged to a writer is in the tables when this resolves, so `readCollabText` reads what was typed up
 * to now. Outside any transaction. Without a realtime port (a script, an in-process test) no document server runs.
 */
export async function storeLiveEdits(realtime: Pick<RealtimePort, "storeAcknowledgedEdits"> | undefined): Promise<void> {
  await realtime?.storeAcknowledgedEdits();
}

export async function readCollabText(db: Db, name: string, field: string): Promise<string> {
  // Two reads (the snapshot, then the updates after it): a compaction committed between them would have folded and
  // deleted updates this read still needs. The snapshot's seq, read again afterwards, tells: unchanged, the two
  // reads match; changed, read again (a compaction is rare, and at most once a few seconds per document).
  for (let attempt = 1; ; attempt++) {
    const row = await db.collabDocument.findUnique({ where: { name }, select: { snapshot: true, snapshotSeq: true } });
    if (!row) return "";
    const updates = await db.collabUpdate.findMany({
      where: { docName: name, seq: { gt: row.snapshotSeq } },
      orderBy: { seq: "asc" },
      select: { update: true },
    });
    const after = await db.collabDocument.findUnique({ where: { name }, select: { snapshotSeq: true } });
    if (after && after.snapshotSeq !== row.snapshotSeq && attempt < 5) continue;
    const doc = new Y.Doc();
    try {
      if (row.snapshot && row.snapshot.byteLength > 0) Y.applyUpdate(doc, new Uint8Array(row.snapshot));
      for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u.update));
      return doc.getText(field).toString();
    } finally {
      doc.destroy();
    }
  }
}
