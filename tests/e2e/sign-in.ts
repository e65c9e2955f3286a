/** Signing in from the login page, as the specs that run their own server do. */
import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../support/server";

/**
 * A new browser context on `baseUrl`, signed in as `email` with the demo's password, on the home page. Under load the
 * page may hydrate after the fields were typed (React then resets them): it types again until signed in.
 */
export async function signInAs(browser: Browser, baseUrl: string, email: string, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(async () => {
    if (!(await page.getByRole("heading", { name: /^Bonjour/ }).isVisible())) {
      await page.getByLabel("Adresse e-mail").fill(email);
      await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
    }
    await expect(page.getByRole("heading", { name: /^Bonjour/ })).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  return page;
}
