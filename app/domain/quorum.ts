/**
 * Quorum and parity of a paritary jury, from the scheme's jury rules, over the members present and the valid
 * proxies. Pure, no I/O.
 *
 * - Voting members are the seated president, vice-president and members; observers and the secretary never count.
 * - A proxy counts only where the scheme allows proxies, while its giver is absent and its holder present, from one
 *   voting member to another of the same college (a paritary body: a member is represented only by a member of his
 *   college, else one college would be « represented » with nobody of it present); a holder counts at most
 *   `proxiesMaxPerHolder` of them (the earliest granted), a giver only one (the earliest). A proxy across colleges
 *   (refused when granted; older data) never counts.
 * - Quorum: at least `minPerCollege` members present or represented in each college, `minTotal` in all, and, where
 *   the scheme requires parity, as many in each college. On one candidate, members recused for him are not counted
 *   (nor is their proxy): the quorum of his votes and decision.
 */
import type { SeatRole } from "./access";
import { COLLEGE_NAMES, COLLEGES, type College } from "./college";
import type { JuryRules } from "./scheme";

/** Declared once: seat roles in ./access, colleges in ./college. */
export type { College, SeatRole };

export type JuryMember = { userId: string; role: SeatRole; college: College | null };
export type ProxyGrant = { id?: string; giverId: string; holderId: string; grantedAt?: Date };

export const VOTING_ROLES: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);
export const isVotingMember = (member: Pick<JuryMember, "role">) => VOTING_ROLES.has(member.role);

export type AttendanceStatus = "present" | "represented" | "absent";

export type ProxyCheck = ProxyGrant & { valid: boolean; reason: string | null };

export type QuorumInput = {
  rules: Pick<JuryRules, "minPerCollege" | "minTotal" | "equalColleges" | "proxiesAllowed" | "proxiesMaxPerHolder">;
  members: readonly JuryMember[];
  presentUserIds: Iterable<string>;
  /** Active (not revoked) proxies, in grant order. */
  proxies?: readonly ProxyGrant[];
  /**
   * On one candidate: the members recused for him. They count neither present nor represented (their proxy neither),
   * and the proxy a recused member holds does not carry on that candidate (he takes no part, not even for another).
   */
  recused?: ReadonlySet<string> | ReadonlyMap<string, string>;
};

export type CollegeCount = { present: number; represented: number; counted: number };

export type QuorumResult = {
  met: boolean;
  /** Why quorum is not met (French), empty when met. */
  reasons: string[];
  perCollege: Record<College, CollegeCount>;
  /** Voting members without a college (counted in the total only). */
  unaffiliated: CollegeCount;
  total: CollegeCount;
  presentIds: string[];
  representedIds: string[];
  /** Every active proxy, with whether it counts now and why not. */
  proxies: ProxyCheck[];
  status: Record<string, AttendanceStatus>;
};

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** « collège salariés », or « sans collège » for a voting member seated without one. */
const collegeOf = (college: College | null) => (college ? `collège ${COLLEGE_NAMES[college]}` : "sans collège");

/** The paritary rule a proxy across colleges breaks (French), or null when giver and holder share their college. */
function crossCollegeRefusal(giver: JuryMember, holder: JuryMember, counted: boolean): string | null {
  if (giver.college === holder.college) return null;
  return `Jury paritaire : un membre ne peut être représenté que par un membre de son collège (mandant : ${collegeOf(giver.college)}, mandataire : ${collegeOf(holder.college)})${counted ? " ; cette procuration ne compte pas." : "."}`;
}

/** Which active proxies count now, and why the others do not (French). */
export function checkProxies(
  rules: QuorumInput["rules"],
  members: readonly JuryMember[],
  presentUserIds: ReadonlySet<string>,
  proxies: readonly ProxyGrant[],
): ProxyCheck[] {
  const byId = new Map(members.map((m) => [m.userId, m]));
  const held = new Map<string, number>();
  const given = new Set<string>();
  return proxies.map((proxy): ProxyCheck => {
    const refuse = (reason: string): ProxyCheck => ({ ...proxy, valid: false, reason });
    if (!rules.proxiesAllowed) return refuse("Le règlement de la certification n'admet pas les procurations.");
    const giver = byId.get(proxy.giverId);
    const holder = byId.get(proxy.holderId);
    if (!giver || !isVotingMember(giver)) return refuse("Le mandant n'est pas membre votant du jury.");
    if (!holder || !isVotingMember(holder)) return refuse("Le mandataire n'est pas membre votant du jury.");
    if (proxy.giverId === proxy.holderId) return refuse("Un membre ne peut se donner procuration à lui-même.");
    // Before anything is counted: a proxy across colleges takes neither the giver's one proxy nor a holder's place.
    const crossCollege = crossCollegeRefusal(giver, holder, true);
    if (crossCollege) return refuse(crossCollege);
    if (given.has(proxy.giverId)) return refuse("Le mandant a déjà donné une autre procuration.");
    if (presentUserIds.has(proxy.giverId)) return refuse("Le mandant est présent : sa procuration est suspendue.");
    if (!presentUserIds.has(proxy.holderId)) return refuse("Le mandataire est absent : la procuration ne compte pas.");
    const count = held.get(proxy.holderId) ?? 0;
    if (count >= rules.proxiesMaxPerHolder) {
      return refuse(
        `Le mandataire détient déjà ${plural(rules.proxiesMaxPerHolder, "procuration", "procurations")} (maximum du règlement).`,
      );
    }
    held.set(proxy.holderId, count + 1);
    given.add(proxy.giverId);
    return { ...proxy, valid: true, reason: null };
  });
}

export function computeQuorum(input: QuorumInput): QuorumResult {
  const { rules, members } = input;
  const voting = members.filter(isVotingMember);
  const votingIds = new Set(voting.map((m) => m.userId));
  const present = new Set([...input.presentUserIds].filter((id) => votingIds.has(id)));
  const proxies = checkProxies(rules, members, present, input.proxies ?? []);
  // On one candidate, a proxy held by a member recused for him does not carry: the recused take no part, not even for
  // another.
  const represented = new Set(proxies.filter((p) => p.valid && !input.recused?.has(p.holderId)).map((p) => p.giverId));

  const empty = (): CollegeCount => ({ present: 0, represented: 0, counted: 0 });
  const perCollege: Record<College, CollegeCount> = { EMPLOYER: empty(), EMPLOYEE: empty() };
  const unaffiliated = empty();
  const total = empty();
  const status: Record<string, AttendanceStatus> = {};
  for (const member of voting) {
    const bucket = member.college ? perCollege[member.college] : unaffiliated;
    const state: AttendanceStatus = present.has(member.userId)
      ? "present"
      : represented.has(member.userId)
        ? "represented"
        : "absent";
    status[member.userId] = state;
    if (state === "absent" || input.recused?.has(member.userId)) continue;
    for (const count of [bucket, total]) {
      count[state] += 1;
      count.counted += 1;
    }
  }

  const reasons: string[] = [];
  // On one candidate with recused members, the counts say whom they leave out.
  const [one, many] =
    input.recused && input.recused.size > 0
      ? ["membre présent ou représenté non récusé", "membres présents ou représentés non récusés"]
      : ["membre présent ou représenté", "membres présents ou représentés"];
  for (const college of COLLEGES) {
    const count = perCollege[college];
    if (count.counted < rules.minPerCollege) {
      reasons.push(`Collège ${COLLEGE_NAMES[college]} : ${plural(count.counted, one, many)}, ${rules.minPerCollege} requis.`);
    }
  }
  if (total.counted < rules.minTotal) {
    reasons.push(`${plural(total.counted, one, many)} en tout, ${rules.minTotal} requis.`);
  }
  if (rules.equalColleges && perCollege.EMPLOYER.counted !== perCollege.EMPLOYEE.counted) {
    reasons.push(
      `Parité non respectée : ${perCollege.EMPLOYER.counted} côté employeurs, ${perCollege.EMPLOYEE.counted} côté salariés.`,
    );
  }
  return {
    met: reasons.length === 0,
    reasons,
    perCollege,
    unaffiliated,
    total,
    presentIds: voting.filter((m) => present.has(m.userId)).map((m) => m.userId),
    representedIds: voting.filter((m) => represented.has(m.userId)).map((m) => m.userId),
    proxies,
    status,
  };
}

/** The refusal for an action that needs quorum (French), or null when quorum is met. */
export function quorumRefusal(result: QuorumResult, action: string): string | null {
  if (result.met) return null;
  return `Quorum non atteint : impossible de ${action}. ${result.reasons.join(" ")}`;
}

/** A transition of quorum to record in the minutes, or null when nothing changed. */
export function quorumTransition(previouslyMet: boolean | null, nowMet: boolean): "LOST" | "RECOVERED" | null {
  if (previouslyMet === true && !nowMet) return "LOST";
  if (previouslyMet === false && nowMet) return "RECOVERED";
  return null;
}

/**
 * Who is present from the attendance events (in time order): the last event of each member decides.
 */
export function presentFromAttendance(events: Iterable<{ userId: string; kind: "ARRIVED" | "LEFT" }>): Set<string> {
  const present = new Set<string>();
  for (const event of events) {
    if (event.kind === "ARRIVED") present.add(event.userId);
    else present.delete(event.userId);
  }
  return present;
}

/** The refusal to grant a proxy now (French), or null. */
export function proxyGrantRefusal(
  rules: QuorumInput["rules"],
  members: readonly JuryMember[],
  active: readonly ProxyGrant[],
  grant: ProxyGrant,
): string | null {
  if (!rules.proxiesAllowed) return "Le règlement de la certification n'admet pas les procurations.";
  const giver = members.find((m) => m.userId === grant.giverId);
  const holder = members.find((m) => m.userId === grant.holderId);
  if (!giver || !isVotingMember(giver)) return "Seul un membre votant du jury peut donner procuration.";
  if (!holder || !isVotingMember(holder)) return "La procuration doit être donnée à un membre votant du jury.";
  if (grant.giverId === grant.holderId) return "Un membre ne peut se donner procuration à lui-même.";
  const crossCollege = crossCollegeRefusal(giver, holder, false);
  if (crossCollege) return crossCollege;
  if (active.some((p) => p.giverId === grant.giverId)) return "Ce membre a déjà donné procuration : révoquez-la d'abord.";
  if (active.some((p) => p.holderId === grant.giverId)) {
    return "Ce membre détient une procuration : il ne peut en donner une à son tour.";
  }
  if (active.some((p) => p.giverId === grant.holderId)) return "Le mandataire a lui-même donné procuration.";
  const held = active.filter((p) => p.holderId === grant.holderId).length;
  if (held >= rules.proxiesMaxPerHolder) {
    return `Le mandataire détient déjà ${plural(held, "procuration", "procurations")} : maximum ${rules.proxiesMaxPerHolder} selon le règlement.`;
  }
  return null;
}
