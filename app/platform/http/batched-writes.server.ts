/**
 * Node's HTTP server already sends the writes of one tick together; a Remix page still left in 4–5 socket writes
 * (React's chunks reach the response over several ticks of one turn). Writes made in one turn of the event loop are
 * held (`cork`) and sent together at the next (`uncork`): 2–3 socket writes for the live room (counted on 50
 * requests), with the same streaming when a page waits for data between chunks (decision 0014).
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
