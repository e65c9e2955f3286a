/**
 * The candidate form (create and edit): identity as the Caisse des Dépôts needs it, contact, employer, trainer.
 * Not a route: rendered by routes/candidate-new.tsx and routes/candidate-edit.tsx.
 */
import { SubmissionKeyField } from "~/components/submission-key-field";
import { getCollectionProps, getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Link, useNavigation } from "@remix-run/react";
import { Form } from "~/components/form";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { candidateFormSchema, isoDateInParis, SEX_LABELS, type DuplicateCandidate } from "~/domain/identity";
import type { Refusal } from "~/platform/app-error";
import { FormErrors, sectionClass } from "./dossier-ui";

export type CandidateFormDefaults = Partial<Record<string, string>>;

/** What a candidate form's action answers: Conform's result, with the existing candidate a refusal points to. */
export type CandidateFormResult = SubmissionResult<string[]> & { duplicate?: DuplicateCandidate | null };

/** The answer of a candidate form's action to a refusal of its use case (field errors, and the duplicate if any). */
export function refusedCandidateForm(
  submission: { reply: (options: { formErrors: string[]; fieldErrors: Record<string, string[]> }) => SubmissionResult<string[]> },
  refused: Refusal & { duplicate?: DuplicateCandidate },
): CandidateFormResult {
  return {
    ...submission.reply({ formErrors: refused.formErrors, fieldErrors: refused.fieldErrors }),
    duplicate: refused.duplicate ?? null,
  };
}

/**
 * Under the identity of a refused form: the candidate it duplicates (a link to their page) and the box that
 * confirms this is another person (a homonym), sent back with the next submission.
 */
function DuplicateNotice({ duplicate }: { duplicate: DuplicateCandidate }) {
  return (
    <div role="alert" className="mt-2 space-y-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
      <p>
        Fiche existante :{" "}
        <Link to={`/candidates/${duplicate.id}`} className="font-medium underline">
          {duplicate.name}
        </Link>
      </p>
      <label className="flex items-start gap-2">
        <input type="checkbox" name="confirmedHomonymOf" value={duplicate.id} className="mt-1" />
        <span>Il s'agit d'une autre personne (homonyme né le même jour) : enregistrer quand même.</span>
      </label>
    </div>
  );
}

export function CandidateForm({
  lastResult,
  defaultValue,
  trainers,
  submitLabel,
  submissionKey,
}: {
  lastResult: CandidateFormResult | null | undefined;
  defaultValue?: CandidateFormDefaults;
  trainers: Array<{ id: string; displayName: string }>;
  submitLabel: string;
  /** A creation form's submission key (sent twice, one candidate is registered). */
  submissionKey?: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "candidate",
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: candidateFormSchema(isoDateInParis(new Date())) }),
  });

  return (
    <Form method="post" className="space-y-6" {...getFormProps(form)}>
      {submissionKey ? <SubmissionKeyField value={submissionKey} /> : null}
      <FormErrors id={form.errorId} errors={form.errors} />

      <fieldset className={sectionClass}>
        <legend className="px-1 text-lg font-semibold">État civil</legend>
        <p className="mb-3 text-sm text-slate-600">
          Tel qu'il figurera sur la déclaration des titulaires à la Caisse des Dépôts. Les champs marqués * sont
          obligatoires ; les autres pourront être complétés plus tard (la liste de contrôle du dossier les signale).
        </p>
        <div className="grid gap-x-4 md:grid-cols-2">
          <Field label="Nom de naissance *" errorId={fields.birthName.errorId} errors={fields.birthName.errors}>
            <input {...getInputProps(fields.birthName, { type: "text" })} autoComplete="off" className={inputClass} />
          </Field>
          <Field label="Nom d'usage" errorId={fields.usageName.errorId} errors={fields.usageName.errors}>
            <input {...getInputProps(fields.usageName, { type: "text" })} autoComplete="off" className={inputClass} />
          </Field>
          <Field
            label="Prénoms * (tous, dans l'ordre de l'état civil)"
            errorId={fields.givenNames.errorId}
            errors={fields.givenNames.errors}
          >
            <input {...getInputProps(fields.givenNames, { type: "text" })} autoComplete="off" className={inputClass} />
          </Field>
          <Field label="Date de naissance" errorId={fields.birthDate.errorId} errors={fields.birthDate.errors}>
            <input {...getInputProps(fields.birthDate, { type: "date" })} className={inputClass} />
          </Field>
        </div>
        {lastResult?.duplicate ? <DuplicateNotice duplicate={lastResult.duplicate} /> : null}
        <fieldset className="mt-1">
          <legend className="text-sm font-medium text-slate-800">Sexe</legend>
          <div className="mt-1 flex gap-6">
            {getCollectionProps(fields.sex, { type: "radio", options: ["F", "M"] }).map(({ key, ...props }) => (
              <label key={key} className="flex items-center gap-2 text-sm">
                <input {...props} />
                {props.value} — {SEX_LABELS[props.value as "F" | "M"]}
              </label>
            ))}
          </div>
          <p id={fields.sex.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
            {fields.sex.errors?.[0] ?? ""}
          </p>
        </fieldset>
      </fieldset>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-lg font-semibold">Lieu de naissance</legend>
        <p className="mb-3 text-sm text-slate-600">
          Né(e) en France : la commune et son département. Né(e) à l'étranger : le pays seulement.
        </p>
        <div className="grid gap-x-4 md:grid-cols-[2fr_1fr_2fr]">
          <Field label="Commune de naissance" errorId={fields.birthCommune.errorId} errors={fields.birthCommune.errors}>
            <input {...getInputProps(fields.birthCommune, { type: "text" })} className={inputClass} />
          </Field>
          <Field label="Département (ex. 69, 2A, 974)" errorId={fields.birthDepartment.errorId} errors={fields.birthDepartment.errors}>
            <input {...getInputProps(fields.birthDepartment, { type: "text" })} maxLength={3} className={inputClass} />
          </Field>
          <Field label="Pays de naissance (hors France)" errorId={fields.birthCountry.errorId} errors={fields.birthCountry.errors}>
            <input {...getInputProps(fields.birthCountry, { type: "text" })} className={inputClass} />
          </Field>
        </div>
        <Field
          label="Code INSEE de naissance (commune, ex. 69123 ; ou pays, ex. 99134) — requis pour la déclaration à la Caisse des Dépôts"
          errorId={fields.birthCode.errorId}
          errors={fields.birthCode.errors}
        >
          <input {...getInputProps(fields.birthCode, { type: "text" })} maxLength={5} className={`${inputClass} max-w-40`} />
        </Field>
      </fieldset>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-lg font-semibold">Contact et parcours</legend>
        <div className="grid gap-x-4 md:grid-cols-2">
          <Field label="Adresse e-mail" errorId={fields.email.errorId} errors={fields.email.errors}>
            <input {...getInputProps(fields.email, { type: "email" })} className={inputClass} />
          </Field>
          <Field label="Téléphone" errorId={fields.phone.errorId} errors={fields.phone.errors}>
            <input {...getInputProps(fields.phone, { type: "tel" })} className={inputClass} />
          </Field>
          <Field
            label="Adresse postale (voie, puis code postal et commune ; le pays si à l'étranger) — où poster la lettre de notification"
            errorId={fields.postalAddress.errorId}
            errors={fields.postalAddress.errors}
          >
            <textarea {...getTextareaProps(fields.postalAddress)} rows={4} autoComplete="street-address" className={inputClass} />
          </Field>
          <Field label="Employeur" errorId={fields.employer.errorId} errors={fields.employer.errors}>
            <input {...getInputProps(fields.employer, { type: "text" })} className={inputClass} />
          </Field>
          <Field label="Formateur (utilisateur de Quorum)" errorId={fields.trainerId.errorId} errors={fields.trainerId.errors}>
            <select {...getSelectProps(fields.trainerId)} className={inputClass}>
              <option value="">— Aucun ou hors Quorum —</option>
              {trainers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.displayName}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Organisme de formation ou formateur (texte libre)"
            errorId={fields.trainerName.errorId}
            errors={fields.trainerName.errors}
          >
            <input {...getInputProps(fields.trainerName, { type: "text" })} className={inputClass} />
          </Field>
        </div>
        <p className="text-sm text-slate-600">
          Le formateur d'un candidat ne peut ni l'évaluer (selon le référentiel) ni siéger à son jury.
        </p>
      </fieldset>

      <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
        {navigation.state === "submitting" ? "Enregistrement…" : submitLabel}
      </button>
    </Form>
  );
}
