/**
 * Bytes columns (a sealed PDF, an evidence file, a Yjs snapshot) as Buffers from the driver, not as arrays of numbers.
 *
 * Both driver adapters (@prisma/adapter-pg 6.19 and pglite-prisma-adapter 0.6.1) parse a `bytea` value into
 * `Array.from(bytes)`: one JavaScript number per byte, which Prisma's data mapper then turns back into bytes
 * (`Buffer.from(array)`). For the 30 grids of a session's ZIP (1.8 MB) that was ~150 ms of the event loop, half of the
 * download's main-thread CPU; a 10 MB evidence file would take ~80 MB of heap on the way. Prisma's data mapper takes a
 * Uint8Array where it takes an array of numbers (`encoding: "array"`), so the adapters' `bytea` parser is replaced by
 * one that keeps the bytes: hex text → Buffer, natively.
 */
export const BYTEA_OID = 17;

/** PostgreSQL's text form of a bytea (`\x` then hex) as a Buffer. */
export function byteaAsBuffer(text: string): Buffer {
  return Buffer.from(text.slice(2), "hex");
}

type Parsers = Record<number, (value: string, typeId: number) => unknown>;
const patched = new WeakMap<Parsers, Parsers>();

/** The same parsers with bytea kept as bytes (built once per parsers object: the adapter passes the same one each time). */
export function withBytesAsBuffers<P extends Parsers | undefined>(parsers: P): P {
  if (!parsers || !(BYTEA_OID in parsers)) return parsers;
  let own = patched.get(parsers);
  if (!own) {
    own = { ...parsers, [BYTEA_OID]: byteaAsBuffer };
    patched.set(parsers, own);
  }
  return own as P;
}
