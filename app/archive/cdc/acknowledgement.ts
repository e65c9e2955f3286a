/**
 * The Caisse des Dépôts' processing acknowledgement (« accusé de traitement ») of a declaration file: a `rapport`
 * (namespace urn:cdc:cpf:pc5:rapport:schema) naming the file (nomFichier, idFlux, idTraitement), the rejected
 * passages (PassagesKO / passage: idTechnique + messageErreur) and the accepted ones (PassagesOK / idTechnique), as
 * read by Pix's import of the same file. Pure parser (no DTD, no entities beyond XML's five), tolerant of prefixes.
 * As in Pix, a passage rejected because it « existe déjà en base » was declared before: it counts as accepted.
 */

/** The largest acknowledgement file the declarations page reads (a rapport of some 50,000 passages). */
export const ACKNOWLEDGEMENT_MAX_BYTES = 5 * 1024 * 1024;
/** What the page says of a larger one, at its form. */
export const ACKNOWLEDGEMENT_TOO_LARGE = "Fichier trop volumineux : un accusé de traitement de 5 Mo au plus.";

export type PassageOutcome = { idTechnique: string; status: "accepted" | "rejected"; message: string | null };

export type Acknowledgement = {
  fileName: string | null;
  idFlux: string | null;
  idTraitement: string | null;
  passages: PassageOutcome[];
};

export class AcknowledgementFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AcknowledgementFormatError";
  }
}

function decode(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, data: string) => data)
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/** Text content of every element with this local name (any prefix) inside `xml`. */
function texts(xml: string, localName: string): string[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${localName}\\s*>`, "g");
  return [...xml.matchAll(pattern)].map((match) => match[1]);
}

const ALREADY_DECLARED = /existe d[ée]j[àa] en base/i;

export function parseAcknowledgement(xml: string): Acknowledgement {
  const content = xml.replace(/^\uFEFF/, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(content)) throw new AcknowledgementFormatError("Le fichier contient une DTD : refusé.");
  if (!/<(?:[\w.-]+:)?rapport[\s>]/.test(content)) {
    throw new AcknowledgementFormatError("Ce fichier n'est pas un accusé de traitement de la Caisse des Dépôts (élément rapport absent).");
  }
  const first = (name: string) => {
    const [value] = texts(content, name);
    return value === undefined ? null : decode(value);
  };
  const passages = new Map<string, PassageOutcome>();
  for (const block of texts(content, "PassagesKO")) {
    for (const passage of texts(block, "passage")) {
      const [id] = texts(passage, "idTechnique");
      if (id === undefined) continue;
      const idTechnique = decode(id);
      const [rawMessage] = texts(passage, "messageErreur");
      const message = rawMessage === undefined ? null : decode(rawMessage);
      const status = message && ALREADY_DECLARED.test(message) ? "accepted" : "rejected";
      passages.set(idTechnique, { idTechnique, status, message });
    }
  }
  for (const block of texts(content, "PassagesOK")) {
    for (const id of texts(block, "idTechnique")) {
      const idTechnique = decode(id);
      passages.set(idTechnique, { idTechnique, status: "accepted", message: null });
    }
  }
  return { fileName: first("nomFichier"), idFlux: first("idFlux"), idTraitement: first("idTraitement"), passages: [...passages.values()] };
}
