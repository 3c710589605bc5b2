// The options page: every rule pack (built-in, the moderator's own, imported,
// subscribed) with its switch and export, import from a file, subscriptions
// by URL, the editor for the moderator's own pack (editor.js), the site
// lists (sites.js) and the damaged values found in storage (storage.js). The
// background owns the packs; this page asks it to change them and shows what
// it answers. Packs are checked here too, in the
// engine loaded into this page, so errors show as the moderator types.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { checkPack } from '../common/pack-check.js';
import { checkUrl, parsePin } from '../background/subscriptions.js';
import { $, ask, showErrors, status, timeEl, wasmReady } from './common.js';
import { editPack, initEditor } from './editor.js';
import { initSites, loadSites } from './sites.js';
import { initSightingsOptions } from './sightings.js';
import { initStorage } from './storage.js';
import { initModel } from './model.js';
import { formatNumber, localizePage, pickText, plural, t } from '../common/i18n.js';
import { download } from '../common/download.js';

localizePage();

/** The list the background gave last. @type {any[]} */
let packs = [];

const ORIGIN_LABEL = { builtin: t('origin_builtin'), editor: t('origin_editor'), file: t('origin_file'), url: t('origin_url') };

export async function loadPacks() {
  let res;
  try {
    res = await ask({ type: 'packs' });
  } catch (e) {
    status('packs-status', t('packs_read_failed', e.message), 'error');
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
  // The pack's name in the UI language when the pack gives one (names: {en, ru, ar}).
  p = { ...p, name: pickText(p.names) || p.name };
  const tr = el('tr');
  tr.dataset.pack = p.id;

  // The switch, labelled with the pack's name for screen readers.
  const on = el('td');
  const label = el('label', 'switch');
  const box = /** @type {HTMLInputElement} */ (el('input'));
  box.type = 'checkbox';
  box.checked = p.enabled;
  box.className = 'pack-enabled';
  label.append(box, el('span', 'visually-hidden', t('packs_use', p.name)));
  on.append(label);
  box.addEventListener('change', async () => {
    box.disabled = true;
    status('packs-status', box.checked ? t('packs_switching_on', p.name) : t('packs_switching_off', p.name));
    try {
      const res = await ask({ type: 'packSetEnabled', id: p.id, enabled: box.checked });
      if (!res.ok) throw Object.assign(new Error(res.reason), { errors: res.errors });
      status('packs-status', box.checked ? t('packs_now_on', p.name) : t('packs_now_off', p.name), 'ok');
    } catch (e) {
      box.checked = !box.checked;
      status('packs-status', t('packs_not_switched', p.name, `${e.message}${e.errors?.[0] ? ` ${e.errors[0].message}` : ''}`), 'error');
    } finally {
      box.disabled = false;
    }
  });

  const name = el('td', 'pack-name');
  const title = el('span', 'name', p.name);
  title.dir = 'auto';
  const id = el('code', 'id', p.id);
  id.translate = false;
  name.append(title, id);
  if (p.sub) name.append(subscriptionState(p.sub, p.waiting));

  const source = el('td', 'source');
  source.append(el('span', '', ORIGIN_LABEL[/** @type {keyof ORIGIN_LABEL} */ (p.origin)] ?? p.origin));
  if (p.origin === 'file' && p.file) source.append(data(el('span', 'detail', p.file)));
  if (p.origin === 'url' && p.sub) source.append(data(el('span', 'detail url', p.sub.url)));
  if (p.origin === 'url' && p.sub?.pin) source.append(el('span', 'detail', t('packs_pinned')));

  const actions = el('td', 'row-actions');
  actions.append(button(t('packs_export'), t('packs_export_aria', p.name), () => exportPack(p)));
  if (p.origin === 'editor' || p.origin === 'file') actions.append(button(t('common_edit'), t('packs_edit_aria', p.name), () => editPack(p.id)));
  if (p.origin === 'url') actions.append(button(t('packs_update_now'), t('packs_update_aria', p.name), (b) => updateNow(p, b)));
  if (p.origin !== 'builtin') actions.append(removeButton(p));

  tr.append(
    on,
    name,
    data(el('td', 'num', p.version)),
    data(el('td', '', p.languages.length ? p.languages.join(', ') : '—')),
    el('td', 'num', formatNumber(p.rules)),
    source,
    actions,
  );
  return tr;
}

/** What a subscription's last checks found. @param {any} sub */
function subscriptionState(sub, waiting = false) {
  const box = el('div', 'sub-state');
  const good = el('p', waiting ? 'sub-error sub-waiting' : 'sub-good');
  if (waiting) good.textContent = t('storage_sub_waiting');
  else good.append(...withTimes(t('sub_state', '\u0001', '\u0002', sub.error ? t('sub_failed') : sub.lastStatus), [sub.lastChange, sub.lastCheck]));
  box.append(good);
  if (sub.error) {
    const bad = el('p', 'sub-error');
    bad.setAttribute('role', 'alert');
    bad.append(...withTimes(t('sub_update_failed', '\u0001', sentence(sub.error.reason)), [sub.error.time]));
    box.append(bad);
    if (sub.error.details?.length) {
      const ul = el('ul', 'errors');
      for (const d of sub.error.details) ul.append(el('li', '', d));
      box.append(ul);
    }
  }
  const next = el('p', 'detail');
  next.append(...withTimes(plural('sub_interval', sub.intervalHours, '\u0001'), [sub.nextCheck]));
  box.append(next);
  return box;
}

/**
 * A message with <time> elements where it says \u0001, \u0002, ...: the
 * message decides where the times go, the page keeps them machine-readable.
 * @param {string} text
 * @param {number[]} times
 * @returns {(string|HTMLElement)[]}
 */
function withTimes(text, times) {
  const marks = times.map((_, i) => String.fromCharCode(1 + i));
  /** @type {(string|HTMLElement)[]} */
  const out = [];
  let rest = text;
  for (;;) {
    const at = marks.map((m) => rest.indexOf(m)).filter((i) => i >= 0);
    if (!at.length) break;
    const i = Math.min(...at);
    if (i > 0) out.push(rest.slice(0, i));
    out.push(timeEl(times[rest.charCodeAt(i) - 1]));
    rest = rest.slice(i + 1);
  }
  if (rest) out.push(rest);
  return out;
}

/** Marks an element as data (ids, versions, URLs): not translated, its own direction. @param {HTMLElement} e */
function data(e) {
  e.translate = false;
  e.dir = 'auto';
  return e;
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
  const b = button(t('packs_remove'), t('packs_remove_aria', p.name), async () => {
    if (b.dataset.confirm !== '1') {
      b.dataset.confirm = '1';
      b.textContent = t('packs_really_remove');
      setTimeout(() => {
        b.dataset.confirm = '';
        b.textContent = t('packs_remove');
      }, 5000);
      return;
    }
    try {
      const res = await ask({ type: 'packRemove', id: p.id });
      if (!res.ok) throw new Error(res.reason);
      status('packs-status', t('packs_removed', p.name), 'ok');
    } catch (e) {
      status('packs-status', t('packs_not_removed', p.name, e.message), 'error');
    }
    await loadPacks();
  });
  return b;
}

/** Saves a pack's JSON, byte for byte as it is used, to a file. @param {any} p */
async function exportPack(p) {
  try {
    const res = await ask({ type: 'packExport', id: p.id });
    download(res.fileName, 'application/json', res.json);
    status('packs-status', t('packs_exported', p.name, res.fileName), 'ok');
  } catch (e) {
    status('packs-status', t('packs_export_failed', p.name, e.message), 'error');
  }
}

/** @param {any} p @param {HTMLButtonElement} b */
async function updateNow(p, b) {
  b.disabled = true;
  status('packs-status', t('packs_checking', p.sub.url));
  try {
    const res = await ask({ type: 'packUpdate', id: p.id });
    status('packs-status', res.ok ? t('packs_update_ok', p.name, res.status) : t('packs_update_refused', p.name, sentence(res.status ?? res.reason)), res.ok ? 'ok' : 'error');
  } catch (e) {
    status('packs-status', t('packs_update_ok', p.name, e.message), 'error');
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
  status('import-status', t('packs_checking', file.name));
  let json;
  try {
    json = await file.text();
  } catch (err) {
    status('import-status', t('import_read_failed', file.name, /** @type {any} */ (err).message), 'error');
    return;
  }
  await wasmReady();
  const r = checkPack(json, file.name);
  if (!r.ok) {
    status('import-status', plural('import_problems', r.errors.length, file.name), 'error');
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
    status('import-status', t(res.replaced ? 'import_replaced' : 'import_done', pickText(res.names) || (r.summary?.name ?? ''), res.id, res.version), 'ok');
  } catch (err) {
    status('import-status', t('import_failed', /** @type {any} */ (err).message), 'error');
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
    status('sub-status', t('sub_bad_pin'), 'error');
    return;
  }
  const host = new URL(checked.url).host;
  status('sub-status', t('sub_asking', host));
  api.permissions.request({ origins: [checked.origin] }).then(
    async (granted) => {
      if (!granted) {
        status('sub-status', t('sub_refused', host), 'error');
        return;
      }
      status('sub-status', t('sub_downloading', checked.url));
      try {
        const res = await ask({ type: 'packSubscribe', url: checked.url, pin });
        if (!res.ok) {
          status('sub-status', res.reason, 'error');
          showErrors('sub-errors', res.errors ?? []);
        } else {
          status('sub-status', t('sub_done', res.id, res.version), 'ok');
          $('sub-url').value = '';
          $('sub-pin').value = '';
        }
      } catch (err) {
        status('sub-status', t('sub_failed_because', /** @type {any} */ (err).message), 'error');
      }
      await loadPacks();
    },
    (err) => status('sub-status', t('sub_failed_because', String(err?.message ?? err)), 'error'),
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

await Promise.all([loadPacks(), wasmReady(), initStorage(), initModel()]);
await initEditor(packs, loadPacks);
initSites();
document.documentElement.dataset.ready = '1';
// Sightings and the watch-list (options/sightings.js): after the packs, which the moderator came for first.
initSightingsOptions().catch((e) => console.error('flaglight: the sightings section', String(e?.message ?? e)));
