/**
 * The benchmark's reference: Hocuspocus 4 (`@hocuspocus/server`) in memory, no extensions, no hooks — its
 * defaults otherwise. Run as a child process by tests/bench/realtime.ts:
 * `node --import tsx tests/bench/hocuspocus-server.ts` with PORT (0 = any); prints
 * `hocuspocus listening on <port>`; stops on SIGTERM.
 */
import { Server } from "@hocuspocus/server";

const server = new Server({ port: Number(process.env.PORT ?? 0), address: "127.0.0.1", quiet: true, stopOnSignals: false });
await server.listen();
console.log(`hocuspocus listening on ${server.address.port}`);
process.on("SIGTERM", () => {
  void server.destroy().then(() => process.exit(0));
});
