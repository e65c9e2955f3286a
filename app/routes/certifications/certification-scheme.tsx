import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { formErrorMap } from "~/domain/form-choice";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import type { InputHTMLAttributes, ReactNode } from "react";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { getCertification } from "~/back-office/certifications/get-certification.server";
import { updateScheme } from "~/back-office/certifications/update-scheme.server";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import {
  formatCompetenceNumbers,
  LEVEL_PRESET_LABELS,
  LEVEL_PRESETS,
  matchLevelPreset,
  parseCompetenceNumbers,
  type LevelPreset,
  type ScaleLevel,
} from "~/domain/scales";
import {
  BLOC_RULE_LABELS,
  CASTING_VOTE_LABELS,
  CASTING_VOTES,
  COMMENT_RULE_LABELS,
  COMMENT_RULES,
  DECISION_GRANULARITIES,
  DECISION_GRANULARITY_LABELS,
  MAJORITY_BASE_LABELS,
  MAJORITY_BASES,
  safeParseScheme,
  VOTE_MODE_LABELS,
  VOTE_MODES,
  type Scheme,
  type SchemeInput,
} from "~/domain/scheme";
import { Breadcrumb } from "~/components/breadcrumb";
import { FormErrors, sectionClass } from "../../components/certifications/certification-ui";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Règles d'évaluation — ${data.certification.title} — Quorum` : "Règles d'évaluation — Quorum" },
];

const SCALE_CHOICES = ["binary", "acquiredPartial", "acquiredInProgress", "custom", "marks", "percentage", "criteriaRatio"] as const;
type ScaleChoice = (typeof SCALE_CHOICES)[number];
const SCALE_CHOICE_LABELS: Record<ScaleChoice, string> = {
  ...LEVEL_PRESET_LABELS,
  custom: "Échelle de niveaux actuelle (personnalisée)",
  marks: "Notes (sur 20 par défaut), pondérées, avec seuils",
  percentage: "Pourcentage avec seuil de réussite",
  criteriaRatio: "Proportion de critères satisfaits (CléA)",
};
const BLOC_RULES = ["allCompetences", "minRatio", "weightedAverage"] as const;

const num = (what: string) => z.number({ invalid_type_error: `${what} : saisissez un nombre.` }).optional();
const flag = z.boolean().optional();

/**
 * The form, turned into a scheme and checked by the domain's rules (app/domain/scheme.ts): each problem comes back
 * at its field. `customLevels` are the stored levels when the certification uses a custom scale.
 */
function schemeFormSchema(customLevels: ScaleLevel[] | null) {
  return z
    .object({
      scale: z.enum(SCALE_CHOICES, { errorMap: () => ({ message: "Choisissez une échelle." }) }),
      marksMax: num("Note maximale"),
      marksStep: num("Pas"),
      marksPassMark: num("Seuil d'une compétence"),
      marksWeights: z.string().optional(),
      marksThresholds: z.string().optional(),
      percentagePassMark: num("Seuil de réussite"),
      percentageWeights: z.string().optional(),
      ratio: num("Proportion de critères"),
      mandatoryCriteria: flag,
      blocRule: z.enum(BLOC_RULES, { errorMap: () => ({ message: "Choisissez la règle de validation d'un bloc." }) }),
      blocRatio: num("Proportion de compétences"),
      blocPassMark: num("Seuil du bloc"),
      everyCompetenceMustPass: flag,
      finalPassMark: num("Moyenne finale"),
      partialAllowed: flag,
      commentRequired: z.enum(COMMENT_RULES, { errorMap: () => ({ message: "Choisissez quand un commentaire est obligatoire." }) }),
      partialValidity: z.enum(["years", "life"], { errorMap: () => ({ message: "Choisissez la durée de validité." }) }),
      partialValidityYears: num("Durée de validité"),
      companyOpinionRequired: flag,
      evaluatorMustNotBeTrainer: flag,
      vaeMinExperienceMonths: num("Expérience minimale"),
      juryMinPerCollege: z.number({ required_error: "Saisissez le minimum par collège.", invalid_type_error: "Saisissez un nombre." }),
      juryMinTotal: z.number({ required_error: "Saisissez le minimum total.", invalid_type_error: "Saisissez un nombre." }),
      juryEqualColleges: flag,
      juryProxiesAllowed: flag,
      juryProxiesMaxPerHolder: z.number({
        required_error: "Saisissez le nombre de procurations qu'un membre peut détenir.",
        invalid_type_error: "Saisissez un nombre.",
      }),
      juryCastingVote: z.enum(CASTING_VOTES, { errorMap: () => ({ message: "Choisissez qui a voix prépondérante." }) }),
      juryVoteModes: z.array(z.enum(VOTE_MODES, { errorMap: () => ({ message: "Mode de décision inconnu." }) })).optional(),
      juryDefaultVoteMode: z.enum(VOTE_MODES, { errorMap: () => ({ message: "Choisissez le mode de décision proposé." }) }),
      juryMajorityBase: z.enum(MAJORITY_BASES, { errorMap: () => ({ message: "Choisissez la base de la majorité." }) }),
      juryDecisionGranularity: z.enum(DECISION_GRANULARITIES, {
        errorMap: () => ({ message: "Choisissez si le jury décide bloc par bloc ou compétence par compétence." }),
      }),
      juryMembersSignDecision: flag,
      juryMembersSignMinutes: flag,
      juryCpneValidation: flag,
      juryAppealsAllowed: flag,
      juryAppealDeadlineDays: num("Délai de recours"),
      evaluatorPairRequired: flag,
      observersMayDownloadIdentity: flag,
    })
    .transform((form, ctx): SchemeInput => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: path === "" ? [] : [path], message });
      const required = (value: number | undefined, path: string, message: string) => {
        if (value === undefined) issue(path, message);
        return value ?? 0;
      };
      const numbers = (raw: string | undefined, path: string) => {
        const parsed = parseCompetenceNumbers(raw ?? "");
        if (parsed.errors.length) issue(path, parsed.errors.join(" "));
        return parsed.values;
      };

      let scale: SchemeInput["scale"];
      switch (form.scale) {
        case "marks":
          scale = {
            kind: "marks",
            max: required(form.marksMax, "marksMax", "Saisissez la note maximale (20 en général)."),
            step: required(form.marksStep, "marksStep", "Saisissez le pas des notes (0,5 par exemple)."),
            passMark: required(form.marksPassMark, "marksPassMark", "Saisissez la note à partir de laquelle une compétence est acquise."),
            weights: numbers(form.marksWeights, "marksWeights"),
            thresholds: numbers(form.marksThresholds, "marksThresholds"),
          };
          break;
        case "percentage":
          scale = {
            kind: "percentage",
            passMark: required(form.percentagePassMark, "percentagePassMark", "Saisissez le seuil de réussite (70 % par exemple)."),
            weights: numbers(form.percentageWeights, "percentageWeights"),
          };
          break;
        case "criteriaRatio":
          scale = {
            kind: "criteriaRatio",
            ratio: required(form.ratio, "ratio", "Saisissez la proportion de critères exigée (75 % par exemple)."),
            mandatoryCriteria: form.mandatoryCriteria ?? false,
          };
          break;
        case "custom":
          if (!customLevels) issue("scale", "Cette certification n'a pas d'échelle personnalisée : choisissez une échelle.");
          scale = { kind: "levels", levels: customLevels ?? LEVEL_PRESETS.acquiredPartial };
          break;
        default:
          scale = { kind: "levels", levels: LEVEL_PRESETS[form.scale] };
      }

      const bloc =
        form.blocRule === "minRatio"
          ? { rule: "minRatio" as const, ratio: required(form.blocRatio, "blocRatio", "Saisissez la proportion de compétences exigée.") }
          : form.blocRule === "weightedAverage"
            ? {
                rule: "weightedAverage" as const,
                passMark: required(form.blocPassMark, "blocPassMark", "Saisissez le seuil de la moyenne du bloc."),
                everyCompetenceMustPass: form.everyCompetenceMustPass ?? false,
              }
            : { rule: "allCompetences" as const };

      const scheme: SchemeInput = {
        scale,
        aggregation: { bloc, finalPassMark: form.finalPassMark ?? null, partialAllowed: form.partialAllowed ?? false },
        commentRequired: form.commentRequired,
        partialValidityYears:
          form.partialValidity === "life"
            ? null
            : required(form.partialValidityYears, "partialValidityYears", "Saisissez la durée de validité en années."),
        companyOpinionRequired: form.companyOpinionRequired ?? false,
        evaluatorMustNotBeTrainer: form.evaluatorMustNotBeTrainer ?? false,
        evaluatorPairRequired: form.evaluatorPairRequired ?? false,
        observersMayDownloadIdentity: form.observersMayDownloadIdentity ?? false,
        vaeMinExperienceMonths: form.vaeMinExperienceMonths ?? null,
        jury: {
          minPerCollege: form.juryMinPerCollege,
          minTotal: form.juryMinTotal,
          equalColleges: form.juryEqualColleges ?? false,
          proxiesAllowed: form.juryProxiesAllowed ?? false,
          proxiesMaxPerHolder: form.juryProxiesMaxPerHolder,
          castingVote: form.juryCastingVote,
          voteModes: form.juryVoteModes ?? [],
          defaultVoteMode: form.juryDefaultVoteMode,
          majorityBase: form.juryMajorityBase,
          decisionGranularity: form.juryDecisionGranularity,
          membersSignDecision: form.juryMembersSignDecision ?? false,
          membersSignMinutes: form.juryMembersSignMinutes ?? false,
          cpneValidation: form.juryCpneValidation ?? false,
          appealsAllowed: form.juryAppealsAllowed ?? false,
          appealDeadlineDays: form.juryAppealDeadlineDays ?? null,
        },
      };
      const checked = safeParseScheme(scheme);
      if (!checked.ok) {
        for (const i of checked.issues) issue(fieldOf(i.path, form.scale), i.message);
      }
      return scheme;
    });
}

/** The form field that shows a problem found at `path` of the scheme. */
function fieldOf(path: string, scale: ScaleChoice): string {
  const numeric = scale === "marks" ? "marks" : "percentage";
  if (path.startsWith("scale.thresholds")) return "marksThresholds";
  if (path.startsWith("scale.weights")) return `${numeric}Weights`;
  const map: Record<string, string> = {
    "scale.max": "marksMax",
    "scale.step": "marksStep",
    "scale.passMark": `${numeric}PassMark`,
    "scale.ratio": "ratio",
    "scale.levels": "scale",
    "scale.kind": "scale",
    "aggregation.bloc.rule": "blocRule",
    "aggregation.bloc.ratio": "blocRatio",
    "aggregation.bloc.passMark": "blocPassMark",
    "aggregation.finalPassMark": "finalPassMark",
    partialValidityYears: "partialValidityYears",
    vaeMinExperienceMonths: "vaeMinExperienceMonths",
    "jury.minPerCollege": "juryMinPerCollege",
    "jury.minTotal": "juryMinTotal",
    "jury.proxiesMaxPerHolder": "juryProxiesMaxPerHolder",
    "jury.voteModes": "juryVoteModes",
    "jury.defaultVoteMode": "juryDefaultVoteMode",
    "jury.appealDeadlineDays": "juryAppealDeadlineDays",
  };
  if (path.startsWith("jury.voteModes")) return "juryVoteModes";
  return map[path] ?? "";
}

function scaleChoice(scheme: Scheme): ScaleChoice {
  if (scheme.scale.kind !== "levels") return scheme.scale.kind;
  return matchLevelPreset(scheme.scale.levels) ?? "custom";
}

function formDefaults(scheme: Scheme): Record<string, string | boolean | string[]> {
  const s = scheme.scale;
  const bloc = scheme.aggregation.bloc;
  const str = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return {
    scale: scaleChoice(scheme),
    marksMax: s.kind === "marks" ? str(s.max) : "20",
    marksStep: s.kind === "marks" ? str(s.step) : "0.5",
    marksPassMark: s.kind === "marks" ? str(s.passMark) : "10",
    marksWeights: s.kind === "marks" ? formatCompetenceNumbers(s.weights) : "",
    marksThresholds: s.kind === "marks" ? formatCompetenceNumbers(s.thresholds) : "",
    percentagePassMark: s.kind === "percentage" ? str(s.passMark) : "70",
    percentageWeights: s.kind === "percentage" ? formatCompetenceNumbers(s.weights) : "",
    ratio: s.kind === "criteriaRatio" ? str(s.ratio) : "75",
    mandatoryCriteria: s.kind === "criteriaRatio" ? s.mandatoryCriteria : true,
    blocRule: bloc.rule,
    blocRatio: bloc.rule === "minRatio" ? str(bloc.ratio) : "",
    blocPassMark: bloc.rule === "weightedAverage" ? str(bloc.passMark) : "",
    everyCompetenceMustPass: bloc.rule === "weightedAverage" ? bloc.everyCompetenceMustPass : false,
    finalPassMark: str(scheme.aggregation.finalPassMark),
    partialAllowed: scheme.aggregation.partialAllowed,
    commentRequired: scheme.commentRequired,
    partialValidity: scheme.partialValidityYears === null ? "life" : "years",
    partialValidityYears: str(scheme.partialValidityYears ?? 5),
    companyOpinionRequired: scheme.companyOpinionRequired,
    evaluatorMustNotBeTrainer: scheme.evaluatorMustNotBeTrainer,
    vaeMinExperienceMonths: str(scheme.vaeMinExperienceMonths),
    juryMinPerCollege: str(scheme.jury.minPerCollege),
    juryMinTotal: str(scheme.jury.minTotal),
    juryEqualColleges: scheme.jury.equalColleges,
    juryProxiesAllowed: scheme.jury.proxiesAllowed,
    juryProxiesMaxPerHolder: str(scheme.jury.proxiesMaxPerHolder),
    juryCastingVote: scheme.jury.castingVote,
    juryVoteModes: [...scheme.jury.voteModes],
    juryDefaultVoteMode: scheme.jury.defaultVoteMode,
    juryMajorityBase: scheme.jury.majorityBase,
    juryDecisionGranularity: scheme.jury.decisionGranularity,
    juryMembersSignDecision: scheme.jury.membersSignDecision,
    juryMembersSignMinutes: scheme.jury.membersSignMinutes,
    juryCpneValidation: scheme.jury.cpneValidation,
    juryAppealsAllowed: scheme.jury.appealsAllowed,
    juryAppealDeadlineDays: str(scheme.jury.appealDeadlineDays),
    evaluatorPairRequired: scheme.evaluatorPairRequired,
    observersMayDownloadIdentity: scheme.observersMayDownloadIdentity,
  };
}

const customLevelsOf = (scheme: Scheme | null): ScaleLevel[] | null =>
  scheme && scheme.scale.kind === "levels" && !matchLevelPreset(scheme.scale.levels) ? scheme.scale.levels : null;

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certification = await getCertification(access.organisationId, args.params.certificationId ?? "");
  return {
    certification: { id: certification.id, code: certification.code, title: certification.title },
    defaults: certification.scheme ? formDefaults(certification.scheme) : null,
    customLevels: customLevelsOf(certification.scheme),
  };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certification = await getCertification(access.organisationId, args.params.certificationId ?? "");
  const submission = parseWithZod(await readForm(args.request), {
    schema: schemeFormSchema(customLevelsOf(certification.scheme)),
    errorMap: formErrorMap,
  });
  if (submission.status !== "success") return submission.reply();
  const result = await updateScheme(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    certification.id,
    submission.value,
  );
  if (!result.ok) {
    return submission.reply({
      formErrors: result.formErrors,
    });
  }
  return redirect(`/certifications/${certification.id}?regles=1`);
}

function Group({ legend, children, hint }: { legend: string; children: ReactNode; hint?: string }) {
  return (
    <fieldset className={sectionClass}>
      <legend className="px-1 text-lg font-semibold">{legend}</legend>
      {hint ? <p className="mb-3 text-sm text-slate-600">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

function Check({
  label,
  props,
  errors,
}: {
  label: string;
  props: InputHTMLAttributes<HTMLInputElement> & { key?: string };
  errors?: string[];
}) {
  const { key: _key, ...inputProps } = props;
  return (
    <div className="mb-2">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input {...inputProps} className="h-4 w-4" />
        {label}
      </label>
      {errors?.length ? <p className="text-sm text-red-700">{errors[0]}</p> : null}
    </div>
  );
}

export default function SchemePage() {
  const { certification, defaults, customLevels } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "scheme",
    lastResult,
    defaultValue: defaults ?? undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: schemeFormSchema(customLevels) }),
  });
  const scale = (fields.scale.value ?? defaults?.scale ?? "acquiredPartial") as ScaleChoice;
  const blocRule = fields.blocRule.value ?? "allCompetences";
  const partialValidity = fields.partialValidity.value ?? "years";
  const numeric = scale === "marks" || scale === "percentage";
  const base = `/certifications/${certification.id}`;

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb
          items={[
            { to: "/certifications", label: "Certifications" },
            { to: base, label: certification.code },
            { label: "Règles d'évaluation" },
          ]}
        />
        <h1 className="text-2xl font-semibold text-brand-900">Règles d'évaluation</h1>
        <p className="text-sm text-slate-600">
          {certification.title} — des réglages propres à cette certification, appliqués aux grilles, aux jurys et aux
          délivrances.
        </p>
      </div>
      <Form method="post" className="space-y-6" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />

        <Group legend="Échelle d'évaluation" hint="Le résultat saisi pour chaque compétence dans la grille.">
          <Field label="Échelle" errorId={fields.scale.errorId} errors={fields.scale.errors}>
            <select {...getSelectProps(fields.scale)} className={inputClass}>
              {SCALE_CHOICES.filter((c) => c !== "custom" || customLevels).map((c) => (
                <option key={c} value={c}>
                  {c === "custom" && customLevels ? `${SCALE_CHOICE_LABELS.custom} : ${customLevels.map((l) => l.label).join(" / ")}` : SCALE_CHOICE_LABELS[c]}
                </option>
              ))}
            </select>
          </Field>
          {scale in LEVEL_PRESETS ? (
            <p className="mb-2 text-sm text-slate-600">
              Niveau acquis : {LEVEL_PRESETS[scale as LevelPreset].filter((l) => l.positive).map((l) => l.label).join(", ")} ; les autres
              niveaux ne valident pas la compétence.
            </p>
          ) : null}
          {scale === "marks" ? (
            <div className="grid gap-x-4 md:grid-cols-3">
              <Field label="Note maximale" errorId={fields.marksMax.errorId} errors={fields.marksMax.errors}>
                <input {...getInputProps(fields.marksMax, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Field label="Pas des notes" errorId={fields.marksStep.errorId} errors={fields.marksStep.errors}>
                <input {...getInputProps(fields.marksStep, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Field
                label="Compétence acquise à partir de"
                errorId={fields.marksPassMark.errorId}
                errors={fields.marksPassMark.errors}
              >
                <input {...getInputProps(fields.marksPassMark, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Field
                label="Coefficients par compétence (ex. C1 = 2 ; C2 = 1)"
                errorId={fields.marksWeights.errorId}
                errors={fields.marksWeights.errors}
              >
                <input {...getInputProps(fields.marksWeights, { type: "text" })} className={inputClass} />
              </Field>
              <Field
                label="Seuils propres à une compétence (ex. C3 = 12)"
                errorId={fields.marksThresholds.errorId}
                errors={fields.marksThresholds.errors}
              >
                <input {...getInputProps(fields.marksThresholds, { type: "text" })} className={inputClass} />
              </Field>
            </div>
          ) : null}
          {scale === "percentage" ? (
            <div className="grid gap-x-4 md:grid-cols-2">
              <Field
                label="Compétence acquise à partir de (%)"
                errorId={fields.percentagePassMark.errorId}
                errors={fields.percentagePassMark.errors}
              >
                <input {...getInputProps(fields.percentagePassMark, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Field
                label="Coefficients par compétence (ex. C1 = 2)"
                errorId={fields.percentageWeights.errorId}
                errors={fields.percentageWeights.errors}
              >
                <input {...getInputProps(fields.percentageWeights, { type: "text" })} className={inputClass} />
              </Field>
            </div>
          ) : null}
          {scale === "criteriaRatio" ? (
            <div className="grid gap-x-4 md:grid-cols-2">
              <Field
                label="Part des critères à satisfaire (%)"
                errorId={fields.ratio.errorId}
                errors={fields.ratio.errors}
              >
                <input {...getInputProps(fields.ratio, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Check
                label="Les critères obligatoires doivent tous être satisfaits"
                props={getInputProps(fields.mandatoryCriteria, { type: "checkbox" })}
                errors={fields.mandatoryCriteria.errors}
              />
            </div>
          ) : null}
        </Group>

        <Group legend="Agrégation des résultats" hint="Comment les résultats des compétences donnent celui du bloc et la délivrance.">
          <Field label="Un bloc est acquis quand" errorId={fields.blocRule.errorId} errors={fields.blocRule.errors}>
            <select {...getSelectProps(fields.blocRule)} className={inputClass}>
              {BLOC_RULES.map((r) => (
                <option key={r} value={r}>
                  {BLOC_RULE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          {blocRule === "minRatio" ? (
            <Field
              label="Part des compétences du bloc à acquérir (%)"
              errorId={fields.blocRatio.errorId}
              errors={fields.blocRatio.errors}
            >
              <input {...getInputProps(fields.blocRatio, { type: "number" })} step="any" className={inputClass} />
            </Field>
          ) : null}
          {blocRule === "weightedAverage" ? (
            <div className="grid gap-x-4 md:grid-cols-2">
              <Field label="Moyenne du bloc exigée" errorId={fields.blocPassMark.errorId} errors={fields.blocPassMark.errors}>
                <input {...getInputProps(fields.blocPassMark, { type: "number" })} step="any" className={inputClass} />
              </Field>
              <Check
                label="Chaque compétence doit aussi atteindre son seuil"
                props={getInputProps(fields.everyCompetenceMustPass, { type: "checkbox" })}
              />
            </div>
          ) : null}
          {numeric ? (
            <Field
              label="Moyenne finale exigée pour la délivrance totale (facultatif)"
              errorId={fields.finalPassMark.errorId}
              errors={fields.finalPassMark.errors}
            >
              <input {...getInputProps(fields.finalPassMark, { type: "number" })} step="any" className={inputClass} />
            </Field>
          ) : null}
          <Check
            label="Validation partielle : les blocs acquis sont validés même si la certification ne l'est pas"
            props={getInputProps(fields.partialAllowed, { type: "checkbox" })}
          />
          <fieldset className="mt-2">
            <legend className="text-sm font-medium text-slate-800">Validité d'une validation partielle</legend>
            <div className="mt-1 flex flex-wrap items-center gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name={fields.partialValidity.name} value="years" defaultChecked={partialValidity === "years"} />
                Pendant un nombre d'années à compter de la décision
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name={fields.partialValidity.name} value="life" defaultChecked={partialValidity === "life"} />À vie
              </label>
            </div>
            <p id={fields.partialValidity.errorId} className="min-h-5 text-sm text-red-700">
              {fields.partialValidity.errors?.[0] ?? ""}
            </p>
          </fieldset>
          {partialValidity === "years" ? (
            <Field
              label="Durée de validité (années)"
              errorId={fields.partialValidityYears.errorId}
              errors={fields.partialValidityYears.errors}
            >
              <input {...getInputProps(fields.partialValidityYears, { type: "number" })} min={1} max={99} className={inputClass} />
            </Field>
          ) : null}
        </Group>

        <Group legend="Grille, dossier et VAE">
          <Field
            label="Commentaire dans la grille"
            errorId={fields.commentRequired.errorId}
            errors={fields.commentRequired.errors}
          >
            <select {...getSelectProps(fields.commentRequired)} className={inputClass}>
              {COMMENT_RULES.map((r) => (
                <option key={r} value={r}>
                  {COMMENT_RULE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Check
            label="Avis de l'entreprise obligatoire dans le dossier"
            props={getInputProps(fields.companyOpinionRequired, { type: "checkbox" })}
          />
          <Field
            label="VAE : expérience minimale en mois (vide : aucun minimum)"
            errorId={fields.vaeMinExperienceMonths.errorId}
            errors={fields.vaeMinExperienceMonths.errors}
          >
            <input {...getInputProps(fields.vaeMinExperienceMonths, { type: "number" })} min={0} className={inputClass} />
          </Field>
        </Group>

        <Group legend="Évaluateurs" hint="Qui évalue le candidat et ce que voient les observateurs.">
          <Check
            label="L'évaluateur ne peut pas être le formateur du candidat"
            props={getInputProps(fields.evaluatorMustNotBeTrainer, { type: "checkbox" })}
          />
          <Check
            label="Évaluation en binôme : un professionnel du secteur et un évaluateur externe"
            props={getInputProps(fields.evaluatorPairRequired, { type: "checkbox" })}
          />
          <Check
            label="Les observateurs peuvent télécharger la pièce d'identité du candidat"
            props={getInputProps(fields.observersMayDownloadIdentity, { type: "checkbox" })}
          />
        </Group>

        <Group
          legend="Jury paritaire"
          hint="Le quorum est vérifié en direct ; une délibération ne peut pas être close sans lui. Les membres représentés par procuration comptent dans le quorum."
        >
          <div className="grid gap-x-4 md:grid-cols-3">
            <Field
              label="Membres au moins par collège"
              errorId={fields.juryMinPerCollege.errorId}
              errors={fields.juryMinPerCollege.errors}
            >
              <input {...getInputProps(fields.juryMinPerCollege, { type: "number" })} min={0} className={inputClass} />
            </Field>
            <Field label="Membres au moins au total" errorId={fields.juryMinTotal.errorId} errors={fields.juryMinTotal.errors}>
              <input {...getInputProps(fields.juryMinTotal, { type: "number" })} min={1} className={inputClass} />
            </Field>
            <Field label="Voix prépondérante" errorId={fields.juryCastingVote.errorId} errors={fields.juryCastingVote.errors}>
              <select {...getSelectProps(fields.juryCastingVote)} className={inputClass}>
                {CASTING_VOTES.map((v) => (
                  <option key={v} value={v}>
                    {CASTING_VOTE_LABELS[v]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Check
            label="Parité exigée : autant de membres (présents ou représentés) dans chaque collège"
            props={getInputProps(fields.juryEqualColleges, { type: "checkbox" })}
          />
          <Check
            label="Procurations admises (membres représentés comptés dans le quorum)"
            props={getInputProps(fields.juryProxiesAllowed, { type: "checkbox" })}
          />
          <Field
            label="Procurations qu'un membre présent peut détenir"
            errorId={fields.juryProxiesMaxPerHolder.errorId}
            errors={fields.juryProxiesMaxPerHolder.errors}
          >
            <input {...getInputProps(fields.juryProxiesMaxPerHolder, { type: "number" })} min={1} max={10} className={inputClass} />
          </Field>
        </Group>

        <Group
          legend="Votes et décisions"
          hint="Les modes de décision parmi lesquels le président choisit en séance, et qui signe les fiches de décision et le procès-verbal."
        >
          <fieldset className="mb-2">
            <legend className="text-sm font-medium text-slate-800">Modes de décision admis</legend>
            <div className="mt-1 flex flex-wrap items-center gap-4 text-sm">
              {getCollectionProps(fields.juryVoteModes, { type: "checkbox", options: [...VOTE_MODES] }).map(({ key, ...props }) => (
                <label key={key} className="flex items-center gap-2">
                  <input {...props} className="h-4 w-4" />
                  {VOTE_MODE_LABELS[props.value as (typeof VOTE_MODES)[number]]}
                </label>
              ))}
            </div>
            <p id={fields.juryVoteModes.errorId} className="min-h-5 text-sm text-red-700">
              {fields.juryVoteModes.errors?.[0] ?? ""}
            </p>
          </fieldset>
          <div className="grid gap-x-4 md:grid-cols-3">
            <Field
              label="Mode proposé par défaut"
              errorId={fields.juryDefaultVoteMode.errorId}
              errors={fields.juryDefaultVoteMode.errors}
            >
              <select {...getSelectProps(fields.juryDefaultVoteMode)} className={inputClass}>
                {VOTE_MODES.map((m) => (
                  <option key={m} value={m}>
                    {VOTE_MODE_LABELS[m]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Majorité requise" errorId={fields.juryMajorityBase.errorId} errors={fields.juryMajorityBase.errors}>
              <select {...getSelectProps(fields.juryMajorityBase)} className={inputClass}>
                {MAJORITY_BASES.map((b) => (
                  <option key={b} value={b}>
                    {MAJORITY_BASE_LABELS[b]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Le jury décide"
              errorId={fields.juryDecisionGranularity.errorId}
              errors={fields.juryDecisionGranularity.errors}
            >
              <select {...getSelectProps(fields.juryDecisionGranularity)} className={inputClass}>
                {DECISION_GRANULARITIES.map((g) => (
                  <option key={g} value={g}>
                    {DECISION_GRANULARITY_LABELS[g]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Check
            label="Les membres signent aussi chaque fiche de décision (pas seulement le président)"
            props={getInputProps(fields.juryMembersSignDecision, { type: "checkbox" })}
          />
          <Check
            label="Les membres signent aussi le procès-verbal (pas seulement le président)"
            props={getInputProps(fields.juryMembersSignMinutes, { type: "checkbox" })}
          />
          <Check
            label="Le jury propose, la CPNE valide les décisions"
            props={getInputProps(fields.juryCpneValidation, { type: "checkbox" })}
          />
        </Group>

        <Group legend="Recours" hint="Le délai court à compter de la notification de la décision au candidat.">
          <Check
            label="Le candidat peut former un recours contre la décision"
            props={getInputProps(fields.juryAppealsAllowed, { type: "checkbox" })}
          />
          <Field
            label="Délai de recours en jours (vide : aucun délai fixé)"
            errorId={fields.juryAppealDeadlineDays.errorId}
            errors={fields.juryAppealDeadlineDays.errors}
          >
            <input {...getInputProps(fields.juryAppealDeadlineDays, { type: "number" })} min={1} max={365} className={inputClass} />
          </Field>
        </Group>

        <div className="flex items-center gap-4">
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Enregistrement…" : "Enregistrer les règles"}
          </button>
          <Link to={base} className="text-brand-700 underline">
            Annuler
          </Link>
        </div>
      </Form>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
