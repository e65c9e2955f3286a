/**
 * A minimal, valid ICC v2.1 display profile for sRGB (IEC 61966-2.1), generated in code because no sRGB .icc file
 * ships with the packages available here. It is the matrix/TRC form every colour-managed reader understands:
 * header, desc, cprt, wtpt, rXYZ/gXYZ/bXYZ (the sRGB primaries adapted to D50 with Bradford, as in the ICC's own
 * sRGB profiles) and rTRC/gTRC/bTRC (the sRGB tone curve sampled on 1024 points, one shared tag body).
 *
 * Pure: no I/O. Used as the DestOutputProfile of the PDF/A output intent.
 */

const D50 = [0.9642, 1.0, 0.8249] as const;
const RED = [0.4361, 0.2225, 0.0139] as const;
const GREEN = [0.3851, 0.7169, 0.0971] as const;
const BLUE = [0.1431, 0.0606, 0.7141] as const;

export const SRGB_DESCRIPTION = "sRGB IEC61966-2.1";

function s15Fixed16(value: number): number {
  return Math.round(value * 65536) | 0;
}

class Bytes {
  readonly chunks: number[] = [];
  u8(v: number) {
    this.chunks.push(v & 0xff);
  }
  u16(v: number) {
    this.u8(v >>> 8);
    this.u8(v);
  }
  u32(v: number) {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }
  ascii(text: string) {
    for (const ch of text) this.u8(ch.charCodeAt(0));
  }
  zeros(n: number) {
    for (let i = 0; i < n; i++) this.u8(0);
  }
  pad4() {
    while (this.chunks.length % 4 !== 0) this.u8(0);
  }
  get length() {
    return this.chunks.length;
  }
}

function xyzTag(xyz: readonly [number, number, number]): Bytes {
  const b = new Bytes();
  b.ascii("XYZ ");
  b.zeros(4);
  for (const v of xyz) b.u32(s15Fixed16(v));
  return b;
}

function descTag(text: string): Bytes {
  const b = new Bytes();
  b.ascii("desc");
  b.zeros(4);
  b.u32(text.length + 1); // ASCII count, with the terminating NUL
  b.ascii(text);
  b.u8(0);
  b.u32(0); // Unicode language code
  b.u32(0); // Unicode count
  b.u16(0); // ScriptCode code
  b.u8(0); // ScriptCode count
  b.zeros(67); // ScriptCode description
  return b;
}

function textTag(text: string): Bytes {
  const b = new Bytes();
  b.ascii("text");
  b.zeros(4);
  b.ascii(text);
  b.u8(0);
  return b;
}

function srgbCurveTag(points = 1024): Bytes {
  const b = new Bytes();
  b.ascii("curv");
  b.zeros(4);
  b.u32(points);
  for (let i = 0; i < points; i++) {
    const v = i / (points - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    b.u16(Math.round(linear * 65535));
  }
  return b;
}

/** Builds the profile bytes (about 2.6 kB). Deterministic: the same bytes every time. */
export function buildSrgbIccProfile(): Uint8Array {
  const curve = srgbCurveTag();
  const tags: Array<[string, Bytes]> = [
    ["desc", descTag(SRGB_DESCRIPTION)],
    ["cprt", textTag("No copyright, use freely")],
    ["wtpt", xyzTag(D50)],
    ["rXYZ", xyzTag(RED)],
    ["gXYZ", xyzTag(GREEN)],
    ["bXYZ", xyzTag(BLUE)],
    ["rTRC", curve],
    ["gTRC", curve],
    ["bTRC", curve],
  ];

  // Lay out the tag bodies after the header (128) and the tag table (4 + 12 per tag); shared bodies once.
  const offsets = new Map<Bytes, number>();
  let cursor = 128 + 4 + 12 * tags.length;
  const bodies: Bytes[] = [];
  for (const [, body] of tags) {
    if (offsets.has(body)) continue;
    cursor = (cursor + 3) & ~3;
    offsets.set(body, cursor);
    bodies.push(body);
    cursor += body.length;
  }
  const size = (cursor + 3) & ~3;

  const out = new Bytes();
  // Header
  out.u32(size);
  out.zeros(4); // preferred CMM: none
  out.u32(0x02100000); // version 2.1.0
  out.ascii("mntr");
  out.ascii("RGB ");
  out.ascii("XYZ ");
  for (const v of [2026, 1, 1, 0, 0, 0]) out.u16(v); // creation date (fixed, so the profile is deterministic)
  out.ascii("acsp");
  out.zeros(4); // primary platform: none
  out.u32(0); // flags
  out.zeros(4); // device manufacturer
  out.zeros(4); // device model
  out.zeros(8); // device attributes
  out.u32(0); // rendering intent: perceptual
  for (const v of D50) out.u32(s15Fixed16(v)); // PCS illuminant
  out.zeros(4); // creator
  out.zeros(16); // profile ID (v4 only; zero in v2)
  out.zeros(28); // reserved
  // Tag table
  out.u32(tags.length);
  for (const [signature, body] of tags) {
    out.ascii(signature);
    out.u32(offsets.get(body)!);
    out.u32(body.length);
  }
  for (const body of bodies) {
    out.pad4();
    if (out.length !== offsets.get(body)) throw new Error("ICC layout error");
    out.chunks.push(...body.chunks);
  }
  out.pad4();
  if (out.length !== size) throw new Error("ICC size error");
  return Uint8Array.from(out.chunks);
}
