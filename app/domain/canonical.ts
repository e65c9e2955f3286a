/**
 * Canonical form of a collaborative document, the content that signatures bind to. Pure, no I/O.
 *
 * - The document is a JSON object: one entry per non-empty root type, keys in UTF-16 code unit order
 *   (the order of RFC 8785 JCS), no whitespace.
 * - Y.Map → object with sorted keys; Y.Array → array in document order; Y.Text → its string (formatting and
 *   embeds are not part of the content); XML types → their XML string.
 * - Plain values: JSON semantics (non-finite numbers and undefined → null, -0 → 0); bigint → decimal string;
 *   binary → `{ "$bytes": "<base64>" }`.
 * - The hash is the lowercase hex SHA-256 of the canonical JSON encoded in UTF-8.
 *
 * The same visible content always gives the same text, whatever the edit history (who typed what, in which
 * order, what was deleted), so the hash changes exactly when what a reader sees changes.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64, encodeHexLowerCase } from "@oslojs/encoding";
import * as Y from "yjs";

/** A typed Yjs root. */
type RootType = Y.Map<unknown> | Y.Array<unknown> | Y.Text | Y.XmlFragment;

export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

/** Serialises a JSON-like value canonically (sorted keys, no whitespace). */
export function canonicalJson(value: unknown): string {
  return write(normalize(value));
}

/**
 * The canonical content of a Y.Doc. Root types that were only decoded from an update (untyped placeholders) are
 * typed here from their content: text when it holds characters, array when it holds other items, map otherwise.
 * Empty roots are left out.
 */
export function canonicalDocument(doc: Y.Doc): { [key: string]: CanonicalValue } {
  const content: { [key: string]: CanonicalValue } = Object.create(null);
  for (const name of Array.from(doc.share.keys()).sort(compareKeys)) {
    const value = normalize(typedRoot(doc, name));
    if (isEmpty(value)) continue;
    content[name] = value;
  }
  return content;
}

/** Canonical JSON of the document that a Yjs update (e.g. a stored state) describes; null is the empty doc. */
export function canonicalDocumentJson(update: Uint8Array | null): string {
  const doc = new Y.Doc({ gc: true });
  try {
    if (update && update.byteLength > 0) Y.applyUpdate(doc, update);
    return canonicalJson(canonicalDocument(doc));
  } finally {
    doc.destroy();
  }
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/* ------------------------------------------------------------------------------------------------ helpers */

function typedRoot(doc: Y.Doc, name: string): RootType {
  const type = doc.share.get(name)!;
  if (type instanceof Y.Map || type instanceof Y.Array || type instanceof Y.Text || type instanceof Y.XmlFragment) {
    return type;
  }
  // Decoded from an update without a schema: `doc.get` turns the placeholder into the requested type.
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) {
      return doc.getText(name);
    }
    return doc.getArray(name);
  }
  return doc.getMap(name);
}

function normalize(value: unknown): CanonicalValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) return null;
      return Object.is(value, -0) ? 0 : value;
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return null; // functions and symbols have no JSON form
  }
  if (value instanceof Y.AbstractType) return fromType(value);
  if (value instanceof Uint8Array) return { $bytes: encodeBase64(value) };
  if (Array.isArray(value)) return value.map(normalize);
  const object: { [key: string]: CanonicalValue } = Object.create(null);
  for (const key of Object.keys(value).sort(compareKeys)) {
    object[key] = normalize((value as Record<string, unknown>)[key]);
  }
  return object;
}

/** `type` is a Yjs shared type (a Y.AbstractType instance). */
function fromType(type: object): CanonicalValue {
  if (type instanceof Y.Map) {
    // Own objects without a prototype: a key named "__proto__" stays a key.
    const object: { [key: string]: CanonicalValue } = Object.create(null);
    for (const [key, value] of type.entries()) object[key] = normalize(value);
    return object;
  }
  if (type instanceof Y.Array) return type.toArray().map(normalize);
  if (type instanceof Y.Text || type instanceof Y.XmlFragment || type instanceof Y.XmlElement) return type.toString();
  return normalize((type as { toJSON(): unknown }).toJSON());
}

function write(value: CanonicalValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  const keys = Object.keys(value).sort(compareKeys);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${write(value[key])}`).join(",")}}`;
}

/** UTF-16 code unit order, independent of locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isEmpty(value: CanonicalValue): boolean {
  if (value === "" || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}
