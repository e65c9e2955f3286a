/**
 * Read model of a jury session's « Délivrance » page: whether its decisions are final (jury closed, CPNE validation
 * when the scheme asks for it), the validation's state, each decision with its candidate, its records and whether
 * the candidate was notified (when, the letter's progress, and whether the e-mail went out or why not), and where its
 * fiche de décision stands (a document is issued only once it is signed: docs/decisions/0019).
 */
import { APPEAL_STATUS_LABELS, appealDeadline, frenchDay, parisDay } from "~/domain/appeal";
import { parseScheme } from "~/domain/scheme";
import { AppError } from "~/platform/app-error";
import { renderFailureOf } from "~/signing/render-failure.server";
import { prisma } from "~/platform/db/db.server";
import { smtpUrl } from "~/platform/mail/deliver-emails.server";
import { finalityOf } from "./decisions-finality.server";
import { letterAddressState } from "~/domain/decision-notice";
import { NOTICE_KIND, noticeLetterOf } from "./notice-kind.server";
import { recordViews } from "./record-views.server";

export async function getSessionDelivery(organisationId: string, sessionId: string) {
  const session = await prisma.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      organisationId: true,
      kind: true,
      title: true,
      startsAt: true,
      status: true,
      place: true,
      validation: true,
      referentialVersion: { select: { certification: { select: { code: true, title: true, scheme: true } } } },
      juryDecisions: {
        orderBy: { decidedAt: "asc" },
        select: {
          id: true,
          overall: true,
          decidedAt: true,
          items: { orderBy: { code: "asc" }, select: { code: true, acquired: true, target: true } },
          dossierId: true,
          sheet: { select: { status: true } },
          // Its letters: the notification's, then the re-issued ones (./reissue-decision-notice.server.ts), joined
          // in this statement.
          noticeLetters: { orderBy: { sequence: "asc" } },
          dossier: { select: { candidate: { select: { id: true, givenNames: true, usageName: true, birthName: true, email: true, postalAddress: true } } } },
        },
      },
    },
  });
  if (!session || session.organisationId !== organisationId || session.kind !== "JURY") throw new AppError("NOT_FOUND", "Séance introuvable.");
  const finality = await finalityOf(prisma, sessionId);
  const decisionIds = session.juryDecisions.map((d) => d.id);
  const any = decisionIds.length > 0;
  const letters = session.juryDecisions.flatMap((d) => d.noticeLetters);
  // The letters' documents: the notification's has the decision's id, a re-issued one its own.
  const letterDocuments = [...decisionIds, ...letters.filter((l) => l.sequence > 0).map((l) => l.documentId)];
  const [records, letterJobRows, letterPdfRows, sent, appeals] = await Promise.all([
    any ? recordViews({ organisationId, decisionId: { in: decisionIds } }) : [],
    any ? prisma.renderJob.findMany({ where: { documentKind: NOTICE_KIND, documentId: { in: letterDocuments } } }) : [],
    // The letters' PDFs and the CPNE validation's, in one statement.
    prisma.signedDocument.findMany({
      where: { OR: [{ kind: "validation", documentId: sessionId }, ...(any ? [{ kind: NOTICE_KIND, documentId: { in: letterDocuments } }] : [])] },
      select: { kind: true, documentId: true },
    }),
    // Each notice's e-mail (its id is in the notice's audit event): sent, waiting for SMTP, or failed with why.
    any
      ? prisma.auditEvent.findMany({
          where: { action: "delivery.notice.sent", subjectType: "JuryDecision", subjectId: { in: decisionIds } },
          select: { subjectId: true, data: true },
        })
      : [],
    // Appeals against these decisions: the notice line says one was received, and where it stands.
    any
      ? prisma.appeal.findMany({
          where: { organisationId, decisionId: { in: decisionIds } },
          orderBy: { receivedAt: "asc" },
          select: { decisionId: true, receivedAt: true, status: true },
        })
      : [],
  ]);
  const letterJobs = new Map(letterJobRows.map((j) => [j.documentId, j]));
  const letterPdfs = new Set(letterPdfRows.filter((p) => p.kind === NOTICE_KIND).map((p) => p.documentId));
  const validationPdf = letterPdfRows.some((p) => p.kind === "validation");
  const certification = session.referentialVersion?.certification ?? null;
  const juryRules = certification ? parseScheme(certification.scheme).jury : null;
  const today = parisDay(new Date());
  const emailOf = new Map(sent.map((e) => [e.subjectId, (e.data as { emailId?: string | null }).emailId ?? null]));
  const emailIds = [...emailOf.values()].filter((id): id is string => id !== null);
  const emails = emailIds.length
    ? await prisma.outboxEmail.findMany({ where: { organisationId, id: { in: emailIds } }, select: { id: true, sentAt: true, error: true } })
    : [];
  const smtp = smtpUrl() !== null;
  const emailView = (decisionId: string) => {
    const email = emails.find((e) => e.id === emailOf.get(decisionId));
    if (!email) return null;
    const state = email.sentAt ? "sent" : email.error ? "failed" : smtp ? "pending" : "held";
    return { id: email.id, state, sentAt: email.sentAt?.toISOString() ?? null, error: email.error };
  };
  const validator = session.validation?.validatorId
    ? await prisma.user.findUnique({ where: { id: session.validation.validatorId }, select: { displayName: true } })
    : null;
  return {
    session: {
      id: session.id,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      status: session.status,
      place: session.place,
      certification: certification ? { code: certification.code, title: certification.title } : null,
    },
    finality,
    validation: session.validation
      ? {
          status: session.validation.status,
          signedAt: session.validation.signedAt?.toISOString() ?? null,
          validator: validator?.displayName ?? null,
          returnedAt: session.validation.returnedAt?.toISOString() ?? null,
          returnReason: session.validation.returnReason,
          pdfReady: validationPdf,
        }
      : null,
    decisions: session.juryDecisions.map((d) => {
      // The notification's job (its creation is the notification's date).
      const notice = letterJobs.get(d.id);
      const own = d.noticeLetters;
      // The letter to post: the latest, the others superseded by it (kept, downloadable).
      const current = own.find((l) => !l.supersededAt) ?? null;
      const currentDocument = current?.documentId ?? d.id;
      const currentJob = letterJobs.get(currentDocument);
      // Whether it prints the address the candidate's file gives now (a letter queued by an earlier version, without
      // its row, prints the file's).
      const address = current ? letterAddressState(current, d.dossier.candidate.postalAddress) : { state: "current" as const, reissuable: false };
      // The appeal deadline the notice gave: the scheme's days from the notification (app/domain/appeal.ts).
      const deadline = notice && juryRules?.appealsAllowed ? appealDeadline(juryRules, notice.createdAt) : null;
      return {
        id: d.id,
        overall: d.overall,
        decidedAt: d.decidedAt.toISOString(),
        candidate: {
          id: d.dossier.candidate.id,
          name: `${d.dossier.candidate.givenNames} ${d.dossier.candidate.usageName ?? d.dossier.candidate.birthName}`,
          email: d.dossier.candidate.email,
          /** Without an e-mail, the letter is posted: to this address (null: none registered). */
          postalAddress: d.dossier.candidate.postalAddress,
        },
        acquired: d.items.filter((i) => i.acquired).map((i) => i.code),
        notAcquired: d.items.filter((i) => !i.acquired).map((i) => i.code),
        dossierId: d.dossierId,
        sheetStatus: d.sheet?.status ?? "OPEN",
        records: records.filter((r) => r.decisionId === d.id),
        appeals: appeals
          .filter((a) => a.decisionId === d.id)
          .map((a) => ({ receivedAt: a.receivedAt.toISOString(), status: a.status, label: APPEAL_STATUS_LABELS[a.status] })),
        notice: notice
          ? {
              notifiedAt: notice.createdAt.toISOString(),
              /** The current letter's document (the decision's id for the notification's letter). */
              documentId: currentDocument,
              pdfReady: letterPdfs.has(currentDocument),
              failed: currentJob?.status === "FAILED",
              attempts: currentJob?.attempts ?? 0,
              letter: {
                sequence: current?.sequence ?? 0,
                writtenAt: (current?.createdAt ?? notice.createdAt).toISOString(),
                reissueReason: current?.reason ?? null,
                addressState: address.state,
                reissuable: address.reissuable,
                /** Its public verification code, printed on it (null for a letter sealed before letters had one). */
                verificationCode: current?.verificationCode ?? null,
              },
              superseded: own
                .filter((l) => l.supersededAt)
                .reverse()
                .map((l) => ({
                  documentId: l.documentId,
                  writtenAt: l.createdAt.toISOString(),
                  supersededAt: l.supersededAt!.toISOString(),
                  pdfReady: letterPdfs.has(l.documentId),
                })),
              email: emailView(d.id),
              appeal: !juryRules?.appealsAllowed
                ? ({ state: "none" } as const)
                : deadline === null
                  ? ({ state: "undated" } as const)
                  : ({ state: deadline >= today ? "open" : "closed", deadline: frenchDay(deadline) } as const),
            }
          : null,
      };
    }),
  };
}

/** A stored delivery PDF (record, notice, validation) of the organisation, for download. */
export async function getDeliveryPdf(organisationId: string, kind: string, documentId: string) {
  const document = await prisma.signedDocument.findUnique({ where: { kind_documentId: { kind, documentId } } });
  if (!document) return null;
  return (await ownerOf(kind, documentId)) === organisationId ? document : null;
}

/** A delivery document of the organisation whose PDF the render runner gave up on (null otherwise). */
export async function deliveryRenderFailure(organisationId: string, kind: string, documentId: string) {
  const failure = await renderFailureOf(kind, documentId);
  return failure && (await ownerOf(kind, documentId)) === organisationId ? failure : null;
}

async function ownerOf(kind: string, documentId: string): Promise<string | null | undefined> {
  return kind === "parchemin" || kind === "attestation"
    ? (await prisma.deliveryRecord.findUnique({ where: { id: documentId }, select: { organisationId: true } }))?.organisationId
    : kind === "notice"
      ? await noticeOwner(documentId)
      : kind === "validation"
        ? (await prisma.session.findUnique({ where: { id: documentId }, select: { organisationId: true } }))?.organisationId
        : null;
}

/** The organisation of a notice letter (the notification's, its id the decision's, or a re-issued one). */
async function noticeOwner(documentId: string): Promise<string | undefined> {
  const found = await noticeLetterOf(prisma, documentId);
  if (!found) return undefined;
  return (await prisma.juryDecision.findUnique({ where: { id: found.decisionId }, select: { dossier: { select: { organisationId: true } } } }))?.dossier.organisationId;
}

/** A record's credential (Open Badges JSON) for the secretariat. */
export async function getRecordCredential(organisationId: string, recordId: string) {
  const record = await prisma.deliveryRecord.findUnique({ where: { id: recordId }, select: { organisationId: true, number: true, credential: true } });
  if (!record || record.organisationId !== organisationId || !record.credential) return null;
  return { number: record.number, credential: record.credential };
}
