// Shows one cited page or section (in the chat's side panel and in doc.html): a PDF page as the
// server renders it, with the cited passage marked; any other document as text, scrolled to the
// cited section (guide.md#setup) or passage, which is marked. Text is only ever inserted as text.
'use strict';
window.SpillwayDocument = (function () {
  // The same slug as the index's citations (IndexFields.slug): ASCII, lower case, dashes.
  function slug(heading) {
    return heading.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // Blocks are the paragraphs of the page text; the cited ones get the class "cited".
  function textView(ref, text, mark) {
    const view = document.createElement('div');
    view.className = 'doc-text';
    const blocks = text.split(/\n\s*\n/).map((b) => {
      const p = document.createElement('p');
      p.textContent = b;
      view.append(p);
      return p;
    });
    const fragment = ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : '';
    let cited = [];
    if (fragment && !/^page=\d+$/.test(fragment)) {
      const at = blocks.findIndex((b) => slug(b.textContent) === fragment);
      if (at >= 0) {
        blocks[at].classList.add('section-heading');
        cited = blocks.slice(at, at + 2);
      }
    }
    for (const candidate of [mark.quote, mark.passage]) {
      if (cited.length || !candidate) continue;
      const start = words(candidate).slice(0, 6).join(' ');
      cited = blocks.filter((b) => start && words(b.textContent).join(' ').includes(start)).slice(0, 1);
    }
    cited.forEach((b) => b.classList.add('cited'));
    return { view, first: cited[0] };
  }

  // `mark` is { quote, passage }: the answer's sentence and the retrieved chunk; the first found is marked.
  function show(container, ref, doc, mark) {
    const { view, first } = textView(ref, doc.text, mark);
    const marked = mark.quote || mark.passage;
    if (doc.image) {
      const figure = document.createElement('figure');
      figure.className = 'page-image';
      const img = document.createElement('img');
      const params = new URLSearchParams({ ref });
      if (mark.quote) params.set('quote', mark.quote.slice(0, 400));
      if (mark.passage) params.set('passage', mark.passage.slice(0, 1500));
      img.src = '/api/document/image?' + params;
      img.alt = doc.title + (marked ? ', the cited passage marked' : '');
      const caption = document.createElement('figcaption');
      caption.className = 'muted small';
      caption.textContent = marked ? 'The cited passage is marked in yellow.' : doc.title;
      figure.append(img, caption);
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'Page text';
      details.append(summary, view);
      // If the page cannot be drawn (file moved since indexing), the text is shown instead.
      img.addEventListener('error', () => { figure.remove(); details.open = true; });
      container.append(figure, details);
      return;
    }
    container.append(view);
    if (first) requestAnimationFrame(() => first.scrollIntoView({ block: 'center' }));
  }

  return { show };
})();
