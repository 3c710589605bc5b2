// The panel's "Preserved pages" group: "Preserve this page", the packages of
// this page or of all pages (time, size, what each holds), download, delete
// with Undo, captures under way and interrupted ones, and the storage used.
// The background writes the packages (background/captures.js); a download
// reads the package straight from IndexedDB (common/capture-db.js), checks
// its SHA-256 against the record, and saves it through the browser.

import { readPackage } from '../common/capture-db.js';
import { downloadBlob } from '../common/download.js';
import { hex, sha256 } from '../common/wacz.js';
import { coalesced, el, request } from '../common/ui.js';
import { sizeText } from '../common/size.js';
import { pageMhtml } from '../common/page-mhtml.js';
import { formatDate, formatList, formatNumber, plural, t } from '../common/i18n.js';

const UNDO_MS = 10_000;

/** @typedef {import('../common/capture-db.js').CaptureRecord} CaptureRecord */

/** What a package holds, in words. @param {CaptureRecord} c */
function holdsText(c) {
  const parts = [];
  for (const h of c.holds) {
    if (h === 'findings') parts.push(plural('captures_findings', c.counts.findings));
    else if (h === 'flags') parts.push(plural('captures_flags', c.counts.flags));
    else parts.push(t(`captures_holds_${h.replace('-', '_')}`));
  }
  if (c.timestamp) parts.push(t('captures_holds_timestamp'));
  return formatList(parts);
}

/** @param {string} url */
function fileName(url, created) {
  let host = 'page';
  try {
    host = new URL(url).hostname.replace(/[^a-z0-9.-]/gi, '_');
  } catch {
    // keep "page"
  }
  return `flaglight-${host}-${created.replace(/[:.]/g, '-').slice(0, 19)}.wacz`;
}

export class CapturesView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {number|null} */
    this.tabId = null;
    /** @type {any} */
    this.data = null;
    this.scope = 'page';
    /** Loads and shows the tab's list; calls made meanwhile coalesce into one more. */
    this.load = coalesced(async () => {
      this.data = this.tabId === null ? null : await request({ type: 'captureList', tabId: this.tabId });
      this.render();
    });
    /** @type {{id: string, timer: ReturnType<typeof setTimeout>}|null} */
    this.deleted = null;
    this.build();
  }

  build() {
    const head = el('h2', '', t('captures_heading'));
    this.count = el('span', 'count', t('common_count_paren', 0));
    head.append(this.count);
    const bar = el('div', 'capture-bar');
    this.preserveButton = /** @type {HTMLButtonElement} */ (el('button', 'link primary', t('capture_preserve')));
    this.preserveButton.type = 'button';
    // Usable once the panel knows its tab (render).
    this.preserveButton.disabled = true;
    this.preserveButton.addEventListener('click', () => this.preserve());
    this.scopeSelect = /** @type {HTMLSelectElement} */ (el('select'));
    this.scopeSelect.setAttribute('aria-label', t('captures_scope'));
    for (const [value, text] of [['page', t('captures_this_page')], ['all', t('captures_all_pages')]]) {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', text));
      o.value = value;
      this.scopeSelect.append(o);
    }
    this.scopeSelect.addEventListener('change', () => {
      this.scope = this.scopeSelect.value;
      this.render();
    });
    bar.append(this.preserveButton, this.scopeSelect);
    this.status = el('p', 'capture-status');
    this.status.setAttribute('role', 'status');
    this.undoBar = el('div', 'undo-bar');
    this.undoBar.hidden = true;
    const undo = el('button', 'link', t('common_undo'));
    undo.type = 'button';
    undo.addEventListener('click', () => this.undo());
    this.undoBar.append(el('span', '', t('captures_deleted')), ' ', undo);
    this.notices = el('div', 'capture-notices');
    this.list = el('ul', 'capture-list');
    this.empty = el('p', 'empty', t('captures_empty'));
    this.space = el('p', 'capture-space');
    this.root.append(head, bar, this.status, this.undoBar, this.notices, this.list, this.empty, this.space);
  }

  /** @param {number|null} tabId */
  refresh(tabId) {
    this.tabId = tabId;
    return this.load();
  }

  render() {
    const d = this.data;
    /** @type {CaptureRecord[]} */
    const all = d?.captures ?? [];
    const keys = new Set(d?.pageKeys ?? []);
    const shown = this.scope === 'page' ? all.filter((c) => keys.has(c.page)) : all;
    this.count.textContent = t('common_count_paren', shown.length);
    const mine = (d?.running ?? []).find((/** @type {any} */ r) => r.tabId === this.tabId);
    this.preserveButton.disabled = !!mine || this.tabId === null;
    if (mine) this.status.textContent = t('capture_running', t(`capture_phase_${mine.phase}`));
    const notices = [];
    for (const p of d?.interrupted ?? []) {
      const n = el('p', 'flag-error');
      const url = el('span', '', p.url);
      url.dir = 'ltr';
      url.translate = false;
      n.append(t('captures_interrupted_before'), url, t('captures_interrupted_after', formatDate(p.started)), ' ');
      const dismiss = el('button', 'link', t('captures_dismiss'));
      dismiss.type = 'button';
      dismiss.addEventListener('click', async () => {
        await request({ type: 'captureDismiss', id: p.id });
        this.refresh(this.tabId);
      });
      n.append(dismiss);
      notices.push(n);
    }
    if (d?.damaged) notices.push(el('p', 'flag-error', plural('captures_damaged', d.damaged)));
    this.notices.replaceChildren(...notices);
    this.list.replaceChildren(...shown.map((c) => this.item(c)));
    this.empty.hidden = shown.length > 0;
    this.empty.textContent = this.scope === 'page' ? t('captures_empty') : t('captures_empty_all');
    this.space.textContent = d?.quota ? t('captures_space', sizeText(d.usage), sizeText(d.quota)) : '';
  }

  /** @param {CaptureRecord} c */
  item(c) {
    const li = el('li', 'capture');
    li.dataset.id = c.id;
    const body = el('div', 'capture-body');
    const title = el('div', 'capture-title', c.title || c.url);
    title.dir = 'auto';
    title.translate = false;
    const meta = el('div', 'meta', [formatDate(c.created), sizeText(c.bytes), t('captures_took', formatNumber(c.ms / 1000, { maximumFractionDigits: 1 }))].join(' · '));
    const holds = el('div', 'meta', holdsText(c));
    body.append(title, meta, holds);
    if (this.scope === 'all') {
      const url = el('div', 'meta capture-url', c.url);
      url.dir = 'ltr';
      url.translate = false;
      body.append(url);
    }
    if (c.notes.length) {
      const notes = el('details', 'capture-notes');
      notes.append(el('summary', '', plural('captures_notes', c.notes.length)));
      for (const n of c.notes) {
        const p = el('p', '', n);
        p.dir = 'auto';
        notes.append(p);
      }
      body.append(notes);
    }
    const actions = el('div', 'actions');
    const dl = el('button', 'link', t('captures_download'));
    dl.type = 'button';
    dl.addEventListener('click', () => this.download(c));
    const del = el('button', 'link', t('common_delete'));
    del.type = 'button';
    del.addEventListener('click', () => this.remove(c));
    actions.append(dl, del);
    li.append(body, actions);
    return li;
  }

  async preserve() {
    if (this.tabId === null) return;
    this.preserveButton.disabled = true;
    this.status.textContent = t('capture_running', t('capture_phase_start'));
    const settings = await request({ type: 'captureSettings' });
    const mhtml = await pageMhtml(this.tabId, !!settings?.settings?.mhtml);
    const r = await request({ type: 'capturePreserve', tabId: this.tabId, ...(mhtml ? { mhtml } : {}) });
    if (r?.ok) this.status.textContent = t('capture_done', sizeText(r.record.bytes), formatNumber(r.record.ms / 1000, { maximumFractionDigits: 1 }));
    else this.status.textContent = r?.error ?? t('common_no_answer');
    this.refresh(this.tabId);
  }

  /** @param {CaptureRecord} c */
  async download(c) {
    try {
      const got = await readPackage(c.id);
      if (!got) throw new Error(t('captures_gone'));
      const bytes = new Uint8Array(await got.blob.arrayBuffer());
      // What leaves is what was signed: the stored bytes are checked first.
      if (`sha256:${hex(await sha256(bytes))}` !== got.record.fileHash) throw new Error(t('captures_damaged_package'));
      downloadBlob(fileName(c.url, c.created), got.blob);
      this.status.textContent = t('captures_downloaded', fileName(c.url, c.created));
    } catch (e) {
      this.status.textContent = String(/** @type {any} */ (e)?.message ?? e);
    }
  }

  /** @param {CaptureRecord} c */
  async remove(c) {
    const r = await request({ type: 'captureDelete', id: c.id });
    if (!r?.ok) {
      this.status.textContent = r?.error ?? t('common_no_answer');
      return;
    }
    if (this.deleted) clearTimeout(this.deleted.timer);
    this.deleted = { id: c.id, timer: setTimeout(() => ((this.undoBar.hidden = true), (this.deleted = null)), UNDO_MS) };
    this.undoBar.hidden = false;
    this.refresh(this.tabId);
  }

  async undo() {
    const d = this.deleted;
    if (!d) return;
    clearTimeout(d.timer);
    this.deleted = null;
    this.undoBar.hidden = true;
    const r = await request({ type: 'captureRestore', id: d.id });
    if (!r?.ok) this.status.textContent = r?.error ?? t('common_no_answer');
    this.refresh(this.tabId);
  }
}
