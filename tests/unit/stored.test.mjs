// Stored records without a browser (extension/common/stored.js, records.js):
// the checks of each kind keep the good parts of a bad value; a bad value is
// moved aside, never lost, also when the worker stops between the two steps;
// a change over several keys leaves the old or the new state whichever write
// the worker stops at; a full storage holds a value in place instead of
// losing it; the options page's export and discard.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUARANTINE_PREFIX, Records, StorageHeld, msg, normalisedKind, sameValue } from '../../extension/common/stored.js';
import { KINDS, MODEL_SETTINGS_KEY, checkFlagPage, checkModelSettings, checkPackIndex, subscriptionProblem, userPackProblem } from '../../extension/common/records.js';
import { FlagStore, pageKey } from '../../extension/common/flags-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * storage.local as the unit tests see it: values cloned in and out, one
 * `set` applied whole; `stopAfter(n)` makes every write after the n-th hang
 * for ever (the service worker stopped there: nothing after it runs), and
 * `full` makes writes that grow the data fail with the quota error.
 */
function fakeStorage(items = new Map()) {
  let writes = 0;
  let limit = Infinity;
  /** @type {(() => void)|null} */
  let onStop = null;
  const s = {
    items,
    quota: Infinity,
    get writes() {
      return writes;
    },
    /** @param {number} n */
    stopAfter(n) {
      limit = n;
      return new Promise((resolve) => {
        onStop = resolve;
      });
    },
    /** @returns {Promise<void>|null} a write that never ends, once stopped */
    gate() {
      if (writes >= limit) {
        onStop?.();
        return new Promise(() => {});
      }
      writes += 1;
      return null;
    },
    size() {
      let n = 0;
      for (const [k, v] of items) n += k.length + JSON.stringify(v).length;
      return n;
    },
    /** Reads, each with the keys asked (for the batch test). @type {(string[]|null)[]} */
    reads: [],
    async getKeys() {
      return [...items.keys()];
    },
    async get(keys) {
      s.reads.push(keys === null ? null : [keys].flat());
      const list = keys === null ? [...items.keys()] : Array.isArray(keys) ? keys : [keys];
      const out = {};
      for (const k of list) if (items.has(k)) out[k] = structuredClone(items.get(k));
      return out;
    },
    async set(obj) {
      const g = s.gate();
      if (g) return g;
      const before = new Map(items);
      for (const [k, v] of Object.entries(obj)) items.set(k, structuredClone(v));
      if (s.size() > s.quota) {
        items.clear();
        for (const [k, v] of before) items.set(k, v);
        throw new Error('QUOTA_BYTES quota exceeded');
      }
    },
    async remove(keys) {
      const g = s.gate();
      if (g) return g;
      for (const k of Array.isArray(keys) ? keys : [keys]) items.delete(k);
    },
  };
  return s;
}

/** Runs `fn` until it ends or the storage stops it; resolves either way. */
async function runUntilStopped(storage, n, fn) {
  const stopped = storage.stopAfter(n);
  const done = fn().then(
    () => 'done',
    (e) => `failed: ${e.message}`,
  );
  return Promise.race([done, stopped.then(() => 'stopped')]);
}

const quiet = () => {};
console.warn = quiet;

const FLAG = {
  id: '3f2b8c1e-9a4d-4c7b-8e21-5d6f7a8b9c0d',
  url: 'https://vk.com/wall-1_2',
  title: 'Wall',
  created: '2026-11-29T10:00:00.000Z',
  modified: '2026-11-29T10:00:00.000Z',
  category: 'donation',
  severity: 'high',
  note: 'card next to a cue',
  quote: { exact: 'send your zakat to the card 4111', prefix: 'Brothers, ', suffix: ' before Friday' },
  position: { start: 10, end: 42 },
};
const FLAG2 = { ...FLAG, id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', created: '2026-11-29T11:00:00.000Z', modified: '2026-11-29T11:00:00.000Z' };

const ENTRY = {
  id: 'team',
  name: 'Team',
  names: null,
  version: '1.0',
  languages: ['en'],
  rules: 2,
  origin: 'editor',
  fileName: '',
  added: 1,
  updated: 2,
  quick: 'zorblax',
  sub: null,
  key: 'pack:team@abc',
};
const SUB = {
  url: 'https://packs.example.org/team.json',
  pin: '',
  etag: '"v1"',
  lastModified: '',
  intervalHours: 24,
  lastCheck: 1,
  lastChange: 1,
  lastStatus: 'downloaded',
  error: null,
  nextCheck: 2,
};

test('flags: a page keeps its good flags; a bad selector, a duplicate, a wrong type are named', () => {
  assert.deepEqual(checkFlagPage([FLAG, FLAG2]), { ok: true });
  const badSelector = { ...FLAG2, position: { start: 50, end: 3 } };
  const v = checkFlagPage([FLAG, badSelector, { ...FLAG }]);
  assert.equal(v.ok, false);
  assert.deepEqual(v.keep, [FLAG]);
  assert.deepEqual(v.why.slice(0, 3), ['storage_why_entries', 2, 3]);
  assert.match(v.why[3], /invalid position \(flag 7c9e6679/);
  assert.deepEqual(v.kept, ['storage_kept_flags', 1, 3]);
  const text = checkFlagPage('[{"id": "3f2b8c1e-');
  assert.equal(text.ok, false);
  assert.equal(text.keep, undefined);
  assert.deepEqual(text.why, ['storage_why_type', ['storage_type_list'], ['storage_type_text']]);
  assert.deepEqual(checkFlagPage([{ ...FLAG, note: 'x'.repeat(20_000) }]).keep, undefined, 'a huge note: nothing of that page is usable');
});

test('sites, categories, defaults: the good entries stay', () => {
  const kind = (name) => KINDS.find((k) => k.name === name);
  assert.deepEqual(kind('sites').check({ 'ok.ru': { enabled: false } }), { ok: true });
  const sites = kind('sites').check({ 'ok.ru': { enabled: false }, 'Bad Host': { enabled: false }, 'x.com': { enabled: 'no' } });
  assert.deepEqual(sites.keep, { 'ok.ru': { enabled: false } });
  assert.deepEqual(sites.kept, ['storage_kept_entries', 1, 3]);
  assert.equal(kind('sites').check('{"ok.ru":').keep, undefined);
  assert.deepEqual(kind('autoSites').check(['forum.example.org', 42, 'forum.example.org']).keep, ['forum.example.org']);
  assert.deepEqual(kind('autoSites').check(42).why, ['storage_why_type', ['storage_type_list'], ['storage_type_number']]);
  const many = Array.from({ length: 250 }, (_, i) => `cat-${i}`);
  const cats = kind('flagCategories').check(many);
  assert.deepEqual(cats.keep, many.slice(-200), 'the latest 200');
  assert.deepEqual(cats.why, ['storage_why_too_many', 250, 200]);
  assert.deepEqual(kind('flagDefaults').check({ category: 'extremism', severity: 'high' }), { ok: true });
  assert.equal(kind('flagDefaults').check({ category: 'extremism' }).ok, false);
});

test('pack list: a bad entry or a bad subscription is left out, the rest kept; a string is no list', () => {
  const good = { v: 1, disabled: ['donation'], user: { team: ENTRY, sub: { ...ENTRY, id: 'sub', key: 'pack:sub', origin: 'url', sub: SUB } } };
  assert.deepEqual(checkPackIndex(good), { ok: true });
  assert.equal(userPackProblem({ ...ENTRY, rules: 'many' }, 'team'), 'team: rules is not a count');
  assert.equal(userPackProblem({ ...ENTRY, key: 'pack:other@1' }, 'team'), 'team: key');
  assert.equal(userPackProblem({ ...ENTRY, origin: 'url', sub: { ...SUB, url: 'http://example.org/x' } }, 'team'), 'team: sub.url: not an https:// URL');
  assert.equal(subscriptionProblem({ ...SUB, intervalHours: 0 }), 'sub.intervalHours: not between 1 and 168');
  const v = checkPackIndex({ ...good, disabled: ['donation', 7], user: { ...good.user, team: { ...ENTRY, rules: 'many' } } });
  assert.equal(v.ok, false);
  assert.deepEqual(Object.keys(v.keep.user), ['sub']);
  assert.deepEqual(v.keep.disabled, ['donation']);
  assert.deepEqual(v.why.slice(0, 3), ['storage_why_entries', 2, 4]);
  const text = checkPackIndex('{"v":1,"disabled":[],"user":{"team":');
  assert.equal(text.keep, undefined);
  assert.deepEqual(text.kept, ['storage_kept_packs_rebuilt']);
});

test('model settings: a normalised kind finds bad fields whatever the key order, and keeps the good ones', () => {
  const normalise = (v) => {
    const t = {};
    for (const s of ['latin', 'cyrillic']) if (typeof v.thresholds?.[s] === 'number') t[s] = v.thresholds[s];
    return { enabled: v.enabled !== false, thresholds: t };
  };
  const kind = normalisedKind({ name: 'modelSettings', label: 'storage_kind_modelSettings', key: 'modelSettings', normalise, fallback: msg('storage_default_model') });
  assert.deepEqual(kind.check({ enabled: false, thresholds: { cyrillic: 0.3, latin: 0.5 } }), { ok: true });
  assert.deepEqual(kind.check({ thresholds: {} }), { ok: true }, 'a missing field takes its default');
  assert.deepEqual(kind.check({ enabled: false, thresholds: {}, later: 1 }), { ok: true }, 'fields of a later version are left alone');
  const v = kind.check({ enabled: 'yes', thresholds: { latin: 0.5 } });
  assert.deepEqual(v.why, ['storage_why_fields', 'enabled']);
  assert.deepEqual(v.keep, { enabled: true, thresholds: { latin: 0.5 } });
  assert.equal(kind.check([]).keep, undefined);
  assert.ok(sameValue({ a: [1, { b: 2, c: 3 }] }, { a: [1, { c: 3, b: 2 }] }));
  assert.ok(!sameValue({ a: 1 }, { a: 1, b: undefined }));
});

test("model settings: the extension's own kind uses the engine host's normaliser; a newer format is held, its defaults used", async () => {
  const kind = KINDS.find((k) => k.match(MODEL_SETTINGS_KEY));
  assert.equal(kind?.name, 'modelSettings');
  assert.deepEqual(kind.check({ enabled: true, thresholds: { arabic: 0.7, latin: 0.25 } }), { ok: true });
  const v = kind.check({ enabled: false, thresholds: { latin: 1.5, cyrillic: 0.4 } });
  assert.deepEqual(v.why, ['storage_why_fields', 'thresholds']);
  assert.deepEqual(v.keep, { enabled: false, thresholds: { cyrillic: 0.4 } });
  assert.deepEqual(checkModelSettings(v.keep), v.keep, 'what is kept reads back the same');
  const s = fakeStorage(new Map([[MODEL_SETTINGS_KEY, { v: 2, enabled: false, perPost: true }]]));
  const r = new Records(s, KINDS);
  await r.ready();
  assert.equal(await r.read(MODEL_SETTINGS_KEY), undefined, 'not used');
  assert.deepEqual(checkModelSettings(await r.read(MODEL_SETTINGS_KEY)), { enabled: true, thresholds: {} }, 'the defaults');
  await assert.rejects(r.set({ [MODEL_SETTINGS_KEY]: { enabled: true, thresholds: {} } }), StorageHeld);
  assert.deepEqual(s.items.get(MODEL_SETTINGS_KEY), { v: 2, enabled: false, perPost: true }, 'not written over');
  assert.equal((await r.problems()).find((p) => p.key === MODEL_SETTINGS_KEY)?.held, true, 'reported');
});

test('start-up check: bad values move aside with the good parts kept; good ones and other keys are untouched', async () => {
  const storage = fakeStorage();
  const badFlag = { ...FLAG2, quote: { exact: '' } };
  storage.items.set(pageKey(FLAG.url), [FLAG, badFlag]);
  storage.items.set(pageKey('https://x.com/a'), [FLAG2]);
  storage.items.set('sites', 'not json {');
  storage.items.set('filler', 'a store this version does not know');
  const records = new Records(storage, KINDS, { now: () => 1000 });
  const items = await records.ready();
  assert.deepEqual(items[pageKey(FLAG.url)], [FLAG]);
  assert.deepEqual(items[pageKey('https://x.com/a')], [FLAG2]);
  assert.equal(items.sites, undefined);
  assert.equal(storage.items.has('sites'), false, 'the bad list is out of the way');
  assert.deepEqual(storage.items.get(pageKey(FLAG.url)), [FLAG]);
  assert.equal(storage.items.get('filler'), 'a store this version does not know');
  const moved = [...storage.items.keys()].filter((k) => k.startsWith(QUARANTINE_PREFIX)).sort();
  assert.deepEqual(moved, [`corrupt:${pageKey(FLAG.url)}:1000`, 'corrupt:sites:1000']);
  const record = storage.items.get(`corrupt:${pageKey(FLAG.url)}:1000`);
  assert.deepEqual(record.value, [FLAG, badFlag], 'the whole value, as it was');
  const problems = await records.problems();
  assert.deepEqual(problems.map((p) => [p.key, p.label, p.time, p.held]), [
    [pageKey(FLAG.url), 'storage_kind_flags', 1000, false],
    ['sites', 'storage_kind_sites', 1000, false],
  ]);
  assert.deepEqual(problems[1].why, ['storage_why_type', ['storage_type_record'], ['storage_type_text']]);

  // A second start finds nothing new.
  const again = new Records(storage, KINDS, { now: () => 2000 });
  await again.ready();
  assert.equal((await again.problems()).length, 2);

  // Export: a text value as it was, anything else as JSON; discard only when asked.
  const file = await again.exportProblem('corrupt:sites:1000');
  assert.equal(file.text, 'not json {');
  assert.match(file.fileName, /^flaglight-damaged-sites-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
  assert.deepEqual(JSON.parse((await again.exportProblem(moved[0])).text), [FLAG, badFlag]);
  assert.equal(await again.discard('corrupt:sites:1000'), true);
  assert.equal(await again.discard('corrupt:sites:1000'), false);
  assert.equal(await again.exportProblem('corrupt:sites:1000'), null);
  assert.deepEqual((await again.problems()).map((p) => p.key), [pageKey(FLAG.url)]);
});

test('moving aside survives a worker stopped after any write: one copy, the good parts in place', async () => {
  const bad = [FLAG, { ...FLAG2, severity: 'extreme' }];
  for (let n = 0; n <= 2; n++) {
    const storage = fakeStorage(new Map([[pageKey(FLAG.url), bad]]));
    const first = new Records(storage, KINDS, { now: () => 1000 + n });
    assert.equal(await runUntilStopped(storage, n, () => first.ready()), n < 2 ? 'stopped' : 'done', `stop after ${n}`);
    const restarted = new Records(fakeStorage(storage.items), KINDS, { now: () => 5000 });
    await restarted.ready();
    const copies = [...storage.items.entries()].filter(([k]) => k.startsWith(QUARANTINE_PREFIX));
    assert.equal(copies.length, 1, `stop after ${n}: one copy`);
    assert.deepEqual(copies[0][1].value, bad, `stop after ${n}: the whole value`);
    assert.deepEqual(storage.items.get(pageKey(FLAG.url)), [FLAG], `stop after ${n}: the good flag in place`);
  }
});

test('a value written by a newer version, or one that cannot be copied (full storage), is held in place', async () => {
  const storage = fakeStorage();
  storage.items.set('packIndex', { v: 2, user: {}, what: 'a later format' });
  storage.items.set('sites', { 'ok.ru': 'x'.repeat(400) });
  storage.quota = storage.size() + 100;
  const records = new Records(storage, KINDS, { now: () => 7 });
  const items = await records.ready();
  assert.equal(items.packIndex, undefined, 'not used');
  assert.deepEqual(items.sites, {}, 'its good parts (none here) are used meanwhile');
  assert.deepEqual(storage.items.get('packIndex'), { v: 2, user: {}, what: 'a later format' }, 'left as it was');
  assert.deepEqual(storage.items.get('sites'), { 'ok.ru': 'x'.repeat(400) });
  const problems = await records.problems();
  assert.deepEqual(problems.map((p) => [p.id, p.held, p.kept[0]]), [
    ['held:packIndex', true, 'storage_kept_in_place'],
    ['held:sites', true, 'storage_kept_in_place_full'],
  ]);
  assert.deepEqual(problems[0].why, ['storage_why_newer', 2, 1]);
  await assert.rejects(records.set({ sites: {} }), StorageHeld, 'no write over it');
  await assert.rejects(records.write('tx:packs', { commit: { packIndex: { v: 1, disabled: [], user: {} } } }), StorageHeld);
  assert.deepEqual(await records.read('sites'), {}, 'reads give the good parts');
  assert.equal(await records.read('packIndex'), undefined, 'and nothing of a newer format');
  assert.equal((await records.exportProblem('held:sites')).text, `${JSON.stringify({ 'ok.ru': 'x'.repeat(400) }, null, 2)}\n`);
  // Discarding a held value (confirmed in the options page) frees the key.
  assert.equal(await records.discard('held:sites'), true);
  assert.equal(storage.items.has('sites'), false);
  await records.set({ sites: { 'ok.ru': { enabled: false } } });
});

test('a change over several keys: stopped after any write, the next start has the old state or the new, nothing else', async () => {
  // A pack store in miniature: an index naming the key of each text.
  const before = () =>
    new Map([
      ['packIndex', { v: 1, disabled: [], user: { team: { ...ENTRY, key: 'pack:team@1' }, old: { ...ENTRY, id: 'old', key: 'pack:old@1' } } }],
      ['pack:team@1', 'team v1'],
      ['pack:old@1', 'old v1'],
    ]);
  const nextIndex = { v: 1, disabled: [], user: { team: { ...ENTRY, key: 'pack:team@2' }, added: { ...ENTRY, id: 'added', key: 'pack:added@2' } } };
  const change = { data: { 'pack:team@2': 'team v2', 'pack:added@2': 'added v2' }, commit: { packIndex: nextIndex }, garbage: ['pack:team@1', 'pack:old@1'] };
  const oldState = Object.fromEntries(before());
  const newState = { packIndex: nextIndex, 'pack:team@2': 'team v2', 'pack:added@2': 'added v2' };
  const total = 6; // journal, 2 texts, index, garbage, journal removed
  const seen = new Set();
  for (let n = 0; n <= total; n++) {
    const storage = fakeStorage(before());
    const records = new Records(storage, KINDS);
    await records.ready();
    const r = await runUntilStopped(storage, storage.writes + n, () => records.write('tx:packs', change));
    assert.equal(r, n < total ? 'stopped' : 'done', `stop after ${n}`);
    // Between any two writes the index names only texts that are there.
    const idx = storage.items.get('packIndex');
    for (const m of Object.values(idx.user)) assert.ok(storage.items.has(m.key), `stop after ${n}: ${m.key} is there`);
    const restarted = new Records(fakeStorage(storage.items), KINDS);
    await restarted.ready();
    const state = Object.fromEntries(storage.items);
    const which = sameValue(state, oldState) ? 'old' : sameValue(state, newState) ? 'new' : null;
    assert.ok(which, `stop after ${n}: ${JSON.stringify(Object.keys(state))}`);
    seen.add(which);
    // Up to the first new text the change is undone; once every text is there it is finished.
    assert.equal(which, n <= 2 ? 'old' : 'new', `stop after ${n}`);
  }
  assert.deepEqual([...seen].sort(), ['new', 'old']);
});

test('a change that does not fit is undone at once, and the store goes on', async () => {
  const storage = fakeStorage(new Map([['packIndex', { v: 1, disabled: [], user: {} }]]));
  const records = new Records(storage, KINDS);
  await records.ready();
  storage.quota = storage.size() + 400;
  const big = { data: { 'pack:big@1': 'x'.repeat(1000) }, commit: { packIndex: { v: 1, disabled: [], user: { big: { ...ENTRY, id: 'big', key: 'pack:big@1' } } } } };
  await assert.rejects(records.write('tx:packs', big), /quota/);
  assert.deepEqual([...storage.items.keys()], ['packIndex'], 'no journal, no text left behind');
  storage.quota = Infinity;
  await records.write('tx:packs', big);
  assert.deepEqual([...storage.items.keys()].sort(), ['pack:big@1', 'packIndex']);
});

test('a damaged journal is moved aside, not followed', async () => {
  const storage = fakeStorage(new Map([['tx:packs', { v: 1, data: 'pack:x' }], ['packIndex', { v: 1, disabled: [], user: {} }]]));
  const records = new Records(storage, KINDS, { now: () => 3 });
  await records.ready();
  assert.equal(storage.items.has('tx:packs'), false);
  assert.deepEqual((await records.problems()).map((p) => [p.key, p.label]), [['tx:packs', 'storage_kind_journal']]);
});

test('flag store: saving on a page with a damaged flag never loses that flag', async () => {
  const storage = fakeStorage();
  const store = new FlagStore(storage);
  await store.save(FLAG);
  // Hand-edited while the worker runs: a flag with a bad selector.
  const bad = { ...FLAG2, position: { start: -1, end: 4 } };
  storage.items.set(pageKey(FLAG.url), [FLAG, bad]);
  const third = { ...FLAG, id: 'a1b2c3d4-0000-4000-8000-000000000003', created: '2026-11-29T12:00:00.000Z', modified: '2026-11-29T12:00:00.000Z' };
  await store.save(third);
  assert.deepEqual(storage.items.get(pageKey(FLAG.url)), [FLAG, third]);
  const copies = [...storage.items.entries()].filter(([k]) => k.startsWith(QUARANTINE_PREFIX));
  assert.equal(copies.length, 1);
  assert.deepEqual(copies[0][1].value, [FLAG, bad], 'the damaged flag is in the copy');
  // Reading all pages shows the good ones.
  storage.items.set(pageKey('https://x.com/b'), 'garbage');
  assert.deepEqual((await store.all()).map((f) => f.id), [FLAG.id, third.id]);
  assert.equal([...storage.items.keys()].filter((k) => k.startsWith(QUARANTINE_PREFIX)).length, 2);
});

test('every message the stored records name exists in every locale', async () => {
  const files = ['extension/common/stored.js', 'extension/common/records.js', 'extension/background/packs.js', 'extension/background/storage.js', 'extension/options/storage.js'];
  const keys = new Set();
  for (const f of files) for (const m of (await readFile(path.join(ROOT, f), 'utf8')).matchAll(/'(storage_[a-zA-Z_]+)'/g)) keys.add(m[1]);
  for (const k of KINDS) keys.add(k.label);
  assert.ok(keys.size > 40, `${keys.size} keys`);
  for (const lang of await readdir(path.join(ROOT, 'extension', '_locales'))) {
    const m = JSON.parse(await readFile(path.join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
    const missing = [...keys].filter((k) => !m[k]);
    assert.deepEqual(missing, [], lang);
  }
});

test('a store reading its own keys before the start-up check ends gets them checked, moved aside once', async () => {
  const storage = fakeStorage();
  storage.items.set('packIndex', '{"v": 1, "user": {');
  storage.items.set('sites', { 'ok.ru': { enabled: false } });
  const records = new Records(storage, KINDS, { now: () => 9 });
  const check = records.ready();
  const early = await records.readMany(['packIndex', 'sites']);
  await check;
  assert.deepEqual(early, { sites: { 'ok.ru': { enabled: false } } });
  assert.equal(records.found.get('packIndex'), '{"v": 1, "user": {');
  assert.equal([...storage.items.keys()].filter((k) => k.startsWith(QUARANTINE_PREFIX)).length, 1);
  assert.deepEqual(await records.keys(), [...storage.items.keys()]);
  await records.finish('tx:packs');
});

test('the start-up check reads in batches where the browser lists keys, everything at once where it cannot; the same result', async () => {
  const pages = 1000;
  const fill = () => {
    const m = new Map();
    for (let i = 0; i < pages; i++) m.set(pageKey(`https://vk.com/wall-${i}`), [{ ...FLAG, url: `https://vk.com/wall-${i}` }]);
    m.set(pageKey('https://vk.com/wall-7'), [FLAG, { ...FLAG2, position: { start: 5, end: 1 } }]);
    m.set('filler', 'x'.repeat(1000));
    return m;
  };
  const batched = fakeStorage(fill());
  const a = await new Records(batched, KINDS, { now: () => 1000 }).ready();
  assert.ok(!batched.reads.includes(null), 'no read of everything');
  const sizes = batched.reads.map((r) => r?.length ?? 0);
  assert.ok(Math.max(...sizes) <= 200 && batched.reads.length >= pages / 200, `reads of ${sizes.slice(0, 8)}...`);
  assert.ok(!batched.reads.flat().includes('filler'), 'a key of no known kind is not read');
  const whole = fakeStorage(fill());
  delete whole.getKeys;
  const b = await new Records(whole, KINDS, { now: () => 1000 }).ready();
  assert.deepEqual(whole.reads, [null]);
  delete b.filler;
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  assert.deepEqual(a, b);
  assert.deepEqual([...batched.items.entries()].sort(), [...whole.items.entries()].sort(), 'the same moved aside and kept');
  assert.deepEqual(batched.items.get(pageKey('https://vk.com/wall-7')), [FLAG]);
});
