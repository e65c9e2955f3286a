/**
 * The secretariat's desk, as the dashboard shows it: the to-dos, the figures of the period, the certifications of the
 * figures' filter. The organisation's jury decisions are read once for all of them, narrowed to what they can show
 * (narrowJuryDecisions): the desk costs what is pending and recent, not the organisation's whole history. The
 * habilitations and the period's registrations are read with the organisation's certifications (readWithCertifications).
 */
import { narrowJuryDecisions } from "~/archive/list-decisions.server";
import { listCertifications, readWithCertifications } from "~/back-office/certifications/list-certifications.server";
import { minuteOf, noticeHorizon } from "./list-desk-items.server";
import { getDeskTodos } from "./get-desk-todos.server";
import { getFigures, type FigureFilter } from "./get-figures.server";
import { coalescedRead } from "~/platform/http/coalesced-read.server";

export function getDesk(organisationId: string, filter: FigureFilter): ReturnType<typeof readDesk> {
  // One read for the secretariat's desks asked at the same time (coalescedRead: never one started before the request).
  const key = `desk:${organisationId}:${filter.certificationId ?? ""}:${filter.from.toISOString()}:${filter.to.toISOString()}`;
  return coalescedRead(key, () => readDesk(organisationId, { certificationId: filter.certificationId, from: filter.from, to: filter.to }));
}

async function readDesk(organisationId: string, filter: FigureFilter, now = new Date()) {
  // The habilitations to renew and the figures' registrations come with the certifications (one statement less each).
  readWithCertifications(organisationId, { habilitationsValidFrom: minuteOf(now), dossiersCreated: { from: filter.from, to: filter.to } });
  narrowJuryDecisions(organisationId, { figures: filter, recordsToIssue: true, holdersToDeclare: true, partialsOn: now, appealed: true, toNotifySince: noticeHorizon(now) });
  const [todos, figures, certifications] = await Promise.all([
    getDeskTodos(organisationId, now),
    getFigures(organisationId, filter),
    listCertifications(organisationId),
  ]);
  return { todos, figures, certifications };
}
