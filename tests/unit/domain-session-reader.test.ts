import { describe, expect, it } from "vitest";
import { sessionReader } from "~/domain/access";

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
