// Makes sure Debian's Chromium (used by Playwright through launchOptions.executablePath) is installed.
// Never `npx playwright install`: the Playwright CDN is unreachable here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";

if (!existsSync(CHROMIUM)) {
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    console.log(`[e2e] ${CHROMIUM} missing: installing Debian's chromium with apt-get`);
    const result = spawnSync("sh", ["-c", "apt-get update && apt-get install -y chromium"], { stdio: "inherit" });
    if (result.status !== 0 || !existsSync(CHROMIUM)) {
      console.error(`[e2e] apt-get did not install ${CHROMIUM} (exit status ${result.status})`);
      process.exit(1);
    }
  } else {
    console.error(`[e2e] ${CHROMIUM} is missing: install it with \`sudo apt-get install -y chromium\``);
    process.exit(1);
  }
}
