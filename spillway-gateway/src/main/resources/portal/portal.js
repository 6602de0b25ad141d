// The developer portal: reads /openapi.json, renders the reference, the try-it form, the code
// samples, and (with a key or a signed-in session) the caller's own apps from /portal/api/me. No framework, no build step,
// nothing from other origins; every value from the server is set as text, never as HTML.
'use strict';

const OPERATIONS = {
  'chat/completions': { label: 'Chat completions', method: 'POST',
    body: d => ({ messages: [{ role: 'user', content: 'Say hello in one word.' }], max_tokens: 20 }) },
  'embeddings': { label: 'Embeddings', method: 'POST', body: d => ({ input: 'The quick brown fox' }) },
  'responses': { label: 'Responses', method: 'POST', openaiOnly: true,
    body: d => ({ input: 'Say hello in one word.', max_output_tokens: 20 }) },
  'models': { label: 'List models', method: 'GET', body: null },
};
const KEY_STORE = 'spillway-portal-key';
let doc = null;
let sampleLang = 'curl';
let csrf = '';

const $ = id => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; };
const key = () => sessionStorage.getItem(KEY_STORE) || '';

async function start() {
  doc = await (await fetch('/openapi.json')).json();
  const deployments = doc.components.schemas.Deployment.enum || [];
  fill($('deployment'), deployments);
  fill($('api-version'), doc.components.parameters.ApiVersion.schema.examples);
  fill($('operation'), Object.keys(OPERATIONS).filter(served), op => OPERATIONS[op].label);
  ['operation', 'style', 'deployment', 'api-version'].forEach(id => $(id).addEventListener('change', () => refresh(true)));
  $('body').addEventListener('input', () => refresh(false));
  $('try-form').addEventListener('submit', e => { e.preventDefault(); send(); });
  $('key-form').addEventListener('submit', e => { e.preventDefault(); sessionStorage.setItem(KEY_STORE, $('key').value.trim()); $('key').value = ''; showMe(); });
  $('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY_STORE); $('me').hidden = true; });
  $('signin-form').addEventListener('submit', e => { e.preventDefault(); const t = $('token').value.trim(); $('token').value = ''; signIn(t); });
  $('signout').addEventListener('click', signOut);
  tabs();
  reference();
  refresh(true);
  const session = await fetch('/portal/api/session');
  if (session.ok) csrf = (await session.json())['csrf-token'];
  if (key() || session.ok) showMe();
}

function served(op) {
  return Object.keys(doc.paths).some(p => p.endsWith('/' + op));
}

function fill(select, values, label) {
  select.replaceChildren(...values.map(v => { const o = el('option', label ? label(v) : v); o.value = v; return o; }));
}

/** The request the form describes: method, path and query, body. */
function request() {
  const op = $('operation').value, spec = OPERATIONS[op], dep = $('deployment').value;
  const azure = $('style').value === 'azure' && !spec.openaiOnly && op !== 'models';
  let path = azure ? `/openai/deployments/${encodeURIComponent(dep)}/${op}` : `/v1/${op}`;
  if (azure) path += '?api-version=' + encodeURIComponent($('api-version').value);
  let body = null;
  if (spec.method === 'POST') {
    try { body = JSON.parse($('body').value); } catch (e) { body = null; }
    if (body && !azure) body.model = dep;
  }
  return { op, method: spec.method, path, body, azure, dep };
}

function refresh(resetBody) {
  const spec = OPERATIONS[$('operation').value];
  if (resetBody) $('body').value = spec.body ? JSON.stringify(spec.body(), null, 2) : '';
  $('body').disabled = !spec.body;
  $('style').disabled = !!spec.openaiOnly;
  const r = request();
  $('request-line').textContent = r.method + ' ' + r.path;
  $('sample').textContent = sample(sampleLang, r);
}

async function send() {
  const r = request();
  const headers = { 'api-key': key() };
  if (r.body) headers['content-type'] = 'application/json';
  $('send').disabled = true;
  $('status').textContent = 'sending…';
  $('response').textContent = '';
  $('headers').tBodies[0].replaceChildren();
  try {
    const res = await fetch(r.path, { method: r.method, headers, body: r.body ? JSON.stringify(r.body) : undefined });
    const text = await res.text();
    $('status').textContent = res.status + ' ' + res.statusText;
    const rows = [];
    res.headers.forEach((v, k) => { if (/^(x-ratelimit|retry-after|x-spillway-request-id)/.test(k)) rows.push([k, v]); });
    $('headers').tBodies[0].replaceChildren(...rows.sort().map(([k, v]) => row([k, v])));
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: shown as sent */ }
    $('response').textContent = shown;
  } catch (e) {
    $('status').textContent = 'network error';
    $('response').textContent = String(e);
  } finally {
    $('result').hidden = false;
    $('send').disabled = false;
  }
}

function row(cells) {
  const tr = el('tr');
  cells.forEach(c => tr.append(el('td', c == null ? '' : String(c))));
  return tr;
}

async function showMe() {
  $('me').hidden = false;
  const res = await fetch('/portal/api/me', { headers: key() ? { 'api-key': key() } : {} });
  const body = await res.json();
  $('me-error').hidden = res.ok;
  $('me-apps').replaceChildren();
  if (!res.ok) {
    $('me-error').textContent = (body.error && body.error.message) || ('HTTP ' + res.status);
    $('me-who').replaceChildren();
    return;
  }
  $('signout').hidden = body.via !== 'session';
  if (body.via === 'session') {
    pairs($('me-who'), [['signed in as', body.subject], ['role', body.role], ['apps', body.apps.map(a => a.app).join(', ') || 'none']]);
    $('me-apps').replaceChildren(...body.apps.map(a => appView(a, {})));
  } else {
    pairs($('me-who'), [['app', body.app], ['team', body.team], ['key', body.key_name + ' (' + body.key_prefix + ')'],
      ['deployments', body.deployments.join(', ')]]);
    $('me-apps').replaceChildren(appView(body, body.key_limits));
  }
}

/** One app: limits (the key's beside the app's when signed in by key), usage this month, its keys. */
function appView(app, keyLimits) {
  const div = el('div', null, 'me-app');
  div.append(el('h3', 'App ' + app.app));
  const names = [...new Set([...Object.keys(keyLimits), ...Object.keys(app.app_limits)])];
  const limits = table('me-limits', ['limit', 'this key', 'the app'], names.map(n => [n, keyLimits[n], app.app_limits[n]]));
  const u = app.usage || {};
  const usage = el('dl', null, 'me-usage');
  pairs(usage, u.unavailable ? [['ledger', u.unavailable]] : [['month', u.period], ['requests', u.requests],
    ['tokens', (u.prompt_tokens || 0) + (u.completion_tokens || 0)], ['cost', '$' + u.cost_usd],
    ['budget spent', '$' + u.budget_spent_usd + (app.app_limits['budget-per-month-usd'] ? ' of $' + app.app_limits['budget-per-month-usd'] : '')]]);
  const keys = table('me-keys', ['name', 'prefix', 'deployments', 'expires', 'state'], app.keys.map(k => [k.name, k.prefix,
    (k.deployments || []).join(', ') || 'all', k['expires-at'] || 'never', k.active ? 'active' : 'inactive']));
  div.append(el('h4', 'Limits'), limits, el('h4', 'Usage this month'), usage, el('h4', 'Keys'), keys);
  return div;
}

function table(cls, head, rows) {
  const t = el('table', null, cls);
  const tr = el('tr');
  head.forEach(h => tr.append(el('th', h)));
  t.append(el('thead'), el('tbody'));
  t.tHead.append(tr);
  t.tBodies[0].replaceChildren(...rows.map(row));
  return t;
}

async function signIn(token) {
  const res = await fetch('/portal/api/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }) });
  if (!res.ok) {
    $('me').hidden = false;
    const body = await res.json().catch(() => ({}));
    $('me-error').hidden = false;
    $('me-error').textContent = (body.error && body.error.message) || ('HTTP ' + res.status);
    return;
  }
  csrf = (await res.json())['csrf-token'];
  showMe();
}

async function signOut() {
  await fetch('/portal/api/session', { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
  csrf = '';
  $('signout').hidden = true;
  if (key()) showMe(); else $('me').hidden = true;
}

function pairs(dl, entries) {
  dl.replaceChildren(...entries.flatMap(([k, v]) => [el('dt', k), el('dd', v == null ? '' : String(v))]));
}

function tabs() {
  const langs = ['curl', 'Python', 'JavaScript', 'Java', 'C#'];
  $('sample-tabs').replaceChildren(...langs.map(l => {
    const b = el('button', l);
    b.type = 'button';
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(l === sampleLang));
    b.addEventListener('click', () => {
      sampleLang = l;
      [...$('sample-tabs').children].forEach(t => t.setAttribute('aria-selected', String(t === b)));
      refresh(false);
    });
    return b;
  }));
}

function sample(lang, r) {
  const base = location.origin, v = $('api-version').value, dep = r.dep;
  const json = r.body ? JSON.stringify(r.body, null, 2) : '';
  const text = r.body && r.body.messages ? r.body.messages[r.body.messages.length - 1].content
    : r.body && typeof r.body.input === 'string' ? r.body.input : 'Hello';
  const q = s => JSON.stringify(s);
  switch (lang) {
    case 'curl':
      return `curl ${q(base + r.path)} \\\n  -H "api-key: $SPILLWAY_KEY"` + (r.body ? ` \\\n  -H "content-type: application/json" \\\n  -d '${json.replace(/'/g, "'\\''")}'` : '');
    case 'Python':
      return 'import os\nfrom openai ' + (r.azure
        ? `import AzureOpenAI\n\nclient = AzureOpenAI(azure_endpoint=${q(base)}, api_key=os.environ["SPILLWAY_KEY"], api_version=${q(v)})\n`
        : `import OpenAI\n\nclient = OpenAI(base_url=${q(base + '/v1')}, api_key=os.environ["SPILLWAY_KEY"])\n`) + pyCall(r.op, dep, text);
    case 'JavaScript':
      return (r.azure
        ? `import { AzureOpenAI } from "openai";\n\nconst client = new AzureOpenAI({ endpoint: ${q(base)}, apiKey: process.env.SPILLWAY_KEY, apiVersion: ${q(v)}, deployment: ${q(dep)} });\n`
        : `import OpenAI from "openai";\n\nconst client = new OpenAI({ baseURL: ${q(base + '/v1')}, apiKey: process.env.SPILLWAY_KEY });\n`) + jsCall(r.op, dep, text);
    case 'Java':
      return `// com.openai:openai-java\nOpenAIClient client = OpenAIOkHttpClient.builder()\n    .baseUrl(${q(base + '/v1')})\n    .apiKey(System.getenv("SPILLWAY_KEY"))\n    .build();\n` + javaCall(r.op, dep, text);
    default:
      return `// Azure.AI.OpenAI\nusing System.ClientModel;\nusing Azure.AI.OpenAI;\n\nvar client = new AzureOpenAIClient(new Uri(${q(base)}),\n    new ApiKeyCredential(Environment.GetEnvironmentVariable("SPILLWAY_KEY")));\n` + csCall(r.op, dep, text);
  }
}

function pyCall(op, dep, text) {
  const q = JSON.stringify;
  if (op === 'embeddings') return `print(client.embeddings.create(model=${q(dep)}, input=${q(text)}).data[0].embedding[:4])`;
  if (op === 'responses') return `print(client.responses.create(model=${q(dep)}, input=${q(text)}).output_text)`;
  if (op === 'models') return 'print([m.id for m in client.models.list()])';
  return `reply = client.chat.completions.create(model=${q(dep)}, messages=[{"role": "user", "content": ${q(text)}}])\nprint(reply.choices[0].message.content)`;
}

function jsCall(op, dep, text) {
  const q = JSON.stringify;
  if (op === 'embeddings') return `const e = await client.embeddings.create({ model: ${q(dep)}, input: ${q(text)} });\nconsole.log(e.data[0].embedding.slice(0, 4));`;
  if (op === 'responses') return `const r = await client.responses.create({ model: ${q(dep)}, input: ${q(text)} });\nconsole.log(r.output_text);`;
  if (op === 'models') return 'for await (const m of client.models.list()) console.log(m.id);';
  return `const reply = await client.chat.completions.create({ model: ${q(dep)}, messages: [{ role: "user", content: ${q(text)} }] });\nconsole.log(reply.choices[0].message.content);`;
}

function javaCall(op, dep, text) {
  const q = JSON.stringify;
  if (op === 'embeddings') return `var e = client.embeddings().create(EmbeddingCreateParams.builder()\n    .model(${q(dep)}).input(${q(text)}).build());\nSystem.out.println(e.data().get(0).embedding().size());`;
  if (op === 'responses') return `var r = client.responses().create(ResponseCreateParams.builder()\n    .model(${q(dep)}).input(${q(text)}).build());\nSystem.out.println(r.output());`;
  if (op === 'models') return 'client.models().list().autoPager().forEach(m -> System.out.println(m.id()));';
  return `var reply = client.chat().completions().create(ChatCompletionCreateParams.builder()\n    .model(${q(dep)}).addUserMessage(${q(text)}).build());\nSystem.out.println(reply.choices().get(0).message().content().orElse(""));`;
}

function csCall(op, dep, text) {
  const q = JSON.stringify;
  if (op === 'embeddings') return `var embeddings = client.GetEmbeddingClient(${q(dep)});\nvar e = embeddings.GenerateEmbedding(${q(text)});\nConsole.WriteLine(e.Value.ToFloats().Length);`;
  if (op === 'models' || op === 'responses') return `// ${op}: call ${q('/v1/' + op)} with HttpClient and the api-key header (see the curl sample)`;
  return `var chat = client.GetChatClient(${q(dep)});\nvar reply = chat.CompleteChat(${q(text)});\nConsole.WriteLine(reply.Value.Content[0].Text);`;
}

function reference() {
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const out = [];
  for (const [tag, ops] of byTag) {
    out.push(el('h3', tag));
    for (const { path, method, op } of ops) {
      const div = el('div', null, 'op');
      div.append(el('span', method.toUpperCase(), 'method'), el('span', path, 'path'), el('div', op.summary, 'hint'));
      const params = (op.parameters || []).map(p => p.$ref ? resolve(p.$ref) : p)
        .map(p => p.name + (p.required ? ' (required)' : '') + ' in ' + p.in);
      if (params.length) div.append(el('div', 'Parameters: ' + params.join('; '), 'hint'));
      out.push(div);
    }
  }
  $('reference').replaceChildren(...out);
}

function resolve(ref) {
  return ref.replace('#/', '').split('/').reduce((o, k) => o[k], doc);
}

start().catch(e => { document.body.prepend(el('p', 'The portal could not load /openapi.json: ' + e, 'error')); });
