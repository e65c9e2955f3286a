/**
 * « Membres » against the real production server: the administration invites a person (a new account chooses its
 * password from the e-mailed link, once, and signs in), adds an existing account, changes roles (never leaving the
 * organisation without an administrator), sends an invitation again, removes a member (not while seated in a session
 * not closed, nor while they still have a document to sign: the page says which); nobody else reaches the page. A secretariat demoted or removed stops reading the sessions' live texts at
 * once (the periodic sweep of ended sign-ins is pushed out of the test's reach). E-mail through a fake SMTP relay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, postLogin, prepareDemoDatabase, sessionCookieFrom, startServer, type TestServer } from "../support/server";
import type { TestDatabase } from "../support/database";
import { withPrisma } from "../support/prisma";
import { mailText, startFakeSmtp } from "../support/fake-smtp";
import { decodeHtml, postForm, readPage } from "../support/html";
import { clientTracker, connectGrid, findCommission, until } from "../support/clients";
import { minutesDocumentName } from "~/domain/minutes";
import { candidateName } from "~/domain/identity";
import { ofName } from "~/domain/format";

const LINK = /https:\/\/quorum\.example\.fr\/mot-de-passe-oublie\/([a-z2-7]{32})/;

describe("the organisation's members", () => {
  let database: TestDatabase;
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  let admin: string;
  /** Paul Paraphe sat (as a member) on the demo's closed commission whose grid of Camille MOREAU awaits signatures. */
  const paul = { userId: "", sessionId: "", slotId: "", sealedHash: "" };

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    database = await prepareDemoDatabase();
    await withPrisma(database, async (prisma) => {
      const slot = await prisma.sessionSlot.findFirstOrThrow({
        where: { gridStatus: "SIGNING", candidate: { birthName: "MOREAU" } },
        select: { id: true, sessionId: true, sealedHash: true, session: { select: { organisationId: true, status: true } } },
      });
      expect(slot.session.status).toBe("CLOSED");
      const { passwordHash } = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.president } });
      const user = await prisma.user.create({
        data: {
          email: "paul.paraphe@quorum.test",
          displayName: "Paul Paraphe",
          passwordHash,
          memberships: { create: { organisationId: slot.session.organisationId, role: "MEMBER" } },
        },
      });
      // A scoring seat: one of the grid's signers, who has not signed it yet (and sits in no session still open).
      await prisma.sessionMember.create({ data: { sessionId: slot.sessionId, userId: user.id, role: "MEMBER", evaluatorProfile: "PROFESSIONAL" } });
      Object.assign(paul, { userId: user.id, sessionId: slot.sessionId, slotId: slot.id, sealedHash: slot.sealedHash! });
    });
    server = await startServer({
      database,
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
        PUBLIC_URL: "https://quorum.example.fr",
        // Only the removal itself may close a removed member's connections, not the periodic sweep (every 15 s).
        QUORUM_SIGN_IN_SWEEP_MS: "600000",
      },
    });
    admin = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    await database?.dispose();
  });

  const submissionKey = async (cookie: string) => {
    const { text } = await readPage(server.baseUrl, cookie, "/membres");
    return /name="submissionKey" value="([0-9a-f-]{36})"/.exec(text)![1];
  };
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  /** The user id of a member as the page lists it (its « Renvoyer » / role forms carry it). */
  const userIdOf = async (email: string) => {
    const { text } = await readPage(server.baseUrl, admin, `/membres?q=${encodeURIComponent(email)}`);
    return /name="userId" value="([^"]+)"/.exec(text)![1];
  };

  it("invites a new person, who chooses a password with the link, once, and then signs in as a member", async () => {
    const key = await submissionKey(admin);
    const body = { intent: "invite", email: " Nadia.Nouvelle@Example.org ", displayName: "Nadia Nouvelle", role: "MEMBER", submissionKey: key };
    const [first, second] = await Promise.all([postForm(server.baseUrl, admin, "/membres", body), postForm(server.baseUrl, admin, "/membres", body)]);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(first.headers.get("location")).toBe("/membres?fait=invitation");
    const address = "nadia.nouvelle@example.org";
    expect(mailsTo(address)).toHaveLength(1); // the form sent twice: one member, one e-mail

    const listed = await readPage(server.baseUrl, admin, "/membres?fait=invitation");
    expect(listed.text).toContain("Invitation envoyée");
    // Her own row says so (the demo's Noé Nouveau, invited when the demo was created, is pending too).
    const row = listed.text.split('data-testid="member"').find((r) => r.includes("Nadia Nouvelle")) ?? "";
    expect(row).toContain("Invitation en attente");
    // The outbox shows that it was sent, never the link.
    const outbox = await readPage(server.baseUrl, admin, "/outbox?q=nadia.nouvelle");
    expect(outbox.text).toContain("invitation de CPNEF");
    expect(outbox.text).not.toMatch(LINK);

    // No password yet: no sign-in with any.
    expect(sessionCookieFrom(await postLogin(server.baseUrl, address, ""))).toBeNull();
    expect(sessionCookieFrom(await postLogin(server.baseUrl, address, "quorum-demo"))).toBeNull();

    const text = mailText(mailsTo(address)[0].data);
    expect(text).toContain("Alice Administratrice vous invite à rejoindre");
    expect(text).toContain("« Membre (évaluateur, juré) »");
    const path = `/mot-de-passe-oublie/${LINK.exec(text)![1]}`;
    const welcome = await readPage(server.baseUrl, "", path);
    expect(welcome.text).toContain("Bienvenue sur Quorum");
    const chosen = await postForm(server.baseUrl, "", path, { password: "un mot de passe sûr", confirm: "un mot de passe sûr" });
    expect(chosen.status).toBe(302);
    expect((await readPage(server.baseUrl, "", path)).text).toContain("Ce lien d'invitation n'est plus valable");

    const nadia = await login(server.baseUrl, address, "un mot de passe sûr");
    expect((await readPage(server.baseUrl, nadia, "/sessions")).status).toBe(200);
    expect((await readPage(server.baseUrl, nadia, "/membres")).status).toBe(403);
    expect((await readPage(server.baseUrl, admin, `/membres?q=nadia`)).text).toContain("Actif");
  });

  it("refuses in French an address already a member, an invalid one, a hidden character, an unknown role", async () => {
    const post = async (fields: Record<string, string>) => {
      const res = await postForm(server.baseUrl, admin, "/membres", { intent: "invite", displayName: "Quelqu'un", role: "MEMBER", ...fields });
      return { status: res.status, text: await res.text() };
    };
    const already = await post({ email: DEMO_ACCOUNTS.membre1.toUpperCase() });
    expect(already.status).toBe(400);
    expect(already.text).toContain("est déjà membre de votre organisation, avec le rôle « Membre (évaluateur, juré) »");
    expect((await post({ email: "pas-une-adresse" })).text).toContain("Adresse e-mail invalide.");
    expect((await post({ email: "x@example.org", displayName: "Jean\u202Egnol" })).text).toContain("Caractères invisibles ou de contrôle refusés");
    // Printed on the grids, minutes and decision sheets they sign: only what the PDFs' fonts have.
    const emoji = await post({ email: "x@example.org", displayName: "Jean 🙂" });
    expect(emoji.status).toBe(400);
    expect(emoji.text).toContain("Le caractère « 🙂 » (U+1F642) ne peut pas figurer dans les documents signés");
    expect((await post({ email: "x@example.org", role: "SUPERADMIN" })).text).toContain("Choisissez un rôle : Administration, Secrétariat");
    expect(mailsTo("x@example.org")).toHaveLength(0);
  });

  it("keeps an administrator: the only one cannot step down, until another is named", async () => {
    const me = await userIdOf(DEMO_ACCOUNTS.admin);
    const refused = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: me, role: "SECRETARIAT" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("L'organisation doit garder au moins une personne en administration");
    // An administrator invited, who has not chosen a password yet, does not count: she may never come.
    const invited = await postForm(server.baseUrl, admin, "/membres", {
      intent: "invite", email: "adjointe@example.org", displayName: "Adèle Adjointe", role: "ADMIN", submissionKey: await submissionKey(admin),
    });
    expect(invited.status).toBe(302);
    const stillRefused = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: me, role: "MEMBER" });
    expect(stillRefused.status).toBe(409);
    expect(await stillRefused.text()).toContain("une invitation en attente ne compte pas");
    expect((await readPage(server.baseUrl, admin, "/membres")).status).toBe(200);
    expect((await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf("adjointe@example.org") })).status).toBe(302);

    const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    expect((await readPage(server.baseUrl, secretariat, "/membres")).status).toBe(403);
    const promoted = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: await userIdOf(DEMO_ACCOUNTS.secretariat), role: "ADMIN" });
    expect(promoted.headers.get("location")).toBe("/membres?fait=role");
    // Applies from the member's next page, without signing in again.
    expect((await readPage(server.baseUrl, secretariat, "/membres")).status).toBe(200);

    const stepDown = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: me, role: "SECRETARIAT" });
    expect(stepDown.status).toBe(302);
    expect((await readPage(server.baseUrl, admin, "/membres")).status).toBe(403);
    // Back as it was, for the other tests.
    const back = await postForm(server.baseUrl, secretariat, "/membres", { intent: "role", userId: me, role: "ADMIN" });
    expect(back.status).toBe(302);
    await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: await userIdOf(DEMO_ACCOUNTS.secretariat), role: "SECRETARIAT" });
    expect((await readPage(server.baseUrl, secretariat, "/membres")).status).toBe(403);
  });

  it("removes a member (not one still seated in a session not closed): their sign-in ends, their link too", async () => {
    const seated = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf(DEMO_ACCOUNTS.membre1) });
    expect(seated.status).toBe(409);
    const why = await seated.text();
    expect(why).toContain("Marie Membre siège encore dans");
    expect(why).toContain("Commission d'évaluation");

    const key = await submissionKey(admin);
    await postForm(server.baseUrl, admin, "/membres", { intent: "invite", email: "leo@example.org", displayName: "Léo Départ", role: "OBSERVER", submissionKey: key });
    const leo = await userIdOf("leo@example.org");
    const resent = await postForm(server.baseUrl, admin, "/membres", { intent: "resend", userId: leo });
    expect(resent.headers.get("location")).toBe("/membres?fait=relance");
    const [oldLink, newLink] = mailsTo("leo@example.org").map((m) => LINK.exec(mailText(m.data))![1]);
    expect(oldLink).not.toBe(newLink);
    expect((await readPage(server.baseUrl, "", `/mot-de-passe-oublie/${oldLink}`)).text).toContain("Ce lien d'invitation n'est plus valable");
    expect((await readPage(server.baseUrl, "", `/mot-de-passe-oublie/${newLink}`)).text).toContain("Bienvenue sur Quorum");

    const removed = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: leo });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");
    expect((await readPage(server.baseUrl, admin, "/membres")).text).not.toContain("Léo Départ");
    expect((await readPage(server.baseUrl, "", `/mot-de-passe-oublie/${newLink}`)).text).toContain("Ce lien d'invitation n'est plus valable");
    // Sent again (a double click): nothing more happens.
    expect((await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: leo })).status).toBe(302);

    // A member signed in when removed: the next page asks to sign in.
    await postForm(server.baseUrl, admin, "/membres", { intent: "invite", email: "ines@example.org", displayName: "Inès Passage", role: "SECRETARIAT", submissionKey: await submissionKey(admin) });
    const link = LINK.exec(mailText(mailsTo("ines@example.org")[0].data))![1];
    await postForm(server.baseUrl, "", `/mot-de-passe-oublie/${link}`, { password: "mot de passe d'Inès", confirm: "mot de passe d'Inès" });
    const ines = await login(server.baseUrl, "ines@example.org", "mot de passe d'Inès");
    expect((await readPage(server.baseUrl, ines, "/candidates")).status).toBe(200);
    await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf("ines@example.org") });
    const after = await fetch(`${server.baseUrl}/candidates`, { redirect: "manual", headers: { Cookie: ines } });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
  });

  it("says who still has to sign what, refuses their removal until they signed, then removes them as any other", async () => {
    const rowOf = (text: string, name: string) => decodeHtml(text.split('data-testid="member"').find((r) => r.includes(name)) ?? "");
    const textOf = (html: string) => html.replace(/<[^>]+>/g, "");
    const page = await readPage(server.baseUrl, admin, "/membres");
    const grid = `/sessions/${paul.sessionId}?candidat=${paul.slotId}`;
    const paulRow = rowOf(page.text, "Paul Paraphe");
    expect(paulRow).toContain("Doit encore signer :");
    expect(textOf(paulRow)).toMatch(/Doit encore signer : grille d'évaluation de Camille Anne MOREAU \(commission du \d{1,2}(er)? \S+ \d{4}\)/);
    expect(paulRow).toContain(`href="${grid}"`);
    // The secretariat opens it there (the document, not an error).
    expect((await readPage(server.baseUrl, admin, grid)).status).toBe(200);
    // The grid's other signer, its president, too (after the procès-verbaux of the demo's closed juries, not finalised,
    // which he will sign); a member with nothing to sign has no notice.
    expect(textOf(rowOf(page.text, "Pierre Président"))).toMatch(/Doit encore signer : procès-verbal du jury du .* \(pas encore finalisé\), .*grille d'évaluation de Camille Anne MOREAU/);
    expect(rowOf(page.text, "Odile Observatrice")).not.toContain("Doit encore signer");

    const cookie = await login(server.baseUrl, "paul.paraphe@quorum.test");
    const refused = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: paul.userId });
    expect(refused.status).toBe(409);
    const why = decodeHtml(await refused.text());
    expect(why).toContain("Paul Paraphe doit encore signer : grille d'évaluation de Camille Anne MOREAU");
    expect(why).toContain("Recueillez sa signature avant de le ou la retirer");
    expect(why).toContain("S'il ou elle ne pourra jamais signer, constatez son empêchement");
    // Nothing changed: still a member, still signed in, still expected on the grid.
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text, "Paul Paraphe")).toContain("Doit encore signer");
    expect((await readPage(server.baseUrl, cookie, grid)).status).toBe(200);
    // A role change leaves a seat's signatures possible: allowed.
    const role = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: paul.userId, role: "OBSERVER" });
    expect(role.headers.get("location")).toBe("/membres?fait=role");

    const signed = await postForm(server.baseUrl, cookie, `/sessions/${paul.sessionId}/passages/${paul.slotId}`, {
      intent: "sign", password: "quorum-demo", consent: "on", contentHash: paul.sealedHash,
    });
    expect(signed.status, await signed.clone().text()).toBe(200);
    const after = await readPage(server.baseUrl, admin, "/membres");
    expect(rowOf(after.text, "Paul Paraphe")).not.toContain("Doit encore signer");
    expect(rowOf(after.text, "Pierre Président")).toContain("Doit encore signer");

    const removed = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: paul.userId });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");
    expect((await readPage(server.baseUrl, admin, "/membres")).text).not.toContain("Paul Paraphe");
  });

  it("counts a closed jury's procès-verbal not finalised yet: its president cannot be removed before it is signed", async () => {
    // Victor presided a jury now closed, whose procès-verbal is finalised only after the close: removed before, he could
    // never sign it, and its finalisation would be refused for good (a signer no longer a member).
    const organisationId = (await server.prisma.organisation.findFirstOrThrow({ where: { slug: "cpnef-demo" }, select: { id: true } })).id;
    const { passwordHash } = await server.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.president }, select: { passwordHash: true } });
    const victor = await server.prisma.user.create({
      data: { email: "victor.verbal@quorum.test", displayName: "Victor Verbal", passwordHash, memberships: { create: { organisationId, role: "MEMBER" } } },
      select: { id: true },
    });
    const jury = await server.prisma.session.create({
      data: {
        organisationId,
        kind: "JURY",
        status: "CLOSED",
        title: "Jury paritaire — séance levée hier",
        startsAt: new Date("2026-11-12T08:00:00Z"),
        endsAt: new Date("2026-11-12T12:00:00Z"),
        members: { create: { userId: victor.id, role: "PRESIDENT", college: "EMPLOYER" } },
      },
      select: { id: true },
    });
    const rowOf = (text: string) => decodeHtml(text.split('data-testid="member"').find((r) => r.includes("Victor Verbal")) ?? "");
    const row = rowOf((await readPage(server.baseUrl, admin, "/membres")).text);
    expect(row.replace(/<[^>]+>/g, "")).toContain("Doit encore signer : procès-verbal du jury du 12 novembre 2026 (pas encore finalisé)");
    expect(row).toContain(`href="/sessions/${jury.id}/proces-verbal"`);
    const refused = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: victor.id });
    expect(refused.status).toBe(409);
    expect(decodeHtml(await refused.text())).toContain("Victor Verbal doit encore signer : procès-verbal du jury du 12 novembre 2026 (pas encore finalisé)");
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text)).toContain("Victor Verbal");

    // Once the procès-verbal is signed (here written as such), nothing holds him: removed as any other.
    await server.prisma.sessionMinutes.create({ data: { sessionId: jury.id, status: "SIGNED", signedAt: new Date() } });
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text)).not.toContain("Doit encore signer");
    const removed = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: victor.id });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");
  });

  it("counts a closed jury's fiche de décision not submitted yet: its presiding signer (not a recused president) stays until it is signed", async () => {
    // The sheet's signers are the kind's rule (decisionSheetSigners): whoever presided the decision, never a member
    // recused for the candidate. Removed before its submission, its signer could never sign it.
    const organisationId = (await server.prisma.organisation.findFirstOrThrow({ where: { slug: "cpnef-demo" }, select: { id: true } })).id;
    const { passwordHash } = await server.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.president }, select: { passwordHash: true } });
    const member = (email: string, displayName: string) =>
      server.prisma.user.create({ data: { email, displayName, passwordHash, memberships: { create: { organisationId, role: "MEMBER" } } }, select: { id: true } });
    const diane = await member("diane.decision@quorum.test", "Diane Décision");
    const vincent = await member("vincent.vice@quorum.test", "Vincent Vice");
    const past = await server.prisma.session.findFirstOrThrow({ where: { organisationId, kind: "JURY", status: "CLOSED", referentialVersionId: { not: null } }, select: { referentialVersionId: true } });
    const dossiers = await server.prisma.dossier.findMany({
      where: { candidate: { organisationId } },
      take: 2,
      orderBy: { id: "asc" },
      select: { id: true, candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } } },
    });
    const jury = await server.prisma.session.create({
      data: {
        organisationId,
        kind: "JURY",
        status: "CLOSED",
        title: "Jury paritaire — fiches à soumettre",
        startsAt: new Date("2026-11-13T08:00:00Z"),
        endsAt: new Date("2026-11-13T12:00:00Z"),
        referentialVersionId: past.referentialVersionId,
        members: { create: [{ userId: diane.id, role: "PRESIDENT", college: "EMPLOYER" }, { userId: vincent.id, role: "VICE_PRESIDENT", college: "EMPLOYEE" }] },
        // Its procès-verbal is signed: only the fiches de décision are left.
        minutes: { create: { status: "SIGNED", signedAt: new Date() } },
      },
      select: { id: true },
    });
    const items = [];
    for (const [position, dossier] of dossiers.entries()) {
      const item = await server.prisma.juryAgendaItem.create({ data: { sessionId: jury.id, dossierId: dossier.id, position, phase: "DECISION" }, select: { id: true } });
      await server.prisma.juryDecision.create({
        data: {
          sessionId: jury.id,
          agendaItemId: item.id,
          dossierId: dossier.id,
          overall: "NONE",
          granularity: "bloc",
          method: "CONSENSUS",
          preconisationsDoc: `preconisations:${jury.id}:${item.id}`,
          // Both recorded by Diane; for the second candidate she declared a conflict (so the kind's rule has her
          // vice-president sign it, and not her).
          decidedById: diane.id,
        },
      });
      items.push(item.id);
    }
    await server.prisma.juryConflictDeclaration.create({ data: { agendaItemId: items[1]!, userId: diane.id, conflict: true } });
    const [first, second] = dossiers.map((d) => candidateName(d.candidate));
    // A row, without the page's scripts after the last one (its data names every member's documents).
    const rowOf = (text: string, name: string) =>
      decodeHtml((text.split('data-testid="member"').find((r) => r.includes(name)) ?? "").split("<script")[0]!).replace(/<[^>]+>/g, "");

    const page = (await readPage(server.baseUrl, admin, "/membres")).text;
    expect(rowOf(page, "Diane Décision")).toContain(`Doit encore signer : fiche de décision ${ofName(first!)} (jury du 13 novembre 2026, pas encore soumise à la signature)`);
    expect(rowOf(page, "Diane Décision")).not.toContain(second!);
    expect(rowOf(page, "Vincent Vice")).toContain(`Doit encore signer : fiche de décision ${ofName(second!)} (jury du 13 novembre 2026, pas encore soumise à la signature)`);
    expect(rowOf(page, "Vincent Vice")).not.toContain(first!);
    const refused = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: diane.id });
    expect(refused.status).toBe(409);
    expect(decodeHtml(await refused.text())).toContain(`Diane Décision doit encore signer : fiche de décision ${ofName(first!)} (jury du 13 novembre 2026, pas encore soumise à la signature)`);
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text, "Diane Décision")).toContain("Diane Décision");

    // Once her fiche is signed (here written as such), nothing holds her: removed as any other.
    const decision = await server.prisma.juryDecision.findUniqueOrThrow({ where: { agendaItemId: items[0]! }, select: { id: true } });
    await server.prisma.juryDecisionSheet.create({ data: { decisionId: decision.id, status: "SIGNED", signerIds: [diane.id], signedAt: new Date() } });
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text, "Diane Décision")).not.toContain("Doit encore signer");
    const removed = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: diane.id });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");
    expect(rowOf((await readPage(server.baseUrl, admin, "/membres")).text, "Vincent Vice")).toContain("Doit encore signer");
  });

  it("refuses oneself's removal, and every command of the page to anyone but the administration", async () => {
    const self = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf(DEMO_ACCOUNTS.admin) });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("Vous ne pouvez pas vous retirer vous-même");
    const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const target = await userIdOf(DEMO_ACCOUNTS.observateur);
    const commands: Record<string, string>[] = [
      { intent: "remove", userId: target },
      { intent: "role", userId: target, role: "ADMIN" },
      { intent: "invite", email: "intrus@example.org", displayName: "Intrus", role: "ADMIN" },
    ];
    for (const fields of commands) {
      expect((await postForm(server.baseUrl, secretariat, "/membres", fields)).status).toBe(403);
    }
    expect((await readPage(server.baseUrl, admin, "/membres")).text).toContain("Odile Observatrice");
    expect(mailsTo("intrus@example.org")).toHaveLength(0);
    const unknown = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: "inconnu" });
    expect(unknown.status).toBe(302); // nothing to remove: said as done, never which ids exist
  });

  it("answers hostile values in French, never a 500, and changes nobody", async () => {
    const before = (await readPage(server.baseUrl, admin, "/membres")).text.match(/data-testid="member"/g)!.length;
    for (const intent of ["invite", "role", "resend", "remove", "", "autre"]) {
      for (const junk of ["", "\u0000", "-1", "99999999999999999999", "a".repeat(5000)]) {
        const res = await postForm(server.baseUrl, admin, "/membres", { intent, email: junk, displayName: junk, role: junk, userId: junk, submissionKey: junk });
        const text = await res.text();
        expect(res.status, `${intent} ${junk.slice(0, 20)}: ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(text).not.toMatch(/Unexpected Server Error|Invalid enum|Required/);
      }
    }
    expect((await readPage(server.baseUrl, admin, "/membres")).text.match(/data-testid="member"/g)!.length).toBe(before);
  });

  it("closes at once the procès-verbal a secretariat was reading live when demoted or removed", async () => {
    const clients = clientTracker();
    try {
      const { sessionId } = await findCommission(server.baseUrl, await login(server.baseUrl, DEMO_ACCOUNTS.president));
      const newcomer = async (email: string, displayName: string) => {
        await postForm(server.baseUrl, admin, "/membres", { intent: "invite", email, displayName, role: "SECRETARIAT", submissionKey: await submissionKey(admin) });
        const link = LINK.exec(mailText(mailsTo(email)[0].data))![1];
        await postForm(server.baseUrl, "", `/mot-de-passe-oublie/${link}`, { password: "un mot de passe sûr", confirm: "un mot de passe sûr" });
        const cookie = await login(server.baseUrl, email, "un mot de passe sûr");
        // The organisation's secretariat reads the remarks of a session it does not sit on.
        const minutes = clients.track(connectGrid(server.baseUrl, minutesDocumentName(sessionId), cookie));
        await until(() => minutes.synced, `${displayName} reads the procès-verbal's remarks`);
        return minutes;
      };

      const demoted = await newcomer("rose@example.org", "Rose Rétrogradée");
      const role = await postForm(server.baseUrl, admin, "/membres", { intent: "role", userId: await userIdOf("rose@example.org"), role: "MEMBER" });
      expect(role.headers.get("location")).toBe("/membres?fait=role");
      await until(() => demoted.closes.length > 0, "the demoted secretariat's remarks closed");
      expect(demoted.closes[0]!.code).toBe(4403);

      const removed = await newcomer("remi@example.org", "Rémi Retiré");
      const removal = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf("remi@example.org") });
      expect(removal.headers.get("location")).toBe("/membres?fait=retrait");
      await until(() => removed.closes.length > 0, "the removed secretariat's remarks closed");
      expect([4401, 4403]).toContain(removed.closes[0]!.code);
    } finally {
      clients.closeAll();
    }
  });

  it("keeps a removed member out: their password no longer signs in, so the closed sessions they sat on stay shut", async () => {
    // Emma Externe evaluated in the past commission (closed): her seat there does not hold back her removal.
    const emma = await login(server.baseUrl, "evaluateur-externe@quorum.test");
    const sessions = await readPage(server.baseUrl, emma, "/sessions");
    const seated = [...new Set([...sessions.text.matchAll(/href="\/sessions\/([a-z0-9]{20,})"/g)].map((m) => m[1]!))];
    expect(seated.length).toBeGreaterThan(0);
    for (const id of seated) expect((await readPage(server.baseUrl, emma, `/sessions/${id}`)).status).toBe(200);

    const removed = await postForm(server.baseUrl, admin, "/membres", { intent: "remove", userId: await userIdOf("evaluateur-externe@quorum.test") });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");

    const again = await postLogin(server.baseUrl, "evaluateur-externe@quorum.test", "quorum-demo");
    expect(sessionCookieFrom(again)).toBeNull();
    expect(decodeHtml(await again.text())).toContain("Votre compte ne fait plus partie d'aucune organisation");
    // A wrong password still gets the usual answer: the message tells nothing to whoever does not hold the password.
    const wrong = await postLogin(server.baseUrl, "evaluateur-externe@quorum.test", "pas le bon mot de passe");
    expect(decodeHtml(await wrong.text())).toContain("Adresse e-mail ou mot de passe incorrect.");
  });
});
