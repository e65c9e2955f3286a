/**
 * Revocation through a W3C Bitstring Status List, one list per organisation, served by Quorum at
 * `<baseUrl>/credentials/status/<organisationId>` (route wiring: ../get-status-list.server.ts returns the JSON to send).
 * Each issued credential gets an index (never reused; the same credential id gets its index back); revoking sets
 * its bit and re-signs the list. The list is a signed `BitstringStatusListCredential` from the same issuer.
 */
import { createCredential, createList, decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import type { StatusListRecord } from "./credential-store.server";
import { didOf } from "./did-key";
import { issuerKeyMaterial, type CredentialsContext } from "./issuer.server";
import { signCredentialOffThread } from "./signing-thread.server";

/** The specification's minimum size: 16 KB of bits, so a list does not tell how many credentials exist. */
export const STATUS_LIST_LENGTH = 131_072;

export function statusListUrl(baseUrl: string, organisationId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/credentials/status/${encodeURIComponent(organisationId)}`;
}

/** The organisation id a status list URL of this Quorum points to, or null. */
export function organisationOfStatusListUrl(baseUrl: string, url: string): string | null {
  const prefix = `${baseUrl.replace(/\/+$/, "")}/credentials/status/`;
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(rest) ? rest : null;
}

export type StatusEntry = {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation";
  statusListIndex: string;
  statusListCredential: string;
};

async function signList(
  context: CredentialsContext,
  organisationId: string,
  encodedList: string,
): Promise<Record<string, unknown>> {
  const key = await issuerKeyMaterial(context.store, organisationId);
  const list = await decodeList({ encodedList });
  const unsigned = await createCredential({
    id: statusListUrl(context.baseUrl, organisationId),
    list,
    statusPurpose: "revocation",
  });
  const now = new Date();
  return signCredentialOffThread({
    credential: { ...unsigned, issuer: didOf(key.publicKeyMultibase), validFrom: now.toISOString().replace(/\.\d{3}Z$/, "Z") },
    ...key,
    date: now.toISOString(),
  });
}

async function loadOrCreate(context: CredentialsContext, organisationId: string): Promise<StatusListRecord> {
  const stored = await context.store.readStatusList(organisationId);
  if (stored) return stored;
  const list = await createList({ length: STATUS_LIST_LENGTH });
  const encodedList = await list.encode();
  return { length: STATUS_LIST_LENGTH, nextIndex: 0, entries: {}, encodedList, credential: null };
}

/** The status entry for a credential, allocating its index on first call (idempotent per credential id). */
export async function allocateStatusEntry(
  context: CredentialsContext,
  organisationId: string,
  credentialId: string,
): Promise<StatusEntry> {
  const index = await context.store.exclusive(organisationId, async () => {
    const record = await loadOrCreate(context, organisationId);
    const existing = record.entries[credentialId];
    if (existing !== undefined) return existing;
    if (record.nextIndex >= record.length) {
      throw new Error("La liste de révocation de l'organisation est pleine");
    }
    const allocated = record.nextIndex;
    const credential = record.credential ?? (await signList(context, organisationId, record.encodedList));
    await context.store.writeStatusList(organisationId, {
      ...record,
      nextIndex: allocated + 1,
      entries: { ...record.entries, [credentialId]: allocated },
      credential,
    });
    return allocated;
  });
  const list = statusListUrl(context.baseUrl, organisationId);
  return {
    id: `${list}#${index}`,
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: String(index),
    statusListCredential: list,
  };
}

/**
 * Revokes a credential: sets its bit and re-signs the list. Idempotent (revoking twice is one effect).
 * Returns false when the credential has no index in this organisation's list.
 */
export async function revokeStatus(
  context: CredentialsContext,
  organisationId: string,
  credentialId: string,
): Promise<boolean> {
  return context.store.exclusive(organisationId, async () => {
    const record = await context.store.readStatusList(organisationId);
    const index = record?.entries[credentialId];
    if (!record || index === undefined) return false;
    const list = await decodeList({ encodedList: record.encodedList });
    if (list.getStatus(index) && record.credential) return true;
    list.setStatus(index, true);
    const encodedList = await list.encode();
    const credential = await signList(context, organisationId, encodedList);
    await context.store.writeStatusList(organisationId, { ...record, encodedList, credential });
    return true;
  });
}

/** Whether a credential is revoked in the organisation's list (null: unknown credential). */
export async function isRevoked(
  context: CredentialsContext,
  organisationId: string,
  credentialId: string,
): Promise<boolean | null> {
  const record = await context.store.readStatusList(organisationId);
  const index = record?.entries[credentialId];
  if (!record || index === undefined) return null;
  return (await decodeList({ encodedList: record.encodedList })).getStatus(index);
}

/** A credential the caller knows to be revoked, and the index its own `credentialStatus` names (when it has one). */
export type RevokedCredential = { credentialId: string; statusListIndex?: number | null };

/**
 * The signed status list credential with every credential of `revoked` marked revoked: the caller's record of
 * revocations (the database) is the truth, the stored list a cache of it. A bit the stored list lacks (its write
 * failed after the revocation committed: a full disk, a crash, a file not writable) is set and the list re-signed
 * here, then stored again; if that write fails too, the list re-signed in memory is still the one returned, so what
 * is served never says « valid » for a revoked credential. Bits are only ever set, never cleared. Null when the
 * organisation never issued a credential.
 */
export async function reconciledStatusListCredential(
  context: CredentialsContext,
  organisationId: string,
  revoked: readonly RevokedCredential[],
): Promise<Record<string, unknown> | null> {
  return context.store.exclusive(organisationId, async () => {
    const record = await context.store.readStatusList(organisationId);
    if (!record) return null;
    if (revoked.length === 0 && record.credential) return record.credential;
    const list = await decodeList({ encodedList: record.encodedList });
    let changed = false;
    for (const entry of revoked) {
      // The index the credential itself names is the one a verifier reads; the store's entry otherwise.
      const named = entry.statusListIndex;
      const index = named !== null && named !== undefined && Number.isInteger(named) && named >= 0 && named < record.length ? named : record.entries[entry.credentialId];
      if (index === undefined || list.getStatus(index)) continue;
      list.setStatus(index, true);
      changed = true;
    }
    if (!changed && record.credential) return record.credential;
    const encodedList = changed ? await list.encode() : record.encodedList;
    const credential = await signList(context, organisationId, encodedList);
    try {
      await context.store.writeStatusList(organisationId, { ...record, encodedList, credential });
    } catch (error) {
      console.error(`Liste de révocation de ${organisationId} : enregistrement impossible, servie recalculée`, error);
    }
    return credential;
  });
}

/**
 * The signed status list credential as stored (JSON, content type `application/vc+ld+json` or `application/json`),
 * or null when the organisation never issued a credential. What Quorum serves at `statusListUrl(baseUrl,
 * organisationId)` is `reconciledStatusListCredential`, which also applies the database's revocations.
 */
export async function statusListCredential(
  context: CredentialsContext,
  organisationId: string,
): Promise<Record<string, unknown> | null> {
  const record = await context.store.readStatusList(organisationId);
  return record?.credential ?? null;
}
