/** The threads of this test process as the kernel sees them (Linux /proc), for tests of thread priorities. */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The nice value of each thread of this process (Linux: /proc/<pid>/task/<tid>/stat, field 19). */
export function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
      nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return nices;
}

/** The calling thread's kernel id. */
export const ownThreadId = () => Number(readlinkSync("/proc/thread-self").split("/").pop());
