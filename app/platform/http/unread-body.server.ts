/**
 * A request answered before its body was read — a guard's redirect to the sign-in page or its 403 before the form is
 * parsed, a refusal of the intent — has what is left of its body read and dropped once the answer is sent, as Node
 * does by itself for a body nobody started to read. Without this the connection stops there once the unread bytes fill
 * the socket's buffers: the client (a browser uploading a 6 MB piece after its session expired) is still sending a body
 * that nobody reads, never gets to the answer, and the next request on that connection is never read. The front door
 * bounds what may be dropped (its body limits, checked before any route).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export function dropUnreadBody(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.method === "POST") {
    res.once("finish", () => {
      if (req.complete || req.destroyed) return;
      // Remix's body stream paused the request when nobody pulled from it: its listener goes, the rest is discarded.
      req.removeAllListeners("data");
      req.resume();
    });
  }
  next();
}
