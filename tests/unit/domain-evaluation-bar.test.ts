/**
 * What bars a scoring member from evaluating a candidate (app/domain/access.ts, `evaluationBar`): the grid's write
 * access, the commission's « aucun conflit d'intérêts » and the live room's read-only reason all follow it, whatever
 * the order in which the member declared at the commission and before a jury.
 */
import { describe, expect, it } from "vitest";
import { documentAccessForSeat, evaluationBar, gridReadOnlyReason, gridSigningRefusal, noConflictDeclarationRefusal } from "~/domain/access";

const open = { sealed: false, declaredNoConflict: true };

describe("evaluationBar and the grid's write access", () => {
  it("lets a member who declared no conflict, and nothing else, write", () => {
    expect(evaluationBar({ trainsCandidate: false, declaredConflict: false })).toBeNull();
    expect(documentAccessForSeat("MEMBER", { ...open, trainsCandidate: false, declaredConflict: false })).toBe("write");
    expect(gridReadOnlyReason({ trainsCandidate: false, declaredConflict: false })).toBeNull();
    expect(noConflictDeclarationRefusal({ trainsCandidate: false, declaredConflict: false })).toBeNull();
    expect(gridSigningRefusal({ trainsCandidate: false, declaredConflict: false })).toBeNull();
  });

  it("makes a member who declared a conflict before a jury read-only, even after her « aucun conflit » at the commission", () => {
    const facts = { trainsCandidate: false, declaredConflict: true };
    expect(evaluationBar(facts)).toBe("conflict");
    expect(documentAccessForSeat("MEMBER", { ...open, ...facts })).toBe("read");
    expect(documentAccessForSeat("PRESIDENT", { ...open, ...facts })).toBe("read");
    expect(gridReadOnlyReason(facts)).toBe(
      "Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer.",
    );
    expect(noConflictDeclarationRefusal(facts)).toBe(
      "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne pouvez pas l'évaluer. Rien n'a été enregistré.",
    );
    // Nor sign his grid: signing attests the evaluation.
    expect(gridSigningRefusal(facts)).toBe(
      "Vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury : vous ne pouvez plus signer sa grille d'évaluation. L'organisme peut constater votre empêchement de signer.",
    );
  });

  it("makes the candidate's trainer read-only, saying he trains him", () => {
    const facts = { trainsCandidate: true, declaredConflict: true };
    expect(evaluationBar(facts)).toBe("trainer");
    expect(documentAccessForSeat("MEMBER", { ...open, ...facts })).toBe("read");
    expect(gridReadOnlyReason(facts)).toContain("vous êtes le formateur ou la formatrice de ce candidat");
    expect(gridSigningRefusal(facts)).toContain("vous ne pouvez pas signer sa grille d'évaluation");
  });

  it("keeps the other conditions: seat, declaration, seal", () => {
    const facts = { trainsCandidate: false, declaredConflict: false };
    expect(documentAccessForSeat(null, { ...open, ...facts })).toBe("none");
    expect(documentAccessForSeat("OBSERVER", { ...open, ...facts })).toBe("read");
    expect(documentAccessForSeat("MEMBER", { ...open, declaredNoConflict: false, ...facts })).toBe("read");
    expect(documentAccessForSeat("MEMBER", { ...open, sealed: true, ...facts })).toBe("read");
  });
});
