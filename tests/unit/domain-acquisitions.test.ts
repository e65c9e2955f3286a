import { describe, expect, it } from "vitest";
import {
  acquisitionState,
  acquisitionValidityEnd,
  summariseAcquisitions,
  type DecisionFact,
} from "~/domain/acquisitions";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const B1 = { target: "BLOC" as const, targetId: "b1", code: "RNCP38544BC01" };
const B2 = { target: "BLOC" as const, targetId: "b2", code: "RNCP38544BC02" };
const REQUIRED = [B1, B2];
const FIVE = { partialValidityYears: 5 };

function decision(id: string, date: string, overall: DecisionFact["overall"], acquired: string[]): DecisionFact {
  return {
    decisionId: id,
    decidedAt: day(date),
    overall,
    items: REQUIRED.map((bloc) => ({ ...bloc, acquired: acquired.includes(bloc.targetId) })),
  };
}

describe("validity end", () => {
  it("runs 5 years from the decision for a partial validation", () => {
    expect(acquisitionValidityEnd(FIVE, day("2026-03-10"), "PARTIAL")).toEqual(day("2031-03-10"));
  });
  it("is for life when the scheme says so", () => {
    expect(acquisitionValidityEnd({ partialValidityYears: null }, day("2026-03-10"), "PARTIAL")).toBeNull();
  });
  it("is for life for a total delivery", () => {
    expect(acquisitionValidityEnd(FIVE, day("2026-03-10"), "TOTAL")).toBeNull();
  });
  it("runs from the évaluation préalable for CléA when known", () => {
    expect(acquisitionValidityEnd({ ...FIVE, windowStart: day("2025-01-15") }, day("2026-03-10"), "PARTIAL")).toEqual(
      day("2030-01-15"),
    );
  });
  it("falls back from 29 February to 28 February", () => {
    expect(acquisitionValidityEnd(FIVE, day("2028-02-29"), "PARTIAL")).toEqual(day("2033-02-28"));
  });
});

describe("state", () => {
  it("is valid through the last day in Paris, expired the day after, as /verifier counts it", () => {
    // 10 March 2031, winter time (UTC+1): the last day ends at 22:59:59.999Z.
    expect(acquisitionState(day("2031-03-10"), new Date("2031-03-10T22:59:59.999Z"))).toBe("expiring");
    expect(acquisitionState(day("2031-03-10"), new Date("2031-03-10T23:00:00Z"))).toBe("expired");
    // 15 June 2031, summer time (UTC+2): 21:59:59.999Z.
    expect(acquisitionState(day("2031-06-15"), new Date("2031-06-15T21:59:59.999Z"))).toBe("expiring");
    expect(acquisitionState(day("2031-06-15"), new Date("2031-06-15T22:00:00Z"))).toBe("expired");
    expect(acquisitionState(day("2031-03-10"), day("2031-03-11"))).toBe("expired");
  });
  it("warns within 90 days of the end, not before", () => {
    expect(acquisitionState(day("2031-03-10"), day("2030-12-11"))).toBe("expiring");
    expect(acquisitionState(day("2031-03-10"), day("2030-12-09"))).toBe("valid");
  });
  it("never expires for life", () => {
    expect(acquisitionState(null, day("2099-01-01"))).toBe("valid");
  });
});

describe("summary", () => {
  it("a partial decision acquires its blocs and leaves the others missing", () => {
    const summary = summariseAcquisitions([decision("d1", "2026-03-10", "PARTIAL", ["b1"])], REQUIRED, FIVE, day("2026-04-01"));
    expect(summary.status).toBe("PARTIAL");
    expect(summary.acquisitions.map((a) => [a.code, a.validUntil])).toEqual([["RNCP38544BC01", day("2031-03-10")]]);
    expect(summary.missing.map((m) => m.code)).toEqual(["RNCP38544BC02"]);
    expect(summary.completedBy).toBeNull();
  });

  it("a later jury validating the missing bloc turns the partial into a total (cumulation)", () => {
    const summary = summariseAcquisitions(
      [decision("d2", "2027-06-01", "PARTIAL", ["b2"]), decision("d1", "2026-03-10", "PARTIAL", ["b1"])],
      REQUIRED,
      FIVE,
      day("2027-06-02"),
    );
    expect(summary.status).toBe("TOTAL");
    expect(summary.missing).toEqual([]);
    expect(summary.completedBy).toBe("d2");
  });

  it("an expired partial validation no longer counts", () => {
    const summary = summariseAcquisitions(
      [decision("d1", "2020-03-10", "PARTIAL", ["b1"]), decision("d2", "2025-06-01", "PARTIAL", ["b2"])],
      REQUIRED,
      FIVE,
      day("2025-06-02"),
    );
    expect(summary.status).toBe("PARTIAL");
    expect(summary.missing.map((m) => m.code)).toEqual(["RNCP38544BC01"]);
    expect(summary.acquisitions.find((a) => a.targetId === "b1")?.state).toBe("expired");
  });

  it("warns the secretariat 90 days before a partial validation expires", () => {
    const summary = summariseAcquisitions([decision("d1", "2021-03-10", "PARTIAL", ["b1"])], REQUIRED, FIVE, day("2026-01-15"));
    expect(summary.expiringSoon.map((a) => a.code)).toEqual(["RNCP38544BC01"]);
    expect(summary.status).toBe("PARTIAL");
  });

  it("a bloc acquired twice keeps the acquisition that lasts longest", () => {
    const summary = summariseAcquisitions(
      [decision("d1", "2021-03-10", "PARTIAL", ["b1"]), decision("d2", "2024-03-10", "PARTIAL", ["b1"])],
      REQUIRED,
      FIVE,
      day("2026-06-01"),
    );
    expect(summary.acquisitions).toHaveLength(1);
    expect(summary.acquisitions[0].decisionId).toBe("d2");
    expect(summary.expiringSoon).toEqual([]);
  });

  it("a total decision is total for life", () => {
    const summary = summariseAcquisitions([decision("d1", "2010-03-10", "TOTAL", ["b1", "b2"])], REQUIRED, FIVE, day("2030-01-01"));
    expect(summary.status).toBe("TOTAL");
    expect(summary.completedBy).toBe("d1");
    expect(summary.acquisitions.every((a) => a.validUntil === null && a.state === "valid")).toBe(true);
  });

  it("an adjourned decision decides nothing, a none decision with nothing acquired leaves NONE", () => {
    const adjourned = { ...decision("d1", "2026-03-10", "ADJOURNED", ["b1"]) };
    expect(summariseAcquisitions([adjourned], REQUIRED, FIVE, day("2026-04-01")).status).toBe("NONE");
    expect(summariseAcquisitions([decision("d2", "2026-03-10", "NONE", [])], REQUIRED, FIVE, day("2026-04-01")).status).toBe(
      "NONE",
    );
  });

  it("ignores decisions after the date asked", () => {
    const summary = summariseAcquisitions([decision("d1", "2026-03-10", "PARTIAL", ["b1"])], REQUIRED, FIVE, day("2026-01-01"));
    expect(summary.status).toBe("NONE");
    expect(summary.acquisitions).toEqual([]);
  });
});
