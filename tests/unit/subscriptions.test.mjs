// Downloading a subscribed pack: URL rules, pins, the interval clamp, the
// size cap enforced while reading, and the request it makes (conditional
// headers, no credentials, no referrer).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  MAX_INTERVAL_HOURS,
  MIN_INTERVAL_HOURS,
  checkUrl,
  clampInterval,
  download,
  parsePin,
  readCapped,
} from '../../extension/background/subscriptions.js';

test('only https URLs (plain http to this machine), no user names', () => {
  assert.deepEqual(checkUrl(' https://packs.example.org/team.json#x '), { url: 'https://packs.example.org/team.json', origin: 'https://packs.example.org/*' });
  assert.deepEqual(checkUrl('http://127.0.0.1:8080/p.json'), { url: 'http://127.0.0.1:8080/p.json', origin: 'http://127.0.0.1/*' });
  assert.ok('error' in checkUrl('http://packs.example.org/team.json'));
  assert.ok('error' in checkUrl('https://user:pw@packs.example.org/team.json'));
  assert.ok('error' in checkUrl('ftp://example.org/p.json'));
  assert.ok('error' in checkUrl('packs.example.org'));
});

test('pins: hex or SRI base64, the same digest', () => {
  const body = Buffer.from('{"id":"x"}');
  const hex = createHash('sha256').update(body).digest('hex');
  const b64 = createHash('sha256').update(body).digest('base64');
  assert.equal(parsePin(hex.toUpperCase()), hex);
  assert.equal(parsePin(`sha256-${b64}`), hex);
  assert.equal(parsePin(''), '');
  assert.equal(parsePin('abc'), null);
});

test('intervals are clamped between a floor and a ceiling', () => {
  assert.equal(clampInterval(undefined), 24);
  assert.equal(clampInterval(0.01), MIN_INTERVAL_HOURS);
  assert.equal(clampInterval(10_000), MAX_INTERVAL_HOURS);
  assert.equal(clampInterval(6), 6);
  assert.equal(clampInterval('6'), 24);
});

test('the size cap stops reading a body that passes it, declared or not', async () => {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024);
  const endless = new ReadableStream({
    pull(c) {
      pulled += 1;
      c.enqueue(chunk);
    },
  });
  await assert.rejects(readCapped(new Response(endless), 1024 * 1024), /larger than 1 MB/);
  assert.ok(pulled <= 20, `chunks read: ${pulled}`);
  const declared = new Response('x', { headers: { 'content-length': String(10 * 1024 * 1024) } });
  await assert.rejects(readCapped(declared, 1024 * 1024), /larger than 1 MB \(10 MB\)/);
  assert.equal((await readCapped(new Response('hello'), 1024)).byteLength, 5);
});

test('the request: conditional headers, no credentials, no referrer, no cache; failures say why', async () => {
  /** @type {any[]} */
  const seen = [];
  const fake = (/** @type {string} */ status, /** @type {string} */ body, /** @type {Record<string,string>} */ headers = {}) =>
    async (/** @type {string} */ url, /** @type {any} */ init) => {
      seen.push({ url, init });
      return new Response(Number(status) === 304 ? null : body, { status: Number(status), headers });
    };
  const sub = { etag: '"v1"', lastModified: 'Tue, 01 Jan 2030 00:00:00 GMT', pin: '' };
  const r304 = await download('https://p.example/x.json', sub, { fetch: /** @type {any} */ (fake('304', '')) });
  assert.deepEqual(r304, { status: 'not-modified' });
  const init = seen[0].init;
  assert.equal(init.headers['if-none-match'], '"v1"');
  assert.equal(init.headers['if-modified-since'], sub.lastModified);
  assert.equal(init.credentials, 'omit');
  assert.equal(init.referrerPolicy, 'no-referrer');
  assert.equal(init.cache, 'no-store');

  const ok = await download('https://p.example/x.json', { etag: '', lastModified: '', pin: '' }, { fetch: /** @type {any} */ (fake('200', '{"a":1}', { etag: '"v2"' })) });
  assert.equal(ok.status, 'ok');
  assert.equal(/** @type {any} */ (ok).etag, '"v2"');
  assert.equal(seen[1].init.headers['if-none-match'], undefined);

  await assert.rejects(download('https://p.example/x.json', { etag: '', lastModified: '', pin: '' }, { fetch: /** @type {any} */ (fake('500', 'no')) }), /HTTP 500/);
  await assert.rejects(download('https://p.example/x.json', { etag: '', lastModified: '', pin: '0'.repeat(64) }, { fetch: /** @type {any} */ (fake('200', '{}')) }), /not the pinned one/);
  const latin1 = async () => new Response(new Uint8Array([0x7b, 0xff, 0x7d]));
  await assert.rejects(download('https://p.example/x.json', { etag: '', lastModified: '', pin: '' }, { fetch: /** @type {any} */ (latin1) }), /not UTF-8/);
  const down = async () => {
    throw new TypeError('Failed to fetch');
  };
  await assert.rejects(download('https://p.example/x.json', { etag: '', lastModified: '', pin: '' }, { fetch: /** @type {any} */ (down) }), /network error \(Failed to fetch\)/);
});
