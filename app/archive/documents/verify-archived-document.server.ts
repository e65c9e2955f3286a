/**
 * « Vérifier » an archived document: recompute the SHA-256 of the stored bytes and compare it with the hash stored
 * when the document was produced, then check the PDF's seal when it carries one. The seal check is one pluggable
 * function: this branch has no PDF seal library yet (app/platform/pdf), so a PDF carrying a signature dictionary is
 * reported « sceau présent, non vérifié » until `checkSeal` is wired to it; the hash check alone decides « intact ».
 */
import { createHash } from "node:crypto";

export type SealCheck = { state: "absent" } | { state: "valid" } | { state: "invalid"; problems: string[] } | { state: "unchecked" };

export type SealChecker = (pdf: Uint8Array) => Promise<SealCheck>;

export type Verification = {
  intact: boolean;
  storedSha256: string;
  computedSha256: string;
  seal: SealCheck;
  /** What is wrong, in French (empty when intact). */
  problems: string[];
};

/** Default seal check: detects a PDF signature dictionary; verification proper plugs in here. */
export const detectSeal: SealChecker = async (pdf) => {
  const text = Buffer.from(pdf).toString("latin1");
  return /\/ByteRange\s*\[/.test(text) && /\/Type\s*\/Sig\b/.test(text) ? { state: "unchecked" } : { state: "absent" };
};

export async function verifyArchivedDocument(
  document: { content: Uint8Array; sha256: string },
  checkSeal: SealChecker = detectSeal,
): Promise<Verification> {
  const computedSha256 = createHash("sha256").update(document.content).digest("hex");
  const problems: string[] = [];
  if (computedSha256 !== document.sha256.toLowerCase()) {
    problems.push("L'empreinte SHA-256 du fichier conservé ne correspond plus à celle enregistrée à sa production : le fichier a été modifié.");
  }
  if (!Buffer.from(document.content.subarray(0, 5)).toString("latin1").startsWith("%PDF-")) {
    problems.push("Le fichier conservé n'est plus un PDF.");
  }
  const seal = problems.length === 0 ? await checkSeal(document.content) : { state: "unchecked" as const };
  if (seal.state === "invalid") problems.push(...seal.problems.map((p) => `Sceau : ${p}`));
  return { intact: problems.length === 0, storedSha256: document.sha256, computedSha256, seal, problems };
}
