/**
 * The organisation's credential-issuing key: an Ed25519 key generated once per organisation, kept sealed in the
 * credential store, identified by its did:key. Its public half is exported as a multikey (`publicKeyMultibase`).
 */
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import type { CredentialStore } from "./credential-store.server";
import { didOf, verificationMethodIdOf } from "./did-key";

/** What every function of the library needs: where keys and lists live, and Quorum's public address. */
export type CredentialsContext = {
  store: CredentialStore;
  /** Public origin of Quorum, e.g. https://quorum.example.org (no trailing slash); status list URLs hang off it. */
  baseUrl: string;
};

export type IssuerIdentity = { did: string; verificationMethod: string; publicKeyMultibase: string };

function identityOf(publicKeyMultibase: string): IssuerIdentity {
  return { did: didOf(publicKeyMultibase), verificationMethod: verificationMethodIdOf(publicKeyMultibase), publicKeyMultibase };
}

async function loadOrCreateKeyPair(store: CredentialStore, organisationId: string): Promise<Ed25519KeyPair> {
  const stored = await store.readIssuerKey(organisationId);
  if (stored) {
    const secretKeyMultibase = await store.unseal(organisationId, stored.secretKey);
    const identity = identityOf(stored.publicKeyMultibase);
    return Ed25519Multikey.from({
      type: "Multikey",
      id: identity.verificationMethod,
      controller: identity.did,
      publicKeyMultibase: stored.publicKeyMultibase,
      secretKeyMultibase,
    });
  }
  const generated = await Ed25519Multikey.generate();
  const exported = await generated.export({ publicKey: true, secretKey: true });
  const publicKeyMultibase = exported.publicKeyMultibase as string;
  await store.writeIssuerKey(organisationId, {
    publicKeyMultibase,
    secretKey: await store.seal(organisationId, exported.secretKeyMultibase as string),
    createdAt: new Date().toISOString(),
  });
  return loadOrCreateKeyPair(store, organisationId);
}

/** The organisation's key pair, created on first use (call inside `store.exclusive` when it may be created). */
export async function issuerKeyPair(store: CredentialStore, organisationId: string): Promise<Ed25519KeyPair> {
  return store.exclusive(`${organisationId}:key`, () => loadOrCreateKeyPair(store, organisationId));
}

/** The organisation's public identity (did:key and public multikey), creating the key on first use. */
export async function issuerIdentity(store: CredentialStore, organisationId: string): Promise<IssuerIdentity> {
  const keyPair = await issuerKeyPair(store, organisationId);
  return identityOf(keyPair.publicKeyMultibase);
}

/** The public key as a Multikey document (what a verifier needs), e.g. to publish beside the organisation. */
export async function exportPublicMultikey(store: CredentialStore, organisationId: string) {
  const keyPair = await issuerKeyPair(store, organisationId);
  return keyPair.export({ publicKey: true, includeContext: true });
}

/**
 * The organisation's key pair as multikeys, the secret one unsealed: what the credential-signing thread needs
 * (./signing-thread.server.ts; the canonicalisation a proof needs is kept off the server's event loop).
 */
export async function issuerKeyMaterial(
  store: CredentialStore,
  organisationId: string,
): Promise<{ publicKeyMultibase: string; secretKeyMultibase: string }> {
  const keyPair = await issuerKeyPair(store, organisationId);
  const exported = await keyPair.export({ publicKey: true, secretKey: true });
  return { publicKeyMultibase: exported.publicKeyMultibase as string, secretKeyMultibase: exported.secretKeyMultibase as string };
}

/** A verifying suite: no key needed, the proof names its verification method. */
export function verifyingSuite() {
  return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
}
