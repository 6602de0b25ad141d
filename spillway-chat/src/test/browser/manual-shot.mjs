import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const base = process.env.BASE_URL, shots = process.env.SHOTS;
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chatui-')), { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'], viewport: { width: 1280, height: 800 } });
const page = ctx.pages()[0];
page.setDefaultTimeout(120000);
await page.goto(base + '/');
await page.locator('#username').fill('demo');
await page.locator('#password').fill(process.env.PW);
await page.keyboard.press('Enter');
await page.locator('#user-name', { hasText: 'demo' }).waitFor();
await page.waitForTimeout(2500);
await page.screenshot({ path: join(shots, 'banner.png') });
console.log('banner:', await page.locator('#indexing').isVisible(), await page.locator('#indexing-text').innerText().catch(() => ''));
if (process.env.ASK) {
  await page.locator('#question').fill(process.env.ASK);
  await page.keyboard.press('Enter');
  await page.locator('.answer:not(.streaming) .answer-actions').waitFor();
  await page.screenshot({ path: join(shots, 'real-answer.png') });
  const c = page.locator('.answer .answer-text a.citation').first();
  if (await c.count()) {
    await c.click();
    await page.locator('#citation h3').waitFor();
    await page.waitForTimeout(4000);
    await page.screenshot({ path: join(shots, 'real-citation.png') });
  }
  console.log(await page.locator('.answer .answer-text').innerText());
}
await ctx.close();
