// Spillway Chat UI. Plain DOM, no framework, no build step. Every piece of model or document text
// is inserted with textContent / text nodes (answers through markdown.js, which builds nodes), never as HTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: '', conversationId: '', busy: false, settings: null, defaults: null, abort: null };
  const DRAFT = 'spillway.draft';
  const CURRENT = 'spillway.conversation';

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

  // An expired session or a network failure, told in words a person can act on.
  class Problem extends Error {
    constructor(message, expired) {
      super(message);
      this.expired = !!expired;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
    if (opts.method && opts.method !== 'GET') opts.headers['x-csrf-token'] = state.csrf;
    let response;
    try {
      response = await fetch(path, opts);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new Problem('The chat app is not reachable. Check your connection, then retry.');
    }
    if (response.status === 401) {
      if (!state.csrf) {
        location.assign('/login.html');
      }
      throw new Problem('Your session has expired. Sign in again; your question is kept.', true);
    }
    return response;
  }

  async function errorMessage(response) {
    const body = await response.json().catch(() => ({}));
    return (body.error && body.error.message) || ('The request failed (HTTP ' + response.status + '). Retry in a moment.');
  }

  function say(message) {
    $('status').textContent = message;
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
  // The open conversation survives a reload: it is in the address (#c=id) and in this tab's storage.
  function setCurrent(id) {
    state.conversationId = id;
    if (id) sessionStorage.setItem(CURRENT, id);
    else sessionStorage.removeItem(CURRENT);
    history.replaceState(null, '', id ? '#c=' + encodeURIComponent(id) : location.pathname);
  }

  async function refreshConversations() {
    const response = await api('/api/conversations');
    if (!response.ok) return;
    const body = await response.json();
    const list = $('conversations');
    list.replaceChildren();
    for (const c of body.conversations) list.append(conversationItem(c));
  }

  function conversationItem(c) {
    const open = el('button', { type: 'button', class: 'conversation', title: c.title, onclick: () => openConversation(c.id) }, c.title);
    if (c.id === state.conversationId) open.setAttribute('aria-current', 'true');
    const item = el('li', {}, open);
    const remove = el('button', { type: 'button', class: 'icon-button delete', 'aria-label': 'Delete conversation: ' + c.title,
      title: 'Delete', onclick: () => confirmDelete(item, c) }, '✕');
    item.append(remove);
    return item;
  }

  // Deleting asks first, in place (no browser dialog): "Delete this conversation? Delete · Keep".
  function confirmDelete(item, c) {
    const keep = el('button', { type: 'button', class: 'ghost small', onclick: () => item.replaceWith(conversationItem(c)) }, 'Keep');
    const confirm = el('button', { type: 'button', class: 'danger small', onclick: () => deleteConversation(c.id) }, 'Delete');
    item.replaceChildren(el('div', { class: 'confirm-delete', role: 'group', 'aria-label': 'Confirm delete' },
      el('span', { class: 'confirm-text', title: c.title }, 'Delete “' + c.title + '”?'), el('span', { class: 'confirm-actions' }, confirm, keep)));
    keep.focus();
  }

  async function openConversation(id) {
    const response = await api('/api/conversations/' + encodeURIComponent(id));
    if (!response.ok) {
      if (response.status === 404 && id === state.conversationId) setCurrent('');
      return;
    }
    const body = await response.json();
    newChat();
    setCurrent(body.id);
    let question = '';
    for (const m of body.messages) {
      if (m.role === 'user') {
        question = m.content;
        addQuestion(m.content);
        continue;
      }
      const answer = addAnswer(question);
      const details = m.details || {};
      if (details.status === 'failed') showFailed(answer, m.content, details.error || 'This answer failed.');
      else if (details.status === 'stopped') showStopped(answer, m.content);
      else renderFinal(answer, m.content, details, m.seq, m.rating);
    }
    markLatestFollowUps();
    closeSidebarOnNarrow();
    refreshConversations();
    $('question').focus();
  }

  async function deleteConversation(id) {
    const response = await api('/api/conversations/' + encodeURIComponent(id), { method: 'DELETE' });
    if (response.ok && id === state.conversationId) newChat();
    say(response.ok ? 'Conversation deleted.' : await errorMessage(response));
    refreshConversations();
  }

  function newChat() {
    setCurrent('');
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

  function addAnswer(question) {
    $('empty-state').hidden = true;
    const body = el('div', { class: 'answer-text' });
    const node = el('article', { class: 'message answer', 'aria-label': 'Answer' }, el('div', { class: 'bubble' }, body));
    $('messages').append(node);
    return { node, body, question, numbers: new Map(), quotes: new Map() };
  }

  function citationLabel(ref) {
    const [file, fragment] = ref.split('#');
    const short = file.split('/').pop();
    if (!fragment) return short;
    const page = /^page=(\d+)$/.exec(fragment);
    return page ? short + ', p. ' + page[1] : short + ' › ' + fragment;
  }

  // What to mark on the cited page: the answer's sentence before the marker, and the retrieved chunk.
  function marks(answer, details, ref) {
    const source = (details.sources || []).find((s) => s.citation === ref);
    return { quote: answer.quotes.get(ref) || '', passage: source && source.text ? source.text : '' };
  }

  function lastSentence(text) {
    const plain = text.replace(/\[[^\[\]]*\]/g, ' ').trim();
    const parts = plain.split(/(?<=[.!?])\s+/).filter((p) => p.trim());
    return parts.length ? parts[parts.length - 1].trim() : '';
  }

  function openLink(ref, mark, attrs, ...children) {
    return el('a', Object.assign({ href: docUrl(ref, mark), onclick: (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      openCitation(ref, mark);
    } }, attrs), ...children);
  }

  function docUrl(ref, mark) {
    const params = new URLSearchParams({ ref });
    if (mark.quote) params.set('quote', mark.quote.slice(0, 400));
    if (mark.passage) params.set('passage', mark.passage.slice(0, 600));
    return '/doc.html?' + params;
  }

  // [ref] in the answer becomes a numbered marker [1]; numbers follow first mention.
  function citationMarker(answer, ref, details, before) {
    if (!answer.numbers.has(ref)) answer.numbers.set(ref, answer.numbers.size + 1);
    if (!answer.quotes.has(ref) && lastSentence(before)) answer.quotes.set(ref, lastSentence(before));
    const n = answer.numbers.get(ref);
    return openLink(ref, marks(answer, details, ref), { class: 'citation', title: citationLabel(ref),
      'aria-label': 'Source ' + n + ': ' + citationLabel(ref) }, String(n));
  }

  function renderAnswerText(answer, text, details, known) {
    answer.numbers = new Map();
    answer.quotes = new Map();
    const hooks = { citation: (ref, before) => {
      const isCitation = known ? known.has(ref) : /[.#]/.test(ref);
      return isCitation ? citationMarker(answer, ref, details, before) : null;
    } };
    answer.body.replaceChildren(window.SpillwayMarkdown.render(text, hooks));
  }

  function renderFinal(answer, text, details, seq, rating) {
    const sources = details.sources || [];
    answer.text = text;
    renderAnswerText(answer, text, details, new Set(sources.map((s) => s.citation)));
    const bubble = answer.node.querySelector('.bubble');
    for (const ref of details.citations || []) {
      if (!answer.numbers.has(ref)) answer.numbers.set(ref, answer.numbers.size + 1);
    }
    if (answer.numbers.size) {
      const list = el('ol', { class: 'source-list' });
      for (const [ref, n] of answer.numbers) {
        list.append(el('li', { value: String(n) }, openLink(ref, marks(answer, details, ref), { class: 'source', title: ref },
          el('span', { class: 'source-number' }, String(n)), el('span', { class: 'source-name' }, citationLabel(ref)))));
      }
      bubble.append(el('div', { class: 'citations' }, el('span', { class: 'label' }, 'Sources'), list));
    }
    bubble.append(answerActions(answer, details, seq, rating));
    const followUps = details.followUps || [];
    if (followUps.length) {
      const chips = el('div', { class: 'follow-ups', 'aria-label': 'Suggested follow-up questions' });
      followUps.forEach((q) => chips.append(el('button', { type: 'button', class: 'chip', title: q, onclick: () => ask(q) }, q)));
      answer.node.append(chips);
    }
  }

  function answerActions(answer, details, seq, rating) {
    const actions = el('div', { class: 'answer-actions' });
    actions.append(el('button', { type: 'button', class: 'ghost small', title: 'Copy the answer', onclick: (e) => copy(answer, e.currentTarget) }, 'Copy'));
    actions.append(retryButton(answer));
    if (seq) actions.append(rateButton(answer, seq, 'up', rating), rateButton(answer, seq, 'down', rating));
    if (details.steps) {
      actions.append(el('button', { type: 'button', class: 'ghost small', onclick: () => showThoughts(details) }, 'Thought process'));
    }
    if (details.usage) actions.append(el('span', { class: 'muted small tokens' }, details.usage.totalTokens + ' tokens'));
    return actions;
  }

  function retryButton(answer) {
    return el('button', { type: 'button', class: 'ghost small retry', title: 'Ask this question again',
      onclick: () => ask(answer.question) }, 'Retry');
  }

  function rateButton(answer, seq, value, rating) {
    const label = value === 'up' ? 'Good answer' : 'Bad answer';
    const button = el('button', { type: 'button', class: 'ghost small rate rate-' + value, title: label, 'aria-label': label,
      'aria-pressed': String(rating === value) }, thumb());
    button.addEventListener('click', () => rate(answer, seq, value, button));
    return button;
  }

  // A thumb drawn as SVG (no emoji font needed); CSS turns it upside down for "bad answer".
  function thumb() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'thumb');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M2 10h4v11H2z M8 10l4-8c1.4 0 2.5 1.1 2.5 2.5L14 9h6c1.2 0 2.1 1.1 1.9 2.3l-1.4 7.9'
      + 'c-.2 1-1 1.8-2 1.8H8z');
    svg.append(path);
    return svg;
  }

  async function rate(answer, seq, value, button) {
    const next = button.getAttribute('aria-pressed') === 'true' ? '' : value;
    try {
      const response = await api('/api/conversations/' + encodeURIComponent(state.conversationId) + '/messages/' + seq + '/rating', {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: next }) });
      if (!response.ok) {
        say(await errorMessage(response));
        return;
      }
      answer.node.querySelectorAll('.rate').forEach((b) => b.setAttribute('aria-pressed', 'false'));
      if (next) button.setAttribute('aria-pressed', 'true');
      say(next ? 'Thanks, your rating is saved.' : 'Rating removed.');
    } catch (e) {
      say(e.message);
    }
  }

  async function copy(answer, button) {
    const text = answer.text || answer.body.innerText;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    button.textContent = 'Copied';
    say('Answer copied.');
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  }

  // Only the latest answer keeps its follow-up suggestions.
  function markLatestFollowUps() {
    const all = document.querySelectorAll('.follow-ups');
    all.forEach((node, i) => { node.hidden = i !== all.length - 1; });
  }

  function showError(answer, message) {
    answer.node.classList.add('failed');
    const bubble = answer.node.querySelector('.bubble');
    const alert = el('div', { class: 'alert', role: 'alert' }, el('span', {}, message));
    if (answer.question) alert.append(retryButton(answer));
    bubble.append(alert);
    alert.scrollIntoView({ block: 'nearest' });
  }

  function showFailed(answer, partial, message) {
    if (partial) renderAnswerText(answer, partial, {}, new Set());
    showError(answer, message);
  }

  function showStopped(answer, partial) {
    answer.node.classList.add('stopped');
    if (partial) renderAnswerText(answer, partial, {}, new Set());
    answer.node.querySelector('.bubble').append(el('p', { class: 'stopped-note' }, el('span', { class: 'muted small' }, 'Stopped.'),
      answer.question ? retryButton(answer) : null));
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
      body.append(el('tr', {}, el('td', {}, openLink(h.citation, { quote: '', passage: h.text }, { class: 'source-link', title: h.citation }, citationLabel(h.citation))),
        el('td', { class: 'num' }, Number(h.score).toFixed(3)), el('td', {}, h.text)));
    }
    return el('table', { class: 'hits' }, el('thead', {}, el('tr', {}, el('th', {}, 'Source'), el('th', {}, 'Score'),
      el('th', {}, 'Text'))), body);
  }

  async function openCitation(ref, mark) {
    const box = $('citation');
    box.replaceChildren(el('p', { class: 'muted' }, 'Loading ' + citationLabel(ref) + '…'));
    selectTab('citation');
    try {
      const response = await api('/api/document?ref=' + encodeURIComponent(ref));
      if (!response.ok) {
        box.replaceChildren(el('p', { class: 'alert', role: 'alert' }, await errorMessage(response)));
        return;
      }
      const doc = await response.json();
      box.replaceChildren(el('h3', { id: 'citation-title' }, doc.title), el('p', { class: 'muted small citation-ref' }, doc.citation));
      window.SpillwayDocument.show(box, ref, doc, mark);
      box.append(el('p', {}, el('a', { href: docUrl(ref, mark), target: '_blank', rel: 'noopener' }, 'Open in a new tab')));
    } catch (e) {
      box.replaceChildren(el('p', { class: 'alert', role: 'alert' }, e.message));
    }
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
    sessionStorage.setItem(DRAFT, question);
    autosize();
    document.querySelectorAll('.follow-ups').forEach((n) => { n.hidden = true; });
    addQuestion(question);
    const answer = addAnswer(question);
    answer.node.classList.add('streaming');
    say('Answering…');
    let kept = true;
    try {
      kept = !(await stream(question, answer));
    } catch (e) {
      if (e.name === 'AbortError') {
        kept = false;
        showStopped(answer, '');
        refreshConversations();
      } else {
        showError(answer, e.message);
        if (e.expired) answer.node.querySelector('.alert').append(el('a', { class: 'button small', href: '/login.html' }, 'Sign in again'));
      }
    } finally {
      answer.node.classList.remove('streaming');
      state.busy = false;
      $('stop').hidden = true;
      $('send').hidden = false;
      // A failed question goes back into the box so nothing typed is lost.
      if (kept && !$('question').value) $('question').value = question;
      else sessionStorage.removeItem(DRAFT);
      autosize();
      $('question').focus();
    }
  }

  // Streams one answer; true when it finished with an answer.
  async function stream(question, answer) {
    const response = await api('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: state.conversationId, question, settings: state.settings }),
      signal: state.abort.signal,
    });
    if (!response.ok) {
      showError(answer, await errorMessage(response));
      return false;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let text = '';
    let outcome = null;
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
          setCurrent(event.conversationId);
        } else if (event.type === 'delta') {
          text += event.text;
          renderAnswerText(answer, text, {}, null);
          answer.node.scrollIntoView({ block: 'end' });
        } else if (event.type === 'answer') {
          outcome = 'answer';
          renderFinal(answer, event.text, event.details, event.seq, '');
          markLatestFollowUps();
          // The sources and follow-ups are the end of the answer: bring them into view.
          const last = answer.node.querySelector('.follow-ups') || answer.node.querySelector('.citations') || answer.node;
          last.scrollIntoView({ block: 'nearest' });
          say('Answer complete.');
        } else if (event.type === 'error') {
          outcome = 'error';
          showError(answer, event.message);
        }
      }
    }
    if (!outcome) showError(answer, 'The answer was cut off. Retry.');
    refreshConversations();
    return outcome === 'answer';
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

  // ---- empty screen and indexing -----------------------------------------------------------
  function showExamples(examples) {
    const box = $('examples');
    box.replaceChildren();
    for (const q of examples || []) {
      box.append(el('button', { type: 'button', class: 'example', title: q, onclick: () => ask(q) }, q));
    }
    box.hidden = !box.childElementCount;
  }

  function duration(seconds) {
    if (seconds < 60) return seconds + ' s';
    const minutes = Math.round(seconds / 60);
    return minutes < 60 ? minutes + ' min' : Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  async function watchIndexing() {
    let s;
    try {
      const response = await api('/api/indexing');
      if (!response.ok) return;
      s = await response.json();
    } catch (e) {
      setTimeout(watchIndexing, 5000);
      return;
    }
    const banner = $('indexing');
    if (s.ready) {
      if (!banner.hidden) say('Indexing finished: all documents can be searched.');
      banner.hidden = true;
      return;
    }
    const parts = ['Indexing documents, ' + s.percent + ' %'];
    if (s.pagesTotal) parts.push(s.pagesDone + ' of ' + s.pagesTotal + ' pages');
    if (s.pagesPerSecond) parts.push(s.pagesPerSecond + ' pages/s');
    if (s.etaSeconds !== undefined) parts.push('about ' + duration(s.etaSeconds) + ' left');
    $('indexing-text').textContent = parts.join(' · ') + '. Until it finishes, answers come from what was indexed before.';
    $('indexing-bar').value = s.percent;
    banner.hidden = false;
    setTimeout(watchIndexing, 2000);
  }

  // ---- wiring ------------------------------------------------------------------------------
  async function init() {
    const response = await api('/api/me');
    const me = await response.json();
    state.csrf = me.csrf;
    state.defaults = me.defaults;
    loadSettings();
    $('user-name').textContent = me.name;
    showExamples(me.examples);
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); ask($('question').value); });
    $('question').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask($('question').value); }
    });
    $('question').addEventListener('input', () => { autosize(); sessionStorage.setItem(DRAFT, $('question').value); });
    $('new-chat').addEventListener('click', () => { newChat(); refreshConversations(); closeSidebarOnNarrow(); $('question').focus(); });
    $('open-settings').addEventListener('click', openSettings);
    $('settings-form').addEventListener('submit', saveSettings);
    $('reset-settings').addEventListener('click', () => { localStorage.removeItem('spillway.settings'); loadSettings(); openSettings(); });
    $('cancel-settings').addEventListener('click', () => $('settings').close());
    // Stopping closes the connection; the server then abandons the model call and records the stop.
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
      await api('/auth/logout', { method: 'POST' }).catch(() => {});
      sessionStorage.removeItem(CURRENT);
      location.assign('/login.html');
    });
    const draft = sessionStorage.getItem(DRAFT);
    if (draft) { $('question').value = draft; autosize(); }
    const fromAddress = /^#c=(.+)$/.exec(location.hash);
    const current = fromAddress ? decodeURIComponent(fromAddress[1]) : sessionStorage.getItem(CURRENT);
    if (current) await openConversation(current);
    else refreshConversations();
    watchIndexing();
    $('question').focus();
  }

  init().catch(() => {});
})();
