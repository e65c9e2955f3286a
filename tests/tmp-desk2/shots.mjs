import { chromium } from "@playwright/test";
const base = "http://localhost:3203";
const [,, out, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--disable-gpu", "--disable-dev-shm-usage"] });
for (const width of [1280, 390]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.fill('input[name="email"]', process.env.WHO ?? "secretariat@quorum.test");
  await page.fill('input[name="password"]', "quorum-demo");
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  for (const [i, p] of paths.entries()) {
    await page.goto(base + p);
    await page.screenshot({ path: `${out}-${i}-${width}.png`, fullPage: true });
    if (width === 1280) {
      const text = await page.evaluate(() => document.querySelector("main")?.innerText ?? document.body.innerText);
      console.log(`===== ${p}\n${text}`);
    }
  }
  await ctx.close();
}
await browser.close();
