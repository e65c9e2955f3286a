/**
 * Stall diagnostics for a benchmarked server: load it with
 *   BENCH_SERVER_NODE_OPTIONS="--import=./tests/bench/stalls.mjs" npm run bench:realtime -- --targets=quorum
 * Every second it appends to bench-results/stalls/<pid>.log the main thread's worst event-loop delay and its GC
 * pauses over 5 ms (kind, duration), so a tail-latency second can be matched with its cause.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

if (isMainThread) {
  const dir = path.resolve("bench-results", "stalls");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}.log`);
  const kinds = { 1: "scavenge", 2: "mark-compact", 4: "incremental", 8: "weak-cb", 16: "minor-mc" };
  let gcs = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= 5) gcs.push(`${kinds[entry.detail?.kind] ?? entry.detail?.kind}:${entry.duration.toFixed(1)}`);
    }
  }).observe({ entryTypes: ["gc"] });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = Date.now();
  setInterval(() => {
    const max = loop.max / 1e6;
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
    const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
    appendFileSync(file, `${new Date().toISOString()} ${((Date.now() - start) / 1000).toFixed(0)}s loop-max ${max.toFixed(1)} ms rss ${rss} heap ${heap} gc ${gcs.join(" ")}\n`);
    gcs = [];
    loop.reset();
  }, 1000).unref();
}
