/** Pure French formatting shared by use cases, e-mails, PDFs and pages (Paris time). */
const dateTime = new Intl.DateTimeFormat("fr-FR", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
});
const time = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });

/** « lundi 7 décembre 2026 à 09:00 », « dimanche 1er novembre 2026 à 09:00 » (French writes the first of a month « 1er »). */
export const formatDateTime = (value: string | Date) =>
  dateTime
    .formatToParts(new Date(value))
    .map((part) => (part.type === "day" && part.value === "1" ? "1er" : part.value))
    .join("");
export const formatTime = (value: string | Date) => time.format(new Date(value));

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
