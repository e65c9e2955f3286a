import { parseWithZod } from "@conform-to/zod";
import { formErrorMap } from "~/domain/form-choice";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import type { ReactNode } from "react";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { deleteBloc } from "~/back-office/certifications/delete-bloc.server";
import { deleteCompetence } from "~/back-office/certifications/delete-competence.server";
import { deleteCriterion } from "~/back-office/certifications/delete-criterion.server";
import { deleteDraftVersion } from "~/back-office/certifications/delete-draft-version.server";
import { getReferentialVersion } from "~/back-office/certifications/get-referential-version.server";
import { publishVersion } from "~/back-office/certifications/publish-version.server";
import { saveBloc } from "~/back-office/certifications/save-bloc.server";
import { saveCompetence } from "~/back-office/certifications/save-competence.server";
import { saveCriterion } from "~/back-office/certifications/save-criterion.server";
import type { Actor, Refusal, Result } from "~/platform/app-error";
import { updateVersionNotes } from "~/back-office/certifications/update-version-notes.server";
import { primaryButtonClass } from "~/components/field";
import { isModality, MODALITIES, MODALITY_LABELS } from "~/domain/certification";
import { LIMITS } from "~/domain/referential-import";
import { freeText } from "~/domain/safe-text";
import { Breadcrumb } from "~/components/breadcrumb";
import {
  dangerButtonClass,
  FormErrors,
  Notice,
  secondaryButtonClass,
  sectionClass,
  smallInputClass,
  VersionBadge,
  formatMoment,
  formatDay,
  countOf,
} from "../../components/certifications/certification-ui";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  {
    title: d ? `Référentiel v${d.version.version} — ${d.version.certification.title} — Quorum` : "Référentiel — Quorum",
  },
];

// Codes, titles and statements are printed in the grids, the minutes and the parchemins: no hidden or reversed text.
// Codes and bloc titles are one line (a line break split the parchemin's « bloc X » mention and the CSV exports).
const required = (message: string, max: number, what: string, options: { multiline: boolean } = { multiline: true }) =>
  z
    .string({ required_error: message })
    .pipe(freeText({ min: 1, tooShort: message, max, tooLong: `${what} : ${max} caractères au plus.`, multiline: options.multiline }));
const ONE_LINE = { multiline: false };
const optionalText = (max: number, what: string) => freeText({ max, tooLong: `${what} : ${max} caractères au plus.`, multiline: true }).optional();

const blocSchema = z.object({
  blocId: z.string().optional(),
  code: required("Saisissez le code du bloc.", 40, "Code", ONE_LINE),
  title: required("Saisissez l'intitulé du bloc.", LIMITS.title, "Intitulé", ONE_LINE),
});
const competenceSchema = z.object({
  competenceId: z.string().optional(),
  blocId: z.string({ required_error: "Bloc manquant." }),
  code: required("Saisissez le code de la compétence.", 40, "Code", ONE_LINE),
  statement: required("Saisissez l'énoncé de la compétence.", LIMITS.statement, "Énoncé"),
  conditions: optionalText(LIMITS.conditions, "Conditions de réalisation"),
  modalities: z
    .array(z.string())
    .optional()
    .transform((values, ctx) => {
      const list = values ?? [];
      if (!list.every(isModality)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Modalité d'évaluation inconnue." });
      return [...new Set(list.filter(isModality))];
    }),
});
const criterionSchema = z.object({
  criterionId: z.string().optional(),
  competenceId: z.string({ required_error: "Compétence manquante." }),
  statement: required("Saisissez l'énoncé du critère.", LIMITS.statement, "Énoncé"),
  measurable: z.boolean().optional(),
  mandatory: z.boolean().optional(),
  expected: optionalText(LIMITS.expected, "Résultat attendu"),
});
const notesSchema = z.object({ notes: optionalText(LIMITS.notes, "Notes") });

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const version = await getReferentialVersion(
    access.organisationId,
    args.params.certificationId ?? "",
    args.params.versionId ?? "",
  );
  return { version };
}

type ItemKind = "bloc" | "competence" | "criterion";

/**
 * The key of an item's form, so that the action's answer opens the form that was sent: `kind:<id>` for an item,
 * `kind:new:<parent id>` (or `kind:new`) for the form that adds one.
 */
function itemKey(kind: ItemKind, itemId?: string | null, parentId?: string) {
  if (itemId) return `${kind}:${itemId}`;
  return parentId ? `${kind}:new:${parentId}` : `${kind}:new`;
}

type Feedback = {
  formKey: string;
  formError: string | null;
  fieldErrors: Record<string, string[]>;
  problems: string[];
};

/** A refusal's first form message, then its details (the problems that block a publication). */
function refused(formKey: string, refusal: Refusal) {
  const [formError = null, ...problems] = refusal.formErrors;
  const published = formError?.includes("est publiée") ?? false;
  return data<Feedback>(
    { formKey, formError, fieldErrors: refusal.fieldErrors, problems },
    { status: published ? 409 : 400 },
  );
}

function invalid(formKey: string, error: Record<string, string[] | null> | undefined) {
  const fieldErrors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(error ?? {})) if (v?.length) fieldErrors[k] = v;
  return data<Feedback>(
    { formKey, formError: fieldErrors[""]?.[0] ?? null, fieldErrors, problems: [] },
    { status: 400 },
  );
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certificationId = args.params.certificationId ?? "";
  const versionId = args.params.versionId ?? "";
  // 404 unless the version is this organisation's and this certification's.
  await getReferentialVersion(access.organisationId, certificationId, versionId);
  const actor: Actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) };
  const formData = await readForm(args.request);
  const intent = String(formData.get("intent") ?? "");
  const self = `/certifications/${certificationId}/versions/${versionId}`;
  const id = (name: string) => String(formData.get(name) ?? "");

  /** Validates the form `key` against `schema` and saves: back to the page (at `#anchor`), or the form's errors. */
  async function save<S extends z.ZodTypeAny, T extends object>(
    key: string,
    schema: S,
    run: (value: z.output<S>) => Promise<Result<T>>,
    anchor?: (value: z.output<S>, saved: T) => string,
  ) {
    const submission = parseWithZod(formData, { schema, errorMap: formErrorMap });
    if (submission.status !== "success") return invalid(key, submission.error ?? undefined);
    const result = await run(submission.value);
    if (!result.ok) return refused(key, result);
    return redirect(`${self}?enregistre=1${anchor ? `#${anchor(submission.value, result)}` : ""}`);
  }
  /** Deletes the `kind` named by the form's `field`: back to the page, or the refusal at that item's form. */
  async function remove(kind: ItemKind, field: string, run: (actor: Actor, versionId: string, itemId: string) => Promise<Result>) {
    const result = await run(actor, versionId, id(field));
    return result.ok ? redirect(`${self}?supprime=1`) : refused(itemKey(kind, id(field)), result);
  }

  switch (intent) {
    case "publish": {
      // Irreversible: only with the confirmation box checked (the server checks it, not only the browser).
      const result = await publishVersion(actor, versionId, { confirmed: formData.get("confirm") === "yes" });
      return result.ok ? redirect(`${self}?publiee=1`) : refused("publish", result);
    }
    case "delete-version": {
      const result = await deleteDraftVersion(actor, versionId);
      return result.ok ? redirect(`/certifications/${certificationId}?brouillonSupprime=1`) : refused("publish", result);
    }
    case "notes":
      return save("notes", notesSchema, (v) => updateVersionNotes(actor, versionId, v.notes || null));
    case "save-bloc":
      return save(itemKey("bloc", id("blocId")), blocSchema, (v) => saveBloc(actor, versionId, v), (_, r) => `bloc-${r.blocId}`);
    case "save-competence":
      return save(
        itemKey("competence", id("competenceId"), id("blocId")),
        competenceSchema,
        (v) => saveCompetence(actor, versionId, { ...v, conditions: v.conditions || null }),
        (_, r) => `competence-${r.competenceId}`,
      );
    case "save-criterion":
      return save(
        itemKey("criterion", id("criterionId"), id("competenceId")),
        criterionSchema,
        (v) =>
          saveCriterion(actor, versionId, {
            ...v,
            measurable: v.measurable ?? false,
            mandatory: v.mandatory ?? false,
            expected: v.expected || null,
          }),
        (v) => `competence-${v.competenceId}`,
      );
    case "delete-bloc":
      return remove("bloc", "blocId", deleteBloc);
    case "delete-competence":
      return remove("competence", "competenceId", deleteCompetence);
    case "delete-criterion":
      return remove("criterion", "criterionId", deleteCriterion);
    default:
      return data<Feedback>({ formKey: "", formError: "Action inconnue.", fieldErrors: {}, problems: [] }, { status: 400 });
  }
}

type Version = Awaited<ReturnType<typeof loader>>["version"];
type Bloc = Version["blocs"][number];
type Competence = Bloc["competences"][number];
type Criterion = Competence["criteria"][number];

/** Errors of the form `formKey` from the last submission, if it was that form. */
function useFeedback(formKey: string) {
  const feedback = useFormResult<typeof action>() as Feedback | undefined;
  const mine = feedback?.formKey === formKey ? feedback : null;
  return {
    active: mine !== null,
    formErrors: mine?.formError ? [mine.formError] : null,
    errors: (field: string) => mine?.fieldErrors[field] ?? null,
  };
}

function TextField({
  formKey,
  name,
  label,
  defaultValue,
  errors,
  multiline,
}: {
  formKey: string;
  name: string;
  label: string;
  defaultValue?: string | null;
  errors: string[] | null;
  multiline?: boolean;
}) {
  const id = `${formKey}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const common = {
    id,
    name,
    defaultValue: defaultValue ?? "",
    "aria-invalid": errors ? true : undefined,
    "aria-describedby": errors ? `${id}-error` : undefined,
    className: smallInputClass,
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {multiline ? <textarea rows={2} {...common} /> : <input type="text" autoComplete="off" {...common} />}
      {errors ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

function SubmitRow({ label, children }: { label: string; children?: ReactNode }) {
  const navigation = useNavigation();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
        {label}
      </button>
      {children}
    </div>
  );
}

function BlocForm({ bloc }: { bloc?: Bloc }) {
  const key = itemKey("bloc", bloc?.id);
  const fb = useFeedback(key);
  return (
    <Form method="post" className="space-y-2" aria-label={bloc ? `Modifier le bloc ${bloc.code}` : "Ajouter un bloc"}>
      <input type="hidden" name="intent" value="save-bloc" />
      {bloc ? <input type="hidden" name="blocId" value={bloc.id} /> : null}
      <FormErrors errors={fb.formErrors} />
      <div className="grid gap-3 md:grid-cols-[14rem_1fr]">
        <TextField formKey={key} name="code" label="Code du bloc" defaultValue={bloc?.code} errors={fb.errors("code")} />
        <TextField formKey={key} name="title" label="Intitulé" defaultValue={bloc?.title} errors={fb.errors("title")} />
      </div>
      <SubmitRow label={bloc ? "Enregistrer le bloc" : "Ajouter le bloc"} />
    </Form>
  );
}

function CompetenceForm({ blocId, competence }: { blocId: string; competence?: Competence }) {
  const key = itemKey("competence", competence?.id, blocId);
  const fb = useFeedback(key);
  return (
    <Form
      method="post"
      className="space-y-2"
      aria-label={competence ? `Modifier la compétence ${competence.code}` : "Ajouter une compétence"}
    >
      <input type="hidden" name="intent" value="save-competence" />
      <input type="hidden" name="blocId" value={blocId} />
      {competence ? <input type="hidden" name="competenceId" value={competence.id} /> : null}
      <FormErrors errors={fb.formErrors} />
      <div className="grid gap-3 md:grid-cols-[10rem_1fr]">
        <TextField formKey={key} name="code" label="Code" defaultValue={competence?.code} errors={fb.errors("code")} />
        <TextField
          formKey={key}
          name="statement"
          label="Énoncé de la compétence"
          defaultValue={competence?.statement}
          errors={fb.errors("statement")}
          multiline
        />
      </div>
      <TextField
        formKey={key}
        name="conditions"
        label="Conditions de réalisation"
        defaultValue={competence?.conditions}
        errors={fb.errors("conditions")}
        multiline
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Modalités d'évaluation</legend>
        <div className="mt-1 grid gap-1 text-sm md:grid-cols-2">
          {MODALITIES.map((m) => (
            <label key={m} className="flex items-center gap-2">
              <input type="checkbox" name="modalities" value={m} defaultChecked={competence?.modalities.includes(m)} />
              {MODALITY_LABELS[m]}
            </label>
          ))}
        </div>
        {fb.errors("modalities") ? <p className="text-sm text-red-700">{fb.errors("modalities")![0]}</p> : null}
      </fieldset>
      <SubmitRow label={competence ? "Enregistrer la compétence" : "Ajouter la compétence"} />
    </Form>
  );
}

function CriterionForm({ competenceId, criterion }: { competenceId: string; criterion?: Criterion }) {
  const key = itemKey("criterion", criterion?.id, competenceId);
  const fb = useFeedback(key);
  return (
    <Form method="post" className="space-y-2" aria-label={criterion ? "Modifier le critère" : "Ajouter un critère"}>
      <input type="hidden" name="intent" value="save-criterion" />
      <input type="hidden" name="competenceId" value={competenceId} />
      {criterion ? <input type="hidden" name="criterionId" value={criterion.id} /> : null}
      <FormErrors errors={fb.formErrors} />
      <TextField
        formKey={key}
        name="statement"
        label="Critère (observable ou mesurable)"
        defaultValue={criterion?.statement}
        errors={fb.errors("statement")}
        multiline
      />
      <TextField
        formKey={key}
        name="expected"
        label="Résultat attendu / seuil"
        defaultValue={criterion?.expected}
        errors={fb.errors("expected")}
      />
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="measurable" defaultChecked={criterion?.measurable} />
          Mesurable
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="mandatory" defaultChecked={criterion?.mandatory} />
          Obligatoire
        </label>
      </div>
      <SubmitRow label={criterion ? "Enregistrer le critère" : "Ajouter le critère"} />
    </Form>
  );
}

function DeleteButton({ intent, name, value, label }: { intent: string; name: string; value: string; label: string }) {
  return (
    <Form
      method="post"
      onSubmit={(event) => {
        if (!window.confirm(`${label} ? Cette suppression est définitive.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={name} value={value} />
      <button type="submit" className={dangerButtonClass}>
        {label}
      </button>
    </Form>
  );
}

function Edit({ summary, open, children }: { summary: string; open: boolean; children: ReactNode }) {
  return (
    <details
      open={open || undefined}
      className="mt-1 text-sm open:w-full open:rounded open:border open:border-slate-200 open:bg-slate-50 open:p-3"
    >
      <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">{summary}</summary>
      <div className="mt-3 space-y-3">{children}</div>
    </details>
  );
}

function CriterionText({ criterion, index }: { criterion: Criterion; index: number }) {
  return (
    <>
      <span className="text-slate-500">{index + 1}.</span> {criterion.statement}{" "}
      {criterion.mandatory ? (
        <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-800">obligatoire</span>
      ) : null}{" "}
      {criterion.measurable ? (
        <span className="rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-800">mesurable</span>
      ) : null}
      {criterion.expected ? <span className="block text-xs text-slate-600">Attendu : {criterion.expected}</span> : null}
    </>
  );
}

function CompetenceItem({ competence, blocId, draft }: { competence: Competence; blocId: string; draft: boolean }) {
  const edit = useFeedback(itemKey("competence", competence.id));
  const add = useFeedback(itemKey("criterion", null, competence.id));
  return (
    <li id={`competence-${competence.id}`} className="py-3" data-competence={competence.code}>
      <h4 className="font-medium">
        {competence.code}. {competence.statement}
      </h4>
      {competence.conditions ? <p className="text-sm text-slate-600">Conditions : {competence.conditions}</p> : null}
      {competence.modalities.length ? (
        <p className="text-sm text-slate-600">
          Modalités : {competence.modalities.map((m) => (isModality(m) ? MODALITY_LABELS[m] : m)).join(" · ")}
        </p>
      ) : null}
      {competence.criteria.length === 0 ? (
        <p className="mt-1 text-sm text-amber-800">Aucun critère : ajoutez-en au moins un avant de publier.</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100 pl-2 text-sm">
          {competence.criteria.map((cr, i) =>
            draft ? (
              <CriterionEditable key={cr.id} competenceId={competence.id} criterion={cr} index={i} />
            ) : (
              <li key={cr.id} className="py-1">
                <CriterionText criterion={cr} index={i} />
              </li>
            ),
          )}
        </ul>
      )}
      {draft ? (
        <div className="flex flex-wrap items-start gap-x-6">
          <Edit summary="Modifier la compétence" open={edit.active}>
            <CompetenceForm blocId={blocId} competence={competence} />
            <DeleteButton
              intent="delete-competence"
              name="competenceId"
              value={competence.id}
              label={`Supprimer la compétence ${competence.code} et ses critères`}
            />
          </Edit>
          <Edit summary="Ajouter un critère" open={add.active}>
            <CriterionForm competenceId={competence.id} />
          </Edit>
        </div>
      ) : null}
    </li>
  );
}

function CriterionEditable({ competenceId, criterion, index }: { competenceId: string; criterion: Criterion; index: number }) {
  const fb = useFeedback(itemKey("criterion", criterion.id));
  return (
    <li className="py-1">
      <CriterionText criterion={criterion} index={index} />
      <Edit summary="Modifier ce critère" open={fb.active}>
        <CriterionForm competenceId={competenceId} criterion={criterion} />
        <DeleteButton intent="delete-criterion" name="criterionId" value={criterion.id} label="Supprimer ce critère" />
      </Edit>
    </li>
  );
}

function BlocSection({ bloc, draft }: { bloc: Bloc; draft: boolean }) {
  const edit = useFeedback(itemKey("bloc", bloc.id));
  const add = useFeedback(itemKey("competence", null, bloc.id));
  return (
    <section id={`bloc-${bloc.id}`} aria-labelledby={`bloc-title-${bloc.id}`} className={sectionClass}>
      <h3 id={`bloc-title-${bloc.id}`} className="text-lg font-semibold">
        <span className="font-mono">{bloc.code}</span> — {bloc.title}
      </h3>
      {bloc.competences.length === 0 ? (
        <p className="mt-2 text-sm text-amber-800">Aucune compétence : ajoutez-en au moins une avant de publier.</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {bloc.competences.map((c) => (
            <CompetenceItem key={c.id} competence={c} blocId={bloc.id} draft={draft} />
          ))}
        </ul>
      )}
      {draft ? (
        <div className="mt-2 flex flex-wrap items-start gap-x-6">
          <Edit summary="Modifier le bloc" open={edit.active}>
            <BlocForm bloc={bloc} />
            <DeleteButton
              intent="delete-bloc"
              name="blocId"
              value={bloc.id}
              label={`Supprimer le bloc ${bloc.code}, ses compétences et leurs critères`}
            />
          </Edit>
          <Edit summary="Ajouter une compétence" open={add.active}>
            <CompetenceForm blocId={bloc.id} />
          </Edit>
        </div>
      ) : null}
    </section>
  );
}

export default function ReferentialVersionPage() {
  const { version } = useLoaderData<typeof loader>();
  const feedback = useFormResult<typeof action>() as Feedback | undefined;
  const [searchParams] = useSearchParams();
  const draft = version.publishedAt === null;
  const base = `/certifications/${version.certification.id}`;
  const notes = useFeedback("notes");
  const pageError = feedback && (feedback.formKey === "publish" || feedback.formKey === "" || !draft) ? feedback : null;
  const publishConfirmError = feedback?.formKey === "publish" ? (feedback.fieldErrors.confirm?.[0] ?? null) : null;
  const competenceCount = version.blocs.reduce((n, b) => n + b.competences.length, 0);

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb
          items={[
            { to: "/certifications", label: "Certifications" },
            { to: base, label: version.certification.code },
            { label: `Référentiel v${version.version}` },
          ]}
        />
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-brand-900">Référentiel — version {version.version}</h1>
          <VersionBadge publishedAt={version.publishedAt} />
        </div>
        <p className="text-slate-700">
          {version.certification.title} · {countOf(version.blocs.length, "bloc")}, {countOf(competenceCount, "compétence")} ·{" "}
          {version.publishedAt ? `publiée le ${formatDay(version.publishedAt)}` : `brouillon créé le ${formatMoment(version.createdAt)}`}
        </p>
      </div>

      {searchParams.get("publiee") ? <Notice>Version publiée : elle est désormais figée.</Notice> : null}
      {searchParams.get("importee") ? <Notice>Fichier importé : vérifiez le brouillon, puis publiez-le.</Notice> : null}
      {searchParams.get("enregistre") ? <Notice>Modification enregistrée.</Notice> : null}
      {searchParams.get("supprime") ? <Notice>Élément supprimé.</Notice> : null}

      {pageError?.formError ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">{pageError.formError}</p>
          {pageError.problems.length ? (
            <ul className="mt-1 list-disc pl-5">
              {pageError.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <a href={`${base}/versions/${version.id}/export`} className={secondaryButtonClass} download>
          Exporter en JSON
        </a>
        {draft && version._count.sessions === 0 && version._count.dossiers === 0 ? (
          <DeleteButton intent="delete-version" name="versionId" value={version.id} label="Supprimer le brouillon" />
        ) : null}
      </div>

      {draft ? (
        // Publishing cannot be undone: the box says what it freezes, and the server refuses a publication without it.
        <Form method="post" className="max-w-3xl space-y-2 rounded border border-slate-200 bg-white p-3" data-testid="publish-form">
          <input type="hidden" name="intent" value="publish" />
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="confirm"
              value="yes"
              required
              className="mt-1"
              aria-invalid={publishConfirmError ? true : undefined}
              aria-describedby={publishConfirmError ? "publish-confirm-error" : undefined}
            />
            <span>
              {`Je confirme la publication de la version ${version.version} : elle sera figée définitivement. Ses blocs, compétences, critères et notes ne pourront plus être modifiés, et elle ne pourra plus être supprimée ; pour la faire évoluer, il faudra créer une nouvelle version.`}
            </span>
          </label>
          {publishConfirmError ? (
            <p id="publish-confirm-error" role="alert" className="text-sm text-red-700">
              {publishConfirmError}
            </p>
          ) : null}
          <button type="submit" className={primaryButtonClass}>
            Publier cette version
          </button>
        </Form>
      ) : null}

      {draft ? (
        <p className="text-sm text-slate-600">
          Un brouillon se modifie librement. La publication le fige : les sessions et les dossiers s'y réfèrent et il ne
          change plus jamais.
        </p>
      ) : (
        <p className="rounded border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700" role="note">
          Version publiée, figée : utilisée par {countOf(version._count.sessions, "session")} et{" "}
          {countOf(version._count.dossiers, "dossier")}. Pour la faire évoluer, créez une nouvelle version depuis la{" "}
          <Link to={base} className="text-brand-700 underline">
            page de la certification
          </Link>
          .
        </p>
      )}

      <section aria-labelledby="notes-title" className={sectionClass}>
        <h2 id="notes-title" className="text-lg font-semibold">
          Notes de version
        </h2>
        {draft ? (
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="notes" />
            <FormErrors errors={notes.formErrors} />
            <TextField formKey="notes" name="notes" label="Ce qui change, pourquoi" defaultValue={version.notes} errors={notes.errors("notes")} multiline />
            <SubmitRow label="Enregistrer les notes" />
          </Form>
        ) : (
          <p className="mt-2 text-slate-700">{version.notes ?? "Aucune note."}</p>
        )}
      </section>

      <h2 className="text-xl font-semibold">Blocs de compétences</h2>
      {version.blocs.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">
          Aucun bloc pour le moment{draft ? " : ajoutez-en un ci-dessous ou importez un fichier." : "."}
        </p>
      ) : (
        version.blocs.map((b) => <BlocSection key={b.id} bloc={b} draft={draft} />)
      )}
      {draft ? (
        <section aria-labelledby="add-bloc-title" className={sectionClass}>
          <h2 id="add-bloc-title" className="text-lg font-semibold">
            Ajouter un bloc
          </h2>
          <p className="mb-2 text-sm text-slate-600">
            Code attendu pour une certification RNCP : {version.certification.code.startsWith("RNCP") ? `${version.certification.code}BC01, ${version.certification.code}BC02…` : "un code court (ex. D1, BC01)"}.
          </p>
          <BlocForm />
        </section>
      ) : null}
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
