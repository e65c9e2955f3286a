import { Link } from "@remix-run/react";

/** « Sessions / Jury du 12 mars / Préparation »: the pages above this one (links), then this page (no link). */
export function Breadcrumb({ items }: { items: Array<{ to?: string; label: string }> }) {
  return (
    <nav aria-label="Fil d'Ariane" className="text-sm text-slate-600">
      {items.map((item, i) => (
        <span key={`${item.label}-${i}`}>
          {i > 0 ? " / " : null}
          {item.to ? (
            <Link to={item.to} className="underline">
              {item.label}
            </Link>
          ) : (
            <span aria-current="page">{item.label}</span>
          )}
        </span>
      ))}
    </nav>
  );
}
