/**
 * POST /organisation-active: the header's « Organisation active » selector (app/components/organisation-switcher.tsx).
 * The choice is stored on the login session after checking the membership (app/platform/auth/choose-active-organisation.server.ts),
 * then the page the person was on is shown again, for the chosen organisation. Cross-site posts are refused by the
 * server's Origin check, as every other action.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { AppError } from "~/platform/app-error";
import { requireUser, safeRedirect } from "~/platform/auth/guards.server";
import { chooseActiveOrganisation } from "~/platform/auth/choose-active-organisation.server";
import { readForm } from "~/platform/http/read-form.server";

export async function loader() {
  return redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const auth = (await args.context.auth)!;
  const form = await readForm(args.request);
  try {
    await chooseActiveOrganisation({
      sessionId: auth.id,
      userId: user.id,
      organisationId: String(form.get("organisationId") ?? ""),
      ip: args.context.clientIp,
      userAgent: args.request.headers.get("user-agent"),
    });
  } catch (error) {
    if (error instanceof AppError) throw data(error.message, { status: error.status });
    throw error;
  }
  return redirect(safeRedirect(form.get("redirectTo"), "/"));
}
