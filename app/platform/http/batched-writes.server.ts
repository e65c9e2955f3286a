/**
 * A page leaves React in 2 KB chunks, each written to the socket as it comes: twenty system calls for a 40 KB room.
 * Writes made in one turn of the event loop are held (`cork`) and sent together at the next (`uncork`): one system
 * call per turn, with the same streaming when a page waits for data between chunks (decision 0014).
 */
import type { ServerResponse } from "node:http";

export function batchResponseWrites(res: ServerResponse): void {
  const write = res.write;
  let held = false;
  res.write = function batchedWrite(this: ServerResponse, ...args: Parameters<ServerResponse["write"]>) {
    if (!held && !this.writableEnded) {
      held = true;
      this.cork();
      setImmediate(() => {
        held = false;
        // end() sends what is held itself; the socket may already carry the next response of a kept-alive connection.
        if (!this.writableEnded) this.uncork();
      });
    }
    return write.apply(this, args);
  } as ServerResponse["write"];
}
