/**
 * did:key for an Ed25519 public key (W3C CCG did:key method): the DID is `did:key:` + the key's multibase
 * (base58btc of 0xed01 + 32 bytes, so it starts with `z6Mk`), and its document is derived from the key alone —
 * any verifier can resolve it offline, which is why Quorum's credentials use it as the issuer's identifier.
 */
const DID_CONTEXT = "https://www.w3.org/ns/did/v1";
const MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";

export type VerificationMethod = { id: string; type: "Multikey"; controller: string; publicKeyMultibase: string };
export type DidKeyDocument = {
  "@context": string[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
  authentication: string[];
};

export function isDidKeyUrl(url: string): boolean {
  return /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+(#z6Mk[1-9A-HJ-NP-Za-km-z]+)?$/.test(url);
}

export function didOf(publicKeyMultibase: string): string {
  return `did:key:${publicKeyMultibase}`;
}

export function verificationMethodIdOf(publicKeyMultibase: string): string {
  return `${didOf(publicKeyMultibase)}#${publicKeyMultibase}`;
}

export function didKeyDocument(publicKeyMultibase: string): DidKeyDocument {
  const id = didOf(publicKeyMultibase);
  const vmId = verificationMethodIdOf(publicKeyMultibase);
  return {
    "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
    id,
    verificationMethod: [{ id: vmId, type: "Multikey", controller: id, publicKeyMultibase }],
    assertionMethod: [vmId],
    authentication: [vmId],
  };
}
