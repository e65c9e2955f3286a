/** Pure French formatting shared by use cases, e-mails, PDFs and pages (Paris time). */
import { formatParisLongDate } from "./paris-date";

const weekday = new Intl.DateTimeFormat("fr-FR", { weekday: "long", timeZone: "Europe/Paris" });
const hourMinute = new Intl.DateTimeFormat("fr-FR", { hour: "numeric", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Paris" });

/**
 * `format` of an instant, remembered per instant: a page writes the same few dates again and again (a room's slots, a
 * list's sessions), and formatting with a time zone costs a few µs each (1.5 % of the live room's CPU, 2026-12-06).
 * Paris's rules are fixed for any instant formatted, so the text of an instant never changes. An invalid date is never
 * remembered (it throws as before).
 */
function byInstant(format: (instant: Date) => string): (value: string | Date) => string {
  const known = new Map<number, string>();
  return (value) => {
    const instant = new Date(value);
    const time = instant.getTime();
    let text = known.get(time);
    if (text === undefined) {
      text = format(instant);
      if (known.size >= 10_000) known.clear();
      known.set(time, text);
    }
    return text;
  };
}

/**
 * A time of day in Paris as French administrative writing puts it: « 9 h 04 », « 14 h 30 », « 0 h 05 » (no leading
 * zero on the hour, no seconds), with no-break spaces so that a line never ends on « 9 ». The one formatter of times
 * for pages, e-mails, minutes, records and certificate pages.
 */
export const frenchTime = byInstant((instant) => {
  const parts = hourMinute.formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? "0");
  const minute = parts.find((p) => p.type === "minute")?.value ?? "00";
  return `${hour}\u00a0h\u00a0${minute}`;
});

/** « 1er décembre 2026 à 9 h 04 » (Paris). */
export const formatDayTime = byInstant((instant) => `${formatParisLongDate(instant)} à ${frenchTime(instant)}`);
/** « lundi 1er décembre 2026 à 9 h 04 » (Paris). */
export const formatDateTime = byInstant((instant) => `${weekday.format(instant)} ${formatParisLongDate(instant)} à ${frenchTime(instant)}`);
/** « lundi 1er mars 2027 » (Paris): the day of a session in a convocation. */
export const formatWeekdayDate = byInstant((instant) => `${weekday.format(instant)} ${formatParisLongDate(instant)}`);
/** « 9 h 04 » (Paris): the same as frenchTime, under the name pages use. */
export const formatTime = frenchTime;

/** « 1 session », « 2 sessions », never « 2 session(s) » (French plural: 0 and 1 are singular). */
export const countOf = (n: number, singular: string, plural = `${singular}s`) => `${n} ${n > 1 ? plural : singular}`;

/**
 * « de » before a name, elided before a vowel as French writes it: « Dossier d'Élodie FAURE », « Dossier de Lucas
 * BONNET », « de Yasmine MARTIN ». Not before an h: whether it is aspirated depends on the name (« de Hugo » is as common as « d'Hugo »).
 */
export function ofName(name: string): string {
  const trimmed = name.trim();
  // A y before a vowel is a consonant (« de Yasmine »), a vowel otherwise (« d'Yves »).
  return /^([aeiouàâäéèêëîïôöùûüœæ]|y[^aeiouyàâäéèêëîïôöùûü])/i.test(trimmed) ? `d'${trimmed}` : `de ${trimmed}`;
}

/**
 * How every document and page names the candidate before his name (the signed grid, the fiche de décision, the
 * procès-verbal, the demo's documents): « Candidat(e) : Thomas NGUYEN ». One label, so that they read alike.
 */
export const CANDIDATE_LABEL = "Candidat(e)";
export const candidateLine = (name: string) => `${CANDIDATE_LABEL} : ${name}`;

export const SESSION_KIND_LABELS = { COMMISSION: "Commission d'évaluation", JURY: "Jury paritaire" } as const;
export { COLLEGE_LABELS } from "./college";

/**
 * Free text (a reason, a remark) ended as a sentence: a full stop added unless it already ends with one (or « ! »,
 * « ? », « … »), so « motif. » never becomes « motif.. ». `stop: false` removes a final full stop instead, for text
 * inside brackets: « (Compétences non démontrées) ».
 */
export function sentence(text: string, stop = true): string {
  const trimmed = text.trim();
  if (!stop) return trimmed.replace(/\s*\.+$/, "");
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
