/**
 * Whether a jury session's decisions are final (app/domain/decision-validation.ts), read from the database: the
 * session's state, its scheme's `jury.cpneValidation` and the CPNE validation's state (SessionValidation).
 */
import { decisionsFinality, type Finality } from "~/domain/decision-validation";
import { parseScheme } from "~/domain/scheme";
import { AppError } from "~/platform/app-error";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";

type Db = PrismaClient | Prisma.TransactionClient;

export async function finalityOf(db: Db, sessionId: string): Promise<Finality & { cpneValidation: boolean }> {
  const session = await db.session.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      status: true,
      validation: { select: { status: true, returnedAt: true, returnReason: true } },
      referentialVersion: { select: { certification: { select: { scheme: true } } } },
    },
  });
  const cpneValidation = session.referentialVersion
    ? parseScheme(session.referentialVersion.certification.scheme).jury.cpneValidation
    : false;
  return { ...decisionsFinality({ sessionStatus: session.status, cpneValidation, validation: session.validation }), cpneValidation };
}

/** Throws a French CONFLICT unless the session's decisions are final. */
export async function requireFinalDecisions(db: Db, sessionId: string): Promise<void> {
  const finality = await finalityOf(db, sessionId);
  if (!finality.final) throw new AppError("CONFLICT", finality.reason);
}
