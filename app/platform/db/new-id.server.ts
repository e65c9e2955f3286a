/**
 * A row id for the few INSERTs written in SQL (Prisma fills `@default(cuid())` itself, but only for its own
 * queries): the same shape as Prisma's cuid — 25 lowercase letters and digits starting with « c », time first, so
 * ids still sort roughly by creation — from the process's counter and 64 random bits.
 */
import { randomBytes } from "node:crypto";

let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, "0").slice(-12);
  return `c${time}${count}${random}`;
}
