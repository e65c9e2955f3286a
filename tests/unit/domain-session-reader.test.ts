import { describe, expect, it } from "vitest";
import { evidenceDownloadRefusal, sessionReader } from "~/domain/access";

describe("sessionReader: who reads a session", () => {
  const seat = { userId: "u1", role: "MEMBER" as const };

  it("opens it to a seat while its holder is a member of the session's organisation, whatever their role there", () => {
    expect(sessionReader(seat, "MEMBER")).toEqual({ seat, manages: false });
    expect(sessionReader(seat, "OBSERVER")).toEqual({ seat, manages: false });
    expect(sessionReader(seat, "SECRETARIAT")).toEqual({ seat, manages: true });
  });

  it("opens nothing to a seat kept on record by someone no longer a member", () => {
    expect(sessionReader(seat, null)).toBeNull();
  });

  it("opens it without a seat to the organisation's secretariat and administration only", () => {
    expect(sessionReader(null, "ADMIN")).toEqual({ seat: null, manages: true });
    expect(sessionReader(null, "SECRETARIAT")).toEqual({ seat: null, manages: true });
    expect(sessionReader(null, "MEMBER")).toBeNull();
    expect(sessionReader(null, "OBSERVER")).toBeNull();
    expect(sessionReader(null, null)).toBeNull();
  });
});

describe("evidenceDownloadRefusal: which of the candidate's pieces a seat downloads", () => {
  const closed = { observersMayDownloadIdentity: false };
  const open = { observersMayDownloadIdentity: true };

  it("withholds an identity document from an observer unless the scheme allows it, with why", () => {
    expect(evidenceDownloadRefusal("OBSERVER", "IDENTITY", closed)).toBe("Les observateurs ne peuvent pas télécharger les pièces d'identité du candidat.");
    expect(evidenceDownloadRefusal("OBSERVER", "IDENTITY", open)).toBeNull();
  });

  it("gives an observer every other piece, and every seat and the secretariat (no seat) every piece", () => {
    expect(evidenceDownloadRefusal("OBSERVER", "TRAINING_CERTIFICATE", closed)).toBeNull();
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER", "SECRETARY", null] as const) {
      expect(evidenceDownloadRefusal(role, "IDENTITY", closed), String(role)).toBeNull();
    }
  });
});
