import { describe, expect, it } from "vitest";
import { formatDateTime, formatWeekdayDate } from "~/domain/format";

describe("formatDateTime", () => {
  it("writes a date and time as French does, in Paris time", () => {
    expect(formatDateTime("2026-12-07T08:00:00Z")).toBe("lundi 7 décembre 2026 à 9\u00a0h\u00a000");
    expect(formatDateTime("2026-07-14T21:30:00Z")).toBe("mardi 14 juillet 2026 à 23\u00a0h\u00a030");
  });

  it("writes the first of a month « 1er » (the sessions' list said « dimanche 1 novembre 2026 »)", () => {
    expect(formatDateTime("2026-11-01T08:00:00Z")).toBe("dimanche 1er novembre 2026 à 9\u00a0h\u00a000");
    // The first in Paris, still the 31st in UTC.
    expect(formatDateTime("2026-09-30T22:30:00Z")).toBe("jeudi 1er octobre 2026 à 0\u00a0h\u00a030");
  });

  it("leaves the 11th and the 21st alone", () => {
    expect(formatDateTime("2026-11-11T08:00:00Z")).toBe("mercredi 11 novembre 2026 à 9\u00a0h\u00a000");
    expect(formatDateTime("2026-11-21T08:00:00Z")).toBe("samedi 21 novembre 2026 à 9\u00a0h\u00a000");
  });
});

describe("formatWeekdayDate", () => {
  it("writes a convocation's day with its weekday, the first of a month « 1er », in Paris time", () => {
    expect(formatWeekdayDate("2027-03-01T08:00:00Z")).toBe("lundi 1er mars 2027");
    expect(formatWeekdayDate("2026-12-28T13:00:00Z")).toBe("lundi 28 décembre 2026");
    expect(formatWeekdayDate("2026-09-30T22:30:00Z")).toBe("jeudi 1er octobre 2026");
  });
});
