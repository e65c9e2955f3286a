import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { SubmissionKeyField } from "~/components/submission-key-field";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Form, useFormResult, useResultsByForm } from "~/components/form";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { Breadcrumb } from "~/components/breadcrumb";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import {
  DOSSIER_ROUTE_LABELS,
  DOSSIER_STATUS_LABELS,
  DOSSIER_STATUSES,
  EVIDENCE_ACCEPT,
  EVIDENCE_KIND_LABELS,
  EVIDENCE_KINDS,
  EVIDENCE_MAX_BYTES,
  evidenceKindLabel,
  formatFileSize,
  isDossierClosed,
  manualTransitions,
  POSITIONING_LABELS,
  POSITIONING_VALUES,
  VAE_ADMISSIBILITIES,
  VAE_ADMISSIBILITY_LABELS,
  type ChecklistStatus,
  type DossierRoute,
  type DossierStatus,
  type PositioningValue,
} from "~/domain/completeness";
import { hasPermission } from "~/domain/permissions";
import { countOf } from "~/domain/format";
import { choiceOf, formErrorMap, intentOf, UNKNOWN_ACTION } from "~/domain/form-choice";
import { candidateName, isoDateInParis, parseIsoDate, pastDateError, toIsoDate } from "~/domain/identity";
import { addEvidence } from "~/back-office/dossiers/add-evidence.server";
import { CommissionResult } from "~/components/signing/commission-result";
import { changeDossierStatus } from "~/back-office/dossiers/change-dossier-status.server";
import { deleteEvidence } from "~/back-office/dossiers/delete-evidence.server";
import { getDossierCompleteness } from "~/back-office/dossiers/dossier-completeness.server";
import { attempt, type Actor } from "~/platform/app-error";
import { listDossierAppeals } from "~/back-office/appeals/list-dossier-appeals.server";
import { recordAppeal } from "~/back-office/appeals/record-appeal.server";
import { AppealsSection } from "~/components/candidates/appeals-section";
import { getDossier } from "~/back-office/dossiers/get-dossier.server";
import { listDossierJuries } from "~/back-office/dossiers/list-dossier-juries.server";
import { DossierJuries } from "~/components/jury/dossier-juries";
import { parseEvidenceUpload } from "~/back-office/dossiers/parse-evidence-upload.server";
import { recordCompanyOpinion } from "~/back-office/dossiers/record-company-opinion.server";
import { recordPositioning } from "~/back-office/dossiers/record-positioning.server";
import { recordVaeAdmissibility } from "~/back-office/dossiers/record-vae-admissibility.server";
import { updateDossierBlocs } from "~/back-office/dossiers/update-dossier-blocs.server";
import { dangerButtonClass, DossierStatusBadge, FormErrors, sectionClass, secondaryButtonClass } from "../../components/candidates/dossier-ui";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { hasUnsafeCharacters, printableText, UNSAFE_TEXT_MESSAGE } from "~/domain/safe-text";
import { RouteErrorBoundary } from "~/components/route-error";
import { formatParisLongDate } from "~/domain/paris-date";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Dossier ${data.dossier.certification.code} — ${candidateName(data.dossier.candidate)} — Quorum`
      : "Dossier — Quorum",
  },
];

/* ------------------------------------------------------------------ forms (shared by browser and server) */

const FILE_TOO_LARGE = `Le fichier dépasse la taille maximale de ${formatFileSize(EVIDENCE_MAX_BYTES)}.`;

const pastDate = (today: string, what: string, required: string) =>
  z.string({ required_error: required }).superRefine((value, ctx) => {
    const error = pastDateError(value, today, what);
    if (error) ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
  });

function schemas(today: string) {
  return {
    blocs: z.object({ intent: intentOf("blocs"), blocIds: z.array(z.string()).default([]) }),
    positioning: z.object({
      intent: intentOf("positioning"),
      positionedAt: pastDate(today, "Date du positionnement", "Indiquez la date du positionnement."),
      results: z.record(choiceOf([...POSITIONING_VALUES, "UNSET"], "Résultat de positionnement inconnu : choisissez-le dans la liste.")).optional(),
    }),
    companyOpinion: z
      .object({
        intent: intentOf("company-opinion"),
        favourable: z.enum(["yes", "no"], {
          errorMap: () => ({ message: "Indiquez si l'avis de l'entreprise est favorable ou défavorable." }),
        }),
        text: z.string().trim().max(4000, "Avis : 4 000 caractères au plus.").superRefine(printableText({ multiline: true })).optional(),
        givenAt: pastDate(today, "Date de l'avis", "Indiquez la date de l'avis."),
      })
      .superRefine((value, ctx) => {
        if (value.favourable === "no" && !value.text) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["text"], message: "Un avis défavorable doit être motivé." });
        }
      }),
    vae: z
      .object({
        intent: intentOf("vae-admissibility"),
        experienceMonths: z
          .number({ invalid_type_error: "Indiquez un nombre de mois." })
          .int("Indiquez un nombre entier de mois.")
          .min(0, "La durée d'expérience ne peut pas être négative.")
          .max(600, "Durée d'expérience invalide (50 ans au plus).")
          .optional(),
        decision: z.enum(VAE_ADMISSIBILITIES, { errorMap: () => ({ message: "Choisissez la décision de recevabilité." }) }),
        note: z.string().trim().max(4000, "Note : 4 000 caractères au plus.").superRefine(printableText({ multiline: true })).optional(),
        decidedAt: pastDate(today, "Date de la décision", "Indiquez la date de la décision.").optional(),
      })
      .superRefine((value, ctx) => {
        if (value.decision !== "PENDING" && !value.decidedAt) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["decidedAt"], message: "Indiquez la date de la décision." });
        }
        if (value.decision === "NOT_ADMISSIBLE" && !value.note) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["note"], message: "Motivez la décision de non-recevabilité." });
        }
      }),
    status: z.object({
      intent: intentOf("status"),
      from: choiceOf(DOSSIER_STATUSES, "Statut actuel du dossier inconnu : rechargez la page."),
      to: z.enum(DOSSIER_STATUSES, { errorMap: () => ({ message: "Choisissez le nouveau statut." }) }),
    }),
    deleteEvidence: z.object({ intent: intentOf("delete-evidence"), evidenceId: z.string({ required_error: "Pièce inconnue : rechargez la page." }) }),
    appeal: z.object({
      intent: intentOf("record-appeal"),
      decisionId: z.string({ required_error: "Choisissez la décision contestée." }),
      receivedAt: z.string({ required_error: "Indiquez la date de réception du recours." }),
      grounds: z
        .string({ required_error: "Indiquez les motifs du recours." })
        .trim()
        .max(5000, "Motifs : 5 000 caractères au plus.")
        .superRefine(printableText({ multiline: true })),
    }),
    evidence: z.object({
      intent: intentOf("upload-evidence"),
      kind: z.enum(EVIDENCE_KINDS, { errorMap: () => ({ message: "Choisissez le type de pièce." }) }),
      file: z
        .instanceof(File, { message: "Choisissez un fichier à déposer." })
        .refine((file) => file.size <= EVIDENCE_MAX_BYTES, FILE_TOO_LARGE)
        .refine((file) => !hasUnsafeCharacters(file.name), `Nom de fichier refusé. ${UNSAFE_TEXT_MESSAGE}`),
    }),
  };
}

type Intent =
  | "blocs"
  | "positioning"
  | "company-opinion"
  | "vae-admissibility"
  | "status"
  | "delete-evidence"
  | "upload-evidence"
  | "record-appeal";
type ActionReply = { intent: Intent; result: SubmissionResult<string[]> };

/** Each form's Conform result, by its intent (a saved form forgets its errors: `useResultsByForm`). */
type Results = (intent: Intent) => SubmissionResult<string[]> | undefined;

/* ------------------------------------------------------------------ loader and action */

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:dossier", { dossier: args.params.dossierId ?? "" });
  const dossierId = args.params.dossierId ?? "";
  const dossier = await getDossier(access.organisationId, dossierId);
  const checklist = await getDossierCompleteness(dossierId, access.organisationId);
  const status = dossier.status as DossierStatus;
  return {
    dossier,
    checklist,
    juries: (await listDossierJuries(access.organisationId, [dossierId]))[dossierId] ?? [],
    transitions: manualTransitions(status, { route: dossier.route as DossierRoute, checklist }),
    canWrite: hasPermission(access.role, "write:dossier") && !isDossierClosed(status),
    // Appeals concern decided dossiers: recorded even once the dossier is closed.
    appeals: await listDossierAppeals(access.organisationId, dossierId),
    canRecordAppeal: hasPermission(access.role, "write:dossier"),
    submissionKey: newSubmissionKey(),
  };
}

export async function action(args: ActionFunctionArgs): Promise<ActionReply | Response> {
  const access = await requireOrgPermission(args, "write:dossier", { dossier: args.params.dossierId ?? "" });
  const { request } = args;
  const dossierId = args.params.dossierId ?? "";
  const actor: Actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(request, args.context) };
  const forms = schemas(isoDateInParis(new Date()));
  const done = (anchor: string) => redirect(`/dossiers/${dossierId}#${anchor}`);

  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const { formData, oversized } = await parseEvidenceUpload(request);
    // Only the upload form is sent as multipart: any other action there was changed on its way.
    if (formData.get("intent") !== "upload-evidence") throw new Response(UNKNOWN_ACTION, { status: 400 });
    const submission = parseWithZod(formData, { schema: forms.evidence, errorMap: formErrorMap });
    const reply = (result: SubmissionResult<string[]>): ActionReply => ({ intent: "upload-evidence", result });
    if (oversized) return reply(submission.reply({ fieldErrors: { file: [FILE_TOO_LARGE] } }));
    if (submission.status !== "success") return reply(submission.reply());
    const result = await addEvidence(actor, dossierId, submission.value, submissionKeyOf(formData));
    if (!result.ok) return reply(submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }));
    return done("pieces");
  }

  const formData = await readForm(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "blocs": {
      const submission = parseWithZod(formData, { schema: forms.blocs, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const result = await updateDossierBlocs(actor, dossierId, submission.value.blocIds);
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("blocs-vises");
    }
    case "positioning": {
      const submission = parseWithZod(formData, { schema: forms.positioning, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const results = Object.fromEntries(
        Object.entries(submission.value.results ?? {}).filter((entry): entry is [string, PositioningValue] => entry[1] !== "UNSET"),
      );
      const result = await recordPositioning(actor, dossierId, {
        positionedAt: parseIsoDate(submission.value.positionedAt)!,
        results,
      });
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("positionnement");
    }
    case "company-opinion": {
      const submission = parseWithZod(formData, { schema: forms.companyOpinion, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const result = await recordCompanyOpinion(actor, dossierId, {
        favourable: submission.value.favourable === "yes",
        text: submission.value.text ?? null,
        givenAt: parseIsoDate(submission.value.givenAt)!,
      });
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("avis");
    }
    case "vae-admissibility": {
      const submission = parseWithZod(formData, { schema: forms.vae, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const { experienceMonths, decision, note, decidedAt } = submission.value;
      const result = await recordVaeAdmissibility(actor, dossierId, {
        experienceMonths: experienceMonths ?? null,
        decision,
        note: note ?? null,
        decidedAt: decidedAt ? parseIsoDate(decidedAt) : null,
      });
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("recevabilite");
    }
    case "status": {
      const submission = parseWithZod(formData, { schema: forms.status, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const result = await changeDossierStatus(actor, dossierId, submission.value);
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("statut");
    }
    case "delete-evidence": {
      const submission = parseWithZod(formData, { schema: forms.deleteEvidence, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const result = await deleteEvidence(actor, dossierId, submission.value.evidenceId);
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return redirect(`/dossiers/${dossierId}?pieceSupprimee=1#pieces`);
    }
    case "record-appeal": {
      const submission = parseWithZod(formData, { schema: forms.appeal, errorMap: formErrorMap });
      if (submission.status !== "success") return { intent, result: submission.reply() };
      const result = await attempt(() => recordAppeal({ actor, dossierId, ...submission.value }));
      if (!result.ok) return { intent, result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }) };
      return done("recours");
    }
    default:
      throw new Response(UNKNOWN_ACTION, { status: 400 });
  }
}

/* ------------------------------------------------------------------ page */

const CHECK_STYLES: Record<ChecklistStatus, { mark: string; text: string; className: string }> = {
  ok: { mark: "✓", text: "Fait", className: "text-emerald-700" },
  missing: { mark: "✗", text: "Manquant", className: "text-red-700" },
  not_applicable: { mark: "–", text: "Sans objet", className: "text-slate-500" },
  unverifiable: { mark: "?", text: "Non vérifiable", className: "text-amber-700" },
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function DossierPage() {
  const { dossier, checklist, transitions, canWrite, juries, appeals, canRecordAppeal, submissionKey } = useLoaderData<typeof loader>();
  const reply: Results = useResultsByForm(useFormResult<typeof action>() as ActionReply | undefined);
  const status = dossier.status as DossierStatus;
  const route = dossier.route as DossierRoute;
  const name = candidateName(dossier.candidate);

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb
          items={[
            { to: "/candidates", label: "Candidats" },
            { to: `/candidates/${dossier.candidate.id}`, label: name },
            { label: "Dossier" },
          ]}
        />
        <h1 className="text-2xl font-semibold text-brand-900">
          {dossier.certification.title} ({dossier.certification.code})
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-slate-700">
          <span>{name}</span>·<span>{DOSSIER_ROUTE_LABELS[route]}</span>·
          <span>
            référentiel version {dossier.referentialVersion.version}
            {dossier.referentialVersion.publishedAt ? ` (publiée le ${formatParisLongDate(dossier.referentialVersion.publishedAt)})` : ""}
          </span>
          <DossierStatusBadge status={status} />
        </p>
        {dossier.commission ? (
          <div className="mt-2">
            <CommissionResult result={dossier.commission} />
          </div>
        ) : null}
        {isDossierClosed(status) ? (
          <p role="note" className="mt-2 text-sm text-slate-600">
            Dossier clos : il n'est plus modifiable.
          </p>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          {juries.length > 0 ? (
            <section id="jury" aria-labelledby="jury-title" className={sectionClass}>
              <h2 id="jury-title" className="text-lg font-semibold">
                Jury et décision
              </h2>
              <div className="mt-3">
                <DossierJuries juries={juries} />
              </div>
            </section>
          ) : null}
          <BlocsSection data={{ dossier, canWrite }} reply={reply} />
          {route === "VAE" ? <VaeSection data={{ dossier, canWrite }} reply={reply} /> : <PositioningSection data={{ dossier, canWrite }} reply={reply} />}
          {route !== "VAE" ? <CompanyOpinionSection data={{ dossier, canWrite }} reply={reply} /> : null}
          <EvidenceSection data={{ dossier, canWrite, submissionKey }} reply={reply} />
          {appeals && (appeals.decisions.length > 0 || appeals.appeals.length > 0) ? (
            <AppealsSection view={appeals} canWrite={canRecordAppeal} lastResult={reply("record-appeal")} />
          ) : null}
        </div>
        <aside className="space-y-6">
          <ChecklistSection checklist={checklist} status={status} />
          <StatusSection dossier={dossier} transitions={transitions} canWrite={canWrite} reply={reply} />
        </aside>
      </div>
    </div>
  );
}

/** Statuses from which the dossier is presented to a jury, or already was: its complete checklist says nothing more. */
const PRESENTABLE: ReadonlySet<DossierStatus> = new Set(["COMPLETE", "ON_AGENDA", "DECIDED"]);

function ChecklistSection({ checklist, status }: { checklist: LoaderData["checklist"]; status: DossierStatus }) {
  return (
    <section aria-labelledby="checklist-title" className={sectionClass} data-testid="checklist">
      <h2 id="checklist-title" className="text-lg font-semibold">
        Complétude et conformité
      </h2>
      <p
        className={`mt-2 rounded px-3 py-2 text-sm ${checklist.complete ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
      >
        {checklist.complete
          ? PRESENTABLE.has(status)
            ? "Dossier complet : il peut être présenté au jury."
            : `Dossier complet. Pour l'inscrire à l'ordre du jour d'un jury, faites avancer son statut jusqu'à « ${DOSSIER_STATUS_LABELS.COMPLETE} » (section « Statut » ci-dessous ; statut actuel : « ${DOSSIER_STATUS_LABELS[status]} »).`
          : `Dossier incomplet : ${checklist.missing.length} point${checklist.missing.length > 1 ? "s" : ""} à régler avant le jury.`}
      </p>
      <ul className="mt-3 space-y-3">
        {checklist.items.map((item) => {
          const style = CHECK_STYLES[item.status];
          return (
            <li key={item.key} className="text-sm" data-status={item.status}>
              <p className="font-medium">
                <span aria-hidden="true" className={`mr-1 font-bold ${style.className}`}>
                  {style.mark}
                </span>
                {item.label} <span className={`text-xs ${style.className}`}>({style.text})</span>
              </p>
              <p className="text-slate-600">{item.reason}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function StatusSection({
  dossier,
  transitions,
  canWrite,
  reply,
}: {
  dossier: LoaderData["dossier"];
  transitions: LoaderData["transitions"];
  canWrite: boolean;
  reply: Results;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({ id: "status", lastResult: reply("status") });
  const status = dossier.status as DossierStatus;
  return (
    <section id="statut" aria-labelledby="status-title" className={sectionClass}>
      <h2 id="status-title" className="text-lg font-semibold">
        Statut
      </h2>
      <p className="mt-1 text-sm">
        Statut actuel : <DossierStatusBadge status={status} />
      </p>
      {!canWrite ? null : transitions.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          {status === "ON_AGENDA"
            ? "Le dossier est à l'ordre du jour d'un jury : sa décision le fera passer à « Décision rendue » (ou le renverra à son parcours en cas d'ajournement)."
            : status === "COMPLETE"
            ? "La suite se décide dans la planification du jury."
            : "Aucun changement de statut possible."}
        </p>
      ) : (
        <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="from" value={status} />
          <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.to.errors ?? [])]} />
          {transitions.map((t) => (
            <div key={t.to}>
              <button
                type="submit"
                name="to"
                value={t.to}
                disabled={t.refusal !== null || navigation.state === "submitting"}
                aria-describedby={t.refusal ? `refusal-${t.to}` : undefined}
                className={t.to === "WITHDRAWN" ? dangerButtonClass : secondaryButtonClass}
              >
                {t.to === "WITHDRAWN" ? "Déclarer l'abandon" : `Passer à « ${DOSSIER_STATUS_LABELS[t.to]} »`}
              </button>
              {t.refusal ? (
                <p id={`refusal-${t.to}`} className="mt-1 text-xs text-slate-600">
                  {t.refusal}
                </p>
              ) : null}
            </div>
          ))}
        </Form>
      )}
    </section>
  );
}

type SectionProps = { data: { dossier: LoaderData["dossier"]; canWrite: boolean; submissionKey?: string }; reply: Results };

function BlocsSection({ data: { dossier, canWrite }, reply }: SectionProps) {
  const [form, fields] = useForm({ id: "blocs", lastResult: reply("blocs") });
  const targeted = new Set(dossier.blocs.map((b) => b.blocId));
  const route = dossier.route as DossierRoute;
  return (
    <section id="blocs-vises" aria-labelledby="blocs-title" className={sectionClass}>
      <h2 id="blocs-title" className="text-lg font-semibold">
        Blocs visés
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {route === "BLOCS"
          ? "Parcours par blocs : cochez au moins un bloc."
          : "Sans bloc coché, le parcours vise la certification entière."}
      </p>
      <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="blocs" />
        <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.blocIds.errors ?? [])]} />
        <fieldset disabled={!canWrite} className="space-y-1">
          <legend className="sr-only">Blocs du référentiel</legend>
          {dossier.referentialVersion.blocs.map((b) => (
            <label key={b.id} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="blocIds" value={b.id} defaultChecked={targeted.has(b.id)} className="mt-1" />
              <span>
                <span className="font-medium">{b.code}</span> — {b.title}{" "}
                <span className="text-slate-500">({countOf(b.competences.length, "compétence")})</span>
              </span>
            </label>
          ))}
        </fieldset>
        {canWrite ? (
          <button type="submit" className={secondaryButtonClass}>
            Enregistrer les blocs visés
          </button>
        ) : null}
      </Form>
    </section>
  );
}

function PositioningSection({ data: { dossier, canWrite }, reply }: SectionProps) {
  const positioning = (dossier.positioning ?? {}) as Record<string, string>;
  const [form, fields] = useForm({
    id: "positioning",
    lastResult: reply("positioning"),
    defaultValue: { positionedAt: dossier.positionedAt ? toIsoDate(dossier.positionedAt) : "" },
  });
  const targeted = new Set(dossier.blocs.map((b) => b.blocId));
  const blocs = dossier.referentialVersion.blocs.filter((b) => targeted.size === 0 || targeted.has(b.id));
  return (
    <section id="positionnement" aria-labelledby="positioning-title" className={sectionClass}>
      <h2 id="positioning-title" className="text-lg font-semibold">
        Positionnement
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Repérage des compétences déjà acquises ; la formation ne porte que sur celles à acquérir.
      </p>
      <Form method="post" className="mt-3 space-y-3" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="positioning" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset disabled={!canWrite} className="space-y-4">
          <legend className="sr-only">Résultats du positionnement</legend>
          {blocs.map((b) => (
            <div key={b.id}>
              <h3 className="text-sm font-semibold text-slate-800">
                {b.code} — {b.title}
              </h3>
              <ul className="mt-1 divide-y divide-slate-100">
                {b.competences.map((c) => (
                  <li key={c.id} className="flex flex-col gap-1 py-1.5">
                    <span id={`competence-${c.id}`} className="text-sm">
                      <span className="font-medium">{c.code}</span> {c.statement}
                    </span>
                    <span role="radiogroup" aria-labelledby={`competence-${c.id}`} className="flex gap-3 text-sm">
                      {[...POSITIONING_VALUES, "UNSET" as const].map((value) => (
                        <label key={value} className="flex items-center gap-1">
                          <input
                            type="radio"
                            name={`results.${c.id}`}
                            value={value}
                            defaultChecked={(positioning[c.id] ?? "UNSET") === value}
                          />
                          {value === "UNSET" ? "Non positionné" : POSITIONING_LABELS[value]}
                        </label>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <div className="max-w-xs">
            <Field label="Date du positionnement" errorId={fields.positionedAt.errorId} errors={fields.positionedAt.errors}>
              <input {...getInputProps(fields.positionedAt, { type: "date" })} className={inputClass} />
            </Field>
          </div>
        </fieldset>
        {canWrite ? (
          <button type="submit" className={secondaryButtonClass}>
            Enregistrer le positionnement
          </button>
        ) : null}
      </Form>
    </section>
  );
}

function CompanyOpinionSection({ data: { dossier, canWrite }, reply }: SectionProps) {
  const [form, fields] = useForm({
    id: "company-opinion",
    lastResult: reply("company-opinion"),
    defaultValue: {
      favourable: dossier.companyOpinionFavourable === null ? "" : dossier.companyOpinionFavourable ? "yes" : "no",
      text: dossier.companyOpinion ?? "",
      givenAt: dossier.companyOpinionAt ? toIsoDate(dossier.companyOpinionAt) : "",
    },
  });
  return (
    <section id="avis" aria-labelledby="opinion-title" className={sectionClass}>
      <h2 id="opinion-title" className="text-lg font-semibold">
        Avis de l'entreprise
      </h2>
      <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="company-opinion" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset disabled={!canWrite} className="space-y-2">
          <legend className="sr-only">Avis de l'entreprise</legend>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Sens de l'avis</legend>
            <div className="mt-1 flex gap-6 text-sm">
              {(["yes", "no"] as const).map((value) => (
                <label key={value} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={fields.favourable.name}
                    value={value}
                    defaultChecked={fields.favourable.initialValue === value}
                    aria-describedby={fields.favourable.errorId}
                    aria-invalid={fields.favourable.errors ? true : undefined}
                  />
                  {value === "yes" ? "Favorable" : "Défavorable"}
                </label>
              ))}
            </div>
            <p id={fields.favourable.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
              {fields.favourable.errors?.[0] ?? ""}
            </p>
          </fieldset>
          <Field label="Texte de l'avis" errorId={fields.text.errorId} errors={fields.text.errors}>
            <textarea {...getTextareaProps(fields.text)} rows={3} className={inputClass} />
          </Field>
          <div className="max-w-xs">
            <Field label="Date de l'avis" errorId={fields.givenAt.errorId} errors={fields.givenAt.errors}>
              <input {...getInputProps(fields.givenAt, { type: "date" })} className={inputClass} />
            </Field>
          </div>
        </fieldset>
        {canWrite ? (
          <button type="submit" className={secondaryButtonClass}>
            Enregistrer l'avis
          </button>
        ) : null}
      </Form>
    </section>
  );
}

function VaeSection({ data: { dossier, canWrite }, reply }: SectionProps) {
  const [form, fields] = useForm({
    id: "vae-admissibility",
    lastResult: reply("vae-admissibility"),
    defaultValue: {
      experienceMonths: dossier.vaeExperienceMonths?.toString() ?? "",
      decision: dossier.vaeAdmissibility ?? "PENDING",
      note: dossier.vaeDecisionNote ?? "",
      decidedAt: dossier.vaeDecidedAt ? toIsoDate(dossier.vaeDecidedAt) : "",
    },
  });
  return (
    <section id="recevabilite" aria-labelledby="vae-title" className={sectionClass}>
      <h2 id="vae-title" className="text-lg font-semibold">
        Recevabilité VAE
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Vérifiée par le secrétariat sur la demande du candidat (livret 1) avant le dossier de validation.
      </p>
      <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="vae-admissibility" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset disabled={!canWrite} className="grid gap-x-4 md:grid-cols-2">
          <legend className="sr-only">Décision de recevabilité</legend>
          <Field
            label="Expérience en rapport avec la certification (mois)"
            errorId={fields.experienceMonths.errorId}
            errors={fields.experienceMonths.errors}
          >
            <input {...getInputProps(fields.experienceMonths, { type: "number" })} min={0} max={600} className={inputClass} />
          </Field>
          <Field label="Décision" errorId={fields.decision.errorId} errors={fields.decision.errors}>
            <select {...getSelectProps(fields.decision)} className={inputClass}>
              {VAE_ADMISSIBILITIES.map((d) => (
                <option key={d} value={d}>
                  {VAE_ADMISSIBILITY_LABELS[d]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Date de la décision" errorId={fields.decidedAt.errorId} errors={fields.decidedAt.errors}>
            <input {...getInputProps(fields.decidedAt, { type: "date" })} className={inputClass} />
          </Field>
          <div className="md:col-span-2">
            <Field label="Note (motif)" errorId={fields.note.errorId} errors={fields.note.errors}>
              <textarea {...getTextareaProps(fields.note)} rows={2} className={inputClass} />
            </Field>
          </div>
        </fieldset>
        {canWrite ? (
          <button type="submit" className={secondaryButtonClass}>
            Enregistrer la recevabilité
          </button>
        ) : null}
      </Form>
    </section>
  );
}

function EvidenceSection({ data: { dossier, canWrite, submissionKey }, reply }: SectionProps) {
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const today = isoDateInParis(new Date());
  const [form, fields] = useForm({
    id: "evidence",
    lastResult: reply("upload-evidence"),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: schemas(today).evidence }),
  });
  const [deleteForm] = useForm({ id: "delete-evidence", lastResult: reply("delete-evidence") });
  return (
    <section id="pieces" aria-labelledby="evidence-title" className={sectionClass}>
      <h2 id="evidence-title" className="text-lg font-semibold">
        Pièces justificatives
      </h2>
      <FormErrors id={deleteForm.errorId} errors={deleteForm.errors} />
      {searchParams.get("pieceSupprimee") ? (
        <p role="status" className="mt-2 rounded border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          Pièce supprimée.
        </p>
      ) : null}
      {dossier.evidence.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">Aucune pièce déposée.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200" data-testid="evidence-list">
          {dossier.evidence.map((e) => (
            <li key={e.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
              <div className="min-w-0">
                <p className="wrap-anywhere">
                  <span className="font-medium">{evidenceKindLabel(e.kind)}</span> —{" "}
                  <a href={`/dossiers/${dossier.id}/pieces/${e.id}`} className="text-brand-700 underline" download={e.fileName}>
                    {e.fileName}
                  </a>
                </p>
                <p className="text-slate-600">
                  {formatFileSize(e.size)} · déposée le {formatParisLongDate(e.createdAt)}
                </p>
                <p className="break-all font-mono text-xs text-slate-500" title="Empreinte SHA-256 du fichier">
                  SHA-256 : <span data-testid="sha256">{e.sha256}</span>
                </p>
              </div>
              {canWrite ? (
                <Form
                  method="post"
                  id={`delete-${e.id}`}
                  onSubmit={(event) => {
                    if (!window.confirm(`Supprimer la pièce « ${e.fileName} » ? Cette suppression est définitive.`)) {
                      event.preventDefault();
                    }
                  }}
                >
                  <input type="hidden" name="intent" value="delete-evidence" />
                  <input type="hidden" name="evidenceId" value={e.id} />
                  <button type="submit" className={dangerButtonClass} aria-label={`Supprimer la pièce ${e.fileName}`}>
                    Supprimer
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {canWrite ? (
        <Form
          // A new key after each stored or deleted file empties the inputs, so a file is never sent twice by mistake.
          key={dossier.evidence.map((e) => e.id).join()}
          method="post"
          encType="multipart/form-data"
          className="mt-4 space-y-2 border-t border-slate-200 pt-4"
          {...getFormProps(form)}
        >
          <h3 className="font-semibold">Déposer une pièce</h3>
          <input type="hidden" name="intent" value="upload-evidence" />
          {submissionKey ? <SubmissionKeyField value={submissionKey} /> : null}
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="grid gap-x-4 md:grid-cols-2">
            <Field label="Type de pièce" errorId={fields.kind.errorId} errors={fields.kind.errors}>
              <select {...getSelectProps(fields.kind)} className={inputClass}>
                <option value="">— Choisir —</option>
                {EVIDENCE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {EVIDENCE_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Fichier (PDF, JPEG, PNG, ODT ou DOCX ; 10 Mo au plus)" errorId={fields.file.errorId} errors={fields.file.errors}>
              <input {...getInputProps(fields.file, { type: "file" })} accept={EVIDENCE_ACCEPT} className={inputClass} />
            </Field>
          </div>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            Déposer la pièce
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
