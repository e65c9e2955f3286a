/**
 * A candidate's postal address, where the decision notice letter is posted in a window envelope. Pure rules, no I/O.
 * Typed as one multi-line text (street lines, postcode and town, the country when abroad) and stored so, one line
 * per line of the envelope. The French postal standard (NF Z 10-011) gives an address block at most six lines of at
 * most 38 characters, the recipient's name being the first: the address itself has at most five. Only what the
 * sealed PDFs' fonts can print (app/domain/safe-text.ts), since the letter prints it.
 */
import { z } from "zod";
import { freeText } from "./safe-text";

/** Lines of the address, the recipient's name aside (six in all on the envelope). */
export const POSTAL_ADDRESS_MAX_LINES = 5;
/** Characters per line on a French envelope. */
export const POSTAL_ADDRESS_MAX_LINE = 38;

/** The lines of a typed or stored address: trimmed, spaces collapsed, blank lines dropped. */
export function postalAddressLines(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[^\S\n]+/g, " ").trim())
    .filter((line) => line !== "");
}

/** The stored form of a typed address (one line per line), or null when nothing was typed. */
export function normalisePostalAddress(value: string | null | undefined): string | null {
  const lines = postalAddressLines(value);
  return lines.length ? lines.join("\n") : null;
}

/** The address on one line (a CSV cell, a list): its lines joined with « , ». */
export function postalAddressOneLine(value: string | null | undefined): string {
  return postalAddressLines(value).join(", ");
}

/** The form field: optional, multi-line, at most five lines of 38 characters, at least the street and the town. */
export function postalAddressField() {
  return freeText({ max: 250, tooLong: "Adresse postale : 250 caractères au plus.", multiline: true })
    .superRefine((value, ctx) => {
      const lines = postalAddressLines(value);
      const issue = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      if (lines.length > POSTAL_ADDRESS_MAX_LINES) {
        issue(`Adresse postale : ${POSTAL_ADDRESS_MAX_LINES} lignes au plus (l'enveloppe en a 6, nom compris).`);
        return;
      }
      const long = lines.findIndex((line) => line.length > POSTAL_ADDRESS_MAX_LINE);
      if (long >= 0) {
        issue(
          `Adresse postale : ${POSTAL_ADDRESS_MAX_LINE} caractères au plus par ligne, comme sur une enveloppe (la ligne ${long + 1} en a ${lines[long]!.length}).`,
        );
        return;
      }
      if (lines.length === 1) {
        issue("Adresse postale incomplète : la voie sur une ligne, puis le code postal et la commune sur la suivante.");
      }
    })
    .optional();
}

/**
 * The recipient block of a letter, as the window of the envelope shows it: « Madame Élodie Marie FAURE » (the civility
 * from the registered sex, none otherwise), then the address lines.
 */
export function recipientBlock(name: string, sex: string | null | undefined, address: string | null | undefined): string[] {
  const civility = sex === "F" ? "Madame " : sex === "M" ? "Monsieur " : "";
  return [`${civility}${name}`, ...postalAddressLines(address)];
}
