/**
 * The demo's first organisation, the CPNEF (slug set in prisma/seed/demo.ts): what a test means by « the demo's »
 * session, certification or candidate. The demo seeds a second organisation after it (« CPNE de la propreté »,
 * prisma/seed/second-organisation.ts: a commission, a certification, candidates): a test taking « the first » of a kind
 * without naming the organisation passed only because of that order. Spread into a `where`:
 * `session.findFirstOrThrow({ where: { ...inDemoOrganisation, kind: "JURY" } })`.
 */
export const DEMO_ORGANISATION_SLUG = "cpnef-demo";

/** A `where` fragment for any row that belongs to an organisation (session, certification, candidate, dossier…). */
export const inDemoOrganisation = { organisation: { slug: DEMO_ORGANISATION_SLUG } } as const;
