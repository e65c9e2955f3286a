/**
 * CPU profiler for a benchmarked server (`--cpu-prof` is refused in NODE_OPTIONS): load it with
 *   BENCH_SERVER_NODE_OPTIONS="--import=./tests/bench/cpu-profile.mjs" npm run bench:realtime -- --targets=quorum
 * It profiles the whole process through node:inspector and writes bench-results/prof/<pid>.cpuprofile at exit
 * (open it in Chrome DevTools, or summarise it with `node tests/bench/cpu-profile.mjs <file>`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import { threadId } from "node:worker_threads";

const summarise = process.argv[1]?.endsWith("cpu-profile.mjs") && process.argv[2];

if (summarise) {
  // Self time per function, top 40.
  const profile = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
  for (const id of profile.samples) {
    const { callFrame } = byId.get(id);
    const key = `${callFrame.functionName || "(anonymous)"} ${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + interval);
  }
  const total = profile.samples.length * interval;
  console.log(`total ${total.toFixed(0)} ms sampled`);
  // Self time per package (node_modules/<name>) or file of ours.
  const byPackage = new Map();
  for (const id of profile.samples) {
    const { callFrame } = byId.get(id);
    const url = callFrame.url || "";
    const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m ? m[1] : url ? (url.startsWith("node:") || !url.includes("/") ? "node internals" : path.relative(process.cwd(), url.replace("file://", ""))) : callFrame.functionName || "(native)";
    byPackage.set(key, (byPackage.get(key) ?? 0) + interval);
  }
  for (const [key, ms] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  [${key}]`);
  }
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
} else {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  // BENCH_PROFILE_ON_SIGNAL=1: start on SIGUSR2 (after a warm-up), so start-up does not fill the profile.
  if (process.env.BENCH_PROFILE_ON_SIGNAL === "1") process.once("SIGUSR2", () => session.post("Profiler.start"));
  else session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      const dir = path.resolve("bench-results", "prof");
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${process.pid}${threadId ? `-t${threadId}` : ""}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
