/**
 * The candidate's record of acquired blocs (per certification: decision date, validity end, expired or expiring
 * ones marked; blocs still missing) and the documents delivered to them, with their downloads and commands.
 */
import { labelCells, STACKED_TABLE_CLASS } from "../list-table";
import { sectionClass } from "../candidates/dossier-ui";
import { frDate, RecordList, useRefreshWhile, type RecordRow } from "./delivery-ui";
import { RecordDeclarationLine, type RecordDeclarationView } from "./declaration-status";

type Delivery = {
  acquisitions: {
    certificationId: string;
    code: string;
    title: string;
    status: "TOTAL" | "PARTIAL" | "NONE";
    items: { code: string; title: string; decidedAt: string; validUntil: string | null; state: "valid" | "expiring" | "expired" }[];
    missing: { code: string; title: string }[];
  }[];
  records: RecordRow[];
};

const STATE_LABELS = { valid: "valide", expiring: "expire dans moins de 90 jours", expired: "expiré" } as const;
const STATE_CLASSES = {
  valid: "bg-emerald-100 text-emerald-800",
  expiring: "bg-amber-100 text-amber-900",
  expired: "bg-red-100 text-red-800",
} as const;


const ACQUISITION_COLUMNS = ["Bloc", "Décision du", "Valable jusqu'au", "État"];
export function CandidateAcquisitions({
  delivery,
  declarations,
  canManage,
  submissionKey,
}: {
  delivery: Delivery;
  /** Per record id, where its holder's declaration to the Caisse des Dépôts stands (none for a duplicate). */
  declarations: Record<string, RecordDeclarationView>;
  canManage: boolean;
  submissionKey: string;
}) {
  const unreachableNotice = useRefreshWhile(delivery.records.some((r) => r.progress.state === "pending" || r.progress.state === "running"));
  const withDecisions = delivery.acquisitions.filter((a) => a.items.length > 0 || a.status !== "NONE");
  return (
    <section aria-labelledby="acquisitions-title" className={sectionClass}>
      <h2 id="acquisitions-title" className="text-lg font-semibold">
        Acquis et documents délivrés
      </h2>
      {unreachableNotice}
      {withDecisions.length === 0 ? <p className="mt-2 text-slate-600">Aucun bloc acquis à ce jour.</p> : null}
      {withDecisions.map((a) => (
        <div key={a.certificationId} className="mt-3">
          <h3 className="font-semibold">
            {a.title} ({a.code}) —{" "}
            {a.status === "TOTAL" ? "certification obtenue" : a.status === "PARTIAL" ? "validation partielle" : "aucun acquis valide"}
          </h3>
          <div className="overflow-x-auto">
            <table className={`mt-1 w-full text-left text-sm sm:min-w-[32rem] ${STACKED_TABLE_CLASS}`}>
              <thead className="text-slate-600 max-sm:sr-only">
                <tr>
                  {ACQUISITION_COLUMNS.map((column) => (
                    <th key={column} className="py-1 pr-3 font-medium">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {labelCells(a.items.map((item) => (
                  <tr key={item.code} data-acquisition={item.code}>
                    <td className="py-1 pr-3">
                      <span className="font-medium">{item.code}</span> {item.title}
                    </td>
                    <td className="py-1 pr-3">{frDate(item.decidedAt)}</td>
                    <td className="py-1 pr-3">{item.validUntil ? frDate(item.validUntil) : "sans limite"}</td>
                    <td className="py-1">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_CLASSES[item.state]}`}>{STATE_LABELS[item.state]}</span>
                    </td>
                  </tr>
                )), ACQUISITION_COLUMNS)}
              </tbody>
            </table>
          </div>
          {a.status !== "TOTAL" && a.missing.length > 0 ? (
            <p className="mt-1 text-sm text-slate-700">Restent à acquérir : {a.missing.map((m) => `${m.code} ${m.title}`).join(" ; ")}</p>
          ) : null}
        </div>
      ))}
      <h3 className="mt-4 font-semibold">Documents</h3>
      <RecordList
        records={delivery.records}
        canManage={canManage}
        submissionKey={submissionKey}
        extra={(record) => (declarations[record.id] ? <RecordDeclarationLine declaration={declarations[record.id]!} /> : null)}
      />
    </section>
  );
}
