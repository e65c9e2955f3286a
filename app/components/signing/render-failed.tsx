/**
 * A signed or issued document whose PDF the render runner gave up on: said in French, with who can act, instead of
 * « PDF en préparation… » forever; for the organisation's secretariat or an administrator (`canRetry`, the server
 * checks again), the « Relancer la production du PDF » button (app/routes/sessions/retry-render.tsx).
 */
import { useEffect, useRef } from "react";
import { useCommand, type CommandAnswer } from "~/components/live/use-command";
import { renderFailedText, type RenderFailure } from "~/domain/render-failure";

type RetryAnswer = CommandAnswer & { message?: string; formErrors?: string[] };

export function RenderFailed({
  failure,
  kind,
  documentId,
  canRetry,
  onRetried,
  subject,
}: {
  failure: RenderFailure;
  kind: string;
  documentId: string;
  canRetry: boolean;
  /** For a page that reads its data itself (the jury room, a decision sheet): called after the server's answer. */
  onRetried?: () => void;
  /** What failed, as the sentence starts (renderFailedText's; « Le PDF » by default). */
  subject?: string;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="pdf-failed">
      <span role="status" className="text-red-700">
        {renderFailedText(failure, subject)}
      </span>
      {canRetry ? <RetryRenderButton kind={kind} documentId={documentId} onRetried={onRetried} /> : null}
    </span>
  );
}

/**
 * « Relancer la production du PDF », and the server's answer next to it; then the page's data is read again (its
 * loader's, or through `onRetried` for a page that reads its own).
 */
export function RetryRenderButton({ kind, documentId, onRetried }: { kind: string; documentId: string; onRetried?: () => void }) {
  const { state, data, onSubmit } = useCommand<RetryAnswer>({ revalidate: !onRetried });
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (state !== "idle" || !data || answered.current === data) return;
    answered.current = data;
    onRetried?.();
  }, [state, data, onRetried]);
  const answer = data ? (data.ok ? data.message : (data.formErrors?.join(" ") ?? data.error)) : null;
  return (
    <>
      <form method="post" action="/sessions/pdf/relancer" onSubmit={onSubmit} className="inline">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="documentId" value={documentId} />
        <button
          type="submit"
          disabled={state !== "idle"}
          className="rounded border border-brand-700 px-2 py-0.5 text-sm text-brand-700 hover:bg-brand-50 disabled:opacity-50"
        >
          Relancer la production du PDF
        </button>
      </form>
      {answer ? (
        <span role="status" className={data?.ok ? "text-slate-700" : "text-red-700"}>
          {answer}
        </span>
      ) : null}
    </>
  );
}
