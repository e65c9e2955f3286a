/**
 * The procès-verbal of a session: the generated sections (read-only, refreshed on every session event while the
 * minutes are open), the co-edited remarks (Yjs document minutes:<sessionId>, same editor as the synthesis, with
 * cursors), and the signing controls: finalise (secretary or president), ask for a change (members, with a
 * reason: signatures voided visibly), sign (password + consent). The sealed PDF downloads once signed by all.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PAGE_UNREACHABLE, useRevalidateWhenReachable } from "~/components/use-revalidate-when-reachable";
import { useCommand } from "~/components/live/use-command";
import { useEffect, useRef, useState } from "react";
import { SynthesisEditor } from "~/components/live/synthesis-editor";
import { textSaveMessage, useTextDocument } from "~/components/live/use-text-document";
import { useBrowserOnline } from "~/components/live/use-grid-document";
import { closeOnPageHide, notePageLeft, sessionJoinPayload } from "~/components/live/page-socket";
import { requireUser } from "~/platform/auth/guards.server";
import { getMinutes } from "~/live/sessions/get-minutes.server";
import { formatDayTime } from "~/components/format";
import { MINUTES_REMARKS_MAX_LENGTH } from "~/domain/minutes";
import { RenderFailed } from "~/components/signing/render-failed";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Procès-verbal — ${data.minutes.session.title} — Quorum` : "Procès-verbal — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { user: { id: user.id, displayName: user.displayName }, minutes: await getMinutes(user.id, args.params.sessionId ?? "", args.context.realtime) };
}

const STATUS_LABELS = { OPEN: "En rédaction", SIGNING: "Finalisé, en signature", SIGNED: "Signé et scellé" } as const;


/**
 * Any event of the session (decision, vote, attendance, signing…) refreshes the generated sections, from a server that
 * answers (`useRevalidateWhenReachable`): true while the page could not be read again.
 */
function useSessionRefresh(sessionId: string): boolean {
  const { revalidate, unreachable } = useRevalidateWhenReachable();
  const pending = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    let cancelled = false;
    let close = () => {};
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      const socket = io({ path: "/socket.io", transports: ["websocket"] });
      socket.on("connect", () => socket.emit("session:join", sessionJoinPayload(sessionId), () => {}));
      socket.onAny((event: string) => {
        if (event === "presence") return;
        clearTimeout(pending.current);
        pending.current = setTimeout(revalidate, 300);
      });
      const unlisten = closeOnPageHide(socket, sessionId);
      close = () => {
        unlisten();
        notePageLeft(sessionId);
        socket.close();
      };
    });
    return () => {
      cancelled = true;
      clearTimeout(pending.current);
      close();
    };
  }, [sessionId, revalidate]);
  return unreachable;
}

function Refusal({ data }: { data: unknown }) {
  const result = data as { ok?: boolean; error?: string; details?: string[] } | undefined;
  if (!result || result.ok) return null;
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
      {result.error}
      {result.details?.length ? (
        <ul className="list-disc pl-5">
          {result.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export default function SessionMinutes() {
  const { user, minutes } = useLoaderData<typeof loader>();
  const { binding, denied, closed, saveState } = useTextDocument(minutes.documentName, user);
  const online = useBrowserOnline();
  const unreachable = useSessionRefresh(minutes.session.id);
  // Commands, not fetchers: a click while the network is down is answered under its button (« Pas de connexion… »)
  // instead of replacing the page — and the remarks being typed with it — by the route's error page.
  const finalise = useCommand();
  const sign = useCommand();
  // The minutes' round a signature was sent for: its refusal is not said again under the form of a later round.
  const [signRound, setSignRound] = useState<number | null>(null);
  const change = useCommand<{ ok: boolean; error?: string; details?: string[]; fieldErrors?: Record<string, string[]> }>();
  // Said for the round it was sent in only, as the signature's refusal: not under the form of a later round.
  const [changeRound, setChangeRound] = useState<number | null>(null);
  const changeReasonError = changeRound === minutes.round && change.data && !change.data.ok ? change.data.fieldErrors?.reason?.[0] : undefined;
  const busy = finalise.state !== "idle" || sign.state !== "idle" || change.state !== "idle";
  const { viewer } = minutes;
  // Finalised (in signature) or signed: the content is sealed (get-minutes.server.ts reads it from the seal).
  const sealed = minutes.status !== "OPEN";
  // Said under the live remarks only: once sealed, the page shows what was signed, not a live text.
  const saveMessage = sealed ? null : textSaveMessage(saveState, online, viewer.canWrite && !closed);
  const commandUrl = `/sessions/${minutes.session.id}/proces-verbal/commande`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <Link to={`/sessions/${minutes.session.id}`} className="underline">
            {minutes.session.title}
          </Link>{" "}
          / Procès-verbal
        </p>
        <h1 className="text-2xl font-semibold text-brand-900">{minutes.content.generated.title}</h1>
        <p data-testid="minutes-status" className="text-slate-700">
          État : {STATUS_LABELS[minutes.status]}
          {minutes.round > 0 ? ` (version ${minutes.round + 1})` : ""}
        </p>
        {unreachable ? (
          <p role="status" className="rounded bg-amber-100 px-3 py-2 text-sm text-amber-900" data-testid="page-unreachable">
            {PAGE_UNREACHABLE}
          </p>
        ) : null}
        {minutes.status === "SIGNED" ? (
          minutes.pdf ? (
            <p>
              <a href={`/sessions/${minutes.session.id}/proces-verbal.pdf`} className="underline" download>
                Télécharger le procès-verbal scellé (PDF)
              </a>{" "}
              <span className="break-all font-mono text-xs text-slate-600">SHA-256 {minutes.pdf.sha256}</span>
            </p>
          ) : minutes.pdfFailure ? (
            <div>
              <RenderFailed failure={minutes.pdfFailure} kind="minutes" documentId={minutes.session.id} canRetry={minutes.viewer.manages} />
            </div>
          ) : (
            <p>PDF en préparation…</p>
          )
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="generated-heading" className="min-w-0 space-y-3 [overflow-wrap:anywhere]">
          <h2 id="generated-heading" className="text-lg font-semibold">
            Contenu généré{minutes.status === "OPEN" ? " (mis à jour au fil de la séance)" : " (scellé)"}
          </h2>
          {minutes.content.generated.sections.map((section) => (
            <div key={section.key} className="rounded border border-slate-200 bg-white p-3">
              <h3 className="font-semibold">{section.heading}</h3>
              {section.paragraphs.map((p, i) => (
                <p key={i} className="text-sm text-slate-800">
                  {p}
                </p>
              ))}
            </div>
          ))}
        </section>
        <section aria-labelledby="remarks-heading" className="min-w-0 space-y-3 [overflow-wrap:anywhere]">
          <h2 id="remarks-heading" className="text-lg font-semibold">
            Observations de la séance
          </h2>
          {sealed ? (
            <>
              {/* Once sealed, what was signed: the sealed remarks, not the live document (which may have moved on). */}
              <p className="text-sm text-slate-600">Telles que scellées dans le procès-verbal.</p>
              <div data-testid="minutes-remarks" className="whitespace-pre-wrap rounded border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800">
                {minutes.content.remarks.trim() || "Aucune observation."}
              </div>
            </>
          ) : (
            <>
              <p className="text-sm text-slate-600">
                {viewer.canWrite
                  ? "Rédigées par le ou la secrétaire de séance et le président ; les autres membres les lisent en direct."
                  : "Lecture seule."}
              </p>
              <SynthesisEditor
                binding={binding}
                readOnly={!viewer.canWrite || closed}
                labelId="remarks-heading"
                field="remarks"
                maxLength={MINUTES_REMARKS_MAX_LENGTH}
                testId="minutes-remarks"
                placeholderText={viewer.canWrite ? "Observations, déroulement, remarques du jury…" : "Aucune observation pour l'instant."}
              />
            </>
          )}
          {saveMessage ? (
            <p role="status" className="text-sm text-amber-800" data-testid="remarks-save-state">
              {saveMessage}
            </p>
          ) : null}
          {denied ? (
            <p role="alert" className="text-sm text-red-700" data-testid="remarks-denied">
              {denied}
            </p>
          ) : null}

          <h2 className="text-lg font-semibold">Signatures</h2>
          <ul className="text-sm">
            {minutes.signers.map((s) => (
              <li key={s.userId}>
                {s.displayName} — {s.roleLabel} : {s.signed ? "signé" : s.prevented ? "empêchement constaté (ne signe pas)" : "à signer"}
                {s.replacedBy?.signedWords ? ` — ${s.replacedBy.signedWords}` : s.replacedBy ? ` — ${s.replacedBy.displayName} signe à sa place` : null}
              </li>
            ))}
            {minutes.replacements.map((r) => (
              <li key={r.key} data-testid="replacement-signer">
                {r.displayName} — {r.roleLabel} : {r.words}
              </li>
            ))}
          </ul>
          {minutes.signatures.some((s) => s.voidedAt) ? (
            <div className="text-sm">
              <h3 className="font-semibold">Signatures annulées</h3>
              <ul>
                {minutes.signatures
                  .filter((s) => s.voidedAt)
                  .map((s) => (
                    <li key={`${s.name}-${s.round}`} data-testid="voided-signature">
                      {s.name}, signé le {formatDayTime(s.signedAt)} — annulée le {formatDayTime(s.voidedAt!)}
                    </li>
                  ))}
              </ul>
            </div>
          ) : null}
          {minutes.changeRequests.length > 0 ? (
            <div className="text-sm">
              <h3 className="font-semibold">Modifications demandées</h3>
              <ul>
                {minutes.changeRequests.map((r) => (
                  <li key={r.at}>
                    {formatDayTime(r.at)} — {r.by} : {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          {viewer.canFinalise ? (
            <form method="post" action={commandUrl} onSubmit={finalise.onSubmit} className="space-y-2">
              <input type="hidden" name="intent" value="finalise" />
              <Refusal data={finalise.data} />
              <button type="submit" disabled={busy} className="rounded bg-brand-700 px-3 py-1.5 text-white">
                Finaliser le procès-verbal
              </button>
            </form>
          ) : viewer.finaliseRefusal ? (
            <p data-testid="minutes-finalise-refusal" className="rounded border border-slate-200 bg-slate-50 p-2 text-sm text-slate-700">
              {viewer.finaliseRefusal}
            </p>
          ) : null}
          {minutes.status === "SIGNING" && viewer.isSigner && !viewer.hasSigned && !viewer.isPrevented ? (
            <form
              method="post"
              action={commandUrl}
              onSubmit={(event) => {
                setSignRound(minutes.round);
                sign.onSubmit(event);
              }}
              className="space-y-2 rounded border border-slate-200 p-3"
            >
              <input type="hidden" name="intent" value="sign" />
              <input type="hidden" name="contentHash" value={minutes.sealedHash ?? ""} />
              {signRound === minutes.round ? <Refusal data={sign.data} /> : null}
              <label className="block text-sm">
                Mot de passe
                <input type="password" name="password" autoComplete="current-password" required className="block rounded border px-2 py-1" />
              </label>
              <label className="block text-sm">
                <input type="checkbox" name="consent" /> Je signe ce procès-verbal tel qu'il est scellé (empreinte{" "}
                {minutes.sealedHash?.slice(0, 16)}…)
                {viewer.signsFor.length > 0 ? `, en qualité de vice-président(e), pour le président ${viewer.signsFor.join(", ")} empêché` : ""}.
              </label>
              <button type="submit" disabled={busy} className="rounded bg-brand-700 px-3 py-1.5 text-white">
                Signer le procès-verbal
              </button>
            </form>
          ) : null}
          {minutes.status === "OPEN" ? (
            // A signature refused because the minutes were reopened meanwhile (a member asked a change as the signer
            // clicked): its form is gone with the reopening, the refusal stays said here.
            <Refusal data={sign.data} />
          ) : null}
          {viewer.canRequestChange ? (
            // Checked by the server only (no `required`): an empty request got the browser's bubble, in the browser's
            // language, instead of the French error at the field every form of Quorum gives.
            <form
              method="post"
              action={commandUrl}
              onSubmit={(event) => {
                setChangeRound(minutes.round);
                change.onSubmit(event);
              }}
              noValidate
              className="space-y-2 rounded border border-slate-200 p-3"
            >
              <input type="hidden" name="intent" value="request-change" />
              {changeRound === minutes.round && !changeReasonError ? <Refusal data={change.data} /> : null}
              <label className="block text-sm">
                Modification demandée
                <textarea
                  name="reason"
                  maxLength={500}
                  className="block w-full rounded border px-2 py-1 aria-[invalid=true]:border-red-500"
                  aria-invalid={changeReasonError ? true : undefined}
                  aria-describedby="change-reason-error"
                />
              </label>
              <p id="change-reason-error" className="text-sm text-red-700" aria-live="polite" data-testid="change-reason-error">
                {changeReasonError ?? ""}
              </p>
              <p className="text-xs text-slate-600">Le procès-verbal sera rouvert et les signatures déjà données annulées.</p>
              <button type="submit" disabled={busy} className="rounded border border-slate-400 px-3 py-1.5">
                Demander une modification
              </button>
            </form>
          ) : null}
        </section>
      </div>
    </div>
  );
}
