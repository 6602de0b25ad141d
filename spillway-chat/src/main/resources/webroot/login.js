// Sign-in page: local user form (double-submit CSRF token) and the single sign-on link.
'use strict';
(function () {
  const form = document.getElementById('login-form');
  const errorBox = document.getElementById('login-error');
  let csrf = '';

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  const params = new URLSearchParams(location.search);
  if (params.get('error')) showError(params.get('error'));

  fetch('/auth/options', { credentials: 'same-origin' })
    .then((r) => r.json())
    .then((options) => {
      csrf = options.csrf;
      form.hidden = !options.localUsers;
      if (options.oidc.enabled) {
        document.getElementById('oidc-area').hidden = false;
        document.getElementById('oidc-divider').hidden = !options.localUsers;
        document.getElementById('oidc-link').textContent = 'Sign in with ' + options.oidc.name;
      }
      if (options.localUsers) document.getElementById('username').focus();
    })
    .catch(() => showError('The chat app cannot be reached. Try again in a moment.'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = document.getElementById('login-submit');
    button.disabled = true;
    errorBox.hidden = true;
    try {
      const response = await fetch('/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      });
      if (response.ok) {
        location.assign('/');
        return;
      }
      const body = await response.json().catch(() => ({}));
      showError((body.error && body.error.message) || 'Sign-in failed.');
      form.password.value = '';
      form.password.focus();
    } catch (e) {
      showError('The chat app cannot be reached. Try again in a moment.');
    } finally {
      button.disabled = false;
    }
  });
})();
