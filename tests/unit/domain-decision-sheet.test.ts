/** The fiche de décision's pure rules: tallies with labels, attendance at the time of the decision, the text. */
import { describe, expect, it } from "vitest";
import {
  attendanceAt,
  decisionSheetSections,
  labelTallies,
  type DecisionSheetContent,
  type SealedDecisionSheet,
} from "~/domain/decision-sheet";
import { OVERALL_OPTIONS } from "~/domain/jury-vote";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 9, minute));

function sheet(overrides: Partial<DecisionSheetContent["decision"]> = {}, granularity: "bloc" | "competence" = "bloc"): SealedDecisionSheet {
  return {
    preconisations: "  ",
    sheet: {
      organisation: { name: "CPNE", legalName: "CPNE de démonstration" },
      certification: { title: "CQP Assistant(e) de formation", code: "RNCP38544", kindLabel: "CQP", version: 1 },
      session: { title: "Jury", date: at(0).toISOString(), place: "à distance" },
      candidate: { name: "Jeanne DUPONT", sex: "F", birthDate: "1990-03-04" },
      dossierRoute: "FORMATION",
      granularity,
      evaluation: null,
      blocs: [
        {
          code: "BC01",
          title: "Gestion",
          commissionOutcome: "acquired",
          jury: granularity === "bloc" ? { acquired: true, followed: true, reason: null } : null,
          competences: [
            {
              code: "C1",
              statement: "Accueillir",
              commissionResult: "Acquis",
              commissionOutcome: "acquired",
              evaluators: [{ name: "Paul Pro", assessment: "Acquis" }],
              jury: granularity === "competence" ? { acquired: false, followed: false, reason: "Preuves insuffisantes" } : null,
            },
          ],
        },
      ],
      decision: {
        overall: "PARTIAL",
        method: "SECRET",
        decidedAt: at(30).toISOString(),
        decidedBy: "Pierre Président",
        adjournmentReason: null,
        castingVoteUsed: true,
        tallies: [
          { label: "Délivrance partielle", count: 2 },
          { label: "Non-délivrance", count: 2 },
        ],
        acquired: ["BC01"],
        notAcquired: ["BC02"],
        ...overrides,
      },
      votes: [
        { question: "Décision d'ensemble", mode: "SECRET", tallies: [{ label: "Délivrance partielle", count: 2 }], result: "Délivrance partielle", tie: true, castingVote: "Délivrance partielle", consensus: null, finishedAt: null },
        { question: "Bloc BC01", mode: "CONSENSUS", tallies: [], result: null, tie: false, castingVote: null, consensus: "Acquis", finishedAt: null },
      ],
      conformity: { acknowledged: true, nonConformities: [], unverifiable: ["Formateur (non renseigné)"], remarks: ["Vu."] },
      composition: [
        { name: "Pierre Président", role: "PRESIDENT", college: "EMPLOYER", status: "present", representedBy: null, recused: null },
        { name: "Mehdi Membre", role: "MEMBER", college: "EMPLOYEE", status: "represented", representedBy: "Marie Membre", recused: "Conflit d'intérêts déclaré" },
      ],
    },
  };
}

const text = (sealed: SealedDecisionSheet) =>
  decisionSheetSections(sealed).sections.flatMap((s) => [s.heading, ...s.paragraphs]).join("\n");

describe("labelTallies", () => {
  it("labels the choices in the options' order, abstentions last, and leaves out nobody's choice", () => {
    expect(labelTallies({ ABSTAIN: 1, NONE: 1, TOTAL: 2, PARTIAL: 0 }, OVERALL_OPTIONS)).toEqual([
      { label: "Délivrance totale", count: 2 },
      { label: "Non-délivrance", count: 1 },
      { label: "Abstention", count: 1 },
    ]);
    expect(labelTallies(null, OVERALL_OPTIONS)).toBeNull();
    expect(labelTallies({ TOTAL: 0 }, OVERALL_OPTIONS)).toEqual([]);
  });
});

describe("attendanceAt", () => {
  const members = [
    { userId: "p", name: "Pierre" },
    { userId: "m", name: "Marie" },
    { userId: "x", name: "Mehdi" },
  ];
  const attendance = [
    { userId: "p", kind: "ARRIVED" as const, at: at(0) },
    { userId: "m", kind: "ARRIVED" as const, at: at(1) },
    { userId: "m", kind: "LEFT" as const, at: at(20) },
  ];
  const proxies = [{ giverId: "x", holderId: "m", grantedAt: at(2), revokedAt: null }];

  it("counts a proxy only while its holder is present, and only events up to the decision", () => {
    const before = attendanceAt(members, attendance, proxies, at(10));
    expect(before.get("p")).toEqual({ status: "present", representedBy: null });
    expect(before.get("x")).toEqual({ status: "represented", representedBy: "Marie" });
    const after = attendanceAt(members, attendance, proxies, at(30));
    expect(after.get("m")).toEqual({ status: "absent", representedBy: null });
    expect(after.get("x")).toEqual({ status: "absent", representedBy: null });
  });

  it("ignores a proxy revoked before the decision", () => {
    const revoked = [{ ...proxies[0]!, revokedAt: at(5) }];
    expect(attendanceAt(members, attendance, revoked, at(10)).get("x")!.status).toBe("absent");
  });
});

describe("decisionSheetSections", () => {
  it("prints the partial decision with the blocs acquired and still to acquire, the tallies and the casting vote", () => {
    const t = text(sheet());
    expect(t).toContain("Décision d'ensemble : Délivrance partielle, vote à bulletin secret (Délivrance partielle : 2, Non-délivrance : 2), avec voix prépondérante.");
    expect(t).toContain("Blocs acquis : BC01.");
    expect(t).toContain("Blocs restant à acquérir : BC02.");
    expect(t).toContain("Décision d'ensemble — vote à bulletin secret : Délivrance partielle : 2 → Délivrance partielle (voix prépondérante : Délivrance partielle).");
    expect(t).toContain("Bloc BC01 — consensus : Acquis.");
    expect(t).toContain("Candidat(e) : Jeanne DUPONT, née le 4 mars 1990.");
    expect(t).toContain("Aucune préconisation.");
    expect(t).toContain("Points non vérifiables : Formateur (non renseigné).");
    expect(t).toContain("Mehdi Membre — Membre, collège salariés : représenté(e) par Marie Membre ; ne prend pas part à la décision (Conflit d'intérêts déclaré).");
  });

  it("prints the jury's choice per bloc, or per competence with the reason of an overturned opinion", () => {
    expect(text(sheet())).toContain("Décision du jury sur le bloc : acquis (avis de la commission suivi).");
    const byCompetence = text(sheet({}, "competence"));
    expect(byCompetence).not.toContain("Décision du jury sur le bloc");
    expect(byCompetence).toContain("Décision du jury sur C1 : non acquis (avis de la commission non suivi : Preuves insuffisantes).");
    expect(byCompetence).toContain("C1 Accueillir — commission : Acquis ; évaluateurs : Paul Pro — Acquis.");
    expect(byCompetence).toContain("Compétences acquises : BC01.");
    expect(byCompetence).toContain("Compétences restant à acquérir : BC02.");
  });

  it("says an overall decision without its own vote follows the votes on the blocs, and is a consensus only when nothing was voted", () => {
    const withoutOverallVote = sheet({ method: "CONSENSUS", tallies: null, castingVoteUsed: false });
    withoutOverallVote.sheet.votes = [
      { question: "Bloc BC02", mode: "OPEN", tallies: [{ label: "Non acquis", count: 3 }, { label: "Acquis", count: 1 }], result: "Non acquis", tie: false, castingVote: null, consensus: null, finishedAt: at(20).toISOString() },
    ];
    expect(text(withoutOverallVote)).toContain("Décision d'ensemble : Délivrance partielle, au vu des votes rapportés plus bas.");
    withoutOverallVote.sheet.votes = [
      { question: "Bloc BC01", mode: "CONSENSUS", tallies: [], result: null, tie: false, castingVote: null, consensus: "Acquis", finishedAt: at(20).toISOString() },
    ];
    expect(text(withoutOverallVote)).toContain("Décision d'ensemble : Délivrance partielle, par consensus.");
  });

  it("says a decision revised on an appeal was taken on the appeal, not by a consensus", () => {
    const onAppeal = sheet({ overall: "TOTAL", method: "APPEAL", tallies: null, castingVoteUsed: false, acquired: ["BC01", "BC02"], notAcquired: [] });
    onAppeal.sheet.votes = [];
    const t = text(onAppeal);
    expect(t).toContain("Décision d'ensemble : Délivrance totale, sur recours accueilli par le jury.");
    expect(t).toContain("Aucun vote : décision prise sur recours accueilli par le jury.");
    expect(t).not.toContain("par consensus");
  });

  it("prints an ajournement with its reason and nothing acquired", () => {
    const adjourned = sheet({ overall: "ADJOURNED", method: "CONSENSUS", tallies: null, castingVoteUsed: false, adjournmentReason: "Pièces manquantes", acquired: [], notAcquired: [] });
    adjourned.sheet.votes = [];
    const t = text(adjourned);
    expect(t).toContain("Décision d'ensemble : Ajournement, par consensus.");
    expect(t).toContain("Motif de l'ajournement : Pièces manquantes.");
    expect(t).not.toMatch(/acquis(es)? : /);
  });

  it("a total delivery lists nothing still to acquire", () => {
    const t = text(sheet({ overall: "TOTAL", notAcquired: [] }));
    expect(t).toContain("Blocs acquis : BC01.");
    expect(t).not.toContain("restant à acquérir");
  });
});
