/**
 * React 18.3's server renderer (react-dom-server.node.production.min.js) writes its output as bytes: every piece of
 * markup — a tag's name, an attribute, an escaped text — is encoded into a 2,048-byte buffer with one
 * `TextEncoder.encodeInto` call on a fresh `subarray` view, and its fixed pieces are encoded once as Uint8Arrays. A
 * 40 kB page is a few thousand such pieces: ~0.7 ms of a live room's render (measured, 2026-12-04). Here every piece
 * stays a string and is appended to the pending text, which goes to the destination as one string (its stream encodes
 * it in one native call) when 16 kB have gathered and at the end of each flush, as React's own buffer did. The bytes
 * sent are the same, in the same order; backpressure is reported as before (the destination's `write` result).
 *
 * Reached through app/platform/package-rewrites.server.ts; tests/unit/react-chunks.test.ts compares the rewritten
 * renderer's output with the original's, byte for byte, streamed Suspense boundaries included.
 */

/** React's writeChunk, writeToDestination, writeChunkAndReturn, completeWriting and stringToPrecomputedChunk (18.3.1). */
const CONFIG =
  'function r(a,b){if("string"===typeof b){if(0!==b.length)if(2048<3*b.length)0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,u.encode(b));else{var c=k;0<l&&(c=k.subarray(l));c=u.encodeInto(b,c);var d=c.read;l+=c.written;d<b.length&&(t(a,k),k=new Uint8Array(2048),l=u.encodeInto(b.slice(d),k).written);2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)}}else 0!==b.byteLength&&(2048<b.byteLength?(0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,b)):(c=k.length-l,c<b.byteLength&&(0===c?t(a,\nk):(k.set(b.subarray(0,c),l),l+=c,t(a,k),b=b.subarray(c)),k=new Uint8Array(2048),l=0),k.set(b,l),l+=b.byteLength,2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)))}function t(a,b){a=a.write(b);q=q&&a}function w(a,b){r(a,b);return q}function ca(a){k&&0<l&&a.write(k.subarray(0,l));k=null;l=0;q=!0}var u=new aa.TextEncoder;function x(a){return u.encode(a)}';

/** The same functions on strings: `k` is the pending text while React writes (null otherwise). */
const STRING_CONFIG =
  'function r(a,b){0!==b.length&&(k+=b,16384<=k.length&&(t(a,k),k=""))}function t(a,b){a=a.write(b);q=q&&a}function w(a,b){r(a,b);return q}function ca(a){k&&0<k.length&&a.write(k);k=null;l=0;q=!0}var u=new aa.TextEncoder;function x(a){return a}';

/** beginWriting, inlined twice in the renderer's flush. */
const BEGIN = "k=new Uint8Array(2048);l=0;q=!0;";
const STRING_BEGIN = 'k="";l=0;q=!0;';

/** The renderer writing strings, or null when its source is not the expected one (an upgrade): compiled unchanged. */
export function reactChunksAsStrings(source: string): string | null {
  if (source.split(CONFIG).length !== 2 || source.split(BEGIN).length !== 3) return null;
  // Nothing else may handle a chunk as bytes.
  if (source.split("byteLength").length !== 5 || source.split("u.encode").length !== 5) return null;
  return source.replace(CONFIG, STRING_CONFIG).split(BEGIN).join(STRING_BEGIN);
}
