/** Use case: walk the whole audit chain in order and report the first broken link, if any. */
import { prisma } from "~/platform/db/db.server";
import { findBrokenLink, type StoredAuditEvent } from "~/domain/audit";

const PAGE = 1000;

export async function verifyAuditChain(): Promise<{ checked: number; broken: { seq: string; reason: string } | null }> {
  let checked = 0;
  let cursor: bigint | null = null;
  let prevHash: string | null = null;
  for (;;) {
    const page: StoredAuditEvent[] = (
      await prisma.auditEvent.findMany({
        where: cursor === null ? {} : { seq: { gt: cursor } },
        orderBy: { seq: "asc" },
        take: PAGE,
      })
    ).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
    if (page.length === 0) return { checked, broken: null };
    // Continue the chain across pages: the page is checked as if it followed the previous one.
    const broken = findBrokenLink(page, prevHash ?? undefined);
    if (broken) return { checked: checked + page.findIndex((e) => String(e.seq) === broken.seq), broken };
    checked += page.length;
    prevHash = page[page.length - 1].hash;
    cursor = BigInt(page[page.length - 1].seq);
  }
}
