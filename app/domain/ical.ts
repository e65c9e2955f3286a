/**
 * iCalendar (RFC 5545) for convocations: one VCALENDAR with one VEVENT, times in UTC, CRLF line endings,
 * lines folded at 75 octets (never inside a UTF-8 sequence), TEXT values escaped. Pure, no I/O.
 */

export type CalendarEvent = {
  /** Globally unique and stable for the event (re-sending updates the same calendar entry). */
  uid: string;
  /** When this calendar object was created. */
  dtstamp: Date;
  start: Date;
  end: Date;
  summary: string;
  /** The place; null or empty for a remote session (written "À distance", with the means if given). */
  location: string | null;
  remoteMeans?: string | null;
  description: string;
  organizer: { name: string; email: string };
  /** Incremented when a convocation is re-sent for a changed event. */
  sequence?: number;
  url?: string | null;
};

export const ICS_PRODID = "-//Quorum//Convocations//FR";
const CRLF = "\r\n";
const MAX_OCTETS = 75;

/** "20260312T083000Z". */
export function formatUtcDateTime(value: Date): string {
  return value.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A parameter value (e.g. CN): quoted, without the characters a quoted value may not hold. */
export function quoteParam(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\u0000-\u0008\u000A-\u001F\u007F]/g, "")}"`;
}

/**
 * Folds a content line so that no physical line exceeds 75 octets (CRLF excluded); continuation lines start
 * with one space, which counts in their 75 octets. Splits only between code points.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = "";
  let currentOctets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (currentOctets + size > limit) {
      out.push(current);
      current = " ";
      currentOctets = 1;
      limit = MAX_OCTETS;
    }
    current += char;
    currentOctets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

export function remoteLocation(means: string | null | undefined): string {
  return means && means.trim() ? `À distance (${means.trim()})` : "À distance";
}

/** The .ics text of one event (METHOD:PUBLISH: an entry to add to the calendar, no reply expected). */
export function buildCalendar(event: CalendarEvent): string {
  if (event.end.getTime() <= event.start.getTime()) throw new RangeError("event ends before it starts");
  const location = event.location && event.location.trim() ? event.location.trim() : remoteLocation(event.remoteMeans);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${ICS_PRODID}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${event.uid}`,
    `DTSTAMP:${formatUtcDateTime(event.dtstamp)}`,
    `DTSTART:${formatUtcDateTime(event.start)}`,
    `DTEND:${formatUtcDateTime(event.end)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `LOCATION:${escapeText(location)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `ORGANIZER;CN=${quoteParam(event.organizer.name)}:mailto:${event.organizer.email}`,
    ...(event.url ? [`URL:${event.url}`] : []),
    "STATUS:CONFIRMED",
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/* ------------------------------------------------------------------ reading (tests, outbox preview) */

/** Undoes line folding: a CRLF followed by one space or tab joins the next line. */
export function unfoldLines(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((line) => line.length > 0);
}

export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** Properties of the first VEVENT, by name (parameters dropped, TEXT values unescaped). */
export function readEventProperties(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  let inEvent = false;
  for (const line of unfoldLines(text)) {
    if (line === "BEGIN:VEVENT") inEvent = true;
    else if (line === "END:VEVENT") break;
    else if (inEvent) {
      const colon = indexOfValueColon(line);
      if (colon < 0) continue;
      const name = line.slice(0, colon).split(";")[0].toUpperCase();
      if (!(name in props)) props[name] = unescapeText(line.slice(colon + 1));
    }
  }
  return props;
}

/** The colon separating name and parameters from the value (colons inside quoted parameters don't count). */
function indexOfValueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ":" && !quoted) return i;
  }
  return -1;
}
