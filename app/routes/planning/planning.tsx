import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { Breadcrumb } from "~/components/breadcrumb";
import { Field, inputClass, primaryButtonClass, OptionSelect } from "~/components/field";
import { COLLEGE_LABELS, countOf, formatDateTime, formatTime, SESSION_KIND_LABELS } from "~/components/format";
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { remoteLocation } from "~/domain/ical";
import { choiceOf, formErrorMap } from "~/domain/form-choice";
import { PHASES, SHORT_NOTICE_WARNING, sessionUpdateSchema, slotFormSchema, totalPhaseMinutes } from "~/domain/planning";
import { addAgendaItem } from "~/back-office/planning/add-agenda-item.server";
import { addSlot } from "~/back-office/planning/add-slot.server";
import { getSessionPlanning } from "~/back-office/planning/get-session-planning.server";
import type { Actor, Result } from "~/platform/app-error";
import { removeAgendaItem } from "~/back-office/planning/remove-agenda-item.server";
import { listSessionAppeals } from "~/back-office/planning/list-session-appeals.server";
import { scheduleAppeal } from "~/back-office/planning/schedule-appeal.server";
import { unscheduleAppeal } from "~/back-office/planning/unschedule-appeal.server";
import { AppealsAgenda } from "~/components/planning/appeals-agenda";
import { removeSlot } from "~/back-office/planning/remove-slot.server";
import { seatMember } from "~/back-office/planning/seat-member.server";
import { sendConvocations } from "~/back-office/planning/send-convocations.server";
import { unseatMember } from "~/back-office/planning/unseat-member.server";
import { updateSession } from "~/back-office/planning/update-session.server";
import {
  dangerButtonClass,
  ErrorList,
  FieldErrors,
  Notice,
  secondaryButtonClass,
  sectionClass,
  SessionDetailsForm,
} from "../../components/planning/planning-form";
import { publicUrl } from "~/platform/http/public-url.server";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Préparer « ${data.session.title} » — Quorum` : "Préparer la session — Quorum" },
];

const SEAT_ROLES = ["PRESIDENT", "VICE_PRESIDENT", "MEMBER", "OBSERVER", "SECRETARY"] as const;

const seatFormSchema = z.object({
  userId: z.string({ required_error: "Choisissez la personne." }).min(1, "Choisissez la personne."),
  role: choiceOf(SEAT_ROLES, "Choisissez le siège."),
  college: choiceOf(["EMPLOYER", "EMPLOYEE"], "Choisissez le collège : employeurs ou salariés.").optional(),
});
const agendaFormSchema = z.object({
  dossierId: z.string({ required_error: "Choisissez le dossier." }).min(1, "Choisissez le dossier."),
});

type Intent =
  | "update-session"
  | "add-slot"
  | "remove-slot"
  | "seat-member"
  | "unseat-member"
  | "add-agenda"
  | "remove-agenda"
  | "send-convocations"
  | "schedule-appeal"
  | "unschedule-appeal";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning", { session: args.params.sessionId ?? "" });
  const planning = await getSessionPlanning(args.params.sessionId ?? "", access.organisationId);
  const url = new URL(args.request.url);
  const sent = url.searchParams.get("convocations");
  return {
    ...planning,
    appeals: await listSessionAppeals(access.organisationId, {
      id: planning.session.id,
      kind: planning.session.kind,
      startsAt: planning.session.startsAt,
      certificationId: planning.certification?.id ?? null,
    }),
    sentNotice: sent
      ? {
          count: Number(sent) || 0,
          mode: url.searchParams.get("envoi") === "smtp" ? ("smtp" as const) : ("outbox" as const),
          failed: Number(url.searchParams.get("echecs") ?? 0) || 0,
        }
      : null,
    voided: Number(url.searchParams.get("annulees") ?? 0) || 0,
  };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning", { session: args.params.sessionId ?? "" });
  const sessionId = args.params.sessionId ?? "";
  const formData = await readForm(args.request);
  const intent = String(formData.get("intent") ?? "") as Intent;
  const actor: Actor = {
    userId: access.user.id,
    organisationId: access.organisationId,
    ...auditMeta(args.request, args.context),
  };
  const here = `/sessions/${sessionId}/planning`;
  const reply = <T extends { reply: (o?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]> }>(
    submission: T,
    result: Result<object>,
  ) =>
    data(
      { intent, result: submission.reply(result.ok ? undefined : { formErrors: result.formErrors, fieldErrors: result.fieldErrors }) },
      { status: 400 },
    );

  switch (intent) {
    case "update-session": {
      const submission = parseWithZod(formData, { schema: sessionUpdateSchema, errorMap: formErrorMap });
      if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
      const result = await updateSession(sessionId, submission.value, actor);
      if (!result.ok) return reply(submission, result);
      return redirect(result.convocationsVoided > 0 ? `${here}?annulees=${result.convocationsVoided}` : here);
    }
    case "add-slot": {
      const submission = parseWithZod(formData, { schema: slotFormSchema, errorMap: formErrorMap });
      if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
      const result = await addSlot(sessionId, submission.value, actor);
      if (!result.ok) return reply(submission, result);
      return redirect(here);
    }
    case "seat-member": {
      const submission = parseWithZod(formData, { schema: seatFormSchema, errorMap: formErrorMap });
      if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
      const result = await seatMember(sessionId, submission.value, actor);
      if (!result.ok) return reply(submission, result);
      return redirect(here);
    }
    case "add-agenda": {
      const submission = parseWithZod(formData, { schema: agendaFormSchema, errorMap: formErrorMap });
      if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
      const result = await addAgendaItem(sessionId, submission.value.dossierId, actor);
      if (!result.ok) return reply(submission, result);
      return redirect(here);
    }
    case "remove-slot":
    case "unseat-member":
    case "remove-agenda": {
      const id = String(formData.get("id") ?? "");
      const result =
        intent === "remove-slot"
          ? await removeSlot(sessionId, id, actor, args.context.realtime)
          : intent === "unseat-member"
            ? await unseatMember(sessionId, id, actor, args.context.realtime)
            : await removeAgendaItem(sessionId, id, actor);
      if (!result.ok) return data({ intent, errors: result.formErrors ?? [] }, { status: 400 });
      return redirect(here);
    }
    case "schedule-appeal":
    case "unschedule-appeal": {
      const id = String(formData.get("id") ?? "");
      const result = intent === "schedule-appeal" ? await scheduleAppeal(sessionId, id, actor) : await unscheduleAppeal(sessionId, id, actor);
      if (!result.ok) return data({ intent, errors: [...(result.formErrors ?? []), ...Object.values(result.fieldErrors ?? {}).flat()] }, { status: 400 });
      return redirect(`${here}#recours`);
    }
    case "send-convocations": {
      const scope = formData.get("scope") === "all" ? "all" : "pending";
      const result = await sendConvocations(sessionId, { scope, baseUrl: publicUrl() }, actor);
      if (!result.ok) return data({ intent, errors: result.formErrors ?? [] }, { status: 400 });
      const params = new URLSearchParams({ convocations: String(result.count), envoi: result.delivery.mode });
      if (result.delivery.mode === "smtp" && result.delivery.failed > 0) params.set("echecs", String(result.delivery.failed));
      return redirect(`${here}?${params}`);
    }
    default:
      return data({ intent, errors: ["Action inconnue."] }, { status: 400 });
  }
}

type ActionData = { intent: Intent; result?: SubmissionResult<string[]>; errors?: string[] } | undefined;

/** « Retirer » for one row (a seat, an agenda entry, a slot): posts `intent` with the row's id. */
function RemoveForm({ intent, id, label }: { intent: Intent; id: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={dangerButtonClass} aria-label={label}>
        Retirer
      </button>
    </Form>
  );
}

function resultFor(actionData: ActionData, intent: Intent) {
  return actionData?.intent === intent ? actionData.result : undefined;
}

export default function SessionPlanning() {
  const planning = useLoaderData<typeof loader>();
  const actionData = useFormResult<typeof action>() as ActionData;
  const { session, certification, members, slots, agenda, issues, convocations } = planning;
  const isJury = session.kind === "JURY";
  const topErrors =
    actionData && actionData.errors && ["remove-slot", "unseat-member", "remove-agenda"].includes(actionData.intent)
      ? actionData.errors
      : null;

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb
          items={[
            { to: "/sessions", label: "Sessions" },
            { to: `/sessions/${session.id}`, label: session.title },
            { label: "Préparation" },
          ]}
        />
        <h1 className="text-2xl font-semibold text-brand-900">Préparer la session</h1>
        <p className="text-slate-700">
          {SESSION_KIND_LABELS[session.kind]} · {formatDateTime(session.startsAt)} – {formatTime(session.endsAt)} ·{" "}
          {session.remote ? remoteLocation(session.remoteMeans) : session.place}
        </p>
        {certification ? (
          <p className="text-sm text-slate-600">
            {certification.title} ({certification.code}) — référentiel version {certification.version}
            {certification.evaluatorMustNotBeTrainer ? " · le formateur d'un candidat ne peut jamais siéger pour lui" : ""}
          </p>
        ) : null}
      </div>

      {!session.editable ? (
        <Notice tone="info">La session est ouverte ou close : sa planification ne peut plus être modifiée.</Notice>
      ) : null}
      {planning.voided > 0 ? (
        <Notice tone="warning">
          La date, l'horaire ou le lieu ont changé : les convocations déjà envoyées sont à renvoyer ({planning.voided}{" "}
          membre{planning.voided > 1 ? "s" : ""}).
        </Notice>
      ) : null}
      <ErrorList errors={topErrors} />

      <ConvocationsSection
        editable={session.editable}
        issues={issues}
        shortNotice={planning.shortNotice}
        convocations={convocations}
        sentNotice={planning.sentNotice}
        errors={actionData?.intent === "send-convocations" ? (actionData.errors ?? null) : null}
        hasMembers={members.length > 0}
      />

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="members-title" className={sectionClass}>
          <h2 id="members-title" className="text-lg font-semibold">
            Membres
          </h2>
          {isJury && certification ? (
            <p className="mt-1 text-sm text-slate-600">
              Règles du jury : au moins {countOf(certification.jury.minPerCollege, "membre votant", "membres votants")} par collège et{" "}
              {certification.jury.minTotal} au total ; président et vice-président de collèges opposés.
            </p>
          ) : null}
          {members.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Aucun membre ne siège encore.</p>
          ) : (
            <ul className="mt-3 divide-y divide-slate-100" data-testid="planning-members">
              {members.map((m) => (
                <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <div>
                    <p className="font-medium">{m.displayName}</p>
                    <p className="text-sm text-slate-600">
                      {SEAT_LABELS[m.role as SeatRole]}
                      {m.college ? ` · ${COLLEGE_LABELS[m.college]}` : ""}
                      {m.habilitation ? ` · ${m.habilitation}` : ""}
                      {" · "}
                      {m.convokedAt ? `convoqué(e) le ${formatDateTime(m.convokedAt)}` : "non convoqué(e)"}
                    </p>
                  </div>
                  {session.editable ? (
                    <RemoveForm intent="unseat-member" id={m.id} label={`Retirer ${m.displayName}`} />
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {session.editable ? (
            <SeatForm
              key={members.length}
              isJury={isJury}
              people={planning.options.people}
              lastResult={resultFor(actionData, "seat-member")}
            />
          ) : null}
        </section>

        {isJury ? (
          <section aria-labelledby="agenda-title" className={sectionClass}>
            <h2 id="agenda-title" className="text-lg font-semibold">
              Ordre du jour
            </h2>
            <p className="mt-1 text-sm text-slate-600">Seuls les dossiers complets peuvent être présentés au jury.</p>
            {agenda.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">Aucun dossier à l'ordre du jour.</p>
            ) : (
              <ol className="mt-3 divide-y divide-slate-100" data-testid="planning-agenda">
                {agenda.map((a, i) => (
                  <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      {i + 1}. {a.candidate} <span className="text-sm text-slate-500">— {a.status}</span>
                    </span>
                    {session.editable ? (
                      <RemoveForm intent="remove-agenda" id={a.id} label={`Retirer le dossier de ${a.candidate}`} />
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            {session.editable ? (
              <AgendaForm
                key={agenda.length}
                dossiers={planning.options.dossiers}
                lastResult={resultFor(actionData, "add-agenda")}
              />
            ) : null}
            <AppealsAgenda
              sessionId={session.id}
              appeals={planning.appeals}
              editable={session.editable}
              errors={actionData?.intent === "schedule-appeal" || actionData?.intent === "unschedule-appeal" ? (actionData.errors ?? null) : null}
            />
          </section>
        ) : (
          <section aria-labelledby="slots-title" className={sectionClass}>
            <h2 id="slots-title" className="text-lg font-semibold">
              Ordre de passage
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              Phases par candidat : {PHASES.map(({ key, label }) => `${label.toLowerCase()} ${session.phaseDurations[key]} min`).join(", ")}{" "}
              ({totalPhaseMinutes(session.phaseDurations)} min en tout).
            </p>
            {slots.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">Aucun candidat inscrit.</p>
            ) : (
              <ol className="mt-3 divide-y divide-slate-100" data-testid="planning-slots">
                {slots.map((s) => (
                  <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      {s.startTime} – {s.endTime} · {s.candidate}
                    </span>
                    {session.editable ? (
                      <RemoveForm intent="remove-slot" id={s.id} label={`Retirer le créneau de ${s.candidate}`} />
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            {session.editable ? (
              <SlotForm
                key={slots.length}
                dossiers={planning.options.dossiers}
                defaultStart={planning.nextSlotStartTime}
                lastResult={resultFor(actionData, "add-slot")}
              />
            ) : null}
          </section>
        )}
      </div>

      {session.editable ? (
        <section aria-labelledby="details-title" className={sectionClass}>
          <h2 id="details-title" className="mb-3 text-lg font-semibold">
            Date, horaires et lieu
          </h2>
          <SessionDetailsForm
            intent="update-session"
            kind={session.kind}
            lastResult={resultFor(actionData, "update-session")}
            defaults={{
              title: session.title,
              date: session.date,
              startTime: session.startTime,
              endTime: session.endTime,
              mode: session.remote ? "remote" : "onsite",
              place: session.place,
              remoteMeans: session.remoteMeans,
              phases: session.phaseDurations,
            }}
            submitLabel="Enregistrer les modifications"
          />
        </section>
      ) : null}
    </div>
  );
}

function ConvocationsSection({
  editable,
  issues,
  shortNotice,
  convocations,
  sentNotice,
  errors,
  hasMembers,
}: {
  editable: boolean;
  issues: { errors: string[]; warnings: string[] };
  shortNotice: boolean;
  convocations: { convened: number; pending: number };
  sentNotice: { count: number; mode: "smtp" | "outbox"; failed: number } | null;
  errors: string[] | null;
  hasMembers: boolean;
}) {
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formData?.get("intent") === "send-convocations";
  const allConvened = hasMembers && convocations.pending === 0;
  return (
    <section aria-labelledby="convocations-title" className={`${sectionClass} space-y-3`}>
      <h2 id="convocations-title" className="text-lg font-semibold">
        Convocations
      </h2>
      {sentNotice ? (
        <Notice tone="success" testId="convocations-sent">
          {sentNotice.mode === "smtp"
            ? `${sentNotice.count} convocation${sentNotice.count > 1 ? "s" : ""} envoyée${sentNotice.count > 1 ? "s" : ""} par courriel${
                sentNotice.failed > 0 ? ` (${sentNotice.failed} en échec : voir les courriels)` : ""
              }.`
            : `${sentNotice.count} convocation${sentNotice.count > 1 ? "s" : ""} déposée${sentNotice.count > 1 ? "s" : ""} dans la boîte d'envoi (SMTP non configuré).`}{" "}
          <Link to="/outbox" className="underline">
            Voir les courriels
          </Link>
        </Notice>
      ) : null}
      {shortNotice ? (
        <Notice tone="warning" testId="short-notice">
          {SHORT_NOTICE_WARNING}.
        </Notice>
      ) : null}
      {issues.errors.length > 0 ? (
        <div className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="planning-blockers">
          <p className="font-semibold">Points bloquants avant les convocations</p>
          <ul className="list-disc pl-5">
            {issues.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {issues.warnings.length > 0 ? (
        <div className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="planning-warnings">
          <p className="font-semibold">Points d'attention</p>
          <ul className="list-disc pl-5">
            {issues.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ErrorList errors={errors} />
      <p className="text-sm text-slate-600">
        {convocations.convened} membre{convocations.convened > 1 ? "s" : ""} convoqué{convocations.convened > 1 ? "s" : ""},{" "}
        {convocations.pending} à convoquer. Chaque membre reçoit un courriel avec la session en pièce jointe (.ics).
      </p>
      {editable ? (
        <Form method="post" className="flex flex-wrap gap-3">
          <input type="hidden" name="intent" value="send-convocations" />
          <input type="hidden" name="scope" value={allConvened ? "all" : "pending"} />
          <button type="submit" className={primaryButtonClass} disabled={sending || !hasMembers}>
            {sending ? "Envoi…" : allConvened ? "Renvoyer les convocations à tous" : "Envoyer les convocations"}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

function SeatForm({
  isJury,
  people,
  lastResult,
}: {
  isJury: boolean;
  people: Array<{ id: string; label: string }>;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "seat-member",
    lastResult,
    defaultValue: { role: "MEMBER" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: seatFormSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "seat-member";
  return (
    <Form method="post" className="mt-4 space-y-2 border-t border-slate-100 pt-4" {...getFormProps(form)}>
      <h3 className="font-medium">Faire siéger</h3>
      <input type="hidden" name="intent" value="seat-member" />
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="flex flex-col gap-1">
        <label htmlFor={fields.userId.id} className="text-sm font-medium text-slate-800">
          Personne
        </label>
        <OptionSelect field={fields.userId} options={people} />
        <FieldErrors id={fields.userId.errorId} errors={fields.userId.errors} />
      </div>
      <div className={`grid gap-x-3 ${isJury ? "sm:grid-cols-2" : ""}`}>
        <Field label="Siège" errorId={fields.role.errorId} errors={fields.role.errors}>
          <select {...getSelectProps(fields.role)} className={inputClass}>
            {SEAT_ROLES.map((r) => (
              <option key={r} value={r}>
                {SEAT_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        {isJury ? (
          <Field label="Collège" errorId={fields.college.errorId} errors={fields.college.errors}>
            <select {...getSelectProps(fields.college)} className={inputClass}>
              <option value="">— Aucun (secrétaire, observateur) —</option>
              <option value="EMPLOYER">{COLLEGE_LABELS.EMPLOYER}</option>
              <option value="EMPLOYEE">{COLLEGE_LABELS.EMPLOYEE}</option>
            </select>
          </Field>
        ) : null}
      </div>
      <button type="submit" className={secondaryButtonClass} disabled={busy}>
        {busy ? "Vérification…" : "Faire siéger"}
      </button>
    </Form>
  );
}

function SlotForm({
  dossiers,
  defaultStart,
  lastResult,
}: {
  dossiers: Array<{ id: string; label: string }>;
  defaultStart: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-slot",
    lastResult,
    defaultValue: { startTime: defaultStart },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: slotFormSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "add-slot";
  return (
    <Form method="post" className="mt-4 space-y-2 border-t border-slate-100 pt-4" {...getFormProps(form)}>
      <h3 className="font-medium">Ajouter un candidat</h3>
      <input type="hidden" name="intent" value="add-slot" />
      <ErrorList id={form.errorId} errors={form.errors} />
      {dossiers.length === 0 ? (
        <p className="text-sm text-slate-600">
          Aucun autre candidat n'a de dossier ouvert pour cette certification.
        </p>
      ) : null}
      <div className="flex flex-col gap-1">
        <label htmlFor={fields.dossierId.id} className="text-sm font-medium text-slate-800">
          Candidat (dossier pour cette certification)
        </label>
        <OptionSelect field={fields.dossierId} options={dossiers} />
        <FieldErrors id={fields.dossierId.errorId} errors={fields.dossierId.errors} />
      </div>
      <div className="grid gap-x-3 sm:grid-cols-2">
        <Field label="Début du créneau" errorId={fields.startTime.errorId} errors={fields.startTime.errors}>
          <input {...getInputProps(fields.startTime, { type: "time" })} className={inputClass} />
        </Field>
        <Field label="Fin du créneau (vide : durée des phases)" errorId={fields.endTime.errorId} errors={fields.endTime.errors}>
          <input {...getInputProps(fields.endTime, { type: "time" })} className={inputClass} />
        </Field>
      </div>
      <button type="submit" className={secondaryButtonClass} disabled={busy}>
        {busy ? "Vérification…" : "Ajouter le créneau"}
      </button>
    </Form>
  );
}

function AgendaForm({
  dossiers,
  lastResult,
}: {
  dossiers: Array<{ id: string; label: string }>;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-agenda",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: agendaFormSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "add-agenda";
  return (
    <Form method="post" className="mt-4 space-y-2 border-t border-slate-100 pt-4" {...getFormProps(form)}>
      <h3 className="font-medium">Ajouter un dossier</h3>
      <input type="hidden" name="intent" value="add-agenda" />
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="flex flex-col gap-1">
        <label htmlFor={fields.dossierId.id} className="text-sm font-medium text-slate-800">
          Dossier
        </label>
        <OptionSelect field={fields.dossierId} options={dossiers} />
        <FieldErrors id={fields.dossierId.errorId} errors={fields.dossierId.errors} />
      </div>
      <button type="submit" className={secondaryButtonClass} disabled={busy}>
        {busy ? "Vérification…" : "Ajouter à l'ordre du jour"}
      </button>
    </Form>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
