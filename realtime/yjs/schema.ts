/**
 * Document schemas enforced by the server. An update is checked before the server's doc integrates it: a refused
 * update is never applied, stored or broadcast, and its sender gets a permission-denied message with the reason.
 *
 * The check is a trial: the update is applied to a shadow copy of the doc (kept in step with it), and the schema
 * looks only at what that transaction touched (`changed`: the types and map keys written or deleted) plus the decoded
 * structs of the update (what content it carries). A refusal rebuilds the shadow from the server's doc. Cost per
 * update: one more apply of the update and a look at what it touched, never a walk of the whole document.
 */
import * as Y from "yjs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types by their event type
export type AnyType = Y.AbstractType<any>;

/** Who writes: the connection's user and the rights its access grant gave it (e.g. the grid's `score`). */
export type Writer = { userId: string; rights: ReadonlySet<string> };

/** What an update did to the shadow doc. */
export type TrialChange = {
  /** The shadow doc after the update. */
  doc: Y.Doc;
  /** The types the update changed, with the map keys written or deleted (null: list or text content). */
  changed: Map<AnyType, Set<string | null>>;
  /** The structs the update carries (their content, before integration). */
  structs: Array<Y.Item | Y.GC | Y.Skip>;
  /** The root name of each root type of `doc`. */
  rootName(type: AnyType): string | null;
};

export type DocumentSchema = {
  /** Types the roots of a fresh doc (e.g. `doc.getMap("result")`), so that decoded content lands typed. */
  prepare(doc: Y.Doc): void;
  /** A French refusal, or null when the update is allowed. */
  check(change: TrialChange, writer: Writer): string | null;
};

export class SchemaGate {
  private shadow: Y.Doc;

  constructor(
    private readonly schema: DocumentSchema,
    private readonly doc: Y.Doc,
  ) {
    this.shadow = this.copy();
  }

  /**
   * Trial-applies `update` as `writer`: null when allowed (the shadow now holds it: apply it to the doc), else the
   * refusal (the shadow is rebuilt from the doc). An update Yjs cannot integrate is left to the doc's own apply.
   */
  check(update: Uint8Array, writer: Writer): string | null {
    let changed: Map<AnyType, Set<string | null>> | null = null;
    const capture = (transaction: Y.Transaction) => {
      changed = new Map(transaction.changed);
    };
    this.shadow.on("afterTransaction", capture);
    try {
      Y.applyUpdate(this.shadow, update);
    } catch {
      this.reset();
      return null;
    } finally {
      this.shadow.off("afterTransaction", capture);
    }
    const decoded = Y.decodeUpdate(update);
    // A pending update (a dependency missing) changes nothing yet; the update that completes it is checked then.
    const touched = changed ?? new Map<AnyType, Set<string | null>>();
    const names = new Map<AnyType, string>();
    for (const [name, type] of this.shadow.share) names.set(type, name);
    const refusal = this.schema.check(
      { doc: this.shadow, changed: touched, structs: decoded.structs, rootName: (type) => names.get(type) ?? null },
      writer,
    );
    if (refusal !== null) this.reset();
    return refusal;
  }

  /** Rebuilds the shadow from the doc (its integrated state and what it holds pending). */
  reset(): void {
    this.shadow.destroy();
    this.shadow = this.copy();
  }

  destroy(): void {
    this.shadow.destroy();
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
}
