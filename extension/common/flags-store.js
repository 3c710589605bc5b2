// Where reviewer flags live: extension storage (storage.local, which survives
// browser restarts), one key per page, "flags:" + the normalised page URL
// (url.js), each holding that page's flags in order of creation. Writing one
// page's key per change keeps each write small.
//
// The storage is passed in (a seam: the background gives it storage.local,
// the unit tests a Map). Writes run one at a time, so two quick changes to
// the same page never overwrite each other. A failed write (a full quota)
// rejects with the storage's error and changes nothing: the caller keeps the
// flag and tells the reviewer.

import { normalizeUrl } from './url.js';
import { CATEGORY, flagProblem } from './flag-record.js';

/**
 * @typedef {import('./evidence.js').Flag} Flag
 * @typedef {{get: (keys: string|string[]|null) => Promise<Record<string, any>>,
 *            set: (items: Record<string, any>) => Promise<void>,
 *            remove: (keys: string|string[]) => Promise<void>}} Storage
 */

export const FLAG_PREFIX = 'flags:';
/** The reviewer's own categories, remembered for the form's suggestions. */
const CATEGORIES_KEY = 'flagCategories';
/** The category and severity the last flag was given: the next form starts there. */
const DEFAULTS_KEY = 'flagDefaults';
const MAX_CATEGORIES = 200;

/** The storage key of a page's flags. @param {string} url */
export function pageKey(url) {
  return FLAG_PREFIX + normalizeUrl(url);
}

/** Flags in a stable order: creation time, then id. @param {Flag} a @param {Flag} b */
export function byCreation(a, b) {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class FlagStore {
  /** @param {Storage} storage */
  constructor(storage) {
    this.storage = storage;
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

  /** A page's flags (stored ones that fail the checks are left out, not deleted). @param {string} url @returns {Promise<Flag[]>} */
  async page(url) {
    const key = pageKey(url);
    return valid((await this.storage.get(key))[key]);
  }

  /** Every page's flags. @returns {Promise<Flag[]>} */
  async all() {
    const items = await this.storage.get(null);
    const out = [];
    for (const [k, v] of Object.entries(items)) if (k.startsWith(FLAG_PREFIX)) out.push(...valid(v));
    return out.sort(byCreation);
  }

  /**
   * Adds a flag or replaces the one with its id (on its page).
   * @param {Flag} flag
   */
  save(flag) {
    return this.serial(async () => {
      const key = pageKey(flag.url);
      const list = valid((await this.storage.get(key))[key]);
      const i = list.findIndex((f) => f.id === flag.id);
      if (i >= 0) list[i] = flag;
      else list.push(flag);
      list.sort(byCreation);
      await this.storage.set({ [key]: list });
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
      const list = valid((await this.storage.get(key))[key]);
      const gone = list.find((f) => f.id === id) ?? null;
      if (!gone) return null;
      const rest = list.filter((f) => f.id !== id);
      if (rest.length) await this.storage.set({ [key]: rest });
      else await this.storage.remove(key);
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
      const stored = await this.storage.get([...byKey.keys()]);
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
      if (Object.keys(writes).length) await this.storage.set(writes);
      return { added, updated, unchanged, keys: Object.keys(writes) };
    });
  }

  /** The reviewer's own categories. @returns {Promise<string[]>} */
  async categories() {
    const v = (await this.storage.get(CATEGORIES_KEY))[CATEGORIES_KEY];
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
      const items = await this.storage.get([CATEGORIES_KEY, DEFAULTS_KEY]);
      /** @type {Record<string, any>} */
      const writes = {};
      const own = Array.isArray(items[CATEGORIES_KEY]) ? items[CATEGORIES_KEY] : [];
      if (!known.includes(category) && !own.includes(category)) writes[CATEGORIES_KEY] = [...own, category].slice(-MAX_CATEGORIES);
      const d = items[DEFAULTS_KEY];
      if (!d || d.category !== category || d.severity !== severity) writes[DEFAULTS_KEY] = { category, severity };
      if (Object.keys(writes).length) await this.storage.set(writes);
    });
  }

  /** The next form's starting category and severity, if any. @returns {Promise<{category: string, severity: string}|null>} */
  async defaults() {
    const d = (await this.storage.get(DEFAULTS_KEY))[DEFAULTS_KEY];
    return d && typeof d.category === 'string' && typeof d.severity === 'string' ? { category: d.category, severity: d.severity } : null;
  }
}

/** @param {unknown} v @returns {Flag[]} */
function valid(v) {
  return Array.isArray(v) ? v.filter((f) => flagProblem(f) === null) : [];
}
