/** The dashboard's figures as CSV (same filters as the page). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireManager } from "~/platform/auth/guards.server";
import { csvDownloadHeaders, toCsv } from "~/platform/csv";
import { figureFilterFrom, getFigures } from "~/back-office/desk/get-figures.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args);
  const filter = figureFilterFrom(new URL(args.request.url));
  const figures = await getFigures(access.organisationId, filter);
  type Row = { figure: string; label: string; value: number };
  const rows: Row[] = [
    ...figures.perMonth.flatMap((m) => [
      { figure: "Candidats inscrits par mois", label: m.month, value: m.candidates },
      { figure: "Décisions par mois", label: m.month, value: m.decisions },
    ]),
    ...figures.successByCertification.map((s) => ({ figure: "Taux de réussite par certification (%)", ...s })),
    ...figures.successByBloc.map((s) => ({ figure: "Taux d'acquisition par bloc (%)", ...s })),
    ...figures.deliveries.map((s) => ({ figure: "Délivrances", ...s })),
    ...figures.delayMonths.map((s) => ({ figure: "Délai inscription → décision", ...s })),
  ];
  const csv = toCsv<Row>(
    [
      { header: "Indicateur", value: (r) => r.figure },
      // Months (2026-01) and codes (a bloc 01) stay as written, not turned into dates or numbers by the spreadsheet.
      { header: "Libellé", value: (r) => ({ text: r.label }) },
      { header: "Valeur", value: (r) => r.value },
    ],
    rows,
  );
  return new Response(csv, { headers: csvDownloadHeaders(`chiffres-${filter.fromKey}-${filter.toKey}.csv`) });
}
