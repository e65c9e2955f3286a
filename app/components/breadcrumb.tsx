import { Link } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";

/** « Sessions / Jury du 12 mars / Préparation »: the pages above this one (links), then this page's own name. */
export function Breadcrumb({ links, current }: { links: ReadonlyArray<{ to: string; label: ReactNode }>; current: ReactNode }) {
  return (
    <p className="text-sm text-slate-600">
      {links.map((link) => (
        <Fragment key={link.to}>
          <Link to={link.to} className="underline">
            {link.label}
          </Link>{" "}
          /{" "}
        </Fragment>
      ))}
      {current}
    </p>
  );
}
