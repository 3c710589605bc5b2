// The evidence package (common/wacz.js) built and verified in Node with the
// same code the background runs; RFC 3161 tokens (common/tsp.js) checked
// against OpenSSL's own timestamp authority (`openssl ts -reply`) and
// verified back with `openssl ts -verify`; the MHTML reader; the Web
// Annotation export's code points and empty collections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { buildWacz, hex, sha256, verifyWacz } from '../../extension/common/wacz.js';
import { readTimestampResponse, readTimestampToken, timestampRequest } from '../../extension/common/tsp.js';
import { mhtmlParts } from '../../extension/common/mhtml.js';
import { cssUrls, rewriteCssUrls } from '../../extension/common/css-urls.js';
import { fromJsonLd, toJsonLd } from '../../extension/common/evidence.js';
import { anchorExact, codePointCount, describe, utf16Offset } from '../../extension/common/anchoring.js';

const enc = new TextEncoder();
const CREATED = '2026-12-01T09:30:00.000Z';
const URL_ = 'https://forum.example/t/123';

async function keyPair() {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

/** @param {CryptoKeyPair} kp */
function signer(kp) {
  return async (/** @type {Uint8Array} */ message) => ({
    signature: new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, kp.privateKey, message)),
    publicKey: new Uint8Array(await crypto.subtle.exportKey('spki', kp.publicKey)),
  });
}

/** @param {CryptoKeyPair} kp @param {any} [extra] */
function input(kp, extra = {}) {
  return {
    created: CREATED,
    software: 'flaglight 0.0.0-test',
    title: 'flaglight: a forum thread',
    page: { url: URL_, title: 'A forum thread', text: 'The thread text.' },
    info: { software: 'flaglight 0.0.0-test', format: 'WARC File Format 1.1' },
    parts: [
      { type: 'resource', uri: URL_, mime: 'text/html; charset=utf-8', body: enc.encode('<!DOCTYPE html><p>The thread text.</p>') },
      { type: 'resource', uri: `urn:text:${URL_}`, mime: 'text/plain; charset=utf-8', body: enc.encode('The thread text.'), about: URL_ },
      { type: 'metadata', uri: `urn:flaglight:findings:${URL_}`, mime: 'application/json', body: enc.encode('[]\n'), about: URL_ },
    ],
    sign: signer(kp),
    ...extra,
  };
}

/** @param {Uint8Array} bytes @param {string} file @param {(d: Uint8Array) => Uint8Array} change */
function rewrite(bytes, file, change) {
  const entries = unzipSync(bytes);
  entries[file] = change(new Uint8Array(entries[file]));
  return zipSync(Object.fromEntries(Object.entries(entries).map(([p, d]) => [p, [d, { level: 0 }]])));
}

test('a package: WACZ 1.1.1 files, every digest listed, the WARC records in order, signed with the key', async () => {
  const kp = await keyPair();
  const built = await buildWacz(input(kp));
  const entries = unzipSync(built.bytes);
  assert.deepEqual(Object.keys(entries).sort(), ['archive/data.warc.gz', 'datapackage-digest.json', 'datapackage.json', 'indexes/index.cdx', 'pages/pages.jsonl']);
  const dp = JSON.parse(new TextDecoder().decode(entries['datapackage.json']));
  assert.equal(dp.wacz_version, '1.1.1');
  assert.equal(dp.created, CREATED);
  for (const r of dp.resources) assert.equal(r.hash, `sha256:${hex(await sha256(entries[r.path]))}`, r.path);
  assert.equal(built.hash, `sha256:${hex(await sha256(entries['datapackage.json']))}`);
  const pages = new TextDecoder().decode(entries['pages/pages.jsonl']).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(pages[0].format, 'json-pages-1.0');
  assert.equal(pages[1].url, URL_);
  const v = await verifyWacz(built.bytes);
  assert.deepEqual(v.problems, []);
  assert.equal(v.signature, true);
  assert.deepEqual(v.records.map((r) => `${r.type} ${r.uri}`), ['warcinfo ', `resource ${URL_}`, `resource urn:text:${URL_}`, `metadata urn:flaglight:findings:${URL_}`]);
  // The index points at each record (offset, length) in the WARC file.
  const cdx = new TextDecoder().decode(entries['indexes/index.cdx']).trim().split('\n');
  assert.equal(cdx.length, 3);
  for (const line of cdx) {
    const j = JSON.parse(line.slice(line.indexOf('{')));
    assert.equal(entries['archive/data.warc.gz'][j.offset], 0x1f, 'a gzip member starts there');
  }
  // With the key a team published, and with another one.
  const spki = v.publicKey;
  assert.equal((await verifyWacz(built.bytes, { expectKey: spki })).ok, true);
  const other = Buffer.from(new Uint8Array(await crypto.subtle.exportKey('spki', (await keyPair()).publicKey))).toString('base64');
  const r = await verifyWacz(built.bytes, { expectKey: other });
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((p) => p.includes('another key')));
});

test('one changed byte anywhere is found and named', async () => {
  const built = await buildWacz(input(await keyPair()));
  const warc = rewrite(built.bytes, 'archive/data.warc.gz', (d) => ((d[d.length - 30] ^= 1), d));
  assert.ok((await verifyWacz(warc)).problems.some((p) => p.startsWith('archive/data.warc.gz: SHA-256')));
  const dp = rewrite(built.bytes, 'datapackage.json', (d) => ((d[20] ^= 1), d));
  const v = await verifyWacz(dp);
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.startsWith('datapackage-digest.json: hash')), JSON.stringify(v.problems));
  const sig = rewrite(built.bytes, 'datapackage-digest.json', (d) => {
    const j = JSON.parse(new TextDecoder().decode(d));
    const s = Buffer.from(j.signedData.signature, 'base64');
    s[5] ^= 1;
    j.signedData.signature = s.toString('base64');
    return enc.encode(JSON.stringify(j));
  });
  const vs = await verifyWacz(sig);
  assert.equal(vs.signature, false);
  const extra = zipSync({ ...Object.fromEntries(Object.entries(unzipSync(built.bytes)).map(([p, d]) => [p, [d, { level: 0 }]])), 'archive/more.txt': [enc.encode('x'), { level: 0 }] });
  assert.ok((await verifyWacz(extra)).problems.some((p) => p.startsWith('archive/more.txt: in the package but not listed')));
  assert.match((await verifyWacz(enc.encode('not a zip'))).problems[0], /^not a zip file/);
});

test('tools/verify-wacz.mjs: OK for the package and the key given, FAIL (exit 1) for another key or a changed byte', async () => {
  const kp = await keyPair();
  const built = await buildWacz(input(kp));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flaglight-verify-'));
  try {
    const spki = Buffer.from(new Uint8Array(await crypto.subtle.exportKey('spki', kp.publicKey))).toString('base64');
    await writeFile(path.join(dir, 'key.pem'), `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`);
    await writeFile(path.join(dir, 'good.wacz'), built.bytes);
    await writeFile(path.join(dir, 'bad.wacz'), rewrite(built.bytes, 'pages/pages.jsonl', (d) => ((d[3] ^= 1), d)));
    const tool = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'tools', 'verify-wacz.mjs');
    const run = (/** @type {string[]} */ a) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [tool, ...a], { encoding: 'utf8' }) };
      } catch (e) {
        return { code: /** @type {any} */ (e).status, out: String(/** @type {any} */ (e).stdout) };
      }
    };
    const good = run([path.join(dir, 'good.wacz'), '--key', path.join(dir, 'key.pem')]);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /signature: valid/);
    assert.match(good.out, /, the key given/);
    assert.match(good.out, /OK: every check passed/);
    const other = Buffer.from(new Uint8Array(await crypto.subtle.exportKey('spki', (await keyPair()).publicKey))).toString('base64');
    const wrongKey = run([path.join(dir, 'good.wacz'), '--key', other]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.out, /NOT the key given/);
    const bad = run([path.join(dir, 'bad.wacz')]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /FAIL pages\/pages\.jsonl: SHA-256/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Runs openssl in a directory (throws when it fails or is missing). */
function openssl(args, cwd) {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('RFC 3161: our request answered by OpenSSL\'s timestamp authority; the token is stored and verifies with openssl ts -verify', async (t) => {
  try {
    openssl(['version']);
  } catch {
    t.skip('openssl is not installed');
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flaglight-tsa-'));
  try {
    await writeFile(
      path.join(dir, 'tsa.cnf'),
      [
        '[ req ]', 'distinguished_name = dn', 'prompt = no', '[ dn ]', 'CN = Test TSA',
        '[ tsa_ext ]', 'extendedKeyUsage = critical,timeStamping', 'basicConstraints = CA:false',
        '[ tsa ]', 'default_tsa = tsa_config', '[ tsa_config ]', `dir = ${dir}`, 'serial = $dir/serial',
        'signer_cert = $dir/tsa.pem', 'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1',
        'digests = sha256', 'accuracy = secs:1', 'ordering = no', 'tsa_name = no', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'serial'), '01\n');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.pem', '-days', '2', '-config', 'tsa.cnf', '-extensions', 'tsa_ext'], dir);

    const nonce = crypto.getRandomValues(new Uint8Array(8));
    let sentDigest = null;
    const built = await buildWacz(
      input(await keyPair(), {
        timestamp: async (/** @type {Uint8Array} */ digest) => {
          sentDigest = digest;
          await writeFile(path.join(dir, 'req.tsq'), timestampRequest(digest, nonce));
          openssl(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', 'req.tsq', '-out', 'resp.tsr'], dir);
          const resp = new Uint8Array(await readFile(path.join(dir, 'resp.tsr')));
          // Another digest or another nonce is refused.
          assert.throws(() => readTimestampResponse(resp, new Uint8Array(32), nonce), /another digest/);
          assert.throws(() => readTimestampResponse(resp, digest, new Uint8Array(8).fill(7)), /nonce is not ours/);
          const { token, genTime } = readTimestampResponse(resp, digest, nonce);
          return { token, genTime, authority: 'http://127.0.0.1/tsa' };
        },
      }),
    );
    const entries = unzipSync(built.bytes);
    assert.deepEqual(sentDigest, await sha256(entries['datapackage.json']), 'only the digest of datapackage.json is sent');
    const digestFile = JSON.parse(new TextDecoder().decode(entries['datapackage-digest.json']));
    assert.equal(digestFile.timestamp.authority, 'http://127.0.0.1/tsa');
    const token = Buffer.from(digestFile.timestamp.token, 'base64');
    const v = await verifyWacz(built.bytes);
    assert.deepEqual(v.problems, []);
    assert.match(v.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(v.timestamp, built.timestamped);
    assert.ok(Math.abs(Date.parse(v.timestamp) - Date.now()) < 10 * 60_000, 'the authority\'s time, now');
    assert.equal(readTimestampToken(token, sentDigest).genTime, v.timestamp);
    // OpenSSL verifies the stored token against datapackage.json and the authority's certificate.
    await writeFile(path.join(dir, 'token.der'), token);
    await writeFile(path.join(dir, 'datapackage.json'), entries['datapackage.json']);
    const out = openssl(['ts', '-verify', '-in', 'token.der', '-token_in', '-data', 'datapackage.json', '-CAfile', 'tsa.pem', '-untrusted', 'tsa.pem'], dir).toString();
    assert.match(out, /Verification: OK/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('MHTML parts by Content-Location: base64, quoted-printable and 8bit bodies', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 250]);
  const mhtml = [
    'From: <Saved by Blink>',
    'Snapshot-Content-Location: https://forum.example/t/1',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related;',
    '\ttype="text/html";',
    '\tboundary="----MultipartBoundary--abc----"',
    '',
    '',
    '------MultipartBoundary--abc----',
    'Content-Type: text/html',
    'Content-ID: <frame-1@mhtml.blink>',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Location: https://forum.example/t/1',
    '',
    '<p class=3D"x">caf=C3=A9 and a long line=',
    ' continued</p>',
    '------MultipartBoundary--abc----',
    'Content-Type: image/png',
    'Content-Transfer-Encoding: base64',
    'Content-Location: https://forum.example/a.png',
    '',
    png.toString('base64'),
    '------MultipartBoundary--abc----',
    'Content-Type: text/css',
    'Content-Transfer-Encoding: 8bit',
    'Content-Location: https://forum.example/s.css',
    '',
    'p { color: red }',
    '------MultipartBoundary--abc------',
    '',
  ].join('\r\n');
  const parts = mhtmlParts(new TextEncoder().encode(mhtml));
  assert.deepEqual([...parts.keys()], ['https://forum.example/t/1', 'https://forum.example/a.png', 'https://forum.example/s.css']);
  assert.equal(new TextDecoder().decode(parts.get('https://forum.example/t/1').bytes), '<p class="x">café and a long line continued</p>');
  assert.deepEqual(Buffer.from(parts.get('https://forum.example/a.png').bytes), png);
  assert.equal(parts.get('https://forum.example/a.png').mime, 'image/png');
  assert.equal(new TextDecoder().decode(parts.get('https://forum.example/s.css').bytes), 'p { color: red }');
  assert.equal(mhtmlParts(enc.encode('no headers')).size, 0);
});

test('CSS url()s: quoted, unquoted and escaped, rewritten safely', () => {
  const css = `a { background: url(a.png) } b { background: url( "b \\" c.png" ) } i { src: url('d.woff2') format("woff2") }`;
  assert.deepEqual(cssUrls(css), ['a.png', 'b " c.png', 'd.woff2']);
  const out = rewriteCssUrls(css, (u) => (u === 'a.png' ? 'data:image/png;base64,AAA=' : `x"${u}`));
  assert.equal(cssUrls(out)[0], 'data:image/png;base64,AAA=');
  assert.deepEqual(cssUrls(out).slice(1), ['x"b " c.png', 'x"d.woff2']);
});

test('Web Annotations: TextPositionSelector in code points (emoji count once), UTF-16 inside; an empty export has no page', async () => {
  const text = 'Reminder 🔥🔥: meet 🎉 at noon. Brothers, send your zakat to the card 4111 before Friday.';
  const exact = 'send your zakat to the card 4111';
  const start = text.indexOf(exact);
  const sel = describe(text, start, start + exact.length);
  assert.deepEqual(sel.position, { start, end: start + exact.length, codePoints: { start: start - 3, end: start - 3 + exact.length } });
  assert.equal(codePointCount(text, 0, text.length), [...text].length);
  assert.equal(utf16Offset(text, start - 3), start);
  const flag = {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    url: 'https://vk.com/wall-1_2',
    title: 'Wall',
    created: '2026-11-29T10:00:00.000Z',
    modified: '2026-11-29T10:00:00.000Z',
    category: 'donation',
    severity: 'high',
    note: '',
    ...sel,
  };
  const doc = await toJsonLd([flag]);
  assert.match(doc.first.id, /^urn:sha256:[0-9a-f]{64}#page-1$/);
  assert.equal(doc.first.partOf, doc.id);
  const pos = doc.first.items[0].target.selector.find((s) => s.type === 'TextPositionSelector');
  assert.equal([...text].slice(pos.start, pos.end).join(''), exact);
  // Imported back: the code points are kept, and anchoring converts them against the text.
  const { flags, errors } = fromJsonLd(JSON.parse(JSON.stringify(doc)));
  assert.deepEqual(errors, []);
  assert.deepEqual(flags[0].position.codePoints, { start: pos.start, end: pos.end });
  const anchor = anchorExact(text, { quote: flags[0].quote, position: flags[0].position });
  assert.deepEqual([anchor.start, anchor.end, anchor.method], [start, start + exact.length, 'position']);
  assert.deepEqual(await toJsonLd(flags), doc, 'export -> import -> export is identical');

  const empty = await toJsonLd([]);
  assert.equal(empty.total, 0);
  assert.equal('first' in empty, false, 'no AnnotationPage without annotations');
  assert.match(empty.id, /^urn:sha256:/);
  assert.deepEqual(fromJsonLd(empty), { flags: [], errors: [] });
});

test('protocol: capture requests are checked on receipt (ids, the MHTML field, the authority URL)', async () => {
  const { validate } = await import('../../extension/common/protocol.js');
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
  assert.equal(validate('fromUi', { type: 'capturePreserve', tabId: 3 }), null);
  assert.equal(validate('fromUi', { type: 'capturePreserve', tabId: 3, mhtml: Buffer.from('MIME').toString('base64') }), null);
  assert.match(validate('fromUi', { type: 'capturePreserve', tabId: 3, mhtml: 'not base64!' }), /invalid mhtml/);
  assert.match(validate('fromUi', { type: 'capturePreserve', tabId: 3, mhtml: 'A'.repeat(48 * 1024 * 1024) }), /invalid mhtml/, 'over the cap');
  assert.match(validate('fromUi', { type: 'capturePreserve', tabId: 3, url: 'https://x' }), /unexpected field url/);
  assert.equal(validate('fromUi', { type: 'captureDelete', id }), null);
  assert.match(validate('fromUi', { type: 'captureDelete', id: '../packages' }), /invalid id/);
  const set = (tsaUrl) => validate('fromUi', { type: 'captureSettingsSet', tsaUrl, auto: false, mhtml: true });
  assert.equal(set(''), null, 'off');
  assert.equal(set('https://tsa.example.org/tsr'), null);
  assert.equal(set('http://127.0.0.1:8318/'), null, 'plain http only to this machine');
  assert.match(set('http://tsa.example.org/tsr'), /invalid tsaUrl/);
  assert.match(set('https://user:secret@tsa.example.org/'), /invalid tsaUrl/);
  assert.match(set('javascript:alert(1)'), /invalid tsaUrl/);
});

test('stored capture settings: checked field by field at start-up like the other records', async () => {
  const { KINDS, checkCaptureSettings } = await import('../../extension/common/records.js');
  const kind = KINDS.find((k) => k.match('captureSettings'));
  assert.ok(kind, 'a kind for the key');
  assert.deepEqual(checkCaptureSettings(undefined), { tsaUrl: '', auto: false, mhtml: true }, 'off by default');
  assert.deepEqual(kind.check({ tsaUrl: 'https://tsa.example.org/tsr', auto: true, mhtml: false }), { ok: true });
  const bad = kind.check({ tsaUrl: 'http://tsa.example.org/', auto: 'yes', mhtml: true });
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.keep, { tsaUrl: '', auto: false, mhtml: true }, 'the bad fields back to their defaults, the good one kept');
});
