/** CSV exports (candidates, decisions, holders) for the secretariat and administrators, streamed as they are read. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireManager } from "~/platform/auth/guards.server";
import { csvDownloadHeaders } from "~/platform/csv";
import { CSV_EXPORTS, exportCsv } from "~/back-office/exports/export-csv.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args);
  const which = CSV_EXPORTS.find((name) => `${name}.csv` === args.params.file);
  if (!which) throw data("Export inconnu.", { status: 404 });
  const { fileName, body } = await exportCsv(access.organisationId, which);
  return new Response(body, { headers: csvDownloadHeaders(fileName) });
}
