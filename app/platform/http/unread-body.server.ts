/**
 * A request answered before its body was read — a guard's redirect to the sign-in page or its 403 before the form is
 * parsed, a refusal of the intent — has what is left of its body read and dropped once the answer is sent, as Node
 * does by itself for a body nobody started to read. Without this the connection stops there once the unread bytes fill
 * the socket's buffers: the client (a browser uploading a 6 MB piece after its session expired) is still sending a body
 * that nobody reads, never gets to the answer, and the next request on that connection is never read. The front door
 * bounds what may be dropped (its body limits, checked before any route; MAX_DROPPED_BODY for a body over them).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyRefusal } from "./front-door";

const refusedBodies = new WeakMap<IncomingMessage, BodyRefusal>();

/**
 * A form over its page's limit (front-door.ts) that a browser may have sent: instead of an answer in plain text on a
 * connection closed under the browser's upload (it showed « Une erreur inattendue est survenue », or a reset
 * connection), the request goes on to its page, whose action is refused with this message (transient-refusals), and
 * the body is read and dropped after the answer like any unread one.
 */
export function refuseBodyInPage(req: IncomingMessage, refusal: BodyRefusal): void {
  refusedBodies.set(req, refusal);
}

/** The refusal the front door left for the page to answer (null for a request it let through). */
export function bodyRefusalOf(req: IncomingMessage): { status: number; message: string } | null {
  const refusal = refusedBodies.get(req);
  return refusal ? { status: refusal.status, message: refusal.message } : null;
}

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
