// Sightings without a browser: the accounts a page belongs to, item keys
// (hashed cards, one key for a Telegram handle and its channel), the
// watch-list's text and CSV with the real engine (Wasm in Node), and the
// store over fake-indexeddb: counting per visit, damaged records moved
// aside, retention, compaction, clear all, a full disk.

import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import init, { ids_in as idsIn, validate_pack as validatePack } from '../../extension/pkg/flaglight.js';
import { accountOfUrl, pageAccounts, pageKey, shortUrl } from '../../extension/common/accounts.js';
import { accountItem, hasher, idItem, phraseItem, telegramId } from '../../extension/common/sighting-items.js';
import { parseWatchList, watchListCsv, watchListText } from '../../extension/common/watch-list.js';
import { SightingsDb, StorageFull, checkItem, dayOf } from '../../extension/common/sightings-db.js';
import { parseCsv } from '../../extension/common/csv.js';

await init({ module_or_path: await readFile(new URL('../../extension/pkg/flaglight_bg.wasm', import.meta.url)) });

const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
const hash = hasher(key);
const tools = {
  idsIn,
  hash,
  checkPhrase: (/** @type {string} */ p) => {
    const r = validatePack(JSON.stringify({ id: 'w', name: 'w', version: '1', rules: [{ id: 'w', category: 'watched', severity: 'high', kind: 'keyword', patterns: [p] }] }), 'w');
    return r.ok ? null : r.errors[0].reason;
  },
};

test('the account a URL belongs to, whatever route reached it', () => {
  const cases = [
    ['https://vk.com/club123', 'vk:club123'],
    ['https://vk.com/public123', 'vk:club123'],
    ['https://m.vk.com/wall-123_456', 'vk:club123'],
    ['https://vk.com/feed?w=wall-123_77', 'vk:club123'],
    ['https://vk.com/id42', 'vk:id42'],
    ['https://vk.com/wall42_1', 'vk:id42'],
    ['https://vk.com/Brothers.Fund', 'vk:brothers.fund'],
    ['https://vk.com/feed', null],
    ['https://vk.com/im?sel=1', null],
    ['https://t.me/Fund_Brothers', 'telegram:fund_brothers'],
    ['https://t.me/s/fund_brothers/15', 'telegram:fund_brothers'],
    ['https://t.me/+AbCdEfGh123', 'telegram:+AbCdEfGh123'],
    ['https://t.me/joinchat/AbCdEfGh123', 'telegram:+AbCdEfGh123'],
    ['https://web.telegram.org/k/#@fund_brothers', 'telegram:fund_brothers'],
    ['https://web.telegram.org/a/#-1001234567890', 'telegram:c/1234567890'],
    ['https://t.me/share/url?url=x', null],
    ['https://x.com/SomeHandle/status/1', 'x:somehandle'],
    ['https://twitter.com/somehandle', 'x:somehandle'],
    ['https://x.com/home', null],
    ['https://www.facebook.com/profile.php?id=100012345678', 'facebook:100012345678'],
    ['https://www.facebook.com/groups/SomeGroup/posts/1', 'facebook:groups/somegroup'],
    ['https://m.facebook.com/Some.Page', 'facebook:some.page'],
    ['https://www.facebook.com/watch/?v=1', null],
    ['https://old.reddit.com/r/SomeCommunity/comments/abc', 'reddit:r/somecommunity'],
    ['https://www.reddit.com/user/SomeOne', 'reddit:u/someone'],
    ['https://www.instagram.com/some.name/', 'instagram:some.name'],
    ['https://www.instagram.com/p/abc/', null],
    ['https://www.youtube.com/@SomeChannel/videos', 'youtube:@somechannel'],
    ['https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv', 'youtube:channel/UCabcdefghijklmnopqrstuv'],
    ['https://www.tiktok.com/@some.name/video/1', 'tiktok:@some.name'],
    ['https://ok.ru/group/5512345678', 'ok:group/5512345678'],
    ['https://ok.ru/group5512345678', 'ok:group/5512345678'],
    ['https://forum.example.org/thread/1', null],
    ['tg://resolve?domain=fund_brothers', 'telegram:fund_brothers'],
    ['not a url', null],
  ];
  for (const [url, want] of cases) assert.equal(accountOfUrl(/** @type {string} */ (url))?.key ?? null, want, url);
});

test("a page's metadata adds its network's accounts only; page keys and short URLs", () => {
  const post = pageAccounts('https://vk.com/wall-77_12', { links: ['https://vk.com/fund_of_brothers', 'https://t.me/elsewhere'], handles: ['@ignored'], name: 'Fund' });
  assert.deepEqual(post.map((a) => a.key), ['vk:club77', 'vk:fund_of_brothers']);
  const news = pageAccounts('https://news.example.org/story', { links: [], handles: ['@ExampleNews'], name: '' });
  assert.deepEqual(news.map((a) => a.key), ['x:examplenews']);
  const channel = pageAccounts('https://t.me/s/fund_brothers', { links: ['tg://resolve?domain=fund_brothers'], handles: [], name: 'Fund' });
  assert.deepEqual(channel.map((a) => a.key), ['telegram:fund_brothers']);
  assert.equal(pageKey('https://vk.com/wall-1_2?utm_source=x#reply'), 'https://vk.com/wall-1_2');
  assert.equal(pageKey('https://web.telegram.org/k/#@fund_brothers'), 'https://web.telegram.org/k/#@fund_brothers');
  assert.equal(shortUrl('https://www.vk.com/wall-1_2'), 'vk.com/wall-1_2');
});

test('item keys: cards and IBANs hashed with their last four shown; a handle, a link and the channel share one key', async () => {
  const [card] = idsIn('4111 1111 1111 1111');
  const a = await idItem(card, hash);
  const [same] = idsIn('4111-1111-1111-1111');
  const b = await idItem(same, hash);
  assert.equal(a.key, b.key, 'the same card written two ways');
  assert.match(a.key, /^card:h:[0-9a-f]{32}$/);
  assert.ok(!a.key.includes('4111'), 'no digits of the card in its key');
  assert.equal(a.label, '•••• 1111');
  assert.equal(a.clear, '4111111111111111');
  const other = await idItem({ kind: 'card', value: '4111111111111111' }, hasher(await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'])));
  assert.notEqual(other.key, a.key, 'another profile, another key');
  const [iban] = idsIn('GB29 NWBK 6016 1331 9268 19');
  assert.equal((await idItem(iban, hash)).label, '•••• 6819');
  const handle = await idItem(idsIn('@Fund_Brothers')[0], hash);
  const link = await idItem(idsIn('https://t.me/s/fund_brothers')[0], hash);
  const channel = accountItem(/** @type {any} */ (accountOfUrl('https://t.me/fund_brothers/3')));
  assert.equal(handle.key, 'telegram:fund_brothers');
  assert.equal(link.key, handle.key);
  assert.equal(channel.key, handle.key);
  assert.equal(telegramId('t.me/joinchat/AbCdEfGh123'), '+AbCdEfGh123');
  const upper = await idItem(idsIn('BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ')[0], hash);
  const lower = await idItem(idsIn('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')[0], hash);
  assert.equal(upper.key, lower.key, 'bech32 in either case');
  const eth = await idItem(idsIn('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed')[0], hash);
  assert.equal(eth.key, 'eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
  assert.equal(phraseItem('  Send   to the Brothers ').key, 'phrase:send to the brothers');
});

test('watch-list text: accounts, identifiers, phrases and kinds; refused lines are located; export reads back', async () => {
  const text = [
    '# our list',
    't.me/fund_brothers',
    'vk.com/club123',
    'https://x.com/SomeHandle',
    '4111 1111 1111 1111',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '@another_channel',
    'x:@OtherHandle',
    'btc:not-a-wallet',
    'phrase:send to the brothers',
    'help the mujahideen with boots',
    '',
    'vk:club123',
  ].join('\n');
  const { entries, refused } = await parseWatchList(text, 'text', tools);
  assert.deepEqual(
    entries.map((e) => e.key.replace(/^card:h:.*/, 'card:h:…')),
    ['telegram:fund_brothers', 'vk:club123', 'x:somehandle', 'card:h:…', 'btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'telegram:another_channel', 'x:otherhandle', 'phrase:send to the brothers', 'phrase:help the mujahideen with boots'],
  );
  assert.deepEqual(refused.map((r) => [r.line, r.reason]), [[9, 'not a valid identifier of that kind']]);
  const stored = entries.map((e, i) => ({ ...e, added: 1_700_000_000_000 + i }));
  const masked = watchListText(stored, new Map());
  assert.ok(!masked.includes('4111'), 'the card is not in the export');
  assert.match(masked, /^card:h:[0-9a-f]{32} {2}# •••• 1111$/m);
  const back = await parseWatchList(masked, 'text', tools);
  assert.deepEqual(back.entries.map((e) => e.key).sort(), entries.map((e) => e.key).sort(), 'the export imports back to the same keys');
  assert.equal(back.entries.find((e) => e.kind === 'card')?.label, '•••• 1111');
  const clear = watchListText(stored, new Map([[entries[3].key, '4111111111111111']]));
  assert.match(clear, /^card:4111111111111111$/m);
  const csv = watchListCsv(stored, new Map());
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ['type', 'kind', 'value', 'label', 'note', 'added']);
  const fromCsv = await parseWatchList(csv, 'csv', tools);
  assert.deepEqual(fromCsv.entries.map((e) => e.key).sort(), entries.map((e) => e.key).sort(), 'CSV reads back too');
  assert.equal(fromCsv.refused.length, 0);
  const bad = await parseWatchList('kind,label\nbtc,x\n', 'csv', tools);
  assert.equal(bad.refused[0].reason, 'no "value" column');
});

// ---- the store --------------------------------------------------------------------

let dbSeq = 0;
/** @param {() => number} [now] */
function freshDb(now) {
  return new SightingsDb({ writer: true, name: `test-${++dbSeq}`, now });
}
const DAY = 86_400_000;
/** @param {string} url @param {string} visit @param {number} time */
const pageOf = (url, visit, time) => ({ page: pageKey(url), url, title: `Title of ${url}`, host: new URL(url).hostname, network: 'vk', visit, time });
const wallet = { key: 'btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', type: /** @type {const} */ ('id'), kind: 'btc', label: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', detail: 'P2WPKH (bech32)' };
const finding = { rule: 'ids', pack: 'donation', category: 'donation', severity: 'low', kind: 'btc', checksum: 'valid', detail: '' };

test('store: a page counts once per visit; another page and a new visit count; summaries say where', async () => {
  const db = freshDb();
  const t0 = Date.UTC(2024, 10, 2, 12);
  const vk = pageOf('https://vk.com/wall-1_2', 'v1', t0);
  let r = await db.record(vk, [{ item: wallet, finding }]);
  assert.deepEqual(r.fresh, [wallet.key]);
  // The feed re-renders: the same visit, no new count.
  r = await db.record({ ...vk, time: t0 + 1000 }, [{ item: wallet, finding }, { item: wallet, finding }]);
  assert.deepEqual(r.fresh, []);
  assert.equal(r.summaries.get(wallet.key)?.count, 1);
  await db.record(pageOf('https://t.me/s/fund_brothers', 't1', t0 + DAY), [{ item: wallet, finding }]);
  await db.record({ ...vk, visit: 'v2', time: t0 + 2 * DAY }, [{ item: wallet, finding }]);
  const s = /** @type {any} */ ((await db.summaries([wallet.key])).get(wallet.key));
  assert.equal(s.count, 3);
  assert.equal(s.sites, 2);
  assert.equal(s.pages, 2);
  assert.equal(s.first, t0);
  assert.deepEqual(s.recent.map((/** @type {any} */ p) => p.url), ['https://vk.com/wall-1_2', 'https://t.me/s/fund_brothers']);
  const on = await db.sightingsOn('https://vk.com/wall-1_2');
  assert.equal(on.length, 1);
  assert.equal(on[0].count, 2);
  assert.deepEqual(on[0].finding, finding);
});

test('store: a damaged record is copied aside whole and its good parts kept; the others still read', async () => {
  const db = freshDb();
  const t0 = Date.now();
  await db.record(pageOf('https://vk.com/club1', 'v', t0), [{ item: wallet, finding }]);
  await db.record(pageOf('https://vk.com/club2', 'v', t0), [{ item: { ...wallet, key: 'btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', label: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2' }, finding }]);
  // Damage: an item's totals, another item's identity, a sighting.
  const raw = await db.tx(['items', 'sightings'], 'readwrite');
  const items = raw.objectStore('items');
  await new Promise((res) => (items.get(wallet.key).onsuccess = (/** @type {any} */ e) => {
    items.put({ ...e.target.result, count: 'many', hosts: 7 });
    res(undefined);
  }));
  items.put({ key: 'btc:broken', type: 'nonsense' });
  raw.objectStore('sightings').put({ item: wallet.key, page: 'https://vk.com/junk', count: -3 });
  await new Promise((res) => (raw.oncomplete = res));

  const all = await db.allItems();
  assert.deepEqual(all.map((i) => i.key).sort(), ['btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', wallet.key].sort(), 'the broken item is not used');
  const fixed = all.find((i) => i.key === wallet.key);
  assert.equal(fixed.count, 1, 'totals rebuilt from the sightings');
  assert.ok(checkItem(fixed).ok);
  const sightings = await db.allSightings();
  assert.equal(sightings.length, 2);
  const problems = await db.problems();
  assert.equal(problems.length, 3);
  assert.deepEqual(problems.map((p) => p.why[1]).sort(), ['damaged sighting', 'identity fields damaged', 'totals damaged']);
  for (const p of problems) assert.ok(p.size > 0 && p.id.startsWith('sightings:'), 'kept whole, in the shape of the stored records');
});

test('store: retention removes what is older, day counts included; clear all keeps the watch-list', async () => {
  let now = Date.UTC(2024, 0, 1);
  const db = freshDb(() => now);
  await db.record(pageOf('https://vk.com/club1', 'a', now), [{ item: wallet, finding }]);
  const other = { ...wallet, key: 'phone:+79161234567', kind: 'phone', label: '+79161234567' };
  await db.record(pageOf('https://vk.com/club2', 'b', now + 50 * DAY), [{ item: wallet, finding }, { item: other, finding }]);
  now += 100 * DAY;
  const r = await db.applyRetention(60);
  assert.equal(r.sightings, 1);
  const s = /** @type {any} */ ((await db.summaries([wallet.key])).get(wallet.key));
  assert.equal(s.count, 1, 'the January visit went');
  assert.equal(s.first, Date.UTC(2024, 0, 1) + 50 * DAY);
  now += 30 * DAY;
  await db.applyRetention(60);
  assert.equal((await db.counts()).items, 0, 'nothing left after the period');
  await db.record(pageOf('https://vk.com/club3', 'c', now), [{ item: wallet, finding }]);
  await db.watchAdd([{ key: wallet.key, type: 'id', kind: 'btc', label: wallet.label }]);
  await db.clearAll();
  const c = await db.counts();
  assert.deepEqual([c.items, c.sightings, c.watch], [0, 0, 1]);
});

test('store: compaction bounds the pages kept per item and in all, keeping the counts', async () => {
  const db = freshDb();
  const t0 = Date.UTC(2024, 5, 1);
  for (let i = 0; i < 30; i++) await db.record(pageOf(`https://vk.com/wall-1_${i}`, `v${i}`, t0 + i * 3_600_000), [{ item: wallet, finding }]);
  const before = /** @type {any} */ ((await db.summaries([wallet.key])).get(wallet.key));
  const folded = await db.compact({ maxPages: 10, maxSightings: 1000 });
  assert.equal(folded, 20);
  const after = (await db.allItems())[0];
  assert.equal(after.count, before.count, 'no sighting lost from the count');
  assert.equal(after.pages, 10);
  assert.equal((await db.counts()).sightings, 10);
  assert.equal(Object.values(after.days).reduce((n, /** @type {any} */ d) => n + d.n, 0), 20);
  assert.ok(Object.keys(after.days).every((d) => d === dayOf(t0) || d === dayOf(t0 + DAY)));
  const more = await db.compact({ maxPages: 10, maxSightings: 4 });
  assert.equal(more, 6);
  assert.equal((await db.counts()).sightings, 4);
  assert.equal((await db.allItems())[0].count, before.count);
});

test('store: a full disk aborts the write whole; what was stored stays', async () => {
  const db = freshDb();
  const t0 = Date.now();
  await db.record(pageOf('https://vk.com/club1', 'a', t0), [{ item: wallet, finding }]);
  const real = db.tx.bind(db);
  db.tx = async (/** @type {string[]} */ stores, /** @type {IDBTransactionMode} */ mode) => {
    const t = await real(stores, mode);
    if (mode === 'readwrite') {
      // The browser refuses the write as a full quota does: the transaction aborts with QuotaExceededError.
      const open = t.objectStore.bind(t);
      t.objectStore = (/** @type {string} */ name) => {
        const store = open(name);
        const put = store.put.bind(store);
        store.put = (/** @type {any} */ v, /** @type {any} */ k) => {
          const r = put(v, k);
          Object.defineProperty(t, 'error', { value: new DOMException('full', 'QuotaExceededError') });
          t.abort();
          return r;
        };
        return store;
      };
    }
    return t;
  };
  await assert.rejects(db.record(pageOf('https://t.me/s/x_channel', 'b', t0), [{ item: wallet, finding }]), StorageFull);
  db.tx = real;
  const s = /** @type {any} */ ((await db.summaries([wallet.key])).get(wallet.key));
  assert.equal(s.count, 1);
  assert.equal(s.pages, 1);
});

test('store: scans written together in one transaction count as written one by one; same visit twice counts once', async () => {
  const db = freshDb();
  const t0 = Date.now();
  const one = freshDb();
  const batch = [
    { page: pageOf('https://vk.com/club1', 'a', t0), observations: [{ item: wallet, finding }] },
    { page: pageOf('https://t.me/s/x_channel', 'b', t0 + 1), observations: [{ item: wallet, finding }] },
    { page: pageOf('https://vk.com/club1', 'a', t0 + 2), observations: [{ item: wallet, finding }] },
  ];
  const results = await db.recordMany(batch);
  assert.deepEqual(results.map((r) => r.fresh), [[wallet.key], [wallet.key], []], 'the third is the first visit again');
  for (const b of batch) await one.record(b.page, b.observations);
  const [a, b] = [(await db.summaries([wallet.key])).get(wallet.key), (await one.summaries([wallet.key])).get(wallet.key)];
  assert.deepEqual(a, b);
  assert.equal(a?.count, 2);
  assert.equal(a?.sites, 2);
});
