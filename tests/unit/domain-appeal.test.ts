import { describe, expect, it } from "vitest";
import { acquiredSince, appealDeadline, appealMinutesLine, changesDecision, checkAppeal, parisDay, reviseDecision, revisedOverall, upheldRevision } from "~/domain/appeal";

const rules = (appealDeadlineDays: number | null, appealsAllowed = true) => ({ appealsAllowed, appealDeadlineDays });
// 1 March 2027, 10:00 in Paris.
const notified = new Date("2027-03-01T09:00:00Z");

describe("appeal deadline", () => {
  it("counts calendar days from the day of notification, the last day included", () => {
    expect(appealDeadline(rules(60), notified)).toBe("2027-04-30");
    expect(checkAppeal({ rules: rules(60), notifiedAt: notified, receivedDay: "2027-04-30", today: "2027-05-02" })).toEqual({
      ok: true,
      deadline: "2027-04-30",
    });
  });

  it("refuses an appeal received the day after the deadline, in French, naming the dates", () => {
    const check = checkAppeal({ rules: rules(60), notifiedAt: notified, receivedDay: "2027-05-01", today: "2027-05-02" });
    expect(check).toEqual({
      ok: false,
      field: "receivedAt",
      message: "Recours hors délai : le délai de 60 jours courant à compter du 1er mars 2027 a expiré le 30 avril 2027.",
    });
  });

  it("uses the Paris calendar day of the notification (23:30 UTC on 28 February is 1 March in Paris)", () => {
    const lateEvening = new Date("2027-02-28T23:30:00Z");
    expect(parisDay(lateEvening)).toBe("2027-03-01");
    expect(appealDeadline(rules(1), lateEvening)).toBe("2027-03-02");
  });

  it("has no deadline when the scheme sets none", () => {
    expect(appealDeadline(rules(null), notified)).toBeNull();
    expect(checkAppeal({ rules: rules(null), notifiedAt: notified, receivedDay: "2030-01-01", today: "2030-01-01" })).toEqual({ ok: true, deadline: null });
  });

  it("refuses every appeal when the scheme allows none", () => {
    const check = checkAppeal({ rules: rules(60, false), notifiedAt: notified, receivedDay: "2027-03-02", today: "2027-03-02" });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/ne prévoit pas de recours/);
  });

  it("refuses a reception date in the future, before the decision, or not a date", () => {
    const at = (receivedDay: string) => checkAppeal({ rules: rules(60), notifiedAt: notified, receivedDay, today: "2027-03-10" });
    expect(at("2027-03-11")).toMatchObject({ ok: false, message: "La date de réception ne peut pas être dans le futur." });
    expect(at("2027-02-28")).toMatchObject({ ok: false, message: "Un recours ne peut précéder la décision contestée (1er mars 2027)." });
    expect(at("bientôt")).toMatchObject({ ok: false, field: "receivedAt" });
    // Not rolled over to 3 March: a day that does not exist is not a date.
    expect(at("2027-02-31")).toMatchObject({ ok: false, field: "receivedAt", message: "Indiquez la date de réception du recours (jj/mm/aaaa)." });
    expect(at("2027-03-01")).toMatchObject({ ok: true });
  });

  it("accepts an appeal received between the decision and its notification; the deadline still runs from the notification", () => {
    // Decided on 2 December, notified on 5 December (Paris days).
    const decidedAt = new Date("2026-12-02T15:00:00Z");
    const notifiedAt = new Date("2026-12-05T09:00:00Z");
    const at = (receivedDay: string) => checkAppeal({ rules: rules(30), decidedAt, notifiedAt, receivedDay, today: "2027-01-10" });
    expect(at("2026-12-03")).toEqual({ ok: true, deadline: "2027-01-04" });
    expect(at("2026-12-02")).toMatchObject({ ok: true });
    expect(at("2026-12-01")).toMatchObject({ ok: false, message: "Un recours ne peut précéder la décision contestée (2 décembre 2026)." });
    expect(at("2027-01-05")).toMatchObject({
      ok: false,
      message: "Recours hors délai : le délai de 30 jours courant à compter du 5 décembre 2026 a expiré le 4 janvier 2027.",
    });
  });
});

describe("an upheld appeal's revised decision", () => {
  const item = (targetId: string, acquired: boolean, blocKey = targetId) => ({ targetId, code: targetId.toUpperCase(), blocKey, acquired });

  it("derives the overall decision from the blocs acquired", () => {
    expect(revisedOverall([item("b1", true), item("b2", true)], true)).toBe("TOTAL");
    expect(revisedOverall([item("b1", true), item("b2", false)], true)).toBe("PARTIAL");
    expect(revisedOverall([item("b1", true), item("b2", false)], false)).toBe("NONE");
    expect(revisedOverall([item("b1", false), item("b2", false)], true)).toBe("NONE");
  });

  it("counts a bloc decided competence by competence only when all its competences are acquired", () => {
    expect(revisedOverall([item("c1", true, "b1"), item("c2", false, "b1"), item("c3", true, "b2")], true)).toBe("PARTIAL");
    expect(revisedOverall([item("c1", true, "b1"), item("c2", true, "b1")], true)).toBe("TOTAL");
  });

  it("tells whether the decision changes", () => {
    const before = { overall: "PARTIAL" as const, items: [item("b1", true), item("b2", false)] };
    expect(changesDecision(before, { overall: "TOTAL", items: [item("b1", true), item("b2", true)] })).toBe(true);
    expect(changesDecision(before, { overall: "PARTIAL", items: [item("b1", true), item("b2", false)] })).toBe(false);
  });

  it("is stated per bloc: an attestation's missing bloc acquired on appeal makes it total, the other way partial", () => {
    const partial = { overall: "PARTIAL" as const, items: [item("b1", true), item("b2", false)] };
    const upheld = reviseDecision(partial, new Set(["b1", "b2"]), true);
    expect(upheld.overall).toBe("TOTAL");
    expect(upheld.changes).toBe(true);
    expect(upheld.items.map((i) => [i.code, i.acquired, i.changed])).toEqual([
      ["B1", true, false],
      ["B2", true, true],
    ]);
    const total = { overall: "TOTAL" as const, items: [item("b1", true), item("b2", true)] };
    expect(reviseDecision(total, new Set(["b1"]), true)).toMatchObject({ overall: "PARTIAL", changes: true });
    expect(reviseDecision(total, new Set(["b1"]), false)).toMatchObject({ overall: "NONE", changes: true });
    // Nothing marked differently: the decision stands.
    expect(reviseDecision(partial, new Set(["b1"]), true)).toMatchObject({ overall: "PARTIAL", changes: false });
  });

  it("acquires every competence of a bloc marked acquired", () => {
    const byCompetence = { overall: "PARTIAL" as const, items: [item("c1", true, "b1"), item("c2", false, "b1"), item("c3", true, "b2")] };
    const revised = reviseDecision(byCompetence, new Set(["b1", "c3"]), true);
    expect(revised.items.map((i) => i.acquired)).toEqual([true, true, true]);
    expect(revised.overall).toBe("TOTAL");
  });

  it("upholds an appeal only to add to the contested decision: never worse, never unchanged, nothing outside it", () => {
    const rules = { partialAllowed: true };
    // BC01 acquis, BC02 non acquis (« Délivrance partielle »).
    const partial = { overall: "PARTIAL" as const, items: [item("b1", true), item("b2", false)] };
    const granted = upheldRevision(partial, new Set(["b1", "b2"]), rules);
    expect(granted).toMatchObject({ ok: true, overall: "TOTAL" });
    expect(granted.ok && granted.items.map((i) => [i.code, i.acquired, i.changed])).toEqual([
      ["B1", true, false],
      ["B2", true, true],
    ]);
    // An id that is no bloc or competence of the contested decision: refused, never ignored.
    expect(upheldRevision(partial, new Set(["bogus-id"]), rules)).toEqual({
      ok: false,
      field: "acquired",
      message: "Bloc ou compétence hors de la décision contestée : le jury n'accorde sur recours que ce que cette décision n'avait pas acquis.",
    });
    expect(upheldRevision(partial, new Set(["b1", "b2", "bogus-id"]), rules)).toMatchObject({ ok: false, field: "acquired" });
    // What the contested decision acquired stays acquired: an appeal cannot worsen the candidate's position.
    expect(upheldRevision(partial, new Set(["b2"]), rules)).toEqual({
      ok: false,
      field: "acquired",
      message: "Un recours ne peut pas aggraver la situation du candidat : B1, acquis par la décision contestée, reste acquis.",
    });
    expect(upheldRevision(partial, new Set(), rules)).toMatchObject({ ok: false, field: "acquired" });
    const two = { overall: "PARTIAL" as const, items: [item("b1", true), item("b2", true), item("b3", false)] };
    expect(upheldRevision(two, new Set(["b3"]), rules)).toMatchObject({
      ok: false,
      message: "Un recours ne peut pas aggraver la situation du candidat : B1, B2, acquis par la décision contestée, restent acquis.",
    });
    // Upheld, but changing nothing: the jury rejects the appeal instead.
    expect(upheldRevision(partial, new Set(["b1"]), rules)).toEqual({
      ok: false,
      field: "outcome",
      message: "Le recours accueilli ne change rien à la décision contestée : cochez ce que le jury accorde sur recours, ou choisissez « Recours rejeté ».",
    });
    // Everything already acquired (or no detail per bloc): nothing to grant.
    const total = { overall: "TOTAL" as const, items: [item("b1", true), item("b2", true)] };
    expect(upheldRevision(total, new Set(["b1", "b2"]), rules)).toEqual({
      ok: false,
      field: "outcome",
      message: "La décision contestée ne laisse rien à accorder sur recours : choisissez « Recours rejeté ».",
    });
    expect(upheldRevision({ overall: "NONE" as const, items: [] }, new Set(), rules)).toMatchObject({ ok: false, field: "outcome" });
    // A bloc decided competence by competence counts as the scheme's rule counted it: keeping everything never lowers
    // the overall decision (50 %: b1 was acquired with c1 alone).
    const byRatio = { overall: "PARTIAL" as const, items: [item("c1", true, "b1"), item("c2", false, "b1"), item("c3", false, "b2")] };
    const ratio = { partialAllowed: true, blocRule: { rule: "minRatio" as const, ratio: 50 } };
    expect(upheldRevision(byRatio, new Set(["c1"]), ratio)).toMatchObject({ ok: false, field: "outcome" });
    expect(upheldRevision(byRatio, new Set(["c1", "c3"]), ratio)).toMatchObject({ ok: true, overall: "TOTAL" });
    expect(upheldRevision(byRatio, new Set(["b2", "c1"]), ratio)).toMatchObject({ ok: true, overall: "TOTAL" });
  });

  it("keeps the contested date of what the appeal did not change; what it acquired dates from the appeal", () => {
    const contestedAt = new Date("2027-03-01T09:00:00Z");
    const appealAt = new Date("2027-06-10T14:00:00Z");
    const since = acquiredSince(
      { decidedAt: contestedAt, items: [item("b1", true), item("b2", false), item("b3", true)] },
      { decidedAt: appealAt, items: [item("b1", true), item("b2", true), item("b3", false)] },
    );
    expect(since).toEqual(
      new Map([
        ["b1", contestedAt],
        ["b2", appealAt],
      ]),
    );
  });
});

describe("the minutes' line", () => {
  const base = {
    candidate: "Léa Martin",
    contestedOn: new Date("2027-03-01T09:00:00Z"),
    contestedOverall: "PARTIAL" as const,
    receivedAt: new Date("2027-03-15T00:00:00Z"),
    grounds: "Le bloc 2 a été évalué sans l'avis de l'entreprise",
  };

  it("says an upheld appeal replaced the decision, with the blocs now acquired", () => {
    expect(
      appealMinutesLine({ ...base, status: "UPHELD", outcomeReason: "Avis de l'entreprise favorable produit", revised: { overall: "TOTAL", acquiredCodes: ["BC01", "BC02"] } }),
    ).toBe(
      "Recours de Léa Martin contre la décision du 1er mars 2027 (délivrance partielle), reçu le 15 mars 2027. Motifs : Le bloc 2 a été évalué sans l'avis de l'entreprise. Recours accueilli : Avis de l'entreprise favorable produit. Nouvelle décision : délivrance totale (acquis : BC01, BC02) ; le document délivré est remplacé.",
    );
  });

  it("names who declared no link with the appellant, and who declared a conflict", () => {
    expect(
      appealMinutesLine({
        ...base,
        status: "REJECTED",
        outcomeReason: "Motifs non fondés.",
        declarations: { noLink: ["Pierre Président", "Mehdi Membre"], conflicts: ["Marie Membre"] },
        revised: null,
      }),
    ).toBe(
      "Recours de Léa Martin contre la décision du 1er mars 2027 (délivrance partielle), reçu le 15 mars 2027. Motifs : Le bloc 2 a été évalué sans l'avis de l'entreprise. Absence de lien avec le candidat déclarée par : Pierre Président, Mehdi Membre. Conflit d'intérêts déclaré : Marie Membre, qui ne prend pas part à la décision sur ce recours. Recours rejeté : Motifs non fondés.",
    );
  });

  it("gives a rejection's reason", () => {
    expect(appealMinutesLine({ ...base, status: "REJECTED", outcomeReason: "Motifs non fondés.", revised: null })).toMatch(/Recours rejeté : Motifs non fondés\.$/);
  });
});
