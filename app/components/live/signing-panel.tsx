import { useId } from "react";
import type { SlotState } from "~/live/commission/slot-context.server";
import { formatDateTime } from "../format";
import { useCommand } from "./use-command";
import { renderFailedText } from "~/domain/render-failure";

type ActionData = { ok: boolean; error?: string; details?: string[] };

/**
 * Signing of the sealed grid: who signed and when, the content hash, the member's own signature (password and
 * explicit consent), the president's « rouvrir », and the PDF once everyone has signed.
 */
export function SigningPanel({
  state,
  signers,
  me,
  isPresident,
  actionUrl,
  pdfUrl,
  reopenRefusal = null,
  signRefusal = null,
}: {
  state: SlotState;
  signers: Array<{ userId: string; displayName: string; signingBarred?: boolean }>;
  me: string;
  isPresident: boolean;
  actionUrl: string;
  pdfUrl: string;
  /** Why the grid may no longer be reopened (closed commission, jury decided: `gridReopenRefusal`), said instead of the form. */
  reopenRefusal?: string | null;
  /** Why this signer may not sign (his trainer, a conflict declared before a jury: `gridSigningRefusal`), said instead of the form. */
  signRefusal?: string | null;
}) {
  const sign = useCommand<ActionData>();
  const reopen = useCommand<ActionData>();
  const id = useId();
  const signedBy = new Map(state.signatures.map((s) => [s.userId, s.signedAt]));
  const iSign = signers.some((s) => s.userId === me);
  const iSigned = signedBy.has(me);
  // Members recorded as prevented from signing (decision 0028): not awaited; older states may lack the list.
  const prevented = new Set(state.unavailable ?? []);

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-emerald-200 bg-white p-4" data-testid="signing">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {state.gridStatus === "SIGNED" ? (prevented.size > 0 ? "Grille signée (empêchement constaté)" : "Grille signée par tous") : "Signature de la grille"}
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        La grille est scellée : plus aucune modification n'est possible. Empreinte SHA-256 du contenu :
      </p>
      <p className="break-all font-mono text-xs text-slate-800" data-testid="sealed-hash">
        {state.sealedHash}
      </p>
      {state.voidedCount > 0 ? (
        <p className="mt-2 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900" role="status">
          {state.voidedCount} signature(s) annulée(s) lors d'une réouverture de la grille.
        </p>
      ) : null}
      <ul className="mt-3 space-y-1 text-sm" data-testid="signers">
        {signers.map((s) => (
          <li key={s.userId} className="flex items-center gap-2">
            {/* Marks of the text font (an emoji needs a colour font the browser may not have). */}
            <span aria-hidden className={signedBy.has(s.userId) ? "font-bold text-emerald-700" : "text-slate-500"}>
              {signedBy.has(s.userId) ? "✓" : prevented.has(s.userId) ? "–" : "○"}
            </span>
            {s.displayName} —{" "}
            {signedBy.has(s.userId)
              ? `signé le ${formatDateTime(signedBy.get(s.userId)!)}`
              : prevented.has(s.userId)
                ? "empêchement constaté par l'organisme (ne signe pas)"
                : s.signingBarred && state.gridStatus === "SIGNING"
                  ? (
                      <span data-testid="signer-barred">
                        ne peut pas signer : l'organisme doit constater son empêchement de signer (page{" "}
                        <a href="/membres" className="text-brand-700 underline">
                          Membres
                        </a>
                        , de l'administration de l'organisme)
                      </span>
                    )
                  : "en attente de signature"}
          </li>
        ))}
      </ul>

      {state.gridStatus === "SIGNING" && iSign && !iSigned && !prevented.has(me) && signRefusal ? (
        <p className="mt-4 text-sm text-slate-700" data-testid="sign-refused">
          {signRefusal}
        </p>
      ) : null}

      {state.gridStatus === "SIGNING" && iSign && !iSigned && !prevented.has(me) && !signRefusal ? (
        <form method="post" action={actionUrl} onSubmit={sign.onSubmit} className="mt-4 space-y-2 rounded border border-slate-200 p-3">
          <input type="hidden" name="intent" value="sign" />
          {/* The hash shown above: the server refuses the signature if the grid was sealed again since. */}
          <input type="hidden" name="contentHash" value={state.sealedHash ?? ""} />
          <label className="block text-sm font-medium">
            Mot de passe (confirmation de votre identité)
            <input
              type="password"
              name="password"
              required
              autoComplete="current-password"
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="consent" value="on" className="mt-1" />
            <span>
              Je signe électroniquement cette grille d'évaluation, dont le contenu scellé a l'empreinte ci-dessus, et
              j'atteste son exactitude.
            </span>
          </label>
          <button type="submit" disabled={sign.state !== "idle"} className="rounded bg-emerald-700 px-4 py-2 text-white disabled:opacity-60">
            {sign.state !== "idle" ? "Signature…" : "Signer la grille"}
          </button>
          {sign.data && !sign.data.ok ? (
            <p role="alert" className="text-sm text-red-700">
              {sign.data.error}
            </p>
          ) : null}
        </form>
      ) : null}

      {state.gridStatus === "SIGNING" && isPresident && reopenRefusal ? (
        <p className="mt-4 text-sm text-slate-700" data-testid="reopen-refused">
          {reopenRefusal}
        </p>
      ) : null}

      {state.gridStatus === "SIGNING" && isPresident && !reopenRefusal ? (
        <form method="post" action={actionUrl} onSubmit={reopen.onSubmit} className="mt-4 space-y-2">
          <input type="hidden" name="intent" value="reopen" />
          <label className="block text-sm">
            Motif de réouverture
            <input name="reason" defaultValue="Correction de la grille" required minLength={3} maxLength={500} className="mt-1 w-full rounded border border-slate-300 px-2 py-1" />
          </label>
          <button type="submit" disabled={reopen.state !== "idle"} className="rounded border border-amber-600 px-3 py-1 text-sm text-amber-800">
            Rouvrir la grille (annule les signatures déjà données)
          </button>
          {reopen.data && !reopen.data.ok ? (
            <p role="alert" className="text-sm text-red-700">
              {reopen.data.error}
            </p>
          ) : null}
        </form>
      ) : null}

      {state.gridStatus === "SIGNED" ? (
        <p className="mt-4" aria-live="polite" data-testid="signed-pdf">
          {state.pdfSha256 ? (
            <a href={pdfUrl} className="rounded bg-brand-600 px-4 py-2 text-white" download>
              Télécharger la grille signée (PDF)
            </a>
          ) : state.pdfFailure ? (
            <span role="status" className="text-sm text-red-700" data-testid="pdf-failed">
              {renderFailedText(state.pdfFailure)}
            </span>
          ) : (
            <span className="text-sm text-slate-700">PDF en préparation…</span>
          )}
        </p>
      ) : null}
    </section>
  );
}
