/** Resource route: an outbox e-mail's iCalendar attachment, as a file to download. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { getOutboxEmail } from "~/platform/mail/list-outbox.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:outbox", { outboxEmail: args.params.emailId ?? "" });
  const email = await getOutboxEmail(args.params.emailId ?? "", access.organisationId);
  if (!email.ics) throw new Response("Ce courriel n'a pas d'invitation jointe.", { status: 404 });
  return new Response(email.ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8; method=PUBLISH",
      "Content-Disposition": attachmentDisposition("convocation.ics"),
      "Cache-Control": "private, no-store",
    },
  });
}
