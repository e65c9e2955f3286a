/**
 * Prisma 6.19's walks over a request and its result, made lighter (decision 0014, « The query's arguments and its
 * rows, walked lighter »). Four places of its runtime (`@prisma/client/runtime/client.js`), rewritten as Node compiles
 * it (package-rewrites.server.ts), with the same results:
 *
 * - **Scalars of a query's arguments.** The serializer turns a call's `where`, `data`… into the JSON protocol. For every
 *   key of an object and every element of an array it first made a new validation context (`nestArgument`: a copy of
 *   the context's fifteen parameters with a longer argument path, then a lookup of the model), which is only read when
 *   the value is invalid or is itself an object to walk. An `in` list of 200 ids made 200 contexts. A string, a number,
 *   a boolean or null is now written as is, which is what the serializer returned for them (`Ta`): the context is made
 *   only for the values that need it (dates, objects, arrays, `undefined` and `Prisma.skip`, which are refused with the
 *   same message as before).
 * - **Scalars of a selection.** Likewise every key of a `select` or `include` got a context of its own (`nestSelection`,
 *   which also looks the field up), read only to refuse an `undefined` or to walk a relation. A scalar field selected
 *   (`true`) or left out (`false`) is now written as is; relations, nested selections and `undefined` go the old way.
 * - **A model's field by name.** `findField` scanned the model's fields (`Array.prototype.find`, up to forty) for every
 *   selected field and every nested selection, twice per relation. It now reads a map made once per model.
 * - **The fields of a result's node.** The data mapper iterated `Object.entries` of a node's fields for every row and
 *   nested object: an array of pairs per row. The pairs are now made once per node (the plans' nodes are kept by the
 *   query-plan cache, so they are the same objects from one request to the next).
 *
 * `tests/unit/prisma-request-walk.test.ts` runs the rewritten runtime against the original on the same calls.
 */

const SCALAR_OF_OBJECT = "let r={};for(let n in e){let i=e[n],o=t.nestArgument(n);";
const SCALAR_OF_OBJECT_OWN =
  'let r={};for(let n in e){let i=e[n];if(i===null||typeof i=="string"||typeof i=="number"||typeof i=="boolean"){r[n]=i;continue}let o=t.nestArgument(n);';

const SCALAR_OF_ARRAY = "function fm(e,t){let r=[];for(let n=0;n<e.length;n++){let i=t.nestArgument(String(n)),o=e[n];";
const SCALAR_OF_ARRAY_OWN =
  'function fm(e,t){let r=[];for(let n=0;n<e.length;n++){let o=e[n];if(o===null||typeof o=="string"||typeof o=="number"||typeof o=="boolean"){r.push(o);continue}let i=t.nestArgument(String(n));';

const SELECTED_SCALAR = "let a=t.nestSelection(o);Qi(s,a);let l=t.findField(o);if(!(n?.[o]&&!l)){";
const SELECTED_SCALAR_OWN =
  'let l=t.findField(o);if(s===!0&&l!==void 0&&l.kind!=="object"){r[o]=!0;continue}if(s===!1){n?.[o]&&!l||(r[o]=!1);continue}let a=t.nestSelection(o);Qi(s,a);if(!(n?.[o]&&!l)){';

const FIND_FIELD = "findField(t){return this.modelOrType?.fields.find(r=>r.name===t)}";
const FIND_FIELD_OWN = "findField(t){let m=this.modelOrType;return m?__quorumFieldsByName(m).get(t):void 0}";

const NODE_ENTRIES = "let n={};for(let[i,o]of Object.entries(t))switch(o.type)";
const NODE_ENTRIES_OWN = "let n={};for(let[i,o]of __quorumEntriesOf(t))switch(o.type)";

/** Function declarations appended to the module: hoisted, so the rewritten lines reach them from anywhere in it. */
const HELPERS = `
;var __quorumFields=new WeakMap,__quorumEntries=new WeakMap;
function __quorumFieldsByName(m){let f=__quorumFields.get(m);if(f===void 0){f=new Map;for(let x of m.fields)f.has(x.name)||f.set(x.name,x);__quorumFields.set(m,f)}return f}
function __quorumEntriesOf(t){let p=__quorumEntries.get(t);if(p===void 0){p=Object.entries(t);__quorumEntries.set(t,p)}return p}
`;

const REPLACEMENTS: [string, string][] = [
  [SCALAR_OF_OBJECT, SCALAR_OF_OBJECT_OWN],
  [SCALAR_OF_ARRAY, SCALAR_OF_ARRAY_OWN],
  [SELECTED_SCALAR, SELECTED_SCALAR_OWN],
  [FIND_FIELD, FIND_FIELD_OWN],
  [NODE_ENTRIES, NODE_ENTRIES_OWN],
];

/** The runtime's source with the walks lighter, or null when one of the lines is not found exactly once. */
export function lighterRequestWalks(source: string): string | null {
  let rewritten = source;
  for (const [line, own] of REPLACEMENTS) {
    if (rewritten.split(line).length !== 2) return null;
    rewritten = rewritten.replace(line, () => own);
  }
  return rewritten + HELPERS;
}
