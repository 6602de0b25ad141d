// Browser test for the chat UI, run by BrowserTest.java (which starts the server, fake pages and a
// fake model). Walks through every feature docs/chat.md describes and saves the screenshots that
// page shows (desktop and phone size) under SCREENSHOT_DIR.
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
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
let failed = false;
const problems = [];
let page;

async function signIn(page) {
  await page.locator('#username').waitFor();
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(base + '/**');
  await page.locator('#user-name', { hasText: user }).waitFor();
}

async function inViewport(locator) {
  return locator.evaluate((n) => {
    const r = n.getBoundingClientRect();
    const box = n.closest('.messages').getBoundingClientRect();
    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  });
}

try {
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
  let signedIn = false; // before sign-in, and after the session is cleared on purpose, 401s are expected
  page.on('dialog', (d) => { problems.push('unexpected dialog: ' + d.message()); d.dismiss(); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (signedIn && m.type() === 'error' && !/\b(401|503)\b/.test(m.text())) problems.push('console error: ' + m.text());
  });

  // Sign-in, the empty screen with example questions, and indexing progress.
  await page.goto(base + '/');
  await page.waitForURL('**/login.html');
  check(true, 'signed-out visitor is sent to the sign-in page');
  await page.locator('#username').waitFor();
  await page.screenshot({ path: join(shots, 'login.png') });
  await signIn(page);
  signedIn = true;
  check(true, 'signed in as ' + user);
  await page.locator('#indexing:not([hidden])').waitFor();
  check((await page.locator('#indexing-text').innerText()).includes('Indexing documents, 40 %'), 'indexing progress shows a percentage');
  check((await page.locator('#indexing-text').innerText()).includes('96 of 240 pages'), 'indexing progress shows pages done');
  await page.locator('#examples .example').first().waitFor();
  check(await page.locator('#examples .example').count() === 3, 'three example questions on the empty screen');
  check(await page.evaluate(() => document.activeElement.id) === 'question', 'question box has focus after load');
  await page.screenshot({ path: join(shots, 'empty.png') });
  await page.locator('#indexing').waitFor({ state: 'hidden', timeout: 15000 });
  check(true, 'the indexing banner goes away when the index is ready');

  // An example question: streamed, Markdown, numbered citations with sources below, follow-ups in view.
  // Watch the DOM for answer text shown while the answer is still streaming (polling could miss it on a busy box).
  await page.evaluate(() => {
    window.sawStreamingText = false;
    new MutationObserver(() => {
      const t = document.querySelector('.answer.streaming .answer-text');
      if (t && t.textContent.trim()) window.sawStreamingText = true;
    }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
  });
  await page.locator('#examples .example').first().click();
  await page.locator('.answer:not(.streaming) .citations').waitFor();
  check(await page.evaluate(() => window.sawStreamingText), 'answer text appears while the answer is still streaming');
  const answer = page.locator('.answer').last();
  const answerText = await answer.locator('.answer-text').innerText();
  check(answerText.includes('25 days'), 'answer says 25 days');
  check(!answerText.includes('**') && await answer.locator('.answer-text strong').count() === 1, 'bold Markdown rendered, not shown as asterisks');
  check(await answer.locator('.answer-text ul li').count() === 2, 'Markdown list rendered as a list');
  check(await answer.locator('.answer-text table tbody tr').count() === 2, 'Markdown table rendered as a table');
  check(await answer.locator('.answer-text code').count() === 1, 'inline code rendered');
  check(answerText.includes('<img src=x onerror=alert(1)>') && await answer.locator('.answer-text img').count() === 0,
    'HTML in an answer is shown as text, never run');
  const markers = await answer.locator('.answer-text a.citation').allInnerTexts();
  check(JSON.stringify(markers) === '["1","2","3"]', 'citations are numbered markers: ' + JSON.stringify(markers));
  check(await answer.locator('.source-list li').count() === 3, 'the sources are listed under the answer');
  check((await answer.locator('.source-list li').first().innerText()).includes('handbook.pdf, p. 3'), 'source 1 names file and page');
  const longSource = answer.locator('.source-name').nth(2);
  check(await longSource.evaluate((n) => getComputedStyle(n).textOverflow === 'ellipsis' && getComputedStyle(n).overflow === 'hidden'),
    'a long file name is cut with an ellipsis instead of overflowing');
  check(await page.locator('.follow-ups .chip').count() > 0, 'follow-up questions offered');
  check(await inViewport(page.locator('.follow-ups').last()), 'follow-ups are scrolled into view when the answer finishes');
  check(await page.locator('#conversations li').count() === 1, 'conversation appears in history');
  check(await page.locator('#conversations .conversation').first().getAttribute('title') === 'How many vacation days do I get?',
    'history title shows in full on hover');
  await page.screenshot({ path: join(shots, 'answer.png') });

  // Copy, thumbs up.
  await answer.locator('button', { hasText: 'Copy' }).click();
  check((await page.evaluate(() => navigator.clipboard.readText())).includes('25 days'), 'copy puts the answer on the clipboard');
  await answer.locator('.rate-up').click();
  await page.waitForFunction(() => document.querySelector('.answer .rate-up').getAttribute('aria-pressed') === 'true');
  check(true, 'thumbs up is recorded');

  // A PDF citation opens the page itself, with the passage marked; a Markdown citation opens its section.
  await answer.locator('.answer-text a.citation').first().focus();
  await page.keyboard.press('Enter');
  const img = page.locator('#citation .page-image img');
  await img.waitFor();
  await page.waitForFunction(() => {
    const i = document.querySelector('#citation .page-image img');
    return i && i.complete && i.naturalWidth > 0;
  });
  check(true, 'the cited PDF page is shown as an image');
  check((await page.locator('#citation figcaption').innerText()).includes('marked'), 'the page says the passage is marked');
  check((await page.locator('#citation .doc-text').textContent()).includes('<script>alert(1)</script>')
    && await page.locator('#citation .doc-text script').count() === 0, 'document markup in the page text is shown as text');
  const png = await page.evaluate(async () => {
    const src = document.querySelector('#citation .page-image img').src;
    const r = await fetch(src);
    return r.headers.get('content-type');
  });
  check(png === 'image/png', 'the page image is a PNG');
  await page.screenshot({ path: join(shots, 'citation-pdf.png') });
  const tab = await context.newPage();
  await tab.goto(await page.locator('#citation a', { hasText: 'Open in a new tab' }).getAttribute('href').then((h) => base + h));
  await tab.waitForFunction(() => {
    const i = document.querySelector('#doc-body .page-image img');
    return i && i.complete && i.naturalWidth > 0;
  });
  check((await tab.locator('#doc-title').innerText()) === 'handbook.pdf, page 3', 'the citation opens in its own tab with the page image');
  await tab.close();
  await answer.locator('.source-list a.source').nth(1).click();
  await page.locator('#citation .doc-text .cited').first().waitFor();
  check((await page.locator('#citation .doc-text .cited').first().innerText()) === 'Dental', 'the Markdown citation opens its section');
  check((await page.locator('#citation .doc-text').innerText()).includes('Gym'), 'the whole document is there around it');
  await page.screenshot({ path: join(shots, 'citation-section.png') });

  await page.locator('#tab-thoughts').click();
  await answer.locator('button', { hasText: 'Thought process' }).click();
  await page.locator('#thoughts .step').first().waitFor();
  check(await page.locator('#thoughts .step').count() === 4, 'thought process lists the four steps');
  check((await page.locator('#thoughts').innerText()).includes('vacation days per year'), 'rewritten query shown');
  await page.screenshot({ path: join(shots, 'thoughts.png') });
  await page.keyboard.press('Escape');

  // A reload reopens the current conversation, with its rating.
  await page.reload();
  await page.locator('.answer .citations').waitFor();
  check(await page.locator('.answer').count() === 1, 'a reload reopens the current conversation');
  check(await page.locator('.answer .rate-up').getAttribute('aria-pressed') === 'true', 'the rating is shown in history');

  // A failing model: an error a person can act on, the question kept, a retry offered.
  await page.locator('#question').fill('Is the gateway down?');
  await page.keyboard.press('Enter');
  await page.locator('.answer.failed .alert').waitFor();
  const alert = await page.locator('.answer.failed .alert').innerText();
  check(alert.includes('The model service failed (HTTP 503). Retry in a moment.'), 'the error says what happened and what to do: ' + alert);
  check(!/Exception|java\.|at dev\./.test(alert), 'no exception class names in the error');
  check(await page.locator('#question').inputValue() === 'Is the gateway down?', 'the question is kept in the box');
  check(await page.locator('.answer.failed .alert button', { hasText: 'Retry' }).count() === 1, 'the failed answer offers a retry');
  await page.screenshot({ path: join(shots, 'error.png') });

  // Stopping a long answer.
  await page.locator('#question').fill('Tell me everything');
  await page.keyboard.press('Enter');
  await page.locator('.answer.streaming .answer-text').filter({ hasText: 'word3' }).waitFor();
  await page.locator('#stop').click();
  await page.locator('.answer.stopped').waitFor();
  check(true, 'stop ends the answer and marks it stopped');
  await page.waitForFunction(async () => {
    const id = sessionStorage.getItem('spillway.conversation');
    const r = await fetch('/api/conversations/' + id);
    const body = await r.json();
    return body.messages.some((m) => m.details && m.details.status === 'stopped');
  }, null, { polling: 200 });

  // History marks the failed and the stopped turn, each with a retry.
  await page.reload();
  await page.locator('.answer.failed').waitFor();
  await page.locator('.answer.stopped').waitFor();
  check(await page.locator('.answer.failed button', { hasText: 'Retry' }).count() === 1, 'history marks the failed turn with a retry');
  check(await page.locator('.answer.stopped button', { hasText: 'Retry' }).count() === 1, 'history marks the stopped turn with a retry');
  await page.locator('.answer.failed').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'history-marked.png') });

  // Ratings are exported for evaluation.
  const exported = await page.evaluate(async () => (await fetch('/api/ratings')).text());
  const lines = exported.trim().split('\n').map((l) => JSON.parse(l));
  check(lines.length === 1 && lines[0].rating === 'up' && lines[0].question === 'How many vacation days do I get?',
    'the rating is exported with its question');

  // Settings and follow-ups (a second conversation to delete later).
  await page.locator('#new-chat').click();
  await page.locator('#open-settings').click();
  await page.locator('#settings input[value=text]').check();
  await page.locator('#top-k').fill('3');
  await page.screenshot({ path: join(shots, 'settings.png') });
  await page.locator('#settings button[value=save]').click();
  check(await page.evaluate(() => JSON.parse(localStorage.getItem('spillway.settings')).mode) === 'text', 'settings saved');
  await page.locator('#examples .example').nth(1).click();
  await page.locator('.answer:not(.streaming) .citations').waitFor();
  await page.locator('.follow-ups .chip').first().click();
  await page.locator('.answer:not(.streaming) .citations').nth(1).waitFor();
  check(await page.locator('.follow-ups:not([hidden])').count() === 1, 'only the latest answer keeps follow-ups');
  check(await page.locator('#conversations li').count() === 2, 'two conversations in history');

  // Delete asks first; Keep keeps it, Delete deletes it.
  await page.locator('#conversations li').first().hover();
  await page.locator('#conversations li .delete').first().click();
  await page.locator('.confirm-delete').waitFor();
  await page.screenshot({ path: join(shots, 'delete.png') });
  await page.locator('.confirm-delete button', { hasText: 'Keep' }).click();
  check(await page.locator('#conversations li .conversation').count() === 2, 'Keep keeps the conversation');
  await page.locator('#conversations li .delete').first().click();
  await page.locator('.confirm-delete button', { hasText: 'Delete' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#conversations li').length === 1);
  check(true, 'Delete deletes it after asking');

  // An expired session says so and keeps the text; signing in again brings it back.
  await page.locator('#conversations .conversation').first().click();
  await page.locator('.answer .citations').first().waitFor();
  signedIn = false;
  await context.clearCookies();
  // This conversation may already hold a failed answer; wait for the new one, not the old.
  const failedBefore = await page.locator('.answer.failed .alert').count();
  await page.locator('#question').fill('Does the session survive?');
  await page.keyboard.press('Enter');
  await page.waitForFunction(n => document.querySelectorAll('.answer.failed .alert').length > n, failedBefore);
  check((await page.locator('.answer.failed .alert').last().innerText()).includes('Your session has expired'), 'an expired session says so');
  check(await page.locator('#question').inputValue() === 'Does the session survive?', 'the question is kept after the session expired');
  await page.screenshot({ path: join(shots, 'expired.png') });
  await page.locator('.answer.failed .alert a', { hasText: 'Sign in again' }).last().click();
  await page.waitForURL('**/login.html');
  await signIn(page);
  signedIn = true;
  await page.locator('.answer .citations').first().waitFor();
  check(await page.locator('#question').inputValue() === 'Does the session survive?', 'after signing in again the question is still there');

  // Phone size: history behind a menu, nothing overflows, long names and chips wrap.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  check(await page.locator('#toggle-sidebar').isVisible(), 'phone layout hides history behind a menu button');
  await page.locator('.follow-ups:not([hidden])').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'chat-phone.png') });
  const overflow = await page.evaluate(() => {
    if (document.documentElement.scrollWidth > window.innerWidth) return 'page';
    for (const n of document.querySelectorAll('.chip, .source, .message .bubble')) {
      if (n.getBoundingClientRect().right > window.innerWidth + 1) return n.className + ': ' + n.textContent.slice(0, 40);
    }
    return '';
  });
  check(!overflow, 'no horizontal overflow on a phone-sized screen' + (overflow ? ' (' + overflow + ')' : ''));
  check(problems.length === 0, 'no page errors or dialogs' + (problems.length ? ': ' + problems.join('; ') : ''));
  console.log('BROWSER TEST PASSED');
} catch (e) {
  failed = true;
  console.error(e.stack || String(e));
  if (problems.length) console.error('page problems: ' + problems.join('; '));
  if (page) await page.screenshot({ path: join(shots, 'failure.png') }).catch(() => {});
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
