/**
 * « Membres » (administration): who belongs to the organisation and with which role; invite a person (a new account
 * chooses its password from the e-mailed link), send an invitation again, change a role, remove someone. A member who
 * still has a document to sign is told so in their row, with the way to it (their removal is refused until then).
 */
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { dangerButtonClass, ErrorList, Notice, secondaryButtonClass, sectionClass } from "~/components/planning/planning-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { SubmissionKeyField } from "~/components/submission-key-field";
import { countOf, formatDateTime } from "~/domain/format";
import { changeRoleSchema, INVITATION_TTL_DAYS, inviteMemberSchema, MEMBER_STATE_LABELS, memberRefSchema, ORG_ROLES } from "~/domain/members";
import { ORG_ROLE_LABELS } from "~/domain/permissions";
import { pendingSignatureLabel } from "~/domain/pending-signatures";
import { changeMemberRole } from "~/back-office/members/change-member-role.server";
import { inviteMember } from "~/back-office/members/invite-member.server";
import { listMembers } from "~/back-office/members/list-members.server";
import { removeMember } from "~/back-office/members/remove-member.server";
import { storedKindOf } from "~/signing/pending-signatures.server";
import { recordSignerUnavailability } from "~/signing/record-signer-unavailability.server";
import { refreshOrganisationAccess } from "~/back-office/members/organisation-access.server";
import { resendInvitation } from "~/back-office/members/resend-invitation.server";
import { attempt } from "~/platform/app-error";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { smtpUrl } from "~/platform/mail/deliver-emails.server";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Membres — Quorum" }];

const DONE_MESSAGES: Record<string, string> = {
  invitation: `Invitation envoyée : la personne choisit son mot de passe avec le lien reçu par e-mail (valable ${INVITATION_TTL_DAYS} jours).`,
  ajout: "Personne ajoutée : elle se connecte avec son compte existant et en a été informée par e-mail.",
  relance: `Nouvelle invitation envoyée (valable ${INVITATION_TTL_DAYS} jours) ; le lien précédent ne fonctionne plus.`,
  role: "Rôle modifié : il s'applique dès la prochaine page ouverte par la personne.",
  retrait: "Personne retirée de l'organisation. Les documents qu'elle a signés gardent son nom.",
  empechement:
    "Empêchement constaté : le document ne l'attend plus et sera complet avec les signatures des autres signataires ; son certificat de signature le mentionne, avec le motif.",
  remplacement:
    "Empêchement constaté : le ou la vice-président(e) désigné(e) signera à sa place ; le certificat de signature dira « signé par …, vice-président(e), pour le président … empêché », avec le motif.",
};

/**
 * Without a mail relay the invitation stays in « Courriels », where its personal link is not shown (nobody but the
 * invitee may read it): saying it was sent left the administration waiting for someone who could never sign in.
 */
const NO_RELAY =
  "aucun serveur d'envoi n'est configuré (variable SMTP_URL) : le courriel reste dans « Courriels » sans afficher son lien, personnel, et la personne ne peut pas encore se connecter. Configurez l'envoi, puis « Renvoyer l'invitation ».";
const UNSENT_MESSAGES: Record<string, string> = {
  invitation: `Invitation enregistrée mais pas envoyée : ${NO_RELAY}`,
  relance: `Nouvelle invitation enregistrée mais pas envoyée : ${NO_RELAY}`,
};

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "manage:users");
  const url = new URL(args.request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const done = url.searchParams.get("fait");
  const relay = smtpUrl() !== null;
  return {
    members: await listMembers(access.organisationId, { query }),
    query,
    me: access.user.id,
    organisationName: access.organisationName,
    done: done && done in DONE_MESSAGES ? (!relay && done in UNSENT_MESSAGES ? UNSENT_MESSAGES[done] : DONE_MESSAGES[done]) : null,
    doneUnsent: !relay && done !== null && done in UNSENT_MESSAGES,
    submissionKey: newSubmissionKey(),
  };
}

type RowIntent = "role" | "resend" | "remove" | "unavailable";

const unavailableSchema = z.object({
  kind: z.enum(["grid", "minutes", "decision", "validation"], { message: "Document inconnu : rechargez la page." }),
  documentId: z.string().min(1).max(64),
  sessionId: z.string().min(1).max(64),
  reason: z.string({ message: "Indiquez le motif de l'empêchement." }).max(2000),
  password: z.string({ message: "Saisissez votre mot de passe pour confirmer." }).min(1, "Saisissez votre mot de passe pour confirmer.").max(1000),
  /** The vice-president who signs in the prevented president's stead (decision 0028); absent: nobody. */
  replacementId: z.string().max(64).optional(),
});

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "manage:users");
  const form = await readForm(args.request);
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  const intent = form.get("intent");
  if (intent === "invite") {
    const submission = parseWithZod(form, { schema: inviteMemberSchema });
    if (submission.status !== "success") return data({ intent: "invite" as const, result: submission.reply() }, { status: 400 });
    const result = await attempt(() => inviteMember(submission.value, actor, submissionKeyOf(form)).then((r) => ({ outcome: r })));
    const outcome = result.ok ? result.outcome : result;
    if (!outcome.ok) {
      return data(
        { intent: "invite" as const, result: submission.reply({ formErrors: outcome.formErrors, fieldErrors: outcome.fieldErrors }) },
        { status: outcome.status },
      );
    }
    return redirect(`/membres?fait=${outcome.invited ? "invitation" : "ajout"}`);
  }
  if (intent === "role" || intent === "resend" || intent === "remove" || intent === "unavailable") {
    const rowIntent: RowIntent = intent;
    const ref = memberRefSchema.safeParse({ userId: form.get("userId") ?? undefined });
    const userId = ref.success ? ref.data.userId : "";
    const refuse = (errors: string[], status = 400) => data({ intent: rowIntent, userId, errors }, { status });
    if (!ref.success) return refuse(ref.error.issues.map((i) => i.message));
    if (intent === "role") {
      const parsed = changeRoleSchema.safeParse({ userId, role: form.get("role") ?? undefined });
      if (!parsed.success) return refuse(parsed.error.issues.map((i) => i.message));
      const result = await attempt(() => changeMemberRole(parsed.data, actor));
      if (!result.ok) return refuse(result.formErrors, result.status);
      // The live texts the former role opened without a seat (procès-verbal, préconisations) re-check access now.
      if (result.changed) await refreshOrganisationAccess(args.context.realtime, access.organisationId, userId);
      return redirect("/membres?fait=role");
    }
    if (intent === "resend") {
      const result = await attempt(() => resendInvitation(userId, actor));
      if (!result.ok) return refuse(result.formErrors, result.status);
      return redirect("/membres?fait=relance");
    }
    if (intent === "unavailable") {
      // « Constater l'empêchement » of a signer who can no longer sign (decision 0028).
      const parsed = unavailableSchema.safeParse(Object.fromEntries(["kind", "documentId", "sessionId", "reason", "password", "replacementId"].map((k) => [k, form.get(k) || undefined])));
      if (!parsed.success) return refuse(parsed.error.issues.map((i) => i.message));
      const result = await attempt(() =>
        recordSignerUnavailability({
          kind: storedKindOf(parsed.data.kind),
          ref: { documentId: parsed.data.documentId, within: parsed.data.sessionId },
          organisationId: access.organisationId,
          actorId: access.user.id,
          signerId: userId,
          reason: parsed.data.reason,
          password: parsed.data.password,
          replacementId: parsed.data.replacementId,
          meta: auditMeta(args.request, args.context),
          ports: { realtime: args.context.realtime, renderQueue: args.context.renderQueue },
        }),
      );
      if (!result.ok) return refuse([...result.formErrors, ...Object.values(result.fieldErrors ?? {}).flat()], result.status);
      return redirect(`/membres?fait=${parsed.data.replacementId ? "remplacement" : "empechement"}`);
    }
    const result = await attempt(() => removeMember(userId, actor));
    if (!result.ok) return refuse(result.formErrors, result.status);
    // Their open websockets close now: those of their ended sign-ins, those their role and their seats opened in this
    // organisation (its closed sessions included).
    if (result.removed) await refreshOrganisationAccess(args.context.realtime, access.organisationId, userId, { signInsEnded: result.signInsEnded });
    return redirect("/membres?fait=retrait");
  }
  return data({ intent: "invite" as const, result: null, errors: ["Action inconnue : rechargez la page et recommencez."] }, { status: 400 });
}

const STATE_BADGES = {
  invited: "bg-amber-100 text-amber-900",
  active: "bg-emerald-100 text-emerald-800",
} as const;

const ROLE_OPTIONS = ORG_ROLES.map((role) => ({ id: role, label: ORG_ROLE_LABELS[role] }));

export default function Members() {
  const { members, query, me, organisationName, done, doneUnsent, submissionKey } = useLoaderData<typeof loader>();
  const actionData = useFormResult<typeof action>();
  const navigation = useNavigation();
  const inviteResult = actionData?.intent === "invite" && "result" in actionData ? actionData.result : undefined;
  const [form, fields] = useForm({
    id: "invite-member",
    lastResult: inviteResult ?? undefined,
    defaultValue: { role: "MEMBER" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteMemberSchema }),
  });
  const inviting = navigation.state === "submitting" && navigation.formData?.get("intent") === "invite";
  const unknownAction = actionData && "errors" in actionData && actionData.intent === "invite" ? actionData.errors : null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Membres</h1>
        <p className="text-sm text-slate-600">
          Les personnes de {organisationName} qui se connectent à Quorum et leur rôle. Un membre (évaluateur, juré) ou un
          observateur ne voit que les sessions où il siège ; le secrétariat prépare et archive ; l'administration gère
          aussi les membres. Pour faire siéger quelqu'un, habilitez-le ensuite (
          <Link to="/habilitations" className="underline">
            Habilitations
          </Link>
          ).
        </p>
      </div>
      {done ? <Notice tone={doneUnsent ? "warning" : "success"}>{done}</Notice> : null}
      {unknownAction ? <ErrorList errors={unknownAction} /> : null}

      <section aria-labelledby="members-title" className={sectionClass}>
        <h2 id="members-title" className="text-lg font-semibold">
          Membres de l'organisation ({members.length})
        </h2>
        <Form method="get" role="search" className="mt-3 flex flex-wrap items-end gap-3">
          <label className="flex-1 text-sm font-medium text-slate-800">
            Rechercher (nom ou adresse e-mail)
            <input type="search" name="q" defaultValue={query} maxLength={100} className={`${inputClass} mt-1`} />
          </label>
          <button type="submit" className={secondaryButtonClass}>
            Rechercher
          </button>
        </Form>
        {members.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">{query ? "Personne ne correspond à cette recherche." : "Aucun membre."}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100" data-testid="members">
            {members.map((m) => {
              const errors =
                actionData && "userId" in actionData && actionData.userId === m.userId ? actionData.errors : null;
              const errorId = `member-error-${m.userId}`;
              const isMe = m.userId === me;
              return (
                <li key={m.userId} className="grid gap-3 py-3 md:grid-cols-[minmax(0,3fr)_minmax(0,4fr)_minmax(0,2fr)]" data-testid="member">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      {m.displayName}
                      {isMe ? <span className="text-slate-500"> (vous)</span> : null}
                    </p>
                    <p className="break-all text-sm text-slate-600">{m.email}</p>
                    <p className="mt-1 text-xs text-slate-600">
                      <span className={`inline-block rounded-full px-2 py-0.5 font-medium ${STATE_BADGES[m.state]}`}>
                        {MEMBER_STATE_LABELS[m.state]}
                      </span>{" "}
                      {m.lastSeenAt ? `dernière activité le ${formatDateTime(m.lastSeenAt)}` : m.state === "active" ? "aucune connexion en cours" : null}
                    </p>
                  </div>
                  <div className="min-w-0 text-sm">
                    <Form method="post" className="flex flex-wrap items-end gap-2">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <label className="text-xs font-medium text-slate-700">
                        Rôle
                        <select
                          name="role"
                          defaultValue={m.role}
                          className={`${inputClass} mt-1`}
                          aria-label={`Rôle de ${m.displayName}`}
                          aria-describedby={errors ? errorId : undefined}
                        >
                          {ROLE_OPTIONS.map((o) => (
                            <option key={o.id} value={o.id}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button type="submit" className={secondaryButtonClass}>
                        Changer le rôle
                      </button>
                    </Form>
                    {m.openSeats.length > 0 ? (
                      <p className="mt-2 text-xs text-slate-600">
                        Siège dans : {m.openSeats.map((s, i) => (
                          <span key={s.sessionId}>
                            {i > 0 ? ", " : null}
                            <Link to={`/sessions/${s.sessionId}/planning`} className="underline">
                              {s.title}
                            </Link>
                          </span>
                        ))}
                      </p>
                    ) : null}
                    {m.pendingSignatures.length > 0 ? (
                      // Why « Retirer » is refused, before it is tried: the documents wait for this person's signature.
                      <p className="mt-2 rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="pending-signatures">
                        Doit encore signer :{" "}
                        {m.pendingSignatures.map((p, i) => (
                          <span key={`${p.kind}:${p.documentId}:${p.onBehalfOf ?? ""}`}>
                            {i > 0 ? ", " : null}
                            <Link to={p.href} className="underline" title={p.sessionTitle}>
                              {pendingSignatureLabel(p)}
                            </Link>
                            {/* Refused his signature (gridSigningRefusal): the grid waits for his empêchement, recorded below. */}
                            {p.signingBarred ? <span data-testid="signing-barred"> (ne peut pas la signer : constatez son empêchement ci-dessous)</span> : null}
                          </span>
                        ))}
                        {m.pendingSignatures.length > 1 ? ` (${countOf(m.pendingSignatures.length, "document")})` : null}
                      </p>
                    ) : null}
                    {m.pendingSignatures.some((p) => !p.toFinalise && !p.onBehalfOf) && !isMe ? (
                      // A signer who will never sign (deceased, gone): the document would wait for ever (decision 0028).
                      <details className="mt-2 min-w-0" data-testid="record-unavailable">
                        <summary className="cursor-pointer text-xs text-slate-700 underline">Constater un empêchement de signer…</summary>
                        {m.pendingSignatures
                          // A signature awaited for a prevented president: not this person's own to record as prevented.
                          .filter((p) => !p.toFinalise && !p.onBehalfOf)
                          .map((p) =>
                            p.lastPossibleSigner && !p.replacementOffer ? (
                              // The command would refuse it (unavailabilityRefusal): say why rather than offer a form.
                              <p key={`${p.kind}:${p.documentId}`} className="mt-2 rounded border border-slate-200 bg-slate-50 p-2 text-xs text-slate-700" data-testid="unavailability-impossible">
                                <span className="font-medium text-slate-900">{pendingSignatureLabel(p)}</span> : l'empêchement de tous les
                                autres signataires est constaté, {m.displayName} est le dernier qui puisse encore le signer. Un document que
                                personne ne signe n'est pas un document signé : recueillez sa signature, ou rouvrez le document pour le faire
                                signer autrement.
                                {p.replacementUnavailable ? <span data-testid="replacement-impossible"> {p.replacementUnavailable}</span> : null}
                              </p>
                            ) : (
                            <Form key={`${p.kind}:${p.documentId}`} method="post" className="mt-2 space-y-2 rounded border border-slate-200 bg-slate-50 p-2 text-xs">
                              <input type="hidden" name="intent" value="unavailable" />
                              <input type="hidden" name="userId" value={m.userId} />
                              <input type="hidden" name="kind" value={p.kind} />
                              <input type="hidden" name="documentId" value={p.documentId} />
                              <input type="hidden" name="sessionId" value={p.sessionId} />
                              <p className="font-medium text-slate-900">{pendingSignatureLabel(p)}</p>
                              <p className="text-slate-600">
                                Si {m.displayName} ne pourra jamais signer ce document (décès, absence durable, départ sans
                                nouvelles), constatez son empêchement : le document sera complet avec les signatures des autres
                                signataires, et son certificat de signature nommera {m.displayName} comme empêché(e), avec le
                                motif. Ce n'est pas une signature ; rouvrir le document l'annule.
                              </p>
                              {p.replacementOffer ? (
                                // The vice-president signs for the prevented president (decision 0028): required when
                                // nobody else signs.
                                <label className="flex items-start gap-2 text-slate-800" data-testid="replacement-offer">
                                  <input
                                    type="checkbox"
                                    name="replacementId"
                                    value={p.replacementOffer.userId}
                                    required={p.lastPossibleSigner === true}
                                    defaultChecked={p.lastPossibleSigner === true}
                                    className="mt-0.5"
                                  />
                                  <span>
                                    {p.replacementOffer.displayName}, vice-président(e) de la séance, signe à sa place : le document
                                    portera « signé par {p.replacementOffer.displayName}, vice-président(e), pour le président{" "}
                                    {m.displayName} empêché ».
                                    {p.lastPossibleSigner ? " Obligatoire : personne d'autre ne signe ce document." : null}
                                  </span>
                                </label>
                              ) : p.replacementUnavailable ? (
                                // The command would refuse her (replacementObstacle): say why rather than offer her.
                                <p className="text-slate-700" data-testid="replacement-impossible">
                                  {p.replacementUnavailable}
                                </p>
                              ) : null}
                              <label className="block font-medium text-slate-800">
                                Motif de l'empêchement
                                <textarea name="reason" required maxLength={300} rows={2} className={`${inputClass} mt-1`} />
                              </label>
                              <label className="block font-medium text-slate-800">
                                Votre mot de passe (confirmation)
                                <input type="password" name="password" required autoComplete="current-password" className={`${inputClass} mt-1`} />
                              </label>
                              <button type="submit" className={secondaryButtonClass}>
                                Constater l'empêchement
                              </button>
                            </Form>
                            ),
                          )}
                      </details>
                    ) : null}
                  </div>
                  <div className="flex min-w-0 flex-wrap items-start gap-2 text-sm">
                    {m.state === "invited" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="resend" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <button type="submit" className={secondaryButtonClass}>
                          Renvoyer l'invitation
                        </button>
                      </Form>
                    ) : null}
                    {isMe ? null : (
                      <details className="min-w-0">
                        <summary className="cursor-pointer rounded border border-red-300 px-3 py-1 text-sm text-red-700 hover:bg-red-50">
                          Retirer…
                        </summary>
                        <Form method="post" className="mt-2 space-y-2 rounded border border-red-200 bg-red-50 p-2">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <p className="text-xs text-red-900">
                            {m.displayName} ne pourra plus ouvrir les pages de {organisationName}. Ses signatures et le
                            journal d'audit gardent son nom.
                          </p>
                          <button type="submit" className={dangerButtonClass}>
                            Retirer {m.displayName}
                          </button>
                        </Form>
                      </details>
                    )}
                  </div>
                  {errors ? (
                    <div id={errorId} className="md:col-span-3">
                      <ErrorList errors={errors} />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="invite-title" className={sectionClass}>
        <h2 id="invite-title" className="text-lg font-semibold">
          Inviter une personne
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Une adresse nouvelle reçoit un lien pour choisir son mot de passe (valable {INVITATION_TTL_DAYS} jours) ; une
          personne qui a déjà un compte Quorum dans une autre organisation est ajoutée avec ce compte.
        </p>
        <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="invite" />
          <SubmissionKeyField value={submissionKey} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <div className="grid gap-x-4 md:grid-cols-3">
            <Field label="Adresse e-mail" errorId={fields.email.errorId} errors={fields.email.errors}>
              <input {...getInputProps(fields.email, { type: "email" })} autoComplete="off" className={inputClass} />
            </Field>
            <Field label="Nom (tel qu'il figurera sur les documents signés)" errorId={fields.displayName.errorId} errors={fields.displayName.errors}>
              <input {...getInputProps(fields.displayName, { type: "text" })} autoComplete="off" className={inputClass} />
            </Field>
            <Field label="Rôle" errorId={fields.role.errorId} errors={fields.role.errors}>
              <select {...getSelectProps(fields.role)} className={inputClass}>
                {ROLE_OPTIONS.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <button type="submit" className={primaryButtonClass} disabled={inviting}>
            {inviting ? "Envoi…" : "Envoyer l'invitation"}
          </button>
        </Form>
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
