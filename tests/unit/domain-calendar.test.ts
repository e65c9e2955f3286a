import { describe, expect, it } from "vitest";
import { calendarDay, isIsoDay, isIsoMonth, parseIsoDay } from "~/domain/calendar";

describe("calendar days and months typed by people", () => {
  it("reads a real day as its midnight UTC", () => {
    expect(parseIsoDay("2026-12-05")?.toISOString()).toBe("2026-12-05T00:00:00.000Z");
    expect(parseIsoDay("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseIsoDay("1900-01-01")?.toISOString()).toBe("1900-01-01T00:00:00.000Z");
    expect(parseIsoDay("2999-12-31")?.toISOString()).toBe("2999-12-31T00:00:00.000Z");
  });

  it("refuses a day that does not exist rather than rolling it over, and a year no one means", () => {
    for (const value of ["2026-02-31", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-12-00", "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"]) {
      expect(parseIsoDay(value), value).toBeNull();
      expect(isIsoDay(value), value).toBe(false);
    }
    for (const value of [null, undefined, "", "x", "05/12/2026", "2026-12-5", " 2026-12-05", "2026-12-05T10:00", "+02026-12-05"]) {
      expect(parseIsoDay(value), String(value)).toBeNull();
    }
  });

  it("reads any year's real day with calendarDay (a birth date before 1900 gets its own message)", () => {
    expect(calendarDay("1899-12-31")?.toISOString()).toBe("1899-12-31T00:00:00.000Z");
    // Date.UTC would read the year 0050 as 1950: not the same day.
    expect(calendarDay("0050-06-01")).toBeNull();
    expect(calendarDay("2023-02-29")).toBeNull();
  });

  it("reads a month « aaaa-mm »", () => {
    expect(isIsoMonth("2026-12")).toBe(true);
    expect(isIsoMonth("1900-01")).toBe(true);
    for (const value of ["2026-13", "2026-00", "0000-01", "9999-99", "2026-1", "2026-12-01", "", null]) expect(isIsoMonth(value), String(value)).toBe(false);
  });
});
