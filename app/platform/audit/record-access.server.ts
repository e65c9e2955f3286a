/**
 * Security events that change nothing else but belong in the chain: sign-ins, failed sign-ins, sign-outs,
 * refused access (403 from the guards) and downloads of signed documents and identity evidence. Each is its own
 * small transaction (the audit lock serialises the chain).
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { BURST_TRANSACTION } from "~/platform/db/busy.server";
import { anchorAuditHead, recordAudit } from "./record-audit.server";

export const ACCESS_ACTIONS = {
  signIn: "auth.sign-in",
  signInFailed: "auth.sign-in.failed",
  signOut: "auth.sign-out",
  sessionRevoked: "auth.session.revoked",
  accessRefused: "access.refused",
  signedDocumentDownloaded: "document.signed.downloaded",
  identityEvidenceDownloaded: "evidence.identity.downloaded",
} as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[keyof typeof ACCESS_ACTIONS];

export type AccessEvent = {
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
};

/** Records the event inside the caller's transaction (with the change it goes with: a sign-in's session). */
export async function recordAccessIn(tx: Prisma.TransactionClient, input: AccessEvent): Promise<void> {
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
}

/** Records the event in its own transaction, which may queue behind a burst of others (BURST_TRANSACTION). */
export async function recordAccess(input: AccessEvent): Promise<void> {
  await prisma.$transaction((tx) => recordAccessIn(tx, input), BURST_TRANSACTION);
}

/** A signed document downloaded: the event every download route of a sealed PDF records before answering. */
export function recordSignedDownload(
  document: { id: string; kind: string; sha256: string },
  input: { actorId: string; organisationId: string; data?: Record<string, unknown>; ip: string | null; userAgent: string | null },
): Promise<void> {
  const { data, ...who } = input;
  return recordAccess({
    action: ACCESS_ACTIONS.signedDocumentDownloaded,
    subjectType: "SignedDocument",
    subjectId: document.id,
    data: { kind: document.kind, sha256: document.sha256, ...data },
    ...who,
  });
}
