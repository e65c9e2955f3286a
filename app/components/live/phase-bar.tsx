import { useSyncExternalStore } from "react";
import { useCommand } from "./use-command";
import type { SlotState } from "~/live/commission/slot-context.server";
import { formatClock, PHASE_LABELS, PHASES, phaseIndex, type Phase, type PhaseDurations } from "~/domain/commission";

type ActionData = { ok: boolean; error?: string; details?: string[] };

/** Phases of the candidate's passage with the server-timed clock; the president drives them. */
export function PhaseBar({
  state,
  durations,
  isPresident,
  actionUrl,
}: {
  state: SlotState;
  durations: PhaseDurations;
  isPresident: boolean;
  actionUrl: string;
}) {
  const fetcher = useCommand<ActionData>();
  const signing = useCommand<ActionData>();
  const phase = state.phase as Phase;
  const index = phaseIndex(phase);
  const remaining = useRemainingSeconds(state, durations[phase] * 60);
  const busy = fetcher.state !== "idle" || signing.state !== "idle";
  const setPhase = (to: Phase) => void fetcher.submit({ intent: "phase", to }, actionUrl);

  return (
    <section aria-labelledby="phase-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="phase-title" className="font-semibold">
          Déroulé du passage
        </h2>
        {state.gridStatus === "SIGNED" ? (
          // Signed by all: the passage is over, no clock runs on.
          <p className="text-sm font-medium text-emerald-800" data-testid="phase-timer">
            Passage terminé
          </p>
        ) : (
          <p
            className={`font-mono text-lg ${remaining < 0 ? "text-red-700" : "text-slate-800"}`}
            data-testid="phase-timer"
            suppressHydrationWarning
            aria-label={remaining < 0 ? `Dépassement de ${formatClock(-remaining)}` : `Temps restant ${formatClock(remaining)}`}
          >
            {formatClock(remaining)}
          </p>
        )}
      </div>
      <ol className="mt-3 flex flex-wrap gap-2 text-sm" data-testid="phases">
        {PHASES.map((p, i) => (
          <li
            key={p}
            aria-current={p === phase ? "step" : undefined}
            className={`rounded-full border px-3 py-1 ${
              p === phase
                ? "border-brand-600 bg-brand-600 text-white"
                : i < index
                  ? "border-slate-300 bg-slate-100 text-slate-700"
                  : "border-slate-200 text-slate-600"
            }`}
          >
            {i + 1}. {PHASE_LABELS[p]}
          </li>
        ))}
      </ol>
      {isPresident && state.gridStatus === "OPEN" ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {index > 0 ? (
            <button type="button" disabled={busy} onClick={() => setPhase(PHASES[index - 1])} className="rounded border border-slate-300 px-3 py-1 text-sm">
              Phase précédente
            </button>
          ) : null}
          {index < phaseIndex("EVALUATION") ? (
            <button type="button" disabled={busy} onClick={() => setPhase(PHASES[index + 1])} className="rounded bg-brand-600 px-3 py-1 text-sm text-white">
              Passer à « {PHASE_LABELS[PHASES[index + 1]]} »
            </button>
          ) : null}
          {state.phase !== "ACCUEIL" ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void signing.submit({ intent: "open-signing" }, actionUrl)}
              className="rounded bg-emerald-700 px-3 py-1 text-sm text-white"
            >
              Ouvrir la signature
            </button>
          ) : null}
        </div>
      ) : null}
      {[fetcher.data, signing.data].map((d, i) =>
        d && !d.ok ? (
          <div key={i} role="alert" className="mt-3 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            <p className="font-medium">{d.error}</p>
            {d.details?.length ? (
              <ul className="mt-1 list-disc pl-5" data-testid="missing-items">
                {d.details.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null,
      )}
    </section>
  );
}

/** Seconds left in the phase (negative in overtime), from the server's start stamp, ticking every second. */
function useRemainingSeconds(state: SlotState, durationSec: number): number {
  const now = useSyncExternalStore(subscribeClock, clockSeconds, () => null);
  if (!state.phaseStartedAt || now === null) return durationSec;
  return durationSec - Math.max(0, now - Math.floor(Date.parse(state.phaseStartedAt) / 1000));
}

function subscribeClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}
const clockSeconds = () => Math.floor(Date.now() / 1000);
