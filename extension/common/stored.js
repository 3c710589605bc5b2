// Stored records: what a good value of each kind looks like, what happens to
// one that is not, and writes that survive a stopped service worker.
//
// Every store (packs, flags, site lists, model settings; later sightings and
// captures) keeps its values in storage.local under its own keys. This module
// is the one place that reads and writes them for the stores:
//
// - A *kind* says which keys are its (`match`), what a good value is
//   (`check`, returning the good parts of a bad value), and the `version` of
//   the format this code writes. A value without a version field is version 1;
//   a value that says it is newer than the code (an extension downgrade) is
//   never rewritten: it is left in place, unused, and reported.
// - A bad value is *moved aside*, never deleted and never overwritten by a
//   default: first it is copied, whole, to a quarantine key
//   `corrupt:<key>:<time>` with what was wrong and what was kept, then the
//   key gets the good parts (or goes, when nothing was usable). Both steps can
//   be repeated: a worker stopped between them finds the same bad value at
//   its next start and, seeing the identical copy, only finishes the move.
//   When even the copy cannot be written (a full storage), the value stays
//   where it is and the key is *held*: writes to it are refused until the
//   moderator exports or discards it.
// - Problems are the quarantine records (plus held keys), listed with their
//   key, kind, time, reason and what was kept; the options page exports one
//   as JSON or discards it after a confirmation. Nothing is discarded here.
// - A change that spans several keys goes through `write(journal, ...)`:
//   new data under keys that did not exist (a pack body under a new key), then
//   the small value that makes it current (the index) in one `set`, then the
//   old keys go. A journal key written first names all three, so the start-up
//   check finishes what was interrupted (every new key there: the change is
//   applied) or undoes it (some missing: the new keys go). A worker stopped
//   between any two calls leaves the old state or the new one, both valid.
//   One `set` of one key is the unit the browser writes whole.
//
// Using it for a new store (sightings, captures): define a kind for each key
// pattern (`match`, `check`, `version`, `label` a message key for its name in
// the options page), add it to the kinds the background's Records is made
// with (background/storage.js), read through `records.read` / `readMany`
// after `records.ready()`, and write through `records.set` or, for changes
// over several keys, `records.write(journalKey, {data, commit, garbage})`
// with data keys that are new for every change (a revision in the key). Keep
// one writer per store in the background. A kind's `check` is synchronous and
// cheap (it runs on every key at every start); deeper checks (a pack through
// the engine) belong to the store, which reports what fails with `moveAside`.
//
// The storage is a seam (storage.local in the extension, a Map in tests):
// get(null|key|keys), set(items), remove(keys). A store kept in IndexedDB
// (sightings) can have a Records of its own over an adapter with those three
// calls on its object store (one IndexedDB transaction per `set`), or check
// its records with its kinds itself and report each bad one to the
// background's Records with `moveAside(key, value, verdict, {leave: true})`:
// the whole value is copied to storage.local's quarantine (so the options
// page lists it with the rest) and nothing is written under `key` there;
// the store puts the good parts back in its own database.

/**
 * @typedef {{get: (keys: string|string[]|null) => Promise<Record<string, any>>,
 *            set: (items: Record<string, any>) => Promise<void>,
 *            remove: (keys: string|string[]) => Promise<void>}} Storage
 *
 * A message for people: a message key and its substitutions, each a string,
 * a number or a message of its own (translated where it is shown).
 * @typedef {[string, ...any[]]} Msg
 *
 * @typedef {{ok: true} | {ok: false, why: Msg, kept: Msg, keep?: unknown}} Verdict
 *   keep: the good parts, written back under the key; undefined: nothing was
 *   usable and the key goes (the store uses its default).
 *
 * @typedef {object} Kind
 * @property {string} name                      stored in quarantine records
 * @property {string} label                     message key: what it is, for people
 * @property {number} version                   the format this code writes
 * @property {(key: string) => boolean} match
 * @property {(value: unknown, key: string) => Verdict} check
 * @property {(value: unknown) => number} [versionOf]  default: `value.v` when a number, else 1
 *
 * @typedef {object} Problem
 * @property {string} id        the quarantine key, or "held:" + the key
 * @property {string} key       where the value was
 * @property {string} kind
 * @property {string} label     message key
 * @property {number} time      when it was found
 * @property {Msg} why
 * @property {Msg} kept
 * @property {number} size      characters of its JSON
 * @property {boolean} held     left in place (could not be moved aside, or from a newer version)
 */

export const QUARANTINE_PREFIX = 'corrupt:';
export const JOURNAL_PREFIX = 'tx:';
/** Longest the start-up check runs before it lets other work in. */
const SLICE_MS = 8;
/** Keys the start-up check reads at a time (where the browser can list keys alone). */
const READ_BATCH = 200;

/** A write to a key whose damaged value is still in place. */
export class StorageHeld extends Error {
  /** @param {string} key @param {string} message */
  constructor(key, message) {
    super(message);
    this.key = key;
  }
}

/** @param {string} key @param {...any} args @returns {Msg} */
export function msg(key, ...args) {
  return [key, ...args];
}

/** The message key naming a value's type ("a list", "text", ...). @param {unknown} v */
export function typeName(v) {
  if (v === null || v === undefined) return msg('storage_type_nothing');
  if (Array.isArray(v)) return msg('storage_type_list');
  if (typeof v === 'string') return msg('storage_type_text');
  if (typeof v === 'number') return msg('storage_type_number');
  if (typeof v === 'boolean') return msg('storage_type_yesno');
  return msg('storage_type_record');
}

/** @param {unknown} v @returns {v is Record<string, any>} */
export function isRecord(v) {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A verdict for a value of the wrong type: nothing kept, the default used.
 * @param {unknown} v
 * @param {Msg} expected   typeName of what it should be
 * @param {Msg} fallback   what is used instead
 * @returns {Verdict}
 */
export function wrongType(v, expected, fallback) {
  return { ok: false, why: msg('storage_why_type', expected, typeName(v)), kept: msg('storage_kept_default', fallback), keep: undefined };
}

/**
 * Whether two JSON values are equal, whatever the order of their keys.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function sameValue(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

/**
 * A kind for a value a store normalises when it reads it (a settings object
 * whose bad fields fall back one by one): good when normalising changes
 * none of the fields it has (a missing field takes its default, which loses
 * nothing); the normalised value is what is kept. Fields the normaliser does
 * not return are left alone (a later version may add some).
 * @param {{name: string, label: string, key: string, normalise: (v: unknown) => Record<string, unknown>, fallback: Msg}} o
 * @returns {Kind}
 */
export function normalisedKind(o) {
  return {
    name: o.name,
    label: o.label,
    version: 1,
    match: (k) => k === o.key,
    check(v) {
      if (!isRecord(v)) return wrongType(v, msg('storage_type_record'), o.fallback);
      const n = o.normalise(v);
      const bad = Object.keys(n).filter((f) => v[f] !== undefined && !sameValue(n[f], v[f]));
      if (!bad.length) return { ok: true };
      /** @type {Record<string, unknown>} */
      const keep = { ...v };
      for (const f of bad) keep[f] = n[f];
      return { ok: false, why: msg('storage_why_fields', bad.join(', ')), kept: msg('storage_kept_fields'), keep };
    },
  };
}

/** @param {unknown} v */
function sizeOf(v) {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** @param {unknown} e */
function errText(e) {
  return String(/** @type {any} */ (e)?.message ?? e);
}

export class Records {
  /**
   * @param {Storage} storage
   * @param {Kind[]} kinds
   * @param {{now?: () => number}} [opts]
   */
  constructor(storage, kinds, opts = {}) {
    this.storage = storage;
    this.kinds = kinds;
    this.now = opts.now ?? Date.now;
    /** Keys whose damaged value stays in place, with its problem. @type {Map<string, Problem>} */
    this.held = new Map();
    /** What the stores use meanwhile for a held key (its good parts; none for a newer format). @type {Map<string, unknown>} */
    this.heldUse = new Map();
    /** What was moved aside since the worker started, by key: the raw value (for stores that rebuild from it). @type {Map<string, unknown>} */
    this.found = new Map();
    /** Journals whose cleanup failed in this worker: finished before the next write. @type {Set<string>} */
    this.lingering = new Set();
    /** Every write, one at a time. @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** @type {Promise<Record<string, any>>|null} */
    this.started = null;
  }

  /** @param {string} key @returns {Kind|null} */
  kindOf(key) {
    if (key.startsWith(QUARANTINE_PREFIX) || key.startsWith(JOURNAL_PREFIX)) return null;
    return this.kinds.find((k) => k.match(key)) ?? null;
  }

  /**
   * Runs a write after the ones before it.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  serial(fn) {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => {});
    return p;
  }

  /**
   * The start-up check, run once. A store that must not wait for all of it
   * (the packs, on the way to the first highlight) reads its own keys with
   * `readMany`, which checks them as it reads; the check and such reads
   * take turns for every write, so a bad value is moved aside once.
   */
  ready() {
    if (!this.started) {
      this.started = this.check().catch((e) => {
        console.error('flaglight: the storage check failed', errText(e));
        this.started = null;
        throw e;
      });
    }
    return this.started;
  }

  /**
   * The start-up check: interrupted changes finished or undone, every value
   * of a known kind checked, the bad ones moved aside. The values are read
   * in batches of READ_BATCH keys, not all at once: one read of everything
   * (10,000 flags are megabytes) is one long task in the worker that a
   * scan would wait behind. Resolves with the checked values of the known
   * kinds and the quarantine records (what the stores will read).
   */
  check() {
    return this.serial(async () => {
      let listing = await this.#listing();
      const journals = listing.keys.filter((k) => k.startsWith(JOURNAL_PREFIX));
      for (const key of journals) await this.recover(key, null);
      if (journals.length) listing = await this.#listing();
      // The quarantine records: where `quarantine` finds an earlier copy of a value.
      const side = listing.keys.filter((k) => k.startsWith(QUARANTINE_PREFIX));
      /** @type {Record<string, any>} */
      const items = listing.values ? Object.fromEntries(side.map((k) => [k, listing.values?.[k]])) : side.length ? await this.storage.get(side) : {};
      const todo = listing.keys.filter((k) => this.kindOf(k));
      let slice = Date.now();
      for (let i = 0; i < todo.length; i += READ_BATCH) {
        const batch = todo.slice(i, i + READ_BATCH);
        const got = listing.values ?? (await this.storage.get(batch));
        for (const key of batch) {
          if (!Object.hasOwn(got, key)) continue;
          // Thousands of flags take tens of milliseconds to check: let other work (a scan) in between.
          if (Date.now() - slice > SLICE_MS) {
            await new Promise((r) => setTimeout(r, 0));
            slice = Date.now();
          }
          const kind = /** @type {Kind} */ (this.kindOf(key));
          const r = await this.judge(kind, key, got[key], items);
          if (r.value !== undefined) items[key] = r.value;
        }
      }
      return items;
    });
  }

  /**
   * Every key stored; with the values only where the browser cannot list
   * keys alone (then they are read anyway).
   * @returns {Promise<{keys: string[], values: Record<string, any>|null}>}
   */
  async #listing() {
    const s = /** @type {any} */ (this.storage);
    if (typeof s.getKeys === 'function') {
      try {
        return { keys: await s.getKeys(), values: null };
      } catch {
        // an older browser: read everything
      }
    }
    const values = await this.storage.get(null);
    return { keys: Object.keys(values), values };
  }

  /** Every key stored (without reading the values where the browser allows). @returns {Promise<string[]>} */
  async keys() {
    return (await this.#listing()).keys;
  }

  /** Finishes or undoes an interrupted change now (the start-up check does it too). @param {string} journal */
  async finish(journal) {
    // Without one (the usual case), no turn in the queue: the start-up check may be running.
    if ((await this.storage.get(journal))[journal] === undefined) return;
    await this.serial(() => this.recover(journal, null));
  }

  /**
   * Checks one value; a bad one is moved aside (or held). Runs inside `serial`.
   * @param {Kind} kind
   * @param {string} key
   * @param {unknown} value
   * @param {Record<string, any>|null} items  everything stored, when known (finds earlier copies without a read)
   * @returns {Promise<{value: unknown, moved: boolean}>}  value: what the store should use (undefined: its default)
   */
  async judge(kind, key, value, items) {
    const version = kind.versionOf ? kind.versionOf(value) : isRecord(value) && typeof value.v === 'number' ? value.v : 1;
    if (version > kind.version) {
      this.hold(kind, key, value, msg('storage_why_newer', version, kind.version), msg('storage_kept_in_place'));
      return { value: undefined, moved: false };
    }
    let verdict;
    try {
      verdict = kind.check(value, key);
    } catch (e) {
      verdict = { ok: false, why: msg('storage_why_detail', errText(e)), kept: msg('storage_kept_nothing'), keep: undefined };
    }
    if (verdict.ok) return { value, moved: false };
    const moved = await this.quarantine(kind, key, value, verdict, items);
    if (moved) this.found.set(key, value);
    return { value: verdict.keep, moved };
  }

  /**
   * Copies a bad value to a quarantine key, then puts the good parts (or
   * nothing) in its place. Runs inside `serial`. Returns whether it moved.
   * @param {Kind} kind
   * @param {string} key
   * @param {unknown} value
   * @param {{why: Msg, kept: Msg, keep?: unknown}} verdict
   * @param {Record<string, any>|null} items
   * @param {{extra?: object, leave?: boolean}} [opts]  extra: more for the record (a pack's list
   *   entry); leave: only copy, the store removes the key itself (after its index no longer names it)
   */
  async quarantine(kind, key, value, verdict, items, opts = {}) {
    const prefix = `${QUARANTINE_PREFIX}${key}:`;
    const all = items ?? (await this.storage.get(null));
    const copy = Object.entries(all).find(([k, r]) => k.startsWith(prefix) && isRecord(r) && r.key === key && same(r.value, value));
    if (!copy) {
      let time = this.now();
      while (Object.hasOwn(all, prefix + time)) time += 1;
      const record = { ...opts.extra, v: 1, key, kind: kind.name, label: kind.label, time, why: verdict.why, kept: verdict.kept, size: sizeOf(value), value };
      try {
        await this.storage.set({ [prefix + time]: record });
      } catch (e) {
        console.error('flaglight: could not move aside', key, errText(e));
        this.hold(kind, key, value, verdict.why, msg('storage_kept_in_place_full', errText(e)));
        if (verdict.keep !== undefined) this.heldUse.set(key, verdict.keep);
        return false;
      }
      if (items) items[prefix + time] = record;
    }
    if (opts.leave) return true;
    try {
      if (verdict.keep === undefined) await this.storage.remove(key);
      else await this.storage.set({ [key]: verdict.keep });
    } catch (e) {
      // The copy is safe; the next start finishes the move.
      console.warn('flaglight: could not replace', key, errText(e));
    }
    console.warn('flaglight: moved aside a damaged value of', key);
    return true;
  }

  /** @param {Kind} kind @param {string} key @param {unknown} value @param {Msg} why @param {Msg} kept */
  hold(kind, key, value, why, kept) {
    this.held.set(key, { id: `held:${key}`, key, kind: kind.name, label: kind.label, time: this.now(), why, kept, size: sizeOf(value), held: true });
  }

  /**
   * Moves aside a value a store found bad by a deeper check than its kind's
   * (a pack text the engine refuses).
   * @param {string} key
   * @param {unknown} value
   * @param {{why: Msg, kept: Msg, keep?: unknown}} verdict
   * @param {{extra?: object, leave?: boolean}} [opts]  see quarantine
   */
  moveAside(key, value, verdict, opts) {
    const kind = this.kindOf(key) ?? { name: 'unknown', label: 'storage_kind_unknown', version: 1, match: () => false, check: () => ({ ok: true }) };
    return this.serial(() => this.quarantine(kind, key, value, verdict, null, opts));
  }

  /**
   * A value as its store should use it: checked, a bad one moved aside (its
   * good parts returned). undefined when there is none.
   * @param {string} key
   */
  async read(key) {
    return (await this.readMany([key]))[key];
  }

  /**
   * Several values, or every value whose key starts with `prefix` (null keys).
   * @param {string[]|null} keys
   * @param {string} [prefix]
   * @returns {Promise<Record<string, any>>}
   */
  async readMany(keys, prefix = '') {
    const got = await this.storage.get(keys);
    /** @type {Record<string, any>} */
    const out = {};
    for (const [key, value] of Object.entries(got)) {
      if (keys === null && !key.startsWith(prefix)) continue;
      if (this.held.has(key)) {
        if (this.heldUse.has(key)) out[key] = structuredClone(this.heldUse.get(key));
        continue;
      }
      const kind = this.kindOf(key);
      if (!kind) {
        if (!key.startsWith(QUARANTINE_PREFIX) && !key.startsWith(JOURNAL_PREFIX)) out[key] = value;
        continue;
      }
      if (this.#good(kind, key, value)) {
        out[key] = value;
        continue;
      }
      // Damaged since the start: move it aside with the writes, reading it again there.
      const v = await this.serial(async () => {
        const now = (await this.storage.get(key))[key];
        if (now === undefined) return undefined;
        return (await this.judge(kind, key, now, null)).value;
      });
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** @param {Kind} kind @param {string} key @param {unknown} value */
  #good(kind, key, value) {
    const version = kind.versionOf ? kind.versionOf(value) : isRecord(value) && typeof value.v === 'number' ? value.v : 1;
    if (version > kind.version) return false;
    try {
      return kind.check(value, key).ok;
    } catch {
      return false;
    }
  }

  /** @param {string[]} keys */
  #writable(keys) {
    for (const k of keys) {
      const h = this.held.get(k);
      if (h) throw new StorageHeld(k, `the stored value of ${k} is damaged and could not be moved aside; export or discard it in the options page (Storage) first`);
    }
  }

  /** Writes values (one `set`). @param {Record<string, unknown>} items */
  set(items) {
    return this.serial(async () => {
      this.#writable(Object.keys(items));
      await this.storage.set(items);
    });
  }

  /** @param {string|string[]} keys */
  remove(keys) {
    const list = Array.isArray(keys) ? keys : [keys];
    return this.serial(async () => {
      this.#writable(list);
      await this.storage.remove(list);
    });
  }

  /**
   * A change over several keys that a stopped worker cannot leave half done.
   * Throws the storage's error (a full quota) with nothing changed.
   * @param {string} journal   the store's journal key ("tx:packs")
   * @param {{data?: Record<string, unknown>, commit: Record<string, unknown>, garbage?: string[]}} change
   *   data: values under keys that do not exist yet; commit: what makes them
   *   current, written in one `set`; garbage: keys the new state no longer uses
   */
  write(journal, change) {
    const data = change.data ?? {};
    const garbage = change.garbage ?? [];
    return this.serial(async () => {
      this.#writable([...Object.keys(data), ...Object.keys(change.commit), ...garbage]);
      if (this.lingering.has(journal)) await this.recover(journal, null);
      const keys = Object.keys(data);
      if (!keys.length && !garbage.length) {
        await this.storage.set(change.commit);
        return;
      }
      await this.storage.set({ [journal]: { v: 1, time: this.now(), data: keys, commit: change.commit, garbage } });
      try {
        for (const k of keys) await this.storage.set({ [k]: data[k] });
        await this.storage.set(change.commit);
      } catch (e) {
        try {
          await this.storage.remove([...keys, journal]);
        } catch {
          this.lingering.add(journal);
        }
        throw e;
      }
      try {
        if (garbage.length) await this.storage.remove(garbage);
        await this.storage.remove(journal);
      } catch (e) {
        console.warn('flaglight: could not finish', journal, errText(e));
        this.lingering.add(journal);
      }
    });
  }

  /**
   * Finishes (every new key there) or undoes (some missing) an interrupted
   * change. Runs inside `serial`. `items` (everything stored, when the
   * start-up check has it) is kept up to date.
   * @param {string} journal
   * @param {Record<string, any>|null} items
   */
  async recover(journal, items) {
    const tx = items ? items[journal] : (await this.storage.get(journal))[journal];
    if (tx === undefined) {
      this.lingering.delete(journal);
      return;
    }
    const ok = isRecord(tx) && Array.isArray(tx.data) && tx.data.every((k) => typeof k === 'string') && isRecord(tx.commit) && Array.isArray(tx.garbage) && tx.garbage.every((k) => typeof k === 'string');
    if (!ok) {
      const kind = { name: 'journal', label: 'storage_kind_journal', version: 1, match: () => false, check: () => ({ ok: true }) };
      await this.quarantine(/** @type {Kind} */ (kind), journal, tx, { why: msg('storage_why_journal'), kept: msg('storage_kept_journal') }, items);
      if (items) delete items[journal];
      this.lingering.delete(journal);
      return;
    }
    const have = items ?? (await this.storage.get(tx.data));
    const complete = tx.data.every((/** @type {string} */ k) => Object.hasOwn(have, k));
    if (complete) {
      await this.storage.set(tx.commit);
      if (tx.garbage.length) await this.storage.remove(tx.garbage);
      if (items) {
        Object.assign(items, tx.commit);
        for (const k of tx.garbage) delete items[k];
      }
    } else {
      const present = tx.data.filter((/** @type {string} */ k) => Object.hasOwn(have, k));
      if (present.length) await this.storage.remove(present);
      if (items) for (const k of present) delete items[k];
    }
    await this.storage.remove(journal);
    if (items) delete items[journal];
    this.lingering.delete(journal);
    console.warn(`flaglight: ${complete ? 'finished' : 'undid'} an interrupted change (${journal})`);
  }

  // ---- what the options page shows and does ------------------------------------------

  /** Every problem: moved-aside values, newest first, and the held ones. @returns {Promise<Problem[]>} */
  async problems() {
    const all = await this.#quarantined();
    /** @type {Problem[]} */
    const out = [];
    for (const [id, r] of Object.entries(all)) {
      const rec = isRecord(r) ? r : {};
      out.push({
        id,
        key: typeof rec.key === 'string' ? rec.key : id.slice(QUARANTINE_PREFIX.length),
        kind: typeof rec.kind === 'string' ? rec.kind : 'unknown',
        label: typeof rec.label === 'string' && /^storage_kind_[a-zA-Z]+$/.test(rec.label) ? rec.label : 'storage_kind_unknown',
        time: typeof rec.time === 'number' ? rec.time : 0,
        why: Array.isArray(rec.why) && typeof rec.why[0] === 'string' ? /** @type {Msg} */ (rec.why) : msg('storage_why_unknown'),
        kept: Array.isArray(rec.kept) && typeof rec.kept[0] === 'string' ? /** @type {Msg} */ (rec.kept) : msg('storage_kept_nothing'),
        size: typeof rec.size === 'number' ? rec.size : sizeOf(rec.value),
        held: false,
      });
    }
    out.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
    return [...out, ...this.held.values()];
  }

  /** The quarantine records (whole). */
  async #quarantined() {
    const keys = (await this.keys()).filter((k) => k.startsWith(QUARANTINE_PREFIX));
    return keys.length ? this.storage.get(keys) : {};
  }

  /**
   * A damaged value as a file: a text value as it was (a pack's JSON, to be
   * repaired in an editor), anything else as indented JSON.
   * @param {string} id
   * @returns {Promise<{fileName: string, text: string}|null>}
   */
  async exportProblem(id) {
    let key;
    let value;
    if (id.startsWith('held:')) {
      key = id.slice(5);
      if (!this.held.has(key)) return null;
      value = (await this.storage.get(key))[key];
    } else {
      if (!id.startsWith(QUARANTINE_PREFIX)) return null;
      const r = (await this.storage.get(id))[id];
      if (r === undefined) return null;
      key = isRecord(r) && typeof r.key === 'string' ? r.key : id;
      value = isRecord(r) && 'value' in r ? r.value : r;
    }
    const text = typeof value === 'string' ? value : `${JSON.stringify(value ?? null, null, 2)}\n`;
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const name = key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'value';
    return { fileName: `flaglight-damaged-${name}-${stamp}.json`, text };
  }

  /**
   * Discards a problem for good: a quarantine record, or a held value (then
   * its store's default applies). The moderator confirmed it.
   * @param {string} id
   */
  discard(id) {
    return this.serial(async () => {
      if (id.startsWith('held:')) {
        const key = id.slice(5);
        if (!this.held.has(key)) return false;
        await this.storage.remove(key);
        this.held.delete(key);
        this.heldUse.delete(key);
        return true;
      }
      if (!id.startsWith(QUARANTINE_PREFIX)) return false;
      if ((await this.storage.get(id))[id] === undefined) return false;
      await this.storage.remove(id);
      return true;
    });
  }
}
