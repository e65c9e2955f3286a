/** Use case: a seated member leaves (or the president / secretary records their departure). */
export { recordDeparture } from "./attendance.server";
