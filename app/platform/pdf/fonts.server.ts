/**
 * DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package, read once per process. Embedded as subsets,
 * these cover French (é è à ç œ « » €) and satisfy PDF/A's "every font embedded" rule.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;

export function loadDejaVuFonts(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  fonts ??= (async () => {
    const dir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    const [regular, bold] = await Promise.all([readFile(`${dir}DejaVuSans.ttf`), readFile(`${dir}DejaVuSans-Bold.ttf`)]);
    return { regular, bold };
  })();
  return fonts;
}
