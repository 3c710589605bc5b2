// Where reviewer flags live: extension storage (storage.local, which survives
// browser restarts), one key per page, "flags:" + the normalised page URL
// (url.js), each holding that page's flags in order of creation. Writing one
// page's key per change keeps each write small.
//
// The storage is passed in (a seam: the background gives it storage.local,
// the unit tests a Map), and every read and write goes through stored.js's
// Records: a page whose value is damaged has it moved aside with its good
// flags kept, so a save on that page never writes over a flag it could not
// read. Writes run one at a time, so two quick changes to the same page never
// overwrite each other. A failed write (a full quota) rejects with the
// storage's error and changes nothing: the caller keeps the flag and tells
// the reviewer.

import { normalizeUrl } from './url.js';
import { CATEGORY, flagProblem } from './flag-record.js';
import { Records } from './stored.js';
import { CATEGORIES_KEY, DEFAULTS_KEY, FLAG_PREFIX, KINDS, MAX_CATEGORIES } from './records.js';

/**
 * @typedef {import('./evidence.js').Flag} Flag
 * @typedef {{get: (keys: string|string[]|null) => Promise<Record<string, any>>,
 *            set: (items: Record<string, any>) => Promise<void>,
 *            remove: (keys: string|string[]) => Promise<void>}} Storage
 */

// flagCategories: the reviewer's own categories, remembered for the form's
// suggestions; flagDefaults: the category and severity the last flag was
// given, where the next form starts.
export { FLAG_PREFIX };

/** The storage key of a page's flags. @param {string} url */
export function pageKey(url) {
  return FLAG_PREFIX + normalizeUrl(url);
}

/** Flags in a stable order: creation time, then id. @param {Flag} a @param {Flag} b */
export function byCreation(a, b) {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class FlagStore {
  /**
   * @param {Storage} storage
   * @param {Records} [records]  the background's (shared by every store); else one of its own
   */
  constructor(storage, records = new Records(storage, KINDS)) {
    this.storage = storage;
    this.records = records;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
  }

  /**
   * Runs a change after the ones before it.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  serial(fn) {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => {});
    return p;
  }

  /** A page's flags (damaged ones are moved aside, never deleted). @param {string} url @returns {Promise<Flag[]>} */
  async page(url) {
    await this.records.ready();
    return valid(await this.records.read(pageKey(url)));
  }

  /** Every page's flags. @returns {Promise<Flag[]>} */
  async all() {
    await this.records.ready();
    const items = await this.records.readMany(null, FLAG_PREFIX);
    const out = [];
    for (const v of Object.values(items)) out.push(...valid(v));
    return out.sort(byCreation);
  }

  /**
   * Adds a flag or replaces the one with its id (on its page).
   * @param {Flag} flag
   */
  save(flag) {
    return this.serial(async () => {
      const key = pageKey(flag.url);
      await this.records.ready();
      const list = valid(await this.records.read(key));
      const i = list.findIndex((f) => f.id === flag.id);
      if (i >= 0) list[i] = flag;
      else list.push(flag);
      list.sort(byCreation);
      await this.records.set({ [key]: list });
      return flag;
    });
  }

  /**
   * Removes a flag; resolves with it (null if it was not there).
   * @param {string} url
   * @param {string} id
   * @returns {Promise<Flag|null>}
   */
  remove(url, id) {
    return this.serial(async () => {
      const key = pageKey(url);
      await this.records.ready();
      const list = valid(await this.records.read(key));
      const gone = list.find((f) => f.id === id) ?? null;
      if (!gone) return null;
      const rest = list.filter((f) => f.id !== id);
      if (rest.length) await this.records.set({ [key]: rest });
      else await this.records.remove(key);
      return gone;
    });
  }

  /**
   * Merges flags (an import): a flag not stored is added; one stored with an
   * older `modified` is replaced; anything else stays as it is. So importing
   * an export again changes nothing.
   * @param {Flag[]} flags
   * @returns {Promise<{added: number, updated: number, unchanged: number, keys: string[]}>}
   */
  merge(flags) {
    return this.serial(async () => {
      /** @type {Map<string, Flag[]>} */
      const byKey = new Map();
      for (const f of flags) {
        const key = pageKey(f.url);
        let l = byKey.get(key);
        if (!l) byKey.set(key, (l = []));
        l.push(f);
      }
      await this.records.ready();
      const stored = await this.records.readMany([...byKey.keys()]);
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      /** @type {Record<string, Flag[]>} */
      const writes = {};
      for (const [key, incoming] of byKey) {
        const list = valid(stored[key]);
        let touched = false;
        for (const f of incoming) {
          const i = list.findIndex((x) => x.id === f.id);
          if (i < 0) {
            list.push(f);
            added += 1;
            touched = true;
          } else if (f.modified > list[i].modified) {
            list[i] = f;
            updated += 1;
            touched = true;
          } else unchanged += 1;
        }
        if (touched) writes[key] = list.sort(byCreation);
      }
      if (Object.keys(writes).length) await this.records.set(writes);
      return { added, updated, unchanged, keys: Object.keys(writes) };
    });
  }

  /** The reviewer's own categories. @returns {Promise<string[]>} */
  async categories() {
    await this.records.ready();
    const v = await this.records.read(CATEGORIES_KEY);
    return Array.isArray(v) ? v.filter((c) => typeof c === 'string' && CATEGORY.test(c)) : [];
  }

  /**
   * Remembers a category the reviewer used (unless it is one of `known`) and
   * the category and severity as the next form's defaults. Failing to
   * remember (a full quota) is not an error for the flag itself.
   * @param {string} category
   * @param {string} severity
   * @param {string[]} known  the packs' categories
   */
  remember(category, severity, known) {
    return this.serial(async () => {
      await this.records.ready();
      const items = await this.records.readMany([CATEGORIES_KEY, DEFAULTS_KEY]);
      /** @type {Record<string, any>} */
      const writes = {};
      const own = Array.isArray(items[CATEGORIES_KEY]) ? items[CATEGORIES_KEY] : [];
      if (!known.includes(category) && !own.includes(category)) writes[CATEGORIES_KEY] = [...own, category].slice(-MAX_CATEGORIES);
      const d = items[DEFAULTS_KEY];
      if (!d || d.category !== category || d.severity !== severity) writes[DEFAULTS_KEY] = { category, severity };
      if (Object.keys(writes).length) await this.records.set(writes);
    });
  }

  /** The next form's starting category and severity, if any. @returns {Promise<{category: string, severity: string}|null>} */
  async defaults() {
    await this.records.ready();
    const d = await this.records.read(DEFAULTS_KEY);
    return d && typeof d.category === 'string' && typeof d.severity === 'string' ? { category: d.category, severity: d.severity } : null;
  }
}

/** @param {unknown} v @returns {Flag[]} */
function valid(v) {
  return Array.isArray(v) ? v.filter((f) => flagProblem(f) === null) : [];
}
