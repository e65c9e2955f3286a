/** The certifications a new session may be planned for: the organisation's, with their latest published version. */
import { listCertificationOptions } from "~/back-office/certifications/list-certification-options.server";

export async function listPlanningOptions(organisationId: string) {
  const certifications = await listCertificationOptions(organisationId);
  return {
    certifications: certifications.map((c) => ({
      id: c.id,
      label:
        c.publishedVersion !== null
          ? `${c.title} (${c.code}) — référentiel version ${c.publishedVersion}`
          : `${c.title} (${c.code}) — aucune version publiée`,
      published: c.publishedVersion !== null,
    })),
  };
}
