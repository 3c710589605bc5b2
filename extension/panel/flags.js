// The panel's "Flags" group: the reviewer's flags on the tab's page with
// their note, time and how each is anchored; orphans (not found on the page)
// with their quote and note; flags that could not be saved. Click a flag to
// scroll to it; edit and delete in place (with Undo); export this page's or
// every page's flags (W3C Web Annotation JSON-LD, CSV, HTML evidence report)
// and import JSON-LD (common/download.js saves the files).

import { SEVERITIES, normalizeCategory } from '../common/flag-record.js';
import { download } from '../common/download.js';
import { el, request } from '../common/ui.js';

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
    this.busy = false;
    this.again = false;
    this.build();
  }

  build() {
    const head = el('h2', '', 'Flags');
    this.count = el('span', 'count', '(0)');
    head.append(this.count);
    this.error = el('p', 'flag-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.undoBar = el('div', 'undo-bar');
    this.undoBar.hidden = true;
    this.undoText = el('span', '', 'Flag deleted.');
    const undo = el('button', 'link', 'Undo');
    undo.type = 'button';
    undo.addEventListener('click', () => this.undo());
    this.undoBar.append(this.undoText, undo);
    this.list = el('div', 'flag-lists');
    this.empty = el('p', 'empty', 'No flags on this page. Select text in the page and choose "Flag selection" (right-click menu or Alt+Shift+F).');
    this.root.append(head, this.error, this.undoBar, this.list, this.empty, this.tools());
  }

  /** Export and import controls. */
  tools() {
    const box = el('details', 'flag-tools');
    box.append(el('summary', '', 'Export and import'));
    const row = (label, scope) => {
      const p = el('p', 'export-row');
      p.append(el('span', 'export-label', label));
      for (const [format, text] of [['jsonld', 'JSON-LD'], ['csv', 'CSV'], ['html', 'Report']]) {
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
    shot.append(this.shot, document.createTextNode(' screenshot of the visible tab in the report (after the toolbar button, the menu or the shortcut)'));
    const imp = el('label', 'import');
    this.file = /** @type {HTMLInputElement} */ (el('input'));
    this.file.type = 'file';
    this.file.accept = '.jsonld,.json,application/ld+json,application/json';
    this.file.addEventListener('change', () => this.import());
    imp.append(document.createTextNode('Import W3C annotations (JSON-LD): '), this.file);
    this.toolStatus = el('p', 'tool-status');
    this.toolStatus.setAttribute('role', 'status');
    box.append(row('This page:', 'page'), row('All pages:', 'all'), shot, imp, this.toolStatus);
    return box;
  }

  /** Loads and shows a tab's flags (coalesced). @param {number|null} tabId */
  async refresh(tabId) {
    this.tabId = tabId;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      this.data = tabId === null ? null : await request({ type: 'flagList', tabId });
      this.render();
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh(this.tabId);
      }
    }
  }

  render() {
    const d = this.data;
    /** @type {ListedFlag[]} */
    const flags = d?.flags ?? [];
    /** @type {ListedFlag[]} */
    const unsaved = d?.unsaved ?? [];
    const anchored = flags.filter((f) => f.status.state !== 'orphan');
    const orphans = flags.filter((f) => f.status.state === 'orphan');
    this.count.textContent = `(${flags.length + unsaved.length})`;
    this.error.textContent = d?.error ?? '';
    this.error.hidden = !d?.error;
    this.empty.hidden = flags.length + unsaved.length > 0;
    const frag = document.createDocumentFragment();
    if (anchored.length) frag.append(this.group('', anchored, 'on-page'));
    if (orphans.length) frag.append(this.group(`Not found on the page (${orphans.length})`, orphans, 'orphans'));
    if (unsaved.length) frag.append(this.group(`Not saved (${unsaved.length})`, unsaved, 'unsaved'));
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
    const meta = el('div', 'meta', [f.category, f.severity, when(f), statusText(f)].filter(Boolean).join(' · '));
    go.append(snippet, meta);
    if (f.note) {
      const note = el('div', 'note', f.note);
      note.dir = 'auto';
      go.append(note);
    }
    if (f.error) go.append(el('div', 'flag-error', `Not saved: ${f.error}`));
    go.title = cls === 'on-page' ? 'Show it in the page' : cls === 'orphans' ? 'Not found on the page: the quote and note are kept' : '';
    go.addEventListener('click', () => {
      if (this.tabId !== null && cls === 'on-page') request({ type: 'flagReveal', tabId: this.tabId, id: f.id });
    });
    const actions = el('div', 'actions');
    if (cls === 'unsaved') {
      actions.append(this.action('Retry', () => this.retry(f)), this.action('Discard', () => this.discard(f)));
    } else {
      actions.append(this.action('Edit', () => this.edit(f)), this.action('Delete', () => this.remove(f)));
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
    category.value = f.category;
    category.setAttribute('list', 'flag-categories');
    category.setAttribute('aria-label', 'Category');
    const list = el('datalist');
    list.id = 'flag-categories';
    for (const c of this.data?.categories ?? []) {
      const o = /** @type {HTMLOptionElement} */ (el('option'));
      o.value = c;
      list.append(o);
    }
    const severity = /** @type {HTMLSelectElement} */ (el('select'));
    severity.setAttribute('aria-label', 'Severity');
    for (const s of SEVERITIES) {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', s));
      o.value = s;
      severity.append(o);
    }
    severity.value = f.severity;
    const note = /** @type {HTMLTextAreaElement} */ (el('textarea'));
    note.value = f.note;
    note.rows = 3;
    note.setAttribute('aria-label', 'Note');
    const msg = el('p', 'flag-error');
    msg.hidden = true;
    const save = this.action('Save', async () => {
      const c = normalizeCategory(category.value);
      if (!c) {
        msg.textContent = 'Give the flag a category.';
        msg.hidden = false;
        return;
      }
      const r = await request({ type: 'flagUpdate', id: f.id, url: f.url, category: c, severity: severity.value, note: note.value });
      if (!r?.ok) {
        msg.textContent = `Not saved: ${r?.error ?? 'no answer'}`;
        msg.hidden = false;
        return;
      }
      this.editing = null;
      this.refresh(this.tabId);
    });
    save.classList.add('primary');
    const cancel = this.action('Cancel', () => {
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
      this.showError(`Not deleted: ${r?.error ?? 'no answer'}`);
      return;
    }
    if (this.deleted) clearTimeout(this.deleted.timer);
    this.deleted = { flag: f, timer: setTimeout(() => this.hideUndo(), UNDO_MS) };
    this.undoText.textContent = `Flag deleted (“${f.quote.exact.slice(0, 40)}${f.quote.exact.length > 40 ? '…' : ''}”). `;
    this.undoBar.hidden = false;
    this.refresh(this.tabId);
  }

  async undo() {
    const d = this.deleted;
    if (!d) return;
    const r = await request({ type: 'flagRestore', id: d.flag.id });
    if (!r?.ok) {
      this.showError(`Could not undo: ${r?.error ?? 'no answer'}`);
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
    if (!r?.ok) this.showError(`Still not saved: ${r?.error ?? 'no answer'}`);
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
    this.toolStatus.textContent = 'Exporting…';
    const r = await request({ type: 'flagExport', tabId: this.tabId, scope, format, screenshot: format === 'html' && this.shot.checked });
    if (!r || typeof r.text !== 'string') {
      this.toolStatus.textContent = `Export failed: ${r?.error ?? 'no answer'}`;
      return;
    }
    download(r.filename, r.mime, r.text);
    this.toolStatus.textContent = `Exported ${r.count} flag${r.count === 1 ? '' : 's'} to ${r.filename}${r.notes?.length ? ` (${r.notes.join('; ')})` : ''}.`;
  }

  async import() {
    const file = this.file.files?.[0];
    if (!file) return;
    const r = await request({ type: 'flagImport', json: await file.text() });
    this.file.value = '';
    if (!r) {
      this.toolStatus.textContent = 'Import failed: no answer';
      return;
    }
    const parts = [`Imported ${r.imported ?? 0} flag${r.imported === 1 ? '' : 's'} (${r.added ?? 0} new, ${r.updated ?? 0} updated, ${r.unchanged ?? 0} already there)`];
    if (r.errors?.length) parts.push(`${r.invalid ?? r.errors.length} invalid: ${r.errors.slice(0, 5).join('; ')}`);
    this.toolStatus.textContent = parts.join('; ') + '.';
    this.refresh(this.tabId);
  }
}

/** @param {ListedFlag} f */
function when(f) {
  const d = new Date(f.modified !== f.created ? f.modified : f.created);
  if (Number.isNaN(d.getTime())) return '';
  const s = d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return f.modified !== f.created ? `edited ${s}` : s;
}

/** @param {ListedFlag} f */
function statusText(f) {
  const s = f.status;
  if (s.state === 'anchored') {
    if (s.method === 'position') return 'on the page';
    if (s.method === 'quote') return 'on the page (moved)';
    return `on the page (text changed: ${s.distance} edit${s.distance === 1 ? '' : 's'}, match ${Math.round(s.score * 100)}%)`;
  }
  if (s.state === 'orphan') return 'not found on the page';
  if (s.state === 'unsaved') return 'not saved';
  return 'not checked yet';
}
