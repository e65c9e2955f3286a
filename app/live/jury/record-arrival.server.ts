/** Use case: a seated member arrives (or the president / secretary records their arrival). */
export { recordArrival } from "./attendance.server";
