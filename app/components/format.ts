/** Formatting for pages: the pure functions live in app/domain (one definition for pages, e-mails and PDFs). */
export { COLLEGE_LABELS, countOf, formatDateTime, formatDayTime, formatTime, frenchTime, SESSION_KIND_LABELS } from "~/domain/format";
export { candidateName } from "~/domain/identity";
