/**
 * Imports the Caisse des Dépôts' processing acknowledgement: accepted and rejected passages flip (an accepted one
 * never goes back), rejected ones keep the message and will be resent with the same idTechnique. An acknowledgement
 * of an earlier file (its idFlux is not the passage's last file) changes nothing for that passage: it is reported stale. One transaction
 * with its audit event; an unreadable file is refused with a French message.
 */
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { AcknowledgementFormatError, parseAcknowledgement, type Acknowledgement } from "./acknowledgement";
import { applyAcknowledgement, type PassageState } from "./declaration-status";
import { lockDeclarations } from "./export-declaration.server";

/** Unknown passages named in the audit event (all are counted). */
const UNKNOWN_AUDITED = 100;

export async function importAcknowledgement(actor: Actor, xml: string) {
  let acknowledgement: Acknowledgement;
  try {
    acknowledgement = parseAcknowledgement(xml);
  } catch (error) {
    if (error instanceof AcknowledgementFormatError) throw AppError.field("file", error.message);
    throw error;
  }
  return prisma.$transaction(async (tx) => {
    // Read under the lock a file's generation takes: an accepted passage is never turned back by a file in flight.
    await lockDeclarations(tx, actor.organisationId);
    // The passages the file names, not the organisation's years of them: one array parameter (a list of 5,000
    // parameters per statement took ~0.2 s each through Prisma; a large organisation's file names tens of thousands).
    const named = [...new Set(acknowledgement.passages.map((p) => p.idTechnique))];
    const rows = await tx.$queryRaw<Array<{ idTechnique: string; status: string; idFlux: string | null; message: string | null }>>`
      SELECT "idTechnique", "status", "idFlux", "message" FROM "CdcPassage"
      WHERE "organisationId" = ${actor.organisationId} AND "idTechnique" = ANY(${named}::text[])`;
    const { changed, unknown, stale } = applyAcknowledgement(
      rows.map((r) => ({ idTechnique: r.idTechnique, state: r.status as PassageState, idFlux: r.idFlux, message: r.message })),
      acknowledgement,
    );
    // One statement per outcome and message (all the accepted ones together), not one per passage: a large
    // organisation's acknowledgement names thousands.
    const byOutcome = new Map<string, { state: (typeof changed)[number]["state"]; message: string | null; ids: string[] }>();
    for (const record of changed) {
      const key = `${record.state}\u0000${record.message ?? ""}\u0000${record.message === null ? 0 : 1}`;
      const group = byOutcome.get(key) ?? { state: record.state, message: record.message, ids: [] };
      group.ids.push(record.idTechnique);
      byOutcome.set(key, group);
    }
    const now = new Date();
    for (const { state, message, ids } of byOutcome.values()) {
      await tx.$executeRaw`
        UPDATE "CdcPassage" SET "status" = ${state}, "message" = ${message}, "updatedAt" = ${now}
        WHERE "organisationId" = ${actor.organisationId} AND "idTechnique" = ANY(${ids}::text[])`;
    }
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "cdc.acknowledgement_imported",
      subjectType: "Organisation",
      subjectId: actor.organisationId,
      data: {
        idFlux: acknowledgement.idFlux,
        idTraitement: acknowledgement.idTraitement,
        changed: changed.map((c) => ({ idTechnique: c.idTechnique, state: c.state })),
        // Unknown passages change nothing: their count and the first ones (a file of another organisation names
        // thousands, whose list would make this event megabytes long, hashed into the chain on the event loop).
        unknownCount: unknown.length,
        unknown: unknown.slice(0, UNKNOWN_AUDITED),
        // Passages answered for an earlier file than their last one: left as they are.
        staleCount: stale.length,
        stale: stale.slice(0, UNKNOWN_AUDITED),
      },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return {
      accepted: changed.filter((c) => c.state === "accepted").length,
      rejected: changed.filter((c) => c.state === "rejected").length,
      unknown,
      stale,
    };
  });
}
