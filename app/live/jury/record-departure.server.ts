/** Use case: a seated member leaves (or the presiding member / the organisation's secretariat records their departure). */
export { recordDeparture } from "./attendance.server";
