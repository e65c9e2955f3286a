import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { formatDateTime } from "~/components/format";
import { listOutbox } from "~/platform/mail/list-outbox.server";
import { Notice, sectionClass } from "../../components/planning/planning-form";

export const meta: MetaFunction = () => [{ title: "Courriels — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:outbox");
  return listOutbox(access.organisationId);
}

export function deliveryLabel(e: { sentAt: string | Date | null; error: string | null }, smtp: boolean): string {
  if (e.sentAt) return `Envoyé le ${formatDateTime(e.sentAt)}`;
  if (e.error) return "Échec de l'envoi";
  return smtp ? "En attente d'envoi" : "Non envoyé (SMTP non configuré)";
}

export default function Outbox() {
  const { emails, smtp } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Courriels</h1>
        <p className="text-sm text-slate-600">Les courriels écrits par Quorum pour votre organisation (convocations…).</p>
      </div>
      {!smtp ? (
        <Notice tone="info">
          Aucun serveur SMTP n'est configuré (variable SMTP_URL) : les courriels restent ici, à lire et à transmettre.
        </Notice>
      ) : null}
      <section aria-labelledby="outbox-title" className={sectionClass}>
        <h2 id="outbox-title" className="sr-only">
          Liste des courriels
        </h2>
        {emails.length === 0 ? (
          <p className="text-sm text-slate-600">Aucun courriel pour l'instant.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="outbox">
            {emails.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div>
                  <Link to={`/outbox/${e.id}`} className="font-medium text-brand-700 hover:underline">
                    {e.subject}
                  </Link>
                  <p className="text-sm text-slate-600">
                    À {e.to} · écrit le {formatDateTime(e.createdAt)}
                    {e.hasIcs ? " · avec invitation .ics" : ""}
                  </p>
                </div>
                <span
                  className={`rounded-full px-3 py-1 text-xs ${
                    e.sentAt ? "bg-emerald-100 text-emerald-800" : e.error ? "bg-red-50 text-red-700" : "bg-slate-100 text-slate-700"
                  }`}
                >
                  {deliveryLabel(e, smtp)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
