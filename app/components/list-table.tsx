/**
 * The back office's list table: an empty-state message when there is nothing to list, else a bordered, scrollable
 * table with a screen-reader caption and column headers. Rows are the caller's `<tr>` elements.
 */
import type { ReactNode } from "react";

export function ListTable({
  caption,
  columns,
  empty,
  children,
}: {
  caption: string;
  columns: string[];
  /** Shown instead of the table when there are no rows (null: there are rows). */
  empty: ReactNode | null;
  children: ReactNode;
}) {
  if (empty !== null) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">
        {empty}
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-4 py-2 font-semibold">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}
