/**
 * Use case: the organisation's signed status list as Quorum publishes it (`/credentials/status/<org>`), its bits
 * taken from the database: every revoked record's credential is marked revoked, whether or not the status-list
 * file recorded it when the revocation committed (revokeRecord sets the bit after its transaction; a failed write —
 * disk full, crash, file not writable — would otherwise leave a revoked credential « valid » to every wallet, with
 * nothing to repair it). The file is a cache of the database, repaired on the next read.
 */
import { prisma } from "~/platform/db/db.server";
import type { CredentialsContext } from "./credentials/issuer.server";
import { reconciledStatusListCredential, type RevokedCredential } from "./credentials/status-list.server";
import { credentialsContext } from "./finish-record.server";

/** The index a stored credential's `credentialStatus` names, or null. */
function statusListIndexOf(credential: unknown): number | null {
  const status = (credential as { credentialStatus?: { statusListIndex?: unknown } } | null)?.credentialStatus;
  const index = Number(status?.statusListIndex);
  return typeof status?.statusListIndex === "string" && Number.isInteger(index) ? index : null;
}

/** The signed status list credential to serve, or null when the organisation never issued a credential. */
export async function getStatusList(
  organisationId: string,
  context: CredentialsContext = credentialsContext(),
): Promise<Record<string, unknown> | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(organisationId)) return null;
  const rows = await prisma.deliveryRecord.findMany({
    where: { organisationId, revokedAt: { not: null }, credentialId: { not: null } },
    select: { credentialId: true, credential: true },
  });
  const revoked: RevokedCredential[] = rows.map((row) => ({ credentialId: row.credentialId!, statusListIndex: statusListIndexOf(row.credential) }));
  return reconciledStatusListCredential(context, organisationId, revoked);
}
