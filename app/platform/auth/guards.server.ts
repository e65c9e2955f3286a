/**
 * Guards are verbs that throw: a loader or action reads top to bottom without branches.
 * The session itself is resolved once per request by the server (server.ts) and handed over in the load context, as a
 * promise: the server reads it while Remix routes the request, and a loader may start reading its own data before it
 * awaits the guard (nothing it read leaves before the guard has passed).
 */
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { membershipsOf } from "./memberships.server";
import { ALL_PERMISSIONS, hasPermission, type OrgRole, type Permission } from "~/domain/permissions";
import type { SessionUser } from "./session.server";

type Args = { request: Request; context: AppLoadContext };

export async function getUser({ context }: Pick<Args, "context">): Promise<SessionUser | null> {
  return (await context.auth)?.user ?? null;
}

export async function requireUser({ request, context }: Args): Promise<SessionUser> {
  const user = await getUser({ context });
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
  }
  return user;
}

export async function requireAnonymous({ context }: Pick<Args, "context">): Promise<void> {
  if (await getUser({ context })) throw redirect("/");
}

export type { OrgRole } from "~/domain/permissions";

/** Roles that manage an organisation's sessions (see all of them, not only the ones they sit on). */
export const MANAGING_ROLES: ReadonlySet<OrgRole> = new Set(["ADMIN", "SECRETARIAT"]);

export { safeRedirect } from "~/platform/security/redirect";

export type OrgAccess = { user: SessionUser; organisationId: string; organisationName: string; role: OrgRole };

/**
 * The signed-in user with `permission` in their organisation (the first membership granting it), or a 403.
 * Every back-office loader and action starts with this; queries are then scoped to `organisationId`.
 */
export async function requireOrgPermission(args: Args, permission: Permission): Promise<OrgAccess> {
  const user = await requireUser(args);
  const memberships = await membershipsOf(user.id);
  const granted = memberships.find((m) => hasPermission(m.role, permission));
  if (!granted) {
    await recordAccess({
      action: ACCESS_ACTIONS.accessRefused,
      actorId: user.id,
      organisationId: memberships[0]?.organisation.id ?? null,
      subjectType: "Route",
      subjectId: new URL(args.request.url).pathname,
      data: { permission, method: args.request.method },
      ip: args.context.clientIp,
      userAgent: args.request.headers.get("user-agent"),
    });
    throw data("Vous n'avez pas les droits nécessaires pour cette page ou cette action.", { status: 403 });
  }
  return { user, organisationId: granted.organisation.id, organisationName: granted.organisation.name, role: granted.role };
}

/** Permissions of the user's organisation roles, for hiding controls in the UI (the server still checks). */
export async function listPermissions(userId: string): Promise<Permission[]> {
  const memberships = await membershipsOf(userId);
  const all = new Set<Permission>();
  for (const m of memberships) {
    for (const p of ALL_PERMISSIONS) if (hasPermission(m.role, p)) all.add(p);
  }
  return [...all];
}

/**
 * The signed-in user with any role in an organisation (their first membership), or a 403. For pages every member
 * reaches but whose content depends on the role (the archive: managing roles see the organisation's documents,
 * members only those of the sessions they sat on — decided by the use case).
 */
export async function requireOrgMember(args: Args): Promise<OrgAccess & { manages: boolean }> {
  const user = await requireUser(args);
  const memberships = await membershipsOf(user.id);
  const managing = memberships.find((m) => MANAGING_ROLES.has(m.role));
  const chosen = managing ?? memberships[0];
  if (!chosen) throw data("Vous n'appartenez à aucune organisation.", { status: 403 });
  return {
    user,
    organisationId: chosen.organisation.id,
    organisationName: chosen.organisation.name,
    role: chosen.role,
    manages: managing !== undefined,
  };
}

/** The secretariat or an administrator of an organisation (the desk: dashboard to-dos, figures, declarations). */
export async function requireManager(args: Args): Promise<OrgAccess> {
  const access = await requireOrgMember(args);
  if (!access.manages) throw data("Cette page est réservée au secrétariat et à l'administration.", { status: 403 });
  return access;
}

