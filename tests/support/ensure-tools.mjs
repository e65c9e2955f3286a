// Makes sure the Debian tools the PDF tests call are installed: Poppler (pdfsig, pdftotext, pdfdetach, pdfinfo,
// pdftoppm), xmllint and qpdf. Installs the missing packages with apt-get when running as root; otherwise prints
// the command and fails, like tests/e2e/ensure-chromium.mjs does for Chromium.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const TOOLS = {
  "poppler-utils": ["pdfsig", "pdftotext", "pdfdetach", "pdfinfo", "pdftoppm"],
  "libxml2-utils": ["xmllint"],
  qpdf: ["qpdf"],
};

const missing = Object.entries(TOOLS)
  .filter(([, binaries]) => binaries.some((binary) => !existsSync(`/usr/bin/${binary}`)))
  .map(([name]) => name);

if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    console.log(`[tests] missing Debian packages: ${missing.join(", ")}; installing with apt-get`);
    const result = spawnSync("sh", ["-c", command], { stdio: "inherit" });
    const still = Object.entries(TOOLS)
      .filter(([, binaries]) => binaries.some((binary) => !existsSync(`/usr/bin/${binary}`)))
      .map(([name]) => name);
    if (result.status !== 0 || still.length > 0) {
      console.error(`[tests] apt-get did not install ${still.join(", ")} (exit status ${result.status})`);
      process.exit(1);
    }
  } else {
    console.error(`[tests] missing Debian packages ${missing.join(", ")}: install them with \`sudo ${command}\``);
    process.exit(1);
  }
}
