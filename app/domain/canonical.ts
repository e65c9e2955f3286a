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

/** A raw piece of output in `write`'s work stack (punctuation, a key). */
class Raw {
  constructor(readonly text: string) {}
}

type Slot = { value: unknown; set: (normalized: CanonicalValue) => void };

/**
 * Normalises a value, Yjs types included, with an explicit work stack rather than recursion: a structure nested
 * thousands of levels deep (a hostile grid) is hashed like any other instead of overflowing the call stack.
 */
function normalize(root: unknown): CanonicalValue {
  let result: CanonicalValue = null;
  const stack: Slot[] = [{ value: root, set: (normalized) => (result = normalized) }];
  while (stack.length > 0) {
    const { value, set } = stack.pop()!;
    if (value === null || value === undefined) {
      set(null);
      continue;
    }
    switch (typeof value) {
      case "boolean":
      case "string":
        set(value);
        continue;
      case "number":
        set(!Number.isFinite(value) ? null : Object.is(value, -0) ? 0 : value);
        continue;
      case "bigint":
        set(value.toString());
        continue;
      case "object":
        break;
      default:
        set(null); // functions and symbols have no JSON form
        continue;
    }
    if (value instanceof Y.Map) {
      // Own objects without a prototype: a key named "__proto__" stays a key.
      const object: { [key: string]: CanonicalValue } = Object.create(null);
      set(object);
      for (const [key, item] of value.entries()) stack.push({ value: item, set: (n) => (object[key] = n) });
      continue;
    }
    if (value instanceof Y.Array || Array.isArray(value)) {
      const items: unknown[] = value instanceof Y.Array ? value.toArray() : value;
      const array: CanonicalValue[] = new Array<CanonicalValue>(items.length).fill(null);
      set(array);
      items.forEach((item, i) => stack.push({ value: item, set: (n) => (array[i] = n) }));
      continue;
    }
    if (value instanceof Y.Text || value instanceof Y.XmlFragment || value instanceof Y.XmlElement) {
      set(value.toString());
      continue;
    }
    if (value instanceof Y.AbstractType) {
      stack.push({ value: (value as { toJSON(): unknown }).toJSON(), set });
      continue;
    }
    if (value instanceof Uint8Array) {
      set({ $bytes: encodeBase64(value) });
      continue;
    }
    const object: { [key: string]: CanonicalValue } = Object.create(null);
    set(object);
    for (const key of Object.keys(value)) {
      stack.push({ value: (value as Record<string, unknown>)[key], set: (n) => (object[key] = n) });
    }
  }
  return result;
}

/** Canonical JSON text (sorted keys, no whitespace), written with an explicit work stack like `normalize`. */
function write(root: CanonicalValue): string {
  const out: string[] = [];
  const stack: Array<CanonicalValue | Raw> = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item instanceof Raw) {
      out.push(item.text);
      continue;
    }
    if (item === null || typeof item !== "object") {
      out.push(JSON.stringify(item));
      continue;
    }
    if (Array.isArray(item)) {
      out.push("[");
      stack.push(new Raw("]"));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Raw(","));
      }
      continue;
    }
    const keys = Object.keys(item).sort(compareKeys);
    out.push("{");
    stack.push(new Raw("}"));
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push(item[keys[i]]);
      stack.push(new Raw(`${JSON.stringify(keys[i])}:`));
      if (i > 0) stack.push(new Raw(","));
    }
  }
  return out.join("");
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
