/**
 * Signs a credential with a Data Integrity proof `eddsa-rdfc-2022`: JSON-LD canonicalisation (RDFC-1.0) of the
 * credential and its proof options, then Ed25519. Plain data in and out, no store and no database: it runs in the
 * credential-signing thread (./signing-thread.server.ts), because canonicalisation blocks for 25–70 ms per credential
 * (0.5 s for the first one of a process, the contexts being processed) and the server's event loop carries every
 * page and live room.
 */
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { createDocumentLoader } from "./document-loader.server";
import { didOf, verificationMethodIdOf } from "./did-key";

export type SigningRequest = {
  credential: Record<string, unknown>;
  /** The issuer's key pair, as multikeys (the secret one unsealed by the caller). */
  publicKeyMultibase: string;
  secretKeyMultibase: string;
  /** The proof's `created` (ISO date-time); now when absent. */
  date?: string;
};

export async function signCredential(request: SigningRequest): Promise<Record<string, unknown>> {
  const keyPair = await Ed25519Multikey.from({
    type: "Multikey",
    id: verificationMethodIdOf(request.publicKeyMultibase),
    controller: didOf(request.publicKeyMultibase),
    publicKeyMultibase: request.publicKeyMultibase,
    secretKeyMultibase: request.secretKeyMultibase,
  });
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(),
    cryptosuite: eddsaRdfc2022,
    date: request.date ? new Date(request.date) : undefined,
  });
  return vc.issue({
    credential: request.credential,
    suite,
    documentLoader: createDocumentLoader({ issuerKeys: [request.publicKeyMultibase] }),
  });
}
