import { describe, expect, it } from "vitest";
import {
  candidateConflicts,
  checkComposition,
  DEFAULT_JURY_COMPOSITION,
  habilitationRefusal,
  habilitationStateForSession,
  habilitationStateOn,
  recusedPanelShortfall,
  seatConflicts,
  seatRequiresHabilitation,
  seatStructureRefusals,
  trainerBarredFromSeat,
  trainerConflictMessage,
  type Seat,
} from "~/domain/eligibility";

const day = (key: string) => new Date(`${key}T00:00:00.000Z`);
const period = (from: string, until: string) => ({ validFrom: day(from), validUntil: day(until) });

describe("habilitationStateOn", () => {
  const year = [period("2025-03-13", "2026-03-12")];

  it("is valid on the first and the last day (both ends inclusive)", () => {
    expect(habilitationStateOn(year, "2025-03-13")).toEqual({ kind: "valid", validUntil: "2026-03-12" });
    expect(habilitationStateOn(year, "2026-03-12")).toEqual({ kind: "valid", validUntil: "2026-03-12" });
  });

  it("is expired the day after the last day", () => {
    expect(habilitationStateOn(year, "2026-03-13")).toEqual({ kind: "expired", validUntil: "2026-03-12" });
  });

  it("is not yet valid the day before the first day", () => {
    expect(habilitationStateOn(year, "2025-03-12")).toEqual({ kind: "notYetValid", validFrom: "2025-03-13" });
  });

  it("is missing without any habilitation", () => {
    expect(habilitationStateOn([], "2026-01-01")).toEqual({ kind: "missing" });
  });

  it("takes a renewal into account (any period covering the day)", () => {
    const renewed = [...year, period("2026-03-13", "2027-03-12")];
    expect(habilitationStateOn(renewed, "2026-03-13")).toEqual({ kind: "valid", validUntil: "2027-03-12" });
    expect(habilitationStateOn(renewed, "2026-01-10")).toEqual({ kind: "valid", validUntil: "2026-03-12" });
  });

  it("keeps the latest end among overlapping valid periods", () => {
    const overlapping = [period("2026-01-01", "2026-06-30"), period("2026-02-01", "2026-12-31")];
    expect(habilitationStateOn(overlapping, "2026-03-01")).toEqual({ kind: "valid", validUntil: "2026-12-31" });
  });

  it("reports the latest expiry among several past periods", () => {
    const past = [period("2023-01-01", "2023-12-31"), period("2024-01-01", "2024-12-31")];
    expect(habilitationStateOn(past, "2026-01-01")).toEqual({ kind: "expired", validUntil: "2024-12-31" });
  });

  it("prefers « not yet valid » over « expired » when a renewal starts later", () => {
    const gap = [period("2024-01-01", "2024-12-31"), period("2026-06-01", "2027-05-31"), period("2026-09-01", "2027-08-31")];
    expect(habilitationStateOn(gap, "2026-01-01")).toEqual({ kind: "notYetValid", validFrom: "2026-06-01" });
  });

  it("ignores an inverted period", () => {
    expect(habilitationStateOn([period("2026-12-31", "2026-01-01")], "2026-06-01")).toEqual({ kind: "missing" });
  });
});

describe("habilitationStateForSession (Paris calendar day)", () => {
  const year = [period("2025-03-13", "2026-03-12")];

  it("a session at 23:30 Paris on the last day is still covered (22:30 UTC in winter)", () => {
    expect(habilitationStateForSession(year, new Date("2026-03-12T22:30:00Z")).kind).toBe("valid");
  });

  it("a session at 00:30 Paris the day after is refused although it is still the last day in UTC", () => {
    expect(habilitationStateForSession(year, new Date("2026-03-12T23:30:00Z"))).toEqual({
      kind: "expired",
      validUntil: "2026-03-12",
    });
  });

  it("uses summer time: 00:30 Paris on 1 July is 22:30 UTC the day before", () => {
    const summer = [period("2025-07-01", "2026-06-30")];
    expect(habilitationStateForSession(summer, new Date("2026-06-30T21:59:00Z")).kind).toBe("valid");
    expect(habilitationStateForSession(summer, new Date("2026-06-30T22:00:00Z")).kind).toBe("expired");
  });

  it("on the first day, an early Paris morning session is covered though UTC still shows the day before", () => {
    const starting = [period("2026-04-01", "2027-03-31")];
    expect(habilitationStateForSession(starting, new Date("2026-03-31T22:30:00Z")).kind).toBe("valid");
    expect(habilitationStateForSession(starting, new Date("2026-03-31T21:30:00Z")).kind).toBe("notYetValid");
  });
});

describe("habilitationRefusal", () => {
  it("names the person and the expiry date (dd/mm/yyyy)", () => {
    expect(habilitationRefusal("Marie Membre", "CQP", { kind: "expired", validUntil: "2026-03-12" })).toBe(
      "Habilitation de Marie Membre expirée le 12 mars 2026 : impossible de faire siéger ce membre.",
    );
  });

  it("names the certification when there is none", () => {
    expect(habilitationRefusal("Eric Expiré", "CQP Assistant(e) de formation", { kind: "missing" })).toBe(
      "Eric Expiré n'a pas d'habilitation pour « CQP Assistant(e) de formation » : impossible de faire siéger ce membre.",
    );
  });

  it("gives the start date of a future habilitation", () => {
    expect(habilitationRefusal("Eric", "CQP", { kind: "notYetValid", validFrom: "2026-04-01" })).toBe(
      "Habilitation de Eric valable seulement à partir du 1er avril 2026 : impossible de faire siéger ce membre.",
    );
  });

  it("is null when valid", () => {
    expect(habilitationRefusal("Eric", "CQP", { kind: "valid", validUntil: "2026-04-01" })).toBeNull();
  });
});

describe("seatRequiresHabilitation", () => {
  it.each([
    ["PRESIDENT", true],
    ["VICE_PRESIDENT", true],
    ["MEMBER", true],
    ["OBSERVER", false],
    ["SECRETARY", false],
  ] as const)("%s → %s", (role, expected) => {
    expect(seatRequiresHabilitation(role)).toBe(expected);
  });
});

describe("conflicts of interest (trainer ≠ evaluator)", () => {
  const pierre = { userId: "u-pierre", displayName: "Pierre Président" };
  const lea = { name: "Léa DURAND", trainerId: "u-pierre" };
  const thomas = { name: "Thomas NGUYEN", trainerId: null };

  it("a trainer is always barred from seats that evaluate or judge", () => {
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"] as const) {
      expect(trainerBarredFromSeat(role, false)).toBe(true);
    }
  });

  it("observer and secretary seats are barred only when the scheme says so (CléA)", () => {
    expect(trainerBarredFromSeat("OBSERVER", false)).toBe(false);
    expect(trainerBarredFromSeat("SECRETARY", false)).toBe(false);
    expect(trainerBarredFromSeat("OBSERVER", true)).toBe(true);
    expect(trainerBarredFromSeat("SECRETARY", true)).toBe(true);
  });

  it("refuses seating the trainer of a candidate of the session, naming both", () => {
    expect(seatConflicts(pierre, "MEMBER", [lea, thomas], false)).toEqual([
      "Conflit d'intérêts : Pierre Président a formé Léa DURAND et ne peut ni évaluer ni juger sa candidature.",
    ]);
  });

  it("lets the trainer observe when the scheme allows it, not under CléA", () => {
    expect(seatConflicts(pierre, "OBSERVER", [lea], false)).toEqual([]);
    expect(seatConflicts(pierre, "OBSERVER", [lea], true)).toHaveLength(1);
  });

  it("does not confuse a candidate without trainer with anyone", () => {
    expect(seatConflicts(pierre, "PRESIDENT", [thomas], true)).toEqual([]);
  });

  it("refuses a candidate whose trainer already sits", () => {
    const members = [
      { ...pierre, role: "PRESIDENT" as const },
      { userId: "u-marie", displayName: "Marie Membre", role: "MEMBER" as const },
    ];
    expect(candidateConflicts(lea, members, false)).toEqual([trainerConflictMessage("Pierre Président", "Léa DURAND")]);
    expect(candidateConflicts(thomas, members, true)).toEqual([]);
  });

  it("accepts a candidate whose trainer only observes, unless the scheme forbids it", () => {
    const members = [{ ...pierre, role: "OBSERVER" as const }];
    expect(candidateConflicts(lea, members, false)).toEqual([]);
    expect(candidateConflicts(lea, members, true)).toHaveLength(1);
  });
});

const seat = (userId: string, role: Seat["role"], college: Seat["college"] = null): Seat => ({
  userId,
  displayName: userId,
  role,
  college,
});

describe("seatStructureRefusals", () => {
  it("refuses a person seated twice", () => {
    expect(seatStructureRefusals("COMMISSION", seat("Marie", "MEMBER"), [seat("Marie", "OBSERVER")])).toEqual([
      "Marie siège déjà dans cette session.",
    ]);
  });

  it.each(["PRESIDENT", "VICE_PRESIDENT", "SECRETARY"] as const)("refuses a second %s", (role) => {
    const errors = seatStructureRefusals("COMMISSION", seat("Mehdi", role), [seat("Pierre", role)]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/est déjà occupé par Pierre\.$/);
  });

  it("allows several members and observers", () => {
    const existing = [seat("A", "MEMBER"), seat("B", "OBSERVER")];
    expect(seatStructureRefusals("COMMISSION", seat("C", "MEMBER"), existing)).toEqual([]);
    expect(seatStructureRefusals("COMMISSION", seat("D", "OBSERVER"), existing)).toEqual([]);
  });

  it("requires a college for the voting seats of a jury, not for its secretary nor in a commission", () => {
    expect(seatStructureRefusals("JURY", seat("A", "MEMBER"), [])).toEqual([
      "Indiquez le collège (employeurs ou salariés) de ce membre du jury.",
    ]);
    expect(seatStructureRefusals("JURY", seat("A", "MEMBER", "EMPLOYEE"), [])).toEqual([]);
    expect(seatStructureRefusals("JURY", seat("S", "SECRETARY"), [])).toEqual([]);
    expect(seatStructureRefusals("COMMISSION", seat("A", "MEMBER"), [])).toEqual([]);
  });
});

describe("checkComposition", () => {
  it("a jury without employee member is refused, with the college named", () => {
    const report = checkComposition("JURY", [seat("P", "PRESIDENT", "EMPLOYER"), seat("M", "MEMBER", "EMPLOYER")]);
    expect(report.errors).toEqual(["Le jury doit compter au moins un membre du collège salariés."]);
  });

  it("a paritary jury with a president is valid", () => {
    const report = checkComposition("JURY", [
      seat("P", "PRESIDENT", "EMPLOYER"),
      seat("V", "VICE_PRESIDENT", "EMPLOYEE"),
      seat("S", "SECRETARY"),
    ]);
    expect(report).toEqual({ errors: [], warnings: [] });
  });

  it("observers and the secretary do not count as members of a college", () => {
    const report = checkComposition("JURY", [
      seat("P", "PRESIDENT", "EMPLOYER"),
      seat("O", "OBSERVER", "EMPLOYEE"),
    ]);
    expect(report.errors).toContain("Le jury doit compter au moins un membre du collège salariés.");
    expect(report.errors).toContain("Le jury doit compter au moins 2 membres votants (actuellement 1).");
  });

  it("warns when president and vice-president come from the same college", () => {
    const report = checkComposition("JURY", [
      seat("P", "PRESIDENT", "EMPLOYER"),
      seat("V", "VICE_PRESIDENT", "EMPLOYER"),
      seat("M", "MEMBER", "EMPLOYEE"),
    ]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      "Le président et le vice-président sont tous deux du collège employeurs : ils devraient venir de collèges opposés.",
    ]);
  });

  it("refuses a jury without president", () => {
    const report = checkComposition("JURY", [seat("A", "MEMBER", "EMPLOYER"), seat("B", "MEMBER", "EMPLOYEE")]);
    expect(report.errors).toEqual(["Le jury n'a pas de président(e)."]);
  });

  it("applies the scheme's minimum per college and total (3 + 3)", () => {
    const rules = { minPerCollege: 3, minTotal: 6 };
    const seats = [
      seat("P", "PRESIDENT", "EMPLOYER"),
      seat("A", "MEMBER", "EMPLOYER"),
      seat("B", "MEMBER", "EMPLOYER"),
      seat("V", "VICE_PRESIDENT", "EMPLOYEE"),
      seat("C", "MEMBER", "EMPLOYEE"),
    ];
    expect(checkComposition("JURY", seats, rules).errors).toEqual([
      "Le jury doit compter au moins 3 membres du collège salariés (actuellement 2).",
      "Le jury doit compter au moins 6 membres votants (actuellement 5).",
    ]);
    expect(checkComposition("JURY", [...seats, seat("D", "MEMBER", "EMPLOYEE")], rules).errors).toEqual([]);
  });

  it("the default rules are one per college, two in all", () => {
    expect(DEFAULT_JURY_COMPOSITION).toEqual({ minPerCollege: 1, minTotal: 2 });
  });

  it("a commission needs an evaluator; a missing president is only a warning", () => {
    expect(checkComposition("COMMISSION", [seat("O", "OBSERVER")]).errors).toEqual([
      "La commission n'a aucun membre évaluateur.",
    ]);
    expect(checkComposition("COMMISSION", [seat("M", "MEMBER")])).toEqual({
      errors: [],
      warnings: ["La commission n'a pas de président(e)."],
    });
    expect(checkComposition("COMMISSION", [seat("P", "PRESIDENT"), seat("M", "MEMBER")])).toEqual({
      errors: [],
      warnings: [],
    });
  });
});

describe("recusedPanelShortfall", () => {
  const jury = [seat("P", "PRESIDENT", "EMPLOYER"), seat("E", "MEMBER", "EMPLOYER"), seat("S", "MEMBER", "EMPLOYEE"), seat("O", "OBSERVER")];
  const rules = { minPerCollege: 1, minTotal: 3 };

  it("a jury whose only employee member evaluated the candidate cannot make its quorum on him", () => {
    expect(recusedPanelShortfall(jury, new Map([["S", "Évaluateur du candidat"]]), rules)).toEqual([
      "collège salariés : 0 membre non récusé, 1 requis",
      "en tout : 2 membres non récusés, 3 requis",
    ]);
  });

  it("nothing is short when nobody, or only an observer, is recused", () => {
    expect(recusedPanelShortfall(jury, new Set(), rules)).toEqual([]);
    expect(recusedPanelShortfall(jury, new Set(["O"]), { minPerCollege: 1, minTotal: 2 })).toEqual([]);
  });
});
