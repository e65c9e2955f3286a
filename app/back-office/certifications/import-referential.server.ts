/**
 * Imports a référentiel file as a new draft version. The whole file is validated first (every error located);
 * nothing is written unless it is entirely valid, and then everything is written in one transaction.
 */
import { prisma } from "~/platform/db/db.server";
import { parseReferentialJson, type ImportError } from "~/domain/referential-import";
import { addNextDraft } from "./create-version-with-content.server";
import { refusal, type Actor, type Refusal, type Result } from "~/platform/app-error";
import { CERTIFICATION_NOT_FOUND, lockCertification, notFound } from "./shared.server";

/** A refused import: every located error of the file, grouped by its path in the file ("" for the whole file). */
function importRefusal(errors: ImportError[]): Refusal {
  // Paths come from the file's own keys (« constructor », « __proto__ »): a map, not a plain object's inherited members.
  const byPath = new Map<string, string[]>();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.message]);
  return refusal("INVALID", [], Object.fromEntries(byPath));
}

/** The located errors of a refused import, in file order. */
export function importErrorsOf(refused: Refusal): ImportError[] {
  return Object.entries(refused.fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
}

export async function importReferential(
  actor: Actor,
  certificationId: string,
  file: { name: string; text: string },
): Promise<Result<{ versionId: string; version: number }>> {
  const certification = await prisma.certification.findFirst({
    where: { id: certificationId, organisationId: actor.organisationId },
    select: { code: true },
  });
  if (!certification) throw notFound(CERTIFICATION_NOT_FOUND);
  const validation = parseReferentialJson(file.text, certification.code);
  if (!validation.ok) return importRefusal(validation.errors);
  const content = validation.content;

  return prisma.$transaction(
    async (tx) => {
      const locked = await lockCertification(tx, actor, certificationId);
      if (locked.code !== certification.code) {
        return importRefusal([{ path: "", message: "le code de la certification a changé pendant l'import : recommencez" }]);
      }
      const added = await addNextDraft(tx, actor, certificationId, async () => content, {
        action: "referential.import",
        data: () => ({
          fileName: file.name,
          blocs: content.blocs.length,
          competences: content.blocs.reduce((n, b) => n + b.competences.length, 0),
        }),
      });
      return added.ok ? added : importRefusal([{ path: "", message: added.message }]);
    },
    { timeout: 60_000 },
  );
}
