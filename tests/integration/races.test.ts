/**
 * Two requests at once on a real PostgreSQL (the embedded database has one connection: it never interleaves).
 * Each test plays the first request's transaction step by step on a raw `pg` client, starts the use case in this
 * process, waits until PostgreSQL shows the use case waiting on a lock (pg_stat_activity, never a sleep) — or
 * already done, when the use case takes no lock at all — then lets the first transaction commit and checks that
 * the second request neither duplicated the effect nor failed with anything but a French refusal.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import type { TestDatabase } from "../support/database";
import { closedJuryWithPartialDecision as partialDecisionFixture, setCpneValidation } from "../support/jury-fixtures";
import { openSeededDatabase } from "../support/prisma";
import { inDemoOrganisation } from "../support/demo-organisation";

let prisma: import("~/platform/db/db.server").PrismaClient;
let database: TestDatabase;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ prisma, database, close } = await openSeededDatabase({ PUBLIC_URL: "https://quorum.example.org" }));
}, 240_000);

afterAll(async () => {
  await close?.();
});

async function actorOf(email: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
  return { userId: user.id, organisationId: user.memberships[0]!.organisationId, ip: null, userAgent: null };
}

/** A raw client playing the other request, and an observer of the server's lock waits. */
async function withClients<T>(run: (other: pg.Client, waiting: (count?: number) => Promise<boolean>) => Promise<T>): Promise<T> {
  const other = new pg.Client({ connectionString: database.env.DATABASE_URL });
  const observer = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await Promise.all([other.connect(), observer.connect()]);
  const waiting = async (count = 1) => {
    const { rows } = await observer.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    return rows[0].n >= count;
  };
  try {
    return await run(other, waiting);
  } finally {
    await other.query("ROLLBACK").catch(() => {});
    await Promise.all([other.end(), observer.end()]);
  }
}

/** A promise's settlement, observable without awaiting it (a rejection is kept for the assertions). */
function track<T>(promise: Promise<T>) {
  const state = { settled: false };
  const settled = promise.then(
    (value) => ((state.settled = true), { ok: true as const, value }),
    (error: unknown) => ((state.settled = true), { ok: false as const, error }),
  );
  return { state, settled };
}

/**
 * A closed jury session with one partial decision whose attestation is not issued yet (CPNE validation: off by default),
 * its fiche de décision signed (unless `sheetSigned: false`).
 */
async function closedJuryWithPartialDecision(title: string, { cpneValidation = false, sheetSigned = true } = {}) {
  const jury = await partialDecisionFixture(prisma, { title, candidate: { birthName: "CONCURRENT", givenNames: title }, sheetSigned });
  await setCpneValidation(prisma, jury.certificationId, cpneValidation);
  return jury;
}

/**
 * « Délivrer les documents » submitted twice (a double click, two secretaries): each request checked that the
 * decision had no record yet, then queued on the year's counter; both issued, so the candidate got two attestations
 * with two numbers for one decision. The counter lock is held here by a third party (a duplicate being numbered),
 * so that both requests are past their check before either numbers.
 */
describe("records of a jury session issued twice at once", () => {
  it("issues each decision's record once", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const { session, decision } = await closedJuryWithPartialDecision("Jury délivré deux fois");
    const year = new Date().getUTCFullYear();
    await withClients(async (other, waiting) => {
      await other.query(`INSERT INTO "RecordCounter" ("organisationId", "year", "last") VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, [
        secretariat.organisationId,
        year,
      ]);
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "RecordCounter" WHERE "organisationId" = $1 AND "year" = $2 FOR UPDATE`, [secretariat.organisationId, year]);
      const first = track(issueSessionRecords({ actor: secretariat, sessionId: session.id }));
      await until(() => waiting(1), "the first issuance waiting on a lock");
      const second = track(issueSessionRecords({ actor: secretariat, sessionId: session.id }));
      await until(() => waiting(2), "both issuances waiting on a lock");
      await other.query("COMMIT");
      const results = await Promise.all([first.settled, second.settled]);
      expect(results.map((r) => (r.ok ? r.value : String(r.error)))).toEqual(expect.arrayContaining([{ issued: 1, awaitingSheet: [] }, { issued: 0, awaitingSheet: [] }]));
    });
    const records = await prisma.deliveryRecord.findMany({ where: { decisionId: decision.id } });
    expect(records).toHaveLength(1);
  });
});

/**
 * « Ouvrir un dossier » submitted twice: each request checked that the candidate had no active dossier for the
 * certification, then created one (no unique index can say « one active dossier »): two active dossiers.
 */
describe("a dossier opened twice at once", () => {
  it("opens one dossier and refuses the second in French", async () => {
    const { createDossier } = await import("~/back-office/dossiers/create-dossier.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const certification = await prisma.certification.findFirstOrThrow({
      where: { organisationId: secretariat.organisationId, versions: { some: { publishedAt: { not: null } } } },
    });
    const latest = await prisma.referentialVersion.findFirstOrThrow({
      where: { certificationId: certification.id, publishedAt: { not: null } },
      orderBy: { version: "desc" },
    });
    const candidate = await prisma.candidate.create({
      data: { organisationId: secretariat.organisationId, birthName: "DOUBLON", givenNames: "Dossier" },
    });
    await withClients(async (other, waiting) => {
      // The first request, as createDossier takes its steps: the candidate locked, checked, its dossier inserted.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "Candidate" WHERE "id" = $1 FOR NO KEY UPDATE`, [candidate.id]);
      await other.query(
        `INSERT INTO "Dossier" ("id", "organisationId", "candidateId", "certificationId", "referentialVersionId", "route", "status")
         VALUES ($1, $2, $3, $4, $5, 'FORMATION', 'DRAFT')`,
        [`race-${candidate.id}`, secretariat.organisationId, candidate.id, certification.id, latest.id],
      );
      const second = track(createDossier(secretariat, { candidateId: candidate.id, certificationId: certification.id, route: "FORMATION" }));
      await until(async () => second.state.settled || (await waiting(1)), "the second request waiting on a lock (or done)");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok && result.value).toMatchObject({
        ok: false,
        fieldErrors: { certificationId: ["Ce candidat a déjà un dossier en cours pour cette certification."] },
      });
    });
    const dossiers = await prisma.dossier.findMany({ where: { candidateId: candidate.id, certificationId: certification.id } });
    expect(dossiers).toHaveLength(1);
  });
});

/**
 * « Créer la certification » submitted twice: each request checked that the code was free, then inserted; the
 * unique index refused the second insert, which reached the user as a 500.
 */
/** Another request's certification with this code, inserted and not committed yet. */
async function insertCertification(other: pg.Client, organisationId: string, code: string): Promise<void> {
  await other.query(
    `INSERT INTO "Certification" ("id", "organisationId", "kind", "code", "title", "nsfCodes", "scheme") VALUES ($1, $2, 'CQP', $3, 'Première', '{}', '{}')`,
    [`race-${code}`, organisationId, code],
  );
}

/** A certification's identity as the form sends it. */
const identity = (code: string, title: string) => ({
  kind: "CQP" as const,
  code,
  title,
  nationalLevel: null,
  eqfLevel: null,
  nsfCodes: [],
  decisionDate: null,
  certifierName: "",
  certifierSignatory: "",
});

describe("a certification created twice at once", () => {
  it("creates one and refuses the second with the duplicate-code message", async () => {
    const { createCertification, DUPLICATE_CODE } = await import("~/back-office/certifications/create-certification.server");
    const admin = await actorOf("admin@quorum.test");
    const code = "RNCP99871";
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await insertCertification(other, admin.organisationId, code);
      const second = track(
        createCertification(admin, identity(code, "Seconde")),
      );
      await until(async () => second.state.settled || (await waiting(1)), "the second request waiting on the first's insert");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? result.value : String(result.error)).toMatchObject({ ok: false, fieldErrors: { code: [DUPLICATE_CODE] } });
    });
    expect(await prisma.certification.count({ where: { organisationId: admin.organisationId, code } })).toBe(1);
  });

  it("refuses a code change to a code given at that moment to another certification, with the same message", async () => {
    const { updateCertification } = await import("~/back-office/certifications/update-certification.server");
    const { DUPLICATE_CODE } = await import("~/back-office/certifications/create-certification.server");
    const admin = await actorOf("admin@quorum.test");
    const code = "RNCP99872";
    const renamed = await prisma.certification.create({
      data: { organisationId: admin.organisationId, kind: "CQP", code: "RNCP99873", title: "Sans version", nsfCodes: [], scheme: {} },
    });
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await insertCertification(other, admin.organisationId, code);
      const second = track(
        updateCertification(admin, renamed.id, identity(code, "Sans version")),
      );
      await until(async () => second.state.settled || (await waiting(1)), "the code change waiting on the first's insert");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? result.value : String(result.error)).toMatchObject({ ok: false, fieldErrors: { code: [DUPLICATE_CODE] } });
    });
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: renamed.id } })).code).toBe("RNCP99873");
  });
});

/**
 * « Révoquer » submitted twice (or a manual revocation while a revised decision's issuance revokes the same record):
 * each request saw the record valid, and the second overwrote the first's date and reason and audited a second
 * revocation.
 */
describe("a record revoked twice at once", () => {
  it("keeps the first revocation and records it once", async () => {
    const { revokeRecord } = await import("~/delivery/revoke-record.server");
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const { session, decision } = await closedJuryWithPartialDecision("Jury révoqué deux fois");
    await issueSessionRecords({ actor: secretariat, sessionId: session.id });
    const record = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decision.id } });
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await other.query(`UPDATE "DeliveryRecord" SET "revokedAt" = now(), "revocationReason" = 'Premier motif' WHERE "id" = $1`, [record.id]);
      const second = track(revokeRecord({ actor: secretariat, recordId: record.id, reason: "Second motif" }));
      await until(async () => second.state.settled || (await waiting(1)), "the second revocation waiting on the first");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? result.value.revocationReason : String(result.error)).toBe("Premier motif");
    });
    const after = await prisma.deliveryRecord.findUniqueOrThrow({ where: { id: record.id } });
    expect(after.revocationReason).toBe("Premier motif");
    expect(await prisma.auditEvent.count({ where: { action: "delivery.record.revoked", subjectId: record.id } })).toBe(0);
  });
});

/**
 * « Délivrer un document rectifié » sent twice at once for the same revoked record, with two submission keys (two
 * secretaries, or one page open in two tabs): each request checked that no valid record attested the decision and
 * that the revoked record was not replaced yet. The year's counter is held here by a third party, so that the second
 * request would be past its checks before the first numbers, if the session's issuance lock did not hold it back.
 */
describe("a revoked record rectified twice at once", () => {
  it("issues one rectified record and refuses the second in French", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const { revokeRecord } = await import("~/delivery/revoke-record.server");
    const { issueRectifiedRecord } = await import("~/delivery/issue-rectified-record.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const { session, decision } = await closedJuryWithPartialDecision("Jury rectifié deux fois");
    await issueSessionRecords({ actor: secretariat, sessionId: session.id });
    const original = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decision.id } });
    await revokeRecord({ actor: secretariat, recordId: original.id, reason: "Nom de naissance mal orthographié." });
    const year = new Date().getUTCFullYear();
    await withClients(async (other, waiting) => {
      await other.query(`INSERT INTO "RecordCounter" ("organisationId", "year", "last") VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, [
        secretariat.organisationId,
        year,
      ]);
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "RecordCounter" WHERE "organisationId" = $1 AND "year" = $2 FOR UPDATE`, [secretariat.organisationId, year]);
      const first = track(issueRectifiedRecord({ actor: secretariat, recordId: original.id, submissionKey: "11111111-1111-4111-8111-111111111111" }));
      await until(() => waiting(1), "the first rectification waiting on a lock");
      const second = track(issueRectifiedRecord({ actor: secretariat, recordId: original.id, submissionKey: "22222222-2222-4222-8222-222222222222" }));
      await until(() => waiting(2), "both rectifications waiting on a lock");
      await other.query("COMMIT");
      const results = await Promise.all([first.settled, second.settled]);
      const issued = results.filter((r) => r.ok);
      expect(issued).toHaveLength(1);
      const refused = results.find((r) => !r.ok);
      const number = issued[0]!.ok ? issued[0]!.value.record.number : "";
      expect(refused && !refused.ok ? String(refused.error) : "").toBe(
        `AppError: Le document n° ${number}, délivré pour la même décision, est valide : pas de document rectifié.`,
      );
    });
    const rectified = await prisma.deliveryRecord.findMany({ where: { replacesId: original.id } });
    expect(rectified).toHaveLength(1);
    expect(await prisma.deliveryRecord.count({ where: { decisionId: decision.id, revokedAt: null } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "delivery.record.rectified", subjectId: rectified[0]!.id } })).toBe(1);
  });
});

describe("a chain revoked while a render job stores its duplicate's PDF", () => {
  it("revokes the whole chain and lets the job commit: the audit chain's lock is taken after every record's row", async () => {
    const { revokeRecord } = await import("~/delivery/revoke-record.server");
    const { issueDuplicate } = await import("~/delivery/issue-duplicate.server");
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const { session, decision } = await closedJuryWithPartialDecision("Jury révoqué pendant un rendu");
    await issueSessionRecords({ actor: secretariat, sessionId: session.id });
    const original = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decision.id } });
    const duplicate = await issueDuplicate({ actor: secretariat, recordId: original.id });
    await withClients(async (other, waiting) => {
      // The render job's last transaction: the duplicate's row (its PDF's hash), then the audit chain's lock.
      await other.query("BEGIN");
      await other.query(`UPDATE "DeliveryRecord" SET "pdfSha256" = 'rendered' WHERE "id" = $1`, [duplicate.id]);
      const revocation = track(revokeRecord({ actor: secretariat, recordId: original.id, reason: "Erreur sur le nom." }));
      await until(async () => revocation.state.settled || (await waiting(1)), "the revocation waiting on the duplicate's row");
      // Before: the revocation held the audit lock (its first record's event) while waiting for the duplicate's row,
      // and PostgreSQL aborted one of the two as a deadlock.
      await other.query("SELECT pg_advisory_xact_lock(7240001)");
      await other.query("COMMIT");
      const result = await revocation.settled;
      expect(result.ok ? result.value.revokedNumbers : String(result.error)).toEqual([original.number, duplicate.number]);
    });
    const chain = await prisma.deliveryRecord.findMany({ where: { id: { in: [original.id, duplicate.id] } } });
    expect(chain.map((record) => [record.revocationReason, record.pdfSha256 === "rendered" || record.id === original.id])).toEqual([
      ["Erreur sur le nom.", true],
      ["Erreur sur le nom.", true],
    ]);
  });
});

/**
 * A commission's passage whose grid is in signing, every signature given but membre2's, on a candidate whose dossier
 * (« En évaluation ») the last signature completes. Its own session, so that no other test touches it.
 */
async function gridAwaitingLastSignature(title: string) {
  const demo = await prisma.session.findFirstOrThrow({ where: { kind: "COMMISSION", title: { startsWith: "Commission d'évaluation — CQP Assistant" } } });
  const president = await actorOf("president@quorum.test");
  const membre1 = await actorOf("membre1@quorum.test");
  const membre2 = await actorOf("membre2@quorum.test");
  const version = await prisma.referentialVersion.findUniqueOrThrow({ where: { id: demo.referentialVersionId! } });
  const candidate = await prisma.candidate.create({
    data: { organisationId: demo.organisationId, birthName: "CONCURRENT", givenNames: title, birthDate: new Date("1990-01-01T00:00:00Z") },
  });
  const dossier = await prisma.dossier.create({
    data: {
      organisationId: demo.organisationId,
      candidateId: candidate.id,
      certificationId: version.certificationId,
      referentialVersionId: version.id,
      route: "FORMATION",
      status: "IN_EVALUATION",
    },
  });
  const sealedHash = "a".repeat(64);
  const session = await prisma.session.create({
    data: {
      organisationId: demo.organisationId,
      kind: "COMMISSION",
      title,
      startsAt: demo.startsAt,
      endsAt: demo.endsAt,
      status: "OPEN",
      referentialVersionId: version.id,
      members: {
        create: [
          { userId: president.userId, role: "PRESIDENT" },
          { userId: membre1.userId, role: "MEMBER" },
          { userId: membre2.userId, role: "MEMBER" },
        ],
      },
      slots: {
        create: {
          candidateId: candidate.id,
          dossierId: dossier.id,
          position: 1,
          startsAt: demo.startsAt,
          endsAt: demo.endsAt,
          phase: "SIGNATURE",
          gridStatus: "SIGNING",
          sealedHash,
          sealedAt: new Date(),
        },
      },
    },
    include: { slots: true },
  });
  const slot = session.slots[0]!;
  for (const { userId } of [president, membre1]) {
    await prisma.signature.create({ data: { documentKind: "grid", documentId: slot.id, round: 0, userId, contentHash: sealedHash } });
  }
  return { sessionId: session.id, slotId: slot.id, dossierId: dossier.id };
}

/**
 * The last evaluator signs the grid while the secretariat changes the candidate's dossier (its status, a piece, the
 * positioning: every change of the dossier's page locks its row, then audits). The completion writes the commission's
 * result on that dossier: written after the signature's audit event, it waited for the dossier's row while holding
 * the audit chain's lock, which the dossier change waited for — PostgreSQL aborted one of them (« réessayez »).
 */
describe("a grid's last signature while the secretariat changes its candidate's dossier", () => {
  it("completes the grid and lets the dossier change commit: the audit chain's lock is taken after the dossier's row", async () => {
    const { signDocument } = await import("~/signing/sign-document.server");
    const membre2 = await actorOf("membre2@quorum.test");
    const { sessionId, slotId, dossierId } = await gridAwaitingLastSignature("Grille signée pendant un changement de dossier");
    await withClients(async (other, waiting) => {
      // The secretariat's dossier change: the dossier's row (findOpenDossier, change-dossier-status), then its audit event.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "Dossier" WHERE "id" = $1 FOR NO KEY UPDATE`, [dossierId]);
      const signature = track(
        signDocument({
          kind: "grid",
          ref: { documentId: slotId, within: sessionId },
          actorId: membre2.userId,
          password: "quorum-demo",
          consent: true,
          meta: { ip: null, userAgent: null },
          ports: { realtime: { notifySession: () => {} } as never },
        }),
      );
      await until(async () => signature.state.settled || (await waiting(1)), "the last signature waiting on the dossier's row");
      // Before: the signature held the audit lock (its « grid.signed » event) while waiting for the dossier's row, and
      // PostgreSQL aborted one of the two as a deadlock.
      await other.query("SELECT pg_advisory_xact_lock(7240001)");
      await other.query("COMMIT");
      const result = await signature.settled;
      expect(result.ok ? (result.value as { gridStatus: string }).gridStatus : String(result.error)).toBe("SIGNED");
    });
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    expect([dossier.status, dossier.commissionSlotId]).toEqual(["COMPLETE", slotId]);
    const events = await prisma.auditEvent.findMany({ where: { subjectId: slotId }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(events.map((event) => event.action)).toEqual(["grid.signed", "grid.completed"]);
  });
});

/**
 * The first command on a document whose signing row does not exist yet — the procès-verbal, the CPNE validation, a
 * decision sheet — creates that row: Prisma's upsert read it absent in both requests of a double submit, both
 * inserted, and the second failed on the unique index (a 500). The other request's insert is played uncommitted.
 */
describe("a document's signing row created by two requests at once", () => {
  it("lets the second return the decisions to the jury once the first created the validation row", async () => {
    const { returnSessionDecisions } = await import("~/delivery/return-session-decisions.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const { session } = await closedJuryWithPartialDecision("Jury renvoyé deux fois", { cpneValidation: true });
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await other.query(`INSERT INTO "SessionValidation" ("id", "sessionId") VALUES ($1, $2)`, [`race-${session.id}`, session.id]);
      const second = track(returnSessionDecisions({ actor: secretariat, sessionId: session.id, reason: "Avis de l'entreprise manquant au dossier." }));
      await until(async () => second.state.settled || (await waiting(1)), "the second request waiting on the first's insert");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? result.value.reason : String(result.error)).toBe("Avis de l'entreprise manquant au dossier.");
    });
    expect(await prisma.sessionValidation.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it("answers a signature of the procès-verbal with a French refusal, not a unique-index error", async () => {
    const { signDocument } = await import("~/signing/sign-document.server");
    const president = await actorOf("president@quorum.test");
    const { session } = await closedJuryWithPartialDecision("Procès-verbal signé deux fois");
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await other.query(`INSERT INTO "SessionMinutes" ("id", "sessionId") VALUES ($1, $2)`, [`race-${session.id}`, session.id]);
      const second = track(
        signDocument({ kind: "minutes", ref: { documentId: session.id }, actorId: president.userId, password: "quorum-demo", consent: true, meta: { ip: null, userAgent: null }, ports: { realtime: {} as never } }),
      );
      await until(async () => second.state.settled || (await waiting(1)), "the signature waiting on the first's insert");
      await other.query("COMMIT");
      const result = await second.settled;
      // The president does not sit in this test's jury: refused as not a signer, once the row exists.
      expect(result.ok ? "signed" : String(result.error)).toBe("AppError: Vous n'êtes pas signataire de ce procès-verbal.");
    });
    expect(await prisma.sessionMinutes.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it("answers a signature of a decision sheet with a French refusal, not a unique-index error", async () => {
    const { signDocument } = await import("~/signing/sign-document.server");
    const president = await actorOf("president@quorum.test");
    const { decision, agendaItemId } = await closedJuryWithPartialDecision("Fiche signée deux fois", { sheetSigned: false });
    await withClients(async (other, waiting) => {
      await other.query("BEGIN");
      await other.query(`INSERT INTO "JuryDecisionSheet" ("decisionId") VALUES ($1)`, [decision.id]);
      const second = track(
        signDocument({ kind: "decision", ref: { documentId: agendaItemId }, actorId: president.userId, password: "quorum-demo", consent: true, meta: { ip: null, userAgent: null }, ports: { realtime: {} as never } }),
      );
      await until(async () => second.state.settled || (await waiting(1)), "the signature waiting on the first's insert");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? "signed" : String(result.error)).toBe("AppError: Vous n'êtes pas signataire de cette fiche de décision.");
    });
    expect(await prisma.juryDecisionSheet.count({ where: { decisionId: decision.id } })).toBe(1);
  });
});

/**
 * In scale mode a member's pages may sit on two server processes: one writes the drop of the page they left while
 * the other sees their next page ask to join — a moment earlier than the drop it waits behind. Dated as seen, the
 * return was older than the drop: the member's last event read back was the drop, so the minutes showed them away
 * until the close, and their next real drop was refused as a duplicate.
 */
describe("a member's return seen by one process while another writes their drop", () => {
  it("dates the return just after the drop, so the member is back and their next drop is recorded", async () => {
    const { recordConnectionEvent } = await import("~/live/sessions/record-connection-event.server");
    const session = await prisma.session.findFirstOrThrow({ where: { ...inDemoOrganisation, kind: "JURY", status: { not: "CLOSED" }, members: { some: {} } }, include: { members: true } });
    const seat = session.members[0]!;
    const dropAt = new Date();
    const askedAt = new Date(dropAt.getTime() - 2_000);
    await withClients(async (other, waiting) => {
      // The other process's drop, in its transaction (the seat locked, as the use case locks it).
      await other.query("BEGIN");
      await other.query('SELECT 1 FROM "SessionMember" WHERE "id" = $1 FOR UPDATE', [seat.id]);
      await other.query(`INSERT INTO "ConnectionEvent" ("id", "sessionId", "userId", "kind", "at", "voluntary") VALUES ($1, $2, $3, 'DISCONNECTED', $4, true)`, [
        `race-drop-${seat.id}`,
        session.id,
        seat.userId,
        dropAt,
      ]);
      const back = track(recordConnectionEvent({ sessionId: session.id, userId: seat.userId, kind: "RECONNECTED", at: askedAt }));
      await until(async () => back.state.settled || (await waiting(1)), "the return waiting on the drop's lock");
      await other.query("COMMIT");
      const result = await back.settled;
      expect(result.ok && result.value).toBe(true);
    });
    const events = await prisma.connectionEvent.findMany({ where: { sessionId: session.id, userId: seat.userId }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["DISCONNECTED", "RECONNECTED"]);
    expect(events[1]!.at.getTime()).toBeGreaterThan(dropAt.getTime());
    // Back: the next drop is a new one.
    expect(await recordConnectionEvent({ sessionId: session.id, userId: seat.userId, kind: "DISCONNECTED" })).toBe(true);
  });
});

/**
 * « Générer le fichier de déclaration » submitted twice: both requests listed the same holders as never sent, and
 * both stored their passages; the second insert failed on the unique index (a 500) — or, for a resent rejected
 * passage, silently replaced the first file's flow id, so the file the user kept might not be the one recorded.
 */
describe("a declaration file generated twice at once", () => {
  it("stores the first file's passages and refuses the second in French", async () => {
    const { exportDeclaration } = await import("~/archive/cdc/export-declaration.server");
    const { listHolderDeclarations } = await import("~/archive/cdc/holder-declarations.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const toSend = (await listHolderDeclarations(secretariat.organisationId)).filter(
      (h) => h.missing.length === 0 && !h.record && (h.status.kind === "to_declare" || h.status.kind === "past_deadline"),
    );
    expect(toSend.length).toBeGreaterThan(0);
    await withClients(async (other, waiting) => {
      // The first request's transaction: the organisation's declarations locked, its passages stored, not committed.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "Organisation" WHERE "id" = $1 FOR NO KEY UPDATE`, [secretariat.organisationId]);
      for (const holder of toSend) {
        await other.query(
          `INSERT INTO "CdcPassage" ("id", "organisationId", "sourceKey", "candidateId", "idTechnique", "status", "idFlux", "exportedAt")
           VALUES ($1, $2, $3, $4, $5, 'exported', 'QRMPREMIER', now())`,
          [`race-${holder.passageKey}`, secretariat.organisationId, holder.passageKey, holder.candidateId, holder.passage.idTechnique],
        );
      }
      const second = track(exportDeclaration(secretariat));
      await until(async () => second.state.settled || (await waiting(1)), "the second export waiting on the first");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok ? "exported" : String(result.error)).toMatch(/^AppError: Un fichier de déclaration vient d'être généré/);
    });
    const rows = await prisma.cdcPassage.findMany({ where: { organisationId: secretariat.organisationId, sourceKey: { in: toSend.map((h) => h.passageKey) } } });
    expect(rows.map((r) => r.idFlux)).toEqual(toSend.map(() => "QRMPREMIER"));
  });
});

/**
 * « Habiliter » or « Renouveler » submitted twice: both requests found no overlapping (or more recent) habilitation
 * and both inserted one, so the person held two copies of the same period.
 */
describe("a habilitation created or renewed twice at once", () => {
  async function freshCertification(code: string) {
    const admin = await actorOf("admin@quorum.test");
    const person = await actorOf("membre3@quorum.test");
    const certification = await prisma.certification.create({
      data: { organisationId: admin.organisationId, kind: "CQP", code, title: "Habilitations concurrentes", nsfCodes: [], scheme: {} },
    });
    return { admin, person, certification };
  }
  /** Another request's habilitation: its lock (the key of lockHabilitations) and its period, not committed yet. */
  async function habilitateUncommitted(other: pg.Client, userId: string, certificationId: string, from: string, until: string) {
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`habilitation|${userId}|${certificationId}`]);
    await other.query(
      `INSERT INTO "Habilitation" ("id", "userId", "certificationId", "validFrom", "validUntil") VALUES ($1, $2, $3, $4, $5)`,
      [`race-${certificationId}`, userId, certificationId, from, until],
    );
  }

  it("creates one habilitation and refuses the second as overlapping", async () => {
    const { createHabilitation } = await import("~/back-office/planning/create-habilitation.server");
    const { admin, person, certification } = await freshCertification("RNCP99874");
    await withClients(async (other, waiting) => {
      await habilitateUncommitted(other, person.userId, certification.id, "2027-01-01", "2027-12-31");
      const second = track(createHabilitation({ userId: person.userId, certificationId: certification.id, validFrom: "2027-01-01", validUntil: "2027-12-31" }, admin));
      await until(async () => second.state.settled || (await waiting(1)), "the second request waiting on the first");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok && result.value).toMatchObject({ ok: false, fieldErrors: { validFrom: [expect.stringContaining("est déjà habilité(e)")] } });
    });
    expect(await prisma.habilitation.count({ where: { userId: person.userId, certificationId: certification.id } })).toBe(1);
  });

  it("renews once and refuses the second renewal", async () => {
    const { renewHabilitation } = await import("~/back-office/planning/renew-habilitation.server");
    const { admin, person, certification } = await freshCertification("RNCP99875");
    const current = await prisma.habilitation.create({
      data: { userId: person.userId, certificationId: certification.id, validFrom: new Date("2026-01-01"), validUntil: new Date("2027-06-30") },
    });
    await withClients(async (other, waiting) => {
      await habilitateUncommitted(other, person.userId, certification.id, "2027-07-01", "2028-06-30");
      const second = track(renewHabilitation(current.id, { validUntil: "2028-06-30" }, admin));
      await until(async () => second.state.settled || (await waiting(1)), "the second renewal waiting on the first");
      await other.query("COMMIT");
      const result = await second.settled;
      expect(result.ok && result.value).toMatchObject({ ok: false, formErrors: ["Une habilitation plus récente existe déjà : renouvelez celle-ci."] });
    });
    expect(await prisma.habilitation.count({ where: { userId: person.userId, certificationId: certification.id } })).toBe(2);
  });
});

/**
 * A change of a dossier from its page (company opinion, positioning, evidence…) while the jury records its decision:
 * the change read the dossier still open, then waited for the decision's row lock and overwrote the decided dossier.
 */
describe("a dossier changed while its jury decision is being recorded", () => {
  it("refuses the change once the decision is committed", async () => {
    const { recordCompanyOpinion } = await import("~/back-office/dossiers/record-company-opinion.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const latest = await prisma.referentialVersion.findFirstOrThrow({
      where: { publishedAt: { not: null }, certification: { organisationId: secretariat.organisationId } },
      orderBy: { version: "desc" },
    });
    const candidate = await prisma.candidate.create({ data: { organisationId: secretariat.organisationId, birthName: "DECIDE", givenNames: "Pendant" } });
    const dossier = await prisma.dossier.create({
      data: {
        organisationId: secretariat.organisationId,
        candidateId: candidate.id,
        certificationId: latest.certificationId,
        referentialVersionId: latest.id,
        route: "FORMATION",
        status: "ON_AGENDA",
      },
    });
    await withClients(async (other, waiting) => {
      // The decision's transaction, as recordDecision moves the dossier: updated, not committed.
      await other.query("BEGIN");
      await other.query(`UPDATE "Dossier" SET "status" = 'DECIDED' WHERE "id" = $1`, [dossier.id]);
      const change = track(recordCompanyOpinion(secretariat, dossier.id, { favourable: true, text: "Avis tardif", givenAt: new Date() }));
      await until(async () => change.state.settled || (await waiting(1)), "the change waiting on the decision");
      await other.query("COMMIT");
      const result = await change.settled;
      expect(result.ok && result.value).toMatchObject({ ok: false, formErrors: [expect.stringContaining("Dossier clos")] });
    });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).companyOpinion).toBeNull();
  });
});

/**
 * A dossier's status changed (its checklist judged) while its page removes what the new status requires: the
 * checklist was read before the removal committed, the status update waited for it, then moved the dossier anyway.
 */
describe("a dossier registered while its blocs are being removed", () => {
  it("judges the checklist after the removal and refuses the registration", async () => {
    const { changeDossierStatus } = await import("~/back-office/dossiers/change-dossier-status.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const latest = await prisma.referentialVersion.findFirstOrThrow({
      where: { publishedAt: { not: null }, blocs: { some: {} }, certification: { organisationId: secretariat.organisationId } },
      orderBy: { version: "desc" },
      include: { blocs: true },
    });
    const candidate = await prisma.candidate.create({
      data: {
        organisationId: secretariat.organisationId,
        birthName: "INSCRIT",
        givenNames: "Pendant",
        sex: "F",
        birthDate: new Date("1990-01-01"),
        birthPlace: "Lyon (69)",
      },
    });
    const dossier = await prisma.dossier.create({
      data: {
        organisationId: secretariat.organisationId,
        candidateId: candidate.id,
        certificationId: latest.certificationId,
        referentialVersionId: latest.id,
        route: "BLOCS",
        status: "DRAFT",
        blocs: { create: [{ blocId: latest.blocs[0]!.id }] },
      },
    });
    await withClients(async (other, waiting) => {
      // updateDossierBlocs emptying the blocs: the dossier locked (findOpenDossier), its blocs deleted, not committed.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "Dossier" WHERE "id" = $1 FOR NO KEY UPDATE`, [dossier.id]);
      await other.query(`DELETE FROM "DossierBloc" WHERE "dossierId" = $1`, [dossier.id]);
      const change = track(changeDossierStatus(secretariat, dossier.id, { from: "DRAFT", to: "REGISTERED" }));
      await until(async () => change.state.settled || (await waiting(1)), "the status change waiting on the blocs' removal");
      await other.query("COMMIT");
      const result = await change.settled;
      expect(result.ok && result.value).toMatchObject({ ok: false, fieldErrors: { to: [expect.stringContaining("Inscription impossible — Blocs visés")] } });
    });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).status).toBe("DRAFT");
  });
});

/**
 * A dossier put on a jury's agenda while its page removes a required piece of evidence: the planning read the dossier
 * complete, its guarded status update waited for the removal, then put an incomplete dossier before the jury.
 */
describe("a dossier put on the agenda while its evidence is being removed", () => {
  it("judges completeness after the removal and refuses the incomplete dossier", async () => {
    const { addAgendaItem } = await import("~/back-office/planning/add-agenda-item.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const identity = await prisma.evidence.findFirstOrThrow({
      where: { kind: "IDENTITY", dossier: { status: "COMPLETE", route: "FORMATION", organisationId: secretariat.organisationId } },
      include: { dossier: true },
    });
    const { dossier } = identity;
    const jury = await prisma.session.create({
      data: {
        organisationId: secretariat.organisationId,
        kind: "JURY",
        title: "Jury planifié pendant un retrait de pièce",
        startsAt: new Date(Date.now() + 30 * 86_400_000),
        endsAt: new Date(Date.now() + 30 * 86_400_000 + 3_600_000),
        referentialVersionId: dossier.referentialVersionId,
      },
    });
    await withClients(async (other, waiting) => {
      // deleteEvidence: the dossier locked (findOpenDossier), its identity document deleted, not committed.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "Dossier" WHERE "id" = $1 FOR NO KEY UPDATE`, [dossier.id]);
      await other.query(`DELETE FROM "Evidence" WHERE "id" = $1`, [identity.id]);
      const adding = track(addAgendaItem(jury.id, dossier.id, secretariat));
      await until(async () => adding.state.settled || (await waiting(1)), "the planning waiting on the evidence's removal");
      await other.query("COMMIT");
      const result = await adding.settled;
      expect(result.ok && result.value).toMatchObject({ ok: false, fieldErrors: { dossierId: expect.arrayContaining([expect.stringContaining("Dossier incomplet")]) } });
    });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).status).toBe("COMPLETE");
    expect(await prisma.juryAgendaItem.count({ where: { sessionId: jury.id } })).toBe(0);
  });
});

describe("the planning page read while the jury works", () => {
  it("does not lock the session: it answers while a jury command holds the session row, and the command never waits for it", async () => {
    const { getSessionPlanning } = await import("~/back-office/planning/get-session-planning.server");
    const secretariat = await actorOf("secretariat@quorum.test");
    const jury = await prisma.session.findFirstOrThrow({ where: { kind: "JURY", organisationId: secretariat.organisationId }, select: { id: true, title: true } });
    await withClients(async (other) => {
      // A jury command's first step (lockJury): the session row updated, not committed yet.
      await other.query("BEGIN");
      await other.query('UPDATE "Session" SET "juryStateVersion" = "juryStateVersion" + 1 WHERE "id" = $1', [jury.id]);
      // Before, the page locked the session FOR UPDATE in its transaction: it waited for the command (and every
      // command, connection event and vote waited for the page). Now it reads one snapshot and answers.
      const page = await getSessionPlanning(jury.id, secretariat.organisationId);
      expect(page.session.title).toBe(jury.title);
      await other.query("COMMIT");
    });
  });
});

describe("password reset links asked for at the same moment", () => {
  it("never sends more links per hour than the limit: the count is made under the account's lock", async () => {
    const { requestPasswordReset, passwordResetLockKey, MAX_RESETS_PER_HOUR } = await import("~/platform/auth/request-password-reset.server");
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "membre2@quorum.test" }, select: { id: true } });
    const links = () => prisma.passwordResetToken.count({ where: { userId: user.id } });
    const before = await links();
    for (let i = before; i < MAX_RESETS_PER_HOUR - 1; i++) await requestPasswordReset({ email: "membre2@quorum.test", ip: null, userAgent: null });
    expect(await links()).toBe(MAX_RESETS_PER_HOUR - 1);
    await withClients(async (other, waiting) => {
      // Another request's first steps: the account's lock, its link written, not committed yet (the last one allowed).
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [passwordResetLockKey(user.id)]);
      await other.query(
        `INSERT INTO "PasswordResetToken" ("id", "userId", "tokenHash", "expiresAt", "createdAt") VALUES ($1, $2, $3, now() + interval '30 minutes', now())`,
        [`race-${Date.now()}`, user.id, `hash-${Date.now()}`],
      );
      const mine = track(requestPasswordReset({ email: "membre2@quorum.test", ip: null, userAgent: null }));
      await until(async () => mine.state.settled || (await waiting()), "the request waiting for the other's lock, or done");
      expect(mine.state.settled).toBe(false);
      await other.query("COMMIT");
      expect((await mine.settled).ok).toBe(true);
    });
    expect(await links()).toBe(MAX_RESETS_PER_HOUR);
  });
});

/**
 * A member removed while a document naming them is submitted for signature (decision 0023): the removal checked their
 * pending signatures, found none (the submission not committed yet), and removed them; the document then waited for
 * a signature nobody could ever give. The submission holds its signers' memberships FOR SHARE; the removal locks the
 * membership before its check, so it waits for the submission and sees it.
 */
describe("a member removed while a procès-verbal naming them is submitted for signature", () => {
  it("waits for the submission, then refuses the removal in French: the member stays", async () => {
    const { removeMember } = await import("~/back-office/members/remove-member.server");
    const admin = await actorOf("admin@quorum.test");
    const { passwordHash } = await prisma.user.findUniqueOrThrow({ where: { email: "president@quorum.test" } });
    const rachel = await prisma.user.create({
      data: {
        email: "rachel.race@quorum.test",
        displayName: "Rachel Race",
        passwordHash,
        memberships: { create: { organisationId: admin.organisationId, role: "MEMBER" } },
      },
    });
    // A closed commission she presided: its procès-verbal is hers to sign once finalised.
    const startsAt = new Date("2026-11-12T08:00:00Z");
    const session = await prisma.session.create({
      data: {
        organisationId: admin.organisationId,
        kind: "COMMISSION",
        title: "Commission close (course à la signature)",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        status: "CLOSED",
        members: { create: { userId: rachel.id, role: "PRESIDENT" } },
      },
    });
    await withClients(async (other, waiting) => {
      // The finalisation's steps (openSigning): the document's row, its signers' memberships, the seal; not committed.
      await other.query("BEGIN");
      await other.query(`INSERT INTO "SessionMinutes" ("id", "sessionId") VALUES ($1, $2)`, [`race-minutes-${session.id}`, session.id]);
      await other.query(`SELECT 1 FROM "Membership" WHERE "organisationId" = $1 AND "userId" = $2 FOR SHARE`, [admin.organisationId, rachel.id]);
      await other.query(`UPDATE "SessionMinutes" SET "status" = 'SIGNING', "sealedHash" = $2, "sealedAt" = now() WHERE "sessionId" = $1`, [
        session.id,
        "0".repeat(64),
      ]);
      const removal = track(removeMember(rachel.id, admin));
      await until(async () => removal.state.settled || (await waiting()), "the removal waiting for the submission, or done");
      expect(removal.state.settled).toBe(false);
      await other.query("COMMIT");
      const result = await removal.settled;
      expect(result.ok).toBe(false);
      expect(String(!result.ok && result.error)).toContain("Rachel Race doit encore signer : procès-verbal de la commission du 12 novembre 2026");
    });
    expect(await prisma.membership.count({ where: { userId: rachel.id, organisationId: admin.organisationId } })).toBe(1);
  });
});
