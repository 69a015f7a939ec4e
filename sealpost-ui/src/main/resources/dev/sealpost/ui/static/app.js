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
  document.getElementById('retrust').hidden = true;
  document.getElementById('retrust-result').textContent = '';
  const [contacts, state] = await Promise.all([api('GET', '/api/contacts'), api('GET', '/api/state')]);
  text('contacts-my-fp', state.fingerprint);
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
    const safety = document.createElement('td');
    safety.className = 'fp safety';
    safety.textContent = c.safetyNumber;
    row.append(name, fp, checked, safety);
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

// --- Compose ---------------------------------------------------------------------------

// The draft lives on the local server from the first attachment on: each file is streamed
// there as soon as it is chosen, and an image is compressed and stripped there at once, so the
// list shows what will travel (size before -> after, metadata removed) and Send only signs,
// encrypts and uploads.
const chosen = [];          // { file, index, upload: Promise, preview, row } in the order the user added them
const jobs = new Map();     // job id -> { resolve, reject, rows }
let events = null;
let draftId = null;         // the server's draft, created with the first attachment
let draftCreated = null;    // the promise of draftId, shared by files attached together

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

function compression() {
  return document.getElementById('compression').value;
}

function draft() {
  if (!draftCreated) {
    draftCreated = api('POST', '/api/drafts').then((d) => { draftId = d.id; return d.id; });
    draftCreated.catch(() => { draftCreated = null; });
  }
  return draftCreated;
}

// Streams one file to the draft (XMLHttpRequest, for its upload progress; the browser reads
// the file from disk as it goes) and resolves with the server's { index, image }.
function upload(entry, id) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/drafts/${id}/files?name=${encodeURIComponent(entry.file.name)}&compression=${encodeURIComponent(compression())}`);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) entry.attached = e.loaded;
      entry.bar.max = Math.max(1, entry.file.size);
      entry.bar.value = entry.attached;
      describeAttachment(entry);
    };
    xhr.upload.onload = () => { entry.bar.hidden = true; };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201) resolve(body); else reject(new Error(body && body.error ? body.error : `${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error(`${entry.file.name}: the local server did not take the file`));
    xhr.send(entry.file);
  });
}

// The line under an attachment: attaching progress, then what will travel.
function describeAttachment(entry) {
  const info = entry.info;
  const p = entry.preview;
  entry.bar.hidden = Boolean(p || entry.error || entry.index >= 0);
  info.classList.remove('error');
  if (entry.error) {
    info.textContent = entry.error;
    info.classList.add('error');
  } else if (!p && entry.index >= 0) {
    info.textContent = 'compressing…';
  } else if (!p) {
    const seconds = (performance.now() - entry.started) / 1000;
    const rate = seconds > 0 ? (entry.attached || 0) / seconds : 0;
    const eta = rate > 0 ? Math.ceil((entry.file.size - entry.attached) / rate) : 0;
    info.textContent = `attaching: ${formatBytes(entry.attached || 0)} of ${formatBytes(entry.file.size)}`
      + (rate > 0 ? `, ${formatBytes(rate)}/s, ${eta} s left` : '');
  } else if (p.error) {
    info.textContent = `cannot be sent: ${p.error}`;
    info.classList.add('error');
  } else if (p.after < 0) {
    info.textContent = `${formatBytes(p.before)}, sent as it is`;
  } else {
    const metadata = p.kept.length ? `keeps ${p.kept.join(', ')}` : p.removed.length ? `removes ${p.removed.join(', ')}` : 'no metadata found';
    info.textContent = `${formatBytes(p.before)} → ${formatBytes(p.after)} (${p.width}×${p.height}); ${metadata}`;
  }
}

// Asks what will travel of one file, again if the compression changed meanwhile.
async function loadPreview(entry) {
  entry.loading = true;
  entry.preview = null;
  describeAttachment(entry);
  for (;;) {
    const asked = compression();
    try {
      const p = await api('GET', `/api/drafts/${draftId}/files/${entry.index}?compression=${encodeURIComponent(asked)}`);
      if (asked === compression()) { entry.preview = p; break; }
    } catch (e) {
      entry.error = e.message;
      break;
    }
  }
  entry.loading = false;
  describeAttachment(entry);
}

function attachmentRow(entry) {
  const item = document.createElement('li');
  if (entry.file.type.startsWith('image/')) {
    const img = document.createElement('img');
    img.alt = '';
    img.src = URL.createObjectURL(entry.file);
    img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
    item.append(img);
  }
  const text = document.createElement('span');
  const label = document.createElement('span');
  label.textContent = entry.file.name;
  entry.info = node('span', '', 'what-travels');
  entry.bar = document.createElement('progress');
  entry.bar.setAttribute('aria-label', `Attaching ${entry.file.name}`);
  entry.bar.max = Math.max(1, entry.file.size);
  entry.bar.value = 0;
  text.append(label, entry.info, entry.bar);
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove ${entry.file.name}`);
  remove.addEventListener('click', async () => {
    chosen.splice(chosen.indexOf(entry), 1);
    item.remove();
    try {
      await entry.upload;
      await api('DELETE', `/api/drafts/${draftId}/files/${entry.index}`);
    } catch { /* it never reached the draft */ }
  });
  item.append(text, remove);
  describeAttachment(entry);
  return item;
}

async function addFiles(files) {
  const list = document.getElementById('attachments');
  for (const file of files) {
    const entry = { file, index: -1, preview: null, error: null, attached: 0, started: performance.now() };
    chosen.push(entry);
    list.append(attachmentRow(entry));
    entry.upload = (async () => {
      const added = await upload(entry, await draft());
      entry.index = added.index;
      entry.image = added.image;
      await loadPreview(entry);
    })();
    entry.upload.catch((e) => { entry.error = e.message; describeAttachment(entry); });
  }
}

function clearAttachments() {
  chosen.length = 0;
  draftId = null;
  draftCreated = null;
  document.getElementById('attachments').replaceChildren();
}

function progressRow(label, container) {
  const row = document.createElement('div');
  row.className = 'progress-row';
  const name = document.createElement('span');
  name.textContent = label;
  const numbers = document.createElement('span');
  const bar = document.createElement('progress');
  bar.setAttribute('aria-label', label);
  row.append(name, numbers, bar);
  container.append(row);
  return { bar, numbers, started: performance.now() };
}

function onProgress(event) {
  const p = JSON.parse(event.data);
  const job = jobs.get(p.job);
  if (!job) return;
  let row = job.rows.get(p.label);
  if (!row) { row = progressRow(p.label, job.container); job.rows.set(p.label, row); }
  row.bar.max = Math.max(1, p.total);
  row.bar.value = p.done;
  const seconds = (performance.now() - row.started) / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const eta = rate > 0 ? Math.max(0, (p.total - p.done) / rate) : 0;
  row.numbers.textContent = `${formatBytes(p.done)} of ${formatBytes(p.total)}, ${formatBytes(rate)}/s, ${Math.ceil(eta)} s left`;
}

function ensureEvents() {
  if (events) return;
  events = new EventSource('/api/events');
  events.addEventListener('progress', onProgress);
  events.addEventListener('message', onNewMessage);
  events.addEventListener('sent', (e) => { const d = JSON.parse(e.data); jobs.get(d.job)?.resolve(d); });
  events.addEventListener('failed', (e) => {
    const d = JSON.parse(e.data);
    const error = new Error(d.error);
    error.keyChanged = d.keyChanged;
    error.offered = d.offered;
    jobs.get(d.job)?.reject(error);
  });
}

async function sendDraft() {
  const result = document.getElementById('send-result');
  const error = document.getElementById('send-error');
  const send = document.getElementById('send');
  const cancel = document.getElementById('cancel-send');
  result.textContent = '';
  error.textContent = '';
  document.getElementById('key-changed').hidden = true;
  document.getElementById('send-progress').replaceChildren();
  send.disabled = true;
  try {
    ensureEvents();
    const id = await draft();
    await Promise.all(chosen.map((entry) => entry.upload));
    const unsendable = chosen.find((entry) => entry.error || (entry.preview && entry.preview.error));
    if (unsendable) throw new Error(`${unsendable.file.name} cannot be sent: remove it first`);
    const to = document.getElementById('to').value.split(',').map((s) => s.trim()).filter((s) => s);
    const job = await api('POST', `/api/drafts/${id}/send`, {
      to, subject: document.getElementById('subject').value, text: document.getElementById('compose-text').value,
      compression: compression(),
    });
    cancel.hidden = false;
    cancel.onclick = () => api('POST', `/api/jobs/${job.id}/cancel`);
    const sent = await new Promise((resolve, reject) => jobs.set(job.id, { resolve, reject, rows: new Map(), container: document.getElementById('send-progress') }));
    result.textContent = `Sent ${sent.messageId} to ${sent.recipients.join(', ')}`;
    clearAttachments();
    document.getElementById('compose-form').reset();
  } catch (e) {
    error.textContent = e.message;
    if (e.keyChanged) {
      document.getElementById('key-changed-title').textContent = `${e.keyChanged}'s keys changed`;
      document.getElementById('key-changed').hidden = false;
      document.getElementById('compare-and-trust').onclick = () => showRetrust(e.keyChanged, e.offered);
    }
  } finally {
    send.disabled = false;
    cancel.hidden = true;
  }
}

async function showRetrust(name, offered) {
  await showContacts();
  const form = document.getElementById('retrust');
  document.getElementById('retrust-title').textContent = `${name}'s keys changed`;
  document.getElementById('retrust-fingerprint').textContent = offered;
  document.getElementById('retrust-confirm-label').textContent = `${name} read out this fingerprint to me, and it is the same`;
  const confirm = document.getElementById('retrust-confirm');
  const submit = document.getElementById('retrust-submit');
  confirm.checked = false;
  submit.disabled = true;
  confirm.onchange = () => { submit.disabled = !confirm.checked; };
  document.getElementById('retrust-error').textContent = '';
  document.getElementById('retrust-result').textContent = '';
  form.onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api('POST', `/api/contacts/${encodeURIComponent(name)}/trust`, { fingerprint: offered });
      form.hidden = true;
      await showContacts();
      document.getElementById('retrust-result').textContent = `${name}'s new key is trusted. You can send to them again.`;
    } catch (e) {
      document.getElementById('retrust-error').textContent = e.message;
    }
  };
  form.hidden = false;
  confirm.focus();
}

async function showCompose() {
  const contacts = await api('GET', '/api/contacts');
  document.getElementById('contact-names').replaceChildren(...contacts.map((c) => {
    const option = document.createElement('option');
    option.value = c.name;
    return option;
  }));
  show('compose');
}

// --- Inbox -----------------------------------------------------------------------------

let messages = [];

function node(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

// Images of mail that arrived while the Inbox was open, loaded and decoded ahead so that
// opening the message shows them at once: url -> <img>, at most PRELOAD_BYTES in all.
const preloaded = new Map();
const PRELOAD_BYTES = 64 * 1024 * 1024;
let preloadedBytes = 0;
const listedIds = new Set();

function preload(m) {
  for (const a of m.attachments) {
    if (!a.mediaType.startsWith('image/') || !a.url || preloaded.has(a.url)) continue;
    if (preloadedBytes + a.size > PRELOAD_BYTES) return;
    const img = new Image();
    img.src = a.url;
    img.decode().catch(() => { /* shown, or refused, when opened */ });
    preloaded.set(a.url, { img, size: a.size });
    preloadedBytes += a.size;
  }
}

async function showInbox() {
  show('inbox');
  ensureEvents();
  await renderInbox(false);
}

// Lists the waiting messages; with live set (new mail was pushed), preloads the new ones' images.
async function renderInbox(live) {
  const error = document.getElementById('inbox-error');
  error.textContent = '';
  try {
    messages = await api('GET', '/api/inbox');
  } catch (e) {
    error.textContent = e.message;
    messages = [];
  }
  drawInbox(live);
}

// A pushed message the local server opened already comes with the event: listed at once.
function onNewMessage(event) {
  if (document.getElementById('inbox').hidden) return;
  const pushed = JSON.parse(event.data).message;
  if (pushed && !messages.some((m) => m.id === pushed.id)) {
    messages.push(pushed);
    drawInbox(true);
  } else {
    renderInbox(true);
  }
}

function drawInbox(live) {
  for (const m of messages) {
    if (live && m.verified && !listedIds.has(m.id)) preload(m);
    listedIds.add(m.id);
  }
  document.getElementById('inbox-empty').hidden = messages.length !== 0;
  document.getElementById('messages').replaceChildren(...messages.map((m) => {
    const item = document.createElement('li');
    const open = node('button', undefined, m.verified ? '' : 'refused');
    open.type = 'button';
    const when = new Date(m.sentAt).toLocaleString();
    open.append(node('strong', m.verified ? (m.subject || '(no subject)') : 'Refused message'),
      node('span', `from ${m.sender} · ${when} · ${formatBytes(m.size)}`));
    const thumbs = node('span', undefined, 'thumbs');
    for (const a of m.attachments) {
      if (a.thumbnail) {
        const img = document.createElement('img');
        img.src = a.thumbnail;
        img.alt = a.name;
        thumbs.append(img);
      }
    }
    open.append(thumbs);
    open.addEventListener('click', () => openMessage(m));
    item.append(open);
    return item;
  }));
}

// Runs one save request while its progress events fill rows under the message.
async function saving(job, request) {
  const container = document.getElementById('save-progress');
  container.replaceChildren();
  jobs.set(job, { rows: new Map(), container });
  try {
    return await request();
  } finally {
    jobs.delete(job);
  }
}

function saveButton(m, index, name) {
  const button = node('button', 'Save');
  button.type = 'button';
  button.setAttribute('aria-label', `Save ${name}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    document.getElementById('save-result').textContent = '';
    document.getElementById('save-error').textContent = '';
    try {
      const r = await saving(`save:${m.id}:${index}`, () => api('POST', `/api/messages/${m.id}/files/${index}/save`));
      document.getElementById('save-result').textContent = `Saved ${r.saved[0]}`;
    } catch (e) {
      document.getElementById('save-error').textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function openMessage(m) {
  const panel = document.getElementById('verification');
  document.getElementById('message').hidden = false;
  document.getElementById('save-result').textContent = '';
  document.getElementById('save-error').textContent = '';
  document.getElementById('save-progress').replaceChildren();
  const images = document.getElementById('message-images');
  const files = document.getElementById('message-files');
  images.replaceChildren();
  files.replaceChildren();
  if (!m.verified) {
    panel.className = 'refused';
    panel.replaceChildren(node('strong', 'Refused'), node('span', `: ${m.refusal}. Nothing was saved.`));
    if (m.keyChanged) {
      const trust = node('button', 'Compare and trust');
      trust.type = 'button';
      trust.id = 'inbox-compare-and-trust';
      trust.addEventListener('click', () => showRetrust(m.keyChanged, m.offered));
      panel.append(trust);
    }
    document.getElementById('message-subject').textContent = `Message from ${m.sender}`;
    document.getElementById('message-text').textContent = '';
    document.getElementById('save-all').hidden = true;
    return;
  }
  panel.className = 'ok';
  panel.replaceChildren(node('strong', 'Signature verified'), node('span', ` by ${m.sender}, ${m.fingerprint}`));
  document.getElementById('message-subject').textContent = m.subject || '(no subject)';
  document.getElementById('message-text').textContent = m.text;
  let index = 0;
  for (const a of m.attachments) {
    if (a.mediaType.startsWith('image/') && a.url) {
      const figure = node('figure');
      const ready = preloaded.get(a.url);
      if (ready) {
        preloaded.delete(a.url);
        preloadedBytes -= ready.size;
      }
      const img = ready ? ready.img : document.createElement('img');
      if (!ready) img.src = a.url;
      img.alt = a.name;
      if (a.width > 0 && a.height > 0) { // known from the letter: no reflow while it loads
        img.width = a.width;
        img.height = a.height;
      }
      const caption = node('figcaption', `${a.name} (${formatBytes(a.size)}) `);
      caption.append(saveButton(m, index, a.name));
      figure.append(img, caption);
      images.append(figure);
    } else {
      const item = node('li', `${a.name} (${formatBytes(a.size)}) `);
      item.append(saveButton(m, index, a.name));
      files.append(item);
    }
    index++;
  }
  for (const f of m.files) {
    const item = node('li', `${f.name} (${formatBytes(f.size)}) `);
    item.append(saveButton(m, index++, f.name));
    files.append(item);
  }
  const save = document.getElementById('save-all');
  save.hidden = false;
  save.onclick = async () => {
    save.disabled = true;
    document.getElementById('save-result').textContent = '';
    document.getElementById('save-error').textContent = '';
    try {
      const r = await saving(`save:${m.id}`, () => api('POST', `/api/messages/${m.id}/receive`));
      document.getElementById('save-result').textContent = `Saved ${r.saved.length} files: ${r.saved.join(', ')}`;
    } catch (e) {
      document.getElementById('save-error').textContent = e.message;
    } finally {
      save.disabled = false;
    }
  };
}

// --- Settings --------------------------------------------------------------------------

async function showSettings() {
  const s = await api('GET', '/api/settings');
  document.getElementById('save-folder').value = s.saveTo;
  document.getElementById('settings-result').textContent = '';
  document.getElementById('settings-error').textContent = '';
  show('settings');
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
      const otp = document.getElementById('account-otp');
      await api('POST', '/api/login', { password: field.value, otp: otp.value });
      field.value = '';
      otp.value = '';
      await showAccount();
    } catch (e) {
      error.textContent = e.message;
      field.select();
    }
  });
  const form = document.getElementById('compose-form');
  form.addEventListener('submit', (event) => { event.preventDefault(); sendDraft(); });
  document.getElementById('compression').addEventListener('change', () => {
    for (const entry of chosen) {
      if (entry.image && !entry.loading) entry.upload = loadPreview(entry);
    }
  });
  document.getElementById('attach').addEventListener('change', (event) => {
    addFiles(event.target.files);
    event.target.value = '';
  });
  form.addEventListener('dragover', (event) => { event.preventDefault(); form.classList.add('dragging'); });
  form.addEventListener('dragleave', () => form.classList.remove('dragging'));
  form.addEventListener('drop', (event) => {
    event.preventDefault();
    form.classList.remove('dragging');
    addFiles(event.dataTransfer.files);
  });
  document.getElementById('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    document.getElementById('settings-result').textContent = '';
    document.getElementById('settings-error').textContent = '';
    try {
      const s = await api('POST', '/api/settings', { saveTo: document.getElementById('save-folder').value });
      document.getElementById('save-folder').value = s.saveTo;
      document.getElementById('settings-result').textContent = `Received files are saved in ${s.saveTo}`;
    } catch (e) {
      document.getElementById('settings-error').textContent = e.message;
    }
  });
  const screens = {
    inbox: showInbox, compose: showCompose, keys: refresh, account: showAccount, contacts: showContacts, settings: showSettings,
  };
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
