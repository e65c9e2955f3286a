/**
 * Use case: walk the whole audit chain in order with the chain's key and report the first broken link, then check
 * every anchor (the AuditAnchor table, plus heads given by the caller, e.g. printed on signed PDFs): an anchor
 * whose event is gone or has another hash reveals a truncated or rewritten chain.
 */
import { prisma, type AuditEvent } from "~/platform/db/db.server";
import { auditSessionId, brokenAnchors, findBrokenLink, GENESIS_HASH, type AuditHead, type ChainWalk, type StoredAuditEvent } from "~/domain/audit";
import { auditKey } from "./audit-key.server";

const PAGE = 1000;

export type AuditVerification = {
  checked: number;
  /** Events written before the chain was keyed (plain SHA-256), accepted only at its start. */
  legacy: number;
  head: AuditHead | null;
  broken: { seq: string; reason: string } | null;
  anchorsChecked: number;
  brokenAnchors: Array<{ seq: string; source: string; reason: string }>;
};

export async function verifyAuditChain(externalAnchors: AuditHead[] = []): Promise<AuditVerification> {
  const key = auditKey();
  let checked = 0;
  let cursor: bigint | null = null;
  const walk: ChainWalk = { prevHash: GENESIS_HASH, keyed: false, legacy: 0 };
  let head: AuditHead | null = null;
  let broken: AuditVerification["broken"] = null;
  for (;;) {
    const rows: AuditEvent[] = await prisma.auditEvent.findMany({
      where: cursor === null ? {} : { seq: { gt: cursor } },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    if (rows.length === 0) break;
    // The session column is an index beside the hashed payload: not hashed, but it must match what the payload says.
    const page: StoredAuditEvent[] = rows.map(({ sessionId: _index, ...e }) => ({ ...e, createdAt: e.createdAt.toISOString() }));
    // Continue the chain across pages: the page is checked as if it followed the previous one.
    broken = findBrokenLink(page, walk.prevHash, key, walk) ?? misindexed(rows);
    if (broken) {
      checked += page.findIndex((e) => String(e.seq) === broken!.seq);
      break;
    }
    checked += page.length;
    const last = rows[rows.length - 1];
    head = { seq: String(last.seq), hash: last.hash };
    cursor = BigInt(last.seq);
  }

  const stored = await prisma.auditAnchor.findMany({ select: { seq: true, hash: true, reason: true } });
  const anchors = [
    ...stored.map((a) => ({ seq: String(a.seq), hash: a.hash, source: `ancre enregistrée (${a.reason})` })),
    ...externalAnchors.map((a) => ({ ...a, source: "ancre fournie" })),
  ];
  const seqs = [...new Set(anchors.map((a) => a.seq))];
  const found = new Map<string, string>();
  for (let i = 0; i < seqs.length; i += PAGE) {
    const rows = await prisma.auditEvent.findMany({
      where: { seq: { in: seqs.slice(i, i + PAGE).map((s) => BigInt(s)) } },
      select: { seq: true, hash: true },
    });
    for (const row of rows) found.set(String(row.seq), row.hash);
  }
  return {
    checked,
    legacy: walk.legacy,
    head,
    broken,
    anchorsChecked: anchors.length,
    brokenAnchors: brokenAnchors(anchors, (seq) => found.get(seq)),
  };
}

/** The first event whose session column contradicts its hashed payload (rows whose payload names no session keep
 * the session their subject was joined to when the column was added). */
function misindexed(rows: AuditEvent[]) {
  const row = rows.find((r) => {
    const expected = auditSessionId(r);
    return expected !== null && expected !== r.sessionId;
  });
  return row ? { seq: String(row.seq), reason: "séance indexée différente de celle du contenu" } : null;
}
