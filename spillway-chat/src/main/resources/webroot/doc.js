// Stand-alone view of one cited page (opened in a new tab from a citation link).
'use strict';
(async function () {
  const ref = new URLSearchParams(location.search).get('ref') || '';
  const response = await fetch('/api/document?ref=' + encodeURIComponent(ref), { credentials: 'same-origin' });
  if (response.status === 401) {
    location.assign('/login.html');
    return;
  }
  const body = await response.json();
  const title = document.getElementById('doc-title');
  if (!response.ok) {
    title.textContent = 'Source not available';
    document.getElementById('doc-text').textContent = body.error ? body.error.message : '';
    return;
  }
  title.textContent = body.title;
  document.title = body.title + ' · Spillway Chat';
  document.getElementById('doc-citation').textContent = body.citation;
  document.getElementById('doc-text').textContent = body.text;
})();
