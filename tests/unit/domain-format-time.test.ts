/** Times as French administrative writing puts them: « 9 h 04 », in Paris time, everywhere Quorum prints one. */
import { describe, expect, it } from "vitest";
import { formatDateTime, formatDayTime, frenchTime } from "~/domain/format";
import { frenchTime as minutesTime } from "~/domain/minutes";

const nb = (text: string) => text.replace(/ /g, "\u00a0");

describe("frenchTime", () => {
  it("writes « 9 h 04 »: no leading zero, no seconds, Paris time in winter and summer", () => {
    expect(frenchTime(new Date("2026-12-01T08:04:59Z"))).toBe(nb("9 h 04"));
    expect(frenchTime(new Date("2026-07-01T12:30:00Z"))).toBe(nb("14 h 30"));
    expect(frenchTime("2026-12-01T23:05:00Z")).toBe(nb("0 h 05"));
  });

  it("keeps the hour with its minutes: no-break spaces", () => {
    expect(frenchTime(new Date("2026-12-01T08:04:00Z"))).not.toContain(" ");
  });

  it("is the minutes' formatter too", () => {
    expect(minutesTime).toBe(frenchTime);
  });

  it("dates with the day: « 1er décembre 2026 à 9 h 04 », with the weekday on pages", () => {
    expect(formatDayTime("2026-12-01T08:04:00Z")).toBe(`1er décembre 2026 à ${nb("9 h 04")}`);
    expect(formatDateTime("2026-12-01T08:04:00Z")).toBe(`mardi 1er décembre 2026 à ${nb("9 h 04")}`);
  });
});
