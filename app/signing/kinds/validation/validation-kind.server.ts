/**
 * The CPNE's validation of a jury session's decisions as a signed-document kind (scheme setting jury.cpneValidation:
 * the jury proposes, the CPNE decides). Document id = the session id; state in SessionValidation. An authorised user
 * of the organisation (administrator or secretariat) validates every decision of the closed session in one act: the
 * use case app/delivery/validate-session-decisions.server.ts records them as the validator, then opens (seals the
 * decisions as canonical JSON) and signs (password re-entered, consent) through the core; the one signature
 * completes it and the sealed PDF is rendered after the commit. Records are issued only once it is SIGNED
 * (app/domain/decision-validation.ts).
 */
import { canonicalJson } from "~/domain/canonical";
import { VALIDATOR_ROLES } from "~/domain/decision-validation";
import { parseScheme } from "~/domain/scheme";
import { AppError } from "~/platform/app-error";
import type { Db, DocumentKind, DocumentRef, LoadedDocument } from "../../document-kind";
import { newRowId } from "~/platform/db/new-id.server";
import { requireRowMoved, roundSignatures, sealedRowColumns } from "../signing-row.server";
import type { ValidationContent } from "./validation-content";
import type { ValidationPdfInput } from "./validation-pdf";

export const VALIDATION_KIND = "validation";

type ValidationDocument = LoadedDocument & {
  sessionId: string;
  sessionKind: "JURY" | "COMMISSION";
  sessionStatus: "PLANNED" | "OPEN" | "CLOSED";
  cpneValidation: boolean;
  managers: string[];
  validatorId: string | null;
};

const candidateName = (c: { givenNames: string; usageName: string | null; birthName: string }) =>
  `${c.givenNames} ${c.usageName ?? c.birthName}`;

async function loadValidation(db: Db, ref: DocumentRef): Promise<ValidationDocument> {
  const sessionId = ref.documentId;
  if (ref.within !== undefined && ref.within !== sessionId) throw new AppError("NOT_FOUND", "Séance introuvable.");
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      organisationId: true,
      kind: true,
      status: true,
      validation: true,
      referentialVersion: { select: { certification: { select: { scheme: true } } } },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "Séance introuvable.");
  const managers = await db.membership.findMany({
    where: { organisationId: session.organisationId, role: { in: [...VALIDATOR_ROLES] } },
    select: { userId: true, user: { select: { displayName: true } } },
  });
  const scheme = session.referentialVersion ? parseScheme(session.referentialVersion.certification.scheme) : null;
  const row = session.validation;
  const validator = managers.find((m) => m.userId === row?.validatorId);
  return {
    ref,
    sessionId,
    sessionKind: session.kind,
    sessionStatus: session.status,
    cpneValidation: scheme?.jury.cpneValidation === true,
    managers: managers.map((m) => m.userId),
    validatorId: row?.validatorId ?? null,
    organisationId: session.organisationId,
    status: row?.status ?? "OPEN",
    round: row?.round ?? 0,
    sealedHash: row?.sealedHash ?? null,
    signers: validator ? [{ userId: validator.userId, displayName: validator.user.displayName, role: "VALIDATOR" }] : [],
  };
}

/** The decisions the CPNE validates, as they stand now (canonical JSON of this is what the validator signs). */
export async function validationContent(db: Db, sessionId: string): Promise<ValidationContent> {
  const session = await db.session.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true,
      title: true,
      startsAt: true,
      referentialVersion: { select: { certification: { select: { code: true, title: true } } } },
      juryDecisions: {
        orderBy: { decidedAt: "asc" },
        select: {
          id: true,
          overall: true,
          decidedAt: true,
          dossier: { select: { candidate: { select: { givenNames: true, usageName: true, birthName: true } } } },
          items: { orderBy: { code: "asc" }, select: { code: true, acquired: true } },
        },
      },
    },
  });
  return {
    session: { id: session.id, title: session.title, date: session.startsAt.toISOString().slice(0, 10) },
    certification: {
      code: session.referentialVersion?.certification.code ?? "",
      title: session.referentialVersion?.certification.title ?? "",
    },
    decisions: session.juryDecisions.map((d) => ({
      decisionId: d.id,
      candidate: candidateName(d.dossier.candidate),
      overall: d.overall,
      decidedAt: d.decidedAt.toISOString(),
      items: d.items.map((i) => ({ code: i.code, acquired: i.acquired })),
    })),
  };
}

const CHANGED_MEANWHILE = "La validation vient de changer d'état : réessayez.";

export const validationKind: DocumentKind<ValidationDocument> = {
  kind: VALIDATION_KIND,
  label: "la validation des décisions",
  messages: {
    alreadySigned: "Les décisions de ce jury sont déjà validées.",
    notOpenForSigning: "La validation n'est pas ouverte : recommencez.",
    signedByAll: "Les décisions de ce jury sont déjà validées.",
    cannotReopenSigned: "Les décisions sont validées : la validation ne peut plus être reprise.",
    notInSigning: "Aucune validation n'est en cours.",
    notSigner: "Une autre personne est en train de valider ces décisions.",
    changedMeanwhile: CHANGED_MEANWHILE,
  },
  audit: { subjectType: "SessionValidation", prefix: "validation" },

  load: loadValidation,
  async lock(tx, ref) {
    // Created on first use in SQL, ON CONFLICT DO NOTHING: Prisma's upsert reads, then inserts, so two first commands
    // at once (a double click, the president and the secretary) both inserted and the second failed on the unique
    // index (a 500). Now the second waits for the first's insert, then locks the row it created.
    await tx.$executeRaw`
      INSERT INTO "SessionValidation" ("id", "sessionId") SELECT ${newRowId()}, "id" FROM "Session" WHERE "id" = ${ref.documentId}
      ON CONFLICT ("sessionId") DO NOTHING`;
    await tx.$executeRaw`SELECT 1 FROM "SessionValidation" WHERE "sessionId" = ${ref.documentId} FOR UPDATE`;
    return loadValidation(tx, ref);
  },

  requireManager(document, actorId, action) {
    if (!document.managers.includes(actorId)) {
      throw new AppError("FORBIDDEN", "Seuls l'administration et le secrétariat de l'organisme valident les décisions pour la CPNE.");
    }
    if (action === "reopen") return;
    if (document.sessionKind !== "JURY") throw new AppError("CONFLICT", "Seules les décisions d'un jury se valident.");
    if (!document.cpneValidation) {
      throw new AppError("CONFLICT", "Les règles de cette certification rendent les décisions du jury définitives : aucune validation n'est requise.");
    }
    if (document.sessionStatus !== "CLOSED") {
      throw new AppError("CONFLICT", "La séance du jury n'est pas close : ses décisions ne peuvent pas encore être validées.");
    }
    if (document.validatorId !== actorId) throw new AppError("CONFLICT", "Une autre personne est en train de valider ces décisions : réessayez.");
  },

  async canonicalContent(tx, document) {
    return canonicalJson(await validationContent(tx, document.sessionId));
  },

  missing(_document, sealed) {
    const content = JSON.parse(sealed.canonical) as ValidationContent;
    return content.decisions.length === 0 ? ["Ce jury n'a rendu aucune décision."] : [];
  },

  async markSealed(tx, document, sealed) {
    const where = { sessionId: document.sessionId, status: "OPEN" as const, round: document.round };
    await requireRowMoved(tx.sessionValidation.updateMany({ where, data: sealedRowColumns(sealed) }), CHANGED_MEANWHILE);
  },

  async markCompleted(tx, document) {
    const where = { sessionId: document.sessionId, status: "SIGNING" as const, round: document.round };
    const data = { status: "SIGNED" as const, signedAt: new Date() };
    await requireRowMoved(tx.sessionValidation.updateMany({ where, data }), CHANGED_MEANWHILE);
    return { sessionId: document.sessionId, validatorId: document.validatorId };
  },

  async markReopened(tx, document) {
    const where = { sessionId: document.sessionId, status: "SIGNING" as const, round: document.round };
    const data = { status: "OPEN" as const, round: { increment: 1 }, sealedHash: null, sealedContent: undefined, sealedAt: null, validatorId: null };
    await requireRowMoved(tx.sessionValidation.updateMany({ where, data }), CHANGED_MEANWHILE);
  },

  // Only the secretariat's délivrance page shows it (reloaded after each command): nothing to broadcast.
  async publish(db, ref) {
    const document = await loadValidation(db, { documentId: ref.documentId });
    return { sessionId: document.sessionId, status: document.status, round: document.round };
  },

  pdf: {
    async fileName(_db, ref) {
      return `validation-cpne-${ref.documentId}.pdf`;
    },
    async input(db, ref, round): Promise<ValidationPdfInput> {
      const row = await db.sessionValidation.findUniqueOrThrow({ where: { sessionId: ref.documentId } });
      const session = await db.session.findUniqueOrThrow({
        where: { id: ref.documentId },
        select: { organisation: { select: { legalName: true } } },
      });
      const signatures = await roundSignatures(db, VALIDATION_KIND, ref.documentId, round);
      const users = await db.user.findMany({ where: { id: { in: signatures.map((s) => s.userId) } }, select: { id: true, displayName: true } });
      return {
        organisation: session.organisation.legalName,
        createdAt: row.signedAt ?? new Date(),
        content: row.sealedContent as unknown as ValidationContent,
        contentHash: row.sealedHash ?? "",
        signatures: signatures.map((s) => ({
          name: users.find((u) => u.id === s.userId)?.displayName ?? s.userId,
          role: "Pour la CPNE",
          signedAt: s.signedAt,
        })),
      };
    },
  },
};
