// The Storage section: what the background's check of its stored records
// found (background/storage.js, common/stored.js) — each damaged value with
// where it was, what was wrong, what was kept and when it was found; the
// moderator can save a damaged value as a file, or discard it after a
// confirmation. Nothing is discarded any other way.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { $, ask, status, timeEl } from './common.js';
import { formatNumber, t } from '../common/i18n.js';
import { download } from '../common/download.js';

/** Stands for the i-th substitution while a message is translated. @param {number} i */
const mark = (i) => `\uE000${i}\uE001`;
const MARKS = /\uE000(\d+)\uE001/;

/**
 * A stored message ([key, ...substitutions], a substitution may be a
 * message itself) in the UI language, as nodes. Text substitutions are data
 * (an English reason from a validator, a key, a URL, a file name): each in a
 * <bdi translate="no">, so a right-to-left sentence keeps its parentheses
 * and punctuation and nobody mistakes it for a message left untranslated.
 * @param {unknown} m
 * @param {number} [depth]
 * @returns {(Node|string)[]}
 */
export function sayNodes(m, depth = 0) {
  if (!Array.isArray(m) || typeof m[0] !== 'string' || depth > 3) return [String(m ?? '')];
  const subs = m.slice(1, 10);
  const parts = t(m[0], ...subs.map((a, i) => (typeof a === 'number' ? a : mark(i)))).split(MARKS);
  /** @type {(Node|string)[]} */
  const out = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part) out.push(part);
      return;
    }
    const a = subs[Number(part)];
    if (Array.isArray(a)) {
      out.push(...sayNodes(a, depth + 1));
      return;
    }
    const data = el('bdi', 'data', String(a));
    data.translate = false;
    out.push(data);
  });
  return out;
}

export async function loadStorage() {
  let res;
  try {
    res = await ask({ type: 'storageProblems' });
  } catch (e) {
    status('storage-status', t('storage_read_failed', /** @type {any} */ (e).message), 'error');
    return [];
  }
  const problems = Array.isArray(res.problems) ? res.problems : [];
  const list = $('storage-problems');
  list.replaceChildren(...problems.map(problemItem));
  $('storage-table').hidden = problems.length === 0;
  $('storage-none').hidden = problems.length > 0;
  const alert = $('storage-alert');
  alert.hidden = problems.length === 0;
  return problems;
}

/** Numbers the rows' key elements (ids for the buttons' names). */
let rowIds = 0;

/** @param {any} p */
function problemItem(p) {
  const tr = el('tr');
  tr.dataset.problem = p.id;
  tr.dataset.key = p.key;

  const found = el('td', 'found');
  if (p.time) found.append(timeEl(p.time));

  const where = el('td', 'where');
  const key = el('code', 'key', p.key);
  key.translate = false;
  key.dir = 'ltr';
  key.id = `storage-key-${(rowIds += 1)}`;
  where.append(el('span', 'name', t(p.label)), key, el('span', 'detail', t('storage_size', formatNumber(p.size))));

  const why = el('td', 'why');
  why.append(...sayNodes(p.why));
  const kept = el('td', 'kept');
  kept.append(...sayNodes(p.kept));
  if (p.held) kept.classList.add('held');

  const actions = el('td', 'row-actions');
  actions.append(exportButton(p, key.id), discardButton(p, key.id));
  tr.append(found, where, why, kept, actions);
  return tr;
}

/**
 * A button named by its text and the key it acts on (the key's own element,
 * which is data, not part of a translated label).
 * @param {HTMLElement} b
 * @param {string} keyId
 */
function namedWithKey(b, keyId) {
  b.id = `${keyId}-${b.className}`;
  b.setAttribute('aria-labelledby', `${b.id} ${keyId}`);
}

/** @param {any} p @param {string} keyId */
function exportButton(p, keyId) {
  const b = el('button', 'export', t('storage_export'));
  b.type = 'button';
  namedWithKey(b, keyId);
  b.addEventListener('click', async () => {
    try {
      const res = await ask({ type: 'storageExport', id: p.id });
      if (!res.ok) throw new Error(res.reason);
      download(res.fileName, 'application/json', res.text);
      status('storage-status', t('storage_exported', p.key, res.fileName), 'ok');
    } catch (e) {
      status('storage-status', t('storage_export_failed', p.key, /** @type {any} */ (e).message), 'error');
    }
  });
  return b;
}

/** Discard asks once more on the same button, as removing a pack does. @param {any} p @param {string} keyId */
function discardButton(p, keyId) {
  const b = /** @type {HTMLButtonElement} */ (el('button', 'discard', t('storage_discard')));
  b.type = 'button';
  namedWithKey(b, keyId);
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  b.addEventListener('click', async () => {
    if (b.dataset.confirm !== '1') {
      b.dataset.confirm = '1';
      b.textContent = t('storage_really_discard');
      timer = setTimeout(() => {
        b.dataset.confirm = '';
        b.textContent = t('storage_discard');
      }, 5000);
      return;
    }
    clearTimeout(timer);
    b.disabled = true;
    try {
      const res = await ask({ type: 'storageDiscard', id: p.id });
      if (!res.ok) throw new Error(res.reason ?? t('storage_gone'));
      status('storage-status', t('storage_discarded', p.key), 'ok');
    } catch (e) {
      status('storage-status', t('storage_discard_failed', p.key, /** @type {any} */ (e).message), 'error');
    }
    await loadStorage();
  });
  return b;
}

export function initStorage() {
  let pending = 0;
  // A problem found while the page is open (a page's flags read) shows at once.
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !Object.keys(changes).some((k) => k.startsWith('corrupt:'))) return;
    clearTimeout(pending);
    pending = setTimeout(loadStorage, 50);
  });
  return loadStorage();
}
