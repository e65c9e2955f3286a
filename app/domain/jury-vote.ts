/**
 * Votes of a paritary jury: who may vote on a candidate, the majority rule, ties and the casting vote, consensus,
 * open and secret modes. Pure, no I/O. Modelled on OpenSlides polls: created → started → finished, the entitled
 * voters frozen when the poll starts.
 *
 * - Recused members (a declared conflict of interest, or linked to the candidate: trainer, evaluator) neither vote
 *   nor count for that candidate.
 * - Majority base "present": absolute majority of the (non-recused) members present; proxies count for quorum only.
 *   "presentOrRepresented": of those present or represented; a holder also votes for each giver it represents.
 * - A choice wins with more than half of the base. When the leading choices tie, the casting vote decides (the
 *   holder the scheme names, who must be present); without a casting vote or a majority, nothing is decided.
 */
import { computeQuorum, isVotingMember, type JuryMember, type ProxyCheck, type ProxyGrant, type QuorumInput } from "./quorum";
import { VOTE_MODE_LABELS, type JuryRules, type VoteMode } from "./scheme";
import { COLLEGE_NAMES, COLLEGES, type College } from "./college";
import { formatParisLongDate } from "./paris-date";

export type PollState = "CREATED" | "STARTED" | "FINISHED";
export type PollModeCode = "CONSENSUS" | "OPEN" | "SECRET";
export const POLL_MODE_OF: Record<VoteMode, PollModeCode> = { consensus: "CONSENSUS", open: "OPEN", secret: "SECRET" };

/**
 * A vote asked on the question a running vote is about, in another mode (French): the running one is not what was
 * asked (a secret ballot answered with a vote by name, or the reverse), so it is refused rather than answered as a
 * double click. Null in the same mode: the same vote.
 */
export function runningModeRefusal(running: PollModeCode, asked: PollModeCode): string | null {
  if (running === asked) return null;
  return `Un ${running === "SECRET" ? "vote à bulletin secret" : "vote à main levée"} est déjà en cours sur cette question : clôturez-le d'abord.`;
}
export const VOTE_MODE_OF: Record<PollModeCode, VoteMode> = { CONSENSUS: "consensus", OPEN: "open", SECRET: "secret" };

export const ABSTAIN = "ABSTAIN";
export type PollOption = { value: string; label: string };

export const OVERALL_OPTIONS: readonly PollOption[] = [
  { value: "TOTAL", label: "Délivrance totale" },
  { value: "PARTIAL", label: "Délivrance partielle" },
  { value: "NONE", label: "Non-délivrance" },
  { value: "ADJOURNED", label: "Ajournement" },
];
export const TARGET_OPTIONS: readonly PollOption[] = [
  { value: "ACQUIRED", label: "Acquis" },
  { value: "NOT_ACQUIRED", label: "Non acquis" },
];
export const ABSTAIN_OPTION: PollOption = { value: ABSTAIN, label: "Abstention" };

/* ------------------------------------------------------------------ recusal */

export type RecusalFacts = {
  /** Members who declared a conflict of interest for this candidate. */
  declaredConflictIds: Iterable<string>;
  /** The candidate's trainer, when a Quorum user. */
  trainerId?: string | null;
  /** Users who evaluated this candidate (commission). */
  evaluatorIds?: Iterable<string>;
};

/** The reason `recusals` gives an evaluator of the candidate. */
export const EVALUATOR_REASON = "Évaluateur du candidat";

/** Recused members for one candidate, with the reason (French). */
export function recusals(members: readonly JuryMember[], facts: RecusalFacts): Map<string, string> {
  const recused = new Map<string, string>();
  const seated = new Set(members.map((m) => m.userId));
  for (const id of facts.declaredConflictIds) if (seated.has(id)) recused.set(id, "Conflit d'intérêts déclaré");
  if (facts.trainerId && seated.has(facts.trainerId) && !recused.has(facts.trainerId)) {
    recused.set(facts.trainerId, "Formateur du candidat");
  }
  for (const id of facts.evaluatorIds ?? []) {
    if (seated.has(id) && !recused.has(id)) recused.set(id, EVALUATOR_REASON);
  }
  return recused;
}

export type RecusalDeadlock = {
  /** Colleges left without enough members entitled to deliberate on the candidate (seated, not recused). */
  colleges: College[];
  /** Every seated chair (president, vice-president) is recused: nobody may conduct the deliberation. */
  chairs: boolean;
  /** What blocks, one sentence per college or for the presidency, naming who is recused and why (French). */
  lines: string[];
  /** What resolves it (French). */
  remedy: string;
  /** The whole statement, as commands refuse with it (French). */
  message: string;
};

/** When each evaluator evaluated the candidate, from his sealed passages (their commission's date and evaluators). */
export function evaluatedAtOf(passages: ReadonlyArray<{ at: Date; userIds: readonly string[] }>): Map<string, Date[]> {
  const dates = new Map<string, Date[]>();
  for (const passage of passages) {
    for (const id of passage.userIds) dates.set(id, [...(dates.get(id) ?? []), passage.at]);
  }
  return dates;
}

/**
 * Whether recusals alone make the deliberation on one candidate impossible in this jury, whoever attends: a college
 * whose seated voting members are recused for him (fewer than `minPerCollege` left, the panel being complete
 * otherwise), or every seated chair recused. Says who is recused and why (an evaluator: the commission's date), and
 * what resolves it: the secretariat seats, before the sitting opens, a member of that college without link to him
 * (or gives a chair to a member not recused), or takes his dossier off this jury's agenda for another jury's. Once
 * the sitting is open, its composition and agenda no longer change. Null when nothing is blocked by recusals.
 */
export function recusalDeadlock(input: {
  members: ReadonlyArray<JuryMember & { displayName: string }>;
  recused: ReadonlyMap<string, string>;
  /** When each evaluator evaluated the candidate: the dates of the commissions, by user id. */
  evaluatedAt?: ReadonlyMap<string, ReadonlyArray<Date | string>>;
  minPerCollege: number;
  /** The sitting not open yet (planned): its composition and agenda may still change. */
  planned: boolean;
}): RecusalDeadlock | null {
  const { recused } = input;
  if (recused.size === 0) return null;
  const voting = input.members.filter(isVotingMember);
  const colleges = COLLEGES.filter((college) => {
    const seated = voting.filter((m) => m.college === college);
    const free = seated.filter((m) => !recused.has(m.userId)).length;
    return seated.length >= input.minPerCollege && free < input.minPerCollege;
  });
  const chairs = voting.filter((m) => m.role === "PRESIDENT" || m.role === "VICE_PRESIDENT");
  const chairsRecused = chairs.length > 0 && chairs.every((m) => recused.has(m.userId));
  if (colleges.length === 0 && !chairsRecused) return null;

  const why = (userId: string) => {
    const reason = recused.get(userId)!;
    const dates = reason === EVALUATOR_REASON ? [...new Set((input.evaluatedAt?.get(userId) ?? []).map((d) => formatParisLongDate(d)))] : [];
    return dates.length > 0 ? `a évalué ce candidat à la commission du ${dates.join(" et du ")}` : reason.charAt(0).toLowerCase() + reason.slice(1);
  };
  const named = new Set<string>();
  const who = (members: ReadonlyArray<{ userId: string; displayName: string }>) =>
    members
      .map((m) => {
        const first = !named.has(m.userId);
        named.add(m.userId);
        return first ? `${m.displayName} (${why(m.userId)})` : m.displayName;
      })
      .join(", ");
  const lines: string[] = [];
  for (const college of colleges) {
    const out = voting.filter((m) => m.college === college && recused.has(m.userId));
    const free = voting.filter((m) => m.college === college && !recused.has(m.userId)).length;
    const left =
      free === 0
        ? "aucun membre de ce collège ne peut délibérer sur ce candidat"
        : `${free > 1 ? `${free} membres seulement de ce collège peuvent` : "1 seul membre de ce collège peut"} délibérer sur ce candidat, ${input.minPerCollege} requis`;
    lines.push(`Collège ${COLLEGE_NAMES[college]} : ${who(out)} ${out.length > 1 ? "sont récusés" : "est récusé"} ; ${left}.`);
  }
  if (chairsRecused) {
    const label = (m: JuryMember) => (m.role === "PRESIDENT" ? "le président" : "le vice-président");
    const list = chairs.map((m) => `${label(m)} ${who([{ userId: m.userId, displayName: m.displayName }])}`).join(" et ");
    lines.push(`Présidence : ${list} ${chairs.length > 1 ? "sont récusés" : "est récusé"} ; personne ne peut conduire sa délibération.`);
  }
  const steps = [
    ...colleges.map((college) => `faire siéger un membre habilité du collège ${COLLEGE_NAMES[college]} sans lien avec ce candidat (qui ne l'a ni évalué ni formé)`),
    ...(chairsRecused ? ["confier la présidence ou la vice-présidence à un membre non récusé"] : []),
  ];
  const remedy = input.planned
    ? `Pour en délibérer, le secrétariat doit, avant l'ouverture de la séance (planification du jury), ${steps.join(" et ")}, ou retirer son dossier de l'ordre du jour de ce jury pour l'inscrire à celui d'un autre jury.`
    : "La séance étant ouverte, la composition du jury et son ordre du jour ne peuvent plus changer : ce candidat ne peut pas être délibéré dans cette séance. Le président de séance peut le reporter à un jury ultérieur (« Reporter à un jury ultérieur ») : son dossier retourne au secrétariat pour l'ordre du jour d'un autre jury, et la séance peut être levée.";
  const message = `Personne ne peut délibérer sur ce candidat dans ce jury. ${lines.join(" ")} ${remedy}`;
  return { colleges, chairs: chairsRecused, lines, remedy, message };
}

/**
 * Why a jury member may not read a candidate's files (his evidence: proofs, dossier de validation, identity documents),
 * in French, or null: a member recused for the candidate (`recusals`' reason) neither downloads them nor sees them
 * listed in the room; the other members and the secretariat still do.
 */
export function recusedEvidenceRefusal(recusalReason: string | null | undefined): string | null {
  if (!recusalReason) return null;
  const reason = recusalReason.charAt(0).toLowerCase() + recusalReason.slice(1);
  return `Vous êtes récusé pour ce candidat (${reason}) : les pièces de son dossier ne vous sont pas accessibles.`;
}

/**
 * Why a jury member may not read a candidate's evaluation (the commission's grids, their signed PDFs, the fiche de
 * décision's PDF), in French, or null: a member recused for the candidate (`recusals`' reason) takes no part in the
 * decision on him, so he is refused what it rests on, as his files (`recusedEvidenceRefusal`); the room shows this
 * instead of the grids and their links. The other members and the secretariat still read them.
 */
export function recusedEvaluationRefusal(recusalReason: string | null | undefined): string | null {
  if (!recusalReason) return null;
  const reason = recusalReason.charAt(0).toLowerCase() + recusalReason.slice(1);
  return `Vous êtes récusé pour ce candidat (${reason}) : son évaluation (grilles de la commission, issue calculée par le règlement, fiche de décision) ne vous est pas accessible.`;
}

/* ------------------------------------------------------------------ declarations */

/**
 * Why a member recused for a link Quorum knows (`recusals` without the declared conflicts: the candidate's trainer or
 * evaluator) is refused a declaration on that candidate, in French, or null: « Je n'ai aucun lien avec ce candidat »
 * would be false, and a declared conflict would add nothing to a recusal already known. He neither votes nor counts.
 */
export function knownLinkDeclarationRefusal(knownLinkReason: string | null | undefined): string | null {
  if (!knownLinkReason) return null;
  const reason = knownLinkReason.charAt(0).toLowerCase() + knownLinkReason.slice(1);
  return `Vous êtes récusé·e pour ce candidat (${reason}) : vous ne votez pas sur lui et n'avez pas de déclaration à faire. Rien n'a été enregistré.`;
}

/** Why a declaration's form is refused when it says neither « no link » nor « conflict » (a tampered or stale form). */
export const DECLARATION_CHOICE_MISSING =
  "Choisissez votre déclaration : « Je n'ai aucun lien avec ce candidat » ou « Je déclare un conflit d'intérêts ». Rien n'a été enregistré.";

/**
 * A member's declaration for a candidate as its form sends it (`conflict`): « true » (or a checked box, « on ») declares
 * a conflict of interest, « false » the absence of any link; anything else — the field missing, a typo — is no
 * declaration at all (null), never the absence of a link, which the member must have chosen.
 */
export function declaredConflictOf(value: unknown): boolean | null {
  if (value === "true" || value === "on") return true;
  if (value === "false") return false;
  return null;
}

/** The refusal of a ballot from a member who has not declared, for this candidate, the absence of any link (French). */
export const NO_LINK_FIRST =
  "Déclarez d'abord l'absence de lien avec ce candidat (« Je n'ai aucun lien avec ce candidat ») : sans cette déclaration, vous ne pouvez pas voter.";

/**
 * Voting members, among `userIds`, who must declare for this candidate before taking part and have not: neither a
 * declaration (no link, or a conflict) nor a recusal for a link Quorum knows (trainer, evaluator), which needs none.
 */
export function undeclaredMembers(
  members: readonly JuryMember[],
  userIds: Iterable<string>,
  declaredIds: ReadonlySet<string>,
  recused: ReadonlySet<string> | ReadonlyMap<string, string>,
): string[] {
  const voting = new Set(members.filter(isVotingMember).map((m) => m.userId));
  return [...new Set(userIds)].filter((id) => voting.has(id) && !declaredIds.has(id) && !recused.has(id));
}

/**
 * Why a consensus on this candidate cannot be recorded yet (French), or null: a consensus is reached among the
 * members present, so each of them — not recused — must have declared first that he has no link with the candidate.
 */
export function consensusDeclarationRefusal(undeclaredNames: readonly string[]): string | null {
  if (undeclaredNames.length === 0) return null;
  const one = undeclaredNames.length === 1;
  return `${one ? "Un membre présent n'a" : "Des membres présents n'ont"} pas encore déclaré l'absence de lien avec ce candidat (${undeclaredNames.join(", ")}) : un consensus ne se constate qu'entre membres qui l'ont fait.`;
}

/* ------------------------------------------------------------------ entitled voters */

export type VoteRight = {
  /** The member whose vote this is. */
  userId: string;
  /** Who casts it: the member, or the proxy holder for a represented member. */
  actingUserId: string;
};

export type Electorate = {
  rights: VoteRight[];
  /** Majority base: members counted (present, or present and represented). */
  base: number;
  recusedIds: string[];
};

/** The voters entitled on one candidate now (frozen when a poll starts). */
export function electorate(
  rules: Pick<JuryRules, "majorityBase"> & QuorumInput["rules"],
  members: readonly JuryMember[],
  presentUserIds: Iterable<string>,
  proxies: readonly ProxyGrant[],
  recused: ReadonlySet<string> | ReadonlyMap<string, string>,
): Electorate {
  const quorum = computeQuorum({ rules, members, presentUserIds, proxies });
  const isRecused = (id: string) => recused.has(id);
  const rights: VoteRight[] = [];
  for (const id of quorum.presentIds) if (!isRecused(id)) rights.push({ userId: id, actingUserId: id });
  if (rules.majorityBase === "presentOrRepresented") {
    for (const proxy of quorum.proxies) {
      // A recused holder takes no part in the candidate's vote, not even for the member he represents.
      if (proxy.valid && !isRecused(proxy.giverId) && !isRecused(proxy.holderId)) rights.push({ userId: proxy.giverId, actingUserId: proxy.holderId });
    }
  }
  const recusedIds = members.filter((m) => isVotingMember(m) && isRecused(m.userId)).map((m) => m.userId);
  return { rights, base: rights.length, recusedIds };
}

/**
 * Who may cast an entitled voter's ballot now (OpenSlides freezes WHO counts when the poll starts; who casts a ballot
 * follows attendance and proxies as they are now): the member while present; while absent, the holder of a proxy
 * that counts now, under the present-or-represented base only; else nobody. So a revoked proxy, or its giver back,
 * ends the holder's right in the open vote.
 */
export function actingVoterNow(
  userId: string,
  majorityBase: string,
  presentUserIds: ReadonlySet<string>,
  proxies: readonly ProxyCheck[],
): string | null {
  if (presentUserIds.has(userId)) return userId;
  if (majorityBase !== "presentOrRepresented") return null;
  return proxies.find((p) => p.valid && p.giverId === userId)?.holderId ?? null;
}

/** A poll's frozen rights with who may cast each ballot now (actingVoterNow): null when nobody may. */
export function rightsNow(
  rights: readonly VoteRight[],
  majorityBase: string,
  presentUserIds: ReadonlySet<string>,
  proxies: readonly ProxyCheck[],
): Array<{ userId: string; actingUserId: string | null }> {
  return rights.map((r) => ({ userId: r.userId, actingUserId: actingVoterNow(r.userId, majorityBase, presentUserIds, proxies) }));
}

/* ------------------------------------------------------------------ modes */

/** Why the president may not use this mode (French), or null. */
export function voteModeRefusal(rules: Pick<JuryRules, "voteModes">, mode: VoteMode): string | null {
  return rules.voteModes.includes(mode)
    ? null
    : `Le règlement de la certification n'admet pas ce mode de décision (${VOTE_MODE_LABELS[mode].toLowerCase()}).`;
}

/* ------------------------------------------------------------------ casting a vote */

export type CastCheck = {
  state: PollState;
  mode: PollModeCode;
  options: readonly PollOption[];
  /** Frozen at start: who counts. */
  rights: readonly VoteRight[];
  recusedIds: readonly string[];
  /** Voting members present now: a member votes for himself only while present. */
  present: ReadonlySet<string>;
  /** The poll's majority base (frozen at start) and the active proxies as they count now (computeQuorum). */
  majorityBase: string;
  proxies: readonly ProxyCheck[];
  actor: { userId: string; role: SeatRole | null };
  /**
   * Members who declared, for this candidate, that they have no link with him (a declared conflict recuses: see
   * recusedIds). Neither a member nor a proxy holder votes before that declaration, nor for a member without it.
   */
  declaredIds: ReadonlySet<string>;
  /** The member voted for (the actor, or a giver the actor represents). */
  forUserId: string;
  choice: string;
  alreadyVoted: boolean;
};
type SeatRole = JuryMember["role"];

/** Why this ballot is refused (French), or null. */
export function castRefusal(check: CastCheck): string | null {
  if (check.mode === "CONSENSUS") return "Cette décision se prend par consensus : il n'y a pas de bulletin à déposer.";
  if (check.state === "CREATED") return "Le vote n'est pas encore ouvert.";
  if (check.state === "FINISHED") return "Le vote est clos : votre bulletin n'a pas été pris en compte.";
  if (check.actor.role === null) return "Vous ne siégez pas dans ce jury : vous ne pouvez pas voter.";
  if (check.actor.role === "OBSERVER") return "Un observateur ne vote pas.";
  if (check.actor.role === "SECRETARY") return "Le secrétaire de séance ne vote pas.";
  if (check.recusedIds.includes(check.forUserId)) {
    return check.forUserId === check.actor.userId
      ? "Vous êtes récusé pour ce candidat : vous ne prenez pas part au vote."
      : "Le membre représenté est récusé pour ce candidat.";
  }
  if (check.recusedIds.includes(check.actor.userId)) {
    return "Vous êtes récusé pour ce candidat : vous ne prenez pas part au vote, pas même par procuration.";
  }
  const right = check.rights.find((r) => r.userId === check.forUserId);
  if (!right) {
    return check.forUserId === check.actor.userId
      ? "Vous n'étiez pas présent à l'ouverture du vote : vous ne pouvez pas y prendre part."
      : "Cette procuration ne donnait pas droit de vote à l'ouverture du scrutin.";
  }
  const acting = actingVoterNow(check.forUserId, check.majorityBase, check.present, check.proxies);
  if (acting !== check.actor.userId) {
    if (check.forUserId === check.actor.userId) {
      return "Vous n'êtes pas présent : signalez d'abord votre arrivée (émargement) pour voter.";
    }
    if (check.present.has(check.forUserId)) return "Ce membre est présent : c'est lui qui vote.";
    if (right.actingUserId === check.actor.userId) {
      return "Votre procuration pour ce membre ne compte plus (révoquée, ou vous n'êtes plus présent) : vous ne pouvez plus voter pour lui.";
    }
    return "Vous ne pouvez voter que pour vous-même ou pour un membre dont vous détenez la procuration.";
  }
  if (!check.declaredIds.has(check.actor.userId)) {
    return check.forUserId === check.actor.userId
      ? NO_LINK_FIRST
      : "Déclarez d'abord l'absence de lien avec ce candidat (« Je n'ai aucun lien avec ce candidat ») : sans cette déclaration, vous ne votez pas, pas même par procuration.";
  }
  if (!check.declaredIds.has(check.forUserId)) {
    return "Le membre représenté n'a pas déclaré l'absence de lien avec ce candidat : son vote ne peut pas être exprimé.";
  }
  if (!check.options.some((o) => o.value === check.choice) && check.choice !== ABSTAIN) return "Choix de vote inconnu.";
  if (check.alreadyVoted) return "Vous avez déjà voté.";
  return null;
}

/* ------------------------------------------------------------------ result */

export type Tally = Record<string, number>;

export function tally(options: readonly PollOption[], choices: Iterable<string>): Tally {
  const counts: Tally = Object.fromEntries([...options.map((o) => [o.value, 0]), [ABSTAIN, 0]]);
  for (const choice of choices) counts[choice] = (counts[choice] ?? 0) + 1;
  return counts;
}

export type PollOutcome =
  | { kind: "decided"; choice: string; votes: number; needed: number }
  | { kind: "tie"; tied: string[]; votes: number; needed: number }
  | { kind: "noMajority"; needed: number; reason: string };

/** Votes needed for an absolute majority of `base`. */
export const absoluteMajority = (base: number) => Math.floor(base / 2) + 1;

export function pollOutcome(counts: Tally, base: number): PollOutcome {
  const needed = absoluteMajority(base);
  const ranked = Object.entries(counts)
    .filter(([choice, n]) => choice !== ABSTAIN && n > 0)
    .sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (!top) return { kind: "noMajority", needed, reason: "Aucun suffrage exprimé." };
  if (top[1] >= needed) return { kind: "decided", choice: top[0], votes: top[1], needed };
  const tied = ranked.filter(([, n]) => n === top[1]).map(([c]) => c);
  if (tied.length > 1) return { kind: "tie", tied, votes: top[1], needed };
  return {
    kind: "noMajority",
    needed,
    reason: `Aucun choix n'atteint la majorité absolue (${needed} voix sur ${base}).`,
  };
}

/**
 * Who holds the casting vote now: the president ("president"; the vice-president presiding in their absence, or on a
 * candidate for whom the president is recused), the
 * chair from the employers' college ("employerChair"), or nobody. Null, with the reason, when nobody may use it.
 */
export function castingVoteHolder(
  rules: Pick<JuryRules, "castingVote">,
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  recused: ReadonlySet<string> | ReadonlyMap<string, string> = new Set(),
): { userId: string; reason: null } | { userId: null; reason: string } {
  if (rules.castingVote === "none") {
    return { userId: null, reason: "Le règlement ne prévoit pas de voix prépondérante : l'égalité ne départage pas." };
  }
  const president = members.find((m) => m.role === "PRESIDENT");
  const vice = members.find((m) => m.role === "VICE_PRESIDENT");
  let holder: JuryMember | undefined;
  if (rules.castingVote === "employerChair") {
    holder = [president, vice].find((m) => m?.college === "EMPLOYER");
    if (!holder) return { userId: null, reason: "Aucun président ou vice-président du collège employeurs n'est désigné." };
    if (!presentUserIds.has(holder.userId)) {
      return { userId: null, reason: "Le président du collège employeurs, qui a voix prépondérante, est absent." };
    }
  } else {
    // Whoever conducts the deliberation on this candidate: a recused president's casting vote passes with the chair.
    const presiding = presidingMember(members, presentUserIds, recused);
    if (presiding) return { userId: presiding, reason: null };
    holder = president && presentUserIds.has(president.userId) ? president : vice;
    if (!holder || !presentUserIds.has(holder.userId)) {
      return { userId: null, reason: "Ni le président ni le vice-président n'est présent pour la voix prépondérante." };
    }
  }
  if (recused.has(holder.userId)) {
    return { userId: null, reason: "Le titulaire de la voix prépondérante est récusé pour ce candidat." };
  }
  return { userId: holder.userId, reason: null };
}

/** Why this casting vote is refused (French), or null. */
export function castingVoteRefusal(
  outcome: PollOutcome,
  holder: ReturnType<typeof castingVoteHolder>,
  actorId: string,
  choice: string,
  alreadyUsed: boolean,
): string | null {
  if (alreadyUsed) return "La voix prépondérante a déjà été exprimée.";
  if (outcome.kind !== "tie") return "Il n'y a pas d'égalité à départager.";
  if (holder.userId === null) return holder.reason;
  if (holder.userId !== actorId) return "Seul le titulaire de la voix prépondérante peut départager.";
  if (!outcome.tied.includes(choice)) return "La voix prépondérante départage entre les choix à égalité.";
  return null;
}

type QuestionRef = { id: string; subject: string; subjectId: string | null };

/**
 * Whether a later vote or consensus on the same question (the overall decision, or one bloc / competence) exists:
 * running, closed, or a consensus since gone back on. `polls`: the candidate's polls in creation order.
 */
export function isSupersededPoll(polls: readonly QuestionRef[], pollId: string): boolean {
  const index = polls.findIndex((p) => p.id === pollId);
  if (index < 0) return false;
  const poll = polls[index]!;
  return polls.slice(index + 1).some((p) => p.subject === poll.subject && (p.subjectId ?? null) === (poll.subjectId ?? null));
}

/**
 * Why a casting vote on this poll is refused because the jury went past its tie (French), or null. The casting vote
 * breaks the tie of the latest poll on its question only: once a later vote or consensus on it exists, that tie no
 * longer decides anything, and a casting vote there would record a second, conflicting result.
 */
export function castingVoteSupersededRefusal<P extends QuestionRef & { withdrawnAt?: Date | string | null }>(polls: readonly P[], pollId: string): string | null {
  if (polls.find((p) => p.id === pollId)?.withdrawnAt) return "Ce scrutin a été retiré : la voix prépondérante ne s'y applique pas.";
  return isSupersededPoll(polls, pollId)
    ? "Un vote ou un consensus plus récent a eu lieu sur cette question : la voix prépondérante ne départage que le dernier scrutin, s'il est encore à égalité."
    : null;
}

/* ------------------------------------------------------------------ the vote binding the decision */

export type FinishedPollFacts = {
  subject: string;
  mode?: PollModeCode;
  state: PollState;
  result: string | null;
  tie: boolean;
  /** Set when the presiding member went back on this consensus: it no longer settles its question. */
  withdrawnAt?: Date | string | null;
};

/** The polls that still count: a consensus gone back on (« Revenir sur le consensus ») no longer does. */
export function standingPolls<P extends { withdrawnAt?: Date | string | null }>(polls: readonly P[]): P[] {
  return polls.filter((p) => !p.withdrawnAt);
}

/**
 * The poll that binds the overall decision: the latest finished one on it (a vote or a recorded consensus, not one
 * gone back on), or null when none was taken (the president then records the decision the jury agreed on, as a
 * consensus). When that poll has no result (a tie not yet broken, no majority), the decision waits: `refusal` says why
 * (French), and nothing may be filed as a consensus that was not recorded — nor as the consensus that was withdrawn.
 */
export function overallPollOf<P extends FinishedPollFacts>(polls: readonly P[]): { poll: P | null; refusal: string | null } {
  const poll = [...standingPolls(polls)].reverse().find((p) => p.subject === "OVERALL" && p.state === "FINISHED") ?? null;
  if (!poll) {
    const withdrawn = [...polls].reverse().find((p) => p.subject === "OVERALL" && p.state === "FINISHED" && p.withdrawnAt);
    return {
      poll,
      refusal: !withdrawn
        ? null
        : withdrawn.mode === "CONSENSUS"
          ? "Le consensus sur la décision d'ensemble a été retiré : constatez un nouveau consensus ou ouvrez un vote avant de rendre la décision."
          : "Le vote sur la décision d'ensemble a été annulé (conflit d'intérêts déclaré par un membre qui y avait pris part) : votez à nouveau ou constatez un consensus avant de rendre la décision.",
    };
  }
  if (poll.result) return { poll, refusal: null };
  return {
    poll,
    refusal: poll.tie
      ? "Le dernier vote sur la décision d'ensemble s'est conclu par une égalité : départagez-la (voix prépondérante), votez à nouveau ou constatez un consensus avant de rendre la décision."
      : "Le dernier vote sur la décision d'ensemble n'a pas dégagé de majorité : votez à nouveau ou constatez un consensus avant de rendre la décision.",
  };
}

/**
 * The latest finished vote on a bloc or a competence holds the decision too while it has no result (a tie not yet
 * broken, no majority), until a casting vote, a new vote or a consensus on it: why (French), or null.
 */
export function targetPollsRefusal<P extends FinishedPollFacts & { subjectId: string | null; question: string }>(polls: readonly P[]): string | null {
  const latest = new Map<string, P>();
  for (const p of standingPolls(polls)) if (p.subject !== "OVERALL" && p.state === "FINISHED") latest.set(`${p.subject}|${p.subjectId ?? ""}`, p);
  for (const p of latest.values()) {
    if (p.result) continue;
    return p.tie
      ? `Le dernier vote sur « ${p.question} » s'est conclu par une égalité : départagez-la (voix prépondérante), votez à nouveau ou constatez un consensus avant de rendre la décision.`
      : `Le dernier vote sur « ${p.question} » n'a pas dégagé de majorité : votez à nouveau ou constatez un consensus avant de rendre la décision.`;
  }
  return null;
}

type QuestionPoll = FinishedPollFacts & { subjectId: string | null; mode: PollModeCode; options: readonly PollOption[] };

/** The latest finished poll still standing on this question (the overall decision, or one bloc / competence). */
function latestOn<P extends QuestionPoll>(polls: readonly P[], question: { subject: string; subjectId: string | null }): P | undefined {
  return [...standingPolls(polls)]
    .reverse()
    .find((p) => p.subject === question.subject && (p.subjectId ?? null) === question.subjectId && p.state === "FINISHED");
}

const resultLabel = (poll: QuestionPoll) => poll.options.find((o) => o.value === poll.result)?.label ?? poll.result ?? "";

/**
 * Why a consensus on this question (the overall decision, or one bloc / competence) is refused (French), or null:
 * the jury already pronounced on it — its latest finished poll (a consensus, or a vote with a result, tie broken
 * included) has a result. A consensus is gone back on explicitly (« Revenir sur le consensus », with a reason); a
 * vote that decided, by a new vote; a tie or a vote without majority leaves the question open to a consensus.
 */
export function consensusRefusal(polls: ReadonlyArray<QuestionPoll>, question: { subject: string; subjectId: string | null }): string | null {
  const latest = latestOn(polls, question);
  if (!latest?.result) return null;
  const label = resultLabel(latest);
  return latest.mode === "CONSENSUS"
    ? `Un consensus est déjà constaté sur cette question (« ${label} ») : un second consensus n'est pas enregistré. Pour y revenir, utilisez « Revenir sur le consensus », avec un motif.`
    : `Le vote sur cette question a déjà décidé (« ${label} ») : un consensus ne s'y ajoute pas ; ouvrez un nouveau vote pour y revenir.`;
}

/**
 * How this question stands settled, or null while it is open: by a consensus (a vote is then refused until it is gone
 * back on) or by a vote that decided (tie broken included; a new vote may still be opened to go back on it). The room
 * offers the open questions first, the ones a vote decided only on demand, the ones a consensus settled not at all.
 */
export function settledBy(
  polls: ReadonlyArray<QuestionPoll>,
  question: { subject: string; subjectId: string | null },
): { mode: PollModeCode; label: string } | null {
  const latest = latestOn(polls, question);
  return latest?.result ? { mode: latest.mode, label: resultLabel(latest) } : null;
}

/**
 * Why a vote on this question is refused (French), or null: a consensus settles it. The jury goes back on a consensus
 * only explicitly — the presiding member's « Revenir sur le consensus », with a reason, recorded in the minutes —
 * never by a later vote silently taking its place.
 */
export function openPollRefusal(polls: ReadonlyArray<QuestionPoll>, question: { subject: string; subjectId: string | null }): string | null {
  const latest = latestOn(polls, question);
  if (latest?.mode !== "CONSENSUS" || !latest.result) return null;
  return `Un consensus est constaté sur cette question (« ${resultLabel(latest)} ») : pour la soumettre au vote, revenez d'abord sur le consensus (« Revenir sur le consensus », avec un motif).`;
}

/* ------------------------------------------------------------------ a conflict declared after taking part */

/**
 * Whether a member took part in a finished vote or consensus: a vote whose voters, frozen when it opened, counted him
 * (for himself, or as the holder of another's proxy); a consensus recorded while he was present (`presentThen`). A
 * member recused when the poll was taken was not among its voters, and took no part.
 */
export function tookPartIn(
  poll: { mode: PollModeCode; rights: readonly VoteRight[] },
  userId: string,
  presentThen: boolean,
): boolean {
  if (poll.mode === "CONSENSUS") return presentThen;
  return poll.rights.some((r) => r.userId === userId || r.actingUserId === userId);
}

/**
 * Why a finished vote or consensus no longer counts once a member who took part in it declared a conflict of interest
 * for the candidate (French; stored as the poll's withdrawal reason, printed in the room, the minutes and the decision
 * sheet). DOMAIN.md: a member linked to the candidate neither votes nor counts for him — so what he voted on, or
 * agreed to, is taken again without him.
 */
export function lateConflictReason(name: string, mode: PollModeCode): string {
  return mode === "CONSENSUS"
    ? `${name} a déclaré un conflit d'intérêts pour ce candidat après ce consensus, constaté en sa présence`
    : `${name} a déclaré un conflit d'intérêts pour ce candidat après ce vote, auquel ce membre a pris part`;
}

/** Why going back on this poll is refused (French), or null: only a consensus still standing is. */
export function withdrawConsensusRefusal(poll: { mode: PollModeCode; withdrawnAt?: Date | string | null }): string | null {
  if (poll.mode !== "CONSENSUS") return "Seul un consensus peut être retiré : un vote se reprend par un nouveau vote.";
  return null;
}

/* ------------------------------------------------------------------ presiding */

type Recused = ReadonlySet<string> | ReadonlyMap<string, string>;

/**
 * Who presides now: the president, or the vice-president when the president is absent. On one candidate, a recused
 * member takes no part (DOMAIN.md): a recused president is replaced by the vice-president, if present and not
 * recused himself; else nobody may conduct the deliberation on that candidate.
 */
export function presidingMember(
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  recused: Recused = new Set(),
): string | null {
  const president = members.find((m) => m.role === "PRESIDENT");
  if (president && presentUserIds.has(president.userId) && !recused.has(president.userId)) return president.userId;
  const vice = members.find((m) => m.role === "VICE_PRESIDENT");
  if (vice && presentUserIds.has(vice.userId) && !recused.has(vice.userId)) return vice.userId;
  return null;
}

/** Why `actorId` may not drive the deliberation now (on a candidate: with its recusals) (French), or null. */
export function presidingRefusal(
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  actorId: string,
  recused: Recused = new Set(),
): string | null {
  const presiding = presidingMember(members, presentUserIds, recused);
  if (presiding === actorId) return null;
  const actor = members.find((m) => m.userId === actorId);
  const chair = actor?.role === "PRESIDENT" || actor?.role === "VICE_PRESIDENT";
  if (chair && recused.has(actorId)) {
    return presiding !== null
      ? "Vous êtes récusé pour ce candidat : la délibération sur ce candidat est conduite par le vice-président (ou le président) non récusé."
      : "Vous êtes récusé pour ce candidat, et aucun président ni vice-président non récusé n'est présent : la délibération sur ce candidat ne peut avoir lieu.";
  }
  if (actor?.role === "VICE_PRESIDENT" && presiding !== null) {
    return "Le président est présent : c'est lui qui conduit la délibération.";
  }
  if (chair && !presentUserIds.has(actorId)) {
    return "Signalez d'abord votre arrivée (émargement) pour conduire la délibération.";
  }
  if (presiding === null) {
    if (recused.size > 0) return "Aucun président ni vice-président non récusé pour ce candidat n'est présent : la délibération sur ce candidat ne peut avoir lieu.";
    // A member who is no chair is told who conducts, not only who is missing.
    return chair
      ? "Ni le président ni le vice-président n'est présent."
      : "Seul le président (ou le vice-président en son absence) conduit la délibération ; ni l'un ni l'autre n'est présent pour l'instant.";
  }
  return "Seul le président (ou le vice-président en son absence) conduit la délibération.";
}

/**
 * Who may record a member's arrival or departure (émargement). A member records his own; another member's is
 * recorded only by the one presiding the sitting (presidingMember: the president, or the vice-president while the
 * president is absent or gone) or by the organisation's secretariat or administration managing the session
 * (`manages`). A departure drops the member from the next vote's entitled voters and may hand the chair over: the
 * vice-president, while the president presides, or the session's secretary may not record it.
 */
export function mayRecordAttendanceOfOthers(
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  actorId: string,
  manages: boolean,
): boolean {
  return manages || presidingMember(members, presentUserIds) === actorId;
}

/** Why `actorId` may not record `userId`'s arrival or departure (French), or null. */
export function attendanceRecordingRefusal(
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  input: { actorId: string; userId: string; kind: "ARRIVED" | "LEFT"; manages: boolean },
): string | null {
  if (input.userId === input.actorId) return null;
  if (mayRecordAttendanceOfOthers(members, presentUserIds, input.actorId, input.manages)) return null;
  return input.kind === "LEFT"
    ? "Seul le président de séance ou le secrétariat peut enregistrer le départ d'un autre membre."
    : "Seul le président de séance ou le secrétariat peut enregistrer l'arrivée d'un autre membre.";
}

/** One choice's total with its label, as the room, the minutes and the fiche de décision print it. */
export type LabelledTally = { label: string; count: number };
export type SheetTally = LabelledTally;

/**
 * Totals with their labels, in the options' order (abstentions last); choices nobody chose are left out (all
 * zero: an empty list, printed « aucune voix »).
 */
export function labelTallies(tallies: Record<string, number> | null | undefined, options: readonly PollOption[]): LabelledTally[] | null {
  if (!tallies) return null;
  const ordered = [...options.filter((o) => o.value !== ABSTAIN), ABSTAIN_OPTION];
  const rank = (choice: string) => {
    const i = ordered.findIndex((o) => o.value === choice);
    return i < 0 ? ordered.length : i;
  };
  return Object.entries(tallies)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([choice, count]) => ({ label: ordered.find((o) => o.value === choice)?.label ?? choice, count }));
}
