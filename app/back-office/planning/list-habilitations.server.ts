/**
 * The organisation's habilitations (people of the organisation × certifications of the organisation), newest
 * first per person and certification, with their state today, and the choices for the creation form.
 */
import { prisma } from "~/platform/db/db.server";
import { habilitationStateOn } from "~/domain/eligibility";
import { parisDateKey, utcDateKey } from "~/domain/planning";
import { searchTerms } from "~/domain/search";

export type HabilitationRowState = "valid" | "expired" | "notYetValid";

export async function listHabilitations(
  organisationId: string,
  now = new Date(),
  filter: { query?: string; expiringWithinDays?: number | null } = {},
) {
  const today = parisDateKey(now);
  // Accent-insensitive: each folded word is in the person's or the certification's search key.
  const terms = searchTerms(filter.query);
  const [rows, people, certifications] = await Promise.all([
    prisma.habilitation.findMany({
      where: {
        certification: { organisationId },
        user: { memberships: { some: { organisationId } } },
        AND: terms.map((term) => ({ OR: [{ user: { searchKey: { contains: term } } }, { certification: { searchKey: { contains: term } } }] })),
        ...(filter.expiringWithinDays
          ? { validUntil: { gte: now, lt: new Date(now.getTime() + filter.expiringWithinDays * 86_400_000) } }
          : {}),
      },
      orderBy: [{ user: { displayName: "asc" } }, { certification: { title: "asc" } }, { validUntil: "desc" }],
      select: {
        id: true,
        userId: true,
        certificationId: true,
        validFrom: true,
        validUntil: true,
        user: { select: { displayName: true, email: true } },
        certification: { select: { code: true, title: true } },
      },
    }),
    prisma.membership.findMany({
      where: { organisationId },
      orderBy: { user: { displayName: "asc" } },
      select: { user: { select: { id: true, displayName: true, email: true } } },
    }),
    prisma.certification.findMany({
      where: { organisationId },
      orderBy: { title: "asc" },
      select: { id: true, code: true, title: true },
    }),
  ]);
  const latest = new Set<string>();
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.userId}:${r.certificationId}`;
    if (!seen.has(key)) {
      seen.add(key);
      latest.add(r.id);
    }
  }
  return {
    today,
    habilitations: rows.map((r) => {
      const state = habilitationStateOn([r], today).kind;
      return {
        id: r.id,
        person: r.user.displayName,
        email: r.user.email,
        certification: `${r.certification.title} (${r.certification.code})`,
        validFrom: utcDateKey(r.validFrom),
        validUntil: utcDateKey(r.validUntil),
        state: (state === "missing" ? "expired" : state) as HabilitationRowState,
        /** The latest period of this person for this certification: the one to renew. */
        renewable: latest.has(r.id),
      };
    }),
    people: people.map((p) => ({ id: p.user.id, label: `${p.user.displayName} (${p.user.email})` })),
    certifications: certifications.map((c) => ({ id: c.id, label: `${c.title} (${c.code})` })),
  };
}
