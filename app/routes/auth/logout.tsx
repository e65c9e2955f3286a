import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/platform/auth/sign-out.server";
import { clearedSessionCookie } from "~/platform/auth/session.server";
import { refusalOf } from "~/platform/app-error";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await context.auth;
  if (auth) {
    try {
      await signOut(auth.id, auth.user.id, { ip: context.clientIp, userAgent: request.headers.get("user-agent") });
    } catch (error) {
      // Still signed in (nothing was written): the page says why, and the button works again in a moment.
      const refusal = refusalOf(error);
      throw new Response(refusal.formErrors[0], { status: refusal.status });
    }
    // Its open grids and session rooms (another tab of this browser) stop with it.
    await context.realtime.signInsEnded();
  }
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(context.secure) } });
}
