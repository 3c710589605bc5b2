// Helpers the options page's parts share: the Wasm engine (loaded here, in the
// extension page, whose CSP allows 'wasm-unsafe-eval'), element lookup,
// status lines and located error lists.

import init from '../pkg/flaglight.js';
import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { formatDate, plural, t } from '../common/i18n.js';

/** @type {Promise<unknown>|null} */
let wasm = null;

/** Loads the engine once; checking a pack needs it. */
export function wasmReady() {
  wasm ??= init({ module_or_path: api.runtime.getURL('pkg/flaglight_bg.wasm') });
  return wasm;
}

/** @param {string} id @returns {any} */
export const $ = (id) => /** @type {any} */ (document.getElementById(id));

/**
 * Sets a status line; `kind` colours it (and an error is announced).
 * @param {string} id
 * @param {string} text
 * @param {'ok'|'error'|''} [kind]
 */
export function status(id, text, kind = '') {
  const e = $(id);
  e.textContent = text;
  e.classList.toggle('ok', kind === 'ok');
  e.classList.toggle('error', kind === 'error');
}

/** @param {number} ms */
export function when(ms) {
  return formatDate(ms);
}

/**
 * A <time> element for a moment.
 * @param {number} ms
 */
export function timeEl(ms) {
  const t = el('time', '', when(ms));
  t.setAttribute('datetime', new Date(ms).toISOString());
  return t;
}

/**
 * Fills a list with located errors (engine errors: line, column, path, reason).
 * @param {string} id
 * @param {{line: number, column: number, path: string, reason: string, message?: string}[]} errors
 * @param {{lineOf?: (e: any) => number, onPick?: (line: number) => void, max?: number}} [opts]
 */
export function showErrors(id, errors, opts = {}) {
  const ul = $(id);
  ul.replaceChildren();
  ul.hidden = errors.length === 0;
  const max = opts.max ?? 200;
  for (const e of errors.slice(0, max)) {
    const line = opts.lineOf ? opts.lineOf(e) : e.line;
    const li = el('li');
    const where = line > 0 ? (opts.lineOf ? t('errors_line', line) : t('errors_line_column', line, e.column)) : t('errors_pack');
    if (line > 0 && opts.onPick) {
      const b = el('button', 'link', where);
      b.type = 'button';
      b.addEventListener('click', () => opts.onPick?.(line));
      li.append(b);
    } else li.append(el('span', 'where', where));
    if (e.path) {
      const path = el('code', '', e.path);
      path.translate = false;
      path.dir = 'ltr';
      li.append(' ', path);
    }
    li.append(': ', el('span', 'reason', e.reason ?? e.message ?? ''));
    ul.append(li);
  }
  if (errors.length > max) ul.append(el('li', '', plural('errors_more', errors.length - max)));
}

/**
 * Sends a request to the background. Unlike common/ui.js's `request`, a lost
 * answer is an error the page shows, not a null.
 * @param {object} msg
 * @returns {Promise<any>}
 */
export async function ask(msg) {
  const res = await api.runtime.sendMessage(msg);
  if (res === undefined || res === null) throw new Error(t('common_no_answer'));
  if (res.error) throw new Error(res.error);
  return res;
}
