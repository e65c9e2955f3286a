import { describe, expect, it } from "vitest";
import { ARCHIVE_KINDS } from "~/archive/documents/archive-kinds";
import { DELIBERATION_KINDS, DELIVERY_PDF_KINDS, mayReadArchivedKind, readableArchiveKinds, WITHHELD_FROM_MEMBER } from "~/domain/archive-scope";

const member = { manages: false };
const secretariat = { manages: true };

describe("which archived documents a reader may open", () => {
  it("gives a member who sat the deliberation's documents: signed grids, decision sheets, minutes", () => {
    for (const kind of ["grid", "decision", "minutes"]) expect(mayReadArchivedKind(member, kind), kind).toBe(true);
    expect(readableArchiveKinds(member)).toEqual(["grid", "decision", "minutes"]);
  });

  it("withholds from a member what is addressed to or issued for the candidate, the secretariat keeps everything", () => {
    for (const kind of ["notice", "parchemin", "attestation", "credential", "validation"]) {
      expect(mayReadArchivedKind(member, kind), kind).toBe(false);
      expect(mayReadArchivedKind(secretariat, kind), kind).toBe(true);
    }
    expect(readableArchiveKinds(secretariat)).toBeNull();
    for (const kind of ARCHIVE_KINDS) expect(mayReadArchivedKind(secretariat, kind), kind).toBe(true);
  });

  it("agrees with the delivery routes: every kind they serve only to managers is withheld from members in the archive", () => {
    for (const kind of DELIVERY_PDF_KINDS) expect(mayReadArchivedKind(member, kind), kind).toBe(false);
    expect(DELIVERY_PDF_KINDS.filter((k) => (DELIBERATION_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it("keeps a kind nobody listed (a future one) the secretariat's", () => {
    expect(mayReadArchivedKind(member, "duplicate")).toBe(false);
    expect(mayReadArchivedKind(member, "")).toBe(false);
    expect(mayReadArchivedKind(secretariat, "duplicate")).toBe(true);
  });

  it("tells the member why, in French", () => {
    expect(WITHHELD_FROM_MEMBER).toMatch(/réservé au secrétariat/);
  });
});
