// Reviewer flags without a browser: selectors, the cheap anchors, the
// checks on a flag, and the store over a fake storage (a full quota included).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTEXT_CHARS, MIN_SCORE, anchorExact, describe, engineAnchor } from '../../extension/common/anchoring.js';
import { flagProblem, newFlagId, normalizeCategory } from '../../extension/common/flag-record.js';
import { FlagStore, pageKey } from '../../extension/common/flags-store.js';
import { fromJsonLd, toHtmlReportAll, toJsonLd } from '../../extension/common/evidence.js';
import { readFile } from 'node:fs/promises';
import { useMessages } from '../../extension/common/i18n.js';

// Reports are written in the UI language: English here, as the browser would give it.
useMessages(JSON.parse(await readFile(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8')));

const TEXT = 'Local news: the park budget.\nBrothers, send your zakat to the card 4111 before Friday, the fighters need boots.\nA recipe for borscht.';
const QUOTE = 'send your zakat to the card 4111 before Friday';

test('describe: trims the white space a selection drags along, keeps 32 units of context', () => {
  const s = TEXT.indexOf(QUOTE);
  const d = describe(TEXT, s - 1, s + QUOTE.length);
  assert.ok(d);
  assert.equal(d.quote.exact, QUOTE);
  assert.deepEqual(d.position, { start: s, end: s + QUOTE.length, codePoints: { start: s, end: s + QUOTE.length } });
  assert.equal(d.quote.prefix, TEXT.slice(s - CONTEXT_CHARS, s));
  assert.equal(d.quote.suffix, TEXT.slice(s + QUOTE.length, s + QUOTE.length + CONTEXT_CHARS));
  assert.equal(describe(TEXT, 0, 29).quote.exact, 'Local news: the park budget.', 'a trailing newline goes');
  assert.equal(describe(TEXT, 28, 29), null, 'only white space');
  // Context never starts or ends inside a surrogate pair.
  const emoji = `${'😀'.repeat(20)}quote${'😀'.repeat(20)}`;
  const e = describe(emoji, 40, 45);
  assert.equal(e.quote.exact, 'quote');
  assert.equal(e.quote.prefix, '😀'.repeat(16));
  assert.equal(e.quote.suffix, '😀'.repeat(16));
});

test('anchorExact: position first, then the exact quote with its context, nearest the old position', () => {
  const s = TEXT.indexOf(QUOTE);
  const sel = describe(TEXT, s, s + QUOTE.length);
  assert.deepEqual(anchorExact(TEXT, sel), { start: s, end: s + QUOTE.length, method: 'position', distance: 0, score: 1 });
  const moved = `A new post on top.\n${TEXT}`;
  const a = anchorExact(moved, sel);
  assert.equal(a.method, 'quote');
  assert.equal(moved.slice(a.start, a.end), QUOTE);
  // Two copies with the same context: the one nearer the remembered offset.
  const twice = `${TEXT}\n${TEXT}`;
  const far = { ...sel, position: { start: TEXT.length + 1 + s + 3, end: TEXT.length + 1 + s + 3 + QUOTE.length } };
  assert.equal(anchorExact(twice, far).start, TEXT.length + 1 + s);
  // Context changed: the engine judges.
  assert.equal(anchorExact(TEXT.replace('Brothers, ', 'Sisters, '), { ...sel, position: { start: 0, end: QUOTE.length } }), null);
  // Edited quote: the engine judges.
  assert.equal(anchorExact(TEXT.replace('zakat', 'money'), sel), null);
});

test('engineAnchor: the engine answer is checked and low scores are not trusted', () => {
  assert.deepEqual(engineAnchor([3, 10, 2, 0.9], 20), { start: 3, end: 10, method: 'approximate', distance: 2, score: 0.9 });
  assert.equal(engineAnchor([3, 10, 2, MIN_SCORE - 0.01], 20), null);
  assert.equal(engineAnchor([3, 30, 2, 0.9], 20), null, 'past the end of the text');
  assert.equal(engineAnchor(undefined, 20), null);
  assert.equal(engineAnchor([1, 2, 3], 20), null);
});

const FLAG = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  url: 'https://vk.com/wall-1_2',
  title: 'Wall',
  created: '2026-11-29T10:00:00.000Z',
  modified: '2026-11-29T10:00:00.000Z',
  category: 'donation',
  severity: 'high',
  note: 'card next to a cue',
  quote: { exact: QUOTE, prefix: 'Brothers, ', suffix: ', the fighters' },
  position: { start: 39, end: 39 + QUOTE.length },
};

test('flagProblem: what a flag and a draft may hold', () => {
  assert.equal(flagProblem(FLAG), null);
  assert.equal(flagProblem({ ...FLAG, id: '' }, { draft: true }), 'a draft has no times');
  const draft = { ...FLAG };
  delete draft.created;
  delete draft.modified;
  assert.equal(flagProblem({ ...draft, id: '' }, { draft: true }), null);
  assert.equal(flagProblem({ ...FLAG, category: 'Not Valid' }), 'invalid category');
  assert.equal(flagProblem({ ...FLAG, severity: 'urgent' }), 'invalid severity');
  assert.equal(flagProblem({ ...FLAG, extra: 1 }), 'unexpected field extra');
  assert.equal(flagProblem({ ...FLAG, quote: { ...FLAG.quote, exact: '' } }), 'invalid quote');
  assert.equal(flagProblem({ ...FLAG, position: { start: 5, end: 4 } }), 'invalid position');
  assert.equal(normalizeCategory('  Recruitment Network! '), 'recruitment-network');
  assert.equal(normalizeCategory('!!!'), '');
});

/** A storage.local stand-in with a byte quota, like Chrome's. */
function fakeStorage(quota = Infinity) {
  const items = new Map();
  const size = () => [...items].reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
  return {
    items,
    async get(keys) {
      const list = keys === null ? [...items.keys()] : Array.isArray(keys) ? keys : [keys];
      const out = {};
      for (const k of list) if (items.has(k)) out[k] = structuredClone(items.get(k));
      return out;
    },
    async set(obj) {
      const before = new Map(items);
      for (const [k, v] of Object.entries(obj)) items.set(k, structuredClone(v));
      if (size() > quota) {
        items.clear();
        for (const [k, v] of before) items.set(k, v);
        throw new Error('QUOTA_BYTES quota exceeded');
      }
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) items.delete(k);
    },
  };
}

test('store: one key per normalised page; save, edit, remove; writes in order', async () => {
  const storage = fakeStorage();
  const store = new FlagStore(storage);
  await store.save(FLAG);
  const second = { ...FLAG, id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', created: '2026-11-29T11:00:00.000Z', modified: '2026-11-29T11:00:00.000Z' };
  // Two saves at once on the same page: neither is lost.
  await Promise.all([store.save(second), store.save({ ...FLAG, note: 'edited', modified: '2026-11-29T12:00:00.000Z' })]);
  assert.deepEqual([...storage.items.keys()], [pageKey(FLAG.url)]);
  assert.equal(pageKey('https://VK.com/wall-1_2?utm_source=x#reply'), 'flags:https://vk.com/wall-1_2');
  const page = await store.page('https://vk.com/wall-1_2?utm_medium=mail');
  assert.deepEqual(page.map((f) => f.note), ['edited', 'card next to a cue']);
  assert.equal((await store.remove(FLAG.url, FLAG.id)).id, FLAG.id);
  assert.equal(await store.remove(FLAG.url, FLAG.id), null);
  await store.remove(FLAG.url, second.id);
  assert.equal(storage.items.size, 0, 'an empty page leaves no key');
});

test('store: a full quota rejects the save and changes nothing', async () => {
  const storage = fakeStorage(2000);
  const store = new FlagStore(storage);
  await store.save(FLAG);
  const big = { ...FLAG, id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', note: 'x'.repeat(5000) };
  await assert.rejects(store.save(big), /quota/);
  assert.deepEqual(await store.all(), [FLAG]);
  // The queue goes on after a failure.
  await store.save({ ...FLAG, note: 'still works' });
  assert.equal((await store.all())[0].note, 'still works');
});

test('store: merge adds new flags, takes newer edits, leaves the rest; categories and defaults', async () => {
  const store = new FlagStore(fakeStorage());
  await store.save(FLAG);
  const newer = { ...FLAG, note: 'newer', modified: '2026-11-30T00:00:00.000Z' };
  const other = { ...FLAG, id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', url: 'https://x.com/a/status/1' };
  assert.deepEqual(await store.merge([newer, other]), { added: 1, updated: 1, unchanged: 0, keys: [pageKey(FLAG.url), pageKey(other.url)] });
  assert.deepEqual(await store.merge([FLAG, other]), { added: 0, updated: 0, unchanged: 2, keys: [] });
  assert.equal((await store.page(FLAG.url))[0].note, 'newer');
  await store.remember('recruitment', 'critical', ['extremism', 'donation']);
  await store.remember('extremism', 'low', ['extremism', 'donation']);
  assert.deepEqual(await store.categories(), ['recruitment']);
  assert.deepEqual(await store.defaults(), { category: 'extremism', severity: 'low' });
});

test('JSON-LD of stored flags reads back as valid flags; the all-pages report has a section per page', async () => {
  const back = fromJsonLd(JSON.parse(JSON.stringify(await toJsonLd([FLAG]))));
  assert.deepEqual(back.errors, []);
  assert.equal(flagProblem(back.flags[0]), null);
  const html = await toHtmlReportAll({
    capturedAt: '2026-11-30T00:00:00.000Z',
    pages: [
      { url: FLAG.url, title: '<b>Wall</b>', capturedAt: '2026-11-30T00:00:00.000Z', pageText: 'text', flags: [FLAG], findings: [] },
      { url: 'https://x.com/a', title: '', capturedAt: '', pageText: null, flags: [{ ...FLAG, quote: { ...FLAG.quote, exact: '<script>alert(1)</script>' } }], findings: [] },
    ],
  });
  assert.ok(!/<script/i.test(html));
  assert.equal(html.match(/<section>/g).length, 2);
  assert.ok(html.includes('&lt;b&gt;Wall&lt;/b&gt;'));
  assert.ok(html.includes('not captured: the page was not open'));
  assert.ok(html.includes('2 pages, 2 flags'));
});

test('newFlagId: a valid, distinct UUID also where crypto.randomUUID is missing (a content script on an http page)', () => {
  const ids = new Set([newFlagId(), newFlagId()]);
  const own = Object.getOwnPropertyDescriptor(crypto, 'randomUUID');
  Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
  try {
    for (let i = 0; i < 200; i++) ids.add(newFlagId());
  } finally {
    if (own) Object.defineProperty(crypto, 'randomUUID', own);
    else delete crypto.randomUUID;
  }
  assert.equal(typeof crypto.randomUUID, 'function');
  assert.equal(ids.size, 202);
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(flagProblem({ id, url: 'https://vk.com/x', title: '', category: 'spam', severity: 'low', note: '', quote: { exact: 'a', prefix: '', suffix: '' }, position: { start: 0, end: 1 } }, { draft: true }), null);
  }
});
