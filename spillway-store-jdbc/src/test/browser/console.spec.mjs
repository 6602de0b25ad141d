// Browser test for the operator's console, run by ConsoleBrowserTest.java (which starts the gateway
// with real traffic in its ledger and rollups). Signs in as each role, uses every page, checks that
// a viewer cannot change anything, works by keyboard and on a phone-sized screen, and saves the
// screenshots docs/console.md shows under SCREENSHOT_DIR.
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const base = process.env.BASE_URL; // .../ui/
const shots = process.env.SCREENSHOT_DIR;
const problems = [];

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

async function open(viewport) {
  const context = await browser.newContext({ viewport: viewport || { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/\b(401|403)\b/.test(m.text())) problems.push('console error: ' + m.text());
  });
  return page;
}

async function signInWithKey(page, key) {
  await page.goto(base);
  await page.waitForURL('**/login.html');
  await page.locator('#key').fill(key);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.endsWith('login.html'));
}

async function loaded(page, name) {
  await page.locator(`body[data-loaded="${name}"]`).waitFor();
}

async function go(page, name) {
  await page.evaluate(() => document.body.removeAttribute('data-loaded'));
  await page.locator(`nav a[data-page="${name}"]`).click();
  await loaded(page, name);
}

let failed = false;
try {
  // ---- Admin: sign-in, overview charts drawn from the real traffic
  const admin = await open();
  await admin.goto(base);
  await admin.waitForURL('**/login.html');
  check(true, 'a signed-out visitor is sent to the sign-in page');
  check(await admin.evaluate(() => document.activeElement.id) === 'key', 'the key field has focus');
  await admin.locator('#key').fill('wrong-key');
  await admin.keyboard.press('Enter');
  await admin.locator('#signin-error:not([hidden])').waitFor();
  check((await admin.locator('#signin-error').innerText()).includes('does not open'), 'a wrong key is refused with a message');
  await signInWithKey(admin, process.env.ADMIN_KEY);
  await loaded(admin, 'overview');
  check(await admin.locator('#who-role').innerText() === 'admin', 'the admin key signs in as admin');
  const cards = await admin.locator('#overview-cards .card').allInnerTexts();
  check(cards.some((c) => c.includes('Requests') && c.includes('11')), 'the overview counts the 11 requests sent');
  check(cards.some((c) => c.includes('429s given') && c.includes('1')), 'the overview shows the 429 the gateway gave');
  check(await admin.locator('#chart-requests svg path.line').count() >= 1, 'the requests chart draws a line');
  const drawn = await admin.locator('#chart-requests svg path.line').first().getAttribute('d');
  check(/L/.test(drawn) && /,\d/.test(drawn), 'the requests line has points from the data');
  check(await admin.locator('#chart-tokens svg polygon.area').count() === 2, 'the tokens chart stacks provisioned and spilled');
  await admin.locator('#chart-utilization svg :is(path.line, circle.dot)').first().waitFor({ state: 'attached' });
  check((await admin.locator('#chart-utilization svg').getAttribute('aria-label')).includes('ptu: latest 63 %'), 'utilization reads as its latest level');
  check((await admin.locator('#chart-utilization .legend').innerText()).includes('ptu'), 'PTU utilization is drawn per backend');
  check(!(await admin.locator('#chart-requests svg').getAttribute('aria-label')).includes('no data'), 'the chart has a text equivalent');
  await admin.screenshot({ path: join(shots, 'console-overview.png'), fullPage: true });
  await admin.locator('[data-range="30d"]').click();
  await admin.locator('[data-range="30d"][aria-pressed="true"]').waitFor();
  check(true, 'the 30-day range can be chosen');

  // ---- Apps and keys: usage bars, create and revoke
  await go(admin, 'keys');
  check(await admin.locator('#keys-table tbody tr').count() === 2, 'two keys are listed');
  check(await admin.locator('#keys-table meter').count() >= 3, 'limits show as usage bars');
  await admin.locator('#create-box summary').click();
  await admin.locator('#create-form [name=name]').fill('reports-ui');
  await admin.locator('#create-form [name=app]').fill('billing');
  await admin.locator('#create-form [name=tokens-per-minute]').fill('50000');
  await admin.locator('#create-form button[type=submit]').click();
  await admin.locator('#secret-box:not([hidden])').waitFor();
  check((await admin.locator('#secret-value').innerText()).length > 40, 'the new key is shown once');
  await admin.locator('#keys-table tbody tr', { hasText: 'reports-ui' }).waitFor();
  check(await admin.locator('#keys-table tbody tr').count() === 3, 'the new key is listed');
  await admin.screenshot({ path: join(shots, 'console-keys.png'), fullPage: true });
  await admin.locator('#secret-done').click();
  await admin.getByRole('button', { name: 'Revoke reports-ui' }).click();
  await admin.locator('#confirm[open]').waitFor();
  await admin.locator('#confirm-ok').click();
  await admin.locator('#keys-table tbody tr', { hasText: 'reports-ui' }).locator('.status-revoked').waitFor();
  check(true, 'the key is revoked after confirming');

  // ---- Usage and chargeback
  await go(admin, 'usage');
  check(await admin.locator('#usage-table tbody tr').count() === 2, 'usage lists both apps');
  check(await admin.locator('#chart-usage svg rect.bar').count() === 2, 'usage draws a bar per app');
  check((await admin.locator('#usage-csv').getAttribute('href')).includes('format=csv'), 'the CSV download link is there');
  await admin.locator('#usage-form [name=by]').selectOption('priority');
  await admin.locator('#usage-form button[type=submit]').click();
  await admin.locator('#usage-table tbody tr', { hasText: 'interactive' }).waitFor();
  check(true, 'usage can be grouped by priority class');
  await admin.locator('#usage-form [name=by]').selectOption('app');
  await admin.locator('#usage-form button[type=submit]').click();
  await admin.locator('#usage-table tbody tr', { hasText: 'search' }).waitFor();
  await admin.screenshot({ path: join(shots, 'console-usage.png'), fullPage: true });

  // ---- Backends: live state, drain and undrain
  await go(admin, 'backends');
  check(await admin.locator('#backends-table tbody tr').count() === 2, 'both backends are listed');
  await admin.getByRole('button', { name: 'Drain ptu' }).click();
  await admin.locator('#backends-table tbody tr', { hasText: 'ptu' }).locator('.status-drained').waitFor();
  check(true, 'draining marks the backend drained');
  await admin.screenshot({ path: join(shots, 'console-backends.png'), fullPage: true });
  await admin.getByRole('button', { name: 'Undrain ptu' }).click();
  await admin.getByRole('button', { name: 'Drain ptu' }).waitFor();
  check(true, 'undraining puts it back');

  // ---- Audit: find, view, verify
  await go(admin, 'audit');
  check(await admin.locator('#audit-table tbody tr').count() >= 8, 'audit lists the recent records');
  await admin.locator('#audit-form [name=app]').fill('billing');
  await admin.locator('#audit-form button[type=submit]').click();
  // the oldest billing call, whose prompt held an e-mail address
  await admin.locator('#audit-table tbody tr a').last().click();
  await admin.locator('#audit-detail:not([hidden])').waitFor();
  check((await admin.locator('#audit-record').innerText()).includes('"app": "billing"'), 'a record opens with its fields');
  check((await admin.locator('#audit-request').innerText()).includes('messages'), 'its stored request body is shown');
  const stored = await admin.locator('#audit-request').innerText();
  check(stored.includes('hello 0 from [REDACTED:') && !stored.includes('jane@example.com'), 'the stored body is redacted');
  await admin.locator('#audit-verify').click();
  await admin.locator('#verify-result:not([hidden])').waitFor();
  check((await admin.locator('#verify-result').innerText()).startsWith('Intact'), 'the chain verifies as intact');
  await admin.screenshot({ path: join(shots, 'console-audit.png'), fullPage: true });

  // ---- Keyboard: skip link, navigation, sign-out
  await admin.goto(base + '#overview');
  await loaded(admin, 'overview');
  await admin.keyboard.press('Tab');
  check(await admin.evaluate(() => document.activeElement.className) === 'skip', 'Tab first reaches the skip link');
  await admin.keyboard.press('Enter');
  check(await admin.evaluate(() => document.activeElement.id) === 'main', 'the skip link moves focus to the content');
  await admin.locator('nav a[data-page="keys"]').focus();
  await admin.keyboard.press('Enter');
  await loaded(admin, 'keys');
  check(true, 'pages open from the keyboard');
  await admin.getByRole('button', { name: 'Rotate billing-prod' }).focus();
  await admin.keyboard.press('Enter');
  await admin.locator('#confirm[open]').waitFor();
  await admin.keyboard.press('Escape');
  await admin.locator('#confirm:not([open])').waitFor({ state: 'attached' });
  check(await admin.locator('#secret-box').isHidden(), 'Escape cancels a confirmation without rotating');

  // ---- Viewer: sees everything, can change nothing (the API says 403 too)
  const viewer = await open();
  await signInWithKey(viewer, process.env.VIEWER_KEY);
  await loaded(viewer, 'overview');
  check(await viewer.locator('#who-role').innerText() === 'viewer', 'the viewer key signs in as viewer');
  await go(viewer, 'keys');
  check(await viewer.locator('#create-box').isHidden(), 'a viewer sees no create form');
  check(await viewer.getByRole('button', { name: /Revoke|Rotate/ }).count() === 0, 'a viewer sees no revoke or rotate');
  const refused = await viewer.evaluate(async () => {
    const me = await (await fetch('api/session')).json();
    const headers = { 'content-type': 'application/json', 'x-csrf-token': me['csrf-token'] };
    const create = await fetch('api/keys', { method: 'POST', headers, body: '{"name":"x","app":"billing"}' });
    const drain = await fetch('api/backends/ptu/drain', { method: 'POST', headers, body: '{}' });
    return [create.status, drain.status];
  });
  check(refused[0] === 403 && refused[1] === 403, 'the API refuses a viewer\'s changes with 403');
  await go(viewer, 'backends');
  check(await viewer.getByRole('button', { name: /Drain/ }).count() === 0, 'a viewer cannot drain');

  // ---- App owner: signs in with a token, sees only their app
  const owner = await open();
  await owner.goto(base);
  await owner.waitForURL('**/login.html');
  await owner.locator('#token-box summary').click();
  await owner.locator('#token').fill(process.env.OWNER_TOKEN);
  await owner.getByRole('button', { name: 'Sign in with token' }).click();
  await loaded(owner, 'keys');
  check(await owner.locator('#who-role').innerText() === 'app-owner', 'the token signs in as an app owner');
  check(await owner.locator('nav a[data-page="overview"]').isHidden(), 'operator pages are hidden from an app owner');
  const apps = await owner.locator('#keys-table tbody tr td:nth-child(2)').allInnerTexts();
  check(apps.length >= 1 && apps.every((a) => a.startsWith('billing')), 'an app owner sees only their app\'s keys');
  await owner.screenshot({ path: join(shots, 'console-app-owner.png'), fullPage: true });

  // ---- Single sign-on: the provider's button, the redirect round trip, back as an app owner
  const sso = await open();
  await sso.goto(base);
  await sso.waitForURL('**/login.html');
  const button = sso.getByRole('link', { name: 'Sign in with Contoso' });
  await button.waitFor();
  check(true, 'the sign-in page offers the configured OpenID provider');
  await sso.screenshot({ path: join(shots, 'console-login.png') });
  await button.click();
  await loaded(sso, 'keys');
  check(new URL(sso.url()).pathname.endsWith('/ui/'), 'the provider sends the browser back to the console');
  check(await sso.locator('#who-role').innerText() === 'app-owner', 'an ID token without a mapped role signs in as an app owner');
  const ssoApps = await sso.locator('#keys-table tbody tr td:nth-child(2)').allInnerTexts();
  check(ssoApps.length >= 1 && ssoApps.every((a) => a.startsWith('billing')), 'the OpenID user sees only the apps they own');
  await sso.goto(base + 'login.html?error=' + encodeURIComponent('The ID token could not be verified: Expired JWT'));
  await sso.locator('#signin-error:not([hidden])').waitFor();
  check((await sso.locator('#signin-error').innerText()).includes('Expired JWT'), 'a refused sign-in shows its reason on the sign-in page');

  // ---- A narrow screen
  const phone = await open({ width: 390, height: 844 });
  await signInWithKey(phone, process.env.ADMIN_KEY);
  await loaded(phone, 'overview');
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  check(fits, 'the overview fits a 390 px wide screen without sideways scrolling');
  await phone.screenshot({ path: join(shots, 'console-phone.png'), fullPage: true });
  await go(phone, 'keys');
  check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the keys page fits too (its table scrolls in its box)');

  await admin.locator('#sign-out').click();
  await admin.waitForURL('**/login.html');
  const after = await admin.evaluate(async () => (await fetch('api/keys')).status);
  check(after === 401, 'after signing out the session is gone');
  check(problems.length === 0, 'no page or console errors: ' + problems.join('; '));
} catch (e) {
  failed = true;
  console.log('FAILED: ' + e.message);
  if (problems.length) console.log('problems: ' + problems.join('; '));
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log('BROWSER TEST PASSED');
