// Plain SVG charts for the console: line/area series over time and horizontal bars. No library,
// no inline styles (the CSP forbids them): colours come from the s0..s5 classes in console.css.
'use strict';

const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 640;
  const H = 220;
  const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

  function el(name, attrs, parent) {
    const n = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (parent) parent.appendChild(n);
    return n;
  }

  function svg(container, label, height) {
    container.replaceChildren();
    const s = el('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, class: 'svg-chart' }, container);
    el('title', {}, s).textContent = label;
    return s;
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function legend(container, series) {
    const list = document.createElement('ul');
    list.className = 'legend';
    series.forEach((s, i) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch s' + (s.colour ?? i);
      item.append(swatch, document.createTextNode(s.name));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  // series: [{name, values: [number|null], colour}], times: [ms], fmt: value -> text, stacked: areas;
  // levels: the values are levels (a percentage), so the text equivalent names the latest, not a sum
  function lines(container, times, series, fmt, stacked, levels) {
    const total = series.map((s) => s.values.reduce((a, v) => a + (v || 0), 0));
    const latest = series.map((s) => s.values.filter((v) => v != null).pop());
    const label = series.map((s, i) => (levels ? `${s.name}: latest ${latest[i] == null ? 'none' : fmt(latest[i])}`
      : `${s.name}: ${fmt(total[i])} in total`)).join('; ');
    const s = svg(container, label || 'no data', H);
    const n = times.length;
    const x = (i) => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
    const sums = times.map((_, i) => series.reduce((a, ser) => a + (ser.values[i] || 0), 0));
    const peak = stacked ? Math.max(0, ...sums)
      : Math.max(0, ...series.flatMap((ser) => ser.values.filter((v) => v != null)));
    const max = niceMax(peak);
    const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
    for (const f of [0, 0.5, 1]) {
      el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(max * f), y2: y(max * f), class: 'grid' }, s);
      el('text', { x: PAD.left - 6, y: y(max * f) + 4, class: 'tick', 'text-anchor': 'end' }, s).textContent = fmt(max * f);
    }
    [0, Math.floor((n - 1) / 2), n - 1].forEach((i, k) => {
      if (i < 0 || i >= n) return;
      const t = new Date(times[i]);
      const text = (times[n - 1] - times[0]) > 2 * 86400000 ? t.toISOString().slice(5, 10) : t.toISOString().slice(11, 16);
      el('text', { x: x(i), y: H - 8, class: 'tick', 'text-anchor': ['start', 'middle', 'end'][k] }, s).textContent = text;
    });
    const base = times.map(() => 0);
    series.forEach((ser, idx) => {
      const cls = 's' + (ser.colour ?? idx);
      if (stacked) {
        const top = ser.values.map((v, i) => base[i] + (v || 0));
        const pts = top.map((v, i) => `${x(i)},${y(v)}`).concat(base.map((v, i) => `${x(i)},${y(v)}`).reverse());
        el('polygon', { points: pts.join(' '), class: 'area ' + cls, 'data-series': ser.name }, s);
        top.forEach((v, i) => { base[i] = v; });
        return;
      }
      let d = '';
      ser.values.forEach((v, i) => {
        if (v == null) return;
        d += (d === '' || ser.values[i - 1] == null ? 'M' : 'L') + x(i) + ',' + y(v);
      });
      if (d.includes('L')) el('path', { d, class: 'line ' + cls, 'data-series': ser.name }, s);
      // a reading with no neighbour draws no line: mark it with a dot so it is seen
      ser.values.forEach((v, i) => {
        if (v != null && ser.values[i - 1] == null && ser.values[i + 1] == null) {
          el('circle', { cx: x(i), cy: y(v), r: 3.5, class: 'dot ' + cls, 'data-series': ser.name }, s);
        }
      });
    });
    legend(container, series);
  }

  // rows: [{label, value}], fmt: value -> text
  function bars(container, rows, fmt) {
    const rowH = 26;
    const height = Math.max(40, rows.length * rowH + 10);
    const s = svg(container, rows.map((r) => `${r.label}: ${fmt(r.value)}`).join('; ') || 'no data', height);
    const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
    const left = 160;
    rows.forEach((r, i) => {
      const yPos = 6 + i * rowH;
      el('text', { x: left - 8, y: yPos + 15, class: 'tick', 'text-anchor': 'end' }, s).textContent = r.label.slice(0, 24);
      el('rect', { x: left, y: yPos, height: rowH - 8, width: Math.max(1, (r.value / max) * (W - left - 90)), class: 'bar s0', 'data-value': r.value }, s);
      el('text', { x: left + (r.value / max) * (W - left - 90) + 6, y: yPos + 15, class: 'tick' }, s).textContent = fmt(r.value);
    });
  }

  return { lines, bars };
})();
