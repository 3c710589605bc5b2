// The panel's "Flags" group: the reviewer's flags on the tab's page with
// their note, time and how each is anchored; orphans (not found on the page)
// with their quote and note; flags that could not be saved. Click a flag to
// scroll to it; edit and delete in place (with Undo); export this page's or
// every page's flags (W3C Web Annotation JSON-LD, CSV, HTML evidence report)
// and import JSON-LD (common/download.js saves the files).

import { SEVERITIES, normalizeCategory } from '../common/flag-record.js';
import { download } from '../common/download.js';
import { coalesced, el, request } from '../common/ui.js';
import { categoryFromName, categoryName, formatDate, formatList, formatNumber, plural, severityName, t } from '../common/i18n.js';

/** How long "Flag deleted. Undo" stays. */
const UNDO_MS = 10_000;

/**
 * @typedef {import('../common/evidence.js').Flag & {status: {state: string, method: string, distance: number, score: number}, error?: string}} ListedFlag
 */

export class FlagsView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {number|null} */
    this.tabId = null;
    /** @type {any} */
    this.data = null;
    /** The flag being edited in place. @type {string|null} */
    this.editing = null;
    /** @type {{flag: ListedFlag, timer: ReturnType<typeof setTimeout>}|null} */
    this.deleted = null;
    /** Loads and shows the tab's list; calls made meanwhile coalesce into one more. */
    this.load = coalesced(async () => {
      this.data = this.tabId === null ? null : await request({ type: 'flagList', tabId: this.tabId });
      this.render();
    });
    this.build();
  }

  build() {
    const head = el('h2', '', t('flags_heading'));
    this.count = el('span', 'count', t('common_count_paren', 0));
    head.append(this.count);
    this.error = el('p', 'flag-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.undoBar = el('div', 'undo-bar');
    this.undoBar.hidden = true;
    this.undoText = el('span', '', t('flags_deleted'));
    const undo = el('button', 'link', t('common_undo'));
    undo.type = 'button';
    undo.addEventListener('click', () => this.undo());
    this.undoBar.append(this.undoText, undo);
    this.list = el('div', 'flag-lists');
    this.empty = el('p', 'empty', t('flags_empty'));
    this.root.append(head, this.error, this.undoBar, this.list, this.empty, this.tools());
  }

  /** Export and import controls. */
  tools() {
    const box = el('details', 'flag-tools');
    box.append(el('summary', '', t('flags_tools')));
    const row = (label, scope) => {
      const p = el('p', 'export-row');
      p.append(el('span', 'export-label', label));
      for (const [format, text] of [['jsonld', t('flags_format_jsonld')], ['csv', t('flags_format_csv')], ['html', t('flags_format_report')]]) {
        const b = el('button', '', text);
        b.type = 'button';
        b.dataset.scope = scope;
        b.dataset.format = format;
        b.addEventListener('click', () => this.export(scope, format));
        p.append(b);
      }
      return p;
    };
    const shot = el('label', 'shot');
    this.shot = /** @type {HTMLInputElement} */ (el('input'));
    this.shot.type = 'checkbox';
    shot.append(this.shot, document.createTextNode(` ${t('flags_screenshot')}`));
    const imp = el('label', 'import');
    this.file = /** @type {HTMLInputElement} */ (el('input'));
    this.file.type = 'file';
    this.file.accept = '.jsonld,.json,application/ld+json,application/json';
    this.file.addEventListener('change', () => this.import());
    imp.append(document.createTextNode(`${t('flags_import')} `), this.file);
    this.toolStatus = el('p', 'tool-status');
    this.toolStatus.setAttribute('role', 'status');
    box.append(row(t('flags_this_page'), 'page'), row(t('flags_all_pages'), 'all'), shot, imp, this.toolStatus);
    return box;
  }

  /** Loads and shows a tab's flags (coalesced). @param {number|null} tabId */
  refresh(tabId) {
    this.tabId = tabId;
    return this.load();
  }

  render() {
    const d = this.data;
    /** @type {ListedFlag[]} */
    const flags = d?.flags ?? [];
    /** @type {ListedFlag[]} */
    const unsaved = d?.unsaved ?? [];
    const anchored = flags.filter((f) => f.status.state !== 'orphan');
    const orphans = flags.filter((f) => f.status.state === 'orphan');
    this.count.textContent = t('common_count_paren', flags.length + unsaved.length);
    this.error.textContent = d?.error ?? '';
    this.error.hidden = !d?.error;
    this.empty.hidden = flags.length + unsaved.length > 0;
    const frag = document.createDocumentFragment();
    if (anchored.length) frag.append(this.group('', anchored, 'on-page'));
    if (orphans.length) frag.append(this.group(t('flags_orphans', orphans.length), orphans, 'orphans'));
    if (unsaved.length) frag.append(this.group(t('flags_unsaved', unsaved.length), unsaved, 'unsaved'));
    // Keep an open editor's typing: do not rebuild under it.
    if (this.editing && this.list.querySelector('.flag-edit')) return;
    this.list.replaceChildren(frag);
  }

  /**
   * @param {string} title
   * @param {ListedFlag[]} flags
   * @param {string} cls
   */
  group(title, flags, cls) {
    const box = el('div', `flag-group ${cls}`);
    if (title) box.append(el('h3', '', title));
    const ul = el('ul');
    for (const f of flags) ul.append(this.item(f, cls));
    box.append(ul);
    return box;
  }

  /** @param {ListedFlag} f @param {string} cls */
  item(f, cls) {
    const li = el('li', `flag sev-${f.severity}`);
    li.dataset.id = f.id;
    if (this.editing === f.id) {
      li.append(this.editor(f));
      return li;
    }
    const go = el('button', 'go');
    go.type = 'button';
    const snippet = el('div', 'snippet');
    snippet.dir = 'auto';
    snippet.append(
      document.createTextNode(f.quote.prefix ? `…${f.quote.prefix.replace(/\s+/g, ' ').trimStart()}` : ''),
      el('mark', 'flag-mark', f.quote.exact),
      document.createTextNode(f.quote.suffix ? `${f.quote.suffix.replace(/\s+/g, ' ').trimEnd()}…` : ''),
    );
    const meta = el('div', 'meta', [categoryName(f.category), severityName(f.severity), when(f), statusText(f)].filter(Boolean).join(' · '));
    go.append(snippet, meta);
    if (f.note) {
      const note = el('div', 'note');
      const text = el('span', '', f.note);
      text.dir = 'auto';
      note.append(el('span', 'note-label', `${t('flags_note_label')} `), text);
      go.append(note);
    }
    if (f.error) go.append(el('div', 'flag-error', t('flags_not_saved_because', f.error)));
    go.title = cls === 'on-page' ? t('flags_show_title') : cls === 'orphans' ? t('flags_orphan_title') : '';
    go.addEventListener('click', () => {
      if (this.tabId !== null && cls === 'on-page') request({ type: 'flagReveal', tabId: this.tabId, id: f.id });
    });
    const actions = el('div', 'actions');
    if (cls === 'unsaved') {
      actions.append(this.action(t('flags_retry'), () => this.retry(f)), this.action(t('flags_discard'), () => this.discard(f)));
    } else {
      actions.append(this.action(t('common_edit'), () => this.edit(f)), this.action(t('common_delete'), () => this.remove(f)));
    }
    li.append(go, actions);
    return li;
  }

  /** @param {string} text @param {() => void} fn */
  action(text, fn) {
    const b = el('button', 'link', text);
    b.type = 'button';
    b.addEventListener('click', fn);
    return b;
  }

  /** The in-place editor. @param {ListedFlag} f */
  editor(f) {
    const box = el('div', 'flag-edit');
    const category = /** @type {HTMLInputElement} */ (el('input'));
    category.value = categoryName(f.category);
    category.setAttribute('list', 'flag-categories');
    category.setAttribute('aria-label', t('form_category'));
    const list = el('datalist');
    list.id = 'flag-categories';
    for (const c of this.data?.categories ?? []) {
      const o = /** @type {HTMLOptionElement} */ (el('option'));
      o.value = categoryName(c);
      list.append(o);
    }
    const severity = /** @type {HTMLSelectElement} */ (el('select'));
    severity.setAttribute('aria-label', t('form_severity'));
    for (const s of SEVERITIES) {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', severityName(s)));
      o.value = s;
      severity.append(o);
    }
    severity.value = f.severity;
    const note = /** @type {HTMLTextAreaElement} */ (el('textarea'));
    note.value = f.note;
    note.rows = 3;
    note.dir = 'auto';
    note.setAttribute('aria-label', t('form_note'));
    const msg = el('p', 'flag-error');
    msg.hidden = true;
    const save = this.action(t('common_save'), async () => {
      const c = normalizeCategory(categoryFromName(category.value, this.data?.categories ?? []));
      if (!c) {
        msg.textContent = t('flags_need_category');
        msg.hidden = false;
        return;
      }
      const r = await request({ type: 'flagUpdate', id: f.id, url: f.url, category: c, severity: severity.value, note: note.value });
      if (!r?.ok) {
        msg.textContent = t('flags_not_saved_because', r?.error ?? t('common_no_answer'));
        msg.hidden = false;
        return;
      }
      this.editing = null;
      this.refresh(this.tabId);
    });
    save.classList.add('primary');
    const cancel = this.action(t('common_cancel'), () => {
      this.editing = null;
      this.refresh(this.tabId);
    });
    const row = el('div', 'row');
    row.append(category, severity);
    const q = el('div', 'snippet');
    q.dir = 'auto';
    q.append(el('mark', 'flag-mark', f.quote.exact));
    box.append(q, row, list, note, msg, el('div', 'actions'));
    /** @type {HTMLElement} */ (box.lastChild).append(save, cancel);
    queueMicrotask(() => category.focus());
    return box;
  }

  /** @param {ListedFlag} f */
  edit(f) {
    this.editing = f.id;
    this.list.replaceChildren();
    this.render();
  }

  /** @param {ListedFlag} f */
  async remove(f) {
    const r = await request({ type: 'flagDelete', url: f.url, id: f.id });
    if (!r?.ok) {
      this.showError(t('flags_not_deleted', r?.error ?? t('common_no_answer')));
      return;
    }
    if (this.deleted) clearTimeout(this.deleted.timer);
    this.deleted = { flag: f, timer: setTimeout(() => this.hideUndo(), UNDO_MS) };
    this.undoText.textContent = `${t('flags_deleted_quote', `${f.quote.exact.slice(0, 40)}${f.quote.exact.length > 40 ? '…' : ''}`)} `;
    this.undoBar.hidden = false;
    this.refresh(this.tabId);
  }

  async undo() {
    const d = this.deleted;
    if (!d) return;
    const r = await request({ type: 'flagRestore', id: d.flag.id });
    if (!r?.ok) {
      this.showError(t('flags_undo_failed', r?.error ?? t('common_no_answer')));
      return;
    }
    this.hideUndo();
    this.refresh(this.tabId);
  }

  hideUndo() {
    if (this.deleted) clearTimeout(this.deleted.timer);
    this.deleted = null;
    this.undoBar.hidden = true;
  }

  /** @param {ListedFlag} f */
  async retry(f) {
    const r = await request({ type: 'flagRetry', id: f.id });
    if (!r?.ok) this.showError(t('flags_still_not_saved', r?.error ?? t('common_no_answer')));
    this.refresh(this.tabId);
  }

  /** @param {ListedFlag} f */
  async discard(f) {
    await request({ type: 'flagDiscard', id: f.id });
    this.refresh(this.tabId);
  }

  /** @param {string} text */
  showError(text) {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  /** @param {'page'|'all'} scope @param {'jsonld'|'csv'|'html'} format */
  async export(scope, format) {
    if (this.tabId === null) return;
    this.toolStatus.textContent = t('flags_exporting');
    const r = await request({ type: 'flagExport', tabId: this.tabId, scope, format, screenshot: format === 'html' && this.shot.checked });
    if (!r || typeof r.text !== 'string') {
      this.toolStatus.textContent = t('flags_export_failed', r?.error ?? t('common_no_answer'));
      return;
    }
    download(r.filename, r.mime, r.text);
    const done = plural('flags_exported', r.count, r.filename);
    this.toolStatus.textContent = r.notes?.length ? t('common_with_notes', done, formatList(r.notes)) : done;
  }

  async import() {
    const file = this.file.files?.[0];
    if (!file) return;
    const r = await request({ type: 'flagImport', json: await file.text() });
    this.file.value = '';
    if (!r) {
      this.toolStatus.textContent = t('flags_import_failed', t('common_no_answer'));
      return;
    }
    const done = plural('flags_imported', r.imported ?? 0, r.added ?? 0, r.updated ?? 0, r.unchanged ?? 0);
    this.toolStatus.textContent = r.errors?.length ? t('common_with_notes', done, plural('flags_import_invalid', r.invalid ?? r.errors.length, r.errors.slice(0, 5).join('; '))) : done;
    this.refresh(this.tabId);
  }
}

/** @param {ListedFlag} f */
function when(f) {
  const d = new Date(f.modified !== f.created ? f.modified : f.created);
  if (Number.isNaN(d.getTime())) return '';
  const s = formatDate(d);
  return f.modified !== f.created ? t('flags_edited_at', s) : s;
}

/** @param {ListedFlag} f */
function statusText(f) {
  const s = f.status;
  if (s.state === 'anchored') {
    if (s.method === 'position') return t('flags_status_on_page');
    if (s.method === 'quote') return t('flags_status_moved');
    return plural('flags_status_changed', s.distance, formatNumber(s.score, { style: 'percent' }));
  }
  if (s.state === 'orphan') return t('flags_status_orphan');
  if (s.state === 'unsaved') return t('flags_status_unsaved');
  return t('flags_status_unchecked');
}
