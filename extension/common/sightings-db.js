// The sightings store: where and when each identifier and account was seen,
// the watch-list and the store's settings, in IndexedDB.
//
// One writer: the background (background/sightings.js) opens it with
// `writer: true`; the panel and the options page open it read-only for their
// views and exports (the same origin's database, no copy through messages),
// and ask the background for every change.
//
// Object stores:
//   items      one record per item (sighting-items.js), keyPath "key": what it
//              is, first/last seen, count (page visits it was seen in), the
//              hosts it was seen on, the most recent pages, and the counts of
//              compacted sightings by day
//   sightings  one record per item and page, keyPath ["item", "page"]: the
//              page's URL, title, host and network, first/last seen, count,
//              the visit it was last counted in, the finding that carried it
//   watch      the watch-list, keyPath "key"
//   meta       "settings" (retention, notifications), "hmac" (the key of the
//              card and IBAN hashes: a non-extractable CryptoKey)
//   quarantine damaged records, copied whole with what was wrong
//
// Records are checked when they are read, with the same principles as the
// storage.local records (common/stored.js on the store branch): a damaged
// record is copied whole to `quarantine` with the reason, its good parts are
// put back (an item's totals are rebuilt from its sightings), and it never
// stops the others from being read. Problems are listed in the same shape as
// that module's (`problems()`), so the options page can report them with the
// rest later. One scan's sightings are one transaction: a service worker
// stopped in the middle leaves the store as it was before the scan, and a
// full disk aborts the transaction with nothing stored lost.
//
// Bounded storage: an item keeps its MAX_PAGES most recent pages as records;
// older pages, and the oldest sightings once the store holds MAX_SIGHTINGS,
// are compacted into per-day counts on the item (`days`). Retention removes
// sightings, day counts and items older than the retention period.

import { isItemKey } from './sighting-items.js';

export const DB_NAME = 'flaglight-sightings';
const DB_VERSION = 1;
/** Page records kept per item; older pages become day counts. */
export const MAX_PAGES = 50;
/** Page records kept in all; the oldest beyond become day counts. */
export const MAX_SIGHTINGS = 250_000;
/** Recent pages an item keeps for the card. */
const RECENT = 5;
/** Distinct hosts an item counts (more are counted, not named). */
const MAX_HOSTS = 32;
const DAY_MS = 86_400_000;
export const DEFAULT_SETTINGS = Object.freeze({ v: 1, retentionDays: 90, notify: false });
export const MIN_RETENTION = 1;
export const MAX_RETENTION = 3650;

/** The store could not write: the browser's storage is full. */
export class StorageFull extends Error {
  constructor() {
    super('storage full');
    this.name = 'StorageFull';
  }
}

// ---- IndexedDB as promises -----------------------------------------------------

/** @template T @param {IDBRequest<T>} r @returns {Promise<T>} */
function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Resolves when a transaction commits; rejects (StorageFull on a quota error) when it aborts. @param {IDBTransaction} tx */
function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    const fail = () => {
      const e = tx.error;
      reject(e && e.name === 'QuotaExceededError' ? new StorageFull() : (e ?? new Error('transaction aborted')));
    };
    tx.onabort = fail;
    tx.onerror = (ev) => ev.preventDefault?.();
  });
}

/**
 * Runs the requests of a transaction and waits for it to commit. A quota
 * error aborts the whole transaction, whichever request met it first.
 * @template T
 * @param {IDBTransaction} tx
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function inTx(tx, work) {
  const committed = done(tx);
  committed.catch(() => {});
  let failure = null;
  let out;
  try {
    out = await work();
  } catch (e) {
    failure = e;
    try {
      tx.abort();
    } catch {
      // already finished or aborting
    }
  }
  try {
    await committed;
  } catch (e) {
    throw e instanceof StorageFull ? e : (failure ?? e);
  }
  if (failure) throw failure;
  return /** @type {T} */ (out);
}

// ---- what a good record is ---------------------------------------------------------

const isStr = (/** @type {unknown} */ v, max = 4096) => typeof v === 'string' && v.length <= max;
const isTime = (/** @type {unknown} */ v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 8.64e15;
const isCount = (/** @type {unknown} */ v) => Number.isInteger(v) && /** @type {number} */ (v) >= 0 && /** @type {number} */ (v) <= 1e9;
const isObj = (/** @type {unknown} */ v) => !!v && typeof v === 'object' && !Array.isArray(v);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** @param {unknown} p */
function isRecent(p) {
  return isObj(p) && isStr(p.url, 8192) && isStr(p.title) && isStr(p.host, 253) && isTime(p.time);
}

/**
 * A checked record: the good value, or why not and the good parts.
 * @typedef {{ok: true, value: any} | {ok: false, why: string, keep: any|null}} Check
 */

/**
 * An item as stored. Its totals may be rebuilt from its sightings, so a
 * damaged total keeps the item (`rebuild`), a damaged key does not.
 * @param {unknown} v
 * @returns {Check & {rebuild?: boolean}}
 */
export function checkItem(v) {
  if (!isObj(v)) return { ok: false, why: 'not a record', keep: null };
  const o = /** @type {Record<string, any>} */ (v);
  if (!isItemKey(o.key)) return { ok: false, why: 'no valid key', keep: null };
  const ident = ['id', 'account', 'phrase'].includes(o.type) && isStr(o.kind, 32) && isStr(o.label, 512) && isStr(o.detail ?? '', 256);
  const opt = isStr(o.network ?? '', 32) && isStr(o.url ?? '', 8192) && isStr(o.name ?? '', 512);
  if (!ident || !opt) {
    return { ok: false, why: 'identity fields damaged', keep: null };
  }
  const totals =
    isTime(o.first) &&
    isTime(o.last) &&
    o.last >= o.first &&
    isCount(o.count) &&
    isCount(o.pages) &&
    Array.isArray(o.hosts) &&
    o.hosts.length <= MAX_HOSTS &&
    o.hosts.every((/** @type {unknown} */ h) => isStr(h, 253)) &&
    isCount(o.moreHosts ?? 0) &&
    Array.isArray(o.recent) &&
    o.recent.length <= RECENT &&
    o.recent.every(isRecent) &&
    (o.days === undefined || (isObj(o.days) && Object.entries(o.days).every(([d, x]) => DAY.test(d) && isObj(x) && isCount(x.n) && Array.isArray(x.h) && x.h.every((/** @type {unknown} */ h) => isStr(h, 253)))));
  if (!totals) {
    const keep = { key: o.key, type: o.type, kind: o.kind, label: o.label, detail: o.detail ?? '', network: o.network ?? '', url: o.url ?? '', name: o.name ?? '' };
    return { ok: false, why: 'totals damaged', keep, rebuild: true };
  }
  return { ok: true, value: o };
}

/** @param {unknown} f */
function isFinding(f) {
  return (
    f === null ||
    (isObj(f) && isStr(f.rule, 256) && isStr(f.pack, 128) && isStr(f.category, 128) && isStr(f.severity, 16) && isStr(f.kind, 64) && isStr(f.checksum ?? '', 16) && isStr(f.detail ?? '', 256))
  );
}

/** A sighting (item on a page) as stored. @param {unknown} v @returns {Check} */
export function checkSighting(v) {
  if (!isObj(v)) return { ok: false, why: 'not a record', keep: null };
  const o = /** @type {Record<string, any>} */ (v);
  const good =
    isItemKey(o.item) &&
    isStr(o.page, 8192) &&
    o.page.length > 0 &&
    isStr(o.title) &&
    isStr(o.host, 253) &&
    isStr(o.network, 32) &&
    isTime(o.first) &&
    isTime(o.last) &&
    o.last >= o.first &&
    Number.isInteger(o.count) &&
    o.count >= 1 &&
    o.count <= 1e9 &&
    isStr(o.visit, 64) &&
    isFinding(o.finding);
  return good ? { ok: true, value: o } : { ok: false, why: 'damaged sighting', keep: null };
}

/** A watch-list entry as stored. @param {unknown} v @returns {Check} */
export function checkWatch(v) {
  if (!isObj(v)) return { ok: false, why: 'not a record', keep: null };
  const o = /** @type {Record<string, any>} */ (v);
  const good = isItemKey(o.key) && ['id', 'account', 'phrase'].includes(o.type) && isStr(o.kind, 32) && isStr(o.label, 512) && isTime(o.added) && isStr(o.note ?? '', 1000);
  return good ? { ok: true, value: o } : { ok: false, why: 'damaged watch-list entry', keep: null };
}

/** The settings as stored; a damaged field falls back to its default, the rest is kept. @param {unknown} v */
export function checkSettings(v) {
  const o = isObj(v) ? /** @type {Record<string, any>} */ (v) : {};
  const days = Number.isInteger(o.retentionDays) && o.retentionDays >= MIN_RETENTION && o.retentionDays <= MAX_RETENTION ? o.retentionDays : DEFAULT_SETTINGS.retentionDays;
  const notify = typeof o.notify === 'boolean' ? o.notify : DEFAULT_SETTINGS.notify;
  const ok = isObj(v) && days === o.retentionDays && notify === o.notify;
  return { ok: ok || v === undefined, value: { v: 1, retentionDays: days, notify } };
}

// ---- small helpers over records ---------------------------------------------------

/** The UTC day of a moment, "2024-11-02". @param {number} ms */
export function dayOf(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * What a view and the card need of an item.
 * @typedef {object} Summary
 * @property {string} key
 * @property {string} type
 * @property {string} kind
 * @property {string} label
 * @property {string} detail
 * @property {string} network
 * @property {string} url
 * @property {string} name
 * @property {number} count   page visits it was seen in
 * @property {number} sites   distinct hosts
 * @property {number} pages   distinct pages
 * @property {number} first
 * @property {number} last
 * @property {{url: string, title: string, host: string, time: number}[]} recent
 */

/** @param {any} item @returns {Summary} */
export function summaryOf(item) {
  return {
    key: item.key,
    type: item.type,
    kind: item.kind,
    label: item.label,
    detail: item.detail ?? '',
    network: item.network ?? '',
    url: item.url ?? '',
    name: item.name ?? '',
    count: item.count,
    sites: item.hosts.length + (item.moreHosts ?? 0),
    pages: item.pages,
    first: item.first,
    last: item.last,
    recent: item.recent,
  };
}

/** @param {any} item @param {string} host */
function addHost(item, host) {
  if (!host || item.hosts.includes(host)) return;
  if (item.hosts.length < MAX_HOSTS) item.hosts.push(host);
  else item.moreHosts = (item.moreHosts ?? 0) + 1;
}

/** @param {any} item @param {{url: string, title: string, host: string, time: number}} p */
function addRecent(item, p) {
  const list = item.recent.filter((/** @type {any} */ r) => r.url !== p.url);
  list.unshift(p);
  item.recent = list.slice(0, RECENT);
}

/**
 * An item's totals from its sightings and day counts (after compaction,
 * retention or a damaged record).
 * @param {any} item   identity fields, days kept
 * @param {any[]} sightings
 */
function rebuild(item, sightings) {
  const out = { ...item, count: 0, pages: sightings.length, hosts: [], moreHosts: 0, recent: [], first: Infinity, last: 0 };
  for (const s of [...sightings].sort((a, b) => a.last - b.last)) {
    out.count += s.count;
    out.first = Math.min(out.first, s.first);
    out.last = Math.max(out.last, s.last);
    addHost(out, s.host);
    addRecent(out, { url: s.page, title: s.title, host: s.host, time: s.last });
  }
  for (const [day, d] of Object.entries(out.days ?? {})) {
    out.count += d.n;
    const t = Date.parse(`${day}T00:00:00Z`);
    out.first = Math.min(out.first, t);
    out.last = Math.max(out.last, t);
    for (const h of d.h) addHost(out, h);
  }
  if (out.days && !Object.keys(out.days).length) delete out.days;
  if (out.count === 0) return null;
  return out;
}

// ---- the store -------------------------------------------------------------------------

/**
 * One observation of a scan: an item on the page, and the finding that carried it.
 * @typedef {object} Observation
 * @property {import('./sighting-items.js').Item} item
 * @property {any|null} finding   {rule, pack, category, severity, kind, checksum, detail}; null for the page's own account
 *
 * The page of a scan.
 * @typedef {object} PageVisit
 * @property {string} page    pageKey of the URL
 * @property {string} url     as visited
 * @property {string} title
 * @property {string} host
 * @property {string} network
 * @property {string} visit   the visit's id: a page counts once per visit (a re-rendering feed is one visit)
 * @property {number} time
 */

export class SightingsDb {
  /**
   * @param {{idb?: IDBFactory, name?: string, writer?: boolean, onBad?: (store: string, key: unknown) => void, now?: () => number}} [opts]
   *   onBad: a reader's report of a damaged record (the writer moves it aside)
   */
  constructor(opts = {}) {
    this.idb = opts.idb ?? globalThis.indexedDB;
    this.name = opts.name ?? DB_NAME;
    this.writer = !!opts.writer;
    this.onBad = opts.onBad ?? (() => {});
    this.now = opts.now ?? (() => Date.now());
    /** @type {Promise<IDBDatabase>|null} */
    this.opening = null;
  }

  /** @returns {Promise<IDBDatabase>} */
  db() {
    if (!this.opening) {
      this.opening = new Promise((resolve, reject) => {
        const r = this.idb.open(this.name, DB_VERSION);
        r.onupgradeneeded = () => {
          const db = r.result;
          const items = db.createObjectStore('items', { keyPath: 'key' });
          items.createIndex('last', 'last');
          const s = db.createObjectStore('sightings', { keyPath: ['item', 'page'] });
          s.createIndex('item', 'item');
          s.createIndex('page', 'page');
          s.createIndex('last', 'last');
          db.createObjectStore('watch', { keyPath: 'key' });
          db.createObjectStore('meta');
          db.createObjectStore('quarantine', { autoIncrement: true });
        };
        r.onsuccess = () => {
          const db = r.result;
          // Another context upgrading (a newer version) closes this one.
          db.onversionchange = () => {
            db.close();
            this.opening = null;
          };
          resolve(db);
        };
        r.onerror = () => {
          this.opening = null;
          reject(r.error);
        };
        r.onblocked = () => {};
      });
    }
    return this.opening;
  }

  /** @param {string[]} stores @param {IDBTransactionMode} mode */
  async tx(stores, mode = 'readonly') {
    return (await this.db()).transaction(stores, mode);
  }

  // ---- damaged records ---------------------------------------------------------

  /**
   * Moves a damaged record aside (writer only): copies it whole to the
   * quarantine with the reason, then puts back its good parts or removes it.
   * Both happen in one transaction, so the record is either where it was or
   * moved; nothing is lost in between.
   * @param {string} store
   * @param {IDBValidKey} key
   * @param {unknown} value
   * @param {string} why
   * @param {any|null} keep
   * @returns {Promise<any|null>} what is in the store now (the good parts), or null
   */
  async moveAside(store, key, value, why, keep) {
    if (!this.writer) {
      this.onBad(store, key);
      return null;
    }
    let now = null;
    const t = await this.tx(['quarantine', store, ...(store === 'items' ? ['sightings'] : [])], 'readwrite');
    const copy = safeClone(value);
    t.objectStore('quarantine').add({ store, key: safeClone(key), value: copy, why, kept: keep ? 'good parts' : 'nothing', time: this.now(), size: sizeOf(copy) });
    if (keep && store === 'items') {
      const sightings = /** @type {any[]} */ (await req(t.objectStore('sightings').index('item').getAll(keep.key))).filter((s) => checkSighting(s).ok);
      now = rebuild({ ...keep }, sightings);
      if (now) t.objectStore('items').put(now);
      else t.objectStore('items').delete(key);
    } else if (keep) {
      now = keep;
      t.objectStore(store).put(keep, ...(store === 'meta' ? [key] : []));
    } else t.objectStore(store).delete(key);
    await done(t);
    return now;
  }

  /**
   * Checks records read from a store: good ones are returned, damaged ones
   * moved aside (or reported by a reader) and their good parts returned.
   * @param {string} store
   * @param {any[]} values
   * @param {(v: unknown) => Check & {rebuild?: boolean}} check
   * @param {(v: any) => IDBValidKey} keyOf
   */
  async checked(store, values, check, keyOf) {
    const out = [];
    for (const v of values) {
      const c = check(v);
      if (c.ok) {
        out.push(c.value);
        continue;
      }
      let key;
      try {
        key = keyOf(v);
      } catch {
        key = undefined;
      }
      if (key === undefined) continue;
      const kept = await this.moveAside(store, key, v, c.why, c.keep).catch((e) => {
        console.warn('flaglight: could not move a damaged record aside', String(e));
        return null;
      });
      if (kept && check(kept).ok) out.push(kept);
    }
    return out;
  }

  /** Damaged records found so far, in the shape of common/stored.js's problems. */
  async problems() {
    const t = await this.tx(['quarantine']);
    const store = t.objectStore('quarantine');
    const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
    return values.map((q, i) => ({
      id: `sightings:${keys[i]}`,
      key: `${q?.store}:${JSON.stringify(q?.key)}`.slice(0, 512),
      kind: `sightings-${q?.store}`,
      label: 'sightings_store',
      time: q?.time ?? 0,
      why: ['sightings_damaged', String(q?.why ?? '')],
      kept: ['sightings_kept', String(q?.kept ?? '')],
      size: q?.size ?? 0,
      held: false,
    }));
  }

  // ---- settings and the hash key ---------------------------------------------------

  async settings() {
    const t = await this.tx(['meta']);
    const v = await req(t.objectStore('meta').get('settings'));
    const c = checkSettings(v);
    if (!c.ok) await this.moveAside('meta', 'settings', v, 'damaged settings', c.value);
    return c.value;
  }

  /** @param {{retentionDays?: number, notify?: boolean}} change */
  async setSettings(change) {
    const cur = await this.settings();
    const next = checkSettings({ ...cur, ...change }).value;
    const t = await this.tx(['meta'], 'readwrite');
    t.objectStore('meta').put(next, 'settings');
    await done(t);
    return next;
  }

  /**
   * The key of the card and IBAN hashes, made the first time: a
   * non-extractable HMAC-SHA-256 key (where the browser cannot store one,
   * an extractable one: it never leaves the profile either way).
   * @returns {Promise<CryptoKey>}
   */
  async hmacKey() {
    const t = await this.tx(['meta']);
    const have = await req(t.objectStore('meta').get('hmac'));
    if (have && typeof have === 'object' && 'algorithm' in have) return /** @type {CryptoKey} */ (have);
    if (have instanceof ArrayBuffer) return crypto.subtle.importKey('raw', have, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (!this.writer) throw new Error('no hash key yet');
    const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
    try {
      const w = await this.tx(['meta'], 'readwrite');
      // Another start may have made one first: keep that.
      const again = await req(w.objectStore('meta').get('hmac'));
      if (again) {
        await done(w);
        return this.hmacKey();
      }
      w.objectStore('meta').put(key, 'hmac');
      await done(w);
      return key;
    } catch (e) {
      if (/** @type {any} */ (e)?.name !== 'DataCloneError') throw e;
      const raw = crypto.getRandomValues(new Uint8Array(32)).buffer;
      const w = await this.tx(['meta'], 'readwrite');
      w.objectStore('meta').put(raw, 'hmac');
      await done(w);
      return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    }
  }

  /**
   * The exporter's id in STIX and MISP exports: a random UUID made once per
   * installation (so two moderators' exports are two identities).
   * @returns {Promise<string>}
   */
  async exporterId() {
    const t = await this.tx(['meta']);
    const have = await req(t.objectStore('meta').get('exporter'));
    if (typeof have === 'string' && /^[0-9a-f-]{36}$/.test(have)) return have;
    if (!this.writer) throw new Error('no exporter id yet');
    const id = crypto.randomUUID();
    const w = await this.tx(['meta'], 'readwrite');
    w.objectStore('meta').put(id, 'exporter');
    await done(w);
    return id;
  }

  // ---- recording ------------------------------------------------------------------------

  /**
   * Records one scan's observations on a page, in one transaction. An item
   * counts once per visit of a page: the first time it is seen in a visit
   * its count goes up, later scans of the same visit only move its last time.
   * @param {PageVisit} page
   * @param {Observation[]} observations
   * @returns {Promise<{summaries: Map<string, Summary>, fresh: string[]}>}  fresh: items counted in this call
   */
  async record(page, observations) {
    return (await this.recordMany([{ page, observations }]))[0];
  }

  /**
   * Records several scans in one transaction, in order (the background
   * writes what queued up while the previous write committed together: a
   * feed's first load sends dozens of scans, and a transaction's fixed cost
   * is most of a small write's). All or nothing: a full disk aborts the
   * whole batch and nothing stored changes.
   * @param {{page: PageVisit, observations: Observation[]}[]} batch
   * @returns {Promise<{summaries: Map<string, Summary>, fresh: string[]}[]>}  per entry
   */
  async recordMany(batch) {
    const t = await this.tx(['items', 'sightings'], 'readwrite');
    const items = t.objectStore('items');
    const sightings = t.objectStore('sightings');
    /** @type {any[]} */
    const damaged = [];
    /** @type {{summaries: Map<string, Summary>, fresh: string[]}[]} */
    const results = [];
    const one = async (/** @type {PageVisit} */ page, /** @type {Observation[]} */ observations) => {
      /** @type {Map<string, Summary>} */
      const summaries = new Map();
      /** @type {string[]} */
      const fresh = [];
      const unique = new Map();
      for (const o of observations) if (!unique.has(o.item.key)) unique.set(o.item.key, o);
      await Promise.all(
        [...unique.values()].map(async (o) => {
          const [oldItem, oldSighting] = await Promise.all([req(items.get(o.item.key)), req(sightings.get([o.item.key, page.page]))]);
          let item = null;
          if (oldItem !== undefined) {
            const c = checkItem(oldItem);
            if (c.ok) item = c.value;
            else damaged.push(['items', o.item.key, oldItem, c.why]);
          }
          let s = null;
          if (oldSighting !== undefined) {
            const c = checkSighting(oldSighting);
            if (c.ok) s = c.value;
            else damaged.push(['sightings', [o.item.key, page.page], oldSighting, c.why]);
          }
          const newPage = !s;
          const newVisit = !s || s.visit !== page.visit;
          s = s ?? { item: o.item.key, page: page.page, first: page.time, count: 0 };
          s = {
            ...s,
            title: page.title.slice(0, 4096),
            host: page.host,
            network: page.network,
            last: Math.max(s.last ?? 0, page.time),
            count: s.count + (newVisit ? 1 : 0),
            visit: page.visit,
            finding: o.finding ?? s.finding ?? null,
          };
          if (!item) {
            item = { ...identity(o.item), first: page.time, last: page.time, count: 0, pages: 0, hosts: [], recent: [] };
          } else if (o.item.type === 'account' && o.item.url && !item.url) {
            item = { ...item, url: o.item.url, network: o.item.network ?? item.network };
          }
          item = { ...item, hosts: [...item.hosts], last: Math.max(item.last, page.time) };
          if (o.item.name && !item.name) item.name = o.item.name.slice(0, 512);
          if (newVisit) {
            item.count += 1;
            fresh.push(o.item.key);
          }
          if (newPage) item.pages += 1;
          addHost(item, page.host);
          addRecent(item, { url: page.page, title: page.title.slice(0, 300), host: page.host, time: page.time });
          sightings.put(s);
          items.put(item);
          summaries.set(item.key, summaryOf(item));
        }),
      );
      results.push({ summaries, fresh });
    };
    // In order, each entry after the one before: an item in two entries is read after the first one's write.
    await inTx(t, async () => {
      for (const { page, observations } of batch) await one(page, observations);
    });
    // Damaged records were replaced by this write; their old values go to
    // the quarantine (the write above already kept everything good).
    for (const [store, key, value, why] of damaged) await this.quarantineOnly(store, key, value, why).catch(() => {});
    return results;
  }

  /** Copies a damaged value to the quarantine (the record itself was already rewritten). @param {string} store @param {IDBValidKey} key @param {unknown} value @param {string} why */
  async quarantineOnly(store, key, value, why) {
    const t = await this.tx(['quarantine'], 'readwrite');
    const copy = safeClone(value);
    t.objectStore('quarantine').add({ store, key: safeClone(key), value: copy, why, kept: 'rewritten by a new sighting', time: this.now(), size: sizeOf(copy) });
    await done(t);
  }

  // ---- reading ---------------------------------------------------------------------------

  /** Summaries of items by key (missing ones absent). @param {string[]} keys */
  async summaries(keys) {
    const t = await this.tx(['items']);
    const store = t.objectStore('items');
    const got = await Promise.all(keys.map((k) => req(store.get(k))));
    const good = await this.checked('items', got.filter((v) => v !== undefined), checkItem, (v) => v.key);
    return new Map(good.map((i) => [i.key, summaryOf(i)]));
  }

  /** Every item, checked (the Sightings view and exports). */
  async allItems() {
    const t = await this.tx(['items']);
    const all = await req(t.objectStore('items').getAll());
    return this.checked('items', all, checkItem, (v) => v.key);
  }

  /**
   * The n items seen last, most recent first (the Sightings view's first
   * screen, before every item is read).
   * @param {number} n
   */
  async recentItems(n) {
    const t = await this.tx(['items']);
    const out = [];
    await new Promise((resolve, reject) => {
      const c = t.objectStore('items').index('last').openCursor(null, 'prev');
      c.onerror = () => reject(c.error);
      c.onsuccess = () => {
        const cur = c.result;
        if (!cur || out.length >= n) return resolve(undefined);
        out.push(cur.value);
        cur.continue();
      };
    });
    return this.checked('items', out, checkItem, (v) => v.key);
  }

  /** Items by key, checked (missing ones left out). @param {string[]} keys */
  async itemsByKey(keys) {
    const t = await this.tx(['items']);
    const store = t.objectStore('items');
    const got = await Promise.all(keys.map((k) => req(store.get(k))));
    return this.checked('items', got.filter((v) => v !== undefined), checkItem, (v) => v.key);
  }

  /** The sightings of one item, most recent first. @param {string} key */
  async sightingsOf(key) {
    const t = await this.tx(['sightings']);
    const all = await req(t.objectStore('sightings').index('item').getAll(key));
    const good = await this.checked('sightings', all, checkSighting, (v) => [v.item, v.page]);
    return good.sort((a, b) => b.last - a.last);
  }

  /** The sightings on one page (pageKey). @param {string} page */
  async sightingsOn(page) {
    const t = await this.tx(['sightings']);
    const all = await req(t.objectStore('sightings').index('page').getAll(page));
    return this.checked('sightings', all, checkSighting, (v) => [v.item, v.page]);
  }

  /** Every sighting, checked (exports). */
  async allSightings() {
    const t = await this.tx(['sightings']);
    const all = await req(t.objectStore('sightings').getAll());
    return this.checked('sightings', all, checkSighting, (v) => [v.item, v.page]);
  }

  /** How much is stored. */
  async counts() {
    const t = await this.tx(['items', 'sightings', 'watch', 'quarantine']);
    const [items, sightings, watch, quarantine] = await Promise.all(['items', 'sightings', 'watch', 'quarantine'].map((s) => req(t.objectStore(s).count())));
    return { items, sightings, watch, quarantine };
  }

  // ---- the watch-list -------------------------------------------------------------------------

  async watchList() {
    const t = await this.tx(['watch']);
    const all = await req(t.objectStore('watch').getAll());
    return this.checked('watch', all, checkWatch, (v) => v.key);
  }

  /**
   * Adds entries (an entry already there keeps its time and note).
   * @param {{key: string, type: string, kind: string, label: string, note?: string}[]} entries
   * @returns {Promise<number>} how many were new
   */
  async watchAdd(entries) {
    const t = await this.tx(['watch'], 'readwrite');
    const store = t.objectStore('watch');
    let added = 0;
    const now = this.now();
    await Promise.all(
      entries.map(async (e) => {
        const old = await req(store.get(e.key));
        if (old && checkWatch(old).ok) return;
        store.put({ v: 1, key: e.key, type: e.type, kind: e.kind, label: e.label.slice(0, 512), added: now, note: (e.note ?? '').slice(0, 1000) });
        added += 1;
      }),
    );
    await done(t);
    return added;
  }

  /** @param {string[]} keys */
  async watchRemove(keys) {
    const t = await this.tx(['watch'], 'readwrite');
    for (const k of keys) t.objectStore('watch').delete(k);
    await done(t);
  }

  // ---- bounds: compaction and retention --------------------------------------------------------

  /**
   * Folds sightings into their items' day counts, then rebuilds those items.
   * @param {any[]} list  sightings to fold
   */
  async fold(list) {
    /** @type {Map<string, any[]>} */
    const byItem = new Map();
    for (const s of list) {
      const l = byItem.get(s.item) ?? [];
      l.push(s);
      byItem.set(s.item, l);
    }
    for (const batch of chunks([...byItem], 200)) {
      const t = await this.tx(['items', 'sightings'], 'readwrite');
      const items = t.objectStore('items');
      const sightings = t.objectStore('sightings');
      await Promise.all(
        batch.map(async ([key, folded]) => {
          const raw = await req(items.get(key));
          const c = checkItem(raw);
          const base = c.ok ? c.value : c.keep;
          if (!base) return;
          const days = { ...(base.days ?? {}) };
          for (const s of folded) {
            const d = dayOf(s.last);
            const cur = days[d] ?? { n: 0, h: [] };
            days[d] = { n: cur.n + s.count, h: cur.h.includes(s.host) || cur.h.length >= 8 ? cur.h : [...cur.h, s.host] };
            sightings.delete([s.item, s.page]);
          }
          const gone = new Set(folded.map((s) => s.page));
          const rest = /** @type {any[]} */ (await req(sightings.index('item').getAll(key))).filter((s) => !gone.has(s.page) && checkSighting(s).ok);
          const item = rebuild({ ...base, days }, rest);
          if (item) items.put(item);
          else items.delete(key);
        }),
      );
      await done(t);
    }
  }

  /**
   * Keeps storage bounded: an item's pages beyond MAX_PAGES, and the oldest
   * sightings beyond MAX_SIGHTINGS, become day counts.
   * @param {{maxPages?: number, maxSightings?: number}} [limits]
   * @returns {Promise<number>} sightings folded
   */
  async compact(limits = {}) {
    const maxPages = limits.maxPages ?? MAX_PAGES;
    const maxSightings = limits.maxSightings ?? MAX_SIGHTINGS;
    const items = await this.allItems();
    const folded = [];
    for (const item of items) {
      if (item.pages <= maxPages) continue;
      const list = await this.sightingsOf(item.key);
      folded.push(...list.slice(maxPages));
    }
    const t = await this.tx(['sightings']);
    const need = (await req(t.objectStore('sightings').count())) - folded.length - maxSightings;
    if (need > 0) {
      const skip = new Set(folded.map((s) => `${s.item}\u0000${s.page}`));
      let added = 0;
      for (const s of await this.oldest(need + folded.length)) {
        if (added >= need) break;
        if (skip.has(`${s.item}\u0000${s.page}`)) continue;
        folded.push(s);
        added += 1;
      }
    }
    if (folded.length) await this.fold(folded);
    return folded.length;
  }

  /** The n oldest sightings by last time. @param {number} n */
  async oldest(n) {
    const t = await this.tx(['sightings']);
    const out = [];
    await new Promise((resolve, reject) => {
      const c = t.objectStore('sightings').index('last').openCursor();
      c.onerror = () => reject(c.error);
      c.onsuccess = () => {
        const cur = c.result;
        if (!cur || out.length >= n) return resolve(undefined);
        if (checkSighting(cur.value).ok) out.push(cur.value);
        cur.continue();
      };
    });
    return out;
  }

  /**
   * Removes what is older than the retention period: sightings, day
   * counts, and items left with nothing.
   * @param {number} [days]  the settings' when not given
   * @returns {Promise<{sightings: number, items: number}>}
   */
  async applyRetention(days) {
    const keepDays = days ?? (await this.settings()).retentionDays;
    const cutoff = this.now() - keepDays * DAY_MS;
    const cutoffDay = dayOf(cutoff);
    const ts = await this.tx(['sightings']);
    const old = /** @type {any[]} */ (await req(ts.objectStore('sightings').index('last').getAll(IDBKeyRange.upperBound(cutoff, true))));
    const t0 = await this.tx(['items']);
    const staleItems = /** @type {any[]} */ (await req(t0.objectStore('items').index('last').getAll(IDBKeyRange.upperBound(cutoff, true))));
    const withDays = (await this.allItems()).filter((i) => i.days && Object.keys(i.days).some((d) => d < cutoffDay));
    const affected = new Set([...old.map((s) => s.item), ...staleItems.map((i) => i.key), ...withDays.map((i) => i.key)]);
    let removedItems = 0;
    for (const batch of chunks([...affected], 200)) {
      const t = await this.tx(['items', 'sightings'], 'readwrite');
      const items = t.objectStore('items');
      const sightings = t.objectStore('sightings');
      await Promise.all(
        batch.map(async (key) => {
          const all = /** @type {any[]} */ (await req(sightings.index('item').getAll(key)));
          const keep = [];
          for (const s of all) {
            if (checkSighting(s).ok && s.last >= cutoff) keep.push(s);
            else if (!checkSighting(s).ok || s.last < cutoff) sightings.delete([s.item, s.page]);
          }
          const raw = await req(items.get(key));
          const c = checkItem(raw);
          const base = c.ok ? c.value : c.keep;
          if (!base) return;
          const daysKept = Object.fromEntries(Object.entries(base.days ?? {}).filter(([d]) => d >= cutoffDay));
          const item = rebuild({ ...base, days: daysKept }, keep);
          if (item) items.put(item);
          else {
            items.delete(key);
            removedItems += 1;
          }
        }),
      );
      await done(t);
    }
    return { sightings: old.length, items: removedItems };
  }

  /** Removes every sighting and item (and the quarantine); the watch-list, settings and hash key stay. */
  async clearAll() {
    const t = await this.tx(['items', 'sightings', 'quarantine'], 'readwrite');
    for (const s of ['items', 'sightings', 'quarantine']) t.objectStore(s).clear();
    await done(t);
  }

  // ---- bulk writes for the benchmark and tests -------------------------------------------------

  /**
   * Writes ready-made records in one transaction (the benchmark's fill).
   * @param {any[]} items
   * @param {any[]} sightings
   */
  async putRaw(items, sightings) {
    const t = await this.tx(['items', 'sightings'], 'readwrite');
    for (const i of items) t.objectStore('items').put(i);
    for (const s of sightings) t.objectStore('sightings').put(s);
    await done(t);
  }
}

/** @template T @param {T[]} list @param {number} n @returns {T[][]} */
function chunks(list, n) {
  const out = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

/** @param {import('./sighting-items.js').Item} i */
function identity(i) {
  return { v: 1, key: i.key, type: i.type, kind: i.kind, label: i.label, detail: i.detail ?? '', network: i.network ?? '', url: i.url ?? '', name: '' };
}

/** A copy that can be stored whatever the value is. @param {unknown} v */
function safeClone(v) {
  try {
    return structuredClone(v);
  } catch {
    return String(v);
  }
}

/** @param {unknown} v */
function sizeOf(v) {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}
