// The flag form: category, severity and note for a selected passage, next to
// it. Like the explanation card it lives in a closed shadow root on a host
// element that is in the page only while shown, carries no attributes and is
// styled from inside (a constructed sheet: page CSP does not apply to it), so
// the page can neither read the form nor tell which tool put it there.
//
// Keyboard: it opens with the category focused and selected (type to replace
// it); Tab moves on; Enter in the category, or Ctrl+Enter anywhere, saves;
// Escape closes. Key events stop at the shadow root so the page's own
// shortcuts do not fire while the reviewer types.

import { SEVERITIES } from '../common/flag-record.js';
import { categoryName, severityName, t, uiDir, uiLanguage } from '../common/i18n.js';

const CSS = `
:host { all: initial !important; position: fixed !important; inset: 0 auto auto 0 !important;
  width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important;
  display: block !important; }
.box { position: fixed; box-sizing: border-box; width: min(340px, calc(100vw - 16px));
  padding: 10px 12px; border-radius: 8px; border: 2px solid #8f4fe0;
  background: #fffffe; color: #1d1d1f; box-shadow: 0 4px 18px rgba(0,0,0,.28);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start;
  white-space: normal; pointer-events: auto; }
@media (prefers-color-scheme: dark) { .box { background: #26272b; color: #f1f1f3; } }
.title { font-weight: 700; margin: 0 0 6px; }
.quote { margin: 0 0 8px; padding: 4px 6px; border-inline-start: 3px solid #8f4fe0; max-height: 4.2em; overflow: hidden;
  font-style: italic; overflow-wrap: anywhere; opacity: .85; }
label { display: block; margin: 0 0 6px; }
label > span { display: block; font-size: 12px; opacity: .75; margin-bottom: 2px; }
input, select, textarea { box-sizing: border-box; width: 100%; font: inherit; color: inherit; background: transparent;
  border: 1px solid #8a8f98; border-radius: 5px; padding: 4px 6px; }
textarea { resize: vertical; min-height: 3.2em; }
input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
select option { color: #1d1d1f; background: #fff; }
.row { display: flex; gap: 8px; }
.row > label { flex: 1; }
.buttons { display: flex; gap: 6px; justify-content: flex-end; margin-top: 4px; }
button { font: inherit; padding: 4px 12px; border-radius: 5px; border: 1px solid #8a8f98; background: transparent; color: inherit; cursor: pointer; }
button.primary { background: #7a3fd0; border-color: #7a3fd0; color: #fff; font-weight: 600; }
button.danger { margin-inline-end: auto; color: #c40000; border-color: currentColor; }
@media (prefers-color-scheme: dark) { button.danger { color: #ff7b7b; } }
button:disabled { opacity: .5; cursor: default; }
.msg { margin: 6px 0 0; font-size: 12.5px; }
.msg.error { color: #b00000; font-weight: 600; }
.msg.error::before { content: "⚠ "; }
@media (prefers-color-scheme: dark) { .msg.error { color: #ff8a8a; } }
[hidden] { display: none !important; }
`;

/** How long "Flag deleted. Undo" stays. */
export const UNDO_MS = 8000;
/** How long a hint ("select some text first") stays. */
const HINT_MS = 3500;

/**
 * @typedef {{category: string, severity: string, note: string}} FormValues
 * @typedef {object} FormHandlers
 * @property {(v: FormValues) => void} save
 * @property {() => void} close    the form closed without saving (Escape, Cancel)
 * @property {() => void} remove   Delete (edit mode)
 * @property {() => void} undo     Undo after a delete
 */

export class FlagForm {
  /** @param {FormHandlers} on */
  constructor(on) {
    this.on = on;
    /** @type {HTMLElement|null} */
    this.host = null;
    /** @type {'none'|'new'|'edit'|'deleted'|'hint'} */
    this.mode = 'none';
    this.message = '';
    this.timer = 0;
    /** @type {Record<string, any>} */
    this.el = {};
  }

  get shown() {
    return !!this.host?.isConnected;
  }

  /** Whether a node is the form's host. @param {Node} n */
  owns(n) {
    return n === this.host;
  }

  /** @param {Node} n */
  contains(n) {
    return !!this.host && (n === this.host || this.host.contains(n));
  }

  /**
   * Opens the form.
   * @param {object} o
   * @param {'new'|'edit'} o.mode
   * @param {string} o.quote
   * @param {FormValues} o.values
   * @param {string[]} o.categories   suggestions
   * @param {DOMRect|null} o.rect      the passage, viewport coordinates
   */
  open(o) {
    clearTimeout(this.timer);
    const e = this.ensure();
    this.mode = o.mode;
    e.title.textContent = o.mode === 'new' ? t('form_title_new') : t('form_title_edit');
    e.quote.textContent = o.quote.length > 300 ? `${o.quote.slice(0, 300)}…` : o.quote;
    e.quote.hidden = false;
    e.fields.hidden = false;
    e.undo.hidden = true;
    e.remove.hidden = o.mode !== 'edit';
    e.save.hidden = false;
    e.cancel.textContent = t('common_cancel');
    // Built-in categories by their name in the UI language (flags.js maps the name back).
    e.category.value = categoryName(o.values.category);
    e.severity.value = SEVERITIES.includes(o.values.severity) ? o.values.severity : 'medium';
    e.note.value = o.values.note;
    e.list.replaceChildren(
      ...o.categories.map((c) => {
        const opt = document.createElement('option');
        opt.value = categoryName(c);
        return opt;
      }),
    );
    this.setMessage('', 'info');
    this.busy(false);
    this.show(o.rect);
    e.category.focus({ preventScroll: true });
    e.category.select();
  }

  /**
   * A short notice in place of the form (nothing to flag here).
   * @param {string} text
   */
  hint(text) {
    clearTimeout(this.timer);
    const e = this.ensure();
    this.mode = 'hint';
    e.title.textContent = 'flaglight';
    e.quote.hidden = true;
    e.fields.hidden = true;
    e.remove.hidden = true;
    e.save.hidden = true;
    e.undo.hidden = true;
    e.cancel.textContent = t('common_close');
    this.setMessage(text, 'info');
    this.show(null);
    this.timer = setTimeout(() => this.close(), HINT_MS);
  }

  /** After a delete: "Flag deleted" with Undo, for a few seconds. */
  deleted() {
    clearTimeout(this.timer);
    const e = this.ensure();
    this.mode = 'deleted';
    e.title.textContent = t('form_deleted');
    e.fields.hidden = true;
    e.remove.hidden = true;
    e.save.hidden = true;
    e.undo.hidden = false;
    e.cancel.textContent = t('common_close');
    this.setMessage('', 'info');
    this.busy(false);
    e.undo.focus({ preventScroll: true });
    this.timer = setTimeout(() => this.close(), UNDO_MS);
  }

  /** @param {string} text @param {'info'|'error'} kind */
  setMessage(text, kind) {
    const m = this.ensure().msg;
    m.textContent = text;
    m.className = `msg ${kind}`;
    m.hidden = !text;
    this.message = text;
  }

  /** While a save is on its way. @param {boolean} on */
  busy(on) {
    const e = this.ensure();
    for (const b of [e.save, e.remove, e.undo]) b.disabled = on;
  }

  /** The form's own words as shown (title, labels, buttons, message), for the diagnostics report. */
  shownText() {
    const e = this.ensure();
    const parts = [e.title.textContent];
    if (!e.fields.hidden) for (const s of e.box.querySelectorAll('label > span')) parts.push(s.textContent);
    if (!e.fields.hidden) for (const o of e.severity.options) parts.push(o.textContent);
    for (const b of [e.remove, e.undo, e.cancel, e.save]) if (!b.hidden) parts.push(b.textContent);
    if (this.message) parts.push(this.message);
    return parts.join('\n').slice(0, 4096);
  }

  /** @returns {FormValues} */
  values() {
    const e = this.ensure();
    return { category: e.category.value, severity: e.severity.value, note: e.note.value };
  }

  close() {
    clearTimeout(this.timer);
    this.mode = 'none';
    this.message = '';
    if (this.host?.isConnected) this.host.remove();
  }

  /** @param {DOMRect|null} rect */
  show(rect) {
    // At the end of <html>: after the page's own content, outside <body>.
    if (!this.host?.isConnected) document.documentElement.append(/** @type {HTMLElement} */ (this.host));
    const box = this.el.box;
    const vw = document.documentElement.clientWidth || innerWidth;
    const vh = document.documentElement.clientHeight || innerHeight;
    const w = box.offsetWidth || 340;
    const h = box.offsetHeight || 240;
    let top = 12;
    let left = vw - w - 12;
    if (rect) {
      top = rect.bottom + 8;
      if (top + h > vh - 4 && rect.top - h - 8 > 4) top = rect.top - h - 8;
      left = rect.left;
    }
    // CSSOM writes are allowed under any page CSP; this box is in the closed root.
    box.style.top = `${Math.round(Math.max(4, Math.min(top, vh - h - 4)))}px`;
    box.style.left = `${Math.round(Math.max(4, Math.min(left, vw - w - 8)))}px`;
  }

  ensure() {
    if (this.host) return this.el;
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];

    const box = el('div', 'box');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', t('form_aria'));
    // The UI's language and direction; the quote and the note keep their own (dir=auto).
    box.lang = uiLanguage();
    box.dir = uiDir();
    const title = el('p', 'title');
    const quote = el('blockquote', 'quote');
    quote.dir = 'auto';
    const fields = el('div');
    const category = /** @type {HTMLInputElement} */ (el('input'));
    category.setAttribute('list', 'categories');
    category.autocomplete = 'off';
    category.spellcheck = false;
    const list = el('datalist');
    list.id = 'categories';
    const severity = /** @type {HTMLSelectElement} */ (el('select'));
    for (const s of SEVERITIES) {
      const opt = /** @type {HTMLOptionElement} */ (el('option', '', severityName(s)));
      opt.value = s;
      severity.append(opt);
    }
    const note = /** @type {HTMLTextAreaElement} */ (el('textarea'));
    note.rows = 3;
    note.dir = 'auto';
    const row = el('div', 'row');
    category.dir = 'auto';
    row.append(labelled(t('form_category'), category), labelled(t('form_severity'), severity));
    fields.append(row, list, labelled(t('form_note'), note));
    const msg = el('p', 'msg');
    msg.setAttribute('role', 'status');
    msg.setAttribute('aria-live', 'polite');
    msg.hidden = true;
    const remove = button(t('common_delete'), 'danger');
    const undo = button(t('common_undo'), 'primary');
    const cancel = button(t('common_cancel'), '');
    const save = button(t('common_save'), 'primary');
    const buttons = el('div', 'buttons');
    buttons.append(remove, undo, cancel, save);
    box.append(title, quote, fields, msg, buttons);
    root.append(box);

    save.addEventListener('click', () => this.submit());
    cancel.addEventListener('click', () => this.cancel());
    remove.addEventListener('click', () => this.on.remove());
    undo.addEventListener('click', () => this.on.undo());
    // Keys stay inside: the page's shortcuts must not fire while typing.
    for (const type of ['keydown', 'keyup', 'keypress']) {
      root.addEventListener(type, (ev) => {
        ev.stopPropagation();
        if (type === 'keydown') this.key(/** @type {KeyboardEvent} */ (ev));
      });
    }
    this.host = host;
    this.el = { box, title, quote, fields, category, list, severity, note, msg, remove, undo, cancel, save };
    return this.el;
  }

  /** @param {KeyboardEvent} ev */
  key(ev) {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      this.cancel();
    } else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey || ev.composedPath()[0] === this.el.category)) {
      ev.preventDefault();
      if (this.mode === 'new' || this.mode === 'edit') this.submit();
    }
  }

  submit() {
    if ((this.mode !== 'new' && this.mode !== 'edit') || this.el.save.disabled) return;
    this.on.save(this.values());
  }

  cancel() {
    const was = this.mode;
    this.close();
    if (was === 'new' || was === 'edit') this.on.close();
  }
}

/**
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {string} text @param {string} cls */
function button(text, cls) {
  const b = /** @type {HTMLButtonElement} */ (el('button', cls, text));
  b.type = 'button';
  return b;
}

/** @param {string} text @param {HTMLElement} control */
function labelled(text, control) {
  const l = el('label');
  l.append(el('span', '', text), control);
  return l;
}
