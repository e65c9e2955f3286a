/**
 * The jury's préconisations: who reads / writes the document (`preconisationsAccess`, the rule the resolver
 * applies). Its schema is tested with the minutes' in realtime-text-schema.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  ABSENT_READ_ONLY,
  UNDECLARED_READ_ONLY,
  parsePreconisationsDocumentName,
  preconisationsAccess,
  preconisationsReadOnlyReason,
  type PreconisationsFacts,
} from "~/domain/preconisations";
import { preconisationsDocumentName } from "~/domain/jury-decision";

describe("préconisations access", () => {
  const base: PreconisationsFacts = {
    role: "MEMBER",
    manages: false,
    sessionStatus: "OPEN",
    phase: "DELIBERATION",
    decided: false,
    sealed: false,
    conflict: false,
    present: true,
    declared: true,
  };
  const access = (over: Partial<PreconisationsFacts>) => preconisationsAccess({ ...base, ...over });

  it("names the document by session and agenda item, and parses only that shape", () => {
    const name = preconisationsDocumentName("sess1234abcd", "item5678efgh");
    expect(parsePreconisationsDocumentName(name)).toEqual({ sessionId: "sess1234abcd", agendaItemId: "item5678efgh" });
    expect(parsePreconisationsDocumentName("grid:sess1234abcd:item5678efgh")).toBeNull();
    expect(parsePreconisationsDocumentName("preconisations:sess1234abcd")).toBeNull();
    expect(parsePreconisationsDocumentName("preconisations:../x:item5678efgh")).toBeNull();
  });

  it("seated voting members write during deliberation and decision while the sitting is in progress", () => {
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"] as const) {
      expect(access({ role })).toBe("write");
      expect(access({ role, phase: "DECISION" })).toBe("write");
    }
  });

  it("observers and the secretary read; the organisation's secretariat reads; strangers get nothing", () => {
    expect(access({ role: "OBSERVER" })).toBe("read");
    expect(access({ role: "SECRETARY" })).toBe("read");
    expect(access({ role: null, manages: true })).toBe("read");
    expect(access({ role: null, manages: false })).toBe("none");
  });

  it("is read-only during the presentation, before the sitting opens, after it closes", () => {
    expect(access({ phase: "PRESENTATION" })).toBe("read");
    expect(access({ sessionStatus: "PLANNED" })).toBe("read");
    expect(access({ sessionStatus: "CLOSED" })).toBe("read");
  });

  it("is read-only once the decision is recorded or the text sealed, and for a member in conflict", () => {
    expect(access({ decided: true })).toBe("read");
    expect(access({ sealed: true })).toBe("read");
    expect(access({ conflict: true })).toBe("read");
    expect(preconisationsReadOnlyReason({ ...base, decided: true })).toMatch(/Décision rendue/);
    expect(preconisationsReadOnlyReason({ ...base, conflict: true })).toMatch(/conflit d'intérêts/);
  });

  it("is written again while the decision sheet is sent back for a change, until it is submitted again", () => {
    expect(access({ decided: true, reopened: true })).toBe("write");
    expect(access({ decided: true, reopened: true, sessionStatus: "CLOSED" })).toBe("write");
    expect(access({ decided: true, reopened: true, sealed: true })).toBe("read");
    expect(access({ decided: true, reopened: true, role: "OBSERVER" })).toBe("read");
    expect(access({ decided: true, reopened: true, recused: "Formateur du candidat" })).toBe("read");
    expect(access({ decided: true, reopened: true, conflict: true })).toBe("read");
    expect(access({ decided: true, reopened: false })).toBe("read");
  });

  it("is read-only for a member recused for the candidate (his trainer, his evaluator), with the reason", () => {
    expect(access({ recused: "Évaluateur du candidat" })).toBe("read");
    expect(access({ recused: null })).toBe("write");
    expect(preconisationsReadOnlyReason({ ...base, recused: "Formateur du candidat" })).toBe("Lecture seule : vous êtes récusé pour ce candidat (formateur du candidat).");
  });

  it("is read-only for a voting member absent from the sitting (never arrived, or departed), with the reason", () => {
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"] as const) {
      expect(access({ role, present: false })).toBe("read");
      expect(access({ role, present: false, phase: "DECISION" })).toBe("read");
    }
    expect(preconisationsReadOnlyReason({ ...base, present: false })).toBe(ABSENT_READ_ONLY);
    expect(ABSENT_READ_ONLY).toMatch(/pas présent à la séance/);
    // The sitting over, a sheet sent back for a change is corrected by the members who declared, present or not.
    expect(access({ decided: true, reopened: true, sessionStatus: "CLOSED", present: false })).toBe("write");
  });

  it("is read-only for a voting member before his declaration of no link with this candidate, with the reason", () => {
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"] as const) {
      expect(access({ role, declared: false })).toBe("read");
    }
    expect(preconisationsReadOnlyReason({ ...base, declared: false })).toBe(UNDECLARED_READ_ONLY);
    expect(UNDECLARED_READ_ONLY).toMatch(/déclarez d'abord l'absence de lien/);
    expect(access({ decided: true, reopened: true, declared: false })).toBe("read");
    // A declared conflict still says so (not « déclarez d'abord »).
    expect(preconisationsReadOnlyReason({ ...base, declared: true, conflict: true })).toMatch(/conflit d'intérêts/);
  });

  it("keeps who reads: the secretary, observers and the secretariat read whatever their attendance or declaration", () => {
    expect(access({ role: "SECRETARY", present: true, declared: true })).toBe("read");
    expect(access({ role: "OBSERVER", present: true, declared: true })).toBe("read");
    expect(access({ role: null, manages: true, present: false, declared: false })).toBe("read");
    expect(access({ role: null, manages: false, present: true, declared: true })).toBe("none");
  });
});
