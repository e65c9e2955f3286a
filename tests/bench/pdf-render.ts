/**
 * `npm run bench:pdf` — how long the signed grid PDF of a 30-competence passage takes to render, in this process
 * (what the render worker thread does per job: layout, PDF/A-3b conformance, save, PAdES seal). Realistic texts:
 * 6 blocs of 5 competences, 3–5 criteria each, a comment of 2–4 sentences per competence, a synthesis of five
 * paragraphs, four scoring members, the audit head. Not a test: it prints figures.
 *
 *   npm run bench:pdf                         # 3 cold-start renders skipped, then 30 measured
 *   npm run bench:pdf -- --renders=50 --out=/tmp/grid.pdf   # also write the last PDF (pdftoppm -png -r 60 …)
 *   npm run bench:pdf -- --profile            # CPU profile of the measured renders, top self times printed
 *
 * The first render of a process loads the fonts and the seal certificate (and creates the demo certificate in
 * bench-results/pdf-render-data/ the first time ever): it is reported apart. The last line is exactly
 * `grid30_render_ms_p50=N grid30_render_ms_max=N`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import type { GridPdfInput } from "~/signing/kinds/grid/grid-pdf";
import { defaultSchemeFor } from "~/domain/scheme";
import { round, summarize } from "./stats";

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
const renders = Number(option("renders") ?? 30);
const warmup = Number(option("warmup") ?? 3);
const out = option("out");
const profile = process.argv.includes("--profile");

const dataDir = path.resolve("bench-results", "pdf-render-data");
mkdirSync(dataDir, { recursive: true });
process.env.QUORUM_DATA_DIR = dataDir; // the demo seal certificate lives there (created once)
delete process.env.QUORUM_SEAL_P12;

/** Small deterministic PRNG (mulberry32): the same texts on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNCTION_WORDS = (
  "le la les de des du un une et à en au aux pour par sur dans avec sans son sa ses il elle qui que est sont a ont " +
  "ne pas plus très bien ce cette ces leur leurs se"
).split(" ");
const SYLLABLES = (
  "pro pré dé ré con com in im ex ma mé ni na ti té ta ri ra lo lé sa se si fi fl ff gé ge tion sion ment able ible " +
  "ique eur euse ité ance ence oir ure ège ère ée és ça ço œu ein oin ain eau ou oi ui ch ph qu gn tr pl cr"
).split(" ");

/**
 * A vocabulary of 4,000 French-looking words (syllables with accents, ligature pairs fi fl ff, « œ ») used with a
 * Zipf distribution, as in real prose: a few words very often, most rarely. Each candidate's texts differ.
 */
const VOCABULARY = (() => {
  const next = random(42);
  const words = new Set<string>();
  while (words.size < 4000) {
    const n = 1 + Math.floor(next() * 4);
    let word = "";
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
})();
const ZIPF = (() => {
  const weights = VOCABULARY.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
})();

/** `n` words of prose (sentences of 8–24 words, commas, « quotes » now and then) from `seed`. */
function prose(seed: number, n: number): string {
  const next = random(seed);
  const out: string[] = [];
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    let word: string;
    if (next() < 0.45) word = FUNCTION_WORDS[Math.floor(next() * FUNCTION_WORDS.length)]!;
    else {
      const r = next();
      let lo = 0;
      let hi = ZIPF.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ZIPF[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      word = VOCABULARY[lo]!;
    }
    if (sentence === 0) word = word[0]!.toUpperCase() + word.slice(1);
    sentence++;
    if (i === n - 1 || (sentence > 8 && next() < 0.12)) {
      word += ".";
      sentence = 0;
    } else if (next() < 0.06) word += ",";
    else if (next() < 0.01) word = `« ${word} »`;
    out.push(word);
  }
  return out.join(" ");
}

/** The passage of candidate `candidate`: the référentiel (blocs, competences, criteria) is the same for all. */
export function grid30Input(candidate = 0): GridPdfInput {
  const at = new Date("2026-12-02T09:30:00Z");
  const blocs = Array.from({ length: 6 }, (_, b) => ({
    code: `BC0${b + 1}`,
    title: `Bloc ${b + 1} — ${prose(100 + b, 9).replace(/\.$/, "")}`,
    competences: Array.from({ length: 5 }, (_, c) => {
      const n = b * 5 + c;
      return {
        id: `c${n}`,
        code: `C${n + 1}`,
        statement: prose(200 + n, 14 + (n % 6)),
        criteria: Array.from({ length: 3 + (n % 3) }, (_, k) => ({ statement: prose(1000 + n * 10 + k, 12 + ((n + k) % 10)) })),
      };
    }),
  }));
  const levels = ["ACQUIS", "PARTIEL", "ACQUIS", "NON_ACQUIS", "ACQUIS"];
  const competences = blocs.flatMap((b) => b.competences);
  return {
    organisation: "CPNE Métallurgie",
    certification: { code: "RNCP12345", title: "CQP Assistant(e) de formation", version: 3 },
    candidate: "Jeanne Dupont-Garçon",
    session: { title: "Commission d'évaluation — session de décembre", date: at, place: "Lyon, salle Rhône" },
    scheme: defaultSchemeFor("CQP"),
    blocs,
    results: Object.fromEntries(competences.map((c, i) => [c.id, levels[(i + candidate) % levels.length]!])),
    comments: Object.fromEntries(competences.map((c, i) => [c.id, prose(1_000_000 + candidate * 1000 + i, 40 + ((i + candidate) % 5) * 20)])),
    synthesis: Array.from({ length: 5 }, (_, p) => prose(2_000_000 + candidate * 10 + p, 90 + p * 15)).join("\n\n"),
    blocResults: Object.fromEntries(blocs.map((b, i) => [b.code, i % 3 === 1 ? "Non acquis" : "Acquis"])),
    outcome: "Délivrance partielle",
    members: [
      { name: "Hélène Garçon", role: "Présidente" },
      { name: "Marc Lefèvre", role: "Membre" },
      { name: "Sophie Nguyễn", role: "Membre" },
      { name: "Paul Brûlé", role: "Membre" },
    ],
    signatures: [
      { name: "Hélène Garçon", role: "Présidente", signedAt: new Date(at.getTime() + 3_600_000) },
      { name: "Marc Lefèvre", role: "Membre", signedAt: new Date(at.getTime() + 3_660_000) },
      { name: "Sophie Nguyễn", role: "Membre", signedAt: new Date(at.getTime() + 3_720_000) },
      { name: "Paul Brûlé", role: "Membre", signedAt: new Date(at.getTime() + 3_780_000) },
    ],
    contentHash: "3f".repeat(32),
    auditHead: { seq: "48213", hash: "a9".repeat(32) },
  };
}

async function main() {
  const { renderGridPdf } = await import("~/signing/kinds/grid/grid-pdf");
  const input = grid30Input();
  const texts = [
    input.synthesis,
    ...Object.values(input.comments),
    ...input.blocs.flatMap((b) => b.competences.flatMap((c) => [c.statement, ...c.criteria.map((cr) => cr.statement)])),
  ];
  console.log(
    `grid: ${input.blocs.length} blocs, ${texts.length - 1 - 30 - 30} criteria, 30 competences, ` +
      `${texts.reduce((n, t) => n + t.length, 0).toLocaleString("en")} characters of text`,
  );
  const cold: number[] = [];
  for (let i = 0; i < warmup; i++) {
    const t = performance.now();
    await renderGridPdf(grid30Input(10_000 + i));
    cold.push(performance.now() - t);
  }
  console.log(`first renders (fonts, certificate, JIT, other candidates): ${cold.map((ms) => round(ms, 1)).join(", ")} ms`);

  const session = profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
  }
  const inputs = Array.from({ length: renders }, (_, i) => grid30Input(i)); // one candidate each: comments differ
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  let pdf: Uint8Array = new Uint8Array();
  for (let i = 0; i < renders; i++) {
    const t = performance.now();
    pdf = (await renderGridPdf(inputs[i]!)).pdf;
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpuStart);
  if (session) {
    const { profile: result } = await session.post("Profiler.stop");
    const file = path.resolve("bench-results", "prof", `pdf-render-${process.pid}.cpuprofile`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(result));
    console.log(`profile: ${file} (node tests/bench/cpu-profile.mjs ${path.relative(process.cwd(), file)})`);
  }
  if (out) writeFileSync(out, pdf);
  const s = summarize(times);
  console.log(
    `${renders} renders: p50 ${round(s.p50, 1)} ms, mean ${round(s.mean, 1)}, p95 ${round(s.p95, 1)}, max ${round(s.max, 1)}; ` +
      `CPU ${round((cpu.user + cpu.system) / 1000 / renders, 1)} ms per render; ${pdf.length.toLocaleString("en")} bytes` +
      `${out ? ` → ${out}` : ""}`,
  );
  console.log(`grid30_render_ms_p50=${round(s.p50, 1)} grid30_render_ms_max=${round(s.max, 1)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
