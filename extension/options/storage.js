// The Storage section: what the background's check of its stored records
// found (background/storage.js, common/stored.js) — each damaged value with
// where it was, what was wrong, what was kept and when it was found; the
// moderator can save a damaged value as a file, or discard it after a
// confirmation. Nothing is discarded any other way.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { $, ask, status, timeEl } from './common.js';
import { formatNumber, t, uiDir } from '../common/i18n.js';

/**
 * A stored message ([key, ...substitutions], a substitution may be a
 * message itself) in the UI language.
 * @param {unknown} m
 * @param {number} [depth]
 * @returns {string}
 */
export function say(m, depth = 0) {
  if (!Array.isArray(m) || typeof m[0] !== 'string' || depth > 3) return String(m ?? '');
  // Data inside a right-to-left sentence (an English reason, a key, a URL) is
  // isolated, so its parentheses and punctuation stay its own.
  const data = (/** @type {string} */ s) => (uiDir() === 'rtl' ? `\u2068${s}\u2069` : s);
  return t(m[0], ...m.slice(1, 10).map((a) => (Array.isArray(a) ? say(a, depth + 1) : typeof a === 'number' ? a : data(String(a)))));
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
  where.append(el('span', 'name', t(p.label)), key, el('span', 'detail', t('storage_size', formatNumber(p.size))));

  const why = el('td', 'why', say(p.why));
  const kept = el('td', 'kept', say(p.kept));
  if (p.held) kept.classList.add('held');

  const actions = el('td', 'row-actions');
  actions.append(exportButton(p), discardButton(p));
  tr.append(found, where, why, kept, actions);
  return tr;
}

/** @param {any} p */
function exportButton(p) {
  const b = el('button', 'export', t('storage_export'));
  b.type = 'button';
  b.setAttribute('aria-label', t('storage_export_aria', p.key));
  b.addEventListener('click', async () => {
    try {
      const res = await ask({ type: 'storageExport', id: p.id });
      if (!res.ok) throw new Error(res.reason);
      const url = URL.createObjectURL(new Blob([res.text], { type: 'application/json' }));
      const a = /** @type {HTMLAnchorElement} */ (el('a'));
      a.href = url;
      a.download = res.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status('storage-status', t('storage_exported', p.key, res.fileName), 'ok');
    } catch (e) {
      status('storage-status', t('storage_export_failed', p.key, /** @type {any} */ (e).message), 'error');
    }
  });
  return b;
}

/** Discard asks once more on the same button, as removing a pack does. @param {any} p */
function discardButton(p) {
  const b = /** @type {HTMLButtonElement} */ (el('button', 'discard', t('storage_discard')));
  b.type = 'button';
  b.setAttribute('aria-label', t('storage_discard_aria', p.key));
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
