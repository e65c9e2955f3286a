/**
 * Every kind of sealed document the render worker produces (app/signing/renderers.ts: the signed grid, the minutes,
 * the decision sheet, the CPNE validation, the parchemin, the attestation de blocs, the decision notice) is an
 * archivable PDF/A-3b: sRGB output intent with its ICC profile, XMP identification, embedded fonts, a valid seal
 * (tests/support/pdfa.ts). A kind added to the renderers without a sample here fails the first test.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { SealedDecisionSheet } from "~/domain/decision-sheet";
import { defaultSchemeFor } from "~/domain/scheme";
import { RENDERERS } from "~/signing/renderers";
import { CANDIDATE_LABEL } from "~/domain/format";
import { expectArchivablePdf } from "../support/pdfa";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-pdf-kinds-"));
const at = new Date("2026-12-02T09:30:00Z");
const organisation = "CPNE Métallurgie";
const signatures = [{ name: "Hélène Garçon", role: "Présidente", signedAt: at }];
const certification = {
  kind: "CQP",
  code: "RNCP12345",
  title: "CQP Assistant(e) de formation",
  nationalLevel: 4,
  eqfLevel: 4,
  nsfCodes: ["333"],
  decisionDate: "2025-01-15",
  certifierName: organisation,
  signatory: "Hélène Garçon",
};
const holder = { birthName: "Dupont", usageName: null, givenNames: "Jeanne", birthDate: "1990-05-04", birthPlace: "Lyon", email: null };
const record = (kind: "PARCHEMIN" | "ATTESTATION", duplicateOf: { kind: "PARCHEMIN" | "ATTESTATION"; number: string; issuedAt: Date } | null = null) => ({
  record: {
    kind,
    number: "CPNE-2026-000001",
    verificationCode: "ABCDEFGHIJKLMNOP",
    holder,
    certification,
    blocs: [{ code: "BC01", title: "Préparer une action de formation" }],
    missingBlocs: kind === "ATTESTATION" ? [{ code: "BC02", title: "Animer une séquence" }] : [],
    preconisations: null,
    validUntil: null,
    placeOfIssue: "Lyon",
    issuedAt: at,
    duplicateOf,
    credential: { type: ["VerifiableCredential"] },
  },
  options: { baseUrl: "https://quorum.example", organisationName: organisation },
});
const sheet: SealedDecisionSheet = {
  preconisations: "Reprendre la mise en situation.",
  sheet: {
    organisation: { name: organisation, legalName: organisation },
    certification: { title: certification.title, code: certification.code, kindLabel: "CQP", version: 1 },
    session: { title: "Jury paritaire", date: at.toISOString(), place: "Lyon" },
    candidate: { name: "Jeanne Dupont", sex: "F", birthDate: "1990-05-04" },
    dossierRoute: "FORMATION",
    granularity: "bloc",
    evaluation: null,
    blocs: [],
    decision: {
      overall: "TOTAL",
      method: "CONSENSUS",
      decidedAt: at.toISOString(),
      decidedBy: "Hélène Garçon",
      adjournmentReason: null,
      castingVoteUsed: false,
      tallies: null,
      acquired: ["BC01"],
      notAcquired: [],
    },
    votes: [],
    conformity: { acknowledged: true, nonConformities: [], unverifiable: [], remarks: [] },
    composition: [],
  },
};

/** One small input per kind, as the kind's `pdf.input` builds it. */
const SAMPLES: Record<string, unknown> = {
  grid: {
    organisation,
    certification: { code: certification.code, title: certification.title, version: 1 },
    candidate: "Jeanne Dupont",
    session: { title: "Commission d'évaluation", date: at, place: "Lyon" },
    scheme: defaultSchemeFor("CQP"),
    blocs: [
      {
        code: "BC01",
        title: "Préparer une action de formation",
        competences: [{ id: "c1", code: "C1", statement: "Analyser la demande", criteria: [{ statement: "Le besoin est reformulé" }] }],
      },
    ],
    results: {},
    comments: { c1: "Très bien : œuvre « complète »." },
    synthesis: "Synthèse de la commission.",
    blocResults: { BC01: "Acquis" },
    outcome: "Délivrance totale",
    members: [{ name: "Hélène Garçon", role: "Présidente" }],
    signatures,
    contentHash: "0".repeat(64),
  },
  minutes: {
    organisation,
    title: "Procès-verbal — Jury paritaire",
    createdAt: at,
    content: { generated: { title: "Procès-verbal de délibération du jury", sections: [{ key: "body", heading: "Séance", paragraphs: ["Ouverte à 9 h."] }] }, remarks: "" },
    contentHash: "0".repeat(64),
    signatures,
    evidence: { sessionId: "s1" },
  },
  decision: { organisation, title: "Fiche de décision — Jeanne Dupont", createdAt: at, content: sheet, contentHash: "0".repeat(64), signatures, evidence: {} },
  validation: {
    organisation,
    createdAt: at,
    content: {
      session: { id: "s1", title: "Jury paritaire", date: at.toISOString() },
      certification: { code: certification.code, title: certification.title },
      decisions: [{ decisionId: "d1", candidate: "Jeanne Dupont", overall: "TOTAL", decidedAt: at.toISOString(), items: [{ code: "BC01", acquired: true }] }],
    },
    contentHash: "0".repeat(64),
    signatures,
  },
  parchemin: record("PARCHEMIN"),
  // A duplicate: its mention of the original is part of the archivable document too.
  attestation: record("ATTESTATION", { kind: "ATTESTATION", number: "CPNE-2025-000042", issuedAt: new Date("2025-06-30T10:00:00Z") }),
  notice: {
    organisation,
    candidate: "Jeanne Dupont",
    recipient: ["Madame Jeanne Dupont", "Bâtiment B, appartement 12", "14 rue de la Charité", "69002 Lyon"],
    notice: { subject: "Décision du jury", sections: [{ heading: null, lines: ["Madame, le jury a délibéré."] }] },
    notifiedAt: at,
    records: [{ number: "CPNE-2026-000001", verificationUrl: "https://quorum.example/verifier/ABCDEFGHIJKLMNOP" }],
  },
};

beforeAll(() => {
  process.env.QUORUM_DATA_DIR = dir; // the demo seal certificate is created there
});

describe("every sealed document is archivable as PDF/A-3b", () => {
  it("has a sample for every kind the render worker knows", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(RENDERERS).sort());
  });

  for (const kind of Object.keys(SAMPLES)) {
    it(`${kind}: sRGB output intent, XMP PDF/A-3B, embedded fonts, valid seal`, async () => {
      const { pdf } = await RENDERERS[kind]!(SAMPLES[kind]);
      const file = path.join(dir, `${kind}.pdf`);
      writeFileSync(file, pdf);
      await expectArchivablePdf(file);
    }, 60_000);
  }
});

describe("a candidate's signed document over several pages", () => {
  /** The first line of each page after the first, as pdftotext reads it. */
  async function pageHeads(kind: string, input: unknown): Promise<string[]> {
    const { pdf } = await RENDERERS[kind]!(input);
    const file = path.join(dir, `${kind}-long.pdf`);
    writeFileSync(file, pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
    return Array.from({ length: pages - 1 }, (_, i) =>
      execFileSync("pdftotext", ["-f", String(i + 2), "-l", String(i + 2), file, "-"], { encoding: "utf8" }).trim().split("\n")[0]!,
    );
  }

  it("the signed grid names itself and the candidate at the top of every following page", async () => {
    const grid = SAMPLES.grid as { blocs: unknown[] };
    const blocs = Array.from({ length: 8 }, (_, b) => ({
      code: `BC0${b + 1}`,
      title: `Bloc ${b + 1} — réaliser une intervention complète et documentée`,
      competences: Array.from({ length: 4 }, (_, c) => ({
        id: `c${b}${c}`,
        code: `C${b * 4 + c + 1}`,
        statement: "Analyser la demande du client et proposer une réponse adaptée à son contexte",
        criteria: [{ statement: "Le besoin est reformulé" }, { statement: "Les contraintes sont identifiées" }],
      })),
    }));
    const heads = await pageHeads("grid", { ...grid, candidate: "Zoë Łukasz NGUYỄN", blocs });
    expect(heads.length).toBeGreaterThan(1);
    for (const head of heads) expect(head).toBe("Grille d'évaluation — Zoë Łukasz NGUYỄN — suite");
  }, 60_000);

  it("the decision sheet too, its long préconisations included", async () => {
    const decision = SAMPLES.decision as { content: SealedDecisionSheet };
    const preconisations = "Reprendre la mise en situation professionnelle avec un tuteur, puis se représenter. ".repeat(80);
    const heads = await pageHeads("decision", { ...decision, content: { ...decision.content, preconisations } });
    // The last page is the certificate, which names the document in full.
    expect(heads.length).toBeGreaterThan(2);
    for (const head of heads.slice(0, -1)) expect(head).toBe("Fiche de décision — Jeanne Dupont — suite");
  }, 60_000);
});

describe("the candidate named alike on every document", () => {
  it("the signed grid and the fiche de décision both say « Candidat(e) : Jeanne Dupont »", async () => {
    expect(CANDIDATE_LABEL).toBe("Candidat(e)");
    for (const kind of ["grid", "decision"]) {
      const { pdf } = await RENDERERS[kind]!(SAMPLES[kind]);
      const file = path.join(dir, `${kind}-label.pdf`);
      writeFileSync(file, pdf);
      const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
      expect(text, kind).toContain("Candidat(e) : Jeanne Dupont");
      expect(text, kind).not.toMatch(/Candidat :/);
    }
  }, 60_000);
});
