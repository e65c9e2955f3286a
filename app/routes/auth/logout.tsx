import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { clearedSessionCookie, invalidateAuthSession } from "~/platform/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.auth) {
    await invalidateAuthSession(context.auth.id);
    await recordAccess({
      action: ACCESS_ACTIONS.signOut,
      actorId: context.auth.user.id,
      subjectType: "User",
      subjectId: context.auth.user.id,
      ip: context.clientIp,
      userAgent: request.headers.get("user-agent"),
    });
  }
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(context.secure) } });
}
