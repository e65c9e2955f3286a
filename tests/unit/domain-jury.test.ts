import { describe, expect, it } from "vitest";
import { acknowledgementErrors, computeConformity, type GridFacts } from "~/domain/conformity";
import { checkDecision, decisionChoicesOf, dossierStatusAfterDecision, juryPhaseRefusal, type BlocTargets } from "~/domain/jury-decision";
import {
  attendanceRecordingRefusal,
  castingVoteHolder,
  castingVoteRefusal,
  castingVoteSupersededRefusal,
  castRefusal,
  consensusRefusal,
  electorate,
  openPollRefusal,
  pollOutcome,
  presidingRefusal,
  overallPollOf,
  OVERALL_OPTIONS,
  recusals,
  recusedEvidenceRefusal,
  consensusDeclarationRefusal,
  undeclaredMembers,
  NO_LINK_FIRST,
  rightsNow,
  tally,
  targetPollsRefusal,
  TARGET_OPTIONS,
  voteModeRefusal,
  withdrawConsensusRefusal,
  declaredConflictOf,
} from "~/domain/jury-vote";
import { computeQuorum, proxyGrantRefusal, quorumTransition, type JuryMember } from "~/domain/quorum";
import { parseScheme } from "~/domain/scheme";

const rules = (over: Record<string, unknown> = {}) =>
  parseScheme({ scale: { kind: "levels", levels: [{ value: "A", label: "Acquis", positive: true }, { value: "NA", label: "Non acquis", positive: false }] }, jury: over }).jury;

const MEMBERS: JuryMember[] = [
  { userId: "pE", role: "PRESIDENT", college: "EMPLOYER" },
  { userId: "vS", role: "VICE_PRESIDENT", college: "EMPLOYEE" },
  { userId: "e2", role: "MEMBER", college: "EMPLOYER" },
  { userId: "s2", role: "MEMBER", college: "EMPLOYEE" },
  { userId: "obs", role: "OBSERVER", college: null },
  { userId: "sec", role: "SECRETARY", college: null },
];

describe("quorum", () => {
  it("is met with the minimum per college and in total; observers and secretary never count", () => {
    const q = computeQuorum({ rules: rules(), members: MEMBERS, presentUserIds: ["pE", "vS", "obs", "sec"] });
    expect(q.met).toBe(true);
    expect(q.total.counted).toBe(2);
  });
  it("lists a missing college and a missing total in French", () => {
    const q = computeQuorum({ rules: rules({ minTotal: 3 }), members: MEMBERS, presentUserIds: ["pE", "e2", "obs"] });
    expect(q.met).toBe(false);
    expect(q.reasons).toEqual([
      "Collège salariés : 0 membre présent ou représenté, 1 requis.",
      "2 membres présents ou représentés en tout, 3 requis.",
    ]);
  });
  it("requires equal colleges where the scheme says so", () => {
    const input = { members: MEMBERS, presentUserIds: ["pE", "e2", "vS"] };
    expect(computeQuorum({ ...input, rules: rules() }).met).toBe(true);
    const q = computeQuorum({ ...input, rules: rules({ equalColleges: true }) });
    expect(q.met).toBe(false);
    expect(q.reasons[0]).toMatch(/Parité non respectée : 2 côté employeurs, 1 côté salariés/);
  });
  it("counts a proxy only where allowed, while its holder is present and its giver absent", () => {
    const proxies = [{ giverId: "s2", holderId: "vS" }];
    const base = { members: MEMBERS, proxies };
    const notAllowed = computeQuorum({ ...base, rules: rules({ minTotal: 3, minPerCollege: 1 }), presentUserIds: ["pE", "vS"] });
    expect(notAllowed.met).toBe(false);
    expect(notAllowed.proxies[0]?.reason).toMatch(/n'admet pas/);
    const allowed = computeQuorum({ ...base, rules: rules({ proxiesAllowed: true, minTotal: 3 }), presentUserIds: ["pE", "vS"] });
    expect(allowed.met).toBe(true);
    expect(allowed.status.s2).toBe("represented");
    const holderAway = computeQuorum({ ...base, rules: rules({ proxiesAllowed: true }), presentUserIds: ["pE"] });
    expect(holderAway.proxies[0]?.valid).toBe(false);
    expect(holderAway.proxies[0]?.reason).toMatch(/mandataire est absent/);
    const giverBack = computeQuorum({ ...base, rules: rules({ proxiesAllowed: true }), presentUserIds: ["vS", "s2"] });
    expect(giverBack.proxies[0]?.reason).toMatch(/suspendue/);
    expect(giverBack.total.counted).toBe(2);
  });
  it("never counts a proxy across colleges: a college is represented only by a member of it (paritary jury)", () => {
    // Mehdi and Marie (employees) gave their proxies to Jeanne and Pierre (employers), who alone arrived (old data:
    // such a proxy is refused when granted).
    const proxies = [
      { giverId: "s2", holderId: "e2" },
      { giverId: "vS", holderId: "pE" },
    ];
    const q = computeQuorum({ rules: rules({ proxiesAllowed: true, minPerCollege: 1 }), members: MEMBERS, presentUserIds: ["pE", "e2"], proxies });
    expect(q.met).toBe(false);
    expect(q.perCollege.EMPLOYEE).toEqual({ present: 0, represented: 0, counted: 0 });
    expect(q.representedIds).toEqual([]);
    expect(q.proxies.map((p) => [p.valid, p.reason])).toEqual([
      [false, "Jury paritaire : un membre ne peut être représenté que par un membre de son collège (mandant : collège salariés, mandataire : collège employeurs) ; cette procuration ne compte pas."],
      [false, "Jury paritaire : un membre ne peut être représenté que par un membre de son collège (mandant : collège salariés, mandataire : collège employeurs) ; cette procuration ne compte pas."],
    ]);
    expect(q.reasons).toEqual(["Collège salariés : 0 membre présent ou représenté, 1 requis."]);
    // Nor in a vote: the holder gets no ballot for a giver of the other college.
    const el = electorate(rules({ proxiesAllowed: true, majorityBase: "presentOrRepresented" }), MEMBERS, ["pE", "e2"], proxies, new Set());
    expect(el.rights).toEqual([{ userId: "pE", actingUserId: "pE" }, { userId: "e2", actingUserId: "e2" }]);
    // A cross-college proxy takes neither the giver's one proxy nor a place of the holder: a later one of his college counts.
    const later = computeQuorum({
      rules: rules({ proxiesAllowed: true }),
      members: MEMBERS,
      presentUserIds: ["pE", "vS"],
      proxies: [{ giverId: "s2", holderId: "pE" }, { giverId: "s2", holderId: "vS" }],
    });
    expect(later.proxies.map((p) => p.valid)).toEqual([false, true]);
    expect(later.status.s2).toBe("represented");
  });
  it("on one candidate, counts neither a recused member present nor a recused member's proxy", () => {
    const present = ["pE", "vS", "e2"];
    const proxies = [{ giverId: "s2", holderId: "vS" }];
    const input = { rules: rules({ proxiesAllowed: true, minTotal: 3 }), members: MEMBERS, presentUserIds: present, proxies };
    expect(computeQuorum(input).met).toBe(true);
    // The president recused: the employers' college still has e2; the total falls to 3 (vS, e2 and s2 represented).
    expect(computeQuorum({ ...input, recused: new Set(["pE"]) })).toMatchObject({ met: true, total: { counted: 3 } });
    // Both employers recused: that college is empty; and s2, recused, is no longer represented.
    const both = computeQuorum({ ...input, recused: new Set(["pE", "e2", "s2"]) });
    expect(both.met).toBe(false);
    expect(both.reasons).toEqual([
      "Collège employeurs : 0 membre présent ou représenté non récusé, 1 requis.",
      "1 membre présent ou représenté non récusé en tout, 3 requis.",
    ]);
    // A recused holder takes no part on this candidate, not even for another: the proxy he holds does not carry here.
    expect(computeQuorum({ ...input, recused: new Set(["vS"]) }).perCollege.EMPLOYEE.counted).toBe(0);
  });
  it("caps the proxies one holder counts at the scheme's maximum", () => {
    const members: JuryMember[] = [...MEMBERS, { userId: "e3", role: "MEMBER", college: "EMPLOYER" }];
    const proxies = [
      { giverId: "e2", holderId: "pE" },
      { giverId: "e3", holderId: "pE" },
    ];
    const one = computeQuorum({ rules: rules({ proxiesAllowed: true }), members, presentUserIds: ["pE"], proxies });
    expect(one.proxies.map((p) => p.valid)).toEqual([true, false]);
    const two = computeQuorum({ rules: rules({ proxiesAllowed: true, proxiesMaxPerHolder: 2 }), members, presentUserIds: ["pE"], proxies });
    expect(two.proxies.map((p) => p.valid)).toEqual([true, true]);
  });
  it("refuses bad proxy grants", () => {
    const r = rules({ proxiesAllowed: true });
    const members: JuryMember[] = [...MEMBERS, { userId: "e3", role: "MEMBER", college: "EMPLOYER" }];
    expect(proxyGrantRefusal(rules(), MEMBERS, [], { giverId: "s2", holderId: "vS" })).toMatch(/n'admet pas/);
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "obs", holderId: "pE" })).toMatch(/membre votant/);
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "pE", holderId: "pE" })).toMatch(/lui-même/);
    expect(proxyGrantRefusal(r, members, [{ giverId: "e3", holderId: "pE" }], { giverId: "e2", holderId: "pE" })).toMatch(/maximum 1/);
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "s2", holderId: "vS" })).toBeNull();
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "e2", holderId: "pE" })).toBeNull();
    // A paritary jury: never to a member of the other college.
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "s2", holderId: "pE" })).toBe(
      "Jury paritaire : un membre ne peut être représenté que par un membre de son collège (mandant : collège salariés, mandataire : collège employeurs).",
    );
    expect(proxyGrantRefusal(r, MEMBERS, [], { giverId: "pE", holderId: "vS" })).toMatch(/mandant : collège employeurs, mandataire : collège salariés/);
    const unaffiliated: JuryMember[] = [...MEMBERS, { userId: "q", role: "MEMBER", college: null }];
    expect(proxyGrantRefusal(r, unaffiliated, [], { giverId: "q", holderId: "pE" })).toMatch(/mandant : sans collège, mandataire : collège employeurs/);
  });
  it("records losses and recoveries only on change", () => {
    expect(quorumTransition(null, true)).toBeNull();
    expect(quorumTransition(true, false)).toBe("LOST");
    expect(quorumTransition(false, true)).toBe("RECOVERED");
    expect(quorumTransition(true, true)).toBeNull();
  });
});

describe("votes", () => {
  const present = new Set(["pE", "vS", "e2", "s2"]);
  it("leaves recused members out of the electorate and the base", () => {
    const recused = recusals(MEMBERS, { declaredConflictIds: ["e2"], trainerId: "s2", evaluatorIds: ["zz"] });
    expect([...recused]).toEqual([["e2", "Conflit d'intérêts déclaré"], ["s2", "Formateur du candidat"]]);
    const el = electorate(rules(), MEMBERS, present, [], recused);
    expect(el.rights.map((r) => r.userId)).toEqual(["pE", "vS"]);
    expect(el.base).toBe(2);
  });
  it("withholds a candidate's files from the members recused for him, saying why", () => {
    const recused = recusals(MEMBERS, { declaredConflictIds: ["e2"], trainerId: "s2", evaluatorIds: ["pE"] });
    expect(recusedEvidenceRefusal(recused.get("pE"))).toBe(
      "Vous êtes récusé pour ce candidat (évaluateur du candidat) : les pièces de son dossier ne vous sont pas accessibles.",
    );
    expect(recusedEvidenceRefusal(recused.get("s2"))).toContain("(formateur du candidat)");
    expect(recusedEvidenceRefusal(recused.get("vS"))).toBeNull();
  });
  it("lets a holder vote for the giver only with the present-or-represented base", () => {
    const proxies = [{ giverId: "s2", holderId: "vS" }];
    const presentOnly = electorate(rules({ proxiesAllowed: true }), MEMBERS, ["pE", "vS", "e2"], proxies, new Set());
    expect(presentOnly.base).toBe(3);
    const represented = electorate(rules({ proxiesAllowed: true, majorityBase: "presentOrRepresented" }), MEMBERS, ["pE", "vS", "e2"], proxies, new Set());
    expect(represented.base).toBe(4);
    expect(represented.rights).toContainEqual({ userId: "s2", actingUserId: "vS" });
    // The holder recused for this candidate: he takes no part, not even for the member he represents.
    const holderRecused = electorate(rules({ proxiesAllowed: true, majorityBase: "presentOrRepresented" }), MEMBERS, ["pE", "vS", "e2"], proxies, new Set(["vS"]));
    expect(holderRecused.rights).toEqual([{ userId: "pE", actingUserId: "pE" }, { userId: "e2", actingUserId: "e2" }]);
  });
  it("decides by absolute majority, reports ties and no majority", () => {
    expect(pollOutcome(tally(TARGET_OPTIONS, ["ACQUIRED", "ACQUIRED", "ACQUIRED", "NOT_ACQUIRED"]), 4)).toMatchObject({ kind: "decided", choice: "ACQUIRED" });
    expect(pollOutcome(tally(TARGET_OPTIONS, ["ACQUIRED", "ACQUIRED", "NOT_ACQUIRED", "NOT_ACQUIRED"]), 4)).toMatchObject({ kind: "tie", tied: ["ACQUIRED", "NOT_ACQUIRED"] });
    expect(pollOutcome(tally(TARGET_OPTIONS, ["ACQUIRED", "ACQUIRED", "ABSTAIN", "NOT_ACQUIRED"]), 4).kind).toBe("noMajority");
    expect(pollOutcome(tally(TARGET_OPTIONS, []), 4).kind).toBe("noMajority");
  });
  it("gives the casting vote to the holder the scheme names", () => {
    expect(castingVoteHolder(rules(), MEMBERS, present).userId).toBe("pE");
    expect(castingVoteHolder(rules(), MEMBERS, new Set(["vS", "s2"])).userId).toBe("vS");
    const employeePresident = MEMBERS.map((m) => (m.userId === "pE" ? { ...m, college: "EMPLOYEE" as const } : m.userId === "vS" ? { ...m, college: "EMPLOYER" as const } : m));
    expect(castingVoteHolder(rules({ castingVote: "employerChair" }), employeePresident, present).userId).toBe("vS");
    expect(castingVoteHolder(rules({ castingVote: "none" }), MEMBERS, present).userId).toBeNull();
    // A recused president's casting vote passes to the vice-president conducting on that candidate; both recused: nobody.
    expect(castingVoteHolder(rules(), MEMBERS, present, new Set(["pE"])).userId).toBe("vS");
    expect(castingVoteHolder(rules(), MEMBERS, present, new Set(["pE", "vS"])).reason).toMatch(/récusé/);
    const tie = pollOutcome({ ACQUIRED: 1, NOT_ACQUIRED: 1, ABSTAIN: 0 }, 2);
    const holder = castingVoteHolder(rules(), MEMBERS, present);
    expect(castingVoteRefusal(tie, holder, "pE", "ACQUIRED", false)).toBeNull();
    expect(castingVoteRefusal(tie, holder, "vS", "ACQUIRED", false)).toMatch(/Seul le titulaire/);
    expect(castingVoteRefusal(tie, holder, "pE", "ACQUIRED", true)).toMatch(/déjà/);
  });
  it("refuses ballots from non-members, observers, recused, late or double voters", () => {
    const base = {
      state: "STARTED" as const,
      mode: "OPEN" as const,
      options: TARGET_OPTIONS,
      rights: [{ userId: "pE", actingUserId: "pE" }, { userId: "s2", actingUserId: "pE" }],
      recusedIds: ["e2"],
      present: new Set(["pE", "vS", "e2"]),
      majorityBase: "presentOrRepresented",
      proxies: [{ giverId: "s2", holderId: "pE", valid: true, reason: null }],
      actor: { userId: "pE", role: "PRESIDENT" as const },
      forUserId: "pE",
      choice: "ACQUIRED",
      alreadyVoted: false,
      declaredIds: new Set(["pE", "vS", "e2", "s2"]),
    };
    expect(castRefusal(base)).toBeNull();
    expect(castRefusal({ ...base, forUserId: "s2" })).toBeNull();
    expect(castRefusal({ ...base, actor: { userId: "x", role: null }, forUserId: "x" })).toMatch(/ne siégez pas/);
    expect(castRefusal({ ...base, actor: { userId: "obs", role: "OBSERVER" }, forUserId: "obs" })).toMatch(/observateur/);
    expect(castRefusal({ ...base, actor: { userId: "e2", role: "MEMBER" }, forUserId: "e2" })).toMatch(/récusé/);
    // A recused holder does not cast a represented member's ballot either, even if frozen as its acting voter.
    expect(castRefusal({ ...base, recusedIds: ["pE"], forUserId: "s2" })).toBe(
      "Vous êtes récusé pour ce candidat : vous ne prenez pas part au vote, pas même par procuration.",
    );
    expect(castRefusal({ ...base, state: "FINISHED" })).toMatch(/clos/);
    expect(castRefusal({ ...base, alreadyVoted: true })).toMatch(/déjà voté/);
    expect(castRefusal({ ...base, choice: "X" })).toMatch(/inconnu/);
    expect(castRefusal({ ...base, actor: { userId: "vS", role: "VICE_PRESIDENT" }, forUserId: "vS" })).toMatch(/pas présent/);
  });
  it("refuses a ballot from an entitled member who has left since the vote opened", () => {
    const check = {
      state: "STARTED" as const,
      mode: "SECRET" as const,
      options: TARGET_OPTIONS,
      rights: [{ userId: "pE", actingUserId: "pE" }, { userId: "s2", actingUserId: "s2" }],
      recusedIds: [],
      present: new Set(["pE"]),
      majorityBase: "present",
      proxies: [],
      actor: { userId: "s2", role: "MEMBER" as const },
      forUserId: "s2",
      choice: "ACQUIRED",
      alreadyVoted: false,
      declaredIds: new Set(["pE", "vS", "e2", "s2"]),
    };
    expect(castRefusal(check)).toMatch(/Vous n'êtes pas présent/);
    expect(castRefusal({ ...check, present: new Set(["pE", "s2"]) })).toBeNull();
  });
  it("lets a holder vote for an entitled giver only while the proxy counts now; the giver back votes himself", () => {
    const proxy = { giverId: "s2", holderId: "e2", valid: true, reason: null };
    const check = {
      state: "STARTED" as const,
      mode: "OPEN" as const,
      options: TARGET_OPTIONS,
      // Frozen at the start: s2 absent, voted by e2.
      rights: [{ userId: "pE", actingUserId: "pE" }, { userId: "e2", actingUserId: "e2" }, { userId: "s2", actingUserId: "e2" }],
      recusedIds: [],
      present: new Set(["pE", "e2"]),
      majorityBase: "presentOrRepresented",
      proxies: [proxy],
      actor: { userId: "e2", role: "MEMBER" as const },
      forUserId: "s2",
      choice: "ACQUIRED",
      alreadyVoted: false,
      declaredIds: new Set(["pE", "vS", "e2", "s2"]),
    };
    expect(castRefusal(check)).toBeNull();
    // Revoked (no longer among the active proxies): the holder's right ends.
    expect(castRefusal({ ...check, proxies: [] })).toMatch(/ne compte plus/);
    // The giver is back: the proxy is suspended, he votes himself (the holder no longer may).
    const back = { ...check, present: new Set(["pE", "e2", "s2"]), proxies: [{ ...proxy, valid: false, reason: "suspendue" }] };
    expect(castRefusal(back)).toMatch(/présent : c'est lui qui vote/);
    expect(castRefusal({ ...back, actor: { userId: "s2", role: "MEMBER" as const } })).toBeNull();
    expect(castRefusal({ ...back, actor: { userId: "s2", role: "MEMBER" as const }, alreadyVoted: true })).toMatch(/déjà voté/);
    // Who counts stays frozen: a member absent at the start is not entitled, proxy or not.
    expect(castRefusal({ ...check, rights: check.rights.filter((r) => r.userId !== "s2") })).toMatch(/ne donnait pas droit/);
    expect(rightsNow(check.rights, "presentOrRepresented", new Set(["pE", "e2"]), [])).toContainEqual({ userId: "s2", actingUserId: null });
  });
  it("refuses a ballot before the voter, or the member he represents, declared no link with the candidate", () => {
    const check = {
      state: "STARTED" as const,
      mode: "OPEN" as const,
      options: TARGET_OPTIONS,
      rights: [{ userId: "pE", actingUserId: "pE" }, { userId: "e2", actingUserId: "e2" }, { userId: "s2", actingUserId: "e2" }],
      recusedIds: [],
      present: new Set(["pE", "e2"]),
      majorityBase: "presentOrRepresented",
      proxies: [{ giverId: "s2", holderId: "e2", valid: true, reason: null }],
      actor: { userId: "e2", role: "MEMBER" as const },
      forUserId: "e2",
      choice: "ACQUIRED",
      alreadyVoted: false,
      declaredIds: new Set(["pE", "s2"]),
    };
    expect(castRefusal(check)).toBe(NO_LINK_FIRST);
    expect(NO_LINK_FIRST).toMatch(/^Déclarez d'abord l'absence de lien avec ce candidat/);
    expect(castRefusal({ ...check, forUserId: "s2" })).toMatch(/^Déclarez d'abord.*pas même par procuration\.$/);
    const declared = { ...check, declaredIds: new Set(["pE", "e2"]) };
    expect(castRefusal(declared)).toBeNull();
    expect(castRefusal({ ...declared, forUserId: "s2" })).toMatch(/membre représenté n'a pas déclaré/);
    expect(castRefusal({ ...declared, forUserId: "s2", declaredIds: new Set(["e2", "s2"]) })).toBeNull();
    // A consensus waits for each member present, not recused, to have declared; a recusal for a known link needs none.
    expect(undeclaredMembers(MEMBERS, ["pE", "vS", "e2", "obs"], new Set(["pE"]), new Set(["e2"]))).toEqual(["vS"]);
    expect(consensusDeclarationRefusal([])).toBeNull();
    expect(consensusDeclarationRefusal(["Marie"])).toMatch(/^Un membre présent n'a pas encore déclaré .*\(Marie\)/);
  });
  it("binds the decision to the latest finished vote on it, and makes it wait while that vote has no result", () => {
    const decided = { subject: "OVERALL", state: "FINISHED" as const, result: "PARTIAL", tie: false };
    const tie = { subject: "OVERALL", state: "FINISHED" as const, result: null, tie: true };
    const bloc = { subject: "BLOC", state: "FINISHED" as const, result: null, tie: true };
    expect(overallPollOf([])).toEqual({ poll: null, refusal: null });
    expect(overallPollOf([decided, bloc]).poll).toBe(decided);
    expect(overallPollOf([decided, tie]).refusal).toMatch(/égalité : départagez-la/);
    expect(overallPollOf([{ ...tie, tie: false }]).refusal).toMatch(/pas dégagé de majorité/);
    expect(overallPollOf([tie, { ...tie, result: "TOTAL" }])).toEqual({ poll: { ...tie, result: "TOTAL" }, refusal: null });
  });
  it("holds the decision on a bloc's or competence's vote without a result, until it is broken, voted again or agreed", () => {
    const bloc = { subject: "BLOC", subjectId: "b2", question: "Bloc BC02 — Financement", state: "FINISHED" as const, result: null, tie: true };
    expect(targetPollsRefusal([bloc])).toBe(
      "Le dernier vote sur « Bloc BC02 — Financement » s'est conclu par une égalité : départagez-la (voix prépondérante), votez à nouveau ou constatez un consensus avant de rendre la décision.",
    );
    expect(targetPollsRefusal([{ ...bloc, tie: false }])).toMatch(/n'a pas dégagé de majorité/);
    expect(targetPollsRefusal([{ ...bloc, result: "ACQUIRED" }])).toBeNull(); // the casting vote broke the tie
    expect(targetPollsRefusal([bloc, { ...bloc, result: "NOT_ACQUIRED" }])).toBeNull(); // a later vote or consensus
    expect(targetPollsRefusal([{ ...bloc, result: "ACQUIRED" }, bloc])).toMatch(/égalité/); // the latest counts
    expect(targetPollsRefusal([{ ...bloc, subject: "OVERALL", subjectId: null }])).toBeNull(); // overallPollOf's
    expect(targetPollsRefusal([bloc, { ...bloc, subjectId: "b1", result: "ACQUIRED" }])).toMatch(/BC02/);
  });
  it("refuses a second consensus on a question the jury already pronounced on", () => {
    const options = [...OVERALL_OPTIONS];
    const consensus = { subject: "OVERALL", subjectId: null, mode: "CONSENSUS" as const, options, state: "FINISHED" as const, result: "TOTAL", tie: false };
    const overall = { subject: "OVERALL", subjectId: null };
    expect(consensusRefusal([], overall)).toBeNull();
    expect(consensusRefusal([consensus], overall)).toBe(
      "Un consensus est déjà constaté sur cette question (« Délivrance totale ») : un second consensus n'est pas enregistré. Pour y revenir, utilisez « Revenir sur le consensus », avec un motif.",
    );
    expect(consensusRefusal([{ ...consensus, mode: "OPEN" }], overall)).toMatch(/Le vote sur cette question a déjà décidé \(« Délivrance totale »\)/);
    expect(consensusRefusal([{ ...consensus, mode: "OPEN", result: null }], overall)).toBeNull(); // a tie: a consensus may settle it
    expect(consensusRefusal([consensus], { subject: "BLOC", subjectId: "b1" })).toBeNull(); // another question
    expect(consensusRefusal([{ ...consensus, state: "STARTED" as const, result: null }], overall)).toBeNull();
    expect(consensusRefusal([{ ...consensus, withdrawnAt: new Date() }], overall)).toBeNull(); // gone back on
  });
  it("refuses a vote on a question a standing consensus settled, and holds the decision once it is withdrawn", () => {
    const options = [...OVERALL_OPTIONS];
    const consensus = { subject: "OVERALL", subjectId: null, mode: "CONSENSUS" as const, options, state: "FINISHED" as const, result: "TOTAL", tie: false, question: "Décision d'ensemble" };
    const overall = { subject: "OVERALL", subjectId: null };
    expect(openPollRefusal([consensus], overall)).toMatch(/^Un consensus est constaté sur cette question \(« Délivrance totale »\) : pour la soumettre au vote, revenez d'abord/);
    expect(openPollRefusal([{ ...consensus, mode: "OPEN" }], overall)).toBeNull(); // a vote is taken again by a vote
    expect(openPollRefusal([consensus], { subject: "BLOC", subjectId: "b1" })).toBeNull();
    const withdrawn = { ...consensus, withdrawnAt: new Date() };
    expect(openPollRefusal([withdrawn], overall)).toBeNull();
    expect(overallPollOf([withdrawn])).toEqual({ poll: null, refusal: expect.stringMatching(/consensus sur la décision d'ensemble a été retiré/) });
    const vote = { ...consensus, mode: "OPEN" as const, result: "NONE" };
    expect(overallPollOf([withdrawn, vote]).poll).toBe(vote);
    expect(withdrawConsensusRefusal({ mode: "OPEN" })).toMatch(/Seul un consensus peut être retiré/);
    expect(withdrawConsensusRefusal({ mode: "CONSENSUS" })).toBeNull();
  });
  it("breaks only the tie of the latest poll on its question", () => {
    const tie = { id: "a", subject: "OVERALL", subjectId: null };
    const bloc = { id: "b", subject: "BLOC", subjectId: "b1" };
    const again = { id: "c", subject: "OVERALL", subjectId: null };
    expect(castingVoteSupersededRefusal([tie], "a")).toBeNull();
    expect(castingVoteSupersededRefusal([tie, bloc], "a")).toBeNull(); // another question does not supersede it
    expect(castingVoteSupersededRefusal([tie, bloc, again], "a")).toBe(
      "Un vote ou un consensus plus récent a eu lieu sur cette question : la voix prépondérante ne départage que le dernier scrutin, s'il est encore à égalité.",
    );
    expect(castingVoteSupersededRefusal([tie, bloc, again], "c")).toBeNull();
    // A later consensus, even gone back on, was the jury moving past the tie.
    expect(castingVoteSupersededRefusal([tie, { ...again, withdrawnAt: new Date() }], "a")).toMatch(/plus récent/);
    expect(castingVoteSupersededRefusal([{ ...bloc, subjectId: "b2" }, bloc], "b")).toBeNull();
    expect(castingVoteSupersededRefusal([{ ...tie, withdrawnAt: new Date() }], "a")).toMatch(/retiré/);
  });
  it("keeps to the vote modes the scheme allows", () => {
    expect(voteModeRefusal(rules({ voteModes: ["open"], defaultVoteMode: "open" }), "secret")).toMatch(/n'admet pas/);
    expect(voteModeRefusal(rules(), "secret")).toBeNull();
    expect(() => parseScheme({ scale: { kind: "levels", levels: [{ value: "A", label: "A", positive: true }, { value: "B", label: "B", positive: false }] }, jury: { voteModes: ["open"], defaultVoteMode: "secret" } })).toThrow(/mode de décision proposé/);
  });
  it("lets the vice-president preside only in the president's absence", () => {
    expect(presidingRefusal(MEMBERS, new Set(["pE", "vS"]), "vS")).toMatch(/président est présent/);
    expect(presidingRefusal(MEMBERS, new Set(["vS"]), "vS")).toBeNull();
    expect(presidingRefusal(MEMBERS, new Set(["pE", "e2"]), "e2")).toMatch(/Seul le président/);
    // A member trying to open with no chair present is told who conducts, not only who is missing.
    expect(presidingRefusal(MEMBERS, new Set(["e2"]), "e2")).toMatch(/^Seul le président \(ou le vice-président en son absence\) conduit la délibération ; ni l'un/);
  });
  it("lets a member record his own arrival or departure, another's only the one presiding or the secretariat", () => {
    const all = new Set(["pE", "vS", "e2", "s2", "sec"]);
    const record = (present: Set<string>, actorId: string, userId: string, kind: "ARRIVED" | "LEFT" = "LEFT", manages = false) =>
      attendanceRecordingRefusal(MEMBERS, present, { actorId, userId, kind, manages });
    const departure = "Seul le président de séance ou le secrétariat peut enregistrer le départ d'un autre membre.";
    for (const who of ["e2", "vS", "sec", "obs"]) expect(record(all, who, who), who).toBeNull();
    expect(record(all, "pE", "vS")).toBeNull();
    // The vice-president while the president presides, the session's secretary, a member, an observer: refused.
    for (const who of ["vS", "sec", "e2", "obs"]) expect(record(all, who, "pE"), who).toBe(departure);
    expect(record(all, "e2", "s2", "ARRIVED")).toBe("Seul le président de séance ou le secrétariat peut enregistrer l'arrivée d'un autre membre.");
    // The vice-president presides once the president is gone; the president not (yet) present does not.
    expect(record(new Set(["vS", "e2"]), "vS", "e2")).toBeNull();
    expect(record(new Set(["vS", "e2"]), "vS", "pE", "ARRIVED")).toBeNull();
    expect(record(new Set(["vS", "e2"]), "pE", "e2")).toBe(departure);
    // The organisation's secretariat or administration, seated or not.
    expect(record(all, "sec", "pE", "LEFT", true)).toBeNull();
    expect(record(all, "someone", "pE", "LEFT", true)).toBeNull();
  });
  it("has a recused president replaced by the vice-president on that candidate, and nobody when both are recused", () => {
    const present = new Set(["pE", "vS", "e2", "s2"]);
    expect(presidingRefusal(MEMBERS, present, "pE", new Set(["pE"]))).toMatch(/Vous êtes récusé pour ce candidat : la délibération/);
    expect(presidingRefusal(MEMBERS, present, "vS", new Set(["pE"]))).toBeNull();
    expect(presidingRefusal(MEMBERS, present, "pE", new Set(["pE", "vS"]))).toMatch(/aucun président ni vice-président non récusé/);
    expect(presidingRefusal(MEMBERS, present, "e2", new Set(["pE", "vS"]))).toMatch(/Aucun président ni vice-président non récusé/);
  });
});

describe("decision", () => {
  const blocs: BlocTargets[] = [
    { id: "b1", code: "BC01", commissionOutcome: "acquired", competences: [{ id: "c1", code: "C1", commissionOutcome: "acquired" }] },
    { id: "b2", code: "BC02", commissionOutcome: "notAcquired", competences: [{ id: "c2", code: "C2", commissionOutcome: "notAcquired" }, { id: "c3", code: "C3", commissionOutcome: "acquired" }] },
  ];
  const base = { granularity: "bloc" as const, blocRule: { rule: "allCompetences" as const }, partialAllowed: true, blocs };
  it("follows the commission: partial", () => {
    const r = checkDecision({ ...base, overall: "PARTIAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: false }] });
    expect(r.ok && r.acquiredBlocIds).toEqual(["b1"]);
  });
  it("requires a reason to overturn, and an overall decision that agrees", () => {
    const noReason = checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: true }] });
    expect(!noReason.ok && noReason.errors["choices.b2"]).toMatch(/motivez/);
    const ok = checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: true, reason: "Rattrapage : preuves complémentaires" }] });
    expect(ok.ok && ok.items[1]).toMatchObject({ followed: false, reason: "Rattrapage : preuves complémentaires" });
    const mismatch = checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: false }] });
    expect(!mismatch.ok && mismatch.errors.overall).toMatch(/Délivrance partielle/);
    const noPartial = checkDecision({ ...base, partialAllowed: false, overall: "PARTIAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: false }] });
    expect(!noPartial.ok && noPartial.errors.overall).toMatch(/validation partielle/);
  });
  it("takes no invisible characters for a reason", () => {
    for (const blank of ["\u200b", " \u200b\u2060 ", "\ufeff"]) {
      const r = checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: true, reason: blank }] });
      expect(!r.ok && r.errors["choices.b2"], JSON.stringify(blank)).toMatch(/motivez/);
      expect(checkDecision({ ...base, overall: "ADJOURNED", adjournmentReason: blank, choices: [] }).ok).toBe(false);
    }
  });
  it("takes a sign for no motive: at least three letters, the same rule for an ajournement and a conformity remark", () => {
    for (const sign of [".", "-", "ok", "??", "1234", "—", "a.b"]) {
      const r = checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true }, { targetId: "b2", acquired: true, reason: sign }] });
      expect(!r.ok && r.errors["choices.b2"], sign).toBe(
        "BC02 : motivez la décision qui s'écarte de celle de la commission — un motif s'écrit en quelques mots (au moins 3 lettres).",
      );
      const adjourned = checkDecision({ ...base, overall: "ADJOURNED", adjournmentReason: sign, choices: [] });
      expect(!adjourned.ok && adjourned.errors.adjournmentReason, sign).toBe("Motivez l'ajournement : un motif s'écrit en quelques mots (au moins 3 lettres).");
    }
    // Letters of any script count, accents included; a followed item's reason stays optional.
    for (const motive of ["Vue", "Été", "Ошибка", "RAS", "Preuves complémentaires"]) {
      expect(checkDecision({ ...base, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true, reason: "." }, { targetId: "b2", acquired: true, reason: motive }] }).ok, motive).toBe(true);
    }
    const pendingBlocs: BlocTargets[] = [{ ...blocs[0]!, commissionOutcome: "pending" }];
    const pending = checkDecision({ ...base, blocs: pendingBlocs, overall: "TOTAL", choices: [{ targetId: "b1", acquired: true, reason: "-" }] });
    expect(!pending.ok && pending.errors["choices.b1"]).toBe("BC01 : la commission n'a pas conclu, motivez la décision du jury — un motif s'écrit en quelques mots (au moins 3 lettres).");
  });
  it("counts letters for a motive (motiveProblem)", async () => {
    const { letterCount, motiveProblem } = await import("~/domain/motive");
    expect(letterCount("L'été 2026 !")).toBe(4);
    expect(motiveProblem(undefined)).toBe("missing");
    expect(motiveProblem(" \u200b ")).toBe("missing");
    expect(motiveProblem(".")).toBe("short");
    expect(motiveProblem("a b")).toBe("short");
    expect(motiveProblem("abc")).toBeNull();
  });
  it("reads the form's choices, refusing an unknown value or an unsafe reason", () => {
    const read = decisionChoicesOf([["choice.b1", "ACQUIRED"], ["choice.b2", "NOT_ACQUIRED"], ["reason.b2", "Motif"], ["intent", "decide"]]);
    expect(read).toEqual({ choices: [{ targetId: "b1", acquired: true, reason: "" }, { targetId: "b2", acquired: false, reason: "Motif" }], errors: {} });
    expect(decisionChoicesOf([["choice.b1", "garbage"]]).errors).toEqual({ "choices.b1": "Choisissez « Acquis » ou « Non acquis »." });
    expect(decisionChoicesOf([["choice.b1", "ACQUIRED"], ["reason.b1", "Motif\u202eeulav"]]).errors["choices.b1"]).toMatch(/Caractères invisibles/);
  });
  it("decides competence by competence where the scheme says so", () => {
    const r = checkDecision({ ...base, granularity: "competence", overall: "PARTIAL", choices: [{ targetId: "c1", acquired: true }, { targetId: "c2", acquired: false }, { targetId: "c3", acquired: true }] });
    expect(r.ok).toBe(true);
    const ratio = checkDecision({ ...base, granularity: "competence", blocRule: { rule: "minRatio", ratio: 50 }, overall: "TOTAL", choices: [{ targetId: "c1", acquired: true }, { targetId: "c2", acquired: false }, { targetId: "c3", acquired: true }] });
    expect(ratio.ok).toBe(true);
  });
  it("needs a reason for an ajournement and sends the dossier back to its route", () => {
    expect(checkDecision({ ...base, overall: "ADJOURNED", choices: [] }).ok).toBe(false);
    expect(checkDecision({ ...base, overall: "ADJOURNED", adjournmentReason: "Pièce manquante", choices: [] }).ok).toBe(true);
    expect(dossierStatusAfterDecision("ADJOURNED", "VAE")).toBe("IN_EVALUATION");
    expect(dossierStatusAfterDecision("ADJOURNED", "FORMATION")).toBe("IN_TRAINING");
    expect(dossierStatusAfterDecision("NONE", "FORMATION")).toBe("DECIDED");
  });
  it("moves phases forward one at a time, never after the decision", () => {
    expect(juryPhaseRefusal("PRESENTATION", "DELIBERATION", false)).toBeNull();
    expect(juryPhaseRefusal("PRESENTATION", "DECISION", false)).toMatch(/Délibération/);
    expect(juryPhaseRefusal("DELIBERATION", "DECISION", true)).toMatch(/rendue/);
    expect(juryPhaseRefusal("DELIBERATION", "PRESENTATION", false)).toBe("On ne revient pas à une étape précédente de la délibération.");
    expect(juryPhaseRefusal("DECISION", "PRESENTATION", false)).toMatch(/On ne revient pas/);
  });
});

describe("conformity", () => {
  const scheme = parseScheme({ scale: { kind: "levels", levels: [{ value: "A", label: "Acquis", positive: true }, { value: "NA", label: "Non acquis", positive: false }] }, evaluatorPairRequired: true });
  const evaluatedAt = new Date("2026-06-01T09:00:00Z");
  const hab = [{ validFrom: new Date("2026-01-01"), validUntil: new Date("2026-12-31") }];
  const grid = (over: Partial<GridFacts> = {}): GridFacts => ({
    evaluatedAt,
    evaluators: [
      { userId: "pro", name: "Paul Pro", profile: "PROFESSIONAL", habilitations: hab },
      { userId: "ext", name: "Eva Externe", profile: "EXTERNAL", habilitations: hab },
    ],
    competences: [{ spec: { id: "c1", code: "C1" }, code: "C1", result: "NA", comment: "À retravailler" }],
    signed: true,
    missingSignerNames: [],
    ...over,
  });
  const facts = { scheme, dossierComplete: true, dossierMissing: [], trainerId: "t", trainerName: "Tom", grids: [grid()] };
  it("is conform when everything holds", () => {
    expect(computeConformity(facts).conform).toBe(true);
  });
  it("lists each non-conformity with its reason", () => {
    const c = computeConformity({
      ...facts,
      dossierComplete: false,
      dossierMissing: ["Avis de l'entreprise"],
      grids: [
        grid({
          evaluators: [
            { userId: "t", name: "Tom", profile: "PROFESSIONAL", habilitations: [{ validFrom: new Date("2025-01-01"), validUntil: new Date("2025-12-31") }] },
          ],
          competences: [{ spec: { id: "c1", code: "C1" }, code: "C1", result: "NA", comment: "" }],
          signed: false,
          missingSignerNames: ["Tom"],
        }),
      ],
    });
    expect(Object.fromEntries(c.nonConformities.map((i) => [i.key, i.reason]))).toEqual({
      dossierComplete: "Pièces ou étapes manquantes : Avis de l'entreprise.",
      evaluatorsHabilitated: "Sans habilitation valide : Tom (le 1er juin 2026).",
      evaluatorPair: "Il manque un évaluateur externe.",
      evaluatorNotTrainer: "Tom a formé le candidat et l'a évalué.",
      comments: "Commentaire manquant : C1.",
      gridSigned: "Signature manquante : Tom.",
    });
    expect(acknowledgementErrors(c, { dossierComplete: "vu" })).toHaveProperty("remarks.comments");
    // A remark is a motive: « - » or « vu » says nothing.
    expect(acknowledgementErrors(c, { dossierComplete: "-" })?.["remarks.dossierComplete"]).toBe(
      "« Dossier complet » : indiquez la remarque du jury sur cette non-conformité — un motif s'écrit en quelques mots (au moins 3 lettres).",
    );
    expect(acknowledgementErrors(c, { dossierComplete: "Vu en séance." })).not.toHaveProperty("remarks.dossierComplete");
  });
  it("checks the signed grid once there is one, and names on « signed by all » the grids not signed yet, with who has to sign", () => {
    const signed = grid({ label: "grille du 1er juin 2026 (Commission A)" });
    const pending = grid({ label: "grille du 2 juin 2026 (Commission B)", signed: false, missingSignerNames: ["Paul Pro"], competences: [{ spec: { id: "c1", code: "C1" }, code: "C1", result: "NA", comment: "" }] });
    const c = computeConformity({ ...facts, grids: [signed, pending] });
    // The pending grid's missing comment does not count: the jury decides on the signed grid.
    expect(c.conform).toBe(true);
    expect(c.items.find((i) => i.key === "gridSigned")).toMatchObject({
      status: "ok",
      reason: "Vérifié sur la grille signée : grille du 1er juin 2026 (Commission A). Pas encore signée par tous, donc non retenue : grille du 2 juin 2026 (Commission B) (reste : Paul Pro).",
    });
    // Alone, a signed grid needs no word.
    expect(computeConformity({ ...facts, grids: [signed] }).items.find((i) => i.key === "gridSigned")?.reason).toBeNull();
    // No grid signed: each grid says who has still to sign.
    const other = grid({ label: "grille du 3 juin 2026 (Commission C)", signed: false, missingSignerNames: ["Eva Externe"] });
    expect(computeConformity({ ...facts, grids: [pending, other] }).items.find((i) => i.key === "gridSigned")).toMatchObject({
      status: "nonConform",
      reason: "Signature manquante : grille du 2 juin 2026 (Commission B) (reste : Paul Pro) ; grille du 3 juin 2026 (Commission C) (reste : Eva Externe).",
    });
  });
  it("has nothing to check for the pair where the scheme does not require it", () => {
    const c = computeConformity({ ...facts, scheme: { ...scheme, evaluatorPairRequired: false }, grids: [] });
    expect(c.items.find((i) => i.key === "evaluatorPair")?.status).toBe("notApplicable");
    expect(c.items.find((i) => i.key === "gridSigned")?.status).toBe("nonConform");
  });
});

describe("a conflict declared after taking part (tookPartIn)", () => {
  it("counts a vote whose frozen voters held the member, for himself or as a proxy holder, and a consensus he was present at", async () => {
    const { tookPartIn, lateConflictReason } = await import("~/domain/jury-vote");
    const rights = [
      { userId: "a", actingUserId: "a" },
      { userId: "b", actingUserId: "c" },
    ];
    expect(tookPartIn({ mode: "OPEN", rights }, "a", false)).toBe(true);
    expect(tookPartIn({ mode: "SECRET", rights }, "c", false)).toBe(true);
    expect(tookPartIn({ mode: "SECRET", rights }, "d", true)).toBe(false);
    expect(tookPartIn({ mode: "CONSENSUS", rights: [] }, "d", true)).toBe(true);
    expect(tookPartIn({ mode: "CONSENSUS", rights: [] }, "d", false)).toBe(false);
    expect(lateConflictReason("Mehdi Membre", "OPEN")).toBe("Mehdi Membre a déclaré un conflit d'intérêts pour ce candidat après ce vote, auquel ce membre a pris part");
  });
});

describe("a member's declaration for a candidate", () => {
  it("is a conflict or no link only when the form says so; a missing or unknown value declares nothing", () => {
    expect(declaredConflictOf("true")).toBe(true);
    expect(declaredConflictOf("on")).toBe(true);
    expect(declaredConflictOf("false")).toBe(false);
    for (const value of [null, undefined, "", "maybe", "False", "0", "off"]) expect(declaredConflictOf(value)).toBeNull();
  });
});
