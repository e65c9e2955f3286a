/**
 * « Membres », in a browser: the president of a procès-verbal in signature will never sign; the administration records
 * his empêchement naming the session's vice-president to sign in his stead (docs/decisions/0028, « Le vice-président
 * signe pour le président empêché »). Her row then says she must sign it for him. Each step waits on what the page shows.
 */
import { expect, test } from "./fixtures";

test("the administration names the vice-president to sign for the prevented president", async ({ page, server }) => {
  // A closed jury of the demo with a vice-president, its procès-verbal submitted for signature (as after its
  // finalisation: the row in SIGNING with a sealed hash; nobody signs it in this test).
  const jury = await server.prisma.session.findFirstOrThrow({
    where: {
      kind: "JURY",
      status: "CLOSED",
      minutes: { is: null },
      AND: [{ members: { some: { role: "VICE_PRESIDENT" } } }, { members: { some: { role: "PRESIDENT", user: { email: "president@quorum.test" } } } }],
    },
    select: { id: true, members: { where: { role: "VICE_PRESIDENT" }, select: { user: { select: { displayName: true } } } } },
  });
  const vice = jury.members[0]!.user.displayName;
  await server.prisma.sessionMinutes.create({
    data: { sessionId: jury.id, status: "SIGNING", sealedHash: "a".repeat(64), sealedContent: { generated: { title: "Procès-verbal", sections: [] }, remarks: "" }, sealedAt: new Date() },
  });

  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("admin@quorum.test");
  await page.getByLabel("Mot de passe").fill("quorum-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible();
  await page.goto("/membres");

  const pierre = page.getByTestId("member").filter({ hasText: "president@quorum.test" });
  await pierre.getByText("Constater un empêchement de signer…").click();
  const form = pierre.getByTestId("record-unavailable").locator("form").filter({ has: page.locator(`input[name="documentId"][value="${jury.id}"]`) });
  await form.getByLabel("Motif de l'empêchement").fill("Hospitalisé durablement, ne pourra pas signer");
  await form.getByLabel("Votre mot de passe (confirmation)").fill("quorum-demo");
  await form.getByLabel(`${vice}, vice-président(e) de la séance, signe à sa place`, { exact: false }).check();
  await form.getByRole("button", { name: "Constater l'empêchement" }).click();
  await expect(page.getByText(/^Empêchement constaté : le ou la vice-président\(e\) désigné\(e\) signera à sa place/)).toBeVisible();

  const viceRow = page.getByTestId("member").filter({ hasText: vice }).filter({ has: page.getByTestId("pending-signatures") });
  await expect(viceRow.getByTestId("pending-signatures").getByRole("link", { name: /^procès-verbal du jury du .* \(pour Pierre Président, empêché\)$/ })).toBeVisible();
  await expect(pierre.getByTestId("pending-signatures").getByRole("link", { name: /^procès-verbal du jury du/ }).filter({ hasNotText: "pas encore finalisé" })).toHaveCount(0);
  expect(await server.prisma.signerUnavailability.count({ where: { documentId: jury.id, replacedById: { not: null } } })).toBe(1);
});
