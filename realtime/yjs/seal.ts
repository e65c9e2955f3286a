/**
 * Sealing a collaborative document (before signatures): it becomes read-only for everyone, and its canonical
 * content (app/domain/canonical) and that content's SHA-256 are fixed. Signatures bind to the hash.
 *
 *   seal   = freeze in this process (edits already received are stored, later ones refused)
 *            → read the stored state → canonical JSON → SHA-256
 *            → one transaction (row lock, then UPDATE) sets sealedAt + sealedHash, only if the document is not
 *              sealed yet and no update was stored after the state we read (otherwise read again), and runs the
 *              caller's `inside(tx, sealed)` in that same transaction: the signing state is recorded with the seal,
 *              or `inside` throws and neither is (the caller — ./server.ts — then lifts the freeze)
 *   unseal = one transaction clears sealedAt + sealedHash and runs the caller's `inside(tx, wasSealed)`; once
 *            committed, the freeze is lifted: writers edit again ("reopen the grid").
 *
 * Sealing twice returns the first hash: never a new one. New connections to a sealed document get read access
 * from the access resolver (which reads sealedAt), and the loaded document is frozen from the database too.
 * In scale mode the document server also tells the other processes (./server.ts, `DocumentControl`): they freeze
 * their copy when a seal starts and follow the database's `sealedAt` once it ended or was lifted.
 */
import * as Y from "yjs";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { canonicalDocumentJson, sha256Hex } from "~/domain/canonical";
import type { Logger } from "./document";
import { applyStored, type DocumentStore } from "./persistence";

export type SealResult = {
  /** Lowercase hex SHA-256 of `canonical` (UTF-8): what signatures bind to. */
  hash: string;
  /** Canonical JSON of the sealed content. */
  canonical: string;
  sealedAt: Date;
  /** True when the document was sealed before this call (the hash is the one recorded then). */
  alreadySealed: boolean;
};

/** The running document server's side of sealing. */
export type SealControl = {
  /** Freezes the document in this process and resolves once the edits already received are stored. */
  setReadOnly(documentName: string): Promise<void>;
  /** Lifts the freeze: connections get back the access their seat gives them. */
  setWritable(documentName: string): Promise<void>;
};

/** The content of a sealed document no longer matches its recorded hash (written to after sealing). */
export class SealMismatchError extends Error {
  constructor(
    readonly documentName: string,
    readonly sealedHash: string | null,
    readonly currentHash: string,
  ) {
    super("Le contenu de ce document ne correspond plus à son scellement : rouvrez-le puis scellez-le à nouveau.");
    this.name = "SealMismatchError";
  }
}

/** The caller's part of a seal or unseal transaction (records the signing state; throws to roll back). */
export type SealInside<T> = (tx: Prisma.TransactionClient, sealed: SealResult) => Promise<T>;
export type UnsealInside<T> = (tx: Prisma.TransactionClient, wasSealed: boolean) => Promise<T>;

/** A seal's transaction may run a caller's check (the grid's content check) and a row lock of its own. */
const SEAL_TRANSACTION = { timeout: 20_000, maxWait: 10_000 };

/** Reads that found an update stored after the state just read (another process writing) before giving up. */
const MAX_SEAL_ATTEMPTS = 5;

export function createSealing(control: SealControl, options: { store: DocumentStore; logger: Logger }) {
  const { store, logger } = options;

  /** Loads the stored document (creating its row if it was never opened): canonical JSON, hash, last seq. */
  async function readCanonical(name: string): Promise<{ canonical: string; hash: string; lastSeq: bigint }> {
    const stored = await store.load(name);
    const doc = new Y.Doc();
    let state: Uint8Array;
    try {
      const skipped = applyStored(doc, stored);
      if (skipped.length > 0) logger.error(`[yjs] ${name}: mises à jour illisibles ignorées au scellement (seq ${skipped.join(", ")})`);
      state = Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
    const canonical = canonicalDocumentJson(state);
    return { canonical, hash: sha256Hex(canonical), lastSeq: stored.lastSeq };
  }

  async function seal<T>(name: string, inside?: SealInside<T>): Promise<{ result: SealResult; value: T | undefined }> {
    await control.setReadOnly(name);
    for (let attempt = 1; ; attempt++) {
      const { canonical, hash, lastSeq } = await readCanonical(name);
      // One transaction: both columns or neither, only over exactly the state we hashed, and the caller's state
      // with them. The row lock comes first, so the UPDATE's snapshot (taken after it) sees every append committed
      // before it, and appends that lock the row (realtime/scale) wait for the seal, then see it.
      const outcome = await prisma.$transaction(async (tx) => {
        const now = new Date();
        await tx.$queryRaw`SELECT "name" FROM "CollabDocument" WHERE "name" = ${name} FOR UPDATE`;
        const sealed = await tx.$executeRaw`
          UPDATE "CollabDocument" SET "sealedAt" = ${now}, "sealedHash" = ${hash}, "updatedAt" = ${now}
          WHERE "name" = ${name} AND "sealedAt" IS NULL
            AND NOT EXISTS (SELECT 1 FROM "CollabUpdate" WHERE "docName" = ${name} AND "seq" > ${lastSeq})`;
        let result: SealResult | null = null;
        if (sealed === 1) result = { hash, canonical, sealedAt: now, alreadySealed: false };
        else {
          const row = await tx.collabDocument.findUniqueOrThrow({ where: { name }, select: { sealedAt: true, sealedHash: true } });
          if (row.sealedAt) {
            if (row.sealedHash !== hash) {
              logger.error(`[yjs] ${name}: contenu différent de son scellement (${row.sealedHash} ≠ ${hash})`);
              throw new SealMismatchError(name, row.sealedHash, hash);
            }
            result = { hash, canonical, sealedAt: row.sealedAt, alreadySealed: true };
          }
        }
        if (!result) return null; // an update was stored after our read: read again
        return { result, value: inside ? await inside(tx, result) : undefined };
      }, SEAL_TRANSACTION);
      if (outcome) return outcome;
      // An update was stored after our read (a process that had not frozen the document yet): read again.
      if (attempt >= MAX_SEAL_ATTEMPTS) {
        throw new Error(`${name}: scellement impossible, le document est encore modifié (${attempt} tentatives)`);
      }
    }
  }

  /** Reopens a sealed document, with the caller's state in the same transaction. `wasSealed` false: it was not. */
  async function unseal<T>(name: string, inside?: UnsealInside<T>): Promise<{ wasSealed: boolean; value: T | undefined }> {
    try {
      return await prisma.$transaction(async (tx) => {
        const { count } = await tx.collabDocument.updateMany({
          where: { name, sealedAt: { not: null } },
          data: { sealedAt: null, sealedHash: null },
        });
        return { wasSealed: count > 0, value: inside ? await inside(tx, count > 0) : undefined };
      }, SEAL_TRANSACTION);
    } finally {
      // Committed or not, this process follows the database again (a `setReadOnly` of this process is lifted).
      await control.setWritable(name);
    }
  }

  /** Whether the document is sealed in the database now (what every process follows after a `seal-changed`). */
  async function isSealed(name: string): Promise<boolean> {
    const row = await prisma.collabDocument.findUnique({ where: { name }, select: { sealedAt: true } });
    return Boolean(row?.sealedAt);
  }

  return { seal, unseal, isSealed };
}
