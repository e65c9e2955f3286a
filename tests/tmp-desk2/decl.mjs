import { chromium } from "@playwright/test";
const base = "http://localhost:3203";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--disable-gpu", "--disable-dev-shm-usage"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
const page = await ctx.newPage();
await page.goto(base + "/login");
await page.fill('input[name="email"]', "secretariat@quorum.test");
await page.fill('input[name="password"]', "quorum-demo");
await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
await page.goto(`${base}/declarations`);
const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 15000 }).catch(() => null), page.getByRole("button", { name: /Générer le fichier XML/ }).click()]);
if (dl) { await dl.saveAs("/tmp/desk2/decl.xml"); console.log("saved", dl.suggestedFilename()); }
await page.waitForTimeout(1000);
console.log(await page.locator("main").innerText());
await page.screenshot({ path: "/tmp/desk2/decl-after.png", fullPage: true });
await browser.close();
