/**
 * Memory probe for a benchmarked server (diagnostic): load it in every thread with
 *   NODE_OPTIONS="--import=./tests/bench/memory-probe.mjs"
 * On SIGUSR2 the main thread asks every thread that loaded it (the main one, PGlite's, the PDF renderer's…) for its
 * V8 heap figures over a BroadcastChannel, reads /proc/self/smaps (WebAssembly memories are the anonymous mappings
 * of more than 4 GiB of address space: V8 reserves 8 GiB + guard for each) and writes
 * bench-results/mem/<pid>.json. `tests/bench/memory.ts` drives it.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { BroadcastChannel, isMainThread, threadId, workerData } from "node:worker_threads";

const channel = new BroadcastChannel("quorum-memory-probe");
const MiB = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Which worker: PGlite's gets `{ dir }` as workerData; the others are told apart by what they loaded. */
function workerName() {
  if (workerData && typeof workerData === "object" && "dir" in workerData) return "pglite";
  const keys = workerData && typeof workerData === "object" ? Object.keys(workerData).join("+") : String(workerData);
  return `worker(${keys}; ${process.argv.slice(1).join(" ")}; ${process.execArgv.join(" ")})`;
}

/** MEMORY_PROBE_GC=1: collect garbage before reading the figures, so that the heap is what is still reachable. */
const collect = process.env.MEMORY_PROBE_GC === "1" ? (v8.setFlagsFromString("--expose-gc"), vm.runInNewContext("gc")) : null;

function threadFigures() {
  collect?.();
  const heap = v8.getHeapStatistics();
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, MiB(s.space_size)]));
  return {
    threadId,
    name: isMainThread ? "main" : workerName(),
    heapTotalMiB: MiB(usage.heapTotal),
    heapUsedMiB: MiB(usage.heapUsed),
    externalMiB: MiB(usage.external),
    arrayBuffersMiB: MiB(usage.arrayBuffers),
    mallocedMiB: MiB(heap.malloced_memory),
    peakMallocedMiB: MiB(heap.peak_malloced_memory),
    codeAndMetadataMiB: MiB(v8.getHeapCodeStatistics().code_and_metadata_size),
    spaces,
  };
}

function smaps() {
  const text = readFileSync("/proc/self/smaps", "utf8");
  const wasm = [];
  const byFile = new Map();
  const mappings = [];
  let current = null;
  for (const line of text.split("\n")) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      current = { start: parseInt(header[1], 16), end: parseInt(header[2], 16), perms: header[3], file: header[4] || "[anon]", rss: 0 };
      mappings.push(current);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) {
      current.rss = Number(rss[1]) * 1024;
      const key = current.file.startsWith("/") ? path.basename(current.file) : current.file;
      byFile.set(key, (byFile.get(key) ?? 0) + current.rss);
    }
  }
  // A WebAssembly memory: V8 reserves 8 GiB + guard pages (PROT_NONE) and makes its pages in use read-write, which
  // splits the reservation in two mappings: the read-write part, then the rest of the reservation.
  for (let i = 1; i < mappings.length; i++) {
    const m = mappings[i];
    const before = mappings[i - 1];
    if (m.file === "[anon]" && m.perms.startsWith("---") && m.end - m.start > 4 * 1024 ** 3) {
      const used = before.file === "[anon]" && before.perms.startsWith("rw") && before.end === m.start ? before : null;
      wasm.push(used ? MiB(used.rss) : 0);
    }
  }
  const rollup = Object.fromEntries(
    readFileSync("/proc/self/smaps_rollup", "utf8")
      .split("\n")
      .map((l) => /^(\w+):\s+(\d+) kB/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], MiB(Number(m[2]) * 1024)]),
  );
  const files = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([file, rss]) => ({ file, rssMiB: MiB(rss) }));
  return { rollup, wasmMemoriesMiB: wasm.sort((a, b) => b - a), topMappings: files };
}

if (isMainThread) {
  channel.unref();
  process.on("SIGUSR2", () => {
    const replies = [threadFigures()];
    const listener = (event) => replies.push(event.data);
    channel.onmessage = listener;
    channel.postMessage({ ask: true });
    setTimeout(() => {
      channel.onmessage = null;
      channel.unref();
      const threads = readdirSync("/proc/self/task").map((tid) => readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim());
      const report = { at: new Date().toISOString(), rssMiB: MiB(process.memoryUsage().rss), threads, isolates: replies, ...smaps() };
      const dir = path.resolve("bench-results", "mem");
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(report, null, 2));
      // MEMORY_PROBE_SNAPSHOT=1: the main thread's heap as well, for Chrome DevTools.
      if (process.env.MEMORY_PROBE_SNAPSHOT === "1") v8.writeHeapSnapshot(path.join(dir, `${process.pid}-${Date.now()}.heapsnapshot`));
    }, 500).unref();
  });
} else {
  channel.onmessage = (event) => {
    if (event.data?.ask) channel.postMessage(threadFigures());
  };
  channel.unref();
}
