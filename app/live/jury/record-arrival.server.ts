/** Use case: a seated member arrives (or the presiding member / the organisation's secretariat records their arrival). */
export { recordArrival } from "./attendance.server";
