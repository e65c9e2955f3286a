/** The page a reset link opens: a new password, once, within 30 minutes; then every session is closed. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { attempt } from "~/platform/app-error";
import { INVALID_INVITATION_LINK, INVALID_RESET_LINK, newPasswordSchema } from "~/platform/auth/password-policy";
import { passwordLinkState, resetPassword } from "~/platform/auth/reset-password.server";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Nouveau mot de passe — Quorum" }, { name: "referrer", content: "no-referrer" }];

const schema = z
  .object({ password: newPasswordSchema, confirm: z.string().optional() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Les deux mots de passe diffèrent." });

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await passwordLinkState(params.token ?? "");
  return { usable: link?.usable === true, invitation: link?.purpose === "INVITATION" };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 });
  const result = await attempt(async () => {
    await resetPassword({
      token: params.token ?? "",
      password: parsed.data.password,
      ip: context.clientIp,
      userAgent: request.headers.get("user-agent"),
    });
    return {};
  });
  if (!result.ok) return data({ error: result.formErrors[0] ?? INVALID_RESET_LINK }, { status: result.status });
  // Every session of the account was closed: their open grids and session rooms too (a stolen session stops here).
  await context.realtime.signInsEnded();
  return redirect("/login?motDePasse=change");
}

export default function ResetPassword() {
  const { usable, invitation } = useLoaderData<typeof loader>();
  const result = useFormResult<typeof action>();
  return (
    <section className="mx-auto mt-8 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-semibold text-brand-900">{invitation ? "Bienvenue sur Quorum" : "Nouveau mot de passe"}</h1>
      {invitation && usable ? (
        <p className="mt-2 text-sm text-slate-700">
          Choisissez le mot de passe de votre compte ; vous vous connecterez ensuite avec votre adresse e-mail.
        </p>
      ) : null}
      {usable ? (
        <Form method="post" className="mt-4 flex flex-col gap-2">
          {result?.error ? (
            <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800">
              {result.error}
            </p>
          ) : null}
          <Field label={`${invitation ? "Mot de passe" : "Nouveau mot de passe"} (12 caractères au moins)`} errorId="password-error">
            <input name="password" type="password" required minLength={12} autoComplete="new-password" className={inputClass} />
          </Field>
          <Field label="Confirmation" errorId="confirm-error">
            <input name="confirm" type="password" required autoComplete="new-password" className={inputClass} />
          </Field>
          <button type="submit" className={primaryButtonClass}>
            Enregistrer le mot de passe
          </button>
        </Form>
      ) : (
        <p role="alert" className="mt-4 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
          {invitation ? INVALID_INVITATION_LINK : INVALID_RESET_LINK}{" "}
          {invitation ? (
            <Link to="/login" className="underline">
              Se connecter
            </Link>
          ) : (
            <Link to="/mot-de-passe-oublie" className="underline">
              Demander un nouveau lien
            </Link>
          )}
        </p>
      )}
    </section>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
