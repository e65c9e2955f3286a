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

describe("the Paris day, remembered per hour", () => {
  const reference = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

  it("gives every instant the day the time-zone database gives, around the clock changes and the year's end", () => {
    const spans = [
      ["2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z"], // summer time begins on 29 March (01:00 UTC)
      ["2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z"], // winter time begins on 25 October
      ["2026-12-31T12:00:00Z", "2027-01-01T12:00:00Z"],
      ["1976-12-31T12:00:00Z", "1977-01-01T12:00:00Z"],
    ];
    let checked = 0;
    for (const [from, to] of spans) {
      // Twice over the same instants: the second pass reads what the first remembered.
      for (let pass = 0; pass < 2; pass++) {
        for (let t = Date.parse(from); t <= Date.parse(to); t += 7 * 60_000 + 13_000) {
          const instant = new Date(t);
          expect(parisDayOf(instant), instant.toISOString()).toBe(reference.format(instant));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2_000);
    expect(endOfParisDay("2026-03-28").toISOString()).toBe("2026-03-28T22:59:59.999Z");
    expect(endOfParisDay("2026-03-28").toISOString()).toBe("2026-03-28T22:59:59.999Z");
    expect(() => endOfParisDay("2026-02-30x")).toThrow();
  });

  it("hands out a new Date each time: a caller changing it changes nothing for the next", () => {
    const end = endOfParisDay("2031-05-05");
    end.setFullYear(1999);
    expect(endOfParisDay("2031-05-05").toISOString()).toBe("2031-05-05T21:59:59.999Z");
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

  it("writes what Intl writes, hour by hour across clock changes and day by day over two centuries", () => {
    const formatters = new Map(
      ["Europe/Paris", "UTC"].map((timeZone) => [timeZone, new Intl.DateTimeFormat("fr-FR", { timeZone, day: "numeric", month: "long", year: "numeric" })]),
    );
    const intl = (timeZone: string, date: Date) =>
      formatters
        .get(timeZone)!
        .formatToParts(date)
        .map((p) => (p.type === "day" && p.value === "1" ? "1er" : p.value))
        .join("");
    // Every hour from October 2025 to April 2027: two autumn and two spring clock changes in Paris.
    for (let t = Date.UTC(2025, 9, 20); t <= Date.UTC(2027, 3, 10); t += 3_600_000) {
      expect(formatParisLongDate(new Date(t))).toBe(intl("Europe/Paris", new Date(t)));
    }
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 0, 1); t += 86_400_000 * 3 + 3_600_000) {
      expect(formatLongDay(new Date(t))).toBe(intl("UTC", new Date(t)));
      expect(formatParisLongDate(new Date(t))).toBe(intl("Europe/Paris", new Date(t)));
    }
    expect(formatLongDay(new Date(Date.UTC(999, 4, 1)))).toBe(intl("UTC", new Date(Date.UTC(999, 4, 1))));
    expect(() => formatParisLongDate("pas une date")).toThrow(RangeError);
    expect(() => formatLongDay("pas une date")).toThrow(RangeError);
  });
});
