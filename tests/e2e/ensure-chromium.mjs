// Makes sure Debian's Chromium (used by Playwright through launchOptions.executablePath) and Poppler's tools (the
// sealed PDFs are checked with pdftotext, pdfsig, pdfdetach and pdfinfo) are installed.
// Never `npx playwright install`: the Playwright CDN is unreachable here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const NEEDED = [
  { file: "/usr/bin/chromium", pkg: "chromium" },
  { file: "/usr/bin/pdfsig", pkg: "poppler-utils" },
];

const missing = NEEDED.filter((n) => !existsSync(n.file));
if (missing.length > 0) {
  const packages = missing.map((m) => m.pkg).join(" ");
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    console.log(`[e2e] ${missing.map((m) => m.file).join(", ")} missing: installing Debian's ${packages} with apt-get`);
    const result = spawnSync("sh", ["-c", `apt-get update && apt-get install -y ${packages}`], { stdio: "inherit" });
    const still = missing.filter((m) => !existsSync(m.file));
    if (result.status !== 0 || still.length > 0) {
      console.error(`[e2e] apt-get did not install ${still.map((m) => m.pkg).join(" ")} (exit status ${result.status})`);
      process.exit(1);
    }
  } else {
    console.error(`[e2e] ${missing.map((m) => m.file).join(", ")} missing: install them with \`sudo apt-get install -y ${packages}\``);
    process.exit(1);
  }
}
