/**
 * The back office's list table: an empty-state message when there is nothing to list, else a bordered table with a
 * screen-reader caption and column headers. Rows are the caller's `<tr>` elements, their cells `<td>`s in the
 * columns' order. On a phone (below `sm`) each row becomes a card: its first cell as the card's title, every other
 * cell under it preceded by its column's name — nothing to scroll sideways, no column out of sight.
 */
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";

/** On a phone, every cell but the first preceded by its column's name (`data-label`, set by labelCells). */
export const STACKED_TABLE_CLASS =
  "max-sm:block max-sm:[&_tbody]:block max-sm:[&_tr]:block max-sm:[&_tr]:py-2 max-sm:[&_td]:block max-sm:[&_td]:py-1! " +
  "max-sm:[&_td[data-label]]:grid max-sm:[&_td[data-label]]:grid-cols-[6.5rem_1fr] max-sm:[&_td[data-label]]:gap-2 max-sm:[&_td[data-label]]:justify-items-start " +
  "max-sm:[&_td[data-label]]:before:content-[attr(data-label)] max-sm:[&_td[data-label]]:before:text-xs " +
  "max-sm:[&_td[data-label]]:before:font-medium max-sm:[&_td[data-label]]:before:text-slate-500 max-sm:[&_td[data-label]]:before:pt-0.5";

/** The rows with each cell after the first labelled by its column (`data-label`), for the phone's cards. */
export function labelCells(rows: ReactNode, columns: string[]): ReactNode {
  return Children.map(rows, (row) => {
    if (!isValidElement<{ children?: ReactNode }>(row)) return row;
    let index = -1;
    const cells = Children.map(row.props.children, (cell) => {
      if (!isValidElement(cell) || cell.type !== "td") return cell;
      index += 1;
      return index === 0 || !columns[index] ? cell : cloneElement(cell as ReactElement<{ "data-label"?: string }>, { "data-label": columns[index] });
    });
    return cloneElement(row, undefined, cells);
  });
}

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
      <table className={`w-full text-left text-sm ${STACKED_TABLE_CLASS}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700 max-sm:sr-only">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-4 py-2 font-semibold">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{labelCells(children, columns)}</tbody>
      </table>
    </div>
  );
}
