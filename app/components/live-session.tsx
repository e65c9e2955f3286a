import { useId } from "react";
import type { Scheme } from "~/domain/scheme";
import { isCommentRequired } from "~/domain/scheme";
import { useGridDocument, colorFor, type Peer } from "./live/use-grid-document";
import { useSessionPresence } from "./live/use-session-presence";

type Referential = {
  certification: { title: string; code: string; scheme: Scheme };
  blocs: Array<{
    id: string;
    code: string;
    title: string;
    competences: Array<{
      id: string;
      code: string;
      statement: string;
      conditions: string | null;
      criteria: Array<{ id: string; statement: string }>;
    }>;
  }>;
};

export function LiveSession({
  sessionId,
  user,
  documentName,
  canEdit,
  candidate,
  referential,
}: {
  sessionId: string;
  user: { id: string; displayName: string };
  documentName: string | null;
  canEdit: boolean;
  candidate: string | null;
  referential: Referential | null;
}) {
  const presence = useSessionPresence(sessionId);
  const grid = useGridDocument(documentName, user);

  return (
    <div className="space-y-4">
      <section aria-labelledby="presence-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-center justify-between">
          <h2 id="presence-title" className="font-semibold">
            Connectés
          </h2>
          <span className="text-xs text-slate-500" data-testid="presence-status">
            {presence.status === "connected" ? "en direct" : presence.status === "refused" ? "refusé" : "connexion…"}
          </span>
        </div>
        {presence.error ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {presence.error}
          </p>
        ) : null}
        <ul className="mt-2 flex flex-wrap gap-2" data-testid="presence">
          {presence.members.map((m) => (
            <li
              key={m.userId}
              className="flex items-center gap-2 rounded-full border border-slate-200 px-3 py-1 text-sm"
              data-user={m.displayName}
            >
              <span
                aria-hidden
                className="h-2.5 w-2.5 rounded-full"
                style={{ background: m.idle ? "#cbd5e1" : colorFor(m.userId) }}
              />
              {m.displayName}
              {m.userId === user.id ? " (vous)" : ""}
              {m.devices > 1 ? <span className="text-xs text-slate-500">· {m.devices} appareils</span> : null}
              {m.idle ? <span className="text-xs text-slate-500">· inactif</span> : null}
            </li>
          ))}
        </ul>
      </section>

      {!documentName || !referential ? (
        <p className="rounded border border-slate-200 bg-white p-4 text-slate-700">
          Aucune grille à afficher : la session n'a pas de candidat ou de référentiel.
        </p>
      ) : (
        <section aria-labelledby="grid-title" className="rounded-lg border border-slate-200 bg-white">
          <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 p-4">
            <div>
              <h2 id="grid-title" className="text-lg font-semibold">
                Grille d'évaluation — {candidate}
              </h2>
              <p className="text-sm text-slate-600">
                {referential.certification.title} ({referential.certification.code})
              </p>
            </div>
            <div className="flex items-center gap-3 text-sm">
              {!canEdit ? (
                <span className="rounded bg-slate-100 px-2 py-1 text-slate-700" data-testid="read-only">
                  Lecture seule
                </span>
              ) : null}
              <span data-testid="save-state" aria-live="polite" className="text-slate-600">
                {grid.connection !== "connected"
                  ? "Connexion…"
                  : !grid.synced
                    ? "Chargement…"
                    : grid.saveState === "saving"
                      ? "Enregistrement…"
                      : grid.saveState === "offline"
                        ? "Hors ligne : modifications en attente"
                        : "Enregistré"}
              </span>
            </div>
          </header>
          {grid.denied ? (
            <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
              {grid.denied}
            </p>
          ) : null}
          {referential.blocs.map((bloc) => (
            <div key={bloc.id}>
              <h3 className="bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-700">
                {bloc.code} — {bloc.title}
              </h3>
              <ul className="divide-y divide-slate-100">
                {bloc.competences.map((c) => (
                  <CompetenceRow
                    key={c.id}
                    competence={c}
                    scheme={referential.certification.scheme}
                    result={grid.results[c.id] ?? ""}
                    comment={grid.comments[c.id] ?? ""}
                    peers={grid.peers.filter((p) => p.focus === c.id)}
                    disabled={!canEdit || !grid.synced}
                    onResult={(v) => grid.setResult(c.id, v)}
                    onComment={(v) => grid.setComment(c.id, v)}
                    onFocus={() => grid.setFocus(c.id)}
                    onBlur={() => grid.setFocus(null)}
                  />
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

function CompetenceRow({
  competence,
  scheme,
  result,
  comment,
  peers,
  disabled,
  onResult,
  onComment,
  onFocus,
  onBlur,
}: {
  competence: Referential["blocs"][number]["competences"][number];
  scheme: Scheme;
  result: string;
  comment: string;
  peers: Peer[];
  disabled: boolean;
  onResult: (value: string) => void;
  onComment: (value: string) => void;
  onFocus: () => void;
  onBlur: () => void;
}) {
  const id = useId();
  const commentMissing = isCommentRequired(scheme, result) && comment.trim() === "";
  return (
    <li className="grid gap-3 px-4 py-3 md:grid-cols-[1fr_14rem]" data-competence={competence.code}>
      <div>
        <p className="font-medium">
          {competence.code}. {competence.statement}
        </p>
        {competence.conditions ? <p className="text-sm text-slate-600">{competence.conditions}</p> : null}
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
          {competence.criteria.map((cr) => (
            <li key={cr.id}>{cr.statement}</li>
          ))}
        </ul>
        <label htmlFor={`${id}-comment`} className="mt-2 block text-sm font-medium">
          Commentaire{isCommentRequired(scheme, result) ? " (obligatoire)" : ""}
        </label>
        <textarea
          id={`${id}-comment`}
          value={comment}
          disabled={disabled}
          rows={2}
          aria-invalid={commentMissing || undefined}
          aria-describedby={commentMissing ? `${id}-comment-error` : undefined}
          onChange={(e) => onComment(e.target.value)}
          onFocus={onFocus}
          onBlur={onBlur}
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50 aria-[invalid=true]:border-amber-500"
        />
        {commentMissing ? (
          <p id={`${id}-comment-error`} className="text-sm text-amber-800">
            Commentaire obligatoire lié aux critères : la compétence n'est pas acquise en pleine autonomie.
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor={`${id}-result`} className="block text-sm font-medium">
          Résultat de la commission
        </label>
        <select
          id={`${id}-result`}
          value={result}
          disabled={disabled}
          onChange={(e) => onResult(e.target.value)}
          onFocus={onFocus}
          onBlur={onBlur}
          className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 disabled:bg-slate-50"
        >
          <option value="">— Non évalué —</option>
          {scheme.scale.levels.map((level) => (
            <option key={level.value} value={level.value}>
              {level.label}
            </option>
          ))}
        </select>
        {peers.length > 0 ? (
          <p className="mt-2 flex flex-wrap gap-1 text-xs" aria-label="Membres sur cette compétence">
            {peers.map((p) => (
              <span key={p.clientId} className="rounded px-1.5 py-0.5 text-white" style={{ background: p.color }}>
                {p.name}
              </span>
            ))}
          </p>
        ) : null}
      </div>
    </li>
  );
}
