/**
 * Guards are verbs that throw: a loader or action reads top to bottom without branches.
 * The session itself is resolved once per request by the server (server.ts) and handed over in the load context.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { prisma } from "~/db/db.server";
import type { SessionUser } from "./session.server";

type Args = { request: Request; context: AppLoadContext };

export function getUser({ context }: Pick<Args, "context">): SessionUser | null {
  return context.auth?.user ?? null;
}

export function requireUser({ request, context }: Args): SessionUser {
  const user = getUser({ context });
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
  }
  return user;
}

export function requireAnonymous({ context }: Pick<Args, "context">): void {
  if (getUser({ context })) throw redirect("/");
}

export type OrgRole = "ADMIN" | "SECRETARIAT" | "MEMBER" | "OBSERVER";

/** The user's organisations with their role there. */
export function getMemberships(userId: string) {
  return prisma.membership.findMany({
    where: { userId },
    select: { role: true, organisation: { select: { id: true, name: true } } },
  });
}

/** Roles that manage an organisation's sessions (see all of them, not only the ones they sit on). */
export const MANAGING_ROLES: ReadonlySet<OrgRole> = new Set(["ADMIN", "SECRETARIAT"]);

/** Only same-site paths are accepted as post-login destinations. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
