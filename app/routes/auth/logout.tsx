import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookie, invalidateAuthSession } from "~/platform/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (context.auth) await invalidateAuthSession(context.auth.id);
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(context.secure) } });
}
