/**
 * The certification identity form (create and edit): the mentions a parchemin must carry. Not a route: rendered
 * by routes/certification-new.tsx and routes/certification.tsx, which share this schema with the server.
 */
import { SubmissionKeyField } from "~/components/submission-key-field";
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { useNavigation } from "@remix-run/react";
import { Form } from "~/components/form";
import { z } from "zod";
import { parseIsoDay } from "~/domain/calendar";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import {
  CERTIFICATION_KIND_LABELS,
  CERTIFICATION_KINDS,
  certificationCodeError,
  EQF_LEVELS,
  NATIONAL_LEVELS,
  needsRegistrationCode,
  normaliseCertificationCode,
  parseNsfCodes,
  registrationCodeError,
} from "~/domain/certification";
import { printableText } from "~/domain/safe-text";
import { FormErrors } from "./certification-ui";

const text = (required: string, max: number, what: string) =>
  z
    .string({ required_error: required })
    .trim()
    .min(1, required)
    .max(max, `${what} : ${max} caractères au plus.`)
    .superRefine(printableText());

export const certificationFormSchema = z
  .object({
    kind: z.enum(CERTIFICATION_KINDS, { errorMap: () => ({ message: "Choisissez le type de certification." }) }),
    // The form of the code is checked here (so its error shows even while other fields are missing); what the
    // kind requires of it is checked below.
    code: z
      .string({ required_error: "Saisissez le code de la certification (ex. RNCP38544, RS5080)." })
      .transform(normaliseCertificationCode)
      .superRefine((code, ctx) => {
        const error = certificationCodeError("OTHER", code);
        if (error) ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
      }),
    // A branch certification's RNCP or RS registration (what its holders are declared under): editable at any time,
    // even once the code is frozen; kept only while the code is a branch number (an RNCP or RS code is its own).
    registrationCode: z
      .string()
      .optional()
      .transform((raw) => normaliseCertificationCode(raw ?? ""))
      .superRefine((code, ctx) => {
        const error = code === "" ? null : registrationCodeError(code);
        if (error) ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
      }),
    title: text("Saisissez l'intitulé exact, tel qu'il est enregistré.", 300, "Intitulé"),
    nationalLevel: z
      .number({ invalid_type_error: "Choisissez un niveau national de 3 à 8." })
      .int()
      .min(3, "Le niveau national va de 3 à 8.")
      .max(8, "Le niveau national va de 3 à 8.")
      .optional(),
    eqfLevel: z
      .number({ invalid_type_error: "Choisissez un niveau européen (CEC) de 1 à 8." })
      .int()
      .min(1, "Le niveau européen (CEC) va de 1 à 8.")
      .max(8, "Le niveau européen (CEC) va de 1 à 8.")
      .optional(),
    nsfCodes: z
      .string()
      .optional()
      .superRefine((raw, ctx) => {
        const errors = parseNsfCodes(raw ?? "").errors;
        if (errors.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: errors.join(" ") });
      }),
    decisionDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Date invalide : utilisez le format jj/mm/aaaa.")
      .optional(),
    certifierName: text("Saisissez la raison sociale de l'organisme certificateur.", 300, "Raison sociale"),
    certifierSignatory: text("Saisissez la personne habilitée à signer les parchemins.", 200, "Signataire"),
  })
  .superRefine((value, ctx) => {
    const codeError = certificationCodeError(value.kind, value.code);
    if (codeError) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["code"], message: codeError });
    if (value.nationalLevel && value.eqfLevel && value.nationalLevel !== value.eqfLevel) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["eqfLevel"],
        message: `Le niveau européen (CEC) correspond au niveau national : ${value.nationalLevel} attendu.`,
      });
    }
    if (value.decisionDate) {
      const date = parseIsoDay(value.decisionDate);
      if (!date) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["decisionDate"], message: "Date invalide." });
      } else if (date.getTime() > Date.now()) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["decisionDate"],
          message: "La décision de France Compétences ne peut pas être dans le futur.",
        });
      }
    }
  })
  .transform((value) => ({
    kind: value.kind,
    code: value.code,
    registrationCode: needsRegistrationCode(value.code) && value.registrationCode !== "" ? value.registrationCode : null,
    title: value.title,
    nationalLevel: value.nationalLevel ?? null,
    eqfLevel: value.eqfLevel ?? null,
    nsfCodes: parseNsfCodes(value.nsfCodes ?? "").codes,
    decisionDate: value.decisionDate ? new Date(`${value.decisionDate}T00:00:00Z`) : null,
    certifierName: value.certifierName,
    certifierSignatory: value.certifierSignatory,
  }));

export type CertificationFormDefaults = Partial<Record<string, string>>;

export function certificationDefaults(c: {
  kind: string;
  code: string;
  registrationCode: string | null;
  title: string;
  nationalLevel: number | null;
  eqfLevel: number | null;
  nsfCodes: string[];
  decisionDate: string | Date | null;
  certifierName: string | null;
  certifierSignatory: string | null;
}): CertificationFormDefaults {
  return {
    kind: c.kind,
    code: c.code,
    registrationCode: c.registrationCode ?? "",
    title: c.title,
    nationalLevel: c.nationalLevel?.toString() ?? "",
    eqfLevel: c.eqfLevel?.toString() ?? "",
    nsfCodes: c.nsfCodes.join(", "),
    decisionDate: c.decisionDate ? new Date(c.decisionDate).toISOString().slice(0, 10) : "",
    certifierName: c.certifierName ?? "",
    certifierSignatory: c.certifierSignatory ?? "",
  };
}

export function CertificationForm({
  lastResult,
  defaultValue,
  submitLabel,
  codeLocked,
  submissionKey,
}: {
  lastResult: SubmissionResult<string[]> | null | undefined;
  defaultValue?: CertificationFormDefaults;
  submitLabel: string;
  /** A creation form's submission key (sent twice, one certification is created). */
  submissionKey?: string;
  /** Why the code cannot change any more, if so. */
  codeLocked?: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "certification",
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: certificationFormSchema }),
  });
  // Asked for while the code is a branch number (as typed, else as saved): an RNCP or RS code is its own registration.
  const branchCode = needsRegistrationCode(normaliseCertificationCode(fields.code.value ?? defaultValue?.code ?? ""));
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "identity";

  return (
    <Form method="post" className="space-y-2" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="identity" />
      {submissionKey ? <SubmissionKeyField value={submissionKey} /> : null}
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-x-4 md:grid-cols-2">
        <Field label="Type de certification *" errorId={fields.kind.errorId} errors={fields.kind.errors}>
          <select {...getSelectProps(fields.kind)} className={inputClass}>
            <option value="">— Choisir —</option>
            {CERTIFICATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {CERTIFICATION_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={
            <>
              Code * <span className="font-normal text-slate-600">(RNCP…, RS… ou numéro de branche)</span>
            </>
          }
          errorId={fields.code.errorId}
          errors={fields.code.errors}
        >
          <input
            {...getInputProps(fields.code, { type: "text" })}
            readOnly={Boolean(codeLocked)}
            aria-describedby={codeLocked ? `${fields.code.errorId} code-locked` : fields.code.errorId}
            autoComplete="off"
            className={`${inputClass} read-only:bg-slate-50`}
          />
          {codeLocked ? (
            <span id="code-locked" className="mt-1 block text-xs font-normal text-slate-600">
              {codeLocked}
            </span>
          ) : null}
        </Field>
      </div>
      {branchCode ? (
        <Field
          label={
            <>
              Code d'enregistrement RNCP ou RS (France compétences){" "}
              <span className="font-normal text-slate-600">(ex. RNCP38544 — pour déclarer les titulaires à la Caisse des Dépôts)</span>
            </>
          }
          errorId={fields.registrationCode.errorId}
          errors={fields.registrationCode.errors}
        >
          <input {...getInputProps(fields.registrationCode, { type: "text" })} autoComplete="off" className={inputClass} />
        </Field>
      ) : null}
      <Field label="Intitulé exact enregistré *" errorId={fields.title.errorId} errors={fields.title.errors}>
        <input {...getInputProps(fields.title, { type: "text" })} className={inputClass} />
      </Field>
      <div className="grid gap-x-4 md:grid-cols-3">
        <Field label="Niveau national" errorId={fields.nationalLevel.errorId} errors={fields.nationalLevel.errors}>
          <select {...getSelectProps(fields.nationalLevel)} className={inputClass}>
            <option value="">— Sans niveau —</option>
            {NATIONAL_LEVELS.map((l) => (
              <option key={l} value={l}>
                Niveau {l}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Niveau européen (CEC)" errorId={fields.eqfLevel.errorId} errors={fields.eqfLevel.errors}>
          <select {...getSelectProps(fields.eqfLevel)} className={inputClass}>
            <option value="">— Sans niveau —</option>
            {EQF_LEVELS.map((l) => (
              <option key={l} value={l}>
                Niveau {l}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={
            <>
              Codes NSF <span className="font-normal text-slate-600">(séparés par des virgules, ex. 333t, 221)</span>
            </>
          }
          errorId={fields.nsfCodes.errorId}
          errors={fields.nsfCodes.errors}
        >
          <input {...getInputProps(fields.nsfCodes, { type: "text" })} autoComplete="off" className={inputClass} />
        </Field>
      </div>
      <div className="grid gap-x-4 md:grid-cols-3">
        <Field
          label="Date de la décision de France Compétences"
          errorId={fields.decisionDate.errorId}
          errors={fields.decisionDate.errors}
        >
          <input {...getInputProps(fields.decisionDate, { type: "date" })} className={inputClass} />
        </Field>
        <Field
          label="Organisme certificateur (raison sociale) *"
          errorId={fields.certifierName.errorId}
          errors={fields.certifierName.errors}
        >
          <input {...getInputProps(fields.certifierName, { type: "text" })} className={inputClass} />
        </Field>
        <Field
          label="Signataire des parchemins *"
          errorId={fields.certifierSignatory.errorId}
          errors={fields.certifierSignatory.errors}
        >
          <input {...getInputProps(fields.certifierSignatory, { type: "text" })} className={inputClass} />
        </Field>
      </div>
      <div>
        <button type="submit" className={primaryButtonClass} disabled={submitting}>
          {submitting ? "Enregistrement…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}
