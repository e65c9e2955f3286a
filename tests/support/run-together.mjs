#!/usr/bin/env node
/**
 * Runs npm scripts at the same time and fails if any fails: `node tests/support/run-together.mjs typecheck lint build`.
 *
 * `npm test` starts with three checks that each use one core (tsc, ESLint, the Vite build): one after the other they
 * took ~2.6 minutes of a two-core machine's run, at the same time ~1.3. Each script's output is printed as one block
 * when it ends (never interleaved), with how long it took; the exit code is the first failing script's, or 0.
 */
import { spawn } from "node:child_process";

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error("usage: node tests/support/run-together.mjs <npm script> [<npm script>…]");
  process.exit(2);
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const started = Date.now();
const results = await Promise.all(
  scripts.map(
    (script) =>
      new Promise((resolve) => {
        const child = spawn(npm, ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", (error) => (output += `${error.stack ?? error}\n`));
        child.on("close", (code, signal) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          const status = code === 0 ? "ok" : `FAILED (${signal ?? `exit ${code}`})`;
          process.stdout.write(`\n── npm run ${script}: ${status} after ${seconds} s ──\n${output}`);
          resolve(code ?? 1);
        });
      }),
  ),
);
const failed = results.find((code) => code !== 0);
process.exit(failed ?? 0);
