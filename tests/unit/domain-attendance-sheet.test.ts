import { describe, expect, it } from "vitest";
import { attendanceSheetRows, sessionArchiveManifest } from "~/domain/attendance-sheet";

describe("the attendance sheet of a session's archive (presence.csv)", () => {
  const members = [
    // Convoked at 00:30 in Paris on 26 September (22:30 UTC the day before, summer time).
    { userId: "u1", displayName: "Pierre Président", role: "PRESIDENT", college: "EMPLOYER" as const, convokedAt: new Date("2026-09-25T22:30:00Z") },
    { userId: "u2", displayName: "Marie Membre", role: "MEMBER", college: null, convokedAt: null },
  ];

  it("writes every row in French, dates JJ/MM/AAAA and times in Paris time, never a grid's raw state", () => {
    const rows = attendanceSheetRows({
      members,
      attendance: [
        { userId: "u1", kind: "ARRIVED", at: new Date("2026-11-05T08:01:00Z") },
        { userId: "u1", kind: "LEFT", at: new Date("2026-07-01T15:45:00Z") },
      ],
      slots: [
        { gridStatus: "SIGNING", signedAt: null, candidate: { birthName: "MOREAU", givenNames: "Camille Anne", sex: "F" } },
        { gridStatus: "OPEN", signedAt: null, candidate: { birthName: "ROUX", givenNames: "Antoine", sex: "M" } },
        { gridStatus: "SIGNED", signedAt: new Date("2026-11-05T17:10:00Z"), candidate: { birthName: "FAURE", givenNames: "Élodie Marie", sex: "F" } },
      ],
    });
    expect(rows).toEqual([
      { kind: "Membre", name: "Pierre Président", role: "Président(e)", college: "Employeurs", detail: "Convoqué(e) le 26/09/2026" },
      { kind: "Membre", name: "Marie Membre", role: "Membre", college: "", detail: "Non convoqué(e)" },
      { kind: "Émargement", name: "Pierre Président", role: "Président(e)", college: "Employeurs", detail: "Arrivée le 05/11/2026 à 09:01 (heure de Paris)" },
      { kind: "Émargement", name: "Pierre Président", role: "Président(e)", college: "Employeurs", detail: "Départ le 01/07/2026 à 17:45 (heure de Paris)" },
      { kind: "Candidat", name: "Camille Anne MOREAU", role: "", college: "", detail: "Grille en signature" },
      { kind: "Candidat", name: "Antoine ROUX", role: "", college: "", detail: "Grille non signée" },
      { kind: "Candidat", name: "Élodie Marie FAURE", role: "", college: "", detail: "Grille signée le 05/11/2026 à 18:10 (heure de Paris)" },
    ]);
    const text = rows.map((r) => r.detail).join("\n");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|UTC|SIGNING|OPEN|SIGNED/);
  });
});

describe("the manifest of a session's archive (MANIFESTE-SHA256.txt)", () => {
  it("dates the session in Paris time, as presence.csv does, and keeps the sha256sum lines", () => {
    // 23:30 UTC on 31 March 2027 is 01:30 on 1 April in Paris (summer time): the day the UTC date got wrong.
    const text = sessionArchiveManifest({ title: "Jury paritaire", startsAt: new Date("2027-03-31T23:30:00Z") }, [`${"a".repeat(64)}  presence.csv`]);
    expect(text.split("\n")).toEqual([
      "# Jury paritaire — séance du 01/04/2027 à 01:30 (heure de Paris)",
      "# SHA-256 de chaque fichier (sha256sum -c MANIFESTE-SHA256.txt)",
      `${"a".repeat(64)}  presence.csv`,
      "",
    ]);
    // Winter time: 08:00 UTC is 09:00 in Paris.
    expect(sessionArchiveManifest({ title: "Commission", startsAt: new Date("2027-01-12T08:00:00Z") }, [])).toMatch(
      /^# Commission — séance du 12\/01\/2027 à 09:00 \(heure de Paris\)\n/,
    );
  });
});
