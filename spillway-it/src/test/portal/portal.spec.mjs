// Browser test for the developer portal, run by PortalBrowserTest.java (which starts the gateway,
// the simulator and issues a key). Uses the reader's key for try-it and the "My app" panel, checks
// the code samples, keyboard use and a phone-size screen, and saves screenshots for docs/portal.md.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const key = process.env.APP_KEY;
const shots = process.env.SCREENSHOT_DIR;
const profile = mkdtempSync(join(tmpdir(), 'spillway-portal-chromium-'));

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const problems = [];
try {
  const page = await context.newPage();
  // The one expected failed load is the keyless try-it call's 401.
  page.on('console', m => { if (m.type() === 'error' && !m.text().includes('status of 401')) problems.push('console: ' + m.text()); });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  await page.goto(base + '/portal/');
  await page.locator('#reference .op').first().waitFor();
  check(await page.locator('#reference .path', { hasText: '/openai/deployments/{deployment-id}/chat/completions' }).count() > 0,
    'the reference lists the Azure chat completions route');
  check(await page.locator('#reference .path', { hasText: '/v1/embeddings' }).count() > 0, 'and the OpenAI embeddings route');
  const deployments = await page.locator('#deployment option').allTextContents();
  check(deployments.includes('gpt-4o') && deployments.includes('text-embedding-3-small'), 'deployments come from the config: ' + deployments);

  // Try-it without a key: the gateway's own 401 envelope is shown.
  await page.locator('#send').click();
  await page.locator('#status', { hasText: '401' }).waitFor();
  check((await page.locator('#response').textContent()).includes('"error"'), 'without a key try-it shows the 401 error envelope');

  // The app-owner sign-in form reaches the shared session endpoint: a bad token is refused there.
  await page.locator('#token').fill('not.a.jwt');
  await page.locator('#signin-form button[type=submit]').click();
  await page.locator('#me-error').waitFor();
  check((await page.locator('#me-error').textContent()).length > 0, 'a refused sign-in token is reported');

  // Sign in with the reader's key: the key field is cleared, My app shows the app.
  await page.locator('#key').fill(key);
  await page.keyboard.press('Enter');
  await page.locator('#me-who dd', { hasText: 'portal-app' }).waitFor();
  check(await page.locator('#key').inputValue() === '', 'the key field is cleared after use');
  check(await page.locator('.me-limits td', { hasText: 'budget-per-month-usd' }).count() === 1, 'My app shows the app budget');
  check(await page.locator('.me-keys td', { hasText: 'browser-key' }).count() === 1, 'My app lists the app\'s keys');

  // Try-it, Azure style, chat on gpt-4o: a real answer from the simulator through the gateway.
  await page.locator('#deployment').selectOption('gpt-4o');
  await page.locator('#operation').selectOption('chat/completions');
  await page.locator('#style').selectOption('azure');
  check((await page.locator('#request-line').textContent()).startsWith('POST /openai/deployments/gpt-4o/chat/completions?api-version='),
    'the request line is the Azure route');
  await page.locator('#send').click();
  await page.locator('#status', { hasText: '200' }).waitFor();
  const answer = await page.locator('#response').textContent();
  check(answer.includes('"choices"') && answer.includes('"usage"'), 'try-it shows the completion');
  check(await page.locator('#headers td', { hasText: 'x-ratelimit-remaining-tokens' }).count() === 1, 'and the rate-limit headers');
  await page.locator('section', { has: page.locator('#try-title') }).screenshot({ path: join(shots, 'portal-try-it.png') });

  // OpenAI style embeddings: model goes in the body.
  await page.locator('#operation').selectOption('embeddings');
  await page.locator('#deployment').selectOption('text-embedding-3-small');
  await page.locator('#style').selectOption('openai');
  await page.locator('#send').click();
  await page.locator('#status', { hasText: '200' }).waitFor();
  check((await page.locator('#response').textContent()).includes('"embedding"'), 'try-it embeddings, OpenAI style');

  // Code samples per deployment and language, switched with the keyboard.
  check((await page.locator('#sample').textContent()).includes('/v1/embeddings'), 'the curl sample follows the form');
  await page.locator('#sample-tabs button', { hasText: 'Python' }).focus();
  await page.keyboard.press('Enter');
  check((await page.locator('#sample').textContent()).includes('client.embeddings.create(model="text-embedding-3-small"'), 'Python sample names the deployment');
  for (const [lang, text] of [['JavaScript', 'client.embeddings.create({ model: "text-embedding-3-small"'],
    ['Java', 'EmbeddingCreateParams.builder()'], ['C#', 'GetEmbeddingClient("text-embedding-3-small")']]) {
    await page.getByRole('tab', { name: lang, exact: true }).click();
    check((await page.locator('#sample').textContent()).includes(text), lang + ' sample names the deployment');
  }

  // The usage of this month appears after a reload (the ledger has the calls).
  await page.reload();
  await page.locator('.me-usage dd').first().waitFor();
  await page.screenshot({ path: join(shots, 'portal-my-app.png'), fullPage: false });

  // A phone-size screen: nothing wider than the viewport.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, 'no horizontal scrolling at 390 px (overflow ' + overflow + ')');
  await page.screenshot({ path: join(shots, 'portal-phone.png') });

  check(problems.length === 0, 'no console errors or CSP violations: ' + problems.join('; '));
  console.log('PORTAL BROWSER TEST PASSED');
} catch (e) {
  console.log('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
