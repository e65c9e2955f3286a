/**
 * « Vérifier » an archived document: recompute the SHA-256 of the stored bytes and compare it with the hash stored
 * when the document was produced, then check the PDF's seal when it carries one (`verifySealedPdf`: the signature's
 * byte range covers the whole file, its digest matches, its signature verifies with the embedded certificate). A
 * document produced without a seal (a demo grid, an older render) says so plainly; only a broken seal or a changed
 * hash makes it « non intact ».
 */
import { createHash } from "node:crypto";
import { verifySealedPdf } from "~/platform/pdf/verify-seal.server";

export type SealCheck =
  | { state: "absent" }
  | { state: "valid"; signer: string; signedAt: string | null; demoCertificate: boolean }
  | { state: "invalid"; problems: string[] }
  | { state: "unchecked" };

export type SealChecker = (pdf: Uint8Array) => Promise<SealCheck>;

export type Verification = {
  intact: boolean;
  storedSha256: string;
  computedSha256: string;
  seal: SealCheck;
  /** What is wrong, in French (empty when intact). */
  problems: string[];
};

/** Whether the PDF carries a signature dictionary at all. */
const hasSignature = (pdf: Uint8Array) => {
  const text = Buffer.from(pdf).toString("latin1");
  return /\/ByteRange\s*\[/.test(text) && /\/Type\s*\/Sig\b/.test(text);
};

/** Default seal check: none → « absent »; otherwise the seal verified by app/platform/pdf. */
export const checkPdfSeal: SealChecker = async (pdf) => {
  if (!hasSignature(pdf)) return { state: "absent" };
  const result = verifySealedPdf(pdf);
  return result.intact
    ? { state: "valid", signer: result.signer, signedAt: result.signedAt?.toISOString() ?? null, demoCertificate: result.demoCertificate }
    : { state: "invalid", problems: [result.reason] };
};

export async function verifyArchivedDocument(
  document: { content: Uint8Array; sha256: string },
  checkSeal: SealChecker = checkPdfSeal,
): Promise<Verification> {
  const computedSha256 = createHash("sha256").update(document.content).digest("hex");
  const problems: string[] = [];
  if (computedSha256 !== document.sha256.toLowerCase()) {
    problems.push("L'empreinte SHA-256 du fichier conservé ne correspond plus à celle enregistrée à sa production : le fichier a été modifié.");
  }
  const isPdf = Buffer.from(document.content.subarray(0, 5)).toString("latin1").startsWith("%PDF-");
  if (!isPdf) problems.push("Le fichier conservé n'est plus un PDF.");
  const seal: SealCheck = isPdf ? await checkSeal(document.content) : { state: "unchecked" };
  if (seal.state === "invalid") problems.push(...seal.problems);
  return { intact: problems.length === 0, storedSha256: document.sha256, computedSha256, seal, problems };
}
