// Stand-alone view of one cited page (opened in a new tab from a citation link).
'use strict';
(async function () {
  const params = new URLSearchParams(location.search);
  const ref = params.get('ref') || '';
  const title = document.getElementById('doc-title');
  let response;
  try {
    response = await fetch('/api/document?ref=' + encodeURIComponent(ref), { credentials: 'same-origin' });
  } catch (e) {
    title.textContent = 'The chat app is not reachable. Check your connection, then reload.';
    return;
  }
  if (response.status === 401) {
    location.assign('/login.html');
    return;
  }
  const body = await response.json();
  if (!response.ok) {
    title.textContent = 'Source not available';
    document.getElementById('doc-body').textContent = body.error ? body.error.message : '';
    return;
  }
  title.textContent = body.title;
  document.title = body.title + ' · Spillway Chat';
  document.getElementById('doc-citation').textContent = body.citation;
  window.SpillwayDocument.show(document.getElementById('doc-body'), ref, body,
    { quote: params.get('quote') || '', passage: params.get('passage') || '' });
})();
