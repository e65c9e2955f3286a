/**
 * Read use cases for sessions: which sessions a user may see, and one session as its viewer may see it.
 * A member sees the sessions they sit on; the secretariat and admins see all sessions of their organisation.
 */
import { rememberSessionKind } from "./session-kind.server";
import { data } from "@remix-run/node";
import { AppError } from "~/platform/app-error";
import { MANAGING_ROLES, type OrgRole } from "~/platform/auth/guards.server";
import { membershipsOf, signedInMemberships } from "~/platform/auth/memberships.server";
import { prisma } from "~/platform/db/db.server";
import { parseScheme } from "~/domain/scheme";
import { searchTerms } from "~/domain/search";
import { referentialTree } from "./referential-tree.server";
import { GRID_KIND, SLOT_SESSION_INCLUDE } from "~/live/commission/slot-context.server";
import { renderFailures } from "~/signing/render-failure.server";
import { askedPage } from "~/domain/pagination";
import { readerOf } from "./session-reader.server";

/** The organisations the user manages (secretariat or administrator). */
export async function managedOrganisationIds(userId: string): Promise<string[]> {
  const memberships = await membershipsOf(userId);
  return memberships.filter((m) => MANAGING_ROLES.has(m.role as OrgRole)).map((m) => m.organisation.id);
}

/**
 * The organisations whose sessions the lists show: those the user belongs to, for their seats (a session is listed for
 * its seat only in one of them: a seat kept on record after a removal opens nothing,
 * app/live/sessions/session-reader.server.ts), and their « organisation active » when they manage it, for all of its
 * sessions (a person managing two organisations sees one at a time, app/domain/active-organisation.ts).
 */
async function organisationsOf(userId: string): Promise<{ member: string[]; managed: string[] }> {
  const { memberships, active } = await signedInMemberships(userId);
  return {
    member: memberships.map((m) => m.organisation.id),
    managed: active && MANAGING_ROLES.has(active.role) ? [active.organisation.id] : [],
  };
}

export type SessionListItem = Awaited<ReturnType<typeof listVisibleSessions>>["sessions"][number];

type SessionFilter = { query?: string; ids?: string[] | null };

function visibleSessionsWhere(userId: string, { member, managed }: { member: string[]; managed: string[] }, filter: SessionFilter) {
  const terms = searchTerms(filter.query);
  return {
    OR: [{ members: { some: { userId } }, organisationId: { in: member } }, { organisationId: { in: managed } }],
    AND: terms.map((term) => ({ searchKey: { contains: term } })),
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
  };
}

function sessionListSelect(userId: string) {
  return {
    id: true,
    kind: true,
    title: true,
    startsAt: true,
    endsAt: true,
    remote: true,
    place: true,
    status: true,
    organisation: { select: { id: true, name: true } },
    members: { where: { userId }, select: { role: true } },
    _count: { select: { members: true, slots: true } },
  } as const;
}

/** `endingFrom`: only the sessions ending at or after it (the upcoming ones; the caller compares the instant). */
export async function listVisibleSessions(userId: string, filter: SessionFilter & { endingFrom?: Date } = {}) {
  const organisations = await organisationsOf(userId);
  const sessions = await prisma.session.findMany({
    where: { ...visibleSessionsWhere(userId, organisations, filter), ...(filter.endingFrom ? { endsAt: { gte: filter.endingFrom } } : {}) },
    orderBy: { startsAt: "asc" },
    select: sessionListSelect(userId),
  });
  return {
    managesSessions: organisations.managed.length > 0,
    sessions: sessions.map(({ members, ...s }) => ({ ...s, seatRole: members[0]?.role ?? null })),
  };
}

/** Past sessions per page: years of sessions stay reachable without one page holding them all. */
export const PAST_SESSIONS_PAGE_SIZE = 25;

/** The sessions that ended before `before`, most recent first, a page at a time (a page past the end: the last). */
export async function listPastSessions(userId: string, filter: SessionFilter, before: Date, requestedPage = 1) {
  const where = { ...visibleSessionsWhere(userId, await organisationsOf(userId), filter), endsAt: { lt: before } };
  const pageOf = (page: number) =>
    prisma.session.findMany({
      where,
      orderBy: [{ startsAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAST_SESSIONS_PAGE_SIZE,
      take: PAST_SESSIONS_PAGE_SIZE,
      select: sessionListSelect(userId),
    });
  const asked = askedPage(requestedPage);
  const [matching, askedSessions] = await Promise.all([prisma.session.count({ where }), pageOf(asked)]);
  const pageCount = Math.max(1, Math.ceil(matching / PAST_SESSIONS_PAGE_SIZE));
  const page = Math.min(asked, pageCount);
  const sessions = page === asked ? askedSessions : await pageOf(page);
  return { sessions: sessions.map(({ members, ...s }) => ({ ...s, seatRole: members[0]?.role ?? null })), matching, page, pageCount };
}

/** One session with its agenda, members and référentiel; 404 when the user may not see it. */
/** What a person reads for a session that does not exist or that they may not see (never says which). */
export const SESSION_NOT_FOUND = "Cette session n'existe pas ou ne vous est pas accessible.";

/**
 * For a session's commands (its minutes', a passage's): the session's organisation when the user sits in it and is
 * still a member of that organisation, or manages it, else NOT_FOUND with the message its page gives — a stranger's
 * command never learns that it exists (the kind's own rules then say who may do what). One read of the session and
 * the user's seat (the memberships came with the sign-in).
 */
export async function requireSessionReader(userId: string, sessionId: string): Promise<{ organisationId: string }> {
  const session = await prisma.session.findUnique({
    where: { id: sessionId },
    select: { organisationId: true, members: { where: { userId }, select: { userId: true } } },
  });
  if (!session || !(await readerOf(session.members, userId, session.organisationId))) throw new AppError("NOT_FOUND", SESSION_NOT_FOUND);
  return { organisationId: session.organisationId };
}

export async function getSessionForViewer(viewer: string | Promise<string>, sessionId: string) {
  // The session is read while the viewer's sign-in may still be (the live room's page starts both at once): nothing of
  // it leaves this function before the viewer is known, and seated or managing.
  const [read, userId] = await Promise.all([readSession(sessionId), viewer]);
  const seat = await requireSeatOrManaging(read?.session ?? null, userId);
  return { ...read!, seat };
}

/**
 * The viewer's seat in the session, or null when they manage its organisation without one; a 404 (the page's
 * « introuvable ») for anyone else — a seat held by someone no longer a member of the organisation included
 * (app/live/sessions/session-reader.server.ts). `session`: what readSession read, or null when it does not exist.
 */
export async function requireSeatOrManaging<S extends { organisation: { id: string }; members: { userId: string }[] }>(
  session: S | null,
  userId: string,
): Promise<S["members"][number] | null> {
  const reader = session ? await readerOf(session.members, userId, session.organisation.id) : null;
  if (!reader) throw data(SESSION_NOT_FOUND, { status: 404 });
  return reader.seat;
}

/**
 * One session as every viewer of it sees it (nobody's seat: requireSeatOrManaging says who may see it), or null when it
 * does not exist. Shared by the live room's requests asked at the same time (getSessionRoom): its answer is not
 * modified by its callers.
 */
export async function readSession(sessionId: string) {
  const raw = await prisma.session.findUnique({
    where: { id: sessionId },
    // What a passage's context reads of its session as well: the live room hands it over (getSessionRoom).
    include: {
      ...SLOT_SESSION_INCLUDE,
      slots: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          dossierId: true,
          position: true,
          startsAt: true,
          endsAt: true,
          candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true, employer: true, trainerId: true } },
          gridStatus: true,
          documents: { where: { kind: "grid" }, select: { id: true } },
        },
      },
    },
  });
  if (!raw) return null;
  // A grid signed by all without its PDF: being rendered, or given up on (one more read, only then).
  const unrendered = raw.slots.filter((s) => s.gridStatus === "SIGNED" && s.documents.length === 0).map((s) => s.id);
  const failures = await renderFailures(GRID_KIND, unrendered);
  // The page sees the session as before: the seats' names and roles, the certification's title and scheme.
  const session = {
    ...raw,
    slots: raw.slots.map(({ dossierId: _dossierId, ...slot }) => ({ ...slot, pdfFailure: failures.get(slot.id) ?? null })),
    organisation: { id: raw.organisation.id, name: raw.organisation.name },
    members: raw.members.map((m) => ({ userId: m.userId, role: m.role, college: m.college, user: { displayName: m.user.displayName } })),
    referentialVersion: raw.referentialVersion
      ? {
          id: raw.referentialVersion.id,
          version: raw.referentialVersion.version,
          publishedAt: raw.referentialVersion.publishedAt,
          certification: (({ code, title, kind, scheme }) => ({ code, title, kind, scheme }))(raw.referentialVersion.certification),
        }
      : null,
  };
  rememberSessionKind(session.id, session.kind);
  const version = session.referentialVersion;
  // The blocs come from the published versions' memory (referential-tree.server.ts), in the shape this read returns.
  const blocs = version
    ? (await referentialTree(prisma, version)).map((b) => ({
        id: b.id,
        code: b.code,
        title: b.title,
        competences: b.competences.map((c) => ({
          id: c.id,
          code: c.code,
          statement: c.statement,
          conditions: c.conditions,
          criteria: c.criteria.map((cr) => ({ id: cr.id, statement: cr.statement, mandatory: cr.mandatory })),
        })),
      }))
    : [];
  const referentialVersion = version ? { version: version.version, certification: version.certification, blocs } : null;
  return {
    session: { ...session, referentialVersion },
    /** The session as a passage's context reads it (loadSlotContext's `known.session`), its slots with their dossier. */
    slotSession: raw,
    referential: referentialVersion
      ? {
          version: referentialVersion.version,
          certification: { ...referentialVersion.certification, scheme: parseScheme(referentialVersion.certification.scheme) },
          blocs,
        }
      : null,
  };
}
