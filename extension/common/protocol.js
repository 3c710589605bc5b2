// The one message protocol between the extension's parts.
//
// Every message is a plain object with a `type`. Receivers validate each
// message with `validate(direction, msg)` before acting on it: content scripts
// run next to hostile pages, and a forged or malformed message must be refused
// whole, never half-handled. A message with a field the shape does not list is
// refused too, so a shape is the complete description of what a handler reads.

import { MAX_QUOTE } from './anchoring.js';
import { CATEGORY, MAX_CONTEXT, MAX_NOTE, SEVERITIES, flagProblem } from './flag-record.js';
import { SIGHTING_SHAPES } from './sighting-shapes.js';

/** Port name content scripts use to reach the background engine host. */
export const PORT_CONTENT = 'content';
/** Port name the extension's own pages (panel) use for live updates. */
export const PORT_UI = 'ui';

/** Largest text one scan message may carry, in UTF-16 code units. */
export const MAX_SCAN_CHARS = 32 * 1024 * 1024;
/** Most block starts one scan message may carry. */
export const MAX_BLOCKS = 2_000_000;
/** Most numbers in a span list (chunk, start, end triples) or a findings array. */
const MAX_NUMBERS = 4_000_000;

/** Keyboard commands (manifest `commands`), also callable from the popup and tests. */
export const COMMANDS = ['next-finding', 'previous-finding', 'toggle-highlights', 'flag-selection'];

/**
 * Message shapes, by direction. Each entry maps a field name to a checker.
 * @type {Record<string, Record<string, Record<string, (v: unknown) => boolean>>>}
 */
const SHAPES = {
  // content script -> background
  fromContent: {
    // `resume` lists the chunks the content script still shows when it
    // reconnects after the service worker was stopped.
    hello: { url: isUrl, title: isShortString, top: isBool, resume: isUintArray },
    // `drop`: spans of earlier chunks this scan replaces, committed together
    // with this chunk's findings so counts never dip while a feed re-renders.
    scan: { chunk: isUint, text: isScanText, blocks: isBlocks, drop: isSpans },
    drop: { spans: isSpans },
    styles: { names: isStyleNames },
    // chunk, count pairs: how many findings of each chunk are highlighted now
    highlighted: { counts: isPairs },
    navigated: { url: isUrl, title: isShortString },
    focused: { chunk: isUint, n: isUint, text: isShortString },
    stepEnd: { dir: isDir },
    card: { fields: isCardFields },
    fold: { id: isUint, text: isShortString },
    probed: { id: isUint, report: isReport },
  },
  // extension pages (popup, panel) -> background
  fromUi: {
    summary: { tabId: isUint },
    findings: { tabId: isUint },
    reveal: { tabId: isUint, frameId: isUint, chunk: isUint, n: isUint },
    site: { tabId: isUint },
    setSite: { host: isHost, enabled: isBool },
    rescan: { tabId: isUint },
    scanPage: { tabId: isUint },
    enableAuto: { tabId: isUint, host: isHost },
    command: { tabId: isUint, name: isCommand },
    watch: { tabId: isUint },
  },
  // background -> extension pages (over the ui port)
  toUi: {
    changed: { tabId: isUint },
  },
  // background -> content script
  toContent: {
    config: { enabled: isBool, highlights: isBool },
    rules: { rules: isRules, kinds: isKinds, fields: isUint, generation: isUint },
    findings: { chunk: isUint, data: isUintArray, generation: isUint },
    rescan: {},
    // from 'cursor': the finding after (before) the frame's cursor; 'edge': the
    // frame's first (last) finding, when stepping in from another frame.
    step: { dir: isDir, from: (v) => v === 'cursor' || v === 'edge' },
    reveal: { chunk: isUint, n: isUint },
    folded: { id: isUint, folded: isShortString },
    probe: { id: isUint, reset: isBool, detail: isBool },
    styleFallback: {},
    // sent with tabs.sendMessage when the service worker restarted and needs
    // a port to a content script that has not reconnected yet
    reconnect: {},
  },
};

function isBool(v) {
  return typeof v === 'boolean';
}
function isUint(v) {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
function isShortString(v) {
  return typeof v === 'string' && v.length <= 4096;
}
function isDir(v) {
  return v === 1 || v === -1;
}
function isCommand(v) {
  return typeof v === 'string' && COMMANDS.includes(v);
}
function isHost(v) {
  // A hostname as URL.hostname gives it (IDNs arrive punycoded).
  return typeof v === 'string' && /^[a-z0-9.-]{1,253}$/.test(v) && !v.startsWith('.') && !v.endsWith('.');
}
function isUrl(v) {
  if (typeof v !== 'string' || v.length > 8192) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}
function isScanText(v) {
  return typeof v === 'string' && v.length <= MAX_SCAN_CHARS;
}
function isUintArray(v) {
  if (!Array.isArray(v) || v.length > MAX_NUMBERS) return false;
  for (const x of v) if (!isUint(x)) return false;
  return true;
}
function isSpans(v) {
  return isUintArray(v) && /** @type {number[]} */ (v).length % 3 === 0;
}
function isPairs(v) {
  return isUintArray(v) && /** @type {number[]} */ (v).length % 2 === 0;
}
function isBlocks(v) {
  if (!Array.isArray(v) || v.length > MAX_BLOCKS) return false;
  let prev = -1;
  for (const x of v) {
    if (!isUint(x) || x < prev) return false;
    prev = x;
  }
  return true;
}
function isPlainObject(v) {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
/**
 * Highlight keys ("category:severity", "category:severity:model" for the
 * post-level model's words, "flash", or "flag" for reviewer flags) to random
 * highlight names.
 */
function isStyleNames(v) {
  if (!isPlainObject(v)) return false;
  const entries = Object.entries(v);
  if (entries.length > 128) return false;
  return entries.every(
    ([k, n]) => (k === 'flash' || k === 'flag' || /^[a-z0-9_-]{1,64}:[a-z]{1,10}(:model)?$/.test(k)) && typeof n === 'string' && /^[a-z][a-z0-9]{5,31}$/.test(n),
  );
}
// `shown`: the card's text as the moderator reads it (in the UI language); `dir`: its direction;
// `model`: the post-level model's line for the post ("model 0.87 — words that weighed most: ...");
// `also`: the post's other signals, one per line; `seen`: the pages its sightings line links to;
// `because`: the cue that made a donation request (or that a negative context outweighed);
// `against`: the context that made it not one.
const CARD_FIELDS = ['category', 'severity', 'rule', 'pack', 'description', 'text', 'folded', 'kind', 'checksum', 'shown', 'dir', 'model', 'also', 'seen', 'because', 'against'];
function isCardFields(v) {
  if (!isPlainObject(v)) return false;
  for (const [k, x] of Object.entries(v)) if (!CARD_FIELDS.includes(k) || !isShortString(x)) return false;
  return true;
}
/** A diagnostics report: flat object of numbers, booleans, short strings and string lists. */
function isReport(v) {
  if (!isPlainObject(v) || Object.keys(v).length > 64) return false;
  for (const x of Object.values(v)) {
    if (typeof x === 'number' || typeof x === 'boolean' || isShortString(x)) continue;
    if (Array.isArray(x) && x.length <= 100_000 && x.every(isShortString)) continue;
    return false;
  }
  return true;
}
function isRules(v) {
  return Array.isArray(v) && v.length <= 1_000_000 && v.every(isPlainObject);
}
function isKinds(v) {
  return Array.isArray(v) && v.length <= 1024 && v.every((k) => typeof k === 'string');
}

// ---- rule packs and sites: the options page (issue 7) --------------------------
// Requests from the options page to the background, answered by
// background/options-api.js. Kept in one block so that other changes to the
// protocol merge cleanly.

/** Largest pack text a request may carry (the engine's own limit, src/limits.rs MAX_PACK_BYTES). */
export const MAX_PACK_CHARS = 16 * 1024 * 1024;

function isPackId(v) {
  return typeof v === 'string' && /^[a-z0-9._-]{1,100}$/.test(v);
}
function isPackText(v) {
  return typeof v === 'string' && v.length <= MAX_PACK_CHARS;
}
/** https://, or http:// to this machine (a pack author testing a pack). */
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
/** A SHA-256 as lower-case hex, or '' for none. */
function isPin(v) {
  return v === '' || (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
}

Object.assign(SHAPES.fromUi, {
  packs: {},
  packSource: { id: isPackId },
  packSetEnabled: { id: isPackId, enabled: isBool },
  // `replaces`: the id of the user pack this one replaces ('' for a new one);
  // `quick`: the options page's quick list the pack was written as ('' for JSON).
  packSave: { json: isPackText, replaces: (v) => v === '' || isPackId(v), origin: (v) => v === 'editor' || v === 'file', fileName: isShortString, quick: isPackText },
  packRemove: { id: isPackId },
  packExport: { id: isPackId },
  packSubscribe: { url: isSubscriptionUrl, pin: isPin },
  packUpdate: { id: isPackId },
  sites: {},
  siteAdd: { host: isHost },
  siteRemove: { host: isHost },
  // the post-level model (background/model.js): its state, and new settings
  modelState: {},
  modelSet: { enabled: isBool, thresholds: isModelThresholds },
});

// ---- preserved pages (issue 15) ----------------------------------------------------
// Answered by background/captures.js; the panel and popup preserve and list,
// the options page reads and sets the settings. `captures` tells panels the
// list changed.

function isCaptureId(v) {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v);
}
/** '' (no authority), https://, or http:// to this machine. */
function isTsaSetting(v) {
  if (v === '') return true;
  if (typeof v !== 'string' || v.length > 2048) return false;
  try {
    const u = new URL(v);
    const loopback = u.hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(u.hostname);
    return (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Chrome's MHTML of the tab, base64 (common/page-mhtml.js): absent, or at most 32 MiB of bytes. */
function isMhtmlField(v) {
  return v === undefined || (typeof v === 'string' && v.length <= Math.ceil((32 * 1024 * 1024) / 3) * 4 && v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v));
}

Object.assign(SHAPES.fromUi, {
  capturePreserve: { tabId: isUint, mhtml: isMhtmlField },
  captureList: { tabId: isUint },
  captureDelete: { id: isCaptureId },
  captureRestore: { id: isCaptureId },
  captureDismiss: { id: isCaptureId },
  captureSettings: {},
  captureSettingsSet: { tsaUrl: isTsaSetting, auto: isBool, mhtml: isBool },
});
Object.assign(SHAPES.toUi, { captures: {} });

// ---- stored records: the options page's Storage section (issue 10) -------------
// Answered by background/storage.js. `id` names a problem: a quarantine key
// ("corrupt:" + the key + ":" + the time) or "held:" + a key left in place.

function isProblemId(v) {
  return typeof v === 'string' && v.length <= 8192 && (v.startsWith('corrupt:') || v.startsWith('held:'));
}

Object.assign(SHAPES.fromUi, {
  storageProblems: {},
  storageExport: { id: isProblemId },
  storageDiscard: { id: isProblemId },
});

/** Scripts the model calibrates separately (common/records.js MODEL_SCRIPTS). */
const MODEL_SCRIPTS = ['latin', 'cyrillic', 'arabic'];

/** Per script, a threshold in the engine's range (0.01-0.99); a script left out keeps the model file's. */
function isModelThresholds(v) {
  if (!isPlainObject(v)) return false;
  return Object.entries(v).every(([k, x]) => MODEL_SCRIPTS.includes(k) && typeof x === 'number' && Number.isFinite(x) && x >= 0.01 && x <= 0.99);
}

/**
 * Checks a received message against the protocol.
 * @param {'fromContent'|'fromUi'|'toUi'|'toContent'} direction
 * @param {unknown} msg
 * @returns {string|null} null when valid, else why it was refused
 */
export function validate(direction, msg) {
  if (!isPlainObject(msg)) return 'not an object';
  const type = /** @type {any} */ (msg).type;
  const shapes = SHAPES[direction];
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return `unknown message type ${String(type).slice(0, 40)}`;
  const shape = shapes[type];
  for (const key of Object.keys(/** @type {object} */ (msg))) {
    if (key !== 'type' && !Object.hasOwn(shape, key)) return `${type}: unexpected field ${key.slice(0, 40)}`;
  }
  for (const [key, check] of Object.entries(shape)) {
    if (!check(/** @type {any} */ (msg)[key])) return `${type}: invalid ${key}`;
  }
  return null;
}

// ---- reviewer flags (issue 6) ------------------------------------------------
// Every flag message type starts with "flag" (the background routes them to
// background/flags.js by that prefix). Replies travel as separate messages
// carrying the request's `req` number.

const FLAG_SHAPES = {
  fromContent: {
    // the frame's page (the background answers with `flags`)
    flagLoad: { url: isUrl },
    flagSave: { req: isUint, flag: (v) => flagProblem(v, { draft: true }) === null },
    flagDelete: { req: isUint, url: isUrl, id: isFlagId },
    flagRestore: { req: isUint, id: isFlagId },
    // how each of the page's flags is anchored now
    flagStatus: { url: isUrl, status: isFlagStatus },
    // the engine's approximate search (anchor_quote) over the frame's text
    flagAnchor: { req: isUint, text: isScanText, quotes: isAnchorQuotes },
    flagSelectionInfo: { req: isUint, has: isBool, focused: isBool },
    // the frame's text, for the evidence report's hash
    flagText: { req: isUint, text: isScanText },
  },
  toContent: {
    flags: { url: isUrl, flags: isFlagList, categories: isCategoryList, defaults: isFlagDefaults },
    flagReply: { req: isUint, ok: isBool, error: isShortString, id: (v) => v === '' || isFlagId(v) },
    flagAnchored: { req: isUint, results: isAnchorResults },
    // which frame holds the selection the reviewer wants to flag
    flagAsk: { req: isUint },
    flagOpen: {},
    flagReveal: { id: isFlagId },
    flagCapture: { req: isUint },
    flagStatusAsk: {},
  },
  fromUi: {
    flagList: { tabId: isUint },
    flagUpdate: { id: isFlagId, url: isUrl, category: isCategory, severity: isSeverity, note: isNote },
    flagDelete: { url: isUrl, id: isFlagId },
    flagRestore: { id: isFlagId },
    flagRetry: { id: isFlagId },
    flagDiscard: { id: isFlagId },
    flagReveal: { tabId: isUint, id: isFlagId },
    flagExport: {
      tabId: isUint,
      scope: (v) => v === 'page' || v === 'all',
      format: (v) => v === 'jsonld' || v === 'csv' || v === 'html',
      screenshot: isBool,
    },
    flagImport: { json: isScanText },
  },
};
for (const [direction, shapes] of Object.entries(FLAG_SHAPES)) Object.assign(SHAPES[direction], shapes);
// Sightings and watch-lists (issue 14): common/sighting-shapes.js.
for (const [direction, shapes] of Object.entries(SIGHTING_SHAPES)) Object.assign(SHAPES[direction], shapes);

const FLAG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FLAG_STATES = ['anchored', 'orphan', 'pending'];
const FLAG_METHODS = ['', 'position', 'quote', 'approximate'];
function isFlagId(v) {
  return typeof v === 'string' && FLAG_ID.test(v);
}
function isCategory(v) {
  return typeof v === 'string' && CATEGORY.test(v);
}
function isSeverity(v) {
  return typeof v === 'string' && SEVERITIES.includes(v);
}
function isNote(v) {
  return typeof v === 'string' && v.length <= MAX_NOTE;
}
function isFlagList(v) {
  return Array.isArray(v) && v.length <= 100_000 && v.every((f) => flagProblem(f) === null);
}
function isCategoryList(v) {
  return Array.isArray(v) && v.length <= 1024 && v.every(isCategory);
}
function isFlagDefaults(v) {
  return v === null || (isPlainObject(v) && Object.keys(v).length === 2 && isCategory(v.category) && isSeverity(v.severity));
}
function isFinite01(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}
function isFlagStatus(v) {
  if (!Array.isArray(v) || v.length > 100_000) return false;
  return v.every(
    (s) =>
      isPlainObject(s) &&
      Object.keys(s).length === 5 &&
      isFlagId(s.id) &&
      FLAG_STATES.includes(s.state) &&
      FLAG_METHODS.includes(s.method) &&
      isUint(s.distance) &&
      isFinite01(s.score),
  );
}
function isAnchorQuotes(v) {
  if (!Array.isArray(v) || v.length > 10_000) return false;
  return v.every(
    (q) =>
      isPlainObject(q) &&
      Object.keys(q).length === 4 &&
      typeof q.exact === 'string' &&
      q.exact.length > 0 &&
      q.exact.length <= MAX_QUOTE &&
      typeof q.prefix === 'string' &&
      q.prefix.length <= MAX_CONTEXT &&
      typeof q.suffix === 'string' &&
      q.suffix.length <= MAX_CONTEXT &&
      isUint(q.start),
  );
}
function isAnchorResults(v) {
  if (!Array.isArray(v) || v.length > 10_000) return false;
  return v.every((r) => r === null || (Array.isArray(r) && r.length === 4 && r.every((x) => typeof x === 'number' && Number.isFinite(x))));
}
