/**
 * A signed or issued document whose PDF the render runner gave up on: said in French, with who can act, instead of
 * « PDF en préparation… » forever; for the organisation's secretariat or an administrator (`canRetry`, the server
 * checks again), the « Relancer la production du PDF » button (app/routes/sessions/retry-render.tsx).
 */
import { useCommand, type CommandAnswer } from "~/components/live/use-command";
import { renderFailedText, type RenderFailure } from "~/domain/render-failure";

type RetryAnswer = CommandAnswer & { message?: string; formErrors?: string[] };

export function RenderFailed({
  failure,
  kind,
  documentId,
  canRetry,
}: {
  failure: RenderFailure;
  kind: string;
  documentId: string;
  canRetry: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="pdf-failed">
      <span role="status" className="text-red-700">
        {renderFailedText(failure)}
      </span>
      {canRetry ? <RetryRenderButton kind={kind} documentId={documentId} /> : null}
    </span>
  );
}

/** « Relancer la production du PDF », and the server's answer next to it (the page's data is read again). */
export function RetryRenderButton({ kind, documentId }: { kind: string; documentId: string }) {
  const { state, data, onSubmit } = useCommand<RetryAnswer>();
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
