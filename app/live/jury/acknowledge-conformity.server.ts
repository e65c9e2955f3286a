/**
 * Use case: the president confirms the conformity checklist of a candidate, with a remark per non-conformity. The same
 * acknowledgement again (a double click, a retry) changes nothing: no second audit event, no broadcast; new remarks, or
 * a checklist changed since (a grid signed meanwhile), are recorded.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { acknowledgementErrors } from "~/domain/conformity";
import { canonicalJson } from "~/domain/canonical";
import { candidateFacts } from "./candidate-facts.server";
import { broadcast, presideOnCandidate, requireUndecided, type JuryCommand } from "./jury-context.server";

export async function acknowledgeConformity(
  input: JuryCommand & { agendaItemId: string; remarks: Record<string, string | null | undefined> },
) {
  const changed = await prisma.$transaction(async (tx) => {
    const { ctx, item } = await presideOnCandidate(tx, input);
    requireUndecided(item);
    const { conformity } = await candidateFacts(tx, ctx, item);
    const errors = acknowledgementErrors(conformity, input.remarks);
    if (errors) {
      throw new AppError("INVALID", "Chaque non-conformité doit recevoir une remarque du jury.", {
        fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]])),
      });
    }
    const remarks = Object.fromEntries(
      conformity.nonConformities.map((i) => [i.key, (input.remarks[i.key] ?? "").trim()]),
    );
    // As stored (a JSON column): the same remarks on the same checklist are the acknowledgement already recorded.
    const asStored = (value: unknown) => canonicalJson(JSON.parse(JSON.stringify(value ?? null)) as unknown);
    if (item.conformityAckAt && asStored(item.conformityRemarks) === asStored(remarks) && asStored(item.conformitySnapshot) === asStored(conformity.items)) {
      return false;
    }
    await tx.juryAgendaItem.update({
      where: { id: item.id },
      data: {
        conformityAckAt: new Date(),
        conformityAckById: input.actorId,
        conformityRemarks: remarks as Prisma.InputJsonValue,
        conformitySnapshot: conformity.items as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.conformity_acknowledged",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, conform: conformity.conform, remarks },
      ...input.meta,
    });
    return true;
  });
  if (changed) await broadcast(prisma, input, { type: "conformity", agendaItemId: input.agendaItemId });
  return { changed };
}
