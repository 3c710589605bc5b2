// What a reviewer flag may contain: checked wherever one arrives (a content
// script's draft, the panel's edit, an imported file, storage), so a flag
// that passes here exports and imports cleanly (evidence.js reads back the
// same constraints).

import { MAX_QUOTE } from './anchoring.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
/** Category names: the engine's own rule (pack categories), so both kinds sort and filter alike. */
export const CATEGORY = /^[a-z0-9._-]{1,64}$/;
export const MAX_NOTE = 10_000;
export const MAX_CONTEXT = 256;
export const MAX_TITLE = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A category as the reviewer typed it, made a valid name: lower case, runs
 * of spaces and other characters to "-". Empty when nothing usable is left.
 * @param {string} s
 */
export function normalizeCategory(s) {
  return String(s ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** @param {unknown} v */
function isStr(v, max) {
  return typeof v === 'string' && v.length <= max;
}

/** @param {unknown} v */
function isUrl(v) {
  if (!isStr(v, 8192)) return false;
  try {
    new URL(/** @type {string} */ (v));
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a flag (or, with `draft`, a flag not saved yet: no times, maybe no id)
 * is not acceptable; null when it is.
 * @param {unknown} v
 * @param {{draft?: boolean}} [opts]
 * @returns {string|null}
 */
export function flagProblem(v, opts = {}) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const f = /** @type {any} */ (v);
  const allowed = ['id', 'url', 'title', 'created', 'modified', 'category', 'severity', 'note', 'quote', 'position'];
  for (const k of Object.keys(f)) if (!allowed.includes(k)) return `unexpected field ${k.slice(0, 40)}`;
  if (opts.draft ? !(f.id === '' || UUID.test(f.id)) : !UUID.test(f.id)) return 'invalid id';
  if (!isUrl(f.url)) return 'invalid url';
  if (!isStr(f.title, MAX_TITLE)) return 'invalid title';
  if (!opts.draft && (!ISO.test(f.created) || !ISO.test(f.modified))) return 'invalid times';
  if (opts.draft && (f.created !== undefined || f.modified !== undefined)) return 'a draft has no times';
  if (typeof f.category !== 'string' || !CATEGORY.test(f.category)) return 'invalid category';
  if (!SEVERITIES.includes(f.severity)) return 'invalid severity';
  if (!isStr(f.note, MAX_NOTE)) return 'note too long';
  const q = f.quote;
  if (!q || typeof q !== 'object' || Object.keys(q).some((k) => !['exact', 'prefix', 'suffix'].includes(k))) return 'invalid quote';
  if (typeof q.exact !== 'string' || !q.exact || q.exact.length > MAX_QUOTE) return 'invalid quote';
  if (!isStr(q.prefix, MAX_CONTEXT) || !isStr(q.suffix, MAX_CONTEXT)) return 'invalid quote context';
  const p = f.position;
  if (!p || typeof p !== 'object' || Object.keys(p).some((k) => k !== 'start' && k !== 'end' && k !== 'codePoints')) return 'invalid position';
  if (!isSpan(p)) return 'invalid position';
  // The passage in code points (anchoring.js): optional, flags made before it was recorded have none.
  const cp = p.codePoints;
  if (cp !== undefined && (!cp || typeof cp !== 'object' || Object.keys(cp).some((k) => k !== 'start' && k !== 'end') || !isSpan(cp))) {
    return 'invalid position in code points';
  }
  return null;
}

/** @param {any} p */
function isSpan(p) {
  return Number.isInteger(p.start) && Number.isInteger(p.end) && p.start >= 0 && p.end >= p.start && p.end <= 0xffffffff;
}

/**
 * A new flag id (a random UUID). The content script makes one on pages
 * served over plain http too, where `crypto.randomUUID` does not exist (it
 * needs a secure context) but `getRandomValues` does.
 */
export function newFlagId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
