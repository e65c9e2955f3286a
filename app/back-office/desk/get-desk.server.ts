/**
 * The secretariat's desk, as the dashboard shows it: the to-dos, the figures of the period, the certifications of the
 * figures' filter. The organisation's jury decisions are read once for all of them, narrowed to what they can show
 * (narrowJuryDecisions): the desk costs what is pending and recent, not the organisation's whole history.
 */
import { narrowJuryDecisions } from "~/archive/list-decisions.server";
import { listCertifications } from "~/back-office/certifications/list-certifications.server";
import { getDeskTodos } from "./get-desk-todos.server";
import { getFigures, type FigureFilter } from "./get-figures.server";

export async function getDesk(organisationId: string, filter: FigureFilter, now = new Date()) {
  narrowJuryDecisions(organisationId, { figures: filter, recordsToIssue: true, holdersToDeclare: true, partialsOn: now, appealed: true });
  const [todos, figures, certifications] = await Promise.all([
    getDeskTodos(organisationId, now),
    getFigures(organisationId, filter),
    listCertifications(organisationId),
  ]);
  return { todos, figures, certifications };
}
