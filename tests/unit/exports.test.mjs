// The sightings exports checked against the published definitions vendored
// in tests/vendor/ (tests/lib/export-check.mjs: the OASIS STIX 2.1 schemas and
// the community observables with ajv; MISP's describeTypes and the
// misp-objects definitions), CSV with an RFC 4180 parser. Cards and IBANs
// are masked unless their clear values are passed.

import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsvRecords } from 'csv-parse/sync';
import init, { ids_in as idsIn } from '../../extension/pkg/flaglight.js';
import { SightingsDb } from '../../extension/common/sightings-db.js';
import { accountItem, hasher, idItem, phraseItem } from '../../extension/common/sighting-items.js';
import { accountOfUrl, pageKey } from '../../extension/common/accounts.js';
import { stixBundle, EXTENSIONS } from '../../extension/common/stix.js';
import { mispEvent } from '../../extension/common/misp.js';
import { CSV_COLUMNS, sightingsCsv } from '../../extension/common/sightings-export.js';
import { checkMisp, checkStix } from '../lib/export-check.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
await init({ module_or_path: await readFile(path.join(ROOT, 'extension', 'pkg', 'flaglight_bg.wasm')) });

// ---- the data: every kind of item, seen on several pages ------------------------------------

const CARD = '4111111111111111';
const IBAN = 'GB29NWBK60161331926819';
const TEXTS = [
  '4111 1111 1111 1111',
  'GB29 NWBK 6016 1331 9268 19',
  'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
  '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A',
  'Z123456789012',
  '+7 916 123-45-67',
  'paypal.me/SomeName',
  '@fund_brothers',
];
const ACCOUNTS = [
  'https://vk.com/club123',
  'https://x.com/somehandle',
  'https://www.facebook.com/groups/somegroup',
  'https://www.facebook.com/Some.Page',
  'https://www.facebook.com/profile.php?id=100012345678',
  'https://www.reddit.com/r/somecommunity',
  'https://www.reddit.com/user/someone',
  'https://www.instagram.com/some.name',
  'https://www.youtube.com/@somechannel',
  'https://www.tiktok.com/@some.name',
  'https://ok.ru/group/5512345678',
  'https://t.me/+AbCdEfGh123',
];

async function exportData() {
  const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
  const hash = hasher(key);
  const db = new SightingsDb({ writer: true, name: 'exports' });
  const items = [];
  for (const t of TEXTS) items.push(await idItem(idsIn(t)[0], hash));
  for (const u of ACCOUNTS) items.push(accountItem(/** @type {any} */ (accountOfUrl(u))));
  items.push(phraseItem('send to the brothers'));
  const clear = new Map(items.filter((i) => i.clear).map((i) => [i.key, /** @type {string} */ (i.clear)]));
  for (const i of items) delete i.clear;
  const t0 = Date.UTC(2024, 10, 2, 9);
  const pages = ['https://vk.com/wall-123_45', 'https://t.me/s/fund_brothers', "https://forum.example.org/t/1?q='quoted'"];
  for (const [n, url] of pages.entries()) {
    const page = { page: pageKey(url), url, title: `Page ${n} "title"`, host: new URL(url).hostname, network: n === 1 ? 'telegram' : 'vk', visit: `v${n}`, time: t0 + n * 86_400_000 };
    await db.record(page, items.map((item) => ({ item, finding: { rule: 'ids', pack: 'donation', category: 'donation', severity: 'high', kind: item.kind, checksum: 'valid', detail: '' } })));
  }
  // Older sightings compacted into days, for one item.
  await db.compact({ maxPages: 2, maxSightings: 1_000 });
  const watch = new Map();
  for (const k of [items[0].key, items[2].key, 'telegram:fund_brothers', 'vk:club123', items.at(-1)?.key]) watch.set(k, { key: k, added: t0 - 86_400_000, note: 'from the team list' });
  return { items: await db.allItems(), sightings: await db.allSightings(), watch, clear, exporter: { id: crypto.randomUUID(), name: 'flaglight moderator' }, now: t0 + 5 * 86_400_000 };
}

const data = await exportData();

// ---- STIX 2.1 ---------------------------------------------------------------------------------

test('STIX 2.1: the bundle and every object validate against the OASIS schemas and the community observables', async () => {
  const bundle = await stixBundle(data);
  const types = await checkStix(bundle);
  for (const t of ['identity', 'cryptocurrency-wallet', 'payment-card', 'bank-account', 'phone-number', 'url', 'user-account', 'x-flaglight-phrase', 'observed-data', 'indicator', 'sighting']) assert.ok(types.get(t), `has ${t}`);
  for (const o of bundle.objects.filter((/** @type {any} */ x) => x.extensions)) {
    if (EXTENSIONS[/** @type {keyof typeof EXTENSIONS} */ (o.type)]) assert.deepEqual(Object.keys(o.extensions), [EXTENSIONS[/** @type {keyof typeof EXTENSIONS} */ (o.type)]]);
  }
  // A sighting per item and page, with its count; watched items are sighted through their indicator.
  const sightings = bundle.objects.filter((o) => o.type === 'sighting' && !o.summary);
  assert.equal(sightings.length, data.sightings.length);
  const indicators = bundle.objects.filter((o) => o.type === 'indicator');
  assert.ok(indicators.every((i) => /^\[[a-z0-9-]+:[a-z_]+ = '(?:[^'\\]|\\.)*'( AND [a-z0-9-]+:[a-z_]+ = '(?:[^'\\]|\\.)*')*\]$/.test(i.pattern)), 'patterns are STIX comparison expressions');
  assert.ok(!indicators.some((i) => i.pattern.includes('****')), 'no indicator on a masked card');
  assert.ok(bundle.objects.some((o) => o.type === 'sighting' && o.summary && o.count > 0), 'compacted counts are a summary sighting');
});

test('STIX 2.1: cards and IBANs are masked unless asked for in clear; ids are the same in a second export', async () => {
  const masked = JSON.stringify(await stixBundle({ ...data, clear: new Map() }));
  assert.ok(!masked.includes(CARD) && !masked.includes(IBAN), 'no clear card or IBAN');
  assert.ok(masked.includes('****1111') && masked.includes('****6819'));
  const clear = await stixBundle(data);
  const text = JSON.stringify(clear);
  assert.ok(text.includes(CARD) && text.includes(IBAN));
  const card = clear.objects.find((o) => o.type === 'payment-card');
  assert.equal(card.x_flaglight_masked, false);
  assert.ok(clear.objects.some((o) => o.type === 'indicator' && o.pattern === `[payment-card:value = '${CARD}']`));
  const again = await stixBundle(data);
  assert.deepEqual(again.objects.map((o) => o.id), clear.objects.map((o) => o.id));
});

// ---- MISP -------------------------------------------------------------------------------------

test('MISP: the event as MISP imports it; every object against its misp-objects definition', async () => {
  const event = await mispEvent({ ...data, clear: new Map() });
  const names = await checkMisp(event);
  for (const n of ['btc-wallet', 'coin-address', 'credit-card', 'bank-account', 'phone-number', 'url', 'telegram-account', 'twitter-account', 'facebook-group', 'facebook-page', 'facebook-account', 'reddit-subreddit', 'reddit-account', 'instagram-account', 'youtube-channel', 'social-media-group']) {
    assert.ok(names.has(n), `has ${n}`);
  }
  const text = JSON.stringify(event);
  assert.ok(!text.includes(CARD) && !text.includes(IBAN), 'masked');
  const card = event.Event.Object.find((/** @type {any} */ o) => o.name === 'credit-card');
  assert.equal(card.Attribute[0].value, '1111');
  assert.equal(card.Attribute[0].disable_correlation, true, 'a mask does not correlate');
  const clear = JSON.stringify(await mispEvent(data));
  assert.ok(clear.includes(CARD) && clear.includes(IBAN));
});

test('CSV: one row per item and page, RFC 4180, masked cards', () => {
  const csv = sightingsCsv({ ...data, clear: new Map() });
  const rows = parseCsvRecords(csv, { relax_quotes: false, relax_column_count: false });
  assert.deepEqual(rows[0], CSV_COLUMNS);
  const compacted = data.items.reduce((n, i) => n + Object.keys(i.days ?? {}).length, 0);
  assert.equal(rows.length - 1, data.sightings.length + compacted);
  assert.ok(!csv.includes(CARD));
  const card = rows.find((r) => r[1] === 'card');
  assert.equal(card?.[2], '•••• 1111');
  assert.equal(card?.[3], 'yes');
  assert.ok(rows.some((r) => r[10] === 'https://forum.example.org/t/1?q=%27quoted%27' && r[11] === 'Page 2 "title"'), 'a page and a title with quotes survive');
  assert.ok(rows.some((r) => r[2] === "'+79161234567"), 'a value a spreadsheet would run is guarded');
});
