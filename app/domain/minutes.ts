/**
 * The procès-verbal of a session, generated from what happened (never retyped). Pure, no I/O: the use case
 * app/live/sessions/minutes-facts.server.ts gathers the facts, this builds the text sections shown on the page,
 * sealed (canonical JSON) and printed in the PDF.
 *
 * - Jury: body, certification, date and place, actual times, composition (present / represented by whom / absent,
 *   college), president and vice-president, quorum and its every loss and recovery, documents examined, per
 *   candidate the conformity check, the decision per bloc/competence, the overall decision, the tallies or the
 *   consensus, rattrapages, préconisations; technical incidents; appeals; annex admitted / not admitted.
 * - Commission: candidates heard, grids signed, incidents (a shorter PV).
 * - Secret votes: only the totals. The facts of a secret poll may carry voters (who has voted) but the builder
 *   prints names next to a choice for OPEN polls only, whatever it is given.
 * - Incidents: a member's disconnection and the next reconnection form one incident (who, from, to, duration,
 *   what was decided meanwhile). Drops shorter than INCIDENT_MIN_SECONDS (network blips, a page reload) are not
 *   detailed: they are counted in one line, so nothing is hidden but the list stays readable. A drop without a
 *   return lasts until the end of the session (or is « non rétablie »). A member's brief drops (reconnected within
 *   BRIEF_DISCONNECTION_SECONDS, nothing decided meanwhile) share one line (« 3 brèves coupures de connexion, … »).
 * - Moving between pages of the session is not an incident: a disconnection the member's own page closed
 *   (`voluntary`: a navigation to another page of the session, a reload), or one followed by a return whose page says
 *   its tab just left a page of the session (`navigated`: the leaving page's goodbye may be lost as the browser
 *   unloads it), followed by the same member's return within NAVIGATION_GRACE_SECONDS is neither detailed nor counted. A lost connection (the network, a closed browser:
 *   the server saw the transport fail, the page said nothing) is an incident however short, and a page left for
 *   longer than the grace is an absence like any other. Only the sitting counts: from its actual opening (once
 *   opened) to its close.
 */
import { candidateLine, frenchTime, sentence } from "./format";
import { formatParisLongDate } from "./paris-date";
import { SEAT_LABELS, type SeatRole } from "./access";
import { COLLEGE_IN_SENTENCE, type College } from "./college";
import { DECIDED_ON_APPEAL, decisionWithoutOverallVote, OVERALL_DECISION_LABELS, type DecisionMethodCode, type OverallDecision } from "./jury-decision";
import { ABSTAIN_OPTION, labelTallies } from "./jury-vote";

/**
 * The remarks co-edited by the secretary and the president: document `minutes:<sessionId>`, one root Y.Text (the
 * server's schema is realtime/yjs/minutes-schema.ts), sealed and printed in the procès-verbal as written.
 */
export const MINUTES_REMARKS_TEXT = "remarks";
export const MINUTES_REMARKS_MAX_LENGTH = 20_000;

/**
 * Who signs a sitting's procès-verbal: its president; in a jury whose scheme has its members sign the minutes, also the
 * vice-president and the members who attended (émargement: a seated member who never came signs nothing they did not
 * take part in). An evaluation commission's minutes are signed by its president (its members sign their grids).
 */
export function minutesSigners<S extends { userId: string; role: SeatRole }>(
  seats: readonly S[],
  sitting: { jury: boolean; membersSignMinutes: boolean; attended: ReadonlySet<string> },
): S[] {
  const membersSign = sitting.jury && sitting.membersSignMinutes;
  return seats.filter(
    (s) => s.role === "PRESIDENT" || (membersSign && (s.role === "VICE_PRESIDENT" || s.role === "MEMBER") && sitting.attended.has(s.userId)),
  );
}

export const minutesDocumentName = (sessionId: string) => `minutes:${sessionId}`;

/**
 * Why a sitting's procès-verbal cannot be finalised yet (French), or null. A jury's, once the sitting is closed
 * (« Lever la séance »). An evaluation commission's (never closed in the room), once it has sat: its start has passed
 * and at least one passage ended — a candidate's grid sealed (in signature or signed), the moment its evaluation is
 * over. Before, its minutes would seal an empty or planned sitting (« Candidats entendus » with nobody heard).
 */
export function minutesFinaliseRefusal(
  sitting: { kind: "JURY" | "COMMISSION"; status: "PLANNED" | "OPEN" | "CLOSED"; startsAt: Date; passagesEnded: number },
  now: Date,
): string | null {
  if (sitting.kind === "JURY") {
    return sitting.status === "CLOSED"
      ? null
      : "Levez d'abord la séance (« Lever la séance », dans la salle du jury) : le procès-verbal se finalise une fois la séance close.";
  }
  if (sitting.startsAt.getTime() > now.getTime()) {
    return `La commission n'a pas encore siégé (elle siège le ${formatParisLongDate(sitting.startsAt)}) : son procès-verbal se finalise une fois au moins un candidat évalué.`;
  }
  if (sitting.passagesEnded === 0) {
    return "La commission n'a encore évalué aucun candidat (aucune grille passée à la signature) : son procès-verbal se finalise une fois au moins un passage terminé.";
  }
  return null;
}

/** The session of a `minutes:<sessionId>` document name, or null. */
export function parseMinutesDocumentName(name: string): string | null {
  const match = /^minutes:([a-z0-9]{8,40})$/i.exec(name);
  return match ? match[1]! : null;
}

export const INCIDENT_MIN_SECONDS = 5;

/**
 * A lost connection shorter than this, back by itself and with nothing decided or voted meanwhile, is a « brève
 * coupure »: no line of its own in the incidents, only a count per member (docs/decisions/0032-brief-disconnections.md).
 * A minute covers what a Wi-Fi handover, a laptop waking up, a mobile network switching or a server restart cost a
 * member's page (it reconnects by itself within seconds, retrying for longer on a bad line); it changes nothing the
 * PV records (attendance and quorum follow the émargement, not the socket), so one line per member says it all. A drop
 * during which a vote closed or a decision was recorded keeps its own line, however short: the PV must say who was
 * away when it was taken.
 */
export const BRIEF_DISCONNECTION_SECONDS = 60;

/** The incidents as the PV lists them: each long or consequential drop on its own, a member's brief ones together. */
export type IncidentLine =
  | { kind: "detailed"; incident: Incident }
  | { kind: "brief"; userId: string; name: string; count: number; from: Date; to: Date };

/**
 * Coalesces a member's brief disconnections (reconnected, shorter than `briefSeconds`, nothing decided meanwhile) into
 * one line placed at the first of them; every other incident keeps its own line with its times. In time order.
 */
export function coalesceIncidents(incidents: readonly Incident[], briefSeconds = BRIEF_DISCONNECTION_SECONDS): IncidentLine[] {
  const lines: IncidentLine[] = [];
  const briefOf = new Map<string, Extract<IncidentLine, { kind: "brief" }>>();
  for (const incident of [...incidents].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const brief = incident.to !== null && incident.durationSeconds !== null && incident.durationSeconds < briefSeconds && incident.meanwhile.length === 0;
    if (!brief) {
      lines.push({ kind: "detailed", incident });
      continue;
    }
    const line = briefOf.get(incident.userId);
    if (line) {
      line.count += 1;
      line.to = incident.to!;
    } else {
      const created = { kind: "brief" as const, userId: incident.userId, name: incident.name, count: 1, from: incident.from, to: incident.to! };
      briefOf.set(incident.userId, created);
      lines.push(created);
    }
  }
  return lines;
}

/** « Marie Membre : 3 brèves coupures de connexion (moins de 60 s chacune, entre 9 h 30 et 10 h 02), reconnectée à chaque fois. » */
export function briefDisconnectionsLine(line: Extract<IncidentLine, { kind: "brief" }>, briefSeconds = BRIEF_DISCONNECTION_SECONDS): string {
  return line.count === 1
    ? `${line.name} : 1 brève coupure de connexion (moins de ${briefSeconds} s, à ${frenchTime(line.from)}), reconnecté(e).`
    : `${line.name} : ${line.count} brèves coupures de connexion (moins de ${briefSeconds} s chacune, entre ${frenchTime(line.from)} et ${frenchTime(line.to)}), reconnecté(e) à chaque fois.`;
}
/**
 * How long a member's page may take to open the next page of the session (a navigation, a reload), from the moment
 * it closed its connection to the moment the next page asks to join: a page load on a slow line or a busy laptop
 * takes several seconds (5 s was seen exceeded by a plain reload on a loaded machine).
 */
export const NAVIGATION_GRACE_SECONDS = 15;


export type MinutesMember = { userId: string; name: string; role: SeatRole; college: College | null };
/**
 * `voluntary` (a drop): the member's page closed the connection itself (navigation, reload), rather than losing it.
 * `navigated` (a return): the page that came back said its browser tab had just left another page of the session —
 * what makes a reload a navigation when the leaving page's goodbye was lost (a browser unloading a page does not
 * always send what the page wrote in its last moment).
 */
export type ConnectionFact = { userId: string; kind: "DISCONNECTED" | "RECONNECTED"; at: Date; voluntary?: boolean; navigated?: boolean };
export type QuorumFact = { kind: "LOST" | "RECOVERED"; at: Date; reasons: string[] };
export type PollFact = {
  question: string;
  mode: "CONSENSUS" | "OPEN" | "SECRET";
  finishedAt: Date | null;
  tallies: Record<string, number> | null;
  /** Choice value → label. */
  labels: Record<string, string>;
  result: string | null;
  tie: boolean;
  castingVoteChoice: string | null;
  /** Who used the casting vote (the one who conducted on this candidate: the vice-president when the president is recused). */
  castingVoteBy?: string | null;
  consensusChoice: string | null;
  /**
   * A consensus gone back on, or a vote annulled (a member who took part declared a conflict of interest afterwards):
   * when, by whom, why (it no longer settled its question).
   */
  withdrawn?: { at: Date; by: string; reason: string } | null;
  /** Named votes: printed for OPEN polls only. */
  votes?: Array<{ name: string; choice: string }>;
};
export type DecisionItemFact = { target: "BLOC" | "COMPETENCE"; code: string; acquired: boolean; followed: boolean; reason: string | null };
export type CandidateFact = {
  name: string;
  conformity: Array<{ label: string; status: "ok" | "nonConform" | "notApplicable" | "unverifiable"; reason: string | null }>;
  conformityRemarks: string[];
  /** Voting members who declared a conflict of interest for this candidate (names): they took no part. */
  declaredConflicts?: string[];
  /** Voting members who declared they have no link with this candidate (names), before voting on him. */
  declaredNoLink?: string[];
  /** Members recused for a link Quorum knows (trainer, evaluator of his passages), with the reason: no declaration asked. */
  linkRecusals?: Array<{ name: string; reason: string }>;
  /** Members entitled to a vote on this candidate who never declared, so could not cast their ballot (names). */
  undeclaredVoters?: string[];
  polls: PollFact[];
  decision: {
    overall: OverallDecision;
    method: DecisionMethodCode;
    tallies: Record<string, number> | null;
    castingVoteUsed: boolean;
    decidedAt: Date;
    adjournmentReason: string | null;
    items: DecisionItemFact[];
    /**
     * Who conducted the deliberation and recorded the decision, when not the sitting's president (the vice-president
     * for a candidate the president is recused for), with why the president did not.
     */
    conductedBy?: { name: string; presidentRecusal: string | null } | null;
    /** Who used the casting vote on the poll that decided (a name). */
    castingVoteBy?: string | null;
  } | null;
  preconisations: string;
  /**
   * Reported to a later jury by the sitting's president, not deliberated (recusals alone left nobody entitled to
   * deliberate on him, or no chair): when, by whom, why (who is recused and why). Never a decision.
   */
  postponed?: { at: Date; by: string | null; reason: string } | null;
};
export type CommissionSlotFact = { candidate: string; startsAt: Date; gridStatus: "OPEN" | "SIGNING" | "SIGNED"; signedAt: Date | null; outcome: string | null };

export type MinutesFacts = {
  kind: "JURY" | "COMMISSION";
  organisation: { name: string; legalName: string };
  certification: { title: string; code: string; kindLabel: string; certifierName: string | null; version: number; blocs: Array<{ code: string; title: string }> } | null;
  session: {
    title: string;
    startsAt: Date;
    endsAt: Date;
    actualStartAt: Date | null;
    actualEndAt: Date | null;
    remote: boolean;
    remoteMeans: string | null;
    place: string | null;
  };
  members: MinutesMember[];
  /** Arrivals and departures (jury émargement). */
  attendance: Array<{ userId: string; kind: "ARRIVED" | "LEFT"; at: Date }>;
  proxies: Array<{ giverId: string; holderId: string; grantedAt: Date; revokedAt: Date | null }>;
  quorumEvents: QuorumFact[];
  connections: ConnectionFact[];
  candidates: CandidateFact[];
  commissionSlots: CommissionSlotFact[];
  documentsExamined: string[];
  appeals: string[];
};

export type MinutesSection = { key: string; heading: string; paragraphs: string[] };
export type MinutesContent = { title: string; sections: MinutesSection[] };

export type Incident = {
  userId: string;
  name: string;
  from: Date;
  /** null: not back before the end of the session. */
  to: Date | null;
  durationSeconds: number | null;
  /** What was decided or voted while the member was away. */
  meanwhile: string[];
};

/** « 1er décembre 2026 » (the Paris day of an instant). */
export const frenchDate = (d: Date) => formatParisLongDate(d);
/** « 9 h 04 »: the one time formatter (app/domain/format.ts). */
export { frenchTime };

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * A page of the session left by the member and another opened soon enough: moving between pages, no incident. Either
 * page may say so — the one leaving (its goodbye: `voluntary`) or the one arriving (`navigated`) — since a browser
 * unloading a page may drop its goodbye.
 */
export function isNavigation(disconnection: Pick<ConnectionFact, "at" | "voluntary">, reconnection: Pick<ConnectionFact, "at" | "navigated">): boolean {
  const seconds = (reconnection.at.getTime() - disconnection.at.getTime()) / 1000;
  const said = disconnection.voluntary === true || reconnection.navigated === true;
  return said && seconds >= 0 && seconds <= NAVIGATION_GRACE_SECONDS;
}

/** Disconnection → next reconnection per member, with what was decided meanwhile; blips apart; navigations not. */
export function computeIncidents(
  facts: Pick<MinutesFacts, "connections" | "members" | "candidates" | "session">,
): { incidents: Incident[]; blips: number } {
  const nameOf = (id: string) => facts.members.find((m) => m.userId === id)?.name ?? "Membre inconnu";
  const start = facts.session.actualStartAt;
  const end = facts.session.actualEndAt;
  const decided: Array<{ at: Date; text: string }> = [];
  for (const c of facts.candidates) {
    if (c.decision) decided.push({ at: c.decision.decidedAt, text: `${c.name} : ${OVERALL_DECISION_LABELS[c.decision.overall]}` });
    for (const p of c.polls) if (p.finishedAt) decided.push({ at: p.finishedAt, text: `${c.name} : vote clos « ${p.question} »` });
  }
  const sorted = [...facts.connections].sort((a, b) => a.at.getTime() - b.at.getTime());
  const open = new Map<string, ConnectionFact>();
  const incidents: Incident[] = [];
  let blips = 0;
  const close = (userId: string, away: Date, to: Date | null) => {
    // Away before the sitting opened (the secretariat preparing it elsewhere) is no incident of the sitting: only
    // the part after its opening counts.
    if (start && to && to <= start) return;
    const from = start && away < start ? start : away;
    const until = to ?? end;
    const durationSeconds = until ? Math.max(0, (until.getTime() - from.getTime()) / 1000) : null;
    if (to && durationSeconds !== null && durationSeconds < INCIDENT_MIN_SECONDS) {
      blips += 1;
      return;
    }
    const meanwhile = decided
      .filter((d) => d.at >= from && (until === null || d.at <= until))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((d) => `${frenchTime(d.at)} — ${d.text}`);
    incidents.push({ userId, name: nameOf(userId), from, to, durationSeconds, meanwhile });
  };
  for (const event of sorted) {
    if (event.kind === "DISCONNECTED") {
      if (!open.has(event.userId)) open.set(event.userId, event);
    } else {
      const from = open.get(event.userId);
      if (!from) continue;
      open.delete(event.userId);
      if (!isNavigation(from, event)) close(event.userId, from.at, event.at);
    }
  }
  for (const [userId, from] of open) close(userId, from.at, null);
  incidents.sort((a, b) => a.from.getTime() - b.from.getTime());
  return { incidents, blips };
}

/** A choice's label: the poll's own, « Abstention » for the abstention (never among a poll's options), else the code. */
const choiceLabel = (labels: Record<string, string>, choice: string) =>
  labels[choice] ?? (choice === ABSTAIN_OPTION.value ? ABSTAIN_OPTION.label : choice);

/** The totals in the options' order (`labels` is built from them), abstentions last, choices nobody took left out. */
function tallyText(tallies: Record<string, number> | null, labels: Record<string, string>): string {
  const parts = labelTallies(tallies, Object.entries(labels).map(([value, label]) => ({ value, label })));
  if (!parts) return "sans décompte";
  return parts.length ? parts.map((t) => `${t.label} : ${t.count}`).join(", ") : "aucune voix";
}

const MODE_LABELS = { CONSENSUS: "consensus", OPEN: "vote à main levée", SECRET: "vote à bulletin secret" } as const;
const CONFORMITY_STATUS = { ok: "conforme", nonConform: "non conforme", notApplicable: "sans objet", unverifiable: "non vérifiable" } as const;

function pollLines(p: PollFact): string[] {
  const head = `${p.question} — ${MODE_LABELS[p.mode]}`;
  if (p.mode === "CONSENSUS") {
    const choice = p.consensusChoice ? (p.labels[p.consensusChoice] ?? p.consensusChoice) : "sans conclusion";
    if (p.withdrawn) {
      return [`${head} : ${choice} — consensus retiré à ${frenchTime(p.withdrawn.at)} par ${p.withdrawn.by} (motif : ${sentence(p.withdrawn.reason, false)}).`];
    }
    return [`${head} : ${choice}.`];
  }
  const result = p.result ? (p.labels[p.result] ?? p.result) : p.tie ? "égalité" : "pas de majorité";
  const lines = [`${head} : ${tallyText(p.tallies, p.labels)} → ${result}.`];
  if (p.castingVoteChoice) {
    lines.push(`Voix prépondérante ${p.castingVoteBy ? `de ${p.castingVoteBy}` : "de la présidence"} : ${p.labels[p.castingVoteChoice] ?? p.castingVoteChoice}.`);
  }
  if (p.mode === "OPEN" && p.votes?.length) {
    lines.push(`Votes nominatifs : ${p.votes.map((v) => `${v.name} (${choiceLabel(p.labels, v.choice)})`).join(", ")}.`);
  }
  // A vote annulled (a member who took part in it declared a conflict of interest afterwards): it decided nothing.
  if (p.withdrawn) lines.push(`Vote annulé à ${frenchTime(p.withdrawn.at)} (motif : ${sentence(p.withdrawn.reason, false)}) : il ne vaut pas décision.`);
  return lines;
}

function placeText(s: MinutesFacts["session"]): string {
  if (s.remote) return `à distance${s.remoteMeans ? `, par ${s.remoteMeans}` : ", par la plateforme Quorum (visioconférence et documents partagés)"}`;
  return s.place ?? "lieu non renseigné";
}

/** Present / represented (by whom) / absent at the end of the session, from the émargement and the proxies. */
export function composition(facts: Pick<MinutesFacts, "members" | "attendance" | "proxies">) {
  const nameOf = (id: string) => facts.members.find((m) => m.userId === id)?.name ?? "?";
  const everPresent = new Set(facts.attendance.filter((a) => a.kind === "ARRIVED").map((a) => a.userId));
  return facts.members.map((m) => {
    const arrivals = facts.attendance.filter((a) => a.userId === m.userId).sort((a, b) => a.at.getTime() - b.at.getTime());
    const times = arrivals.map((a) => `${a.kind === "ARRIVED" ? "arrivée" : "départ"} ${frenchTime(a.at)}`).join(", ");
    const proxy = facts.proxies.find((p) => p.giverId === m.userId && !p.revokedAt && everPresent.has(p.holderId));
    const status = everPresent.has(m.userId) ? "présent(e)" : proxy ? `représenté(e) par ${nameOf(proxy.holderId)}` : "absent(e)";
    return { ...m, status, times };
  });
}

export function buildMinutes(facts: MinutesFacts): MinutesContent {
  const s = facts.session;
  const jury = facts.kind === "JURY";
  const title = jury ? "Procès-verbal de délibération du jury" : "Procès-verbal de la commission d'évaluation";
  const sections: MinutesSection[] = [];
  const cert = facts.certification;
  sections.push({
    key: "body",
    heading: "Instance et certification",
    paragraphs: [
      `Instance : ${facts.organisation.legalName}${facts.organisation.name !== facts.organisation.legalName ? ` (${facts.organisation.name})` : ""}.`,
      `Certificateur : ${cert?.certifierName ?? facts.organisation.legalName}.`,
      cert
        ? `Certification : ${cert.title} — ${cert.kindLabel} ${cert.code}, référentiel version ${cert.version}.`
        : "Certification : non renseignée.",
      ...(cert?.blocs.length ? [`Blocs de compétences : ${cert.blocs.map((b) => `${b.code} ${b.title}`).join(" ; ")}.`] : []),
    ],
  });
  const start = s.actualStartAt ?? null;
  const end = s.actualEndAt ?? null;
  sections.push({
    key: "sitting",
    heading: "Séance",
    paragraphs: [
      `${s.title}, le ${frenchDate(s.startsAt)}, ${placeText(s)}.`,
      `Ouverture : ${start ? frenchTime(start) : `prévue à ${frenchTime(s.startsAt)} (non enregistrée)`} ; clôture : ${end ? frenchTime(end) : "séance non close"}.`,
    ],
  });
  const comp = composition(facts);
  const president = facts.members.find((m) => m.role === "PRESIDENT");
  const vice = facts.members.find((m) => m.role === "VICE_PRESIDENT");
  sections.push({
    key: "composition",
    heading: "Composition",
    paragraphs: [
      `Président(e) : ${president?.name ?? "non désigné(e)"} ; vice-président(e) : ${vice?.name ?? "non désigné(e)"}.`,
      ...comp.map(
        (m) =>
          `${m.name} — ${SEAT_LABELS[m.role]}${m.college ? `, ${COLLEGE_IN_SENTENCE[m.college]}` : ""} : ${jury ? m.status : "siège"}${m.times ? ` (${m.times})` : ""}.`,
      ),
    ],
  });
  if (jury) {
    sections.push({
      key: "quorum",
      heading: "Quorum",
      paragraphs:
        facts.quorumEvents.length === 0
          ? ["Aucun événement de quorum enregistré."]
          : [...facts.quorumEvents]
              .sort((a, b) => a.at.getTime() - b.at.getTime())
              .map((q) =>
                q.kind === "RECOVERED"
                  ? `${frenchTime(q.at)} — quorum atteint.`
                  : // Each reason is a sentence (computeQuorum): its own full stop goes, the line ends with one.
                    `${frenchTime(q.at)} — quorum perdu${q.reasons.length ? ` : ${q.reasons.map((r) => r.replace(/\.\s*$/, "")).join(" ; ")}` : ""}.`,
              ),
    });
    sections.push({
      key: "documents",
      heading: "Documents examinés",
      paragraphs: facts.documentsExamined.length ? facts.documentsExamined : ["Aucun document enregistré."],
    });
    for (const [index, c] of facts.candidates.entries()) {
      const paragraphs: string[] = [];
      if (c.postponed && !c.decision) {
        // Not deliberated: no conformity check, vote or decision to tell; the recusals say why.
        sections.push({ key: `candidate-${index + 1}`, heading: candidateLine(c.name), paragraphs: postponedLines(c.postponed) });
        continue;
      }
      const nonConform = c.conformity.filter((i) => i.status !== "ok" && i.status !== "notApplicable");
      paragraphs.push(
        `Contrôle de conformité : ${nonConform.length === 0 ? "conforme" : nonConform.map((i) => `${i.label} (${CONFORMITY_STATUS[i.status]}${i.reason ? ` : ${sentence(i.reason, false)}` : ""})`).join(" ; ")}.`,
      );
      for (const r of c.conformityRemarks) paragraphs.push(`Remarque : ${r}`);
      const conducted = c.decision?.conductedBy;
      if (conducted) {
        paragraphs.push(
          `Présidence pour ce candidat : ${conducted.name}${conducted.presidentRecusal ? ` (le président, récusé : ${conducted.presidentRecusal.charAt(0).toLowerCase()}${conducted.presidentRecusal.slice(1)}, n'a pas pris part à la délibération)` : " (en l'absence du président)"}.`,
        );
      }
      paragraphs.push(...declarationLines(c));
      for (const p of c.polls) paragraphs.push(...pollLines(p));
      if (c.decision) {
        const d = c.decision;
        for (const item of d.items) {
          paragraphs.push(
            `${item.target === "BLOC" ? "Bloc" : "Compétence"} ${item.code} : ${item.acquired ? "acquis" : "non acquis"}${item.followed ? " (avis de la commission suivi)" : ` (avis de la commission non suivi${item.reason ? ` : ${sentence(item.reason, false)}` : ""})`}.`,
          );
        }
        const votesTaken = c.polls.filter((p) => p.mode !== "CONSENSUS" && p.finishedAt).length;
        const how =
          d.method === "APPEAL"
            ? DECIDED_ON_APPEAL
            : d.method === "CONSENSUS"
              ? decisionWithoutOverallVote(votesTaken)
              : `${MODE_LABELS[d.method]} (${tallyText(d.tallies, OVERALL_DECISION_LABELS)})`;
        const casting = d.castingVoteUsed ? `, voix prépondérante ${d.castingVoteBy ? `de ${d.castingVoteBy}` : "du président"}` : "";
        paragraphs.push(`Décision : ${OVERALL_DECISION_LABELS[d.overall]}, ${how}${casting}, à ${frenchTime(d.decidedAt)}.`);
        if (d.overall === "ADJOURNED") paragraphs.push(`Motif de l'ajournement : ${d.adjournmentReason ?? "non précisé"}.`);
        const missing = d.items.filter((i) => !i.acquired);
        if (d.overall === "PARTIAL" || d.overall === "NONE") {
          paragraphs.push(
            `${missing.length > 1 ? "Restent à acquérir" : "Reste à acquérir"} : ${missing.length ? missing.map((i) => `${i.code}${i.reason ? ` (${sentence(i.reason, false)})` : ""}`).join(" ; ") : "aucun élément désigné"}.`,
          );
        }
      } else {
        paragraphs.push("Décision : non prise.");
      }
      if (c.preconisations.trim()) paragraphs.push(`Préconisations : ${c.preconisations.trim()}`);
      sections.push({ key: `candidate-${index + 1}`, heading: candidateLine(c.name), paragraphs });
    }
  } else {
    sections.push({
      key: "heard",
      heading: "Candidats entendus",
      paragraphs: facts.commissionSlots.length
        ? facts.commissionSlots.map(
            (slot) =>
              `${slot.candidate} — passage à ${frenchTime(slot.startsAt)} ; grille ${slot.gridStatus === "SIGNED" ? `signée${slot.signedAt ? ` à ${frenchTime(slot.signedAt)}` : ""}` : slot.gridStatus === "SIGNING" ? "en signature" : "non signée"}${slot.outcome ? ` ; ${slot.outcome}` : ""}.`,
          )
        : ["Aucun candidat."],
    });
  }
  const { incidents, blips } = computeIncidents(facts);
  const incidentLines = coalesceIncidents(incidents).map((line) => {
    if (line.kind === "brief") return briefDisconnectionsLine(line);
    const i = line.incident;
    const span = i.to
      ? `de ${frenchTime(i.from)} à ${frenchTime(i.to)} (${formatDuration(i.durationSeconds ?? 0)})`
      : `à partir de ${frenchTime(i.from)}, connexion non rétablie${i.durationSeconds !== null ? ` avant la clôture (${formatDuration(i.durationSeconds)})` : ""}`;
    const meanwhile = i.meanwhile.length ? ` Pendant l'interruption : ${i.meanwhile.join(" ; ")}.` : " Rien n'a été décidé pendant l'interruption.";
    return `${i.name} déconnecté(e) ${span}.${meanwhile}`;
  });
  if (blips > 0) {
    incidentLines.push(
      blips > 1
        ? `${blips} coupures de moins de ${INCIDENT_MIN_SECONDS} secondes, non détaillées.`
        : `1 coupure de moins de ${INCIDENT_MIN_SECONDS} secondes, non détaillée.`,
    );
  }
  sections.push({ key: "incidents", heading: "Incidents techniques", paragraphs: incidentLines.length ? incidentLines : ["Aucun incident technique."] });
  if (jury) {
    sections.push({
      key: "appeals",
      heading: "Recours",
      paragraphs: facts.appeals.length ? facts.appeals : ["Aucun recours examiné."],
    });
    const admitted = facts.candidates.filter((c) => c.decision && (c.decision.overall === "TOTAL" || c.decision.overall === "PARTIAL"));
    // Reported to a later jury: neither admitted nor not admitted by this jury, listed apart.
    const postponed = facts.candidates.filter((c) => c.postponed && !c.decision);
    const notAdmitted = facts.candidates.filter((c) => !admitted.includes(c) && !postponed.includes(c));
    sections.push({
      key: "annex",
      heading: "Annexe : candidats admis et non admis",
      paragraphs: [
        `Admis : ${admitted.length ? admitted.map((c) => `${c.name} (${OVERALL_DECISION_LABELS[c.decision!.overall].toLowerCase()})`).join(", ") : "aucun"}.`,
        `Non admis : ${notAdmitted.length ? notAdmitted.map((c) => `${c.name} (${c.decision ? OVERALL_DECISION_LABELS[c.decision.overall].toLowerCase() : "sans décision"})`).join(", ") : "aucun"}.`,
        ...(postponed.length
          ? [
              `${postponed.length > 1 ? "Reportés" : "Reporté(e)"} à un jury ultérieur, non ${postponed.length > 1 ? "délibérés" : "délibéré(e)"} : ${postponed.map((c) => c.name).join(", ")}.`,
            ]
          : []),
      ],
    });
  }
  return { title, sections };
}

/**
 * A candidate reported to a later jury, as the minutes tell it: not deliberated, reported when and by whom, and why
 * (the recusals that left nobody entitled to deliberate on him in this jury, or no chair to conduct it).
 */
export function postponedLines(postponed: NonNullable<CandidateFact["postponed"]>): string[] {
  return [
    `Dossier non délibéré : reporté à un jury ultérieur à ${frenchTime(postponed.at)}${postponed.by ? ` par ${postponed.by}, qui présidait la séance` : ""}, personne ne pouvant délibérer sur ce candidat dans ce jury.`,
    `Récusations : ${postponed.reason.trim() || "non précisées."}`,
    "Décision : aucune, le dossier est rendu au secrétariat pour l'ordre du jour d'un autre jury.",
  ];
}

/** Plain text of the generated sections (page preview, PDF, canonical content). */
export function minutesText(content: MinutesContent): string {
  return [content.title, ...content.sections.flatMap((s) => ["", s.heading, ...s.paragraphs])].join("\n");
}

/**
 * Per candidate, the members' declarations (DOMAIN.md: each member declares the absence of conflict per candidate):
 * who declared no link, who declared a conflict (recused), who was recused for a link Quorum knows, and who was
 * entitled to a vote without ever declaring, so could not cast a ballot. Facts without the declarations (a
 * commission's candidates) print nothing.
 */
export function declarationLines(c: Pick<CandidateFact, "declaredConflicts" | "declaredNoLink" | "linkRecusals" | "undeclaredVoters">): string[] {
  const lines: string[] = [];
  if (c.declaredNoLink) {
    lines.push(
      c.declaredNoLink.length > 0
        ? `Absence de lien avec le candidat déclarée par : ${c.declaredNoLink.join(", ")}.`
        : "Aucun membre n'a déclaré l'absence de lien avec ce candidat.",
    );
  }
  const conflicts = c.declaredConflicts ?? [];
  if (conflicts.length > 0) {
    lines.push(
      `Conflit d'intérêts déclaré : ${conflicts.join(", ")}, qui ${conflicts.length > 1 ? "ne prennent" : "ne prend"} pas part à la délibération sur ce candidat.`,
    );
  }
  const linked = c.linkRecusals ?? [];
  if (linked.length > 0) {
    lines.push(
      `Récusé${linked.length > 1 ? "s" : ""} pour un lien avec le candidat : ${linked.map((r) => `${r.name} (${r.reason.charAt(0).toLowerCase()}${r.reason.slice(1)})`).join(", ")} — sans part à la délibération sur ce candidat.`,
    );
  }
  const undeclared = c.undeclaredVoters ?? [];
  if (undeclared.length > 0) {
    lines.push(
      `Sans déclaration d'absence de lien : ${undeclared.join(", ")}, qui ${undeclared.length > 1 ? "n'ont" : "n'a"} donc pas pu voter sur ce candidat.`,
    );
  }
  return lines;
}
