/**
 * Security events that change nothing else but belong in the chain: sign-ins, failed sign-ins, sign-outs,
 * refused access (403 from the guards) and downloads of signed documents and identity evidence. Each is its own
 * small transaction (the audit lock serialises the chain).
 */
import { prisma } from "~/platform/db/db.server";
import { anchorAuditHead, recordAudit } from "./record-audit.server";

export const ACCESS_ACTIONS = {
  signIn: "auth.sign-in",
  signInFailed: "auth.sign-in.failed",
  signOut: "auth.sign-out",
  accessRefused: "access.refused",
  signedDocumentDownloaded: "document.signed.downloaded",
  identityEvidenceDownloaded: "evidence.identity.downloaded",
} as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[keyof typeof ACCESS_ACTIONS];

export async function recordAccess(input: {
  action: AccessAction;
  actorId: string | null;
  organisationId?: string | null;
  subjectType: string;
  subjectId: string;
  data?: unknown;
  ip: string | null;
  userAgent: string | null;
  /** Store the head as an anchor too (at most hourly): sign-ins keep the anchors fresh. */
  anchor?: boolean;
}): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await recordAudit(tx, {
      organisationId: input.organisationId ?? null,
      actorId: input.actorId,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      data: input.data ?? null,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
    });
    if (input.anchor) await anchorAuditHead(tx, "connexion", { routine: true });
  });
}
