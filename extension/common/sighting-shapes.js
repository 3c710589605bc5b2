// Message shapes of the sightings (issue 14), merged into the one protocol
// by common/protocol.js. Every type starts with "sighting": the background
// routes them to background/sightings.js by that prefix.

import { isItemKey } from './sighting-items.js';

/** Longest retention, in days (sightings-db.js MAX_RETENTION; not imported: the content script bundles this file). */
const MAX_RETENTION = 3650;
const isUint = (/** @type {unknown} */ v) => Number.isInteger(v) && /** @type {number} */ (v) >= 0 && /** @type {number} */ (v) <= 0xffffffff;
const isBool = (/** @type {unknown} */ v) => typeof v === 'boolean';
const isStr = (/** @type {unknown} */ v, max = 4096) => typeof v === 'string' && v.length <= max;
const isPlain = (/** @type {unknown} */ v) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const isStrList = (/** @type {unknown} */ v, n = 16, max = 2048) => Array.isArray(v) && v.length <= n && v.every((x) => isStr(x, max));

/** What the content script reads from a page's head (common/accounts.js PageMeta). */
function isPageMeta(v) {
  return isPlain(v) && Object.keys(v).length === 3 && isStrList(v.links) && isStrList(v.handles, 8, 64) && isStr(v.name, 512);
}
function isHttpUrl(v) {
  if (!isStr(v, 8192)) return false;
  try {
    const u = new URL(/** @type {string} */ (v));
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
/** The card's line: items of a finding with where else they were seen. */
function isSightingInfo(v) {
  return (
    Array.isArray(v) &&
    v.length <= 4 &&
    v.every(
      (i) =>
        isPlain(i) &&
        isItemKey(i.key) &&
        isStr(i.label, 512) &&
        isStr(i.kind, 32) &&
        isUint(i.count) &&
        isUint(i.sites) &&
        typeof i.first === 'number' &&
        isBool(i.watched) &&
        Array.isArray(i.pages) &&
        i.pages.length <= 3 &&
        i.pages.every((/** @type {any} */ p) => isPlain(p) && isHttpUrl(p.url) && isStr(p.host, 253) && typeof p.time === 'number'),
    )
  );
}
function isEntries(v) {
  return (
    Array.isArray(v) &&
    v.length <= 1000 &&
    v.every((e) => isPlain(e) && isItemKey(e.key) && ['id', 'account', 'phrase'].includes(e.type) && isStr(e.kind, 32) && isStr(e.label, 512) && Object.keys(e).every((k) => ['key', 'type', 'kind', 'label', 'note'].includes(k)) && isStr(e.note ?? '', 1000))
  );
}
function isKeys(v) {
  return Array.isArray(v) && v.length <= 100_000 && v.every(isItemKey);
}
const isTabOrNone = (/** @type {unknown} */ v) => Number.isInteger(v) && /** @type {number} */ (v) >= -1 && /** @type {number} */ (v) <= 0xffffffff;

export const SIGHTING_SHAPES = {
  fromContent: {
    // the top frame's head: its canonical link, og:url, app links, twitter:site
    sightingMeta: { meta: isPageMeta },
    // the card asks what is known of a finding's items
    sightingAsk: { id: isUint, chunk: isUint, n: isUint },
    // the card's watch button
    sightingWatch: { id: isUint, chunk: isUint, n: isUint, on: isBool },
  },
  toContent: {
    sightingInfo: { id: isUint, items: isSightingInfo },
  },
  fromUi: {
    sightingsStatus: {},
    sightingsPage: { tabId: isUint },
    // retentionDays 0: unchanged; notify 'on' | 'off' | 'same'
    sightingsSetSettings: { retentionDays: (v) => isUint(v) && /** @type {number} */ (v) <= MAX_RETENTION, notify: (v) => v === 'on' || v === 'off' || v === 'same' },
    sightingsMaintain: {},
    sightingsClear: {},
    sightingsWatchAdd: { entries: isEntries, tabId: isTabOrNone },
    sightingsWatchRemove: { keys: isKeys },
    sightingsWatchImport: { text: (v) => isStr(v, 8 * 1024 * 1024), format: (v) => v === 'text' || v === 'csv' },
    sightingsWatchExport: { format: (v) => v === 'text' || v === 'csv', clear: isBool },
    sightingsClearValues: { keys: isKeys },
    sightingsCheck: {},
    sightingsOpen: { url: isHttpUrl },
  },
};
