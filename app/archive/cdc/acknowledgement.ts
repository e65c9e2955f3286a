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

const ENTITY = /&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|quot|apos|amp));/gi;
const NAMED: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };

/** A character XML 1.0 allows in a document (tab, line feed, carriage return, then from U+0020 on, surrogates aside). */
function xmlCharacter(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function characterReference(code: number, reference: string): string {
  if (!xmlCharacter(code)) {
    throw new AcknowledgementFormatError(`Fichier illisible : la référence de caractère ${reference} ne désigne aucun caractère permis en XML.`);
  }
  return String.fromCodePoint(code);
}

/** An element's text: CDATA sections as they are, XML's character and five named references decoded, trimmed. */
function decode(raw: string): string {
  if (!raw.includes("&") && !raw.includes("<")) return raw.trim();
  let text = "";
  let at = 0;
  while (at < raw.length) {
    const cdata = raw.indexOf("<![CDATA[", at);
    const plain = cdata === -1 ? raw.slice(at) : raw.slice(at, cdata);
    text += plain.replace(ENTITY, (match, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      // At most 7 digits: anything longer is past U+10FFFF (and would not fit a number exactly).
      if (hex !== undefined) return characterReference(hex.length > 7 ? -1 : parseInt(hex, 16), match);
      if (dec !== undefined) return characterReference(dec.length > 8 ? -1 : Number(dec), match);
      return NAMED[name!.toLowerCase()] ?? match;
    });
    if (cdata === -1) break;
    const close = raw.indexOf("]]>", cdata + 9);
    text += raw.slice(cdata + 9, close === -1 ? raw.length : close);
    at = close === -1 ? raw.length : close + 3;
  }
  return text.trim();
}

const ALREADY_DECLARED = /existe d[ée]j[àa] en base/i;

const TEXT_ELEMENTS = new Set(["idTechnique", "messageErreur", "nomFichier", "idFlux", "idTraitement"]);

/** A tag's local name (its prefix dropped), from just after `<` or `</`. */
function localNameAt(content: string, from: number): string {
  let end = from;
  while (end < content.length) {
    const c = content.charCodeAt(end);
    // whitespace, `/`, `>`
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e) break;
    end++;
  }
  const name = content.slice(from, end);
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Where the text of the element opened just before `from` ends: the start of its closing tag (`</name>`, any prefix),
 * CDATA sections, comments and other tags inside skipped; -1 when it has none (a truncated file).
 */
function textEnd(content: string, from: number, name: string): number {
  let at = from;
  for (;;) {
    const lt = content.indexOf("<", at);
    if (lt === -1) return -1;
    if (content.startsWith("<![CDATA[", lt)) {
      const close = content.indexOf("]]>", lt + 9);
      if (close === -1) return -1;
      at = close + 3;
    } else if (content.startsWith("<!--", lt)) {
      const close = content.indexOf("-->", lt + 4);
      if (close === -1) return -1;
      at = close + 3;
    } else if (content.charCodeAt(lt + 1) === 0x2f && localNameAt(content, lt + 2) === name) {
      return lt;
    } else {
      at = lt + 1;
    }
  }
}

/**
 * One scan of the file from `<` to `<` (indexOf, no regular expression per element): the largest file (5 MB, some
 * 50,000 passages) is read in tens of milliseconds on the event loop, where a search per element inside each block
 * took 0.4–0.8 s.
 */
export function parseAcknowledgement(xml: string): Acknowledgement {
  const content = xml.replace(/^\uFEFF/, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(content)) throw new AcknowledgementFormatError("Le fichier contient une DTD : refusé.");
  // Characters XML forbids (NUL and the other controls but tab and line breaks): not a well-formed file.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(content)) {
    throw new AcknowledgementFormatError("Fichier illisible : il contient des caractères de contrôle interdits en XML.");
  }
  if (!/<(?:[\w.-]+:)?rapport[\s>]/.test(content)) {
    throw new AcknowledgementFormatError("Ce fichier n'est pas un accusé de traitement de la Caisse des Dépôts (élément rapport absent).");
  }
  const header: Record<string, string | null> = { nomFichier: null, idFlux: null, idTraitement: null };
  const rejected: PassageOutcome[] = [];
  const accepted: string[] = [];
  let block: "PassagesKO" | "PassagesOK" | null = null;
  let passage: { id: string | null; message: string | null } | null = null;
  // Per element name, where the last search for its closing tag ended (-1: none until the end of the file). The
  // scan only moves forward, so an opening tag before that closing tag ends there too: each closing tag is looked
  // for once, and a file of thousands of unclosed `<nomFichier>` costs one pass, not one per tag.
  const closingAt = new Map<string, { from: number; end: number }>();
  const closingOf = (name: string, from: number): number => {
    const known = closingAt.get(name);
    if (known && known.from <= from && (known.end === -1 || from <= known.end)) return known.end;
    const end = textEnd(content, from, name);
    closingAt.set(name, { from, end });
    return end;
  };
  let at = 0;
  for (;;) {
    const lt = content.indexOf("<", at);
    if (lt === -1) break;
    if (content.startsWith("<![CDATA[", lt) || content.startsWith("<!--", lt)) {
      const close = content.indexOf(content.charCodeAt(lt + 2) === 0x5b ? "]]>" : "-->", lt + 4);
      if (close === -1) break;
      at = close + 3;
      continue;
    }
    const gt = content.indexOf(">", lt);
    if (gt === -1) break;
    at = gt + 1;
    const closing = content.charCodeAt(lt + 1) === 0x2f;
    const name = localNameAt(content, closing ? lt + 2 : lt + 1);
    const empty = content.charCodeAt(gt - 1) === 0x2f;
    if (TEXT_ELEMENTS.has(name)) {
      // An element without text (`<idTechnique/>`) or without its closing tag (a truncated file) is skipped.
      if (closing || empty) continue;
      const end = closingOf(name, at);
      if (end === -1) continue;
      const value = decode(content.slice(at, end));
      at = content.indexOf(">", end) + 1;
      if (name in header && header[name] === null) header[name] = value;
      if (block === "PassagesOK" && name === "idTechnique") accepted.push(value);
      if (block === "PassagesKO" && passage) {
        if (name === "idTechnique" && passage.id === null) passage.id = value;
        if (name === "messageErreur" && passage.message === null) passage.message = value;
      }
    } else if (name === "passage") {
      if (closing && passage) {
        if (passage.id !== null) {
          const message = passage.message;
          rejected.push({ idTechnique: passage.id, status: message && ALREADY_DECLARED.test(message) ? "accepted" : "rejected", message });
        }
        passage = null;
      } else if (!closing && !empty && block === "PassagesKO") {
        passage = { id: null, message: null };
      }
    } else if (name === "PassagesKO" || name === "PassagesOK") {
      if (closing) {
        if (block === name) block = null;
        passage = null;
      } else if (!empty) {
        block = name;
      }
    }
  }
  // The rejected first, then the accepted (an idTechnique named in both counts as accepted), each once.
  const passages = new Map<string, PassageOutcome>();
  for (const outcome of rejected) passages.set(outcome.idTechnique, outcome);
  for (const idTechnique of accepted) passages.set(idTechnique, { idTechnique, status: "accepted", message: null });
  return { fileName: header.nomFichier, idFlux: header.idFlux, idTraitement: header.idTraitement, passages: [...passages.values()] };
}
