/**
 * The live commission end to end on the real server: declaring, co-scoring through real y-websocket clients,
 * sealing (with an edit racing the seal), idempotent signatures (two tabs at once), the signed PDF, refusal of
 * later edits, and the audit chain (verified, then tampered with).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalDocumentJson, sha256Hex } from "~/domain/canonical";
import * as Y from "yjs";
import {
  asSignedFromPage,
  closeAll,
  connectGrid,
  findCommission,
  rememberShownHash,
  routeData,
  until,
  type GridClient,
  type SessionIds,
} from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";

let server: TestServer;
let database: TestDatabase;
let ids: SessionIds;
const cookies: Record<string, string> = {};
const clients: GridClient[] = [];

async function passage(who: string, fields: Record<string, string>, slotId = ids.slotIds[0]) {
  const url = `/sessions/${ids.sessionId}/passages/${slotId}`;
  const res = await fetch(`${server.baseUrl}${url}`, {
    method: "POST",
    headers: {
      Cookie: cookies[who],
      Origin: server.baseUrl,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(asSignedFromPage(url, fields)).toString(),
    redirect: "manual",
  });
  const body = (await res.json()) as {
    ok: boolean;
    error?: string;
    details?: string[];
    state?: {
      gridStatus: string;
      sealedHash: string | null;
      signatures: Array<{ userId: string }>;
      round: number;
      version: number;
    };
  };
  rememberShownHash(url, body);
  return { status: res.status, body };
}

beforeAll(async () => {
  database = await prepareDemoDatabase(); // ours: the audit test reopens it after stopping the server
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "membre3", "observateur"]) {
    cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  }
  ids = await findCommission(server.baseUrl, cookies.president);
});

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null) await server.stop();
  await database?.dispose();
});

describe("live commission", () => {
  it("refuses scoring before the declaration of no conflict, then accepts it", async () => {
    const grid = connectGrid(server.baseUrl, ids.documentName, cookies.membre1);
    clients.push(grid);
    await until(() => grid.synced, "membre1 synced");
    grid.results.set(ids.competenceIds[0], "ACQUIS");
    await until(() => grid.denied.length > 0, "permission denied before declaring");
    expect(grid.denied[0]).toMatch(/Lecture seule/);
    grid.close();

    for (const who of ["president", "membre1", "membre2"]) {
      const { status, body } = await passage(who, { intent: "declare" });
      expect(status, body.error).toBe(200);
    }
    // The observer does not score: no declaration for them.
    const refused = await passage("observateur", { intent: "declare" });
    expect(refused.status).toBe(403);
    // Jeanne does not sit in this commission: whatever she sends, the passage is « introuvable », as the session's page
    // says, never that it exists.
    const attempts: Array<Record<string, string>> = [
      { intent: "declare" },
      { intent: "phase", to: "PRESENTATION" },
      { intent: "open-signing" },
      { intent: "sign", password: "quorum-demo", consent: "on" },
      { intent: "reopen", reason: "Je ne siège pas." },
    ];
    for (const fields of attempts) {
      const stranger = await passage("membre3", fields);
      expect(stranger.status, fields.intent).toBe(404);
      expect(stranger.body.error, fields.intent).toBe("Cette session n'existe pas ou ne vous est pas accessible.");
    }
  });

  it("lets only the president change the phase: a member's or the observer's change is refused and changes nothing", async () => {
    for (const who of ["membre1", "membre2", "observateur"]) {
      const refused = await passage(who, { intent: "phase", to: "PRESENTATION" });
      expect(refused.status, who).toBe(403);
      expect(refused.body.ok, who).toBe(false);
      expect(refused.body.error, who).toMatch(/^Seul le président de la commission peut/);
    }
    // Nothing moved: the president's own change to « Présentation » is accepted, so it was not already done.
    const moved = await passage("president", { intent: "phase", to: "PRESENTATION" });
    expect(moved.status, moved.body.error).toBe(200);
    expect(moved.body.state).toMatchObject({ phase: "PRESENTATION" });
    const back = await passage("membre1", { intent: "phase", to: "ACCUEIL" });
    expect(back.status).toBe(403);
    // The president may take it back: the passage has not begun again (the next test starts from « Accueil »).
    expect((await passage("president", { intent: "phase", to: "ACCUEIL" })).body.state).toMatchObject({ phase: "ACCUEIL" });
  });

  it("refuses to open signing while something required is missing, listing it", async () => {
    // Not before the passage has started (« Accueil »): the button is not offered, and the server refuses.
    const early = await passage("president", { intent: "open-signing" });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/passez d'abord à la présentation/);
    expect((await passage("president", { intent: "phase", to: "PRESENTATION" })).status).toBe(200);

    const { status, body } = await passage("president", { intent: "open-signing" });
    expect(status).toBe(409);
    expect(body.details).toContain("La synthèse de la commission est vide.");
    expect(body.details?.some((d) => d.startsWith("C1 : résultat de la commission manquant"))).toBe(true);
    // Only the president opens signing.
    expect((await passage("membre1", { intent: "open-signing" })).status).toBe(403);
  });

  it("seals the grid: an edit racing the seal is either in the sealed content or refused", async () => {
    // Scoring opens after « Accueil », and the consolidated result is the president's (the grid's schema).
    const phase = await passage("president", { intent: "phase", to: "EVALUATION" });
    expect(phase.status, JSON.stringify(phase.body)).toBe(200);
    const writer = connectGrid(server.baseUrl, ids.documentName, cookies.president);
    const watcher = connectGrid(server.baseUrl, ids.documentName, cookies.membre2);
    clients.push(writer, watcher);
    await until(() => writer.synced && watcher.synced, "both synced");
    writer.doc.transact(() => {
      for (const id of ids.competenceIds) writer.results.set(id, "ACQUIS");
      writer.doc.getText("synthesis").insert(0, "Candidate rigoureuse, à l'aise avec les financeurs.");
    });
    await until(() => writer.acked > 0 && watcher.results.size === ids.competenceIds.length, "grid filled");

    // Keep editing a comment while the president opens signing.
    let racing = true;
    const race = (async () => {
      for (let i = 0; racing && i < 200; i++) {
        writer.comments.set(ids.competenceIds[1], `relecture ${i}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const opened = await passage("president", { intent: "open-signing" });
    racing = false;
    await race;
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.state?.gridStatus).toBe("SIGNING");
    const sealedHash = opened.body.state!.sealedHash!;

    // A fresh reader sees exactly the sealed content: nothing was stored after the hash.
    const reader = connectGrid(server.baseUrl, ids.documentName, cookies.observateur);
    clients.push(reader);
    await until(() => reader.synced, "reader synced");
    expect(sha256Hex(canonicalDocumentJson(Y.encodeStateAsUpdate(reader.doc)))).toBe(sealedHash);

    // Later edits are refused.
    writer.comments.set(ids.competenceIds[1], "trop tard");
    await until(() => writer.denied.some((d) => /scellé/i.test(d)), "sealed refusal");
  });

  it("signs idempotently, refuses a wrong password, and reopening voids the signatures", async () => {
    const wrong = await passage("membre1", { intent: "sign", password: "erreur", consent: "on" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatch(/Mot de passe incorrect/);
    const noConsent = await passage("membre1", { intent: "sign", password: "quorum-demo" });
    expect(noConsent.body.error).toMatch(/consentement/);

    // Two tabs at once: one signature.
    const [a, b] = await Promise.all([
      passage("membre1", { intent: "sign", password: "quorum-demo", consent: "on" }),
      passage("membre1", { intent: "sign", password: "quorum-demo", consent: "on" }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const after = b.body.state!.signatures.length >= a.body.state!.signatures.length ? b : a;
    expect(after.body.state!.signatures).toHaveLength(1);

    // Reopening voids the signatures given: not without a reason, which the audit records. A reason is words, as for
    // the decision sheet and the minutes: « ... », « -- » or « ok » say nothing the signers could read.
    for (const reason of ["", "  ", "x".repeat(501), "...", "---", "ok", "? ! ?"]) {
      const refused = await passage("president", { intent: "reopen", reason });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/motif de la réouverture.*rien n'a été annulé/);
    }
    const reopened = await passage("president", { intent: "reopen", reason: "Coquille dans un commentaire" });
    expect(reopened.body.state).toMatchObject({ gridStatus: "OPEN", signatures: [], round: 1 });
  });

  it("completes signing: SIGNED, a PDF with its hash, and every later write refused", async () => {
    const opened = await passage("president", { intent: "open-signing" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const hash = opened.body.state!.sealedHash!;
    const signed = await Promise.all(
      ["president", "membre1", "membre2"].map((who) => passage(who, { intent: "sign", password: "quorum-demo", consent: "on" })),
    );
    expect(signed.map((r) => r.status)).toEqual([200, 200, 200]);
    // Each signature is its own change (one version each); whatever order the members' pages receive the three
    // states in, the one with the highest version is the final one.
    const versions = signed.map((r) => r.body.state!.version);
    expect(Math.max(...versions)).toBeGreaterThanOrEqual(opened.body.state!.version + 3);
    const newest = signed.find((r) => r.body.state!.version === Math.max(...versions))!;
    expect(newest.body.state).toMatchObject({ gridStatus: "SIGNED" });
    expect(newest.body.state!.signatures).toHaveLength(3);
    // The PDF is rendered after the commit: « en préparation » (404) until the render runner stored it.
    const pdfUrl = `${server.baseUrl}/sessions/${ids.sessionId}/passages/${ids.slotIds[0]}/grille.pdf`;
    let pdf = await fetch(pdfUrl, { headers: { Cookie: cookies.membre2 } });
    await until(async () => {
      pdf = await fetch(pdfUrl, { headers: { Cookie: cookies.membre2 } });
      return pdf.status === 200;
    }, "signed PDF rendered", { timeoutMs: 60_000 });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(pdf.headers.get("x-content-sha256")).toMatch(/^[0-9a-f]{64}$/);

    const late = connectGrid(server.baseUrl, ids.documentName, cookies.membre1);
    clients.push(late);
    await until(() => late.synced, "late synced");
    late.results.set(ids.competenceIds[0], "NON_ACQUIS");
    await until(() => late.denied.length > 0, "refused after signing");
    const reopen = await passage("president", { intent: "reopen", reason: "trop tard" });
    expect(reopen.status).toBe(409);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("throttles password re-entry at signing like the login, so it cannot be used to guess a password", async () => {
    // The login's rule for an account from one address (app/domain/login-throttle.ts): 3 free failures, then a delay.
    for (let i = 0; i < 3; i++) {
      const wrong = await passage("observateur", { intent: "sign", password: `essai-${i}`, consent: "on" });
      expect(wrong.body.error).toMatch(/Mot de passe incorrect/);
    }
    // Right after, even the right password is refused, without being checked.
    const blocked = await passage("observateur", { intent: "sign", password: "quorum-demo", consent: "on" });
    expect(blocked.status).toBe(429);
    // Said as a signature, not a login: « Trop d'essais de mot de passe : réessayez de signer dans … ».
    expect(blocked.body.error).toMatch(/^Trop d'essais de mot de passe : réessayez de signer dans \d+ secondes?\.$/);
  });

  it("shows the demo's grids sealed before today as they were sealed: their content, and every signature given", async () => {
    // Opened after the session, a seeded grid said « Grille signée par tous » above members « en attente de
    // signature », beside an empty grid (no document), and one awaited signatures on a hash of zeros.
    type Room = {
      session: { slots: Array<{ id: string }> };
      documentName: string | null;
      signers: Array<{ userId: string }>;
      slotState: { gridStatus: string; sealedHash: string | null; signatures: Array<{ userId: string }> } | null;
    };
    const seen = new Set<string>();
    let sealed = 0;
    let signed = 0;
    // Each past commission through one of its members (the demo jury's grids were scored by its two evaluators).
    for (const who of ["president", "membre1", "evaluateur-pro"]) {
      const cookie = cookies[who] ?? (cookies[who] = await login(server.baseUrl, `${who}@quorum.test`));
      const list = await routeData<{ past: Array<{ id: string; kind: string }> }>(server.baseUrl, "/sessions", cookie, "routes/sessions/sessions");
      for (const session of list.past.filter((s) => s.kind === "COMMISSION" && !seen.has(s.id))) {
        seen.add(session.id);
        const page = await routeData<Room>(server.baseUrl, `/sessions/${session.id}`, cookie, "routes/sessions/session");
        for (const { id: slotId } of page.session.slots) {
          const room = await routeData<Room>(server.baseUrl, `/sessions/${session.id}?candidat=${slotId}`, cookie, "routes/sessions/session");
          const state = room.slotState!;
          if (state.gridStatus === "OPEN") continue;
          sealed++;
          if (state.gridStatus === "SIGNED") {
            signed++;
            expect(state.signatures.map((s) => s.userId).sort()).toEqual(room.signers.map((s) => s.userId).sort());
          }
          const grid = connectGrid(server.baseUrl, room.documentName!, cookie);
          clients.push(grid);
          await until(() => grid.synced, `${room.documentName} synced`);
          expect(grid.results.size, room.documentName!).toBeGreaterThan(0);
          expect(sha256Hex(canonicalDocumentJson(Y.encodeStateAsUpdate(grid.doc)))).toBe(state.sealedHash);
          grid.close();
        }
      }
    }
    expect(sealed).toBeGreaterThan(signed); // the one awaiting signatures too
    expect(signed).toBeGreaterThanOrEqual(6);
  });

  it("keeps an intact audit chain, and reports the first broken link once tampered with", async () => {
    expect(await server.stop()).toBe(0);
    // The server is stopped: this process may open its database now (PGlite allows one process per directory).
    await withPrisma(database, async (prisma) => {
      const { verifyAuditChain } = await import("~/platform/audit/verify-audit.server");
      const intact = await verifyAuditChain();
      expect(intact.broken).toBeNull();
      const actions = (await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } })).map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(["slot.no_conflict_declared", "grid.sealed", "grid.signed", "grid.reopened", "grid.completed"]),
      );
      const victim = await prisma.auditEvent.findFirstOrThrow({ where: { action: "grid.signed" }, orderBy: { seq: "asc" } });
      await prisma.auditEvent.update({ where: { seq: victim.seq }, data: { actorId: "quelqu-un-d-autre" } });
      const broken = await verifyAuditChain();
      expect(broken.broken).toEqual({ seq: String(victim.seq), reason: "contenu modifié ou maillon recalculé sans la clé" });
    });
  });
});
