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
  const focus = document.querySelector(`#${id} input, #${id} button`);
  if (focus) focus.focus();
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
  document.getElementById('lock').addEventListener('click', async () => {
    await api('POST', '/api/lock');
    await refresh();
  });
  await refresh();
}

start();
