// The operator's console: one page per hash (#overview, #keys, #usage, #backends, #audit), all data
// from /ui/api with the session cookie; every change echoes the CSRF token. Text only ever goes in
// through textContent, never as HTML.
'use strict';

const state = { csrf: '', role: '', subject: '', range: 'hour', timer: 0, shown: 0 };

function h(tag, text, cls) {
  const n = document.createElement(tag);
  if (text != null) n.textContent = String(text);
  if (cls) n.className = cls;
  return n;
}

function banner(message) {
  const b = document.getElementById('banner');
  b.textContent = message || '';
  b.hidden = !message;
}

async function api(path, options) {
  const opts = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
  if (opts.method && opts.method !== 'GET') {
    opts.headers['x-csrf-token'] = state.csrf;
    opts.headers['content-type'] = 'application/json';
  }
  const res = await fetch('api/' + path, opts);
  if (res.status === 401) {
    location.replace('login.html');
    throw new Error('signed out');
  }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error(body?.error?.message || ('HTTP ' + res.status));
  return body;
}

const num = (v) => Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 });
const usd = (v) => '$' + Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const pct = (v) => Number(v).toFixed(0) + ' %';
const canChange = () => state.role !== 'viewer';

function confirmAction(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-ok').focus();
  });
}

// ---- Overview

async function showOverview() {
  const data = await api('overview?range=' + state.range);
  const t = data.totals;
  const cards = document.getElementById('overview-cards');
  cards.replaceChildren();
  const spilled = t['spilled-share'] == null ? 'no PTU' : pct(100 * t['spilled-share']);
  for (const [label, value] of [['Requests', num(t.requests)], ['Tokens', num(t.tokens)], ['Cost', usd(t['cost-usd'])],
    ['429s given', num(t.rejected)], ['429s received', num(t.throttled)], ['Spilled to pay-as-you-go', spilled]]) {
    const card = h('div', null, 'card');
    card.append(h('span', label, 'card-label'), h('span', value, 'card-value'));
    cards.appendChild(card);
  }
  const times = data.points.map((p) => p.t);
  const col = (k) => data.points.map((p) => Number(p[k]));
  Charts.lines(document.getElementById('chart-requests'), times, [
    { name: 'requests', values: col('requests'), colour: 0 },
    { name: '429s given', values: col('rejected'), colour: 3 },
    { name: '429s received', values: col('throttled'), colour: 4 }], num);
  Charts.lines(document.getElementById('chart-tokens'), times, [
    { name: 'provisioned / other', values: data.points.map((p) => p.tokens - p['spilled-tokens']), colour: 1 },
    { name: 'spilled to pay-as-you-go', values: col('spilled-tokens'), colour: 2 }], num, true);
  Charts.lines(document.getElementById('chart-cost'), times, [{ name: 'cost', values: col('cost-usd'), colour: 5 }], usd);
  const util = Object.entries(data.utilization).map(([name, values], i) => ({ name, values, colour: i % 6 }));
  const box = document.getElementById('chart-utilization');
  if (util.length === 0) box.replaceChildren(h('p', 'No backend has reported PTU utilization in this range.', 'hint'));
  else Charts.lines(box, times, util, pct, false, true);
}

// ---- Apps and keys

function meter(label, used, limit, fmt) {
  const wrap = h('div', null, 'use');
  const m = document.createElement('meter');
  m.min = 0; m.max = limit; m.value = Math.min(used, limit); m.high = limit * 0.8; m.optimum = 0;
  m.setAttribute('aria-label', `${label}: ${fmt(used)} of ${fmt(limit)}`);
  wrap.append(h('span', label, 'use-label'), m, h('span', `${fmt(used)} / ${fmt(limit)}`, 'use-value'));
  return wrap;
}

async function showKeys() {
  const data = await api('keys');
  const body = document.querySelector('#keys-table tbody');
  body.replaceChildren();
  for (const k of data.data) {
    const tr = document.createElement('tr');
    const name = h('td');
    name.append(h('strong', k.name), h('br'), h('code', k.prefix + '…'));
    const status = k['revoked-at'] ? 'revoked' : (k.active ? 'active' : 'expired');
    const limits = h('td', null, 'limits');
    const l = k.limits; const u = k.usage;
    if (l['requests-per-minute']) limits.appendChild(h('div', `${num(l['requests-per-minute'])} requests/min`, 'use-label'));
    if (l['tokens-per-minute']) limits.appendChild(meter('tokens this minute', u['tokens-this-minute'], l['tokens-per-minute'], num));
    if (l['tokens-per-day']) limits.appendChild(meter('tokens today', u['tokens-today'], l['tokens-per-day'], num));
    if (l['tokens-per-month']) limits.appendChild(meter('tokens this month', u['tokens-this-month'], l['tokens-per-month'], num));
    if (l['budget-per-month-usd'] != null) limits.appendChild(meter('budget this month', Number(u['cost-this-month-usd']), Number(l['budget-per-month-usd']), usd));
    if (!limits.hasChildNodes()) limits.appendChild(h('span', `no key limits · ${num(u['tokens-this-month'])} tokens this month`, 'hint'));
    const actions = h('td', null, 'needs-change');
    if (status === 'active' && canChange()) {
      const rotate = h('button', 'Rotate', 'quiet');
      rotate.type = 'button';
      rotate.setAttribute('aria-label', 'Rotate ' + k.name);
      rotate.addEventListener('click', () => rotateKey(k));
      const revoke = h('button', 'Revoke', 'danger');
      revoke.type = 'button';
      revoke.setAttribute('aria-label', 'Revoke ' + k.name);
      revoke.addEventListener('click', () => revokeKey(k));
      actions.append(rotate, revoke);
    }
    tr.dataset.key = k.id;
    tr.append(name, h('td', k.app + (k.team ? ' · ' + k.team : '')), h('td', k.owner || '—'), h('td', status, 'status-' + status), limits, actions);
    body.appendChild(tr);
  }
}

function showSecret(secret) {
  document.getElementById('secret-value').textContent = secret;
  document.getElementById('secret-box').hidden = false;
  document.getElementById('secret-done').focus();
}

async function rotateKey(k) {
  if (!await confirmAction(`Rotate ${k.name}? The old key keeps working for 24 hours.`)) return;
  try {
    showSecret((await api(`keys/${encodeURIComponent(k.id)}/rotate`, { method: 'POST', body: '{}' })).secret);
    await showKeys();
  } catch (e) { banner(e.message); }
}

async function revokeKey(k) {
  if (!await confirmAction(`Revoke ${k.name}? Calls with it fail at once.`)) return;
  try {
    await api(`keys/${encodeURIComponent(k.id)}/revoke`, { method: 'POST', body: '{}' });
    await showKeys();
  } catch (e) { banner(e.message); }
}

async function createKey(form) {
  const f = new FormData(form);
  const body = { name: f.get('name'), app: f.get('app') };
  for (const k of ['team', 'owner', 'expires-in']) if (f.get(k)) body[k] = f.get(k);
  const limits = {};
  for (const k of ['requests-per-minute', 'tokens-per-minute', 'tokens-per-month']) if (f.get(k)) limits[k] = parseInt(f.get(k), 10);
  if (f.get('budget-per-month-usd')) limits['budget-per-month-usd'] = Number(f.get('budget-per-month-usd'));
  if (Object.keys(limits).length) body.limits = limits;
  try {
    const created = await api('keys', { method: 'POST', body: JSON.stringify(body) });
    form.reset();
    showSecret(created.secret);
    await showKeys();
  } catch (e) { banner(e.message); }
}

// ---- Usage

function usageQuery(format) {
  const f = new FormData(document.getElementById('usage-form'));
  return `usage?by=${encodeURIComponent(f.get('by'))}&period=${encodeURIComponent(f.get('period'))}&format=${format}`;
}

async function showUsage() {
  const period = document.querySelector('#usage-form [name=period]');
  if (!period.value) period.value = new Date().toISOString().slice(0, 7);
  document.getElementById('usage-csv').href = 'api/' + usageQuery('csv');
  const report = await api(usageQuery('json'));
  const rows = report.rows || [];
  const body = document.querySelector('#usage-table tbody');
  body.replaceChildren();
  const cells = (r) => [r.requests, r.prompt_tokens, r.completion_tokens].map((v) => h('td', num(v), 'n'))
    .concat([r.metered_cost_usd, r.ptu_cost_usd, r.cost_usd].map((v) => h('td', v, 'n')));
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.append(h('th', r.key), ...cells(r));
    tr.firstChild.scope = 'row';
    body.appendChild(tr);
  }
  const foot = document.querySelector('#usage-table tfoot');
  foot.replaceChildren();
  if (report.total) {
    const tr = document.createElement('tr');
    tr.append(h('th', 'total'), ...cells(report.total));
    foot.appendChild(tr);
  }
  Charts.bars(document.getElementById('chart-usage'), rows.map((r) => ({ label: r.key || '(none)', value: Number(r.cost_usd) })), usd);
}

// ---- Backends

async function showBackends() {
  const data = await api('backends');
  const body = document.querySelector('#backends-table tbody');
  body.replaceChildren();
  for (const b of data.backends) {
    const tr = document.createElement('tr');
    const rotation = h('td', null, 'admin-only');
    if (state.role === 'admin') {
      const button = h('button', b.drained ? 'Undrain' : 'Drain', b.drained ? 'quiet' : 'danger');
      button.type = 'button';
      button.setAttribute('aria-label', (b.drained ? 'Undrain ' : 'Drain ') + b.name);
      button.addEventListener('click', async () => {
        try {
          await api(`backends/${encodeURIComponent(b.name)}/${b.drained ? 'undrain' : 'drain'}`, { method: 'POST', body: '{}' });
          await showBackends();
        } catch (e) { banner(e.message); }
      });
      rotation.appendChild(button);
    }
    const healthy = b.drained ? 'drained' : (b.healthy ? 'yes' : 'no');
    tr.append(h('th', b.name + (b.region ? ' (' + b.region + ')' : '')), h('td', b.kind), h('td', healthy, 'status-' + healthy),
      h('td', b.breaker), h('td', b['cooling-until'] ? new Date(b['cooling-until']).toLocaleTimeString() : '—'),
      h('td', b['utilization-percent'] != null ? pct(b['utilization-percent']) : '—', 'n'),
      h('td', b['remaining-tokens'] != null ? num(b['remaining-tokens']) : '—', 'n'),
      h('td', b['remaining-requests'] != null ? num(b['remaining-requests']) : '—', 'n'),
      h('td', num(b['in-flight']), 'n'), h('td', num(b.throttled), 'n'), rotation);
    tr.firstChild.scope = 'row';
    body.appendChild(tr);
  }
}

// ---- Audit

async function findAudit() {
  const f = new FormData(document.getElementById('audit-form'));
  const q = ['request-id', 'app', 'from', 'to'].filter((k) => f.get(k)).map((k) => k + '=' + encodeURIComponent(f.get(k))).join('&');
  const data = await api('audit' + (q ? '?' + q : ''));
  const body = document.querySelector('#audit-table tbody');
  body.replaceChildren();
  if (data.data.length === 0) body.appendChild(h('tr')).appendChild(h('td', 'No records found.')).colSpan = 5;
  for (const r of data.data) {
    const tr = document.createElement('tr');
    const link = h('a', r.id);
    link.href = '#audit';
    link.addEventListener('click', (e) => { e.preventDefault(); showAuditRecord(r.id); });
    const id = h('td');
    id.appendChild(link);
    tr.append(h('td', r.at), id, h('td', r.app), h('td', r.deployment), h('td', r.status, 'n'));
    body.appendChild(tr);
  }
}

async function showAuditRecord(id) {
  const data = await api('audit/records/' + encodeURIComponent(id));
  document.getElementById('audit-detail-id').textContent = id;
  document.getElementById('audit-record').textContent = JSON.stringify(data.record, null, 2);
  document.getElementById('audit-request').textContent = data.request_body ?? data.request_body_error ?? '(not stored)';
  document.getElementById('audit-response').textContent = data.response_body ?? data.response_body_error ?? '(not stored)';
  document.getElementById('audit-detail').hidden = false;
  document.getElementById('audit-detail').querySelector('h2').focus();
}

async function verifyAudit() {
  const r = await api('audit/verify');
  const out = document.getElementById('verify-result');
  out.className = r.intact ? 'ok' : 'error';
  out.textContent = r.intact ? `Intact: ${num(r.records)} records, head ${r['head-seq'] ?? 0}; ${r['anchors-checked'] ?? 0} anchored heads checked.`
    : 'TAMPERED: ' + r.problems.join('; ');
  out.hidden = false;
}

// ---- Navigation

const pages = { overview: showOverview, keys: showKeys, usage: showUsage, backends: showBackends, audit: findAudit };

async function show() {
  const shown = ++state.shown; // a later navigation owns the page once this one's fetch returns
  const fallback = state.role === 'app-owner' ? 'keys' : 'overview';
  let page = location.hash.slice(1) || fallback;
  if (!pages[page] || (state.role === 'app-owner' && ['overview', 'backends', 'audit'].includes(page))) page = fallback;
  for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== 'page-' + page;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  clearInterval(state.timer);
  banner('');
  try {
    await pages[page]();
    if (shown === state.shown) document.body.dataset.loaded = page;
  } catch (e) { if (shown === state.shown) banner(e.message); }
  if (shown !== state.shown) return;
  if (page === 'backends' || page === 'overview') {
    state.timer = setInterval(() => pages[page]().catch((e) => banner(e.message)), page === 'backends' ? 5000 : 30000);
  }
}

async function start() {
  const me = await api('session');
  Object.assign(state, { csrf: me['csrf-token'], role: me.role, subject: me.subject });
  document.getElementById('who-name').textContent = me.subject;
  document.getElementById('who-role').textContent = me.role;
  document.body.classList.add('role-' + me.role);
  document.getElementById('sign-out').addEventListener('click', async () => {
    await api('session', { method: 'DELETE' }).catch(() => {});
    location.replace('login.html');
  });
  for (const b of document.querySelectorAll('[data-range]')) {
    b.addEventListener('click', () => {
      state.range = b.dataset.range;
      document.querySelectorAll('[data-range]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
      showOverview().catch((e) => banner(e.message));
    });
  }
  document.getElementById('create-form').addEventListener('submit', (e) => { e.preventDefault(); createKey(e.target); });
  document.getElementById('secret-done').addEventListener('click', () => { document.getElementById('secret-box').hidden = true; });
  document.getElementById('usage-form').addEventListener('submit', (e) => { e.preventDefault(); showUsage().catch((x) => banner(x.message)); });
  document.getElementById('audit-form').addEventListener('submit', (e) => { e.preventDefault(); findAudit().catch((x) => banner(x.message)); });
  document.getElementById('audit-verify').addEventListener('click', () => verifyAudit().catch((x) => banner(x.message)));
  document.getElementById('audit-detail').querySelector('h2').tabIndex = -1;
  window.addEventListener('hashchange', show);
  await show();
}

start().catch((e) => { if (e.message !== 'signed out') banner(e.message); });
