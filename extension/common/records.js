// The kinds of stored records the extension keeps today (see stored.js):
// reviewer flags (one key per page), the reviewer's categories and form
// defaults, the site lists, the pack list and the pack texts. Each check
// keeps the good parts of a bad value: one damaged flag leaves the page's
// other flags, one damaged site entry the other sites, one damaged pack entry
// the other packs. Pack texts are checked by the pack store when it loads
// (background/packs.js, through the engine's validator), not here.
// The model settings are normalised field by field: the engine host reads
// them with the same `checkModelSettings` the start-up check uses.

import { CATEGORY, SEVERITIES, flagProblem } from './flag-record.js';
import { isRecord, msg, normalisedKind, wrongType } from './stored.js';

/** @typedef {import('./stored.js').Kind} Kind @typedef {import('./stored.js').Verdict} Verdict */

export const FLAG_PREFIX = 'flags:';
export const CATEGORIES_KEY = 'flagCategories';
export const DEFAULTS_KEY = 'flagDefaults';
export const MAX_CATEGORIES = 200;
/** Most flags one page may hold (the protocol's limit for a page's flag list). */
export const MAX_PAGE_FLAGS = 100_000;
export const SITES_KEY = 'sites';
export const AUTO_SITES_KEY = 'autoSites';
/** Most sites in a list: far beyond use, short of a value that would fill the storage. */
export const MAX_SITES = 10_000;
export const PACK_INDEX_KEY = 'packIndex';
export const PACK_TEXT_PREFIX = 'pack:';
export const PACK_ID = /^[a-z0-9._-]{1,100}$/;

/** How many entries a bad list had, kept, and the first problem. */
class Tally {
  constructor() {
    this.all = 0;
    this.bad = 0;
    /** @type {string} */
    this.first = '';
  }

  /** @param {string|null} problem @returns {boolean} whether the entry is good */
  add(problem) {
    this.all += 1;
    if (problem === null) return true;
    this.bad += 1;
    if (!this.first) this.first = problem;
    return false;
  }
}

/**
 * The verdict for a list or map with some bad entries.
 * @param {Tally} t
 * @param {unknown} keep
 * @param {string} kept  message key, with (good, all) substitutions
 * @returns {Verdict}
 */
function partly(t, keep, kept) {
  if (!t.bad) return { ok: true };
  return { ok: false, why: msg('storage_why_entries', t.bad, t.all, t.first), kept: msg(kept, t.all - t.bad, t.all), keep };
}

/** A list that is too long keeps its first `max` entries. @param {unknown[]} list @param {number} max */
function tooMany(list, max, kept) {
  return { ok: false, why: msg('storage_why_too_many', list.length, max), kept: msg(kept, max, list.length), keep: list.slice(0, max) };
}

/** A hostname as URL.hostname gives it. @param {unknown} v */
export function isHost(v) {
  return typeof v === 'string' && /^[a-z0-9.-]{1,253}$/.test(v) && !v.startsWith('.') && !v.endsWith('.');
}

// ---- reviewer flags --------------------------------------------------------------

/**
 * A page's flags: a list of flags, each as flag-record.js describes it, ids unique.
 * @param {unknown} v
 * @returns {Verdict}
 */
export function checkFlagPage(v) {
  if (!Array.isArray(v)) return { ...wrongType(v, msg('storage_type_list'), msg('storage_default_no_flags')), kept: msg('storage_kept_flags_none') };
  const t = new Tally();
  const ids = new Set();
  const keep = v.filter((f) => {
    let p = flagProblem(f);
    if (p === null && ids.has(f.id)) p = `a second flag with the id ${f.id}`;
    if (p === null) ids.add(f.id);
    return t.add(p === null ? null : `${p}${isRecord(f) && typeof f.id === 'string' ? ` (flag ${f.id.slice(0, 40)})` : ''}`);
  });
  if (!t.bad && keep.length > MAX_PAGE_FLAGS) return tooMany(keep, MAX_PAGE_FLAGS, 'storage_kept_flags');
  if (t.bad && !keep.length) return { ...partly(t, undefined, 'storage_kept_flags'), kept: msg('storage_kept_flags_none') };
  return partly(t, keep, 'storage_kept_flags');
}

/** @param {unknown} v @returns {Verdict} */
function checkCategories(v) {
  if (!Array.isArray(v)) return wrongType(v, msg('storage_type_list'), msg('storage_default_categories'));
  const t = new Tally();
  const keep = v.filter((c) => t.add(typeof c === 'string' && CATEGORY.test(c) ? null : `not a category name: ${String(JSON.stringify(c)).slice(0, 60)}`));
  // The form remembers the latest ones: a list too long keeps its end.
  if (!t.bad && keep.length > MAX_CATEGORIES) return { ...tooMany(keep, MAX_CATEGORIES, 'storage_kept_entries'), keep: keep.slice(-MAX_CATEGORIES) };
  return partly(t, keep.slice(-MAX_CATEGORIES), 'storage_kept_entries');
}

/** @param {unknown} v @returns {Verdict} */
function checkDefaults(v) {
  if (!isRecord(v)) return wrongType(v, msg('storage_type_record'), msg('storage_default_form'));
  const good = Object.keys(v).length === 2 && typeof v.category === 'string' && CATEGORY.test(v.category) && SEVERITIES.includes(v.severity);
  return good ? { ok: true } : { ok: false, why: msg('storage_why_fields', 'category, severity'), kept: msg('storage_kept_default', msg('storage_default_form')), keep: undefined };
}

// ---- sites -------------------------------------------------------------------------

/** Sites switched off: {host: {enabled: false}}. @param {unknown} v @returns {Verdict} */
function checkSites(v) {
  if (!isRecord(v)) return wrongType(v, msg('storage_type_record'), msg('storage_default_sites_on'));
  const t = new Tally();
  /** @type {Record<string, {enabled: false}>} */
  const keep = {};
  for (const [host, s] of Object.entries(v)) {
    const good = isHost(host) && isRecord(s) && s.enabled === false && Object.keys(s).length === 1;
    if (t.add(good ? null : `${host.slice(0, 60)}: ${isHost(host) ? 'expected {"enabled": false}' : 'not a host name'}`)) keep[host] = { enabled: false };
  }
  if (!t.bad && t.all > MAX_SITES) return { ok: false, why: msg('storage_why_too_many', t.all, MAX_SITES), kept: msg('storage_kept_entries', MAX_SITES, t.all), keep: Object.fromEntries(Object.entries(keep).slice(0, MAX_SITES)) };
  return partly(t, keep, 'storage_kept_entries');
}

/** Sites the moderator added for automatic scanning: host names. @param {unknown} v @returns {Verdict} */
function checkAutoSites(v) {
  if (!Array.isArray(v)) return wrongType(v, msg('storage_type_list'), msg('storage_default_builtin_sites'));
  const t = new Tally();
  const seen = new Set();
  const keep = v.filter((h) => {
    const p = !isHost(h) ? `not a host name: ${String(JSON.stringify(h)).slice(0, 60)}` : seen.has(h) ? `${h} twice` : null;
    if (p === null) seen.add(h);
    return t.add(p);
  });
  if (!t.bad && keep.length > MAX_SITES) return tooMany(keep, MAX_SITES, 'storage_kept_entries');
  return partly(t, keep, 'storage_kept_entries');
}

// ---- packs -------------------------------------------------------------------------

/** @param {unknown} v */
const isStr = (v) => typeof v === 'string';
/** @param {unknown} v */
const isTime = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** https://, or http:// to this machine. @param {unknown} v */
function isSubscriptionUrl(v) {
  if (typeof v !== 'string' || v.length > 2048) return false;
  try {
    const u = new URL(v);
    const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(u.hostname);
    return (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * What is wrong with a subscription record; null when nothing.
 * @param {unknown} s
 * @returns {string|null}
 */
export function subscriptionProblem(s) {
  if (!isRecord(s)) return 'sub: not a record';
  if (!isSubscriptionUrl(s.url)) return 'sub.url: not an https:// URL';
  if (!(s.pin === '' || (isStr(s.pin) && /^[0-9a-f]{64}$/.test(s.pin)))) return 'sub.pin: not a SHA-256';
  for (const f of ['etag', 'lastModified', 'lastStatus']) if (!isStr(s[f])) return `sub.${f}: not text`;
  if (!(typeof s.intervalHours === 'number' && s.intervalHours >= 1 && s.intervalHours <= 168)) return 'sub.intervalHours: not between 1 and 168';
  for (const f of ['lastCheck', 'lastChange', 'nextCheck']) if (!isTime(s[f])) return `sub.${f}: not a time`;
  const e = s.error;
  if (e !== null && !(isRecord(e) && isTime(e.time) && isStr(e.reason) && Array.isArray(e.details) && e.details.every(isStr))) return 'sub.error: not a failure record';
  return null;
}

/**
 * What is wrong with one entry of the pack list; null when nothing.
 * @param {unknown} m
 * @param {string} id  its key in the list
 * @returns {string|null}
 */
export function userPackProblem(m, id) {
  if (!isRecord(m)) return `${id}: not a record`;
  if (!PACK_ID.test(id) || m.id !== id) return `${id}: the id does not match`;
  const where = `${id}:`;
  if (!isStr(m.name) || !isStr(m.version)) return `${where} name or version is not text`;
  if (!(m.names === undefined || m.names === null || isStr(m.names) || isRecord(m.names))) return `${where} names`;
  if (!Array.isArray(m.languages) || !m.languages.every(isStr)) return `${where} languages is not a list of text`;
  if (!Number.isInteger(m.rules) || m.rules < 0) return `${where} rules is not a count`;
  if (!['editor', 'file', 'url'].includes(m.origin)) return `${where} origin`;
  if (!isStr(m.fileName) || !isStr(m.quick)) return `${where} fileName or quick is not text`;
  if (!isTime(m.added) || !isTime(m.updated)) return `${where} added or updated is not a time`;
  // key '': a subscription whose text was damaged, waiting for its download.
  const keyOk = m.key === undefined || (m.key === '' && m.origin === 'url') || (isStr(m.key) && (m.key === PACK_TEXT_PREFIX + id || m.key.startsWith(`${PACK_TEXT_PREFIX}${id}@`)));
  if (!keyOk) return `${where} key`;
  if (m.origin === 'url') {
    const p = subscriptionProblem(m.sub);
    if (p) return `${where} ${p}`;
  } else if (m.sub !== null) return `${where} sub on a pack that is not subscribed`;
  return null;
}

/**
 * The pack list: {v: 1, disabled: [ids], user: {id: entry}}. Bad entries are
 * left out (the pack store rebuilds them from their texts where it can).
 * @param {unknown} v
 * @returns {Verdict}
 */
export function checkPackIndex(v) {
  if (!isRecord(v)) return { ...wrongType(v, msg('storage_type_record'), msg('storage_default_packs')), kept: msg('storage_kept_packs_rebuilt') };
  if (v.v !== 1 || !isRecord(v.user) || !Array.isArray(v.disabled)) return { ok: false, why: msg('storage_why_fields', 'v, disabled, user'), kept: msg('storage_kept_packs_rebuilt'), keep: undefined };
  const t = new Tally();
  const disabled = v.disabled.filter((x) => t.add(isStr(x) && PACK_ID.test(x) ? null : `disabled: not a pack id: ${String(JSON.stringify(x)).slice(0, 60)}`));
  /** @type {Record<string, any>} */
  const user = {};
  for (const [id, m] of Object.entries(v.user)) if (t.add(userPackProblem(m, id))) user[id] = m;
  return partly(t, { ...v, disabled: [...new Set(disabled)], user }, 'storage_kept_packs');
}

/**
 * A pack's text is checked by the pack store when it loads (the engine's
 * validator, and whether its entry in the list names it), which moves a bad
 * one aside with the entry it belonged to: one report per damaged pack.
 * @returns {Verdict}
 */
function checkPackText() {
  return { ok: true };
}

// ---- the post-level model's settings ------------------------------------------------

/** Where the post-level model's settings live (written by the background only). */
export const MODEL_SETTINGS_KEY = 'modelSettings';
/** The scripts the model calibrates separately. */
export const MODEL_SCRIPTS = ['latin', 'cyrillic', 'arabic'];

/**
 * @typedef {{enabled: boolean, thresholds: Record<string, number>}} ModelSettings
 *   thresholds: per script, the moderator's sensitivity (absent: the model file's)
 */

/**
 * The model settings as stored, checked field by field (a hand-edited or
 * corrupted value falls back to the default for that field only).
 * @param {unknown} v
 * @returns {ModelSettings}
 */
export function checkModelSettings(v) {
  const o = v && typeof v === 'object' ? /** @type {Record<string, unknown>} */ (v) : {};
  /** @type {Record<string, number>} */
  const thresholds = {};
  const t = o.thresholds && typeof o.thresholds === 'object' ? /** @type {Record<string, unknown>} */ (o.thresholds) : {};
  for (const s of MODEL_SCRIPTS) {
    const x = t[s];
    if (typeof x === 'number' && x >= 0.01 && x <= 0.99) thresholds[s] = x;
  }
  return { enabled: o.enabled !== false, thresholds };
}

// ---- "Preserve this page" settings (background/captures.js) ------------------

export const CAPTURE_SETTINGS_KEY = 'captureSettings';

/**
 * @typedef {{tsaUrl: string, auto: boolean, mhtml: boolean}} CaptureSettings
 *   tsaUrl: RFC 3161 authority ('' for none); auto: preserve when a flag is
 *   saved; mhtml: also keep Chrome's MHTML copy
 */

/** '' (none), https://, or http:// to this machine (an authority under test); no user name. @param {string} v */
export function isTsaUrl(v) {
  if (v === '') return true;
  if (v.length > 2048) return false;
  try {
    const u = new URL(v);
    const loopback = u.hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(u.hostname);
    return (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The capture settings as stored, field by field (a bad field falls back to its default). @param {unknown} v @returns {CaptureSettings} */
export function checkCaptureSettings(v) {
  const o = v && typeof v === 'object' ? /** @type {Record<string, unknown>} */ (v) : {};
  return {
    tsaUrl: typeof o.tsaUrl === 'string' && isTsaUrl(o.tsaUrl) ? o.tsaUrl : '',
    auto: o.auto === true,
    mhtml: o.mhtml !== false,
  };
}

/** The kinds of every value the extension stores in storage.local. @type {Kind[]} */
export const KINDS = [
  { name: 'flags', label: 'storage_kind_flags', version: 1, match: (k) => k.startsWith(FLAG_PREFIX), check: checkFlagPage },
  { name: 'flagCategories', label: 'storage_kind_flagCategories', version: 1, match: (k) => k === CATEGORIES_KEY, check: checkCategories },
  { name: 'flagDefaults', label: 'storage_kind_flagDefaults', version: 1, match: (k) => k === DEFAULTS_KEY, check: checkDefaults },
  { name: 'sites', label: 'storage_kind_sites', version: 1, match: (k) => k === SITES_KEY, check: checkSites },
  { name: 'autoSites', label: 'storage_kind_autoSites', version: 1, match: (k) => k === AUTO_SITES_KEY, check: checkAutoSites },
  { name: 'packIndex', label: 'storage_kind_packIndex', version: 1, match: (k) => k === PACK_INDEX_KEY, check: checkPackIndex },
  { name: 'packText', label: 'storage_kind_packText', version: 1, match: (k) => k.startsWith(PACK_TEXT_PREFIX), check: checkPackText, versionOf: () => 1 },
  normalisedKind({ name: 'modelSettings', label: 'storage_kind_modelSettings', key: MODEL_SETTINGS_KEY, normalise: checkModelSettings, fallback: msg('storage_default_model') }),
  normalisedKind({ name: 'captureSettings', label: 'storage_kind_captureSettings', key: CAPTURE_SETTINGS_KEY, normalise: checkCaptureSettings, fallback: msg('storage_default_capture') }),
];
