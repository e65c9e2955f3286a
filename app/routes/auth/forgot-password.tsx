/** « Mot de passe oublié » : asks for the address; the answer never says whether an account exists. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { requireAnonymous } from "~/platform/auth/guards.server";
import { RESET_REQUESTED_MESSAGE } from "~/platform/auth/password-policy";
import { requestPasswordReset } from "~/platform/auth/request-password-reset.server";
import { refusalOf } from "~/platform/app-error";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Quorum" }];

const schema = z.object({
  email: z.string({ required_error: "Saisissez votre adresse e-mail." }).trim().max(320, "Adresse e-mail trop longue.").email("Adresse e-mail invalide."),
});

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAnonymous({ context });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous({ context });
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: parsed.error.issues[0].message, done: false }, { status: 400 });
  try {
    await requestPasswordReset({ email: parsed.data.email, ip: context.clientIp, userAgent: request.headers.get("user-agent") });
  } catch (error) {
    const refusal = refusalOf(error);
    return data({ error: refusal.formErrors[0], done: false }, { status: refusal.status });
  }
  return { error: null, done: true };
}

export default function ForgotPassword() {
  const result = useFormResult<typeof action>();
  const navigation = useNavigation();
  return (
    <section className="mx-auto mt-8 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-semibold text-brand-900">Mot de passe oublié</h1>
      {result?.done ? (
        <p role="status" className="mt-4 rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
          {RESET_REQUESTED_MESSAGE}
        </p>
      ) : (
        <Form method="post" className="mt-4 flex flex-col gap-2">
          <p className="text-sm text-slate-600">
            Saisissez l'adresse de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.
          </p>
          <Field label="Adresse e-mail" errorId="email-error" errors={result?.error ? [result.error] : undefined}>
            <input name="email" type="email" required autoComplete="username" className={inputClass} aria-describedby="email-error" />
          </Field>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            Recevoir un lien
          </button>
        </Form>
      )}
      <p className="mt-4 text-sm">
        <Link to="/login" className="text-brand-700 underline">
          Revenir à la connexion
        </Link>
      </p>
    </section>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
