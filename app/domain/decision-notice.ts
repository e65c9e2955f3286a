/**
 * The decision notice told to a candidate (letter PDF and e-mail share this text). Pure, no I/O.
 * What the jury decided, the documents issued with their verification links, the préconisations and — where the
 * scheme allows appeals — how and by when to appeal (the scheme's `jury.appealDeadlineDays` from the notification, the
 * last day as app/domain/appeal.ts counts it: the day the letter gives is the last day an appeal is accepted).
 */
import { appealDeadline, frenchDay } from "./appeal";
import { normalisePostalAddress } from "./postal-address";
import { formatParisLongDate } from "./paris-date";

export type NoticeFacts = {
  organisation: string;
  candidate: string;
  /** The candidate's sex as registered, for the salutation (« Madame, », « Monsieur, »); optional: « Madame, Monsieur, ». */
  sex?: string | null;
  certification: { code: string; title: string };
  overall: "TOTAL" | "PARTIAL" | "NONE" | "ADJOURNED";
  decidedAt: Date;
  validatedByCpne: boolean;
  acquired: { code: string; title: string }[];
  notAcquired: { code: string; title: string }[];
  /** Validity end of what a partial decision acquired (null: for life). */
  validUntil: Date | null;
  /** Blocs acquired by earlier decisions, still valid on this decision's day and not acquired again by it (optional: none). */
  earlierAcquired?: { code: string; title: string; decidedAt: Date }[];
  /**
   * The certification is delivered: a total decision, or a partial one whose blocs complete what earlier decisions
   * had acquired (app/domain/acquisitions.ts cumulation: the record issued is then a parchemin). Optional: a total
   * decision only.
   */
  delivered?: boolean;
  preconisations: string | null;
  adjournmentReason: string | null;
  records: { label: string; number: string; verificationUrl: string }[];
  appeal: { allowed: boolean; deadlineDays: number | null };
  notifiedAt: Date;
  /** Whose secretariat receives appeals: the organisation's name (« adressé au secrétariat de la certification, … »). */
  contact: string;
  /** When this decision is a later jury's on the candidate's appeal: the contested decision's date and the documents
   * issued for it, now revoked (optional: none). */
  onAppeal?: { contestedOn: Date; replacedRecords: string[] } | null;
};

/** The candidate's name as the notice letter prints it (its window block): given names, then usage or birth name. */
export function noticeCandidateName(candidate: { givenNames: string; usageName: string | null; birthName: string }): string {
  return `${candidate.givenNames} ${candidate.usageName ?? candidate.birthName}`;
}

/** The subject's start of every decision notice e-mail (« Décision du jury — CQP … »). */
export const NOTICE_SUBJECT_PREFIX = "Décision du jury — ";

export type Notice = { subject: string; sections: { heading: string | null; lines: string[] }[] };

/** « 1er mars 2027 », « 7 décembre 2026 » (Paris). */
const frDate = (date: Date) => formatParisLongDate(date);

const OUTCOME: Record<NoticeFacts["overall"], string> = {
  TOTAL: "a décidé de vous délivrer la certification",
  PARTIAL: "a validé une partie des blocs de compétences de la certification",
  NONE: "n'a pas délivré la certification",
  ADJOURNED: "a ajourné sa décision",
};

const SALUTATIONS: Record<string, string> = { F: "Madame,", M: "Monsieur," };

/** What this jury validated completes earlier acquisitions: the certification is delivered on cumulation. */
const COMPLETED = "a validé les blocs de compétences qui vous restaient à acquérir : avec ceux que vous aviez déjà acquis, il vous délivre la certification";

export function buildNotice(facts: NoticeFacts): Notice {
  const cert = `${facts.certification.title} (${facts.certification.code})`;
  const sections: Notice["sections"] = [];
  const delivered = facts.overall === "TOTAL" || (facts.delivered === true && facts.overall === "PARTIAL");
  const outcome = delivered && facts.overall !== "TOTAL" ? COMPLETED : OUTCOME[facts.overall];
  sections.push({
    heading: null,
    lines: [
      `${SALUTATIONS[facts.sex ?? ""] ?? "Madame, Monsieur,"}`,
      `Le jury paritaire réuni le ${frDate(facts.decidedAt)} ${outcome} « ${cert} »${facts.validatedByCpne ? ", décision validée par la CPNE" : ""}.`,
    ],
  });
  if (facts.onAppeal) {
    const replaced = facts.onAppeal.replacedRecords;
    sections.push({
      heading: "Suite à votre recours",
      lines: [
        `Cette décision a été prise sur votre recours contre la décision du jury du ${frDate(facts.onAppeal.contestedOn)}, qu'elle remplace.${
          replaced.length ? ` ${replaced.length > 1 ? "Les documents" : "Le document"} n° ${replaced.join(", ")} ${replaced.length > 1 ? "sont révoqués" : "est révoqué"}.` : ""
        }`,
      ],
    });
  }
  if (facts.overall === "ADJOURNED" && facts.adjournmentReason) {
    sections.push({ heading: "Motif de l'ajournement", lines: [facts.adjournmentReason] });
  }
  const earlier = delivered && facts.overall !== "TOTAL" ? (facts.earlierAcquired ?? []) : [];
  if (facts.acquired.length > 0 || earlier.length > 0) {
    sections.push({
      heading: "Blocs de compétences acquis",
      lines: [
        ...facts.acquired.map((b) => `${b.code} — ${b.title}${earlier.length > 0 ? " (validé par ce jury)" : ""}`),
        ...earlier.map((b) => `${b.code} — ${b.title} (acquis le ${frDate(b.decidedAt)})`),
        // A delivered certification does not expire: only a partial validation has a validity.
        ...(!delivered
          ? [facts.validUntil ? `Ces acquis sont valables jusqu'au ${frDate(facts.validUntil)}.` : "Ces acquis sont valables sans limite de durée."]
          : []),
      ],
    });
  }
  if (!delivered && facts.notAcquired.length > 0) {
    sections.push({ heading: "Blocs restant à acquérir", lines: facts.notAcquired.map((b) => `${b.code} — ${b.title}`) });
  }
  if (facts.preconisations?.trim()) sections.push({ heading: "Préconisations du jury", lines: [facts.preconisations.trim()] });
  if (facts.records.length > 0) {
    sections.push({
      heading: "Vos documents",
      lines: facts.records.map((r) => `${r.label} n° ${r.number} — vérifiable en ligne : ${r.verificationUrl}`),
    });
  }
  if (facts.appeal.allowed) {
    const lines = facts.appeal.deadlineDays
      ? [
          `Vous pouvez contester cette décision par un recours écrit et motivé adressé au secrétariat de la certification, ${facts.contact}, dans un délai de ${facts.appeal.deadlineDays} jours à compter de la présente notification, soit au plus tard le ${frenchDay(appealDeadline({ appealDeadlineDays: facts.appeal.deadlineDays }, facts.notifiedAt)!)}.`,
        ]
      : [`Vous pouvez contester cette décision par un recours écrit et motivé adressé au secrétariat de la certification, ${facts.contact}.`];
    lines.push("Le recours est examiné par un jury ultérieur ; sa décision vous sera notifiée.");
    sections.push({ heading: "Voies de recours", lines });
  }
  sections.push({ heading: null, lines: [`Fait le ${frDate(facts.notifiedAt)}.`, `Le secrétariat de la certification, ${facts.organisation}.`] });
  return { subject: `${NOTICE_SUBJECT_PREFIX}${cert}`, sections };
}

/** The notice as plain text (the e-mail's body). */
export function noticeText(notice: Notice): string {
  return notice.sections
    .map((s) => [...(s.heading ? [s.heading] : []), ...s.lines].join("\n"))
    .join("\n\n");
}

/**
 * Whether a sealed notice letter can be posted to the candidate's address as their file gives it now:
 * - `current`: the letter prints that address;
 * - `missing`: the letter was sealed without an address;
 * - `changed`: it prints another address (or the file no longer gives one);
 * - `unknown`: sealed before letters kept their address (a letter of an earlier version whose candidate's file
 *   changed since): the address printed is not known for sure.
 * `reissuable`: a new letter would print an address (the file gives one) different from the sealed letter's.
 */
export type LetterAddressState = "current" | "missing" | "changed" | "unknown";

export function letterAddressState(
  letter: { postalAddress: string | null; addressKnown: boolean },
  currentAddress: string | null,
): { state: LetterAddressState; reissuable: boolean } {
  const now = normalisePostalAddress(currentAddress);
  const sealed = normalisePostalAddress(letter.postalAddress);
  const state: LetterAddressState = !letter.addressKnown ? "unknown" : sealed === now ? "current" : sealed === null ? "missing" : "changed";
  return { state, reissuable: state !== "current" && now !== null };
}

/** Why a letter was re-issued, as the audit and the letter list say it. */
export const REISSUE_REASONS: Record<Exclude<LetterAddressState, "current">, string> = {
  missing: "adresse postale complétée",
  changed: "adresse postale modifiée",
  unknown: "adresse postale vérifiée",
};
