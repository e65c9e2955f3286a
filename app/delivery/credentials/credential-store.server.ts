/**
 * Where the credentials library keeps each organisation's issuing key and revocation list. No database table: a
 * small port (`CredentialStore`) with one implementation on files under `<QUORUM_DATA_DIR>/credentials/<orgId>/`
 * (directory 0700, files 0600, written to a temporary file then renamed, so a crash never leaves half a file).
 * The private key is never written in clear: it is sealed with AES-256-GCM under a key-encryption key taken from
 * `QUORUM_CREDENTIALS_KEK` (32 bytes, base64) or, when unset, generated once in `<dataDir>/credentials/.kek` (0600).
 * Only the former keeps the key safe from someone who copies the data directory; the latter still keeps it out of
 * backups of the status files alone.
 * Mutations of one organisation are serialised in this process (`exclusive`); one Quorum process owns a data dir.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export type SealedSecret = { alg: "A256GCM"; iv: string; tag: string; data: string };

export type IssuerKeyRecord = {
  publicKeyMultibase: string;
  secretKey: SealedSecret;
  createdAt: string;
};

export type StatusListRecord = {
  /** Number of bits of the list (the specification's minimum, 131,072, hides which index is whose). */
  length: number;
  /** Next index to hand out; indexes are never reused. */
  nextIndex: number;
  /** Index per credential id, so issuing the same credential twice reuses its index. */
  entries: Record<string, number>;
  /** Compressed bitstring (the `encodedList` of the specification). */
  encodedList: string;
  /** The list as last signed, served as is. */
  credential: Record<string, unknown> | null;
};

export interface CredentialStore {
  readIssuerKey(organisationId: string): Promise<IssuerKeyRecord | null>;
  writeIssuerKey(organisationId: string, record: IssuerKeyRecord): Promise<void>;
  readStatusList(organisationId: string): Promise<StatusListRecord | null>;
  writeStatusList(organisationId: string, record: StatusListRecord): Promise<void>;
  seal(organisationId: string, secret: string): Promise<SealedSecret>;
  unseal(organisationId: string, sealed: SealedSecret): Promise<string>;
  /** Runs `work` alone for this organisation (no interleaved read-modify-write). */
  exclusive<T>(organisationId: string, work: () => Promise<T>): Promise<T>;
}

function assertOrganisationId(organisationId: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(organisationId)) {
    throw new Error(`Identifiant d'organisation inattendu : ${JSON.stringify(organisationId)}`);
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2), { mode: 0o600 });
  await rename(temporary, file);
}

export class FileCredentialStore implements CredentialStore {
  private readonly queues = new Map<string, Promise<unknown>>();
  private kek: Promise<Buffer> | null = null;

  constructor(
    readonly root: string,
    private readonly kekFromEnv: string | undefined = process.env.QUORUM_CREDENTIALS_KEK,
  ) {}

  /** The store of this process: `<QUORUM_DATA_DIR or ./data>/credentials`. */
  static default(): FileCredentialStore {
    return new FileCredentialStore(path.resolve(process.env.QUORUM_DATA_DIR ?? "data", "credentials"));
  }

  private async directory(organisationId: string): Promise<string> {
    assertOrganisationId(organisationId);
    const directory = path.join(this.root, organisationId);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return directory;
  }

  async readIssuerKey(organisationId: string) {
    return readJson<IssuerKeyRecord>(path.join(await this.directory(organisationId), "issuer-key.json"));
  }

  async writeIssuerKey(organisationId: string, record: IssuerKeyRecord) {
    await writeJsonAtomically(path.join(await this.directory(organisationId), "issuer-key.json"), record);
  }

  async readStatusList(organisationId: string) {
    return readJson<StatusListRecord>(path.join(await this.directory(organisationId), "status-list.json"));
  }

  async writeStatusList(organisationId: string, record: StatusListRecord) {
    await writeJsonAtomically(path.join(await this.directory(organisationId), "status-list.json"), record);
  }

  private keyEncryptionKey(): Promise<Buffer> {
    this.kek ??= (async () => {
      if (this.kekFromEnv) {
        const key = Buffer.from(this.kekFromEnv, "base64");
        if (key.length !== 32) throw new Error("QUORUM_CREDENTIALS_KEK doit contenir 32 octets en base64");
        return key;
      }
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      const file = path.join(this.root, ".kek");
      try {
        return Buffer.from((await readFile(file, "utf8")).trim(), "base64");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        const key = randomBytes(32);
        // "wx": if another process wrote it first, this fails instead of overwriting a key in use.
        await writeFile(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
        return key;
      }
    })();
    return this.kek;
  }

  async seal(organisationId: string, secret: string): Promise<SealedSecret> {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", await this.keyEncryptionKey(), iv);
    cipher.setAAD(Buffer.from(`quorum-issuer-key:${organisationId}`));
    const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return {
      alg: "A256GCM",
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    };
  }

  async unseal(organisationId: string, sealed: SealedSecret): Promise<string> {
    const decipher = createDecipheriv("aes-256-gcm", await this.keyEncryptionKey(), Buffer.from(sealed.iv, "base64"));
    decipher.setAAD(Buffer.from(`quorum-issuer-key:${organisationId}`));
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
  }

  exclusive<T>(organisationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(organisationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(organisationId, next);
    return next;
  }
}
