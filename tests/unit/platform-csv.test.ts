import { describe, expect, it } from "vitest";
import { cellText, csvCell, csvDownloadHeaders, frenchDate, frenchDateTime, textCell, toCsv } from "~/platform/csv";

type Holder = { name: string; birthDate: string; decidedAt: Date; score: number; partial: boolean; note: string | null };

describe("CSV for French spreadsheets", () => {
  it("writes a BOM, semicolons, CRLF and French dates", () => {
    const rows: Holder[] = [
      { name: "Élodie Martin", birthDate: "1990-03-07", decidedAt: new Date("2026-06-30T14:05:00Z"), score: 72.5, partial: false, note: null },
      { name: "Karl O'Neil", birthDate: "1985-11-23", decidedAt: new Date("2026-12-02T09:00:00Z"), score: 40, partial: true, note: "" },
    ];
    const csv = toCsv<Holder>(
      [
        { header: "Nom", value: (row) => row.name },
        { header: "Date de naissance", value: (row) => ({ date: row.birthDate }) },
        { header: "Décision", value: (row) => row.decidedAt },
        { header: "Score", value: (row) => row.score },
        { header: "Partielle", value: (row) => row.partial },
        { header: "Note", value: (row) => row.note },
      ],
      rows,
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toBe(
      "\uFEFFNom;Date de naissance;Décision;Score;Partielle;Note\r\n" +
        "Élodie Martin;07/03/1990;30/06/2026 16:05;72,5;non;\r\n" +
        "Karl O'Neil;23/11/1985;02/12/2026 10:00;40;oui;\r\n",
    );
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("quotes cells holding a separator, a quote or a line break", () => {
    expect(csvCell("Dupont; Jean")).toBe('"Dupont; Jean"');
    expect(csvCell('Le « bloc "A" »')).toBe('"Le « bloc ""A"" »"');
    expect(csvCell("ligne 1\nligne 2")).toBe('"ligne 1\nligne 2"');
    expect(csvCell("ligne 1\r\nligne 2")).toBe('"ligne 1\r\nligne 2"');
    expect(csvCell("simple")).toBe("simple");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    expect(cellText("=HYPERLINK(\"http://evil\")")).toBe("'=HYPERLINK(\"http://evil\")");
    expect(cellText("+33 6 12 34 56 78")).toBe("'+33 6 12 34 56 78");
    expect(cellText("-2+3")).toBe("'-2+3");
    expect(cellText("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(cellText("\t=1")).toBe("'\t=1");
    expect(csvCell("=1;2")).toBe('"\'=1;2"');
    // Numbers are numbers, not text: a negative value stays a value.
    expect(cellText(-3.5)).toBe("-3,5");
    expect(cellText("Marie-Anne")).toBe("Marie-Anne");
  });

  it("keeps codes and identifiers as written: a tab marks those a spreadsheet would turn into a number or a date", () => {
    // Leading zeros (a commune of Ain, a bloc, a postal code), phone numbers, long numbers, months, day/month pairs.
    for (const value of ["01053", "01", "01000", "06 12 34 56 78", "1234567890123456789", "2026-01", "01/2026", "01/02", "12:30", "1,5", "12E34", "3e-5"]) {
      expect(textCell(value), value).toBe(`\t${value}`);
    }
    // Text a spreadsheet keeps as it is: unchanged.
    for (const value of ["2A004", "RNCP38544", "RNCP38544BC01, RNCP38544BC02", "MQ 2017 10 69 0312", "QRM-slot_c123", "ORG-2026-000123", "2 place Carriat, 01000 Bourg-en-Bresse"]) {
      expect(textCell(value), value).toBe(value);
    }
    // A formula stays neutralised (the apostrophe, never the tab, which would let it run); nothing stays nothing.
    expect(textCell("+33 6 12 34 56 78")).toBe("'+33 6 12 34 56 78");
    expect(textCell("=1+1")).toBe("'=1+1");
    expect(textCell("\t=1")).toBe("'\t=1");
    expect([textCell(""), textCell(null), textCell(undefined)]).toEqual(["", "", ""]);
    // In a file: the cell needs no quoting, so any CSV reader gets the value with its tab in front.
    const csv = toCsv<{ code: string; born: string }>(
      [
        { header: "Code INSEE", value: (r) => ({ text: r.code }) },
        { header: "Née le", value: (r) => ({ date: r.born }) },
      ],
      [{ code: "01053", born: "1990-02-01" }],
    );
    expect(csv).toBe("\uFEFFCode INSEE;Née le\r\n\t01053;01/02/1990\r\n");
  });

  it("formats dates in French, date-only values without a time", () => {
    expect(frenchDate("2026-02-01")).toBe("01/02/2026");
    expect(frenchDate(new Date("2026-02-01T00:00:00Z"))).toBe("01/02/2026");
    expect(cellText(new Date("2026-02-01T00:00:00Z"))).toBe("01/02/2026");
    expect(frenchDateTime(new Date("2026-07-14T22:30:00Z"))).toBe("15/07/2026 00:30");
    expect(cellText({ dateTime: "2026-01-01T11:00:00Z" })).toBe("01/01/2026 12:00");
    expect(cellText(null)).toBe("");
    expect(cellText(Number.NaN)).toBe("");
  });

  it("offers the file as a UTF-8 attachment with a safe name", () => {
    expect(csvDownloadHeaders("titulaires déclarés 2026.csv")).toEqual({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition":
        "attachment; filename=\"titulaires_declares_2026.csv\"; filename*=UTF-8''titulaires%20d%C3%A9clar%C3%A9s%202026.csv",
      "Cache-Control": "no-store",
    });
  });
});
