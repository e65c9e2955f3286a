/**
 * The signers of a document submitted for signature are members of its organisation, and stay so until the
 * submission commits (docs/decisions/0023-member-removal-with-pending-signatures.md).
 */
import { AppError } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import type { LoadedDocument } from "./document-kind";

/**
 * A submission for signature (./open-signing.server.ts), under the document's lock: the signers' memberships of the
 * document's organisation, locked FOR SHARE until the commit, so that a member's removal or role change (which holds
 * the membership's row while it checks that person's pending signatures) either waits for this submission and sees it,
 * or commits first and is seen here. A signer no longer a member could never sign: refused, nothing sealed.
 */
export async function lockSignerMemberships(tx: Prisma.TransactionClient, document: LoadedDocument): Promise<void> {
  const ids = [...new Set(document.signers.map((s) => s.userId))];
  if (ids.length === 0) return;
  const rows = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "organisationId" = ${document.organisationId} AND "userId" = ANY(${ids}::text[])
    ORDER BY "userId" FOR SHARE`;
  const members = new Set(rows.map((r) => r.userId));
  const gone = document.signers.filter((s) => !members.has(s.userId));
  if (gone.length > 0) {
    throw new AppError(
      "CONFLICT",
      `Passage à la signature impossible : ${gone.length > 1 ? "des signataires ne font" : "un signataire ne fait"} plus partie de l'organisation et ne pourrai${gone.length > 1 ? "en" : ""}t pas signer.`,
      { details: gone.map((s) => s.displayName) },
    );
  }
}
