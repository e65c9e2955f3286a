import { describe, expect, it } from "vitest";
import {
  buildCalendar,
  escapeText,
  foldLine,
  formatUtcDateTime,
  quoteParam,
  readEventProperties,
  remoteLocation,
  unescapeText,
  unfoldLines,
  type CalendarEvent,
} from "~/domain/ical";

const octets = (s: string) => new TextEncoder().encode(s).length;

const event: CalendarEvent = {
  uid: "quorum-session-abc123@quorum",
  dtstamp: new Date("2026-03-01T09:15:30.123Z"),
  start: new Date("2026-03-20T12:00:00Z"),
  end: new Date("2026-03-20T15:00:00Z"),
  summary: "Jury paritaire — CQP Assistant(e) de formation",
  location: null,
  remoteMeans: "Quorum (visioconférence)",
  description: "Convocation : vice-présidente, collège salariés.\nOrdre du jour : 2 dossiers; voir Quorum, merci.",
  organizer: { name: "Samia Secrétariat", email: "secretariat@quorum.test" },
  url: "http://localhost:3000/sessions/abc123",
};

describe("formatUtcDateTime", () => {
  it("writes UTC basic format with Z, no milliseconds", () => {
    expect(formatUtcDateTime(new Date("2026-03-01T09:15:30.123Z"))).toBe("20260301T091530Z");
  });
});

describe("escapeText / unescapeText", () => {
  it("escapes backslash, semicolon, comma and newlines", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });

  it("round-trips", () => {
    const text = "Salle 2, bâtiment B; entrée \\ côté parc\nÉtage 1";
    expect(unescapeText(escapeText(text))).toBe(text);
  });

  it("leaves a colon alone (allowed in TEXT)", () => {
    expect(escapeText("Ordre du jour : 2")).toBe("Ordre du jour : 2");
  });
});

describe("foldLine", () => {
  it("leaves a 75-octet line alone", () => {
    const line = "X".repeat(75);
    expect(foldLine(line)).toBe(line);
  });

  it("folds a 76-octet line into 75 + space + 1", () => {
    expect(foldLine("X".repeat(76))).toBe(`${"X".repeat(75)}\r\n X`);
  });

  it("never exceeds 75 octets per physical line and never splits a UTF-8 sequence", () => {
    const line = `DESCRIPTION:${"é".repeat(100)}${"😀".repeat(30)}${"a".repeat(10)}`;
    const folded = foldLine(line);
    for (const physical of folded.split("\r\n")) {
      expect(octets(physical)).toBeLessThanOrEqual(75);
      expect(physical).not.toContain("\uFFFD");
    }
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });

  it("continuation lines start with exactly one space", () => {
    const lines = foldLine("Y".repeat(200)).split("\r\n");
    expect(lines[0]).toHaveLength(75);
    expect(lines[1]).toMatch(/^ Y{74}$/);
    expect(lines[2]).toMatch(/^ Y{51}$/);
  });
});

describe("quoteParam", () => {
  it("quotes and removes double quotes and control characters", () => {
    expect(quoteParam('Samia "Sam" Secrétariat\n')).toBe('"Samia Sam Secrétariat"');
  });
});

describe("remoteLocation", () => {
  it("says À distance, with the means when given", () => {
    expect(remoteLocation(null)).toBe("À distance");
    expect(remoteLocation("  ")).toBe("À distance");
    expect(remoteLocation("Visioconférence")).toBe("À distance (Visioconférence)");
  });
});

describe("buildCalendar", () => {
  const ics = buildCalendar(event);

  it("uses CRLF line endings only, ends with CRLF", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("keeps every physical line within 75 octets", () => {
    for (const line of ics.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it("has VCALENDAR with VERSION and PRODID around one VEVENT", () => {
    const lines = unfoldLines(ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines.some((l) => l.startsWith("PRODID:"))).toBe(true);
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines.at(-2)).toBe("END:VEVENT");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
  });

  it("carries UID, DTSTAMP, DTSTART and DTEND in UTC", () => {
    const props = readEventProperties(ics);
    expect(props.UID).toBe("quorum-session-abc123@quorum");
    expect(props.DTSTAMP).toBe("20260301T091530Z");
    expect(props.DTSTART).toBe("20260320T120000Z");
    expect(props.DTEND).toBe("20260320T150000Z");
  });

  it("carries SUMMARY, DESCRIPTION (escaped, unescaped on reading) and ORGANIZER", () => {
    const props = readEventProperties(ics);
    expect(props.SUMMARY).toBe(event.summary);
    expect(props.DESCRIPTION).toBe(event.description);
    expect(unfoldLines(ics).join("\r\n")).toContain("Ordre du jour : 2 dossiers\\; voir Quorum\\, merci.");
    expect(props.ORGANIZER).toBe("mailto:secretariat@quorum.test");
    expect(unfoldLines(ics)).toContain('ORGANIZER;CN="Samia Secrétariat":mailto:secretariat@quorum.test');
    expect(props.URL).toBe("http://localhost:3000/sessions/abc123");
  });

  it("writes À distance with the means for a remote session", () => {
    expect(readEventProperties(ics).LOCATION).toBe("À distance (Quorum (visioconférence))");
  });

  it("writes the place for an on-site session", () => {
    const onSite = buildCalendar({ ...event, location: "CFA de Lyon, salle 4" });
    expect(readEventProperties(onSite).LOCATION).toBe("CFA de Lyon, salle 4");
    expect(onSite).toContain("LOCATION:CFA de Lyon\\, salle 4");
  });

  it("refuses an event ending before it starts", () => {
    expect(() => buildCalendar({ ...event, end: event.start })).toThrow(RangeError);
  });

  it("is deterministic", () => {
    expect(buildCalendar(event)).toBe(ics);
  });
});
