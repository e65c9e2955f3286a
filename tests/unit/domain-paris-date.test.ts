import { describe, expect, it } from "vitest";
import { endOfParisDay, formatLongDay, formatParisLongDate, parisDayOf, parisYearOf } from "~/domain/paris-date";

describe("days as France counts them", () => {
  it("gives the Paris day and year of an instant, not the UTC ones", () => {
    expect(parisDayOf(new Date("2026-07-01T22:30:00Z"))).toBe("2026-07-02"); // 00:30 in Paris, summer
    expect(parisDayOf(new Date("2026-07-01T21:59:59Z"))).toBe("2026-07-01");
    expect(parisYearOf(new Date("2026-12-31T23:30:00Z"))).toBe(2027); // 00:30 on 1 January in Paris, winter
    expect(parisYearOf(new Date("2026-12-31T22:59:59Z"))).toBe(2026);
  });

  it("ends a calendar day at 23:59:59.999 in Paris, summer and winter, across the clock changes", () => {
    expect(endOfParisDay("2030-06-15").toISOString()).toBe("2030-06-15T21:59:59.999Z");
    expect(endOfParisDay("2030-12-15").toISOString()).toBe("2030-12-15T22:59:59.999Z");
    expect(endOfParisDay("2026-03-29").toISOString()).toBe("2026-03-29T21:59:59.999Z"); // summer time from that day
    expect(endOfParisDay("2026-10-25").toISOString()).toBe("2026-10-25T22:59:59.999Z"); // winter time from that day
    expect(endOfParisDay("2026-12-31").toISOString()).toBe("2026-12-31T22:59:59.999Z");
  });
});

describe("long French dates", () => {
  it("writes an instant as its day in Paris, a calendar day as itself", () => {
    expect(formatParisLongDate(new Date("2026-07-01T22:30:00Z"))).toBe("2 juillet 2026"); // 00:30 on 2 July in Paris
    expect(formatParisLongDate("2026-07-01T21:30:00.000Z")).toBe("1er juillet 2026");
    expect(formatParisLongDate(new Date("2026-12-31T23:30:00Z"))).toBe("1er janvier 2027");
    expect(formatLongDay(new Date("2031-03-10T00:00:00Z"))).toBe("10 mars 2031");
    expect(formatLongDay("1990-05-04")).toBe("4 mai 1990");
  });

  it("writes the first of a month « 1er », as French documents do, and no other day", () => {
    expect(formatLongDay("2031-03-01")).toBe("1er mars 2031");
    expect(formatParisLongDate(new Date("2026-06-30T22:30:00Z"))).toBe("1er juillet 2026"); // 00:30 on 1 July in Paris
    expect(formatLongDay("2031-03-11")).toBe("11 mars 2031");
    expect(formatLongDay("2031-03-21")).toBe("21 mars 2031");
    expect(formatLongDay("2031-03-31")).toBe("31 mars 2031");
  });
});
