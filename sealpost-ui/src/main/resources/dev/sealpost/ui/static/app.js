// sealpost's local UI. Talks only to the server that served it (CSP connect-src 'self');
// every change carries the session's CSRF token.
let csrf = null;

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrf;
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin', cache: 'no-store',
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error(json && json.error ? json.error : `${response.status}`);
  }
  return json;
}


function show(id) {
  for (const section of document.querySelectorAll('main > section')) {
    section.hidden = section.id !== id;
  }
  for (const button of document.querySelectorAll('nav button')) {
    const current = button.dataset.screen === id || (button.dataset.screen === 'keys' && (id === 'home' || id === 'unlock'));
    if (current) button.setAttribute('aria-current', 'page'); else button.removeAttribute('aria-current');
  }
  const focus = document.querySelector(`#${id} input, #${id} button`);
  if (focus) focus.focus();
}

function text(id, value) {
  document.getElementById(id).textContent = value ?? '—';
}

async function showAccount() {
  const a = await api('GET', '/api/account');
  text('account-name', a.name);
  text('account-signing', a.signingFingerprint);
  text('account-encryption', a.encryptionFingerprint);
  text('account-relay', a.relay ?? 'none: run sealpost register --relay URL --relay-fingerprint SHA256:...');
  text('account-relay-fp', a.relayFingerprint);
  text('account-session', a.loggedIn ? `logged in until ${new Date(a.sessionExpiresAt).toLocaleString()}` : 'not logged in');
  document.getElementById('login-form').hidden = !a.relay;
  show('account');
}

async function showContacts() {
  const contacts = await api('GET', '/api/contacts');
  const body = document.querySelector('#contacts-table tbody');
  body.replaceChildren(...contacts.map((c) => {
    const row = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = c.name;
    const fp = document.createElement('td');
    fp.className = 'fp';
    fp.textContent = c.signingFingerprint;
    const checked = document.createElement('td');
    checked.textContent = c.verified ? 'yes' : 'pinned on first use';
    row.append(name, fp, checked);
    return row;
  }));
  document.getElementById('contacts-table').hidden = contacts.length === 0;
  document.getElementById('contacts-empty').hidden = contacts.length !== 0;
  show('contacts');
}

async function refresh() {
  const state = await api('GET', '/api/state');
  document.getElementById('who').textContent = `${state.name} · ${state.fingerprint}`;
  document.getElementById('idle-minutes').textContent = String(Math.round(state.idleLockSeconds / 60));
  show(state.unlocked ? 'home' : 'unlock');
}

async function start() {
  csrf = (await api('GET', '/api/session')).csrf;
  document.getElementById('unlock-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = document.getElementById('passphrase');
    const error = document.getElementById('unlock-error');
    error.textContent = '';
    try {
      await api('POST', '/api/unlock', { passphrase: field.value });
      field.value = '';
      await refresh();
    } catch (e) {
      error.textContent = e.message;
      field.select();
    }
  });
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = document.getElementById('account-password');
    const error = document.getElementById('login-error');
    error.textContent = '';
    try {
      await api('POST', '/api/login', { password: field.value });
      field.value = '';
      await showAccount();
    } catch (e) {
      error.textContent = e.message;
      field.select();
    }
  });
  const screens = { keys: refresh, account: showAccount, contacts: showContacts };
  for (const button of document.querySelectorAll('nav button')) {
    button.addEventListener('click', () => screens[button.dataset.screen]());
  }
  document.getElementById('lock').addEventListener('click', async () => {
    await api('POST', '/api/lock');
    await refresh();
  });
  await refresh();
}

start();
