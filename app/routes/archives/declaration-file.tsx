/**
 * POST: generates the declaration file (new and rejected holders, validated against the XSD) and offers it as a
 * download. A resource route, so the XML is the response itself. A refusal is answered in French with its status;
 * to the declarations page's own form (a browser's navigation), it is the page again, the refusal under its button
 * (303 to `/declarations?refus=<key>`): the secretariat never leaves the page for a bare text.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { AppError } from "~/platform/app-error";
import { exportDeclaration } from "~/archive/cdc/export-declaration.server";
import { declarationFileRefusalKey } from "~/archive/cdc/declaration-status";

/** The file is made by the page's button (POST); its address opened again (history, a reload) leads back to the page. */
export function loader() {
  return redirect("/declarations");
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireManager(args);
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  try {
    const file = await exportDeclaration(actor);
    return new Response(file.xml, {
      headers: {
        "Content-Type": "application/xml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.name}"`,
        "X-Declaration-Count": String(file.count),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      const key = declarationFileRefusalKey(error.message);
      const navigation =
        args.request.headers.get("sec-fetch-mode") === "navigate" || /\btext\/html\b/.test(args.request.headers.get("accept") ?? "");
      if (key && navigation) return redirect(`/declarations?refus=${key}`, { status: 303 });
      return new Response(`${[error.message, ...error.details].join("\n")}\n`, {
        status: error.status,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
}
