/** « Mes sessions » : one's open sign-ins (device, address, last seen) with « Fermer », and the password change. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { Field, inputClass, primaryButtonClass } from "~/components/field";
import { attempt } from "~/platform/app-error";
import { changePassword } from "~/platform/auth/change-password.server";
import { requireUser } from "~/platform/auth/guards.server";
import { newPasswordSchema } from "~/platform/auth/password-policy";
import { listUserSessions, revokeOtherSessions, revokeUserSession } from "~/platform/auth/session.server";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { formatDayTime } from "~/components/format";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Mes sessions — Quorum" }];

const passwordSchema = z
  .object({
    currentPassword: z.string({ required_error: "Saisissez votre mot de passe actuel." }).max(512, "Mot de passe trop long."),
    password: newPasswordSchema,
    confirm: z.string().optional(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Les deux mots de passe diffèrent." });


/** « Firefox sur Linux » from a user agent, or the raw string shortened. */
function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "Appareil inconnu";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const system = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad/.test(userAgent)
        ? "iOS"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return browser && system ? `${browser} sur ${system}` : userAgent.slice(0, 60);
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const sessions = await listUserSessions(user.id, (await args.context.auth)?.id ?? "");
  return {
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.current,
      device: deviceOf(s.userAgent),
      ip: s.ip,
      createdAt: formatDayTime(s.createdAt),
      lastSeenAt: formatDayTime(s.lastSeenAt),
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "revoke") {
    const revoked = await revokeUserSession(user.id, String(form.get("id") ?? "").slice(0, 200), {
      ip: args.context.clientIp,
      userAgent: args.request.headers.get("user-agent"),
    });
    // The closed session's open grids and session rooms lose their connection (and their write access) now.
    if (revoked) await args.context.realtime.signInsEnded();
    return redirect(revoked ? "/mes-sessions?fermee=1" : "/mes-sessions");
  }
  if (intent === "revoke-others") {
    const closed = await revokeOtherSessions(user.id, (await args.context.auth)?.id ?? "", {
      ip: args.context.clientIp,
      userAgent: args.request.headers.get("user-agent"),
    });
    // Their open grids and session rooms lose their connection (and their write access) now.
    if (closed > 0) await args.context.realtime.signInsEnded();
    return redirect(`/mes-sessions?autres=fermees&fermees=${closed}`);
  }
  if (intent === "change-password") {
    const parsed = passwordSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return data({ field: String(issue.path[0] ?? ""), error: issue.message }, { status: 400 });
    }
    const currentSessionId = (await args.context.auth)?.id ?? "";
    const result = await attempt(() =>
      changePassword({
        userId: user.id,
        currentSessionId,
        currentPassword: parsed.data.currentPassword,
        newPassword: parsed.data.password,
        ip: args.context.clientIp,
        userAgent: args.request.headers.get("user-agent"),
      }),
    );
    if (!result.ok) {
      const [field, errors] = Object.entries(result.fieldErrors)[0] ?? ["", result.formErrors];
      return data({ field, error: errors[0] ?? "Refusé." }, { status: result.status });
    }
    if (result.sessionsClosed > 0) await args.context.realtime.signInsEnded();
    return redirect(`/mes-sessions?motDePasse=change&fermees=${result.sessionsClosed}`);
  }
  return data({ field: "", error: "Action inconnue." }, { status: 400 });
}

/** « 2 autres sessions fermées. », after « Fermer les autres sessions » or a password change. */
function closedMessage(closed: number): string {
  if (closed <= 0) return "Aucune autre session n'était ouverte.";
  const s = closed > 1 ? "s" : "";
  return `${closed} autre${s} session${s} fermée${s}.`;
}

export default function MySessions() {
  const { sessions } = useLoaderData<typeof loader>();
  const result = useFormResult<typeof action>();
  const [params] = useSearchParams();
  const closed = Number(params.get("fermees") ?? "0");
  const errorOf = (field: string) => (result?.field === field ? [result.error] : undefined);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold text-brand-900">Mes sessions</h1>
        <p className="mt-1 text-sm text-slate-600">
          Les connexions ouvertes à votre compte. Fermez celles que vous ne reconnaissez pas, puis changez votre mot de
          passe.
        </p>
        {params.get("fermee") ? (
          <p role="status" className="mt-3 rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
            La session a été fermée.
          </p>
        ) : null}
        {params.get("autres") === "fermees" ? (
          <p role="status" className="mt-3 rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
            {closedMessage(closed)}
          </p>
        ) : null}
        {/* On a phone the address and the opening date give way: the table fitted no 390 px screen (the page scrolled
            sideways, dates ran into each other). */}
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-slate-600">
                <th className="py-2">Appareil</th>
                <th className="hidden sm:table-cell">Adresse</th>
                <th className="hidden sm:table-cell">Ouverte le</th>
                <th>Dernière activité</th>
                <th>
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} className="border-b border-slate-100">
                  <td className="py-2">
                    {s.device}
                    {s.current ? <span className="ml-2 rounded bg-brand-50 px-1 text-xs text-brand-900">cette session</span> : null}
                  </td>
                  <td className="hidden sm:table-cell">{s.ip ?? "—"}</td>
                  <td className="hidden sm:table-cell">{s.createdAt}</td>
                  <td>{s.lastSeenAt}</td>
                  <td className="text-right">
                    {s.current ? null : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={s.id} />
                        <button type="submit" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
                          Fermer cette session
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {sessions.some((s) => !s.current) ? (
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="revoke-others" />
            <button type="submit" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
              Fermer les autres sessions
            </button>
          </Form>
        ) : null}
      </section>

      <section className="max-w-md rounded-lg border border-slate-200 bg-white p-6">
        <h2 className="text-lg font-semibold text-brand-900">Changer de mot de passe</h2>
        {params.get("motDePasse") === "change" ? (
          <p role="status" className="mt-3 rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
            Mot de passe changé.{" "}
            {closedMessage(closed)}
          </p>
        ) : null}
        {result && !result.field ? (
          <p role="alert" className="mt-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800">
            {result.error}
          </p>
        ) : null}
        <Form method="post" className="mt-4 flex flex-col gap-2">
          <input type="hidden" name="intent" value="change-password" />
          <Field label="Mot de passe actuel" errorId="current-error" errors={errorOf("currentPassword")}>
            <input name="currentPassword" type="password" required autoComplete="current-password" className={inputClass} />
          </Field>
          <Field label="Nouveau mot de passe (12 caractères au moins)" errorId="password-error" errors={errorOf("password")}>
            <input name="password" type="password" required minLength={12} autoComplete="new-password" className={inputClass} />
          </Field>
          <Field label="Confirmation" errorId="confirm-error" errors={errorOf("confirm")}>
            <input name="confirm" type="password" required autoComplete="new-password" className={inputClass} />
          </Field>
          <button type="submit" className={primaryButtonClass}>
            Changer le mot de passe
          </button>
        </Form>
        <p className="mt-2 text-sm text-slate-600">Vos autres sessions seront fermées.</p>
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
