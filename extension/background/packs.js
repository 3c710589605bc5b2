// The pack store: which rule packs exist, which are on, and the last good
// version of each.
//
// - Built-in packs come from the extension package (packs/index.json). They
//   can be switched off, never altered: their text is always the shipped file.
// - The moderator's own packs (written in the options page, or imported from a
//   file) and subscribed packs (downloaded from a URL) live in storage.local,
//   one key per pack text plus one index ("packIndex"), so storing one pack
//   never rewrites the others and a full storage names the pack that did not
//   fit. Each version of a pack's text gets a key of its own
//   ("pack:ID@REVISION"; "pack:ID" from before), named by its index entry:
//   a change writes the new text first, then the index that points to it,
//   then removes the old text, with a journal (common/stored.js), so a
//   service worker stopped between any two writes leaves the old packs or the
//   new ones, never an index pointing at a text that is not there.
// - When the store loads, every pack text is checked by the engine's
//   validator: a damaged one is moved aside (reported in the options page),
//   the others stay in use; a damaged subscription is downloaded again, and
//   a pack whose index entry was damaged is rebuilt from its text.
// - A user pack may not take the id of a built-in pack: it is refused with a
//   message saying so (the moderator can switch the built-in pack off and use
//   another id). Shadowing was rejected because a pack that silently replaced a
//   built-in one would look, in the list and in every finding, like the
//   shipped pack.
//
// Every change (enable, save, import, update, remove) is compiled together with
// every other enabled pack BEFORE it is stored: if the set does not compile,
// nothing is stored and the engine in use stays. When it compiles, the new
// engine is handed to background.js, which sends its rules to every open tab;
// the tabs rescan. Changes run one at a time.

import { api } from '../common/api.js';
import { validate_pack } from '../pkg/flaglight.js';
import { checkPack } from '../common/pack-check.js';
import { builtinPacks, loadWasm } from './engine-host.js';
import { clampInterval, download, originPattern } from './subscriptions.js';
import { isAuto, isBuiltin } from './sites.js';
import { pickText, plural, t } from '../common/i18n.js';
import { packNames } from '../common/pack-text.js';
import { PACK_INDEX_KEY, PACK_TEXT_PREFIX, subscriptionProblem } from '../common/records.js';
import { isRecord, msg, typeName } from '../common/stored.js';
import { checkedBy, records } from './storage.js';

const INDEX_KEY = PACK_INDEX_KEY;
const TEXT_PREFIX = PACK_TEXT_PREFIX;
/** The pack store's journal (common/stored.js `write`). */
const TX_KEY = 'tx:packs';
const ALARM_PREFIX = 'pack-update:';
/** Fewest minutes between start-up and an overdue update (the browser was closed when it was due). */
const OVERDUE_DELAY_MS = 60_000;

/**
 * @typedef {{source: string, json: string}} PackSource
 *
 * @typedef {object} LocatedError   one pack error as the engine reports it
 * @property {string} source
 * @property {number} line
 * @property {number} column
 * @property {string} path
 * @property {string|null} rule_id
 * @property {string} reason
 * @property {string} message
 *
 * @typedef {object} Subscription
 * @property {string} url
 * @property {string} pin             SHA-256 (hex) the body must have; '' for none
 * @property {string} etag            from the answer that brought the active version
 * @property {string} lastModified
 * @property {number} intervalHours   the pack's update_interval_hours, clamped
 * @property {number} lastCheck       ms since the epoch; when the URL was last asked
 * @property {number} lastChange      when the active version was downloaded
 * @property {string} lastStatus      what the last good check found
 * @property {{time: number, reason: string, details: string[]}|null} error  the last check, when it failed
 * @property {number} nextCheck
 *
 * @typedef {object} UserPack
 * @property {string} id
 * @property {string} name
 * @property {string} version
 * @property {string[]} languages
 * @property {number} rules
 * @property {'editor'|'file'|'url'} origin
 * @property {string} fileName        the imported file's name ('' otherwise)
 * @property {number} added
 * @property {number} updated
 * @property {string} quick           the options page's quick list it was written as ('' for JSON)
 * @property {Subscription|null} sub
 * @property {string} [key]           the storage key of its text (absent: "pack:ID", from before revisions)
 *
 * @typedef {{v: 1, disabled: string[], user: Record<string, UserPack>}} PackIndex
 *
 * @typedef {object} BuiltinPack
 * @property {string} id
 * @property {string} file
 * @property {string} source
 * @property {string} json
 * @property {string} name
 * @property {string} version
 * @property {string[]} languages
 * @property {number} rules
 */

/** A change that was refused; nothing was stored and the engine in use stays. */
export class PackFailure extends Error {
  /** @param {string} reason @param {LocatedError[]} [errors] */
  constructor(reason, errors = []) {
    super(reason);
    this.errors = errors;
  }
}

// ---- the engine's side (set by background.js) ---------------------------------

/**
 * @typedef {object} EngineHooks
 * @property {(packs: PackSource[]) => Promise<any>} compile  compiles (throws located errors)
 * @property {(host: any) => void} install                    makes a compiled engine the one in use
 * @property {() => Promise<unknown>} settled                  resolves once the engine being started is there
 */

/** @type {EngineHooks|null} */
let hooks = null;

/** @param {EngineHooks} h */
export function connectEngine(h) {
  hooks = h;
}

// ---- state ---------------------------------------------------------------------

/** @type {BuiltinPack[]|null} */
let builtinCache = null;
/** @type {PackIndex} */
let index = { v: 1, disabled: [], user: {} };
/** Texts of the user's packs, by id (the active, last good version). @type {Map<string, string>} */
let texts = new Map();
/** The sources the engine in use was compiled from (null: none compiled yet). @type {PackSource[]|null} */
let engineSources = null;
/** Why the engine in use is not the one the settings ask for (shown in the options page). @type {{time: number, reason: string}|null} */
let problem = null;

/** @type {Promise<void>|null} */
let loaded = null;

/** Loads the index and the pack texts, checking each; safe to call often. */
export function ready() {
  if (!loaded) {
    loaded = (async () => {
      // Not the whole start-up check (every flag of every page): only what is
      // the pack store's, checked as it is read. This is on the way to the
      // first highlight after the service worker starts.
      await records.finish(TX_KEY);
      const keys = (await records.keys()).filter((k) => k === INDEX_KEY || k.startsWith(TEXT_PREFIX));
      const [items] = await Promise.all([keys.length ? records.readMany(keys) : {}, builtins()]);
      await load(items);
      await reconcileAlarms().catch((e) => console.warn('flaglight: alarms', String(e)));
    })();
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}
checkedBy(ready);

/** @param {unknown} raw @returns {PackIndex} */
function readIndex(raw) {
  const r = /** @type {any} */ (raw);
  if (!r || r.v !== 1 || typeof r.user !== 'object' || !Array.isArray(r.disabled)) return { v: 1, disabled: [], user: {} };
  return { v: 1, disabled: r.disabled.filter((x) => typeof x === 'string'), user: { ...r.user } };
}

/** The key of a pack's text before revisions. @param {string} id */
function textKey(id) {
  return TEXT_PREFIX + id;
}

/**
 * A built-in pack's summary, read with JSON.parse. Built-in packs are
 * checked when the extension is built (`check-pack` in ./build.sh test) and
 * compiled at every start anyway: parsing them in the engine once more at
 * start-up, only for their names, cost a full parse of every pack (its
 * regexes included) on each cold start of the service worker.
 * @param {string} json
 */
function summary(json) {
  try {
    const o = JSON.parse(json);
    const ok = typeof o?.id === 'string' && Array.isArray(o.rules);
    const name = typeof o?.name === 'string' ? o.name : typeof o?.name?.en === 'string' ? o.name.en : o?.id;
    return ok
      ? { ok, id: o.id, name, version: String(o.version ?? ''), languages: Array.isArray(o.languages) ? o.languages : [], rules: o.rules.length }
      : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** Where an entry's text is ('': none, a subscription waiting for a download). @param {UserPack} m */
function keyOf(m) {
  return m.key ?? textKey(m.id);
}

let revisions = 0;
/** A key no text has had: the pack id and a revision. @param {string} id */
function newTextKey(id) {
  revisions += 1;
  return `${TEXT_PREFIX}${id}@${Date.now().toString(36)}${revisions.toString(36)}`;
}

/** The pack id a text key names. @param {string} key */
function idOfKey(key) {
  return key.slice(TEXT_PREFIX.length).split('@')[0];
}

/**
 * What is wrong with a stored pack text for the entry `id`, or its summary.
 * @param {unknown} text
 * @param {string} id
 * @returns {{problem: import('../common/stored.js').Msg}|{summary: any}}
 */
function judgeText(text, id) {
  if (text === undefined) return { problem: msg('storage_why_pack_missing') };
  if (typeof text !== 'string') return { problem: msg('storage_why_type', msg('storage_type_text'), typeName(text)) };
  const s = /** @type {any} */ (validate_pack(text, `${id}.json`));
  if (!s.ok) return { problem: msg('storage_why_pack', s.errors?.[0]?.message ?? '') };
  if (s.id !== id) return { problem: msg('storage_why_pack_id', s.id, id) };
  return { summary: s };
}

/**
 * Reads the pack store from everything stored (the start-up check's items):
 * each entry's text is checked by the engine; damaged texts are moved aside
 * (an own pack leaves the list, a subscription stays and is downloaded
 * again); texts no entry names are rebuilt into the list when their entry
 * was the damaged part of the index, else moved aside.
 * @param {Record<string, any>} items
 */
async function load(items) {
  if (records.held.has(INDEX_KEY)) {
    // Written by a newer flaglight: left alone, texts included; the built-in packs run.
    index = { v: 1, disabled: [], user: {} };
    texts = new Map();
    return;
  }
  const next = readIndex(items[INDEX_KEY]);
  // The raw value when it was moved aside (by this read or the start-up check).
  const raw = records.found.get(INDEX_KEY);
  const rawUser = isRecord(raw) && isRecord(raw.user) ? raw.user : null;
  // The list was damaged (moved aside by the start-up check) or is missing: texts are what is left of it.
  const listLost = raw !== undefined || items[INDEX_KEY] === undefined;
  const now = Date.now();
  /** @type {Map<string, string>} */
  const good = new Map();
  /** @type {string[]} */
  const garbage = [];
  const used = new Set();
  /** Subscriptions to download again. @type {string[]} */
  const again = [];
  let changed = false;
  for (const [id, m] of Object.entries(next.user)) {
    const key = keyOf(m);
    if (key === '' && m.sub) continue; // waiting for its download
    used.add(key);
    const r = judgeText(items[key], id);
    if ('summary' in r) {
      good.set(id, items[key]);
      continue;
    }
    changed = true;
    const value = items[key] === undefined ? m : items[key];
    if (m.sub) {
      await records.moveAside(key, value, { why: r.problem, kept: msg('storage_kept_sub', m.sub.url) }, { extra: { entry: m }, leave: true });
      // Kept, with nothing to run until a fresh download (no conditional headers: the whole pack).
      m.key = '';
      m.sub = { ...m.sub, etag: '', lastModified: '', error: null, nextCheck: now + OVERDUE_DELAY_MS };
      again.push(id);
    } else {
      await records.moveAside(key, value, { why: r.problem, kept: msg('storage_kept_pack_none') }, { extra: { entry: m }, leave: true });
      delete next.user[id];
      next.disabled = next.disabled.filter((x) => x !== id);
    }
    if (items[key] !== undefined) garbage.push(key);
  }
  const builtinIds = new Set((builtinCache ?? []).map((b) => b.id));
  for (const key of Object.keys(items).sort()) {
    if (!key.startsWith(TEXT_PREFIX) || used.has(key)) continue;
    const id = idOfKey(key);
    const r = judgeText(items[key], id);
    // Its entry went with a damaged index: the text is the good part left.
    const rebuild = listLost && (!rawUser || Object.hasOwn(rawUser, id)) && 'summary' in r && !next.user[id] && !builtinIds.has(id);
    changed = true;
    if (rebuild) {
      if (items[INDEX_KEY] === undefined && raw === undefined && !Object.keys(next.user).length) {
        // Nothing of the list to move aside: say so once (the list exists after this).
        await records.moveAside(INDEX_KEY, null, { why: msg('storage_why_list_missing'), kept: msg('storage_kept_packs_rebuilt') }, { leave: true });
      }
      next.user[id] = rebuiltEntry(/** @type {any} */ (r).summary, items[key], key, rawUser?.[id], now);
      good.set(id, items[key]);
      continue;
    }
    const why = 'problem' in r ? r.problem : msg('storage_why_orphan', id);
    await records.moveAside(key, items[key], { why, kept: msg('storage_kept_orphan') }, { leave: true });
    garbage.push(key);
  }
  index = next;
  texts = good;
  if (!changed) return;
  try {
    await records.write(TX_KEY, { commit: { [INDEX_KEY]: next }, garbage });
  } catch (e) {
    console.error('flaglight: the checked pack list was not stored', String(/** @type {any} */ (e)?.message ?? e));
  }
  for (const id of again) schedule(id);
}

/**
 * An index entry for a pack whose entry was damaged, from its text and
 * what of the old entry still reads.
 * @param {any} s  the text's summary
 * @param {string} json
 * @param {string} key
 * @param {unknown} old  the damaged entry
 * @param {number} now
 * @returns {UserPack}
 */
function rebuiltEntry(s, json, key, old, now) {
  const o = isRecord(old) ? old : {};
  const sub = o.sub && !subscriptionProblem(o.sub) ? /** @type {Subscription} */ (o.sub) : null;
  return {
    id: s.id,
    name: s.name,
    names: packNames(json),
    version: s.version,
    languages: s.languages,
    rules: s.rules,
    origin: sub ? 'url' : o.origin === 'editor' ? 'editor' : 'file',
    fileName: typeof o.fileName === 'string' ? o.fileName : '',
    added: typeof o.added === 'number' && Number.isFinite(o.added) ? o.added : now,
    updated: now,
    quick: !sub && typeof o.quick === 'string' ? o.quick : '',
    sub,
    key,
  };
}

/** The built-in packs with their summaries. @returns {Promise<BuiltinPack[]>} */
async function builtins() {
  if (!builtinCache) {
    builtinCache = (await builtinPacks()).map((p) => {
      const file = p.source.replace(/^builtin:/, '');
      const s = /** @type {any} */ (summary(p.json));
      return {
        id: s.ok ? s.id : file,
        file,
        source: p.source,
        json: p.json,
        name: s.ok ? s.name : file,
        names: packNames(p.json),
        version: s.ok ? s.version : '',
        languages: s.ok ? s.languages : [],
        rules: s.ok ? s.rules : 0,
      };
    });
  }
  return builtinCache;
}

/** The name errors and findings give a user pack's source. @param {UserPack} m */
function sourceName(m) {
  if (m.origin === 'url' && m.sub) return m.sub.url;
  if (m.origin === 'file' && m.fileName) return m.fileName;
  return `${m.id}.json`;
}

/** User packs in the order they were added. @param {PackIndex} idx */
function userPacks(idx) {
  return Object.values(idx.user).sort((a, b) => a.added - b.added || (a.id < b.id ? -1 : 1));
}

/**
 * The packs an index enables, built-in first.
 * @param {PackIndex} idx
 * @param {Map<string, string>} textMap
 * @returns {PackSource[]}
 */
function activeSources(idx, textMap) {
  const off = new Set(idx.disabled);
  /** @type {PackSource[]} */
  const out = [];
  for (const b of builtinCache ?? []) if (!off.has(b.id)) out.push({ source: b.source, json: b.json });
  for (const m of userPacks(idx)) {
    const json = textMap.get(m.id);
    if (!off.has(m.id) && json !== undefined) out.push({ source: sourceName(m), json });
  }
  return out;
}

/** @param {PackSource[]|null} a @param {PackSource[]} b */
function sameSources(a, b) {
  return !!a && a.length === b.length && a.every((p, i) => p.source === b[i].source && p.json === b[i].json);
}

/** @param {unknown} err @returns {LocatedError[]} */
function locatedErrors(err) {
  if (Array.isArray(err)) return err;
  return [{ source: '', line: 0, column: 0, path: '', rule_id: null, reason: String(/** @type {any} */ (err)?.message ?? err), message: String(/** @type {any} */ (err)?.message ?? err) }];
}

/**
 * The engine for a service worker that just started: the enabled packs, or,
 * when they no longer compile together (a built-in pack changed with an
 * update of the extension), the enabled built-in packs alone, saying why.
 */
export async function startEngine() {
  if (!hooks) throw new Error('packs: no engine connected');
  await ready();
  const wanted = activeSources(index, texts);
  try {
    const host = await hooks.compile(wanted);
    engineSources = wanted;
    return host;
  } catch (err) {
    const first = locatedErrors(err)[0]?.message ?? String(err);
    const off = new Set(index.disabled);
    let fallback = (builtinCache ?? []).filter((b) => !off.has(b.id)).map((b) => ({ source: b.source, json: b.json }));
    let host;
    try {
      host = await hooks.compile(fallback);
    } catch {
      fallback = (builtinCache ?? []).map((b) => ({ source: b.source, json: b.json }));
      host = await hooks.compile(fallback);
    }
    // Then every enabled pack of the moderator's that compiles with those
    // before it: one pack that does not leaves the others working.
    const builtinCount = fallback.length;
    const left = [];
    for (const p of wanted.filter((w) => !w.source.startsWith('builtin:'))) {
      try {
        host = await hooks.compile([...fallback, p]);
        fallback = [...fallback, p];
      } catch {
        left.push(p.source);
      }
    }
    problem = { time: Date.now(), reason: fallback.length > builtinCount ? t('packs_left_out', left.join(', '), first) : t('packs_only_builtin', first) };
    console.error('flaglight:', problem.reason);
    engineSources = fallback;
    return host;
  }
}

// ---- changes -------------------------------------------------------------------------

let chain = Promise.resolve();
/**
 * Runs changes one at a time (an update arriving while the moderator saves
 * must not compile against a state that is about to change).
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
function serial(fn) {
  const run = chain.then(() => ready()).then(fn);
  chain = run.then(
    () => {},
    () => {},
  );
  return run;
}

/**
 * Makes `next` the pack state: compiles the packs it enables together (unless
 * they are the ones in use), stores it, and only then hands the new engine
 * over. Throws PackFailure, leaving everything as it was.
 * @param {PackIndex} next
 * @param {Map<string, string>} written   new texts by id
 * @param {string[]} [removed]            ids whose texts go
 */
async function commit(next, written, removed = []) {
  if (!hooks) throw new PackFailure(t('packs_no_engine'));
  await hooks.settled();
  const nextTexts = new Map(texts);
  for (const id of removed) nextTexts.delete(id);
  for (const [id, json] of written) nextTexts.set(id, json);
  const sources = activeSources(next, nextTexts);
  let host = null;
  if (!sameSources(engineSources, sources)) {
    try {
      host = await hooks.compile(sources);
    } catch (err) {
      throw new PackFailure(t('packs_no_compile'), locatedErrors(err));
    }
  }
  // New texts under new keys, then the index naming them, then the old texts go.
  /** @type {Record<string, unknown>} */
  const data = {};
  const garbage = new Set();
  for (const [id, json] of written) {
    const key = newTextKey(id);
    data[key] = json;
    next.user[id].key = key;
    if (index.user[id]) garbage.add(keyOf(index.user[id]));
  }
  for (const id of removed) if (index.user[id]) garbage.add(keyOf(index.user[id]));
  garbage.delete('');
  try {
    await records.write(TX_KEY, { data, commit: { [INDEX_KEY]: next }, garbage: [...garbage] });
  } catch (e) {
    throw new PackFailure(storageReason(e));
  }
  index = next;
  texts = nextTexts;
  if (host) {
    engineSources = sources;
    hooks.install(host);
  }
  // The engine in use is now the one the settings ask for (a pack left out at start switched off, say).
  problem = null;
}

/**
 * Compiles the packs in use again and makes the result the engine in use:
 * for a change to what the engine is built with besides the packs (the
 * post-level model's settings, background/model.js). Runs in turn with pack
 * changes, so neither compiles against a state the other is changing.
 */
export function recompile() {
  return serial(async () => {
    if (!hooks) throw new PackFailure(t('packs_no_engine'));
    await hooks.settled();
    const sources = engineSources ?? activeSources(index, texts);
    const host = await hooks.compile(sources);
    engineSources = sources;
    hooks.install(host);
    return host;
  });
}

/** @param {unknown} e */
function storageReason(e) {
  const m = String(/** @type {any} */ (e)?.message ?? e);
  return /quota/i.test(m)
    ? t('packs_storage_full', m)
    : t('packs_not_stored', m);
}

/** Stores the index alone (check results); a failure is logged and kept as the engine problem, never swallowed silently. @param {PackIndex} next */
async function storeIndex(next) {
  index = next;
  try {
    await records.write(TX_KEY, { commit: { [INDEX_KEY]: next } });
  } catch (e) {
    problem = { time: Date.now(), reason: storageReason(e) };
    console.error('flaglight:', problem.reason);
  }
}

/** @returns {PackIndex} */
function copyIndex() {
  return structuredClone(index);
}

/**
 * Checks one pack alone as `flaglight check-pack` does (validation, compiling,
 * examples); throws PackFailure with every located error.
 * @param {string} json
 * @param {string} source
 * @param {string} what  what was refused, for the message
 */
async function validateOne(json, source, what) {
  await loadWasm();
  const r = checkPack(json, source);
  if (!r.ok || !r.summary) {
    const n = r.errors.length;
    throw new PackFailure(t('packs_what_why', what, plural(r.summary ? 'packs_has_failing' : 'packs_has_errors', n)), r.errors);
  }
  return r.summary;
}

/**
 * Refuses an id a new or changed user pack may not take.
 * @param {string} id
 * @param {string|null} self  the pack being replaced, which may keep its id
 */
async function checkId(id, self) {
  const b = (await builtins()).find((x) => x.id === id);
  if (b) {
    throw new PackFailure(
      t('packs_builtin_id', id, pickText(b.names) || b.name),
    );
  }
  const other = index.user[id];
  if (other && id !== self) {
    const where = other.origin === 'url' ? t('packs_where_url', other.sub?.url ?? '') : other.origin === 'file' ? t('packs_where_file', other.fileName || t('packs_a_file')) : t('packs_where_editor');
    throw new PackFailure(t('packs_id_taken', id, pickText(other.names) || other.name, where));
  }
}

/** @param {string} json */
function intervalOf(json) {
  try {
    return clampInterval(JSON.parse(json).update_interval_hours);
  } catch {
    return clampInterval(undefined);
  }
}

// ---- what the options page asks ---------------------------------------------------------

/** Every pack with its state, for the options page. */
export async function list() {
  await ready();
  const off = new Set(index.disabled);
  const packs = [];
  for (const b of await builtins()) {
    packs.push({ id: b.id, name: b.name, names: b.names, version: b.version, languages: b.languages, rules: b.rules, origin: 'builtin', file: b.file, enabled: !off.has(b.id) });
  }
  for (const m of userPacks(index)) {
    packs.push({
      id: m.id,
      name: m.name,
      names: m.names ?? null,
      version: m.version,
      languages: m.languages,
      rules: m.rules,
      origin: m.origin,
      file: m.fileName,
      enabled: !off.has(m.id),
      added: m.added,
      updated: m.updated,
      quick: m.origin !== 'url' && !!m.quick,
      sub: m.sub,
      // A subscription whose stored copy was damaged: nothing runs until it is downloaded again.
      waiting: m.key === '',
    });
  }
  return { packs, problem };
}

/** @param {string} id @param {boolean} enabled */
export function setEnabled(id, enabled) {
  return serial(async () => {
    const known = index.user[id] || (await builtins()).some((b) => b.id === id);
    if (!known) throw new PackFailure(t('packs_none', id));
    const next = copyIndex();
    next.disabled = next.disabled.filter((x) => x !== id);
    if (!enabled) next.disabled.push(id);
    await commit(next, new Map());
    return { ok: true };
  });
}

/**
 * Saves a pack written in the options page or imported from a file.
 * @param {{json: string, replaces: string, origin: 'editor'|'file', fileName: string, quick: string}} req
 */
export function save(req) {
  return serial(async () => {
    const verb = req.origin === 'file' ? t('packs_not_imported') : t('packs_not_saved');
    const source = req.origin === 'file' && req.fileName ? req.fileName : t('packs_this_pack');
    const s = await validateOne(req.json, source, verb);
    const replaces = req.replaces || null;
    if (replaces && !index.user[replaces]) throw new PackFailure(t('packs_what_why', verb, t('packs_replaced_gone', replaces)));
    if (replaces && index.user[replaces].origin === 'url') throw new PackFailure(t('packs_what_why', verb, t('packs_replaced_subscribed', replaces)));
    // An import of a pack that is already there is its new version.
    const self = replaces ?? (req.origin === 'file' && index.user[s.id]?.origin === 'file' ? s.id : null);
    await checkId(s.id, self);
    const before = self ? index.user[self] : null;
    const next = copyIndex();
    const removed = [];
    if (self && self !== s.id) {
      delete next.user[self];
      removed.push(self);
      next.disabled = next.disabled.map((x) => (x === self ? s.id : x));
    }
    const now = Date.now();
    next.user[s.id] = {
      id: s.id,
      name: s.name,
      names: packNames(req.json),
      version: s.version,
      languages: s.languages,
      rules: s.rules,
      origin: req.origin,
      fileName: req.origin === 'file' ? req.fileName : '',
      added: before?.added ?? now,
      updated: now,
      quick: req.origin === 'editor' ? req.quick : '',
      sub: null,
    };
    await commit(next, new Map([[s.id, req.json]]), removed);
    return { ok: true, id: s.id, replaced: !!before, version: s.version, names: packNames(req.json) };
  });
}

/** @param {string} id */
export function remove(id) {
  return serial(async () => {
    const m = index.user[id];
    if (!m) throw new PackFailure((await builtins()).some((b) => b.id === id) ? t('packs_builtin_remove') : t('packs_none', id));
    const next = copyIndex();
    delete next.user[id];
    next.disabled = next.disabled.filter((x) => x !== id);
    await commit(next, new Map(), [id]);
    if (m.sub) {
      await api.alarms?.clear(ALARM_PREFIX + id);
      await dropPermission(m.sub.url);
    }
    return { ok: true };
  });
}

/**
 * Gives back the host permission a subscription asked for, unless another
 * subscription or a site the moderator scans needs it.
 * @param {string} url
 */
async function dropPermission(url) {
  const pattern = originPattern(url);
  const host = new URL(url).hostname;
  if (Object.values(index.user).some((m) => m.sub && originPattern(m.sub.url) === pattern)) return;
  if (isAuto(host) || isBuiltin(host)) return;
  await api.permissions.remove({ origins: [pattern] }).catch(() => {});
}

/** A pack's text exactly as it is used (a built-in pack's as shipped), for export. @param {string} id */
export async function exportPack(id) {
  await ready();
  const b = (await builtins()).find((x) => x.id === id);
  if (b) return { json: b.json, fileName: b.file };
  const json = texts.get(id);
  if (json === undefined) throw new PackFailure(t('packs_none', id));
  return { json, fileName: `${id}.json` };
}

/** A user pack's text and quick list, for the editor. @param {string} id */
export async function source(id) {
  await ready();
  const m = index.user[id];
  const json = texts.get(id);
  if (!m || json === undefined) throw new PackFailure(t('packs_none', id));
  return { id, json, quick: m.quick, origin: m.origin };
}

// ---- subscriptions ---------------------------------------------------------------------------

/**
 * Subscribes to a pack by URL: downloads it, validates it, compiles it with
 * the other enabled packs, and keeps it. The options page asked for the host
 * permission in the click that led here.
 * @param {string} url  checked by the protocol (https, or http on loopback)
 * @param {string} pin  '' or lower-case hex
 */
export function subscribe(url, pin) {
  return serial(async () => {
    const dup = Object.values(index.user).find((m) => m.sub?.url === url);
    if (dup) throw new PackFailure(t('packs_already_subscribed', url, pickText(dup.names) || dup.name));
    let d;
    try {
      d = await download(url, { etag: '', lastModified: '', pin });
    } catch (e) {
      throw new PackFailure(t('sub_failed_because', `${String(/** @type {any} */ (e)?.message ?? e)}.`));
    }
    if (d.status !== 'ok') throw new PackFailure(t('sub_failed_because', t('sub_first_304')));
    const s = await validateOne(d.text, url, t('sub_not_subscribed'));
    await checkId(s.id, null);
    const now = Date.now();
    const intervalHours = intervalOf(d.text);
    const next = copyIndex();
    next.user[s.id] = {
      id: s.id,
      name: s.name,
      names: packNames(d.text),
      version: s.version,
      languages: s.languages,
      rules: s.rules,
      origin: 'url',
      fileName: '',
      added: now,
      updated: now,
      quick: '',
      sub: {
        url,
        pin,
        etag: d.etag,
        lastModified: d.lastModified,
        intervalHours,
        lastCheck: now,
        lastChange: now,
        lastStatus: t('sub_status_downloaded', s.version),
        error: null,
        nextCheck: now + intervalHours * 3600_000,
      },
    };
    await commit(next, new Map([[s.id, d.text]]));
    schedule(s.id);
    return { ok: true, id: s.id, version: s.version };
  });
}

/**
 * Checks a subscription for a new version. Whatever goes wrong (network, HTTP
 * status, size, pin, JSON, validation, compiling, storage), the version in use
 * stays and the failure is kept with its time and reason.
 * @param {string} id
 * @returns {Promise<{ok: boolean, status: string}>}
 */
export function update(id) {
  return serial(async () => {
    const m = index.user[id];
    if (!m?.sub) throw new PackFailure(t('sub_not_a_subscription', id));
    const sub = m.sub;
    const now = Date.now();
    /** @type {Partial<Subscription>} */
    let result;
    try {
      result = await fetchUpdate(m, sub);
    } catch (e) {
      const f = /** @type {any} */ (e);
      const details = (f instanceof PackFailure ? f.errors : []).slice(0, 20).map((x) => x.message);
      result = { error: { time: now, reason: String(f?.message ?? f), details } };
    }
    const next = copyIndex();
    const cur = next.user[id];
    if (cur?.sub) {
      cur.sub = { ...cur.sub, ...result, lastCheck: now, nextCheck: now + cur.sub.intervalHours * 3600_000 };
      await storeIndex(next);
      schedule(id);
    }
    const error = cur?.sub?.error;
    return error && error.time === now ? { ok: false, status: error.reason } : { ok: true, status: cur?.sub?.lastStatus ?? '' };
  });
}

/**
 * One check of a subscription; returns the fields to update, throws on failure.
 * Runs inside `serial`.
 * @param {UserPack} m
 * @param {Subscription} sub
 * @returns {Promise<Partial<Subscription>>}
 */
async function fetchUpdate(m, sub) {
  const d = await download(sub.url, sub);
  if (d.status === 'not-modified') return { error: null, lastStatus: t('sub_status_304') };
  if (d.text === texts.get(m.id)) return { error: null, etag: d.etag, lastModified: d.lastModified, lastStatus: t('sub_status_unchanged') };
  const s = await validateOne(d.text, sub.url, t('sub_refused_version'));
  if (s.id !== m.id) throw new PackFailure(t('packs_what_why', t('sub_refused_version'), t('sub_id_changed', m.id, s.id)));
  const next = copyIndex();
  const now = Date.now();
  const intervalHours = intervalOf(d.text);
  const fields = {
    etag: d.etag,
    lastModified: d.lastModified,
    intervalHours,
    lastChange: now,
    lastStatus: t('sub_status_updated', m.version, s.version),
    error: null,
  };
  next.user[m.id] = {
    ...m,
    name: s.name,
    names: packNames(d.text),
    version: s.version,
    languages: s.languages,
    rules: s.rules,
    updated: now,
    sub: { ...sub, ...fields, lastCheck: now, nextCheck: now + intervalHours * 3600_000 },
  };
  try {
    await commit(next, new Map([[m.id, d.text]]));
  } catch (e) {
    if (e instanceof PackFailure) throw new PackFailure(t('packs_what_why', t('sub_refused_version'), e.message), e.errors);
    throw e;
  }
  return fields;
}

/** Sets the alarm for a subscription's next check. @param {string} id */
function schedule(id) {
  const sub = index.user[id]?.sub;
  if (!sub || !api.alarms) return;
  api.alarms.create(ALARM_PREFIX + id, { when: Math.max(sub.nextCheck, Date.now() + 1000) });
}

/** Alarms are kept by the browser, but not always across restarts (Firefox): set the missing ones. */
async function reconcileAlarms() {
  if (!api.alarms) return;
  const have = new Set((await api.alarms.getAll()).map((a) => a.name));
  for (const m of Object.values(index.user)) {
    if (!m.sub || have.has(ALARM_PREFIX + m.id)) continue;
    api.alarms.create(ALARM_PREFIX + m.id, { when: Math.max(m.sub.nextCheck, Date.now() + OVERDUE_DELAY_MS) });
  }
  for (const name of have) {
    if (name.startsWith(ALARM_PREFIX) && !index.user[name.slice(ALARM_PREFIX.length)]?.sub) api.alarms.clear(name);
  }
}

// Registered when the module loads, so an alarm wakes the service worker into
// a listener that is already there.
api.alarms?.onAlarm.addListener((alarm) => {
  if (!alarm.name.startsWith(ALARM_PREFIX)) return;
  const id = alarm.name.slice(ALARM_PREFIX.length);
  update(id).catch((e) => console.warn('flaglight: update of', id, String(e?.message ?? e)));
});

/** For tests: the alarm of a subscription. @param {string} id */
export function alarmOf(id) {
  return api.alarms?.get(ALARM_PREFIX + id);
}
