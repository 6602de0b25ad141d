// Sign-in page: posts the key or token to /ui/api/session; the answer sets the HttpOnly cookie.
'use strict';

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
  error.textContent = message;
  error.hidden = false;
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
