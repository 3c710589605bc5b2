// The options page's Sightings section (issue 14): how long sightings are
// kept, what is stored, "clear all", browser notifications for watched
// items, and the watch-list (paste, import and export as text or CSV, the
// entries with a remove button). The background (background/sightings.js)
// does every change; this page shows what it answers.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { download } from '../common/download.js';
import { SightingsDb } from '../common/sightings-db.js';
import { formatDate, kindName, plural, t } from '../common/i18n.js';
import { ask, status } from './common.js';

/** Entries listed at once; the filter finds the others. */
const LIST_MAX = 500;

const db = new SightingsDb({ onBad: () => void ask({ type: 'sightingsCheck' }).catch(() => {}) });

/** @param {string} id @param {string} labelKey @param {HTMLElement} control */
function field(id, labelKey, control) {
  const wrap = el('div', 'field');
  const label = el('label', '', t(labelKey));
  label.setAttribute('for', id);
  control.id = id;
  wrap.append(label, control);
  return wrap;
}

/** @param {string} id @param {string} key */
function button(id, key, cls = '') {
  const b = el('button', cls, t(key));
  b.type = 'button';
  b.id = id;
  return b;
}

/** @param {string} id */
function statusLine(id) {
  const p = el('p', 'status');
  p.id = id;
  p.setAttribute('role', 'status');
  p.setAttribute('aria-live', 'polite');
  return p;
}

/** Builds the section into <section id="sightings">. */
export async function initSightingsOptions() {
  const root = /** @type {HTMLElement} */ (document.getElementById('sightings'));
  const h2 = el('h2', '', t('options_sightings'));
  h2.id = 'sightings-title';
  root.append(h2, el('p', 'note', t('sightings_options_note')));
  const problem = el('p', 'alert');
  problem.id = 'sightings-problem';
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  root.append(problem);

  // Kept: retention, counts, clear all.
  const kept = el('div', 'card');
  kept.append(el('h3', '', t('sightings_kept_title')));
  const days = /** @type {HTMLInputElement} */ (el('input'));
  days.type = 'number';
  days.min = '1';
  days.max = '3650';
  days.step = '1';
  days.inputMode = 'numeric';
  const row = el('div', 'inline');
  row.append(field('sightings-days', 'sightings_retention_label', days), button('sightings-days-save', 'common_save'));
  const counts = el('p', 'note');
  counts.id = 'sightings-counts';
  const clear = button('sightings-clear', 'sightings_clear', 'danger');
  const confirm = button('sightings-clear-confirm', 'sightings_clear_confirm', 'danger');
  confirm.hidden = true;
  kept.append(row, statusLine('sightings-days-status'), counts, clear, confirm, statusLine('sightings-clear-status'));

  // Notifications.
  const notify = el('div', 'card');
  notify.append(el('h3', '', t('sightings_notify_heading')));
  const nLabel = el('label', 'check');
  const nBox = /** @type {HTMLInputElement} */ (el('input'));
  nBox.type = 'checkbox';
  nBox.id = 'sightings-notify';
  nLabel.append(nBox, ` ${t('sightings_notify_label')}`);
  notify.append(nLabel, el('p', 'note', t('sightings_notify_note')), statusLine('sightings-notify-status'));

  // The watch-list.
  const watch = el('div', 'card wide');
  watch.append(el('h3', '', t('sightings_watch_title')), el('p', 'note', t('sightings_watch_note')));
  const paste = /** @type {HTMLTextAreaElement} */ (el('textarea'));
  paste.rows = 6;
  paste.dir = 'auto';
  paste.spellcheck = false;
  paste.placeholder = 't.me/…\nvk.com/club…\nbc1q…\n@…\nphrase:…';
  const fileLabel = el('label', 'file');
  const file = /** @type {HTMLInputElement} */ (el('input'));
  file.type = 'file';
  file.id = 'watch-file';
  file.accept = '.txt,.csv,text/plain,text/csv';
  fileLabel.append(el('span', '', t('sightings_watch_import')), file);
  const clearExport = el('label', 'check');
  const clearBox = /** @type {HTMLInputElement} */ (el('input'));
  clearBox.type = 'checkbox';
  clearBox.id = 'watch-export-clear';
  clearExport.append(clearBox, ` ${t('sightings_export_clear')}`);
  const warn = el('p', 'alert', t('sightings_export_clear_warning'));
  warn.hidden = true;
  clearBox.addEventListener('change', () => (warn.hidden = !clearBox.checked));
  const actions = el('div', 'actions');
  actions.append(button('watch-add', 'sightings_watch_add', 'primary'), fileLabel, button('watch-export-text', 'sightings_watch_export_text'), button('watch-export-csv', 'sightings_watch_export_csv'));
  const refused = el('ul', 'errors');
  refused.id = 'watch-refused';
  refused.hidden = true;
  const filter = /** @type {HTMLInputElement} */ (el('input'));
  filter.type = 'search';
  const list = el('ul', 'watch-list');
  list.id = 'watch-entries';
  watch.append(field('watch-paste', 'sightings_watch_paste', paste), actions, clearExport, warn, statusLine('watch-status'), refused, field('watch-filter', 'sightings_watch_filter', filter), list);

  const cards = el('div', 'cards');
  cards.append(kept, notify, watch);
  root.append(cards);

  // ---- behaviour ----
  /** @type {any[]} */
  let entries = [];
  const renderList = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = entries.filter((w) => !q || `${w.label}\n${w.kind}\n${w.key}`.toLowerCase().includes(q));
    list.replaceChildren();
    for (const w of shown.slice(0, LIST_MAX)) {
      const li = el('li');
      li.dataset.key = w.key;
      const label = el('span', 'label', w.label);
      label.dir = 'auto';
      label.translate = false;
      const kind = el('span', 'detail', `${kindName(w.kind) !== w.kind ? kindName(w.kind) : t(`network_${w.kind}`) !== `network_${w.kind}` ? t(`network_${w.kind}`) : w.kind} · ${formatDate(w.added, 'date')}`);
      const rm = button('', 'sightings_watch_remove', 'link');
      rm.removeAttribute('id');
      rm.setAttribute('aria-label', t('sightings_watch_remove_label', w.label));
      rm.addEventListener('click', async () => {
        await ask({ type: 'sightingsWatchRemove', keys: [w.key] });
        await load();
      });
      li.append(label, kind, rm);
      list.append(li);
    }
    if (shown.length > LIST_MAX) list.append(el('li', 'note', plural('errors_more', shown.length - LIST_MAX)));
    if (!entries.length) list.append(el('li', 'note', t('sightings_watch_empty')));
  };
  const load = async () => {
    const res = await ask({ type: 'sightingsStatus' });
    days.value = String(res.settings.retentionDays);
    nBox.checked = !!(res.settings.notify && res.notifyGranted);
    counts.textContent = t('sightings_counts', plural('sightings_items', res.counts.items), plural('sightings_records', res.counts.sightings), plural('sightings_watch_entries', res.counts.watch));
    const reasons = [res.problem?.reason, res.watchProblem ? t('sightings_watch_problem', res.watchProblem) : '', res.counts.quarantine ? plural('sightings_quarantined', res.counts.quarantine) : ''].filter(Boolean);
    problem.hidden = !reasons.length;
    problem.textContent = reasons.join(' ');
    entries = (await db.watchList()).sort((a, b) => b.added - a.added);
    renderList();
  };
  filter.addEventListener('input', renderList);

  $on('sightings-days-save', async () => {
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 3650) {
      status('sightings-days-status', t('sightings_retention_bad'), 'error');
      return;
    }
    try {
      await ask({ type: 'sightingsSetSettings', retentionDays: n, notify: 'same' });
      status('sightings-days-status', plural('sightings_retention_saved', n), 'ok');
    } catch (e) {
      status('sightings-days-status', String(/** @type {any} */ (e).message), 'error');
    }
    await load();
  });
  clear.addEventListener('click', () => {
    confirm.hidden = false;
    confirm.focus();
    status('sightings-clear-status', t('sightings_clear_ask'));
  });
  $on('sightings-clear-confirm', async () => {
    confirm.hidden = true;
    await ask({ type: 'sightingsClear' });
    status('sightings-clear-status', t('sightings_cleared'), 'ok');
    await load();
  });
  // The permission is asked in the click's gesture, before anything is awaited.
  nBox.addEventListener('change', () => {
    const on = nBox.checked;
    const granted = on ? api.permissions.request({ permissions: ['notifications'] }) : Promise.resolve(true);
    granted.then(
      async (ok) => {
        if (on && !ok) {
          nBox.checked = false;
          status('sightings-notify-status', t('sightings_notify_refused'), 'error');
          return;
        }
        await ask({ type: 'sightingsSetSettings', retentionDays: 0, notify: on ? 'on' : 'off' });
        status('sightings-notify-status', on ? t('sightings_notify_on') : t('sightings_notify_off'), 'ok');
      },
      (e) => status('sightings-notify-status', String(e?.message ?? e), 'error'),
    );
  });
  const importText = async (/** @type {string} */ text, /** @type {'text'|'csv'} */ format) => {
    status('watch-status', t('sightings_watch_reading'));
    try {
      const res = await ask({ type: 'sightingsWatchImport', text, format });
      status('watch-status', t('sightings_watch_added', plural('sightings_watch_entries', res.added), plural('sightings_watch_entries', res.total)), 'ok');
      refused.replaceChildren();
      refused.hidden = !res.refused.length;
      for (const r of res.refused.slice(0, 200)) {
        const li = el('li');
        const txt = el('code', '', r.text);
        txt.dir = 'auto';
        li.append(el('span', 'where', t('errors_line', r.line)), ' ', txt, `: ${r.reason}`);
        refused.append(li);
      }
      return res;
    } catch (e) {
      status('watch-status', t('sightings_watch_failed', String(/** @type {any} */ (e).message)), 'error');
      return null;
    } finally {
      await load();
    }
  };
  $on('watch-add', async () => {
    const res = await importText(paste.value, 'text');
    if (res && !res.refused.length) paste.value = '';
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    const text = await f.text();
    await importText(text, /\.csv$/i.test(f.name) || f.type === 'text/csv' ? 'csv' : 'text');
    file.value = '';
  });
  for (const format of /** @type {const} */ (['text', 'csv'])) {
    $on(`watch-export-${format}`, async () => {
      const res = await ask({ type: 'sightingsWatchExport', format, clear: clearBox.checked });
      const stamp = new Date().toISOString().slice(0, 10);
      download(`flaglight-watch-list-${stamp}.${format === 'csv' ? 'csv' : 'txt'}`, format === 'csv' ? 'text/csv' : 'text/plain', res.text);
      status('watch-status', t('sightings_watch_exported'), 'ok');
    });
  }
  await load();
  document.documentElement.dataset.sightingsReady = '1';
}

/** @param {string} id @param {() => void} fn */
function $on(id, fn) {
  /** @type {HTMLElement} */ (document.getElementById(id)).addEventListener('click', fn);
}
