// Browser test for the chat UI, run by BrowserTest.java (which starts the server and a fake model).
// Signs in, asks a question with the keyboard, checks the answer streams in with a citation,
// opens the citation, and saves screenshots (desktop and phone size) under SCREENSHOT_DIR.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOT_DIR;
const user = process.env.CHAT_USER;
const password = process.env.CHAT_PASSWORD;
const profile = mkdtempSync(join(tmpdir(), 'spillway-chromium-'));

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
let failed = false;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  let signedIn = false; // before sign-in, the app's 401 probe of /api/me is expected
  page.on('dialog', (d) => { problems.push('unexpected dialog: ' + d.message()); d.dismiss(); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (signedIn && m.type() === 'error') problems.push('console error: ' + m.text()); });

  await page.goto(base + '/');
  await page.waitForURL('**/login.html');
  check(true, 'signed-out visitor is sent to the sign-in page');
  await page.locator('#username').waitFor();
  await page.screenshot({ path: join(shots, 'login.png') });
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(base + '/');
  await page.locator('#user-name', { hasText: user }).waitFor();
  signedIn = true;
  check(true, 'signed in as ' + user);

  await page.locator('#question').waitFor();
  check(await page.evaluate(() => document.activeElement.id) === 'question', 'question box has focus after load');
  await page.keyboard.type('How many vacation days do I get?');
  await page.keyboard.press('Enter');

  await page.locator('.answer.streaming .answer-text').filter({ hasText: /\S/ }).waitFor();
  check(true, 'answer text appears while the answer is still streaming');
  await page.locator('.answer:not(.streaming) .citations').waitFor();
  const answer = await page.locator('.answer .answer-text').last().innerText();
  check(answer.includes('25 days'), 'answer says 25 days: ' + JSON.stringify(answer));
  const citation = page.locator('.answer .answer-text a.citation').first();
  check((await citation.innerText()).includes('handbook.pdf'), 'citation rendered as a link');
  check(await page.locator('.follow-ups .chip').count() > 0, 'follow-up questions offered');
  check(await page.locator('#conversations li').count() === 1, 'conversation appears in history');

  await citation.focus();
  await page.keyboard.press('Enter');
  await page.locator('#citation .doc-text').waitFor();
  const docText = await page.locator('#citation .doc-text').innerText();
  check(docText.includes('25 days of paid vacation'), 'citation opened at the cited page');
  check(docText.includes('<script>'), 'document markup is shown as text, not run');
  await page.screenshot({ path: join(shots, 'chat.png') });

  await page.locator('#tab-thoughts').click();
  await page.locator('.answer .answer-actions button').first().click();
  await page.locator('#thoughts .step').first().waitFor();
  check(await page.locator('#thoughts .step').count() === 4, 'thought process lists the four steps');
  check((await page.locator('#thoughts').innerText()).includes('vacation days per year'), 'rewritten query shown');
  await page.screenshot({ path: join(shots, 'thoughts.png') });

  await page.keyboard.press('Escape');
  await page.locator('#open-settings').click();
  await page.locator('#settings input[value=text]').check();
  await page.locator('#top-k').fill('2');
  await page.screenshot({ path: join(shots, 'settings.png') });
  await page.locator('#settings button[value=save]').click();
  check(await page.evaluate(() => JSON.parse(localStorage.getItem('spillway.settings')).mode) === 'text', 'settings saved');
  await page.locator('.follow-ups .chip').first().click();
  await page.locator('.answer:not(.streaming) .citations').nth(1).waitFor();
  check(await page.locator('.follow-ups:not([hidden])').count() === 1, 'only the latest answer keeps follow-ups');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  check(await page.locator('#toggle-sidebar').isVisible(), 'phone layout hides history behind a menu button');
  await page.screenshot({ path: join(shots, 'chat-phone.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  check(!overflow, 'no horizontal scrolling on a phone-sized screen');
  check(problems.length === 0, 'no page errors or dialogs' + (problems.length ? ': ' + problems.join('; ') : ''));
  console.log('BROWSER TEST PASSED');
} catch (e) {
  failed = true;
  console.error(e.stack || String(e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
