import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { formatDateTime } from "~/components/format";
import { NOTICE_SUBJECT_PREFIX } from "~/domain/decision-notice";
import { readEventProperties } from "~/domain/ical";
import { smtpUrl } from "~/platform/mail/deliver-emails.server";
import { getOutboxEmail } from "~/platform/mail/list-outbox.server";
import { deliveryLabel } from "./outbox";
import { sectionClass } from "../../components/planning/planning-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.email.subject} — Courriels — Quorum` : "Courriel — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:outbox", { outboxEmail: args.params.emailId ?? "" });
  const email = await getOutboxEmail(args.params.emailId ?? "", access.organisationId);
  const event = email.ics ? readEventProperties(email.ics) : null;
  return {
    email: {
      id: email.id,
      to: email.to,
      subject: email.subject,
      text: email.text,
      createdAt: email.createdAt,
      sentAt: email.sentAt,
      error: email.error,
      sessionId: email.sessionId,
      // A decision notice leads to its jury's « Délivrance » page; a convocation to the session's preparation.
      isNotice: email.subject.startsWith(NOTICE_SUBJECT_PREFIX),
      hasIcs: email.ics !== null,
    },
    event: event ? { summary: event.SUMMARY ?? "", location: event.LOCATION ?? "" } : null,
    smtp: smtpUrl() !== null,
  };
}

export default function OutboxEmail() {
  const { email, event, smtp } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        <Link to="/outbox" className="underline">
          Courriels
        </Link>{" "}
        / Courriel
      </p>
      <h1 className="text-2xl font-semibold text-brand-900">{email.subject}</h1>
      <section className={sectionClass}>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600">Destinataire</dt>
          <dd>{email.to}</dd>
          <dt className="text-slate-600">Écrit le</dt>
          <dd>{formatDateTime(email.createdAt)}</dd>
          <dt className="text-slate-600">Envoi</dt>
          <dd>
            {deliveryLabel(email, smtp)}
            {email.error ? ` : ${email.error}` : ""}
          </dd>
          {email.sessionId ? (
            <>
              <dt className="text-slate-600">Session</dt>
              <dd>
                {email.isNotice ? (
                  <Link to={`/sessions/${email.sessionId}/delivrance`} className="text-brand-700 underline">
                    Délivrance des documents et notifications du jury
                  </Link>
                ) : (
                  <Link to={`/sessions/${email.sessionId}/planning`} className="text-brand-700 underline">
                    Préparation de la session
                  </Link>
                )}
              </dd>
            </>
          ) : null}
        </dl>
        <pre className="mt-4 whitespace-pre-wrap [overflow-wrap:anywhere] rounded border border-slate-200 bg-slate-50 p-3 font-sans text-sm" data-testid="email-text">
          {email.text}
        </pre>
        {email.hasIcs ? (
          <p className="mt-4">
            <a
              href={`/outbox/${email.id}/convocation.ics`}
              download="convocation.ics"
              className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
            >
              Télécharger l'invitation (.ics)
            </a>
            {event ? (
              <span className="ml-3 text-sm text-slate-600">
                {event.summary} — {event.location}
              </span>
            ) : null}
          </p>
        ) : null}
      </section>
    </div>
  );
}
