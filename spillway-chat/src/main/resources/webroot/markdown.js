// A small, safe Markdown renderer for answers: paragraphs, headings, bullet and numbered lists,
// block quotes, fenced code, tables, inline code, bold, italics, http(s) links and citation markers.
// It builds DOM nodes only (createElement + text nodes), so model text can never become HTML.
'use strict';
window.SpillwayMarkdown = (function () {
  const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(__[^_\n]+__)|(\*[^*\s\n][^*\n]*\*)|(\[([^\[\]\n]+)\]\((https?:\/\/[^\s()]+)\))|(\[([^\[\]\s][^\[\]\n]{0,300})\])/g;

  function node(tag, className) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    return n;
  }

  // Inline spans of one block; `hooks.citation(ref, textBefore)` returns a node for [ref], or null to keep the text.
  function inline(parent, text, hooks) {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      let made = null;
      if (m[1]) {
        made = node('code');
        made.textContent = m[1].slice(1, -1);
      } else if (m[2] || m[3]) {
        made = node('strong');
        inline(made, (m[2] || m[3]).slice(2, -2), hooks);
      } else if (m[4]) {
        made = node('em');
        inline(made, m[4].slice(1, -1), hooks);
      } else if (m[5]) {
        made = node('a');
        made.href = m[7];
        made.rel = 'noopener noreferrer';
        made.target = '_blank';
        made.textContent = m[6];
      } else if (m[8] && hooks && hooks.citation) {
        made = hooks.citation(m[9], text.slice(0, m.index));
      }
      if (!made) continue;
      parent.append(document.createTextNode(text.slice(last, m.index)), made);
      last = m.index + m[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  const BULLET = /^\s*[-*+]\s+(.*)$/;
  const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
  const HEADING = /^(#{1,6})\s+(.*)$/;
  const FENCE = /^\s*```/;
  const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

  // One table row: its cells split on |, each rendered inline into a `tag` (th or td).
  function row(line, tag, hooks) {
    const tr = node('tr');
    for (const c of line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|')) {
      const cell = node(tag);
      inline(cell, c.trim(), hooks);
      tr.append(cell);
    }
    return tr;
  }

  function table(lines, i, hooks) {
    const t = node('table', 'md-table');
    const head = node('thead');
    head.append(row(lines[i], 'th', hooks));
    const body = node('tbody');
    let j = i + 2;
    for (; j < lines.length && lines[j].includes('|') && lines[j].trim(); j++) body.append(row(lines[j], 'td', hooks));
    t.append(head, body);
    const wrap = node('div', 'md-table-wrap');
    wrap.append(t);
    return [wrap, j];
  }

  function list(lines, i, pattern, hooks) {
    const numbered = pattern === NUMBERED;
    const l = node(numbered ? 'ol' : 'ul');
    if (numbered) l.start = parseInt(NUMBERED.exec(lines[i])[1], 10);
    let j = i;
    for (; j < lines.length; j++) {
      const m = pattern.exec(lines[j]);
      if (m) {
        const li = node('li');
        inline(li, numbered ? m[2] : m[1], hooks);
        l.append(li);
      } else if (lines[j].trim() && /^\s{2,}/.test(lines[j]) && l.lastChild) {
        l.lastChild.append(document.createTextNode(' '));
        inline(l.lastChild, lines[j].trim(), hooks);
      } else {
        break;
      }
    }
    return [l, j];
  }

  // Renders `text` into a fragment. Unfinished constructs (an open code fence while streaming) render as far as they go.
  function render(text, hooks) {
    const out = document.createDocumentFragment();
    const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    let para = [];
    const flush = () => {
      if (!para.length) return;
      const p = node('p');
      para.forEach((line, k) => {
        if (k) p.append(node('br'));
        inline(p, line, hooks);
      });
      out.append(p);
      para = [];
    };
    for (let i = 0; i < lines.length;) {
      const line = lines[i];
      if (FENCE.test(line)) {
        flush();
        const pre = node('pre');
        const code = node('code');
        const body = [];
        let j = i + 1;
        for (; j < lines.length && !FENCE.test(lines[j]); j++) body.push(lines[j]);
        code.textContent = body.join('\n');
        pre.append(code);
        out.append(pre);
        i = j + 1;
      } else if (!line.trim()) {
        flush();
        i++;
      } else if (HEADING.test(line)) {
        flush();
        const m = HEADING.exec(line);
        const h = node('h' + Math.min(6, m[1].length + 2), 'md-heading');
        inline(h, m[2], hooks);
        out.append(h);
        i++;
      } else if (line.includes('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])) {
        flush();
        const [t, next] = table(lines, i, hooks);
        out.append(t);
        i = next;
      } else if (BULLET.test(line) || NUMBERED.test(line)) {
        flush();
        const [l, next] = list(lines, i, BULLET.test(line) ? BULLET : NUMBERED, hooks);
        out.append(l);
        i = next;
      } else if (/^>\s?/.test(line)) {
        flush();
        const q = node('blockquote');
        const quoted = [];
        for (; i < lines.length && /^>\s?/.test(lines[i]); i++) quoted.push(lines[i].replace(/^>\s?/, ''));
        q.append(render(quoted.join('\n'), hooks));
        out.append(q);
      } else {
        para.push(line);
        i++;
      }
    }
    flush();
    return out;
  }

  return { render };
})();
