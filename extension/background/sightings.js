// Sightings (issue 14): the one writer of the sightings store
// (common/sightings-db.js). Every scan's identifiers and every page's own
// account are recorded with where and when they were seen; watched items
// raise an alert (badge colour, the panel lists them first, an optional
// notification once per page); the content script's card, the panel and
// the options page ask here.
//
// Crash safety: a scan's observations are written first to storage.session
// (a journal entry), then to IndexedDB in one transaction, then the entry
// goes. A service worker stopped anywhere in between replays the entry at
// its next start; a page counts once per visit, so a replay of a write that
// did land counts nothing twice.

import init, { ids_in as idsIn, validate_pack as validatePack } from '../pkg/flaglight.js';
import { api } from '../common/api.js';
import { pageAccounts, pageKey, networkOf, shortUrl } from '../common/accounts.js';
import { ID_KINDS, SENSITIVE, accountItem, hasher, idItem, isItemKey, phraseItem, MAX_PHRASE } from '../common/sighting-items.js';
import { SightingsDb, StorageFull } from '../common/sightings-db.js';
import { parseWatchList, watchListCsv, watchListText } from '../common/watch-list.js';
import { t } from '../common/i18n.js';
import { tabs } from './tabs.js';

/** The pack watched phrases are compiled into (never stored, never listed with the packs). */
export const WATCH_PACK_ID = 'flaglight-watch';
const JOURNAL_PREFIX = 'sightings:pending:';
const TAB_PREFIX = 'sightings:tab:';
const CLEAR_KEY = 'sightings:clear';
/** Clear values of cards and IBANs kept for this browser session (memory only), for exports in clear. */
const MAX_CLEAR = 5000;
const ALARM = 'sightings-maintenance';
/** Finding kinds that are text, not identifiers. */
const TEXTUAL = new Set(['keyword', 'regex', 'model']);

export const db = new SightingsDb({ writer: true });

/**
 * @typedef {object} Hooks
 * @property {(tabId: number) => void} changed       badge and panel of a tab
 * @property {() => Promise<unknown>} rebuildEngine  compile again (the watch pack changed)
 */
/** @type {Hooks} */
let hooks = { changed: () => {}, rebuildEngine: async () => {} };

/** @param {Hooks} h */
export function initSightings(h) {
  hooks = h;
}

// ---- state ----------------------------------------------------------------------

/** Watched keys (loaded at start, kept in step with the store). @type {Map<string, any>} */
let watched = new Map();
/** Why the last write failed (storage full), shown in the panel and options page. @type {{time: number, reason: string}|null} */
let problem = null;
/** Per tab: the visit, the items seen in it, the watched ones, whether it was notified. @type {Map<number, {visit: string, page: string, alerts: string[], notified: boolean}>} */
const tabAlerts = new Map();
let seq = 0;
/** Writes run one after another, in order. */
let chain = Promise.resolve();
/** @type {Promise<(text: string) => Promise<string>>|null} */
let keyedP = null;

function keyed() {
  keyedP ??= db.hmacKey().then(hasher).catch((e) => {
    keyedP = null;
    throw e;
  });
  return keyedP;
}

/** @type {Promise<unknown>|null} */
let wasm = null;
function wasmReady() {
  wasm ??= init({ module_or_path: api.runtime.getURL('pkg/flaglight_bg.wasm') });
  return wasm;
}

export const ready = (async () => {
  const [list, session] = await Promise.all([db.watchList().catch(() => []), api.storage.session.get(null).catch(() => ({}))]);
  watched = new Map(list.map((w) => [w.key, w]));
  for (const [k, v] of Object.entries(session)) {
    if (k.startsWith(TAB_PREFIX) && v && typeof v === 'object') {
      const id = Number(k.slice(TAB_PREFIX.length));
      if (Number.isInteger(id) && typeof v.visit === 'string' && Array.isArray(v.alerts)) {
        tabAlerts.set(id, { visit: v.visit, page: String(v.page ?? ''), alerts: v.alerts.filter(isItemKey), notified: !!v.notified });
      }
    }
  }
  // Writes a stopped service worker had not finished.
  const pending = Object.entries(session)
    .filter(([k]) => k.startsWith(JOURNAL_PREFIX))
    .sort(([a], [b]) => Number(a.slice(JOURNAL_PREFIX.length)) - Number(b.slice(JOURNAL_PREFIX.length)));
  for (const [k, entry] of pending) {
    seq = Math.max(seq, Number(k.slice(JOURNAL_PREFIX.length)) + 1);
    if (entry?.page && Array.isArray(entry.observations)) enqueue(k, entry.page, entry.observations, entry.tabId);
  }
  keyed().catch(() => {});
  db.exporterId().catch(() => {});
  api.alarms?.create(ALARM, { periodInMinutes: 360, delayInMinutes: 1 });
})();

api.alarms?.onAlarm.addListener((a) => {
  if (a.name === ALARM) maintain().catch((e) => console.warn('flaglight: sightings maintenance', String(e)));
});

/** Retention, then compaction: what keeps the store bounded. */
export async function maintain() {
  await chain;
  const r = await db.applyRetention();
  const folded = await db.compact();
  return { ...r, folded };
}

// ---- recording ------------------------------------------------------------------

/**
 * The page a frame's findings belong to: the tab's top page, and its visit.
 * @param {number} tabId
 * @param {import('./tabs.js').FrameState} frame
 */
function visitOf(tabId, frame) {
  const t = tabs.get(tabId);
  const top = t?.frames.get(0);
  const url = t?.url || top?.url || frame.url;
  let host;
  try {
    host = new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
  return {
    page: pageKey(url),
    url,
    title: t?.title ?? '',
    host,
    network: networkOf(host),
    visit: top?.visit ?? frame.visit ?? 'unknown',
    time: Date.now(),
  };
}

/**
 * The identifiers a finding holds: an identifier finding is one; a context
 * finding (a donation request: a cue and its target) holds its target, and
 * contact identifiers (phones, Telegram) are recorded only from there.
 * @param {any} f  a stored finding (tabs.js)
 * @returns {{kind: string, value: string, detail: string}[]}
 */
function idsOfFinding(f) {
  if (TEXTUAL.has(f.kind) || f.pack === WATCH_PACK_ID) return [];
  /** @type {any[]} */
  const found = idsIn(f.text);
  if (ID_KINDS.includes(f.kind)) {
    const whole = found.find((m) => m.kind === f.kind && m.start === 0 && m.end === f.text.length) ?? found.find((m) => m.kind === f.kind);
    return whole ? [whole] : [];
  }
  return found;
}

/** @param {any} f @param {any} [id] */
function carrier(f, id) {
  return {
    rule: String(f.ruleId).slice(0, 256),
    pack: String(f.pack).slice(0, 128),
    category: String(f.category).slice(0, 128),
    severity: String(f.severity).slice(0, 16),
    kind: String(f.kind).slice(0, 64),
    checksum: id?.checksum ?? f.checksum ?? '',
    detail: String(id?.detail ?? '').slice(0, 256),
  };
}

/** Clear values of cards and IBANs seen this session (storage.session: memory, never disk). @type {Map<string, string>|null} */
let clearValues = null;
async function loadClear() {
  if (!clearValues) {
    const got = await api.storage.session.get(CLEAR_KEY).catch(() => ({}));
    clearValues = new Map(Array.isArray(got[CLEAR_KEY]) ? got[CLEAR_KEY].filter((e) => Array.isArray(e) && e.length === 2) : []);
  }
  return clearValues;
}
/** @param {[string, string][]} pairs */
async function rememberClear(pairs) {
  if (!pairs.length) return;
  const m = await loadClear();
  let added = false;
  for (const [k, v] of pairs) {
    if (m.get(k) === v) continue;
    m.delete(k);
    m.set(k, v);
    added = true;
  }
  while (m.size > MAX_CLEAR) m.delete(/** @type {string} */ (m.keys().next().value));
  if (added) api.storage.session.set({ [CLEAR_KEY]: [...m] }).catch(() => {});
}

/**
 * A scan's findings (decoded by tabs.js) become sightings of their page.
 * @param {number} tabId
 * @param {import('./tabs.js').FrameState} frame
 * @param {any[]} found
 * @param {any[]} rules   the engine's rule metadata (watch pack rules name their phrase)
 */
export async function fromScan(tabId, frame, found, rules) {
  if (!found.length) return;
  const page = visitOf(tabId, frame);
  if (!page) return;
  await wasmReady();
  const hash = await keyed();
  /** @type {any[]} */
  const observations = [];
  /** @type {[string, string][]} */
  const clear = [];
  for (const f of found) {
    if (f.pack === WATCH_PACK_ID) {
      const item = watchedItemOf(f, rules);
      if (item) observations.push({ item, finding: carrier(f) });
      continue;
    }
    for (const id of idsOfFinding(f)) {
      const item = await idItem(id, hash);
      if (item.clear) clear.push([item.key, item.clear]);
      delete item.clear;
      observations.push({ item, finding: carrier(f, id) });
    }
  }
  rememberClear(clear);
  if (observations.length) record(tabId, page, observations);
}

/**
 * The page's own accounts (its URL and metadata), recorded once per visit.
 * @param {number} tabId
 * @param {import('./tabs.js').FrameState} frame
 * @param {import('../common/accounts.js').PageMeta} meta
 */
export function fromPage(tabId, frame, meta) {
  const page = visitOf(tabId, frame);
  if (!page) return;
  const accounts = pageAccounts(page.url, meta);
  if (!accounts.length) return;
  const name = typeof meta.name === 'string' ? meta.name.slice(0, 200) : '';
  const observations = accounts.map((a, i) => ({ item: { ...accountItem(a), name: i === 0 ? name : '' }, finding: null }));
  record(tabId, page, observations);
}

/**
 * Queues a write: journal entry, store, entry removed.
 * @param {number} tabId
 * @param {any} page
 * @param {any[]} observations
 */
function record(tabId, page, observations) {
  const key = `${JOURNAL_PREFIX}${seq++}`;
  const journal = api.storage.session.set({ [key]: { tabId, page, observations } }).catch(() => {});
  chain = chain.then(() => journal);
  enqueue(key, page, observations, tabId);
}

/** Most scans one transaction writes. */
const MAX_BATCH = 64;
/** Writes waiting for the one in flight; the next flush writes them together. @type {{key: string, page: any, observations: any[], tabId: number}[]} */
const queue = [];

/**
 * Queues a scan's write. While a write commits, the scans that arrive wait
 * and go in one transaction (a feed's first load sends dozens).
 * @param {string} key  the journal entry
 * @param {any} page
 * @param {any[]} observations
 * @param {number} tabId
 */
function enqueue(key, page, observations, tabId) {
  queue.push({ key, page, observations, tabId });
  // A flush is already waiting on the chain when the queue was not empty: it takes this one too.
  if (queue.length > 1) return chain;
  const run = chain.then(flush);
  chain = run.catch(() => {});
  return run;
}

/** Writes the queued scans: one transaction, then each scan's alerts. */
async function flush() {
  const batch = queue.splice(0, MAX_BATCH);
  if (queue.length) {
    const next = chain.then(flush);
    chain = next.catch(() => {});
  }
  if (!batch.length) return;
  try {
    const results = await db.recordMany(batch.map((b) => ({ page: b.page, observations: b.observations })));
    problem = null;
    await api.storage.session.remove(batch.map((b) => b.key)).catch(() => {});
    batch.forEach((b, i) => afterWrite(b.tabId, b.page, results[i].summaries));
    // Room again: what a full disk held back goes in now.
    if (retries.size) flushRetries();
  } catch (e) {
    if (e instanceof StorageFull) {
      // Kept in the journal (memory) and tried again at the next write; nothing stored is touched.
      problem = { time: Date.now(), reason: t('sightings_storage_full') };
      console.warn('flaglight: sightings not saved: storage full');
      for (const b of batch) retryLater(b.key, b.page, b.observations, b.tabId);
    } else if (batch.length > 1) {
      // One bad scan must not cost the others: each on its own.
      for (const b of batch) await writeOne(b);
    } else {
      console.warn('flaglight: sightings not saved', String(/** @type {any} */ (e)?.message ?? e));
      await api.storage.session.remove(batch[0].key).catch(() => {});
    }
    for (const id of new Set(batch.map((b) => b.tabId))) hooks.changed(id);
  }
}

/** @param {{key: string, page: any, observations: any[], tabId: number}} b */
async function writeOne(b) {
  try {
    const [{ summaries }] = await db.recordMany([{ page: b.page, observations: b.observations }]);
    await api.storage.session.remove(b.key).catch(() => {});
    afterWrite(b.tabId, b.page, summaries);
  } catch (e) {
    if (e instanceof StorageFull) retryLater(b.key, b.page, b.observations, b.tabId);
    else {
      console.warn('flaglight: sightings not saved', String(/** @type {any} */ (e)?.message ?? e));
      await api.storage.session.remove(b.key).catch(() => {});
    }
  }
}

/** @type {Map<string, [any, any[], number]>} */
const retries = new Map();
let retryTimer = 0;
/** @param {string} key @param {any} page @param {any[]} observations @param {number} tabId */
function retryLater(key, page, observations, tabId) {
  retries.set(key, [page, observations, tabId]);
  if (retryTimer) return;
  retryTimer = /** @type {any} */ (setTimeout(flushRetries, 30_000));
}

/** Tries the writes a full disk held back again (after a successful write, or 30 s on). */
function flushRetries() {
  clearTimeout(retryTimer);
  retryTimer = 0;
  const list = [...retries];
  retries.clear();
  for (const [k, [p, o, id]] of list) enqueue(k, p, o, id);
}

/**
 * After a write: the tab's alerts (watched items seen on its page now).
 * @param {number} tabId
 * @param {any} page
 * @param {Map<string, import('../common/sightings-db.js').Summary>} summaries
 */
function afterWrite(tabId, page, summaries) {
  if (!tabs.has(tabId)) return;
  let a = tabAlerts.get(tabId);
  if (!a || a.visit !== page.visit || a.page !== page.page) {
    a = { visit: page.visit, page: page.page, alerts: [], notified: false };
    tabAlerts.set(tabId, a);
  }
  const before = a.alerts.length;
  for (const key of summaries.keys()) if (watched.has(key) && !a.alerts.includes(key)) a.alerts.push(key);
  if (a.alerts.length !== before) {
    persistTab(tabId);
    notifyOnce(tabId, page, a);
  }
  hooks.changed(tabId);
}

/** @param {number} tabId */
function persistTab(tabId) {
  const a = tabAlerts.get(tabId);
  if (a) api.storage.session.set({ [TAB_PREFIX + tabId]: a }).catch(() => {});
  else api.storage.session.remove(TAB_PREFIX + tabId).catch(() => {});
}

/**
 * A browser notification, when the moderator switched them on: one per
 * page visit, naming the watched item and the page.
 * @param {number} tabId
 * @param {any} page
 * @param {{alerts: string[], notified: boolean}} a
 */
async function notifyOnce(tabId, page, a) {
  if (a.notified) return;
  const settings = await db.settings().catch(() => null);
  if (!settings?.notify || !api.notifications) return;
  const has = await api.permissions.contains({ permissions: ['notifications'] }).catch(() => false);
  if (!has) return;
  a.notified = true;
  persistTab(tabId);
  const first = watched.get(a.alerts[0]);
  await api.notifications
    .create(`sightings:${tabId}:${page.visit}`, {
      type: 'basic',
      iconUrl: api.runtime.getURL('icons/icon128.png'),
      title: t('sightings_notify_title'),
      message: t('sightings_notify_message', first?.label ?? a.alerts[0], shortUrl(page.url)),
    })
    .catch((e) => console.warn('flaglight: notification', String(e)));
}

api.notifications?.onClicked?.addListener((id) => {
  const m = /^sightings:(\d+):/.exec(id);
  if (!m) return;
  const tabId = Number(m[1]);
  api.tabs
    .update(tabId, { active: true })
    .then((tab) => tab && api.windows.update(tab.windowId, { focused: true }))
    .catch(() => {});
  api.notifications.clear(id).catch(() => {});
});

api.tabs.onRemoved.addListener((tabId) => {
  tabAlerts.delete(tabId);
  persistTab(tabId);
});

/**
 * Whether a tab shows a watched item now (the badge's alert colour).
 * @param {number} tabId
 */
export function alertOf(tabId) {
  const a = tabAlerts.get(tabId);
  const t = tabs.get(tabId);
  if (!a || !t) return false;
  const top = t.frames.get(0);
  if (top && top.visit !== a.visit) return false;
  return a.alerts.some((k) => watched.has(k));
}

/** A new document in a tab's top frame: the old page's alert goes. @param {number} tabId */
export function newVisit(tabId) {
  if (tabAlerts.delete(tabId)) persistTab(tabId);
}

// ---- the card ----------------------------------------------------------------------

/**
 * The items a finding holds, keyed (for the card's line and its watch button).
 * @param {any} f
 * @param {any[]} rules
 */
async function itemsOfFinding(f, rules) {
  await wasmReady();
  if (f.pack === WATCH_PACK_ID) {
    const item = watchedItemOf(f, rules);
    return item ? [item] : [];
  }
  const hash = await keyed();
  const out = [];
  for (const id of idsOfFinding(f)) {
    const item = await idItem(id, hash);
    delete item.clear;
    out.push(item);
  }
  return out;
}

/**
 * What the card says of a finding's items: how often, where and since when
 * they were seen, other pages first; whether they are watched.
 * @param {number} tabId
 * @param {import('./tabs.js').FrameState} frame
 * @param {number} chunk
 * @param {number} n
 * @param {any[]} rules
 */
export async function cardInfo(tabId, frame, chunk, n, rules) {
  const f = frame.chunks.get(chunk)?.find((x) => x.n === n);
  if (!f) return [];
  const items = await itemsOfFinding(f, rules);
  if (!items.length) return [];
  await chain;
  const here = visitOf(tabId, frame)?.page ?? '';
  const sums = await db.summaries(items.map((i) => i.key));
  return items.slice(0, 4).map((i) => {
    const s = sums.get(i.key);
    const others = (s?.recent ?? []).filter((r) => r.url !== here);
    return {
      key: i.key,
      label: i.label,
      kind: i.kind,
      count: s?.count ?? 0,
      sites: s?.sites ?? 0,
      first: s?.first ?? 0,
      pages: others.slice(0, 3).map((r) => ({ url: r.url, host: r.host, time: r.time })),
      watched: watched.has(i.key),
    };
  });
}

/**
 * The card's watch button: watches (or stops watching) a finding's items.
 * @param {number} tabId
 * @param {import('./tabs.js').FrameState} frame
 * @param {number} chunk
 * @param {number} n
 * @param {boolean} on
 * @param {any[]} rules
 */
export async function watchFinding(tabId, frame, chunk, n, on, rules) {
  const f = frame.chunks.get(chunk)?.find((x) => x.n === n);
  if (!f) return;
  const items = await itemsOfFinding(f, rules);
  if (on) await addWatch(items.map((i) => ({ key: i.key, type: i.type, kind: i.kind, label: i.label })), tabId);
  else await removeWatch(items.map((i) => i.key));
}

/**
 * A sightings message from a content script (validated; its site is on).
 * @param {any} msg
 * @param {{tabId: number, frameId: number, frame: import('./tabs.js').FrameState, port: chrome.runtime.Port, rules: any[]}} ctx
 */
export async function fromContent(msg, ctx) {
  await ready;
  switch (msg.type) {
    case 'sightingMeta':
      if (ctx.frameId === 0) fromPage(ctx.tabId, ctx.frame, msg.meta);
      break;
    case 'sightingWatch':
      await watchFinding(ctx.tabId, ctx.frame, msg.chunk, msg.n, msg.on, ctx.rules);
    // falls through: the card shows the new state
    case 'sightingAsk': {
      const items = await cardInfo(ctx.tabId, ctx.frame, msg.chunk, msg.n, ctx.rules).catch((e) => {
        console.warn('flaglight: sightings for the card', String(e?.message ?? e));
        return [];
      });
      ctx.port.postMessage({ type: 'sightingInfo', id: msg.id, items });
      break;
    }
    default:
  }
}

// ---- the watch-list ------------------------------------------------------------------------

/**
 * @param {{key: string, type: string, kind: string, label: string, note?: string}[]} entries
 * @param {number} [tabId]  the tab it was marked in: its alert shows at once
 */
export async function addWatch(entries, tabId) {
  const good = entries.filter((e) => isItemKey(e.key));
  const added = await db.watchAdd(good);
  watched = new Map((await db.watchList()).map((w) => [w.key, w]));
  if (good.some((e) => watchPattern(e))) await hooks.rebuildEngine();
  // Open tabs that already show a newly watched item raise the alert now.
  const open = typeof tabId === 'number' ? [tabId] : [...tabs.keys()];
  await Promise.all(open.map((id) => alertFromStore(id).catch(() => {})));
  return { added, total: watched.size };
}

/** @param {string[]} keys */
export async function removeWatch(keys) {
  const phrases = keys.some((k) => watched.has(k) && watchPattern(watched.get(k)));
  await db.watchRemove(keys);
  watched = new Map((await db.watchList()).map((w) => [w.key, w]));
  if (phrases) await hooks.rebuildEngine();
  for (const tabId of tabAlerts.keys()) hooks.changed(tabId);
}

/**
 * A tab's alert from what the store holds for its page (a watch added while
 * the page is open, or state lost with a stopped worker).
 * @param {number} tabId
 */
async function alertFromStore(tabId) {
  const tab = tabs.get(tabId);
  const top = tab?.frames.get(0);
  if (!tab || !top) return;
  const page = pageKey(tab.url || top.url);
  const list = await db.sightingsOn(page);
  const mine = list.filter((s) => s.visit === top.visit && watched.has(s.item)).map((s) => s.item);
  if (!mine.length) return;
  let a = tabAlerts.get(tabId);
  if (!a || a.visit !== top.visit) a = { visit: top.visit, page, alerts: [], notified: false };
  for (const k of mine) if (!a.alerts.includes(k)) a.alerts.push(k);
  tabAlerts.set(tabId, a);
  persistTab(tabId);
  hooks.changed(tabId);
}

/**
 * The words a watched item is found by in any text, besides the engine's
 * own identifier rules: a phrase itself; a Telegram username (a handle
 * @name, t.me/name and the bare name are all one keyword, matched on word
 * boundaries) and an account's address (vk.com/club123), which the engine
 * reports only next to a donation request or never. Other identifiers
 * (wallets, cards) the engine finds wherever they are.
 * @param {any} w  a watch-list entry
 * @returns {string|null}
 */
export function watchPattern(w) {
  if (w.type === 'phrase') return w.label;
  const id = w.key.slice(w.key.indexOf(':') + 1);
  if (w.key.startsWith('telegram:')) return /^[a-z][a-z0-9_]{3,31}$/.test(id) ? id : null;
  if (w.type === 'account' && /^[a-z0-9.-]+\.[a-z]{2,}\/\S{2,}$/i.test(w.label)) return w.label;
  return null;
}

/**
 * The watch pack: one keyword rule per watched item that has a pattern
 * (watchPattern), the rule's description naming the watch entry. Null when
 * no item needs one.
 * @returns {{source: string, json: string}|null}
 */
export function watchPack() {
  const rules = [];
  for (const w of [...watched.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const p = watchPattern(w);
    if (p) rules.push({ id: `watched-${rules.length + 1}`, category: 'watched', severity: 'high', kind: 'keyword', patterns: [p], description: w.key });
  }
  if (!rules.length) return null;
  return { source: 'watch-list', json: JSON.stringify({ id: WATCH_PACK_ID, name: 'Watch-list', version: '1.0.0', rules }) };
}

/**
 * The item a watch pack finding stands for (its entry, as the store keys it).
 * @param {any} f
 * @param {any[]} rules
 * @returns {import('../common/sighting-items.js').Item|null}
 */
function watchedItemOf(f, rules) {
  const key = rules[f.rule]?.description;
  const w = typeof key === 'string' ? watched.get(key) : null;
  if (!w) return null;
  if (w.type === 'phrase') return phraseItem(w.label);
  const item = { key: w.key, type: w.type, kind: w.kind, label: w.label, detail: '' };
  if (w.type === 'account') Object.assign(item, { network: w.kind, url: `https://${w.label}` });
  return item;
}

/**
 * Reads a pasted or imported list; identifiers are checked by the engine and
 * keyed like those found in pages.
 * @param {string} text
 * @param {'text'|'csv'} format
 */
export async function importWatch(text, format) {
  await wasmReady();
  const hash = await keyed();
  const { entries, refused } = await parseWatchList(text, format, { idsIn, hash, checkPhrase });
  const res = await addWatch(entries);
  const clear = entries.filter((e) => e.clear).map((e) => /** @type {[string, string]} */ ([e.key, e.clear]));
  await rememberClear(clear);
  return { added: res.added, total: res.total, refused };
}

/**
 * Whether the engine accepts a phrase as a keyword (as the watch pack will
 * compile it): null, or why not.
 * @param {string} phrase
 */
function checkPhrase(phrase) {
  if (phrase.length > MAX_PHRASE) return t('sightings_phrase_too_long', MAX_PHRASE);
  const pack = { id: WATCH_PACK_ID, name: 'check', version: '1.0.0', rules: [{ id: 'w', category: 'watched', severity: 'high', kind: 'keyword', patterns: [phrase] }] };
  const r = validatePack(JSON.stringify(pack), 'watch-list');
  return r?.ok ? null : String(r?.errors?.[0]?.reason ?? 'invalid');
}

/** @param {'text'|'csv'} format @param {boolean} clear */
export async function exportWatch(format, clear) {
  const list = await db.watchList();
  const values = clear ? await loadClear() : new Map();
  return format === 'csv' ? watchListCsv(list, values) : watchListText(list, values);
}

// ---- requests from the panel and the options page ----------------------------------------------

/**
 * @param {any} msg  validated (common/sighting-shapes.js)
 */
export async function answerUi(msg) {
  await ready;
  switch (msg.type) {
    case 'sightingsStatus': {
      const [counts, settings] = await Promise.all([db.counts(), db.settings()]);
      const notifyGranted = await api.permissions.contains({ permissions: ['notifications'] }).catch(() => false);
      return { counts, settings, notifyGranted, problem, watchProblem };
    }
    case 'sightingsPage':
      return pageView(msg.tabId);
    case 'sightingsSetSettings': {
      const change = {};
      if (msg.retentionDays > 0) change.retentionDays = msg.retentionDays;
      if (msg.notify !== 'same') change.notify = msg.notify === 'on';
      const settings = await db.setSettings(change);
      if (change.retentionDays) await maintain();
      return { ok: true, settings };
    }
    case 'sightingsMaintain':
      return { ok: true, ...(await maintain()) };
    case 'sightingsClear':
      await chain;
      await db.clearAll();
      tabAlerts.clear();
      clearValues = new Map();
      await api.storage.session.remove(CLEAR_KEY).catch(() => {});
      for (const id of tabs.keys()) {
        persistTab(id);
        hooks.changed(id);
      }
      return { ok: true };
    case 'sightingsWatchAdd':
      return { ok: true, ...(await addWatch(msg.entries, msg.tabId >= 0 ? msg.tabId : undefined)) };
    case 'sightingsWatchRemove':
      await removeWatch(msg.keys);
      return { ok: true };
    case 'sightingsWatchImport':
      return { ok: true, ...(await importWatch(msg.text, msg.format)) };
    case 'sightingsWatchExport':
      return { ok: true, text: await exportWatch(msg.format, msg.clear) };
    case 'sightingsClearValues': {
      const m = await loadClear();
      return { values: Object.fromEntries(msg.keys.filter((/** @type {string} */ k) => m.has(k)).map((/** @type {string} */ k) => [k, m.get(k)])) };
    }
    case 'sightingsCheck':
      // A page reading the store found a damaged record: read it here and move it aside.
      await db.allItems();
      await db.allSightings();
      await db.watchList();
      return { ok: true };
    case 'sightingsOpen':
      await api.tabs.create({ url: msg.url });
      return { ok: true };
    default:
      return { error: `${msg.type} is not a sightings request` };
  }
}

/** Why the watch pack is not in use (a phrase the engine would not compile with the packs). @type {string|null} */
let watchProblem = null;
/** @param {string|null} p */
export function setWatchProblem(p) {
  watchProblem = p;
}

/**
 * The items of a tab's page: watched first, then those seen before, then
 * the new ones, each with how often and where else it was seen.
 * @param {number} tabId
 */
async function pageView(tabId) {
  await chain;
  const tab = tabs.get(tabId);
  const top = tab?.frames.get(0);
  const url = tab?.url || top?.url || '';
  if (!url) return { items: [], problem };
  const page = pageKey(url);
  const list = await db.sightingsOn(page);
  const sums = await db.summaries(list.map((s) => s.item));
  const items = list
    .filter((s) => sums.has(s.item))
    .map((s) => {
      const sum = /** @type {any} */ (sums.get(s.item));
      const others = sum.recent.filter((/** @type {any} */ r) => r.url !== page);
      return {
        ...sum,
        watched: watched.has(s.item),
        seenBefore: sum.count > 1,
        here: { first: s.first, last: s.last, count: s.count, finding: s.finding },
        others: others.slice(0, 3),
      };
    });
  const rank = (/** @type {any} */ i) => (i.watched ? 0 : i.seenBefore ? 1 : 2);
  items.sort((a, b) => rank(a) - rank(b) || b.count - a.count || (a.label < b.label ? -1 : 1));
  return { page, url, items, problem, alert: alertOf(tabId) };
}

/** Sensitive kinds, for pages that need to know what to mask. */
export { SENSITIVE };

// ---- for tests and the benchmark ----------------------------------------------------------------

export const sightingsForTests = {
  db,
  ready,
  maintain,
  settled: () => chain,
  watched: () => [...watched.keys()],
  alerts: () => Object.fromEntries([...tabAlerts].map(([k, v]) => [k, v.alerts])),
  problem: () => problem,
  fromScan,
  record,
  cardInfo,
  watchFinding,
};
