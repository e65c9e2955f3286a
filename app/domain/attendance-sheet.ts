/**
 * The attendance sheet of a session's archive (presence.csv in its ZIP): the members with their role, college and
 * convocation, the jury's émargement (each arrival and departure), the candidates with where their grid stands. All
 * in French, dates as JJ/MM/AAAA and times in Paris time, as the CSV files promise (app/platform/csv.ts). Pure.
 */
import { COLLEGE_CELLS, type College } from "./college";
import { candidateName, type CandidateNameFields } from "./identity";

export const MEMBER_ROLE_CELLS: Record<string, string> = {
  PRESIDENT: "Président(e)",
  VICE_PRESIDENT: "Vice-président(e)",
  MEMBER: "Membre",
  OBSERVER: "Observateur",
  SECRETARY: "Secrétaire",
};

export type GridStatus = "OPEN" | "SIGNING" | "SIGNED";
/** A grid not yet signed, as the sheet says it (a signed one gives its date). */
export const GRID_STATUS_CELLS: Record<GridStatus, string> = {
  OPEN: "Grille non signée",
  SIGNING: "Grille en signature",
  SIGNED: "Grille signée",
};

const TZ = "Europe/Paris";
/** Built once (a formatter costs ~0.3 ms to create). */
const PARIS_DAY = new Intl.DateTimeFormat("fr-FR", { timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric" });
const PARIS_TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** An instant's day in Paris, JJ/MM/AAAA. */
export const parisDay = (at: Date) => PARIS_DAY.format(at);
/**
 * An instant's time in Paris, HH:MM: the session ZIP's CSV and manifest write days and times as numbers (JJ/MM/AAAA
 * HH:MM) for spreadsheets; documents and pages write « 9 h 04 » (./format.ts).
 */
export const parisTime = (at: Date) => PARIS_TIME.format(at);

export type AttendanceMember = {
  userId: string;
  displayName: string;
  role: string;
  college: College | null;
  convokedAt: Date | null;
};
export type AttendanceSheetInput = {
  members: AttendanceMember[];
  attendance: Array<{ userId: string; kind: "ARRIVED" | "LEFT"; at: Date }>;
  slots: Array<{ gridStatus: GridStatus; signedAt: Date | null; candidate: CandidateNameFields }>;
};
export type AttendanceRow = { kind: string; name: string; role: string; college: string; detail: string };

export function attendanceSheetRows(input: AttendanceSheetInput): AttendanceRow[] {
  const byUser = new Map(input.members.map((m) => [m.userId, m]));
  const role = (m: AttendanceMember | undefined) => (m ? (MEMBER_ROLE_CELLS[m.role] ?? m.role) : "");
  const college = (m: AttendanceMember | undefined) => (m?.college ? COLLEGE_CELLS[m.college] : "");
  return [
    ...input.members.map((m) => ({
      kind: "Membre",
      name: m.displayName,
      role: role(m),
      college: college(m),
      detail: m.convokedAt ? `Convoqué(e) le ${parisDay(m.convokedAt)}` : "Non convoqué(e)",
    })),
    // Émargement of a jury: each arrival and departure, with its time.
    ...input.attendance.map((a) => {
      const member = byUser.get(a.userId);
      return {
        kind: "Émargement",
        name: member?.displayName ?? "",
        role: role(member),
        college: college(member),
        detail: `${a.kind === "ARRIVED" ? "Arrivée" : "Départ"} le ${parisDay(a.at)} à ${parisTime(a.at)} (heure de Paris)`,
      };
    }),
    ...input.slots.map((s) => ({
      kind: "Candidat",
      name: candidateName(s.candidate),
      role: "",
      college: "",
      detail:
        s.gridStatus === "SIGNED" && s.signedAt
          ? `Grille signée le ${parisDay(s.signedAt)} à ${parisTime(s.signedAt)} (heure de Paris)`
          : GRID_STATUS_CELLS[s.gridStatus],
    })),
  ];
}

/**
 * The ZIP's MANIFESTE-SHA256.txt: a header naming the session with its day and time in Paris, as presence.csv
 * writes them (« séance du 12/03/2027 à 09:30 (heure de Paris) »), then one `sha256sum` line per file
 * (`<hex>  <path>`), which `sha256sum -c` reads; its « # » lines are comments to it.
 */
export function sessionArchiveManifest(session: { title: string; startsAt: Date }, lines: readonly string[]): string {
  const when = `séance du ${parisDay(session.startsAt)} à ${parisTime(session.startsAt)} (heure de Paris)`;
  return `# ${session.title} — ${when}\n# SHA-256 de chaque fichier (sha256sum -c MANIFESTE-SHA256.txt)\n${lines.join("\n")}\n`;
}
