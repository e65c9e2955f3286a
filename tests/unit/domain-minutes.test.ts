import { describe, expect, it } from "vitest";
import { buildMinutes, coalesceIncidents, computeIncidents, declarationLines, frenchTime, minutesText, type MinutesFacts } from "~/domain/minutes";

const t = (hms: string) => new Date(`2026-03-12T${hms}Z`);

function facts(overrides: Partial<MinutesFacts> = {}): MinutesFacts {
  return {
    kind: "JURY",
    organisation: { name: "CPNE Démo", legalName: "CPNE de la Métallurgie" },
    certification: { title: "Technicien de maintenance", code: "RNCP12345", kindLabel: "CQP", certifierName: "UIMM", version: 2, blocs: [{ code: "BC01", title: "Diagnostiquer" }] },
    session: { title: "Jury de mars", startsAt: t("08:00:00"), endsAt: t("12:00:00"), actualStartAt: t("08:05:00"), actualEndAt: t("11:00:00"), remote: true, remoteMeans: null, place: null },
    members: [
      { userId: "p", name: "Paule Président", role: "PRESIDENT", college: "EMPLOYER" },
      { userId: "v", name: "Victor Vice", role: "VICE_PRESIDENT", college: "EMPLOYEE" },
      { userId: "m", name: "Marie Membre", role: "MEMBER", college: "EMPLOYEE" },
      { userId: "a", name: "Alain Absent", role: "MEMBER", college: "EMPLOYER" },
    ],
    attendance: [
      { userId: "p", kind: "ARRIVED", at: t("08:01:00") },
      { userId: "v", kind: "ARRIVED", at: t("08:02:00") },
      { userId: "m", kind: "ARRIVED", at: t("08:03:00") },
    ],
    proxies: [{ giverId: "a", holderId: "p", grantedAt: t("08:00:30"), revokedAt: null }],
    quorumEvents: [
      { kind: "RECOVERED", at: t("08:03:00"), reasons: [] },
      { kind: "LOST", at: t("09:00:00"), reasons: ["Collège salariés : 0 présent"] },
      { kind: "RECOVERED", at: t("09:10:00"), reasons: [] },
    ],
    connections: [
      { userId: "m", kind: "DISCONNECTED", at: t("09:30:00") },
      { userId: "m", kind: "RECONNECTED", at: t("09:34:10") },
      { userId: "v", kind: "DISCONNECTED", at: t("10:00:00") },
      { userId: "v", kind: "RECONNECTED", at: t("10:00:02") },
    ],
    candidates: [
      {
        name: "Jeanne Candidate",
        conformity: [{ label: "Dossier complet", status: "ok", reason: null }],
        conformityRemarks: [],
        polls: [
          {
            question: "Décision globale",
            mode: "SECRET",
            finishedAt: t("09:32:00"),
            tallies: { TOTAL: 3, NONE: 1 },
            labels: { TOTAL: "Délivrance totale", NONE: "Non-délivrance" },
            result: "TOTAL",
            tie: false,
            castingVoteChoice: null,
            consensusChoice: null,
            votes: [{ name: "Victor Vice", choice: "NONE" }],
          },
        ],
        decision: { overall: "TOTAL", method: "SECRET", tallies: { TOTAL: 3, NONE: 1 }, castingVoteUsed: false, decidedAt: t("09:33:00"), adjournmentReason: null, items: [{ target: "BLOC", code: "BC01", acquired: true, followed: true, reason: null }] },
        preconisations: "",
      },
      {
        name: "Paul Candidat",
        conformity: [],
        conformityRemarks: [],
        polls: [
          { question: "BC01", mode: "OPEN", finishedAt: t("10:20:00"), tallies: { ACQUIRED: 1, NOT_ACQUIRED: 2 }, labels: { ACQUIRED: "Acquis", NOT_ACQUIRED: "Non acquis" }, result: "NOT_ACQUIRED", tie: false, castingVoteChoice: null, consensusChoice: null, votes: [{ name: "Marie Membre", choice: "ACQUIRED" }] },
        ],
        decision: { overall: "NONE", method: "OPEN", tallies: null, castingVoteUsed: false, decidedAt: t("10:21:00"), adjournmentReason: null, items: [{ target: "BLOC", code: "BC01", acquired: false, followed: false, reason: "Mise en situation insuffisante" }] },
        preconisations: "Reprendre la mise en situation.",
      },
    ],
    commissionSlots: [],
    documentsExamined: ["Grille signée de Jeanne Candidate"],
    appeals: [],
    ...overrides,
  };
}

describe("minutes builder", () => {
  it("never doubles a full stop after a reason that ends with one, nor leaves one inside brackets", () => {
    const base = facts();
    const candidates = base.candidates.map((c, i) =>
      i === 1 && c.decision ? { ...c, decision: { ...c.decision, items: c.decision.items.map((item) => ({ ...item, reason: "Compétences non démontrées." })) } } : c,
    );
    const text = minutesText(
      buildMinutes({
        ...base,
        candidates,
        quorumEvents: [{ kind: "LOST", at: new Date("2026-11-20T09:00:00Z"), reasons: ["Collège salariés : 0 membre présent ou représenté, 2 requis."] }],
      }),
    );
    expect(text).toContain("2 requis.");
    expect(text).toContain("(avis de la commission non suivi : Compétences non démontrées).");
    expect(text).not.toMatch(/\.\./);
    expect(text).not.toContain(".)");
  });

  it("an overall decision without its own vote follows the votes on the blocs; a consensus only when nothing was voted", () => {
    const base = facts();
    const paul = base.candidates[1]!;
    const voted = { ...paul, decision: { ...paul.decision!, method: "CONSENSUS" as const } };
    const unvoted = { ...voted, name: "Luc Sansvote", polls: [] };
    const text = minutesText(buildMinutes({ ...base, candidates: [voted, unvoted] }));
    expect(text).toMatch(/Décision : Non-délivrance, au vu des votes ci-dessus, à /);
    expect(text).toMatch(/Décision : Non-délivrance, par consensus, à /);
  });

  it("a decision revised on an appeal says it was taken on the appeal, never « par consensus »", () => {
    const base = facts();
    const paul = base.candidates[1]!;
    const revised = { ...paul, polls: [], decision: { ...paul.decision!, overall: "TOTAL" as const, method: "APPEAL" as const } };
    const text = minutesText(buildMinutes({ ...base, candidates: [revised] }));
    expect(text).toMatch(/Décision : Délivrance totale, sur recours accueilli par le jury, à /);
    expect(text).not.toContain("par consensus");
  });

  it("never names a voter of a secret poll, even when the facts carry one", () => {
    const text = minutesText(buildMinutes(facts()));
    const secret = text.split("\n").find((l) => l.startsWith("Décision globale"))!;
    expect(secret).toContain("Délivrance totale : 3, Non-délivrance : 1");
    expect(text).not.toMatch(/Victor Vice \(/);
    // An open poll names its voters.
    expect(text).toContain("Marie Membre (Acquis)");
  });

  it("names the abstention « Abstention » in the tallies and the named votes, never its code", () => {
    const base = facts();
    const candidate = base.candidates[1]!;
    const poll = { ...candidate.polls[0]!, tallies: { ACQUIRED: 1, NOT_ACQUIRED: 2, ABSTAIN: 1 }, votes: [{ name: "Mehdi Membre", choice: "ABSTAIN" }] };
    const text = minutesText(buildMinutes({ ...base, candidates: [base.candidates[0]!, { ...candidate, polls: [poll] }] }));
    expect(text).toContain("Abstention : 1");
    expect(text).toContain("Mehdi Membre (Abstention)");
    expect(text).not.toContain("ABSTAIN");
  });

  it("prints a vote's totals in the order of its choices, abstention last, the choices nobody took left out", () => {
    const base = facts();
    const candidate = base.candidates[1]!;
    // As the database gives them back: in no particular order, with the choices nobody took.
    const poll = { ...candidate.polls[0]!, tallies: { ABSTAIN: 1, NOT_ACQUIRED: 0, ACQUIRED: 3 } };
    const text = minutesText(buildMinutes({ ...base, candidates: [base.candidates[0]!, { ...candidate, polls: [poll] }] }));
    expect(text).toContain("BC01 — vote à main levée : Acquis : 3, Abstention : 1 → Non acquis.");
  });
  it("ends a loss of quorum with one full stop", () => {
    const quorum = buildMinutes(facts({ quorumEvents: [{ kind: "LOST", at: t("09:00:00"), reasons: ["Collège salariés : 0 membre présent ou représenté, 1 requis.", "1 membre présent ou représenté en tout, 2 requis."] }] })).sections.find((s) => s.key === "quorum")!;
    expect(quorum.paragraphs[0]).toMatch(/1 requis ; 1 membre présent ou représenté en tout, 2 requis\.$/);
    expect(quorum.paragraphs[0]).not.toMatch(/\.\./);
  });
  it("lists every loss and recovery of quorum with its time and reason", () => {
    const quorum = buildMinutes(facts()).sections.find((s) => s.key === "quorum")!;
    expect(quorum.paragraphs).toHaveLength(3);
    expect(quorum.paragraphs[1]).toMatch(/quorum perdu : Collège salariés : 0 présent/);
    expect(quorum.paragraphs[2]).toMatch(/quorum atteint/);
  });

  it("turns a disconnection and its reconnection into an incident with what was decided meanwhile; blips counted apart", () => {
    const { incidents, blips } = computeIncidents(facts());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ userId: "m", name: "Marie Membre", durationSeconds: 250 });
    expect(incidents[0]!.meanwhile.join()).toContain("Jeanne Candidate : Délivrance totale");
    expect(incidents[0]!.meanwhile.join()).toContain("vote clos « Décision globale »");
    expect(blips).toBe(1);
    const section = buildMinutes(facts()).sections.find((s) => s.key === "incidents")!;
    expect(section.paragraphs[0]).toMatch(/Marie Membre déconnecté\(e\) de .* \(4 min 10 s\)/);
    expect(section.paragraphs[1]).toMatch(/1 coupure de moins de 5 secondes, non détaillée\./);
  });

  it("moving to another page of the session is no incident; a lost connection of the same length is one", () => {
    const at = (userId: string, from: string, to: string, voluntary: boolean) => [
      { userId, kind: "DISCONNECTED" as const, at: t(from), voluntary },
      { userId, kind: "RECONNECTED" as const, at: t(to) },
    ];
    // Marie opens the minutes page (2 s); Victor's network drops for the same 2 s.
    const short = computeIncidents(facts({ connections: [...at("m", "09:30:00", "09:30:02", true), ...at("v", "10:00:00", "10:00:02", false)] }));
    expect(short).toEqual({ incidents: [], blips: 1 });
    // A navigation at the edge of the grace (a slow page load) is still one; a page left longer is an absence; so
    // is a lost connection of 6 s.
    expect(computeIncidents(facts({ connections: at("m", "09:30:00", "09:30:15", true) }))).toEqual({ incidents: [], blips: 0 });
    const away = computeIncidents(
      facts({ connections: [...at("m", "09:30:00", "09:30:16", true), ...at("m", "09:40:00", "09:41:00", true), ...at("v", "10:00:00", "10:00:06", false)] }),
    );
    expect(away.incidents.map((i) => [i.name, i.durationSeconds])).toEqual([
      ["Marie Membre", 16],
      ["Marie Membre", 60],
      ["Victor Vice", 6],
    ]);
    // A page closed and never reopened lasts until the close, like any drop.
    const gone = computeIncidents(facts({ connections: [{ userId: "m", kind: "DISCONNECTED", at: t("10:50:00"), voluntary: true }] }));
    expect(gone.incidents[0]).toMatchObject({ to: null, durationSeconds: 600 });
    const section = buildMinutes(facts({ connections: at("m", "09:30:00", "09:30:02", true) })).sections.find((s) => s.key === "incidents")!;
    expect(section.paragraphs).toEqual(["Aucun incident technique."]);
  });

  it("a reload whose goodbye was lost is no incident when the page that follows says so; a lost connection is one", () => {
    // The server saw Marie's connection lost (no goodbye: the browser dropped it as it unloaded the page), and her next
    // page joined 2 s later saying its tab had just left a page of the session. Victor's network drops for the same
    // 2 s and his page reconnects without a word. Marie's 20 s are an absence, whatever her page says.
    const drop = (userId: string, from: string, to: string, navigated: boolean) => [
      { userId, kind: "DISCONNECTED" as const, at: t(from), voluntary: false },
      { userId, kind: "RECONNECTED" as const, at: t(to), navigated },
    ];
    const { incidents, blips } = computeIncidents(
      facts({ connections: [...drop("m", "09:30:00", "09:30:02", true), ...drop("v", "10:00:00", "10:00:02", false), ...drop("m", "09:40:00", "09:40:20", true)] }),
    );
    expect(blips).toBe(1);
    expect(incidents.map((i) => [i.name, i.durationSeconds])).toEqual([["Marie Membre", 20]]);
  });

  it("only the sitting counts: away before its opening is no incident, a drop across it counts from the opening", () => {
    const { incidents, blips } = computeIncidents(
      facts({
        connections: [
          { userId: "s", kind: "DISCONNECTED", at: t("07:50:00"), voluntary: true },
          { userId: "s", kind: "RECONNECTED", at: t("08:04:00") },
          { userId: "v", kind: "DISCONNECTED", at: t("08:03:00") },
          { userId: "v", kind: "RECONNECTED", at: t("08:07:30") },
        ],
      }),
    );
    expect(incidents.map((i) => [i.userId, i.from, i.durationSeconds])).toEqual([["v", t("08:05:00"), 150]]);
    expect(blips).toBe(0);
  });

  it("says a member's brief disconnections in one line; long ones, and brief ones while something was decided, keep their own", () => {
    const drop = (userId: string, from: string, to: string) => [
      { userId, kind: "DISCONNECTED" as const, at: t(from) },
      { userId, kind: "RECONNECTED" as const, at: t(to) },
    ];
    const connections = [
      ...drop("v", "08:40:00", "08:40:20"),
      ...drop("m", "08:45:00", "08:45:10"),
      ...drop("v", "08:50:00", "08:50:30"),
      ...drop("v", "09:00:00", "09:00:59"),
      // 20 s, but the vote « Décision globale » closed at 09:32:00 while Victor was away: said with its times.
      ...drop("v", "09:31:50", "09:32:10"),
      // A minute and more: an incident of its own.
      ...drop("v", "10:00:00", "10:01:00"),
    ];
    const lines = coalesceIncidents(computeIncidents(facts({ connections })).incidents);
    expect(lines.map((l) => (l.kind === "brief" ? [l.name, l.count] : [l.incident.name, l.incident.durationSeconds]))).toEqual([
      ["Victor Vice", 3],
      ["Marie Membre", 1],
      ["Victor Vice", 20],
      ["Victor Vice", 60],
    ]);
    // Times are written with non-breaking spaces (« 9 h 40 »): compared as plain spaces.
    const section = buildMinutes(facts({ connections })).sections.find((s) => s.key === "incidents")!;
    section.paragraphs = section.paragraphs.map((p) => p.replace(/[\u00a0\u202f]/g, " "));
    expect(section.paragraphs).toHaveLength(4);
    expect(section.paragraphs[0]).toMatch(/^Victor Vice : 3 brèves coupures de connexion \(moins de 60 s chacune, entre 9 h 40 et 10 h 00\), reconnecté\(e\) à chaque fois\.$/);
    expect(section.paragraphs[1]).toBe("Marie Membre : 1 brève coupure de connexion (moins de 60 s, à 9 h 45), reconnecté(e).");
    expect(section.paragraphs[2]).toMatch(/^Victor Vice déconnecté\(e\) de 10 h 31 à 10 h 32 \(20 s\)\. Pendant l'interruption : .*vote clos « Décision globale »/);
    expect(section.paragraphs[3]).toMatch(/^Victor Vice déconnecté\(e\) de 11 h 00 à 11 h 01 \(1 min 00 s\)\. Rien n'a été décidé/);
    // Not back before the close: never brief.
    expect(coalesceIncidents(computeIncidents(facts({ connections: [{ userId: "v", kind: "DISCONNECTED", at: t("10:59:30") }] })).incidents)[0]!.kind).toBe("detailed");
  });

  it("a drop without return lasts until the close", () => {
    const { incidents } = computeIncidents(facts({ connections: [{ userId: "v", kind: "DISCONNECTED", at: t("10:50:00") }] }));
    expect(incidents[0]).toMatchObject({ to: null, durationSeconds: 600 });
  });

  it("composition: present, represented by whom, absent; rattrapage, préconisations, appeals and annex", () => {
    const text = minutesText(buildMinutes(facts()));
    expect(text).toContain("Alain Absent — Membre, collège employeurs : représenté(e) par Paule Président");
    expect(text).toContain("Reste à acquérir : BC01 (Mise en situation insuffisante)");
    expect(text).toContain("Préconisations : Reprendre la mise en situation.");
    expect(text).toContain("Aucun recours examiné.");
    expect(text).toContain("Admis : Jeanne Candidate (délivrance totale).");
    expect(text).toContain("Non admis : Paul Candidat (non-délivrance).");
    expect(text).toContain("CQP RNCP12345, référentiel version 2");
  });

  it("a candidate reported to a later jury: not deliberated, when, by whom and why; listed apart in the annex, never « Non admis »", () => {
    const reason =
      "Collège salariés : Marie Membre (a évalué ce candidat à la commission du 9 décembre 2026), Victor Vice (a évalué ce candidat à la commission du 9 décembre 2026) sont récusés ; aucun membre de ce collège ne peut délibérer sur ce candidat.";
    const base = facts();
    const reported = {
      name: "Yasmine Candidate",
      conformity: [{ label: "Dossier complet", status: "ok" as const, reason: null }],
      conformityRemarks: [],
      polls: [],
      decision: null,
      preconisations: "",
      postponed: { at: t("10:40:00"), by: "Paule Président", reason },
    };
    const content = buildMinutes({ ...base, candidates: [...base.candidates, reported] });
    const section = content.sections.find((s) => s.key === "candidate-3")!;
    expect(section.paragraphs).toEqual([
      `Dossier non délibéré : reporté à un jury ultérieur à ${frenchTime(t("10:40:00"))} par Paule Président, qui présidait la séance, personne ne pouvant délibérer sur ce candidat dans ce jury.`,
      `Récusations : ${reason}`,
      "Décision : aucune, le dossier est rendu au secrétariat pour l'ordre du jour d'un autre jury.",
    ]);
    const annex = content.sections.find((s) => s.key === "annex")!.paragraphs;
    expect(annex).toEqual([
      "Admis : Jeanne Candidate (délivrance totale).",
      "Non admis : Paul Candidat (non-délivrance).",
      "Reporté(e) à un jury ultérieur, non délibéré(e) : Yasmine Candidate.",
    ]);
    // Two reported, none refused: « Non admis : aucun. », both listed apart.
    const two = buildMinutes({ ...base, candidates: [base.candidates[0]!, reported, { ...reported, name: "Zoé Candidate" }] });
    expect(two.sections.find((s) => s.key === "annex")!.paragraphs.slice(1)).toEqual([
      "Non admis : aucun.",
      "Reportés à un jury ultérieur, non délibérés : Yasmine Candidate, Zoé Candidate.",
    ]);
    // A sitting without any reported candidate keeps its annex as it was.
    expect(buildMinutes(base).sections.find((s) => s.key === "annex")!.paragraphs).toHaveLength(2);
  });

  it("a commission's PV is the short one: candidates heard, grids, incidents", () => {
    const content = buildMinutes(
      facts({ kind: "COMMISSION", commissionSlots: [{ candidate: "Jeanne Candidate", startsAt: t("08:30:00"), gridStatus: "SIGNED", signedAt: t("09:00:00"), outcome: null }] }),
    );
    expect(content.title).toBe("Procès-verbal de la commission d'évaluation");
    expect(content.sections.map((s) => s.key)).toEqual(["body", "sitting", "composition", "heard", "incidents"]);
  });
});

describe("the members' declarations per candidate", () => {
  it("names who declared no link, who declared a conflict, who was recused for a link, who could not vote undeclared", () => {
    expect(
      declarationLines({
        declaredNoLink: ["Pierre Président", "Mehdi Membre"],
        declaredConflicts: ["Jeanne Jurée"],
        linkRecusals: [{ name: "Paul Tuteur", reason: "Formateur du candidat" }],
        undeclaredVoters: ["Marie Membre"],
      }),
    ).toEqual([
      "Absence de lien avec le candidat déclarée par : Pierre Président, Mehdi Membre.",
      "Conflit d'intérêts déclaré : Jeanne Jurée, qui ne prend pas part à la délibération sur ce candidat.",
      "Récusé pour un lien avec le candidat : Paul Tuteur (formateur du candidat) — sans part à la délibération sur ce candidat.",
      "Sans déclaration d'absence de lien : Marie Membre, qui n'a donc pas pu voter sur ce candidat.",
    ]);
    expect(declarationLines({ declaredNoLink: [], undeclaredVoters: ["A", "B"] })).toEqual([
      "Aucun membre n'a déclaré l'absence de lien avec ce candidat.",
      "Sans déclaration d'absence de lien : A, B, qui n'ont donc pas pu voter sur ce candidat.",
    ]);
    // A commission's candidates carry no declarations: nothing printed.
    expect(declarationLines({})).toEqual([]);
  });
});
