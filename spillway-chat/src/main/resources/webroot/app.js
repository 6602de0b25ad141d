// Spillway Chat UI. Plain DOM, no framework, no build step. Every piece of model or document text
// is inserted with textContent / text nodes, never as HTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: '', conversationId: '', busy: false, settings: null, defaults: null, abort: null };
  const CITATION = /\[([^\[\]\s][^\[\]]{0,300})\]/g;

  // ---- small DOM helpers -------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  async function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
    if (opts.method && opts.method !== 'GET') opts.headers['x-csrf-token'] = state.csrf;
    const response = await fetch(path, opts);
    if (response.status === 401) {
      location.assign('/login.html');
      throw new Error('signed out');
    }
    return response;
  }

  async function errorMessage(response) {
    const body = await response.json().catch(() => ({}));
    return (body.error && body.error.message) || ('Request failed (' + response.status + ').');
  }

  // ---- settings ----------------------------------------------------------------------------
  function loadSettings() {
    try {
      const saved = JSON.parse(localStorage.getItem('spillway.settings') || 'null');
      state.settings = Object.assign({}, state.defaults, saved || {});
    } catch (e) {
      state.settings = Object.assign({}, state.defaults);
    }
  }

  function openSettings() {
    const form = $('settings-form');
    for (const radio of form.querySelectorAll('input[name=mode]')) radio.checked = radio.value === state.settings.mode;
    $('top-k').value = state.settings.topK;
    $('temperature').value = state.settings.temperature;
    $('settings').showModal();
  }

  function saveSettings() {
    const form = $('settings-form');
    const mode = form.querySelector('input[name=mode]:checked');
    state.settings = {
      mode: mode ? mode.value : state.defaults.mode,
      topK: Math.min(50, Math.max(1, parseInt($('top-k').value, 10) || state.defaults.topK)),
      temperature: Math.min(2, Math.max(0, parseFloat($('temperature').value) || 0)),
    };
    localStorage.setItem('spillway.settings', JSON.stringify(state.settings));
  }

  // ---- conversations -----------------------------------------------------------------------
  async function refreshConversations() {
    const response = await api('/api/conversations');
    if (!response.ok) return;
    const body = await response.json();
    const list = $('conversations');
    list.replaceChildren();
    for (const c of body.conversations) {
      const open = el('button', { type: 'button', class: 'conversation', onclick: () => openConversation(c.id) }, c.title);
      if (c.id === state.conversationId) open.setAttribute('aria-current', 'true');
      const remove = el('button', { type: 'button', class: 'icon-button delete', 'aria-label': 'Delete conversation: ' + c.title,
        onclick: () => deleteConversation(c.id) }, '✕');
      list.append(el('li', {}, open, remove));
    }
  }

  async function openConversation(id) {
    const response = await api('/api/conversations/' + encodeURIComponent(id));
    if (!response.ok) return;
    const body = await response.json();
    newChat();
    state.conversationId = body.id;
    for (const m of body.messages) {
      if (m.role === 'user') addQuestion(m.content);
      else renderFinal(addAnswer(), m.content, m.details || {});
    }
    markLatestFollowUps();
    closeSidebarOnNarrow();
    refreshConversations();
    $('question').focus();
  }

  async function deleteConversation(id) {
    const response = await api('/api/conversations/' + encodeURIComponent(id), { method: 'DELETE' });
    if (response.ok && id === state.conversationId) newChat();
    refreshConversations();
  }

  function newChat() {
    state.conversationId = '';
    $('messages').replaceChildren($('empty-state') || el('div'));
    $('empty-state').hidden = false;
    $('panel').hidden = true;
  }

  // ---- rendering messages ------------------------------------------------------------------
  function addQuestion(text) {
    $('empty-state').hidden = true;
    const node = el('div', { class: 'message question' }, el('div', { class: 'bubble' }, text));
    $('messages').append(node);
    node.scrollIntoView({ block: 'end' });
  }

  function addAnswer() {
    $('empty-state').hidden = true;
    const body = el('div', { class: 'answer-text' });
    const node = el('article', { class: 'message answer', 'aria-label': 'Answer' }, el('div', { class: 'bubble' }, body));
    $('messages').append(node);
    return { node, body };
  }

  function citationLabel(ref) {
    const [file, fragment] = ref.split('#');
    const short = file.split('/').pop();
    if (!fragment) return short;
    const page = /^page=(\d+)$/.exec(fragment);
    return page ? short + ', p. ' + page[1] : short + ' › ' + fragment;
  }

  function citationLink(ref) {
    return el('a', { class: 'citation', href: '/doc.html?ref=' + encodeURIComponent(ref), title: 'Open ' + ref,
      onclick: (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        openCitation(ref);
      } }, citationLabel(ref));
  }

  // Splits answer text into text nodes and citation links; `known` limits links to real sources.
  function renderAnswerText(container, text, known) {
    container.replaceChildren();
    let last = 0;
    for (const match of text.matchAll(CITATION)) {
      const ref = match[1];
      const looksLikeCitation = known ? known.has(ref) : /[.#]/.test(ref);
      if (!looksLikeCitation) continue;
      container.append(document.createTextNode(text.slice(last, match.index)), citationLink(ref));
      last = match.index + match[0].length;
    }
    container.append(document.createTextNode(text.slice(last)));
  }

  function renderFinal(answer, text, details) {
    const sources = details.sources || [];
    renderAnswerText(answer.body, text, new Set(sources.map((s) => s.citation)));
    const bubble = answer.node.querySelector('.bubble');
    const cited = details.citations || [];
    if (cited.length) {
      const list = el('ol', { class: 'citation-list' });
      cited.forEach((ref) => list.append(el('li', {}, citationLink(ref))));
      bubble.append(el('div', { class: 'citations' }, el('span', { class: 'label' }, 'Citations'), list));
    }
    const actions = el('div', { class: 'answer-actions' });
    if (details.steps) {
      actions.append(el('button', { type: 'button', class: 'ghost small', onclick: () => showThoughts(details) }, 'Thought process'));
    }
    if (details.usage) actions.append(el('span', { class: 'muted small' }, details.usage.totalTokens + ' tokens'));
    bubble.append(actions);
    const followUps = details.followUps || [];
    if (followUps.length) {
      const chips = el('div', { class: 'follow-ups', 'aria-label': 'Suggested follow-up questions' });
      followUps.forEach((q) => chips.append(el('button', { type: 'button', class: 'chip', onclick: () => ask(q) }, q)));
      answer.node.append(chips);
    }
  }

  // Only the latest answer keeps its follow-up suggestions.
  function markLatestFollowUps() {
    const all = document.querySelectorAll('.follow-ups');
    all.forEach((node, i) => { node.hidden = i !== all.length - 1; });
  }

  function showError(answer, message) {
    answer.node.classList.add('failed');
    answer.node.querySelector('.bubble').append(el('p', { class: 'alert', role: 'alert' }, message));
  }

  // ---- details panel -----------------------------------------------------------------------
  function selectTab(name) {
    const thoughts = name === 'thoughts';
    $('tab-thoughts').setAttribute('aria-selected', String(thoughts));
    $('tab-citation').setAttribute('aria-selected', String(!thoughts));
    $('thoughts').hidden = !thoughts;
    $('citation').hidden = thoughts;
    $('panel').hidden = false;
  }

  // Flat lists and records read better inline ("prompt 50 · completion 12"); nested data stays JSON.
  function value(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'object') return String(v);
    const flat = (x) => x === null || typeof x !== 'object';
    if (Array.isArray(v) && v.every(flat)) return v.length ? v.join(', ') : '(none)';
    if (!Array.isArray(v) && Object.values(v).every(flat)) {
      return Object.entries(v).map(([k, x]) => k + ' ' + x).join(' · ');
    }
    return JSON.stringify(v, null, 2);
  }

  function showThoughts(details) {
    const box = $('thoughts');
    box.replaceChildren(el('p', {}, el('strong', {}, 'Search query: '), details.query || ''));
    for (const step of details.steps || []) {
      const section = el('section', { class: 'step' }, el('h3', {}, el('span', { class: 'step-name' }, step.name), el('span', { class: 'muted small' }, ' · ' + step.ms + ' ms')));
      const hits = step.outputs && step.outputs.hits;
      for (const [key, v] of Object.entries(step.inputs || {})) section.append(kv(key, v));
      for (const [key, v] of Object.entries(step.outputs || {})) if (key !== 'hits') section.append(kv(key, v));
      if (hits) section.append(hitTable(hits));
      box.append(section);
    }
    if (details.usage) {
      const u = details.usage;
      box.append(el('p', { class: 'muted' }, 'Tokens: ' + u.promptTokens + ' prompt + ' + u.completionTokens
        + ' completion = ' + u.totalTokens + (u.estimated ? ' (estimated)' : '')));
    }
    selectTab('thoughts');
    $('close-panel').focus();
  }

  function kv(key, v) {
    const text = value(v);
    const long = text.length > 80 || text.includes('\n');
    return el('div', { class: 'kv' }, el('span', { class: 'key' }, key), long ? el('pre', {}, text) : el('span', {}, text));
  }

  function hitTable(hits) {
    const body = el('tbody');
    for (const h of hits) {
      body.append(el('tr', {}, el('td', {}, citationLink(h.citation)), el('td', { class: 'num' }, Number(h.score).toFixed(3)),
        el('td', {}, h.text)));
    }
    return el('table', { class: 'hits' }, el('thead', {}, el('tr', {}, el('th', {}, 'Source'), el('th', {}, 'Score'),
      el('th', {}, 'Text'))), body);
  }

  async function openCitation(ref) {
    const box = $('citation');
    box.replaceChildren(el('p', { class: 'muted' }, 'Loading ' + ref + '…'));
    selectTab('citation');
    const response = await api('/api/document?ref=' + encodeURIComponent(ref));
    if (!response.ok) {
      box.replaceChildren(el('p', { class: 'alert', role: 'alert' }, await errorMessage(response)));
      return;
    }
    const doc = await response.json();
    box.replaceChildren(el('h3', { id: 'citation-title' }, doc.title), el('p', { class: 'muted small' }, doc.citation),
      el('div', { class: 'doc-text' }, doc.text),
      el('p', {}, el('a', { href: '/doc.html?ref=' + encodeURIComponent(ref), target: '_blank', rel: 'noopener' }, 'Open in a new tab')));
    $('close-panel').focus();
  }

  // ---- asking ------------------------------------------------------------------------------
  async function ask(question) {
    if (state.busy || !question.trim()) return;
    state.busy = true;
    state.abort = new AbortController();
    $('send').hidden = true;
    $('stop').hidden = false;
    $('question').value = '';
    autosize();
    document.querySelectorAll('.follow-ups').forEach((n) => { n.hidden = true; });
    addQuestion(question);
    const answer = addAnswer();
    answer.node.classList.add('streaming');
    $('status').textContent = 'Answering…';
    try {
      await stream(question, answer);
    } catch (e) {
      if (e.name === 'AbortError') {
        answer.node.querySelector('.bubble').append(el('p', { class: 'muted small' }, 'Stopped.'));
        refreshConversations();
      } else if (e.message !== 'signed out') {
        showError(answer, 'The answer could not be loaded: ' + e.message);
      }
    } finally {
      answer.node.classList.remove('streaming');
      state.busy = false;
      $('stop').hidden = true;
      $('send').hidden = false;
      $('question').focus();
    }
  }

  async function stream(question, answer) {
    const response = await api('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: state.conversationId, question, settings: state.settings }),
      signal: state.abort.signal,
    });
    if (!response.ok) {
      showError(answer, await errorMessage(response));
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let text = '';
    let finished = false;
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(chunk, { stream: true });
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!line.trim()) continue;
        const event = JSON.parse(line);
        if (event.type === 'start') {
          state.conversationId = event.conversationId;
        } else if (event.type === 'delta') {
          text += event.text;
          renderAnswerText(answer.body, text, null);
          answer.node.scrollIntoView({ block: 'end' });
        } else if (event.type === 'answer') {
          finished = true;
          renderFinal(answer, event.text, event.details);
          markLatestFollowUps();
          $('status').textContent = 'Answer complete.';
        } else if (event.type === 'error') {
          finished = true;
          showError(answer, event.message);
        }
      }
    }
    if (!finished) showError(answer, 'The answer was cut off. Please ask again.');
    refreshConversations();
  }

  function autosize() {
    const q = $('question');
    q.style.height = 'auto';
    q.style.height = Math.min(q.scrollHeight, 200) + 'px';
  }

  function closeSidebarOnNarrow() {
    $('sidebar').classList.remove('open');
    $('toggle-sidebar').setAttribute('aria-expanded', 'false');
  }

  // ---- wiring ------------------------------------------------------------------------------
  async function init() {
    const response = await api('/api/me');
    const me = await response.json();
    state.csrf = me.csrf;
    state.defaults = me.defaults;
    loadSettings();
    $('user-name').textContent = me.name;
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); ask($('question').value); });
    $('question').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask($('question').value); }
    });
    $('question').addEventListener('input', autosize);
    $('new-chat').addEventListener('click', () => { newChat(); refreshConversations(); closeSidebarOnNarrow(); $('question').focus(); });
    $('open-settings').addEventListener('click', openSettings);
    $('settings-form').addEventListener('submit', saveSettings);
    $('reset-settings').addEventListener('click', () => { localStorage.removeItem('spillway.settings'); loadSettings(); openSettings(); });
    $('cancel-settings').addEventListener('click', () => $('settings').close());
    // Stopping closes the connection; the server then abandons the model call.
    $('stop').addEventListener('click', () => state.abort && state.abort.abort());
    $('tab-thoughts').addEventListener('click', () => selectTab('thoughts'));
    $('tab-citation').addEventListener('click', () => selectTab('citation'));
    $('close-panel').addEventListener('click', () => { $('panel').hidden = true; $('question').focus(); });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('panel').hidden) $('panel').hidden = true; });
    $('toggle-sidebar').addEventListener('click', () => {
      const open = $('sidebar').classList.toggle('open');
      $('toggle-sidebar').setAttribute('aria-expanded', String(open));
    });
    $('sign-out').addEventListener('click', async () => {
      await api('/auth/logout', { method: 'POST' });
      location.assign('/login.html');
    });
    refreshConversations();
    $('question').focus();
  }

  init().catch(() => {});
})();
