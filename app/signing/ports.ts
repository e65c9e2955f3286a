/** What the signing use cases reach outside the database: the realtime side (seal, broadcast) and the render runner. */
import type { RealtimePort } from "~/live/realtime-port";

/** The render runner (./render-jobs.server.ts): told that a job was committed, so it need not wait for its next poll. */
export type RenderQueuePort = { kick(): void };

export type SigningPorts = { realtime: RealtimePort; renderQueue?: RenderQueuePort };

/** The request's address and agent, for the audit (never printed on the documents). */
export type AuditMeta = { ip: string | null; userAgent: string | null };
