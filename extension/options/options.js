// The options page: every rule pack (built-in, the moderator's own, imported,
// subscribed) with its switch and export, import from a file, subscriptions
// by URL, the editor for the moderator's own pack (editor.js) and the site
// lists (sites.js). The background owns the packs; this page asks it to
// change them and shows what it answers. Packs are checked here too, in the
// engine loaded into this page, so errors show as the moderator types.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { checkPack } from '../common/pack-check.js';
import { checkUrl, parsePin } from '../background/subscriptions.js';
import { $, ask, showErrors, status, timeEl, wasmReady } from './common.js';
import { editPack, initEditor } from './editor.js';
import { initSites, loadSites } from './sites.js';

/** The list the background gave last. @type {any[]} */
let packs = [];

const ORIGIN_LABEL = { builtin: 'Built-in', editor: 'Written here', file: 'File', url: 'URL' };

export async function loadPacks() {
  let res;
  try {
    res = await ask({ type: 'packs' });
  } catch (e) {
    status('packs-status', `Could not read the packs: ${e.message}`, 'error');
    return [];
  }
  packs = res.packs;
  const problem = $('problem');
  problem.hidden = !res.problem;
  problem.replaceChildren();
  if (res.problem) problem.append(timeEl(res.problem.time), `: ${res.problem.reason}`);
  renderPacks();
  return packs;
}

function renderPacks() {
  const body = $('pack-rows');
  body.replaceChildren();
  for (const p of packs) body.append(packRow(p));
}

/** @param {any} p */
function packRow(p) {
  const tr = el('tr');
  tr.dataset.pack = p.id;

  // The switch, labelled with the pack's name for screen readers.
  const on = el('td');
  const label = el('label', 'switch');
  const box = /** @type {HTMLInputElement} */ (el('input'));
  box.type = 'checkbox';
  box.checked = p.enabled;
  box.className = 'pack-enabled';
  label.append(box, el('span', 'visually-hidden', `Use the pack ${p.name}`));
  on.append(label);
  box.addEventListener('change', async () => {
    box.disabled = true;
    status('packs-status', box.checked ? `Switching ${p.name} on…` : `Switching ${p.name} off…`);
    try {
      const res = await ask({ type: 'packSetEnabled', id: p.id, enabled: box.checked });
      if (!res.ok) throw Object.assign(new Error(res.reason), { errors: res.errors });
      status('packs-status', `${p.name} is ${box.checked ? 'on' : 'off'}; open tabs are rescanned.`, 'ok');
    } catch (e) {
      box.checked = !box.checked;
      status('packs-status', `${p.name} was not switched: ${e.message}${e.errors?.[0] ? ` ${e.errors[0].message}` : ''}`, 'error');
    } finally {
      box.disabled = false;
    }
  });

  const name = el('td', 'pack-name');
  const title = el('span', 'name', p.name);
  title.dir = 'auto';
  name.append(title, el('code', 'id', p.id));
  if (p.sub) name.append(subscriptionState(p.sub));

  const source = el('td', 'source');
  source.append(el('span', '', ORIGIN_LABEL[/** @type {keyof ORIGIN_LABEL} */ (p.origin)] ?? p.origin));
  if (p.origin === 'file' && p.file) source.append(el('span', 'detail', p.file));
  if (p.origin === 'url' && p.sub) source.append(el('span', 'detail url', p.sub.url));
  if (p.origin === 'url' && p.sub?.pin) source.append(el('span', 'detail', 'pinned (SHA-256)'));

  const actions = el('td', 'row-actions');
  actions.append(button('Export', `Export ${p.name}`, () => exportPack(p)));
  if (p.origin === 'editor' || p.origin === 'file') actions.append(button('Edit', `Edit ${p.name}`, () => editPack(p.id)));
  if (p.origin === 'url') actions.append(button('Update now', `Update ${p.name} now`, (b) => updateNow(p, b)));
  if (p.origin !== 'builtin') actions.append(removeButton(p));

  tr.append(
    on,
    name,
    el('td', 'num', p.version),
    el('td', '', p.languages.length ? p.languages.join(', ') : '—'),
    el('td', 'num', String(p.rules)),
    source,
    actions,
  );
  return tr;
}

/** What a subscription's last checks found. @param {any} sub */
function subscriptionState(sub) {
  const box = el('div', 'sub-state');
  const good = el('p', 'sub-good');
  good.append('Version in use downloaded ', timeEl(sub.lastChange), '. Last checked ', timeEl(sub.lastCheck), `: ${sub.error ? 'failed' : sub.lastStatus}.`);
  box.append(good);
  if (sub.error) {
    const bad = el('p', 'sub-error');
    bad.setAttribute('role', 'alert');
    bad.append('Update failed ', timeEl(sub.error.time), `: ${sentence(sub.error.reason)} The last good version stays in use.`);
    box.append(bad);
    if (sub.error.details?.length) {
      const ul = el('ul', 'errors');
      for (const d of sub.error.details) ul.append(el('li', '', d));
      box.append(ul);
    }
  }
  const next = el('p', 'detail');
  next.append(`Checks every ${sub.intervalHours} h; next `, timeEl(sub.nextCheck), '.');
  box.append(next);
  return box;
}

/** A reason as a sentence (with its full stop). @param {string} text */
function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * @param {string} text
 * @param {string} aria
 * @param {(b: HTMLButtonElement) => void} onClick
 */
function button(text, aria, onClick) {
  const b = /** @type {HTMLButtonElement} */ (el('button', '', text));
  b.type = 'button';
  b.setAttribute('aria-label', aria);
  b.addEventListener('click', () => onClick(b));
  return b;
}

/** Remove asks once more on the same button (no modal dialog). @param {any} p */
function removeButton(p) {
  const b = button('Remove', `Remove ${p.name}`, async () => {
    if (b.dataset.confirm !== '1') {
      b.dataset.confirm = '1';
      b.textContent = 'Really remove?';
      setTimeout(() => {
        b.dataset.confirm = '';
        b.textContent = 'Remove';
      }, 5000);
      return;
    }
    try {
      const res = await ask({ type: 'packRemove', id: p.id });
      if (!res.ok) throw new Error(res.reason);
      status('packs-status', `${p.name} was removed.`, 'ok');
    } catch (e) {
      status('packs-status', `${p.name} was not removed: ${e.message}`, 'error');
    }
    await loadPacks();
  });
  return b;
}

/** Saves a pack's JSON, byte for byte as it is used, to a file. @param {any} p */
async function exportPack(p) {
  try {
    const res = await ask({ type: 'packExport', id: p.id });
    const url = URL.createObjectURL(new Blob([res.json], { type: 'application/json' }));
    const a = /** @type {HTMLAnchorElement} */ (el('a'));
    a.href = url;
    a.download = res.fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status('packs-status', `Exported ${p.name} as ${res.fileName}.`, 'ok');
  } catch (e) {
    status('packs-status', `Could not export ${p.name}: ${e.message}`, 'error');
  }
}

/** @param {any} p @param {HTMLButtonElement} b */
async function updateNow(p, b) {
  b.disabled = true;
  status('packs-status', `Checking ${p.sub.url}…`);
  try {
    const res = await ask({ type: 'packUpdate', id: p.id });
    status('packs-status', res.ok ? `${p.name}: ${res.status}.` : `${p.name}: ${sentence(res.status ?? res.reason)} The last good version stays in use.`, res.ok ? 'ok' : 'error');
  } catch (e) {
    status('packs-status', `${p.name}: ${e.message}`, 'error');
  } finally {
    b.disabled = false;
  }
  await loadPacks();
}

// ---- import -----------------------------------------------------------------------

$('import-file').addEventListener('change', async (/** @type {Event} */ e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  showErrors('import-errors', []);
  status('import-status', `Checking ${file.name}…`);
  let json;
  try {
    json = await file.text();
  } catch (err) {
    status('import-status', `Could not read ${file.name}: ${/** @type {any} */ (err).message}`, 'error');
    return;
  }
  await wasmReady();
  const r = checkPack(json, file.name);
  if (!r.ok) {
    status('import-status', `Not imported: ${file.name} has ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}.`, 'error');
    showErrors('import-errors', r.errors);
    return;
  }
  try {
    const res = await ask({ type: 'packSave', json, replaces: '', origin: 'file', fileName: file.name.slice(0, 200), quick: '' });
    if (!res.ok) {
      status('import-status', res.reason, 'error');
      showErrors('import-errors', res.errors ?? []);
      return;
    }
    status('import-status', `${res.replaced ? 'Replaced' : 'Imported'} "${r.summary?.name}" (${res.id}, version ${res.version}).`, 'ok');
  } catch (err) {
    status('import-status', `Not imported: ${/** @type {any} */ (err).message}`, 'error');
  }
  await loadPacks();
});

// ---- subscriptions ---------------------------------------------------------------------

$('subscribe-form').addEventListener('submit', (/** @type {Event} */ e) => e.preventDefault());
// A click, not the form's submit: the permission request must run inside the
// user's gesture, before anything is awaited (Firefox is strict about this).
$('sub-button').addEventListener('click', (/** @type {Event} */ e) => {
  e.preventDefault();
  showErrors('sub-errors', []);
  const checked = checkUrl($('sub-url').value);
  if ('error' in checked) {
    status('sub-status', checked.error, 'error');
    return;
  }
  const pin = parsePin($('sub-pin').value);
  if (pin === null) {
    status('sub-status', 'The pin must be a SHA-256: 64 hex digits, or sha256- and base64.', 'error');
    return;
  }
  const host = new URL(checked.url).host;
  status('sub-status', `Asking for access to ${host}…`);
  api.permissions.request({ origins: [checked.origin] }).then(
    async (granted) => {
      if (!granted) {
        status('sub-status', `Not subscribed: access to ${host} was not granted.`, 'error');
        return;
      }
      status('sub-status', `Downloading ${checked.url}…`);
      try {
        const res = await ask({ type: 'packSubscribe', url: checked.url, pin });
        if (!res.ok) {
          status('sub-status', res.reason, 'error');
          showErrors('sub-errors', res.errors ?? []);
        } else {
          status('sub-status', `Subscribed: ${res.id}, version ${res.version}.`, 'ok');
          $('sub-url').value = '';
          $('sub-pin').value = '';
        }
      } catch (err) {
        status('sub-status', `Not subscribed: ${/** @type {any} */ (err).message}`, 'error');
      }
      await loadPacks();
    },
    (err) => status('sub-status', `Not subscribed: ${String(err?.message ?? err)}`, 'error'),
  );
});

// ---- live state -------------------------------------------------------------------------

// Updates that arrive while the page is open (an alarm, another window) show at once.
let pending = 0;
api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (changes.packIndex) {
    clearTimeout(pending);
    pending = setTimeout(loadPacks, 50);
  }
  if (changes.sites || changes.autoSites) loadSites();
});

await Promise.all([loadPacks(), wasmReady()]);
await initEditor(packs, loadPacks);
initSites();
document.documentElement.dataset.ready = '1';
