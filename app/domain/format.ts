/** Pure French formatting shared by use cases, e-mails, PDFs and pages (Paris time). */
import { formatParisLongDate } from "./paris-date";

const weekday = new Intl.DateTimeFormat("fr-FR", { weekday: "long", timeZone: "Europe/Paris" });
const hourMinute = new Intl.DateTimeFormat("fr-FR", { hour: "numeric", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Paris" });

/**
 * A time of day in Paris as French administrative writing puts it: « 9 h 04 », « 14 h 30 », « 0 h 05 » (no leading
 * zero on the hour, no seconds), with no-break spaces so that a line never ends on « 9 ». The one formatter of times
 * for pages, e-mails, minutes, records and certificate pages.
 */
export function frenchTime(value: string | Date): string {
  const parts = hourMinute.formatToParts(new Date(value));
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? "0");
  const minute = parts.find((p) => p.type === "minute")?.value ?? "00";
  return `${hour}\u00a0h\u00a0${minute}`;
}

/** « 1er décembre 2026 à 9 h 04 » (Paris). */
export const formatDayTime = (value: string | Date) => `${formatParisLongDate(value)} à ${frenchTime(value)}`;
/** « lundi 1er décembre 2026 à 9 h 04 » (Paris). */
export const formatDateTime = (value: string | Date) => `${weekday.format(new Date(value))} ${formatParisLongDate(value)} à ${frenchTime(value)}`;
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
