import { describe, expect, it } from "vitest";
import { EVALUATOR_REASON, evaluatedAtOf, recusalDeadlock } from "~/domain/jury-vote";
import type { JuryMember } from "~/domain/quorum";

const seat = (userId: string, role: JuryMember["role"], college: JuryMember["college"]) => ({ userId, role, college, displayName: userId.toUpperCase() });
// The demo's bench: Pierre president (employers), Marie vice-president and Mehdi (employees), Jeanne (employers).
const bench = [seat("pierre", "PRESIDENT", "EMPLOYER"), seat("marie", "VICE_PRESIDENT", "EMPLOYEE"), seat("mehdi", "MEMBER", "EMPLOYEE"), seat("jeanne", "MEMBER", "EMPLOYER"), seat("samia", "SECRETARY", null)];
const commission = new Date("2026-12-09T08:00:00Z");

describe("recusalDeadlock", () => {
  it("is null while every college keeps a member and a chair is not recused", () => {
    expect(recusalDeadlock({ members: bench, recused: new Map(), minPerCollege: 1, planned: true })).toBeNull();
    expect(recusalDeadlock({ members: bench, recused: new Map([["pierre", EVALUATOR_REASON], ["mehdi", EVALUATOR_REASON]]), minPerCollege: 1, planned: true })).toBeNull();
  });

  it("names the college left without members and the recused chairs, with the commission's date, and what resolves it", () => {
    const recused = new Map([["pierre", EVALUATOR_REASON], ["marie", EVALUATOR_REASON], ["mehdi", "Conflit d'intérêts déclaré"]]);
    const evaluatedAt = evaluatedAtOf([{ at: commission, userIds: ["pierre", "marie"] }]);
    const deadlock = recusalDeadlock({ members: bench, recused, evaluatedAt, minPerCollege: 1, planned: true })!;
    expect(deadlock.colleges).toEqual(["EMPLOYEE"]);
    expect(deadlock.chairs).toBe(true);
    expect(deadlock.lines).toEqual([
      "Collège salariés : MARIE (a évalué ce candidat à la commission du 9 décembre 2026), MEHDI (conflit d'intérêts déclaré) sont récusés ; aucun membre de ce collège ne peut délibérer sur ce candidat.",
      "Présidence : le président PIERRE (a évalué ce candidat à la commission du 9 décembre 2026) et le vice-président MARIE sont récusés ; personne ne peut conduire sa délibération.",
    ]);
    expect(deadlock.remedy).toMatch(/^Pour en délibérer, le secrétariat doit, avant l'ouverture de la séance \(planification du jury\), faire siéger un membre habilité du collège salariés/);
  });

  it("counts a college short of the scheme's minimum, not only an empty one; once the sitting is open, says it can no longer change", () => {
    const deadlock = recusalDeadlock({ members: bench, recused: new Map([["mehdi", EVALUATOR_REASON]]), minPerCollege: 2, planned: false })!;
    expect(deadlock.lines).toEqual(["Collège salariés : MEHDI (évaluateur du candidat) est récusé ; 1 seul membre de ce collège peut délibérer sur ce candidat, 2 requis."]);
    expect(deadlock.remedy).toBe(
      "La séance étant ouverte, la composition du jury et son ordre du jour ne peuvent plus changer : ce candidat ne peut pas être délibéré dans cette séance. Le président de séance peut le reporter à un jury ultérieur (« Reporter à un jury ultérieur ») : son dossier retourne au secrétariat pour l'ordre du jour d'un autre jury, et la séance peut être levée.",
    );
  });

  it("leaves a panel short of members anyway to the planning's composition check", () => {
    const thin = [seat("pierre", "PRESIDENT", "EMPLOYER"), seat("marie", "VICE_PRESIDENT", "EMPLOYEE")];
    expect(recusalDeadlock({ members: thin, recused: new Map([["jeanne", EVALUATOR_REASON]]), minPerCollege: 2, planned: true })).toBeNull();
  });
});
