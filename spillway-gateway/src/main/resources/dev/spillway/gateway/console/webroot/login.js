// Sign-in page: posts the key or token to /ui/api/session; the answer sets the HttpOnly cookie.
// With an OpenID provider configured, a link starts its redirect flow (/ui/oidc/start); a refused
// sign-in comes back here with the reason in ?error=.
'use strict';

function showError(message) {
  const error = document.getElementById('signin-error');
  error.textContent = message;
  error.hidden = false;
}

async function offerProvider() {
  const res = await fetch('api/sign-in', { credentials: 'same-origin' });
  if (!res.ok) return;
  const oidc = (await res.json()).oidc;
  if (!oidc) return;
  document.getElementById('oidc-start').textContent = 'Sign in with ' + oidc.name;
  document.getElementById('oidc-box').hidden = false;
}

async function signIn(body) {
  const error = document.getElementById('signin-error');
  error.hidden = true;
  const res = await fetch('api/session', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (res.ok) {
    location.replace('./');
    return;
  }
  let message = 'Sign-in failed (' + res.status + ').';
  try { message = (await res.json()).error.message; } catch (e) { /* keep the status */ }
  showError(message);
}

document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn({ key: document.getElementById('key').value });
});
document.getElementById('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn({ token: document.getElementById('token').value.trim() });
});
document.getElementById('key').focus();
const refused = new URLSearchParams(location.search).get('error');
if (refused) showError(refused);
offerProvider();
