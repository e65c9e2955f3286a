import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { requireAnonymous, safeRedirect } from "~/platform/auth/guards.server";
import { attemptLogin } from "~/platform/auth/login.server";
import { sessionCookie } from "~/platform/auth/session.server";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { isDemoInstalled } from "~/platform/demo.server";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Connexion — Quorum" }];

const loginSchema = z.object({
  email: z
    .string({ required_error: "Saisissez votre adresse e-mail." })
    .trim()
    .max(320, "Adresse e-mail trop longue.")
    .email("Adresse e-mail invalide."),
  password: z.string({ required_error: "Saisissez votre mot de passe." }).max(512, "Mot de passe trop long."),
  redirectTo: z.string().optional(),
});

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAnonymous({ context });
  return { demo: await isDemoInstalled() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous({ context });
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });

  const result = await attemptLogin({
    email: submission.value.email,
    password: submission.value.password,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok) {
    const reply = submission.reply({ formErrors: [result.error], hideFields: ["password"] });
    if (!result.busy) return reply;
    return data(reply, { status: 429 }); // the database could not take it in time: try again in a moment
  }

  return redirect(safeRedirect(submission.value.redirectTo), {
    headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt, context.secure) },
  });
}

export default function Login() {
  const { demo } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  });

  return (
    <div className="mx-auto mt-8 grid max-w-4xl gap-8 md:grid-cols-2">
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-2xl font-semibold text-brand-900">Connexion</h1>
        <p className="mt-1 text-sm text-slate-600">Commissions d'évaluation et jurys paritaires à distance.</p>
        <Form method="post" className="mt-6 flex flex-col gap-2" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
          {searchParams.get("motDePasse") === "change" ? (
            <p role="status" className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
              Mot de passe enregistré : connectez-vous avec le nouveau.
            </p>
          ) : null}
          {form.errors?.length ? (
            <div role="alert" id={form.errorId} className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800">
              {form.errors[0]}
            </div>
          ) : null}
          <Field label="Adresse e-mail" errorId={fields.email.errorId} errors={fields.email.errors}>
            <input
              {...getInputProps(fields.email, { type: "email" })}
              autoComplete="username"
              autoFocus
              className={inputClass}
            />
          </Field>
          <Field label="Mot de passe" errorId={fields.password.errorId} errors={fields.password.errors}>
            <input
              {...getInputProps(fields.password, { type: "password" })}
              autoComplete="current-password"
              className={inputClass}
            />
          </Field>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Connexion…" : "Se connecter"}
          </button>
          <Link to="/mot-de-passe-oublie" className="text-sm text-brand-700 underline">
            Mot de passe oublié ?
          </Link>
        </Form>
      </section>
      {demo ? (
        <section className="rounded-lg border border-amber-200 bg-amber-50 p-6 text-sm" aria-labelledby="demo-title">
          <h2 id="demo-title" className="text-lg font-semibold text-amber-900">
            Comptes de démonstration
          </h2>
          <p className="mt-1 text-amber-900">
            Mot de passe commun : <code className="rounded bg-white px-1">quorum-demo</code>
          </p>
          <ul className="mt-3 space-y-1">
            {DEMO_LIST.map(([email, label]) => (
              <li key={email}>
                <code className="rounded bg-white px-1">{email}</code> — {label}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

const DEMO_LIST = [
  ["admin@quorum.test", "administratrice"],
  ["secretariat@quorum.test", "secrétariat de la CPNEF"],
  ["president@quorum.test", "président de la commission et du jury (collège employeurs)"],
  ["membre1@quorum.test", "membre de la commission, vice-présidente du jury (collège salariés)"],
  ["membre2@quorum.test", "membre de la commission et du jury (collège salariés)"],
  ["membre3@quorum.test", "membre du jury (collège employeurs)"],
  ["observateur@quorum.test", "observatrice (lecture seule)"],
  ["evaluateur-expire@quorum.test", "évaluateur à l'habilitation expirée"],
] as const;

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
