/**
 * Document schemas enforced by the server. An update is checked before the server's doc integrates it: a refused
 * update is never applied, stored or broadcast, and its sender gets a permission-denied message with the reason.
 *
 * The check looks only at what the update touches (`changed`: the types and map keys written or deleted, with the
 * value each key will hold) plus the decoded structs of the update (what content it carries), never at the whole
 * document. What it touches is found one of two ways:
 *
 * - the trial: the update is applied to a shadow copy of the doc (kept in step with it) and the transaction's
 *   `changed` is read. Exact for any update; costs a second apply of every update. A refusal drops the shadow.
 * - the prediction, for the common edit (map keys set or deleted at the top level, every reference already in
 *   the doc): what Yjs's integration will do is read off the server's doc without applying anything — which
 *   root and key each struct lands in (from its origin item, as `Item.getMissing` does), and that it becomes the
 *   key's value (its origin is the key's current entry). Anything else (a text, a struct referring to another of
 *   the same update, pending or missing structs, a deletion inside a text…) is left to the trial. The prediction
 *   only ever ACCEPTS: when the schema refuses what it predicted, the trial decides (and gives the reason).
 *
 * The shadow is built from the doc when the trial is needed and kept in step while trials keep coming (a member
 * typing the synthesis); after SHADOW_IDLE_UPDATES predicted updates in a row it is dropped.
 */
import * as Y from "yjs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types by their event type
export type AnyType = Y.AbstractType<any>;

/**
 * What a schema checks a document's keys and values against, resolved with the access (the grid's competences and
 * its scale: app/domain/grid-vocabulary.ts); a lookup per key, so that the check stays cheap.
 */
export type Vocabulary = {
  /** Whether `key` names something the document may hold (a grid: a competence of its référentiel). */
  has(key: string): boolean;
  /** Whether `value` may be held under `key` (a grid: a value of the scale for that competence). */
  fits(key: string, value: string): boolean;
};

/**
 * Who writes: the connection's user, the rights its access grant gave it (e.g. the grid's `score`) and the
 * vocabulary it came with (null: none, the schema refuses what it would need one for).
 */
export type Writer = { userId: string; rights: ReadonlySet<string>; vocabulary: Vocabulary | null };

/** A decoded update (`Y.decodeUpdate`). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** What an update does to the doc. */
export type TrialChange = {
  /** The types the update changes, with the map keys written or deleted (null: list or text content). */
  changed: Map<AnyType, Set<string | null>>;
  /** The value `type` (a map) holds at `key` once the update is applied (undefined: none). */
  valueAfter(type: AnyType, key: string): unknown;
  /** The structs the update carries (their content, before integration). */
  structs: Array<Y.Item | Y.GC | Y.Skip>;
  /** The root name of each root type (null for a nested type). */
  rootName(type: AnyType): string | null;
};

export type DocumentSchema = {
  /** Types the roots of a fresh doc (e.g. `doc.getMap("result")`), so that decoded content lands typed. */
  prepare(doc: Y.Doc): void;
  /**
   * A French refusal, or null when the update is allowed. Text types in `changed` are read after the update (the
   * trial's shadow); maps through `valueAfter`.
   */
  check(change: TrialChange, writer: Writer): string | null;
};

/**
 * The verdict on an update Yjs cannot integrate (it decoded, but applying it throws): never applied to the doc, where
 * a half-integrated update can leave the struct store unreadable (every later sync or encoding throwing).
 */
export const UNINTEGRABLE = Symbol("unintegrable");

/**
 * The verdict on an update that depends on structs the doc does not hold (never sent, or sent later): nothing of it
 * is applied yet. The document keeps it aside and offers it again once more has been integrated, so that the doc
 * never holds pending structs — with them, the shadow (a copy of the doc's encoded state plus its pending parts)
 * would not be an exact copy, and a malformed update could pass the trial and still throw on the doc.
 */
export const PENDING = Symbol("pending");

export type Verdict = string | null | typeof UNINTEGRABLE | typeof PENDING;

/** A schema that allows any content: the gate still keeps updates Yjs cannot integrate off the doc. */
export const ANY_CONTENT: DocumentSchema = { prepare() {}, check: () => null };

/** Predicted updates in a row after which the shadow is dropped (rebuilt from the doc when a trial is needed). */
const SHADOW_IDLE_UPDATES = 64;

export class SchemaGate {
  private shadow: Y.Doc | null = null;
  /** Predicted updates since the last trial (while the shadow is kept in step). */
  private predictedInARow = 0;
  /** Root type → root name of the doc (rebuilt when a root is added). */
  private rootNames = new Map<AnyType, string>();

  /** `doc` must have been prepared by `schema.prepare` before anything was applied to it (see SharedDocument). */
  constructor(
    private readonly schema: DocumentSchema,
    private readonly doc: Y.Doc,
  ) {}

  /**
   * Checks `update` (decoded: `decoded`) as `writer`, right before the doc integrates it: null when allowed, else
   * the refusal, or UNINTEGRABLE when Yjs cannot integrate it (the trial's apply threw on the shadow, which holds
   * what the doc holds: the doc's would throw too).
   */
  check(update: Uint8Array, writer: Writer, decoded: DecodedUpdate = Y.decodeUpdate(update)): Verdict {
    let predicted: TrialChange | null = null;
    try {
      predicted = this.predict(decoded);
    } catch {
      predicted = null; // a shape the prediction did not foresee: the trial decides
    }
    if (predicted && this.schema.check(predicted, writer) === null) {
      if (this.shadow) {
        if (++this.predictedInARow >= SHADOW_IDLE_UPDATES) this.reset();
        else if (!this.applyToShadow(update)) return UNINTEGRABLE;
      }
      return null;
    }
    return this.trial(update, writer, decoded);
  }

  /** The doc changed in a way the gate did not see (a failed apply): forget the shadow. */
  reset(): void {
    this.shadow?.destroy();
    this.shadow = null;
    this.predictedInARow = 0;
  }

  destroy(): void {
    this.reset();
  }

  /* ------------------------------------------------------------------------------------------- trial */

  private trial(update: Uint8Array, writer: Writer, decoded: DecodedUpdate): Verdict {
    this.predictedInARow = 0;
    const shadow = (this.shadow ??= this.copy());
    let changed: Map<AnyType, Set<string | null>> | null = null;
    const capture = (transaction: Y.Transaction) => {
      changed = new Map(transaction.changed);
    };
    shadow.on("afterTransaction", capture);
    try {
      Y.applyUpdate(shadow, update);
    } catch {
      // Part of it may be integrated in the shadow, which is dropped; the doc never sees it.
      this.reset();
      return UNINTEGRABLE;
    } finally {
      shadow.off("afterTransaction", capture);
    }
    // Structs or deletions left pending (a dependency missing): not applicable yet. The shadow, which now holds them,
    // is dropped; the document offers the update again later.
    const names = new Map<AnyType, string>();
    if (shadow.store.pendingStructs || shadow.store.pendingDs) {
      this.reset();
      // What it carries is checked now (its content, wherever it lands); where it lands, once it applies.
      const carried = this.schema.check({ changed: new Map(), valueAfter: () => undefined, structs: decoded.structs, rootName: () => null }, writer);
      return carried ?? PENDING;
    }
    const touched = changed ?? new Map<AnyType, Set<string | null>>();
    for (const [name, type] of shadow.share) names.set(type, name);
    const refusal = this.schema.check(
      {
        changed: touched,
        valueAfter: (type, key) => (type instanceof Y.Map ? (type as Y.Map<unknown>).get(key) : undefined),
        structs: decoded.structs,
        rootName: (type) => names.get(type) ?? null,
      },
      writer,
    );
    if (refusal !== null) this.reset();
    return refusal;
  }

  /**
   * Keeps the shadow in step with an update the prediction accepted; false (shadow dropped) if Yjs cannot integrate
   * it, which the doc could not either.
   */
  private applyToShadow(update: Uint8Array): boolean {
    try {
      Y.applyUpdate(this.shadow!, update);
      return true;
    } catch {
      this.reset();
      return false;
    }
  }

  private copy(): Y.Doc {
    const shadow = new Y.Doc({ gc: this.doc.gc });
    this.schema.prepare(shadow);
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc));
    const { pendingStructs, pendingDs } = this.doc.store;
    if (pendingStructs) Y.applyUpdate(shadow, pendingStructs.update);
    if (pendingDs) Y.applyUpdate(shadow, pendingDs);
    return shadow;
  }

  /* ------------------------------------------------------------------------------------------- prediction */

  /**
   * What `decoded` will change in the doc, read off the doc without applying it — or null when this is not the
   * simple case below (then the trial decides). The simple case, which Y.Map `set` and `delete` produce:
   * - every struct is an Item carrying a value (ContentAny), the next one of its client (no gap, nothing present),
   *   placed in a top-level map: either the key's first entry (parent = root name, key, no origin, the key absent)
   *   or after the key's current entry (origin = that entry's last id, no right origin); so it becomes the key's
   *   value, exactly as `Item.integrate` would place it; at most one struct per key;
   * - every deletion falls on whole items already in the doc, each a value of a top-level map key;
   * - the doc holds nothing pending (which this update could complete).
   */
  private predict({ structs, ds }: DecodedUpdate): TrialChange | null {
    const { store } = this.doc;
    if (store.pendingStructs || store.pendingDs) return null;
    if (this.rootNames.size !== this.doc.share.size) {
      this.rootNames = new Map();
      for (const [name, type] of this.doc.share) this.rootNames.set(type, name);
    }
    const changed = new Map<AnyType, Set<string | null>>();
    /** Per root, the value of each key the update sets (its new entry's). */
    const written = new Map<AnyType, Map<string, unknown>>();
    const nextClock = new Map<number, number>();
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) return null;
      const { client, clock } = struct.id;
      if (clock !== (nextClock.get(client) ?? Y.getState(store, client))) return null;
      nextClock.set(client, clock + struct.length);
      if (struct.rightOrigin !== null) return null;
      let root: AnyType | undefined;
      let key: string | null;
      if (struct.origin === null) {
        // The key's first entry: the parent is named (a root) and the key holds nothing yet.
        if (typeof struct.parent !== "string" || struct.parentSub === null) return null;
        root = this.doc.share.get(struct.parent);
        key = struct.parentSub;
        if (!root || root._map.has(key)) return null;
      } else {
        // After the key's current entry: parent and key come from it (`Item.getMissing`).
        const { origin } = struct;
        if (origin.clock >= Y.getState(store, origin.client)) return null; // in this update, or missing
        const left = Y.getItem(store, origin);
        if (!(left instanceof Y.Item) || left.lastId.clock !== origin.clock) return null; // GC, or a split
        root = left.parent as AnyType;
        key = left.parentSub;
        if (key === null || root._item !== null || !this.rootNames.has(root) || root._map.get(key) !== left) return null;
      }
      let keys = written.get(root);
      if (!keys) written.set(root, (keys = new Map()));
      if (keys.has(key)) return null;
      const values = struct.content.getContent();
      keys.set(key, values[values.length - 1]);
      touch(changed, root, key);
    }
    /** Per root, the keys whose current entry the update deletes. */
    const deleted = new Map<AnyType, Set<string>>();
    for (const [client, ranges] of ds.clients) {
      const state = Y.getState(store, client);
      const clientStructs = store.clients.get(client);
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (end > state || !clientStructs) return null; // this update's own structs, or missing ones
        for (let i = Y.findIndexSS(clientStructs, clock); i < clientStructs.length; i++) {
          const item = clientStructs[i];
          if (item.id.clock >= end) break;
          if (item.deleted) continue; // GC'd or deleted already: nothing changes
          if (!(item instanceof Y.Item) || item.id.clock < clock || item.id.clock + item.length > end) return null;
          if (item.content instanceof Y.ContentType || item.content instanceof Y.ContentDoc) return null;
          const parent = item.parent as AnyType;
          const key = item.parentSub;
          if (key === null || parent._item !== null || !this.rootNames.has(parent)) return null;
          touch(changed, parent, key);
          if (parent._map.get(key) === item) {
            let keys = deleted.get(parent);
            if (!keys) deleted.set(parent, (keys = new Set()));
            keys.add(key);
          }
        }
      }
    }
    const rootNames = this.rootNames;
    return {
      changed,
      valueAfter(type, key) {
        const keys = written.get(type);
        if (keys?.has(key)) return keys.get(key);
        if (deleted.get(type)?.has(key)) return undefined;
        const entry = type._map.get(key);
        if (!entry || entry.deleted) return undefined;
        const values = entry.content.getContent();
        return values[values.length - 1];
      },
      structs,
      rootName: (type) => rootNames.get(type) ?? null,
    };
  }
}

function touch(changed: Map<AnyType, Set<string | null>>, type: AnyType, key: string): void {
  let keys = changed.get(type);
  if (!keys) changed.set(type, (keys = new Set()));
  keys.add(key);
}
