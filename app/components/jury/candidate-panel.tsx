/**
 * What the jury examines for one candidate: identity and route, positioning, company opinion, VAE admissibility,
 * evidence, what is already acquired and still valid, the signed commission grid(s) (PDF, each evaluator's own
 * assessment, the consolidated results, the outcome per competence and bloc), the conformity checklist with the
 * acknowledgement form (a sentence instead for a member recused for the candidate), and the member's declaration of
 * conflict of interest.
 */
import { formatLongDay, formatParisLongDate } from "~/domain/paris-date";
import type { ReactNode } from "react";
import type { JuryRoom as Room } from "~/live/jury/get-jury-room.server";
import { countOf, formatDateTime } from "~/components/format";
import { FormErrors, inputClass } from "~/components/field";
import { STATUS_LABELS, type OutcomeStatus } from "~/domain/aggregation";
import {
  DOSSIER_ROUTE_LABELS,
  DOSSIER_STATUS_LABELS,
  VAE_ADMISSIBILITY_LABELS,
  evidenceKindLabel,
  type DossierRoute,
  type DossierStatus,
  type VaeAdmissibility,
} from "~/domain/completeness";
import { secondaryButtonClass, smallPrimaryClass, type AgendaEntry, type Viewer } from "./shared";
import { useJuryCommand } from "./use-jury-room";
import { RenderFailed } from "~/components/signing/render-failed";


const OUTCOME_STYLES: Record<OutcomeStatus, string> = {
  acquired: "bg-emerald-100 text-emerald-900",
  notAcquired: "bg-red-100 text-red-900",
  pending: "bg-amber-100 text-amber-900",
};

export function OutcomeBadge({ status }: { status: OutcomeStatus }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_STYLES[status]}`}>{STATUS_LABELS[status]}</span>;
}

const CONFORMITY_STATUS = {
  ok: { label: "Conforme", icon: "✓", style: "text-emerald-800" },
  nonConform: { label: "Non conforme", icon: "✗", style: "text-red-800" },
  notApplicable: { label: "Sans objet", icon: "–", style: "text-slate-600" },
  unverifiable: { label: "À vérifier par le jury", icon: "?", style: "text-amber-800" },
} as const;

export function CandidatePanel({
  room,
  item,
  user,
  onDone,
  reread,
}: {
  room: Room;
  item: AgendaEntry;
  user: Viewer;
  onDone: () => void;
  /** Reads the room again now (after a PDF's render is relaunched: no `jury:event` tells it). */
  reread: () => void;
}) {
  const competenceCode = new Map(item.blocs.flatMap((b) => b.competences.map((c) => [c.id, c.code])));
  const positioning = (item.positioning ?? {}) as Record<string, string>;
  const alreadyAcquired = Object.entries(positioning)
    .filter(([, v]) => v === "ACQUIRED")
    .map(([id]) => competenceCode.get(id) ?? id);
  const toAcquire = Object.values(positioning).filter((v) => v === "TO_ACQUIRE").length;

  return (
    <section aria-labelledby="candidate-title" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="candidate">
      <div>
        <h2 id="candidate-title" tabIndex={-1} className="text-xl font-semibold text-brand-900 focus:outline-none">
          {item.position}. {item.candidate.name}
        </h2>
        <p className="text-sm text-slate-700">
          {DOSSIER_ROUTE_LABELS[item.route as DossierRoute]} · dossier {DOSSIER_STATUS_LABELS[item.dossierStatus as DossierStatus].toLowerCase()}
          {item.candidate.employer ? ` · employeur : ${item.candidate.employer}` : ""}
          {item.candidate.birthDate ? ` · né·e le ${formatLongDay(item.candidate.birthDate)}` : ""}
        </p>
        <a href="#deliberation-title" className="inline-block py-1 text-sm text-brand-700 underline">
          Aller à la délibération et aux votes
        </a>
      </div>

      <details open className="group">
        <summary className="cursor-pointer font-semibold">Dossier du candidat</summary>
        <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Blocs visés</dt>
          <dd>{item.blocs.map((b) => `${b.code} — ${b.title}`).join(" ; ") || "—"}</dd>
          <dt className="font-medium">Positionnement</dt>
          <dd>
            {item.positionedAt || Object.keys(positioning).length > 0
              ? `${countOf(alreadyAcquired.length, "compétence déjà acquise", "compétences déjà acquises")}${alreadyAcquired.length ? ` (${alreadyAcquired.join(", ")})` : ""}, ${toAcquire} à acquérir${item.positionedAt ? ` — le ${formatParisLongDate(item.positionedAt)}` : ""}`
              : "non réalisé"}
          </dd>
          <dt className="font-medium">Avis de l'entreprise</dt>
          <dd>
            {item.companyOpinionFavourable == null
              ? "non recueilli"
              : `${item.companyOpinionFavourable ? "favorable" : "défavorable"}${item.companyOpinion ? ` — « ${item.companyOpinion} »` : ""}`}
          </dd>
          {item.route === "VAE" ? (
            <>
              <dt className="font-medium">Recevabilité VAE</dt>
              <dd>
                {item.vaeAdmissibility ? VAE_ADMISSIBILITY_LABELS[item.vaeAdmissibility as VaeAdmissibility] : "non décidée"}
                {item.vaeExperienceMonths != null ? ` — ${item.vaeExperienceMonths} mois d'expérience déclarés` : ""}
                {item.vaeDecisionNote ? ` — ${item.vaeDecisionNote}` : ""}
              </dd>
            </>
          ) : null}
          <dt className="font-medium">Déjà acquis et valide</dt>
          <dd data-testid="acquired">
            {!item.acquired || item.acquired.acquisitions.length === 0 ? (
              "aucune validation antérieure"
            ) : (
              <ul>
                {item.acquired.acquisitions.map((a) => (
                  <li key={a.code}>
                    {a.code} {a.title} — décidé le {formatParisLongDate(a.decidedAt)},{" "}
                    {a.state === "expired" ? "expiré" : a.validUntil ? `valable jusqu'au ${formatLongDay(a.validUntil)}` : "sans limite de durée"}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt className="font-medium">Pièces</dt>
          <dd>
            {item.evidenceWithheld ? (
              <span data-testid="evidence-withheld">{item.evidenceWithheld}</span>
            ) : item.evidence.length === 0 ? (
              "aucune pièce"
            ) : (
              <ul className="list-disc space-y-2 pl-5">
                {item.evidence.map((e) => (
                  <li key={e.id} className="wrap-anywhere">
                    {e.url ? (
                      <a className="text-brand-700 underline" href={e.url}>
                        {e.fileName}
                      </a>
                    ) : (
                      e.fileName
                    )}{" "}
                    <span className="text-slate-600">
                      ({evidenceKindLabel(e.kind)}, {Math.ceil(e.size / 1024)} Ko)
                    </span>
                    {e.withheld ? (
                      <span className="block text-xs text-slate-600" data-testid="evidence-piece-withheld">
                        {e.withheld}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </details>

      <Grids room={room} item={item} reread={reread} />
      <Conformity room={room} item={item} onDone={onDone} />
      <ConflictDeclaration room={room} item={item} user={user} onDone={onDone} />
    </section>
  );
}

/**
 * The commission's grids; a signed one's PDF: its link, « PDF en préparation… » while rendered (the room reads itself
 * again meanwhile: use-jury-room.ts), or its render's failure, with « Relancer la production du PDF » for the
 * organisation's secretariat or an administrator (`viewer.manages`; the route checks again) and, for the others, who
 * can relaunch it.
 */
function Grids({ room, item, reread }: { room: Room; item: AgendaEntry; reread: () => void }) {
  const label = (value: string | undefined) => (value ? (room.schemeView.resultLabels[value] ?? value) : "—");
  return (
    <details open>
      <summary className="cursor-pointer font-semibold">Évaluation par la commission</summary>
      {item.evaluationWithheld ? (
        <p className="mt-2 text-sm text-slate-700" data-testid="evaluation-withheld">
          {item.evaluationWithheld}
        </p>
      ) : item.grids.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">Aucune grille d'évaluation pour ce candidat.</p>
      ) : null}
      {item.grids.map((g) => (
        <div key={g.slotId} className="mt-2 space-y-2" data-testid="grid">
          <p className="text-sm">
            <span className="font-medium">{g.sessionTitle}</span> — évalué le {formatDateTime(g.evaluatedAt)} ·{" "}
            <span data-testid="grid-signing-status">
              {g.status === "SIGNED"
                ? `grille signée ${g.evaluators.every((e) => e.signed) ? "par tous" : "(empêchement constaté)"}${g.signedAt ? ` le ${formatDateTime(g.signedAt)}` : ""}`
                : `${g.status === "SIGNING" ? "en signature" : "non scellée"}, pas encore signée par tous${
                    g.evaluators.some((e) => !e.signed) ? ` (reste : ${g.evaluators.filter((e) => !e.signed).map((e) => e.displayName).join(", ")})` : ""
                  }`}
            </span>
            {g.pdfUrl ? (
              <>
                {" · "}
                <a href={g.pdfUrl} className="text-brand-700 underline">
                  Grille signée (PDF)
                </a>
              </>
            ) : g.status === "SIGNED" && !g.pdfFailure ? (
              <span data-testid="pdf-pending"> · PDF en préparation…</span>
            ) : null}
          </p>
          {/* Its own block, not in the sentence above: it may hold the relaunch's form (never inside a <p>). */}
          {!g.pdfUrl && g.status === "SIGNED" && g.pdfFailure ? (
            <div className="text-sm">
              <RenderFailed failure={g.pdfFailure} kind="grid" documentId={g.slotId} canRetry={room.viewer.manages} onRetried={reread} />
            </div>
          ) : null}
          <p className="text-xs text-slate-700">
            Évaluateurs :{" "}
            {g.evaluators
              .map((e) => `${e.displayName}${e.profile === "PROFESSIONAL" ? " (professionnel du secteur)" : e.profile === "EXTERNAL" ? " (évaluateur externe)" : ""}${e.signed ? ", a signé" : ", n'a pas signé"}`)
              .join(" ; ")}
          </p>
          {/*
            Below md (a phone) the table's rows become stacked cards, each cell labelled with its column, so that a member
            reads every column without scrolling sideways; from md up it is the usual table. The explicit roles keep the
            table's semantics for screen readers once its display is changed.
          */}
          <div className="md:overflow-x-auto" data-testid="grid-table">
            <table role="table" className="w-full border-collapse text-sm max-md:block md:min-w-[36rem]">
              <caption className="sr-only">Résultats par compétence</caption>
              <thead role="rowgroup" className="max-md:sr-only">
                <tr role="row" className="border-b border-slate-300 text-left">
                  <th role="columnheader" scope="col" className="py-1 pr-2">
                    Compétence
                  </th>
                  {g.evaluators.map((e) => (
                    <th role="columnheader" key={e.userId} scope="col" className="py-1 pr-2">
                      {e.displayName}
                    </th>
                  ))}
                  <th role="columnheader" scope="col" className="py-1 pr-2">
                    Commission
                  </th>
                  <th role="columnheader" scope="col" className="py-1 pr-2">
                    Issue
                  </th>
                  <th role="columnheader" scope="col" className="py-1">
                    Commentaire
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup" className="max-md:block max-md:space-y-2">
                {item.blocs.map((b) => {
                  const blocTarget = item.targets.find((t) => t.id === b.id);
                  return [
                    <tr role="row" key={b.id} className="bg-slate-50 max-md:mt-4 max-md:block max-md:rounded max-md:px-2 max-md:py-1 max-md:first:mt-0">
                      <th role="rowheader" scope="rowgroup" colSpan={g.evaluators.length + 2} className="py-1 pr-2 text-left font-semibold max-md:block">
                        Bloc {b.code} — {b.title}
                      </th>
                      <td role="cell" className="py-1 pr-2 max-md:block">
                        {blocTarget ? (
                          <>
                            <CellLabel>Issue du bloc</CellLabel>
                            <OutcomeBadge status={g.outcomes[b.id] ?? "pending"} />
                          </>
                        ) : null}
                      </td>
                      <td role="cell" className="max-md:hidden" />
                    </tr>,
                    ...b.competences.map((c) => {
                      const assessments = g.evaluators.map((e) => g.content?.assessment[`${e.userId}|${c.id}`]);
                      const divergent = new Set(assessments.filter(Boolean)).size > 1;
                      // This grid's own outcome: not the reference grid's beside a blank or contrary grid.
                      const outcome = g.outcomes[c.id] ?? "pending";
                      const comment = g.content?.comment[c.id] ?? "";
                      return (
                        <tr
                          role="row"
                          key={c.id}
                          className="border-b border-slate-100 align-top max-md:block max-md:rounded max-md:border max-md:border-slate-200 max-md:p-2"
                          data-testid="grid-row"
                        >
                          <th role="rowheader" scope="row" className="py-1 pr-2 text-left font-normal max-md:block max-md:pt-0">
                            <span className="font-medium">{c.code}</span> {c.statement}
                          </th>
                          {assessments.map((a, i) => (
                            <td role="cell" key={i} className={`py-1 pr-2 max-md:flex max-md:gap-2 max-md:py-0.5 ${divergent ? "font-semibold text-amber-900" : ""}`}>
                              <CellLabel>{g.evaluators[i]?.displayName}</CellLabel>
                              {label(a)}
                            </td>
                          ))}
                          <td role="cell" className="py-1 pr-2 max-md:flex max-md:gap-2 max-md:py-0.5">
                            <CellLabel>Commission</CellLabel>
                            {label(g.content?.result[c.id])}
                          </td>
                          <td role="cell" className="py-1 pr-2 max-md:flex max-md:gap-2 max-md:py-0.5">
                            <CellLabel>Issue</CellLabel>
                            <span>
                              <OutcomeBadge status={outcome} />
                              {divergent ? <span className="block text-xs text-amber-900">Avis divergents</span> : null}
                            </span>
                          </td>
                          <td role="cell" className={`py-1 text-xs max-md:flex max-md:gap-2 max-md:py-0.5 ${comment ? "" : "max-md:hidden"}`}>
                            <CellLabel>Commentaire</CellLabel>
                            {comment}
                          </td>
                        </tr>
                      );
                    }),
                  ];
                })}
              </tbody>
            </table>
          </div>
          {g.content?.synthesis ? <p className="text-sm">Synthèse de la commission : {g.content.synthesis}</p> : null}
        </div>
      ))}
      {/* Withheld from a member recused for the candidate, with the rest of his evaluation (the sentence above says so). */}
      {item.outcome ? (
        <p className="mt-2 text-sm" data-testid="commission-outcome">
          Issue calculée par le règlement :{" "}
          <strong>
            {item.outcome.outcome === "total"
              ? "délivrance totale"
              : item.outcome.outcome === "partial"
                ? "délivrance partielle"
                : item.outcome.outcome === "none"
                  ? "non-délivrance"
                  : "en attente (la commission n'a pas conclu)"}
          </strong>
        </p>
      ) : null}
    </details>
  );
}

/** A cell's column name, shown only where the table is stacked as cards (phones); screen readers use the header. */
function CellLabel({ children }: { children: ReactNode }) {
  return (
    <span aria-hidden="true" className="w-36 shrink-0 font-medium text-slate-700 md:hidden">
      {children}&nbsp;:
    </span>
  );
}

function Conformity({ room, item, onDone }: { room: Room; item: AgendaEntry; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const presiding = item.presidingId === room.viewer.userId;
  const { conformity, conformityAck } = item;
  const remarks = (conformityAck?.remarks ?? {}) as Record<string, string>;
  // Withheld from a member recused for the candidate (read on his evaluation): a sentence instead.
  if (!conformity)
    return (
      <section aria-labelledby={`conformity-${item.agendaItemId}`} className="rounded border border-slate-200 p-3" data-testid="conformity">
        <h3 id={`conformity-${item.agendaItemId}`} className="font-semibold">
          Conformité de la démarche
        </h3>
        <p className="mt-2 text-sm text-slate-700" data-testid="conformity-withheld">
          Vous êtes récusé pour ce candidat : le contrôle de conformité, qui porte sur son évaluation, ne vous est pas accessible.
        </p>
      </section>
    );
  return (
    <section aria-labelledby={`conformity-${item.agendaItemId}`} className="rounded border border-slate-200 p-3" data-testid="conformity">
      <h3 id={`conformity-${item.agendaItemId}`} className="font-semibold">
        Conformité de la démarche {conformity.conform ? "— conforme" : `— ${conformity.nonConformities.length} non-conformité(s)`}
      </h3>
      <ul className="mt-2 space-y-1 text-sm">
        {conformity.items.map((c) => {
          const s = CONFORMITY_STATUS[c.status];
          return (
            <li key={c.key}>
              <span className={`font-semibold ${s.style}`} aria-hidden="true">
                {s.icon}
              </span>{" "}
              {c.label}&nbsp;: <span className={s.style}>{s.label}</span>
              {c.reason ? <span className="block pl-4 text-xs text-slate-700">{c.reason}</span> : null}
              {remarks[c.key] ? <span className="block pl-4 text-xs">Remarque du jury : {remarks[c.key]}</span> : null}
            </li>
          );
        })}
      </ul>
      {conformityAck ? (
        <p className="mt-2 text-sm text-emerald-900">Conformité examinée par le jury le {formatDateTime(conformityAck.at)}.</p>
      ) : !conformity.conform && !item.decision && !item.postponed ? (
        presiding ? (
          <command.Form method="post" action={command.action} className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="acknowledge-conformity" />
            <input type="hidden" name="agendaItemId" value={item.agendaItemId} />
            {conformity.nonConformities.map((n) => (
              <label key={n.key} className="block text-sm font-medium">
                Remarque du jury sur « {n.label} »
                <textarea name={`remark.${n.key}`} rows={2} className={inputClass} aria-describedby={`remark-error-${n.key}`} />
                <span id={`remark-error-${n.key}`} className="block text-sm font-normal text-red-700">
                  {command.fieldErrors[`remarks.${n.key}`]?.[0] ?? ""}
                </span>
              </label>
            ))}
            <button type="submit" className={smallPrimaryClass} disabled={command.busy}>
              Confirmer l'examen de la conformité
            </button>
            <FormErrors errors={command.formErrors} />
          </command.Form>
        ) : (
          <p className="mt-2 text-sm text-amber-900">Le président doit faire confirmer ces non-conformités, avec les remarques du jury, avant la décision.</p>
        )
      ) : null}
    </section>
  );
}

const DECLARATION_LABELS = {
  noLink: { label: "aucun lien déclaré", style: "text-emerald-900" },
  conflict: { label: "conflit d'intérêts déclaré (récusé·e)", style: "text-amber-900" },
  recused: { label: "récusé·e (lien connu), sans déclaration à faire", style: "text-amber-900" },
  missing: { label: "n'a pas encore déclaré : ne peut ni voter ni prendre part à un consensus", style: "text-red-800" },
} as const;

/**
 * Each voting member declares, per candidate, « Je n'ai aucun lien avec ce candidat » or a conflict of interest (which
 * recuses): no ballot and no consensus before it. Everyone seated sees who has declared; the member declares here.
 */
function ConflictDeclaration({ room, item, user, onDone }: { room: Room; item: AgendaEntry; user: Viewer; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const voting = room.viewer.role === "PRESIDENT" || room.viewer.role === "VICE_PRESIDENT" || room.viewer.role === "MEMBER";
  const mine = item.conflicts.find((c) => c.userId === user.id);
  const missing = item.declarations.filter((d) => d.status === "missing");
  // During a vote « aucun lien » may still be declared (then the ballot cast); a conflict, or going back on one, waits
  // for the vote's close (it would change who votes on a vote under way: the server refuses it).
  const running = item.polls.some((p) => p.state === "STARTED");
  // Recused for a link Quorum knows (his trainer, his evaluator): nothing to declare (the server refuses it).
  const knownLink = item.declarations.some((d) => d.userId === user.id && d.status === "recused")
    ? (item.recused.find((r) => r.userId === user.id)?.reason ?? null)
    : null;
  return (
    <section aria-labelledby={`conflict-${item.agendaItemId}`} className="rounded border border-slate-200 p-3" data-testid="conflicts">
      <h3 id={`conflict-${item.agendaItemId}`} className="font-semibold">
        Déclarations de lien et conflits d'intérêts
      </h3>
      {item.recused.length === 0 ? (
        <p className="text-sm text-slate-700">Aucun membre récusé pour ce candidat.</p>
      ) : (
        <ul className="text-sm">
          {item.recused.map((r) => (
            <li key={r.userId}>
              {r.displayName} — récusé·e ({r.reason}) : ne vote pas et ne compte pas pour ce candidat.
            </li>
          ))}
        </ul>
      )}
      <div className="mt-2 text-sm" data-testid="declarations">
        <p className="font-medium">
          {item.decision
            ? "Déclarations des membres pour ce candidat :"
            : missing.length === 0
              ? "Déclarations des membres pour ce candidat (tous les membres votants ont déclaré) :"
              : `Déclarations des membres pour ce candidat (${countOf(missing.length, "membre votant n'a", "membres votants n'ont")} pas encore déclaré) :`}
        </p>
        <ul className="mt-1 space-y-0.5">
          {item.declarations.map((d) => (
            <li key={d.userId} data-testid="declaration">
              {d.displayName}
              {d.present ? "" : " (absent·e)"} — <span className={DECLARATION_LABELS[d.status].style}>{DECLARATION_LABELS[d.status].label}</span>
            </li>
          ))}
        </ul>
      </div>
      {voting && !item.decision && !item.postponed && knownLink ? (
        <p className="mt-2 text-sm" role="status" data-testid="my-declaration">
          Votre déclaration : <strong className="text-amber-900">sans objet</strong> — vous êtes récusé·e pour ce candidat (
          {knownLink.charAt(0).toLowerCase() + knownLink.slice(1)}) : vous ne votez pas sur lui.
        </p>
      ) : voting && !item.decision && !item.postponed ? (
        <div className="mt-2 space-y-1 text-sm">
          <p role="status" data-testid="my-declaration">
            Votre déclaration :{" "}
            <strong className={mine ? (mine.conflict ? "text-amber-900" : "text-emerald-900") : "text-red-800"}>
              {mine
                ? mine.conflict
                  ? `conflit d'intérêts déclaré${mine.note ? ` (${mine.note})` : ""}`
                  : "aucun lien avec ce candidat"
                : "non faite — à faire avant de voter sur ce candidat"}
            </strong>
            {mine && command.ok ? " — enregistrée." : ""}
          </p>
          {running && mine?.conflict ? null : (
            <command.Form method="post" action={command.action} className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="declare" />
              <input type="hidden" name="agendaItemId" value={item.agendaItemId} />
              <label className="text-sm">
                Précision (facultative)
                <input
                  name="note"
                  className={inputClass}
                  maxLength={1000}
                  aria-invalid={command.fieldErrors.note ? true : undefined}
                  aria-describedby={command.fieldErrors.note ? `conflict-note-error-${item.agendaItemId}` : undefined}
                />
              </label>
              <button type="submit" name="conflict" value="false" className={secondaryButtonClass} disabled={command.busy}>
                Je n'ai aucun lien avec ce candidat
              </button>
              {running ? null : (
                <button type="submit" name="conflict" value="true" className={secondaryButtonClass} disabled={command.busy}>
                  Je déclare un conflit d'intérêts
                </button>
              )}
            </command.Form>
          )}
          {running ? (
            <p className="text-xs text-slate-700" data-testid="conflict-after-vote">
              {mine?.conflict
                ? "Un vote est en cours sur ce candidat : votre déclaration pourra changer après sa clôture."
                : "Un vote est en cours sur ce candidat : un conflit d'intérêts se déclare après sa clôture, avant le vote suivant."}
            </p>
          ) : null}
          {command.fieldErrors.note ? (
            <p id={`conflict-note-error-${item.agendaItemId}`} className="text-xs text-red-700">
              {command.fieldErrors.note[0]}
            </p>
          ) : null}
          <FormErrors errors={command.formErrors} />
        </div>
      ) : null}
    </section>
  );
}
