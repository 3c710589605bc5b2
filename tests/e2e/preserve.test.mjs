// "Preserve this page" (issue 15): the panel's button on a routed page
// (https://vk.com/preserve.html: emoji before the flagged passage, a sticky
// header, images from the page's server, a closed shadow root, text a script
// changed, a typed form field), then the package checked with other tools
// than the ones that wrote it: Webrecorder's Python `wacz validate`, Python
// warcio for every WARC record, node:crypto for the signature. The copy and
// the MHTML are opened in Chromium with scripts disabled. Also: preserving
// when a flag is saved, delete with undo, a package that does not fit, and a
// capture cut short by a service-worker restart; the popup's button with an
// RFC 3161 authority (OpenSSL's `openssl ts -reply` behind a routed host).
//
// The Python tools live in target/pyenv (`./build.sh test` installs them).
//
// tabs.captureVisibleTab needs the activeTab grant of a toolbar click (which
// a test cannot make) or the <all_urls> host permission: the test runs a copy
// of dist/chrome whose manifest adds <all_urls>, in place of that click.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { FIXTURES, ROOT, STRICT_CSP, decodePng, launch, openExtensionPage, probe, routeHost, serve, settle, tabIdFor, trackErrors, waitFor } from './harness.mjs';
import { verifyWacz } from '../../extension/common/wacz.js';

const URL_ = 'https://vk.com/preserve.html';
const PASSAGE = 'send your zakat to the card 4111 1111 1111 1111 before Friday, the fighters need new boots and radios';
const SECOND = 'Selling a used bicycle, almost new tyres';
const PYENV = path.join(ROOT, 'target', 'pyenv', 'bin');
const SCROLLED_TO = 1100;

let browser;
let server;
let tmp;
let page;
let tabId;
/** The background's requests for the page's images: their headers. @type {Record<string, string>[]} */
const workerImageRequests = [];

/** A timestamp authority on this machine: OpenSSL's (`openssl ts -reply`), with a test certificate. */
let tsa = '';
/** What it was sent. @type {{headers: Record<string, string>, body: Buffer}[]} */
const tsaRequests = [];
async function tsaSetup() {
  tsa = path.join(tmp, 'tsa');
  await mkdir(tsa);
  await writeFile(
    path.join(tsa, 'tsa.cnf'),
    [
      '[ req ]', 'distinguished_name = dn', 'prompt = no', '[ dn ]', 'CN = Test TSA',
      '[ tsa_ext ]', 'extendedKeyUsage = critical,timeStamping', 'basicConstraints = CA:false',
      '[ tsa ]', 'default_tsa = tsa_config', '[ tsa_config ]', `dir = ${tsa}`, 'serial = $dir/serial',
      'signer_cert = $dir/tsa.pem', 'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1',
      'digests = sha256', 'accuracy = secs:1', 'ordering = no', 'tsa_name = no', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
    ].join('\n'),
  );
  await writeFile(path.join(tsa, 'serial'), '01\n');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.pem', '-days', '2', '-config', 'tsa.cnf', '-extensions', 'tsa_ext'], { cwd: tsa, stdio: 'ignore' });
}

/** A PNG of one colour (what the page's server sends as its photos). @param {number} w @param {number} h @param {number[]} rgb */
function png(w, h, rgb) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Runs a program; resolves with its exit code and output (never rejects on a non-zero exit). */
function run(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Webrecorder's validator on a package file. @param {string} file */
function waczValidate(file) {
  return run(path.join(PYENV, 'wacz'), ['validate', '-f', file]);
}

/** Python warcio's reading of a package (tests/e2e/check-wacz.py). @param {string} file */
async function pyCheck(file) {
  const r = await run(path.join(PYENV, 'python'), [path.join(ROOT, 'tests', 'e2e', 'check-wacz.py'), file]);
  assert.ok(r.stdout, `check-wacz.py printed nothing: ${r.stderr}`);
  return { code: r.code, ...JSON.parse(r.stdout) };
}

/** Signature check with node:crypto alone (not the extension's code). @param {Uint8Array} bytes @param {string} publicKey */
function signatureHolds(bytes, publicKey) {
  const entries = unzipSync(bytes);
  const digest = JSON.parse(Buffer.from(entries['datapackage-digest.json']).toString('utf8'));
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  const actual = `sha256:${createHashHex(entries['datapackage.json'])}`;
  const signed = digest.signedData;
  const ok = nodeVerify('sha256', Buffer.from(signed.hash, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.signature, 'base64'));
  return ok && signed.hash === actual && digest.hash === actual;
}

/** @param {Uint8Array} data */
function createHashHex(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** The package with one file's bytes changed (zip rewritten, so only the content differs). */
function tampered(bytes, file, change) {
  const entries = unzipSync(bytes);
  entries[file] = change(new Uint8Array(entries[file]));
  return zipSync(Object.fromEntries(Object.entries(entries).map(([p, d]) => [p, [d, { level: 0 }]])));
}

/** Selects text in the page, from the start of one string to the end of another. */
function select(p, from, to) {
  return p.evaluate(
    ([a, b]) => {
      const find = (t) => {
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          const i = n.data.indexOf(t);
          if (i >= 0) return [n, i];
        }
        throw new Error(`no text ${t}`);
      };
      const [sn, si] = find(a);
      const [en, ei] = find(b);
      const r = document.createRange();
      r.setStart(sn, si);
      r.setEnd(en, ei + b.length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return getSelection().toString();
    },
    [from, to],
  );
}

/** Flags the selection through the command and the form, as a reviewer does. */
async function flag(category) {
  const sw = browser.sw;
  const r = await sw.evaluate((id) => globalThis.flaglight.flags.flagSelection(id), tabId);
  assert.equal(r.ok, true);
  await waitFor(async () => (await probe(browser.sw, tabId))[0]?.flagForm === 'new', { message: 'the flag form' });
  await page.keyboard.type(category);
  await page.keyboard.press('Control+Enter');
  await waitFor(async () => (await probe(browser.sw, tabId))[0]?.flagForm === 'none', { message: 'the form closes' });
}

/** The panel in a window of its own (as the side panel is: the page's tab stays the active one). */
async function openPanel() {
  const url = `chrome-extension://${browser.extensionId}/panel/panel.html?tab=${tabId}`;
  const opened = browser.context.waitForEvent('page');
  await browser.sw.evaluate((u) => chrome.windows.create({ url: u, type: 'popup', width: 420, height: 900 }), url);
  const panel = await opened;
  await panel.waitForLoadState();
  await panel.locator('.capture-bar button').waitFor();
  return panel;
}

/** Records as the panel lists them. @param {import('playwright-core').Page} panel */
const listed = (panel) => panel.locator('li.capture');

/** The stored captures, through the service worker. */
const stored = async () => (await (await browser.worker()).evaluate(() => globalThis.flaglight.captures.readCaptures())).captures;

/** Ids in the packages store (bytes without a record would be a broken package). */
const packageIds = () =>
  browser.worker().then((sw) =>
    sw.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('flaglight-captures');
          req.onsuccess = () => {
            const all = req.result.transaction('packages').objectStore('packages').getAllKeys();
            all.onsuccess = () => resolve(all.result.sort());
            all.onerror = () => reject(all.error);
          };
          req.onerror = () => reject(req.error);
        }),
    ),
  );

/** Downloads a listed package from the panel and returns its bytes. @param {import('playwright-core').Page} panel @param {number} index */
async function download(panel, index) {
  const wait = panel.waitForEvent('download');
  await listed(panel).nth(index).locator('.actions button').first().click();
  const d = await wait;
  const file = path.join(tmp, d.suggestedFilename());
  await d.saveAs(file);
  return { file, name: d.suggestedFilename(), bytes: new Uint8Array(await readFile(file)) };
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'flaglight-preserve-'));
  for (const tool of ['wacz', 'python']) {
    await stat(path.join(PYENV, tool)).catch(() => {
      throw new Error(`${path.join(PYENV, tool)} is missing: ./build.sh test installs the Python WACZ tools in target/pyenv`);
    });
  }
  const ext = path.join(tmp, 'extension');
  await cp(path.join(ROOT, 'dist', 'chrome'), ext, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(ext, 'manifest.json'), 'utf8'));
  manifest.host_permissions.push('<all_urls>');
  await writeFile(path.join(ext, 'manifest.json'), JSON.stringify(manifest));
  server = await serve(FIXTURES, { csp: STRICT_CSP, cspFor: (p) => (p === '/frames.html' ? `${STRICT_CSP}; frame-src 'self' https://x.com` : undefined) });
  browser = await launch({ extension: ext });
  await routeHost(browser.context, 'https://vk.com', server.base);
  await routeHost(browser.context, 'https://x.com', server.base);
  const images = { '/img/photo.png': png(120, 80, [200, 60, 40]), '/img/dots.png': png(8, 8, [236, 238, 242]) };
  await browser.context.route('https://vk.com/img/**', async (route) => {
    const req = route.request();
    if (req.serviceWorker()) workerImageRequests.push(await req.allHeaders());
    const body = images[new URL(req.url()).pathname];
    if (!body) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'no-store' }, body });
  });
  await tsaSetup();
  await browser.context.route('https://tsa.example/**', async (route) => {
    const req = route.request();
    const body = req.postDataBuffer() ?? Buffer.alloc(0);
    tsaRequests.push({ headers: await req.allHeaders(), body });
    await writeFile(path.join(tsa, 'req.tsq'), body);
    try {
      execFileSync('openssl', ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', 'req.tsq', '-out', 'resp.tsr'], { cwd: tsa, stdio: 'ignore' });
    } catch {
      return route.fulfill({ status: 500, body: 'openssl failed' });
    }
    return route.fulfill({ status: 200, headers: { 'content-type': 'application/timestamp-reply' }, body: await readFile(path.join(tsa, 'resp.tsr')) });
  });
  // The moderator is logged in to the site: the copy's image requests must not carry the cookie.
  await browser.context.addCookies([{ name: 'remixsid', value: 'moderator-session', domain: 'vk.com', path: '/', secure: true }]);
  page = await browser.context.newPage();
  await page.goto(URL_);
  tabId = await tabIdFor(browser.sw, URL_);
  await settle(browser.sw, tabId, { min: 1 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The first package, shared by the tests that read it. */
let first;
let publicKey;

test('the panel preserves the page: wacz validate accepts the package, warcio reads every record and its digest matches', async () => {
  const errors = trackErrors(page);
  assert.equal(await select(page, 'send your zakat', 'and radios'), PASSAGE);
  await flag('donation');
  await page.evaluate((y) => window.scrollTo(0, y), SCROLLED_TO);
  const panel = await openPanel();
  const panelErrors = trackErrors(panel);
  assert.match(await panel.locator('.capture-space').textContent(), /Storage: .* used of .*/);
  await panel.locator('.capture-bar button').click();
  await waitFor(async () => /Preserved: /.test((await panel.locator('.capture-status').textContent()) ?? ''), { timeout: 60_000, message: 'preserved' });
  await listed(panel).first().waitFor();
  assert.equal(await listed(panel).count(), 1);
  const item = await listed(panel).first().textContent();
  for (const part of ['page copy (HTML)', 'MHTML', 'full-page screenshot', 'text', '1 flag']) assert.ok(item.includes(part), `${part} in "${item}"`);
  assert.match(item, /\d+(\.\d)? (KB|MB)/, 'its size');
  assert.equal(await page.evaluate(() => window.scrollY), SCROLLED_TO, 'the page is back where the moderator was');

  const got = await download(panel, 0);
  assert.match(got.name, /^flaglight-vk\.com-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.wacz$/);
  first = got;
  const [record] = await stored();
  console.log(`preserve.html: ${record.bytes} bytes in ${record.ms} ms; notes: ${JSON.stringify(record.notes)}`);
  assert.deepEqual(record.notes, [], 'nothing was left out');

  const v = await waczValidate(got.file);
  assert.equal(v.code, 0, `wacz validate: ${v.stdout}\n${v.stderr}`);
  assert.match(v.stdout, /Validation succeeded, the passed WACZ is valid/);

  const py = await pyCheck(got.file);
  assert.deepEqual(py.problems, []);
  assert.equal(py.code, 0);
  assert.deepEqual(py.files.sort(), ['archive/data.warc.gz', 'datapackage-digest.json', 'datapackage.json', 'indexes/index.cdx', 'pages/pages.jsonl']);
  const types = py.records.map((r) => `${r.type} ${(r.uri ?? '').replace(/https:\/\/vk\.com\/preserve\.html$/, 'PAGE')}`);
  assert.deepEqual(types, [
    'warcinfo ',
    'resource PAGE',
    'resource urn:mhtml:PAGE',
    'resource urn:view:PAGE',
    'resource urn:text:PAGE',
    'metadata urn:flaglight:findings:PAGE',
    'metadata urn:flaglight:annotations:PAGE',
    'metadata urn:flaglight:sightings:PAGE',
    'metadata urn:flaglight:capture:PAGE',
  ]);
  assert.ok(py.records.every((r) => r.version === 'WARC/1.1'), 'WARC 1.1 records');
  const pageRecord = py.records[1];
  for (const r of py.records.slice(2)) assert.equal(r.concurrentTo, pageRecord.id, `${r.uri} points at the page record`);
  assert.ok(py.records.every((r) => r.date === py.records[0].date), 'one capture time');

  // The copy: the DOM as it is now, self-contained, with nothing to run.
  const html = pageRecord.text;
  assert.ok(html.includes(PASSAGE), 'the flagged passage is in the copy');
  assert.ok(html.includes('the caravan leaves at dawn'), 'the closed shadow root is flattened into the copy');
  assert.ok(html.includes('(edited by script)'), 'what a script changed');
  assert.ok(html.includes('value="typed before preserving"'), 'what was typed in a field');
  assert.doesNotMatch(html, /<script|preserve\.js|\son[a-z]+=/i, 'no script, no handlers');
  assert.doesNotMatch(html, /https:\/\/vk\.com\/img\//, 'no image is loaded from the site');
  assert.ok((html.match(/data:image\/png;base64,/g) ?? []).length >= 2, 'the photo and the background as data: URLs');

  // The text as the engine read it, and the flag as a Web Annotation whose
  // TextPositionSelector counts code points (the emoji before it count once).
  const text = py.records[4].text;
  const annotations = JSON.parse(py.records[6].text);
  assert.equal(annotations.type, 'AnnotationCollection');
  assert.equal(annotations.total, 1);
  assert.match(annotations.first.id, /^urn:sha256:[0-9a-f]{64}#page-1$/, 'the AnnotationPage has its own IRI');
  const selectors = annotations.first.items[0].target.selector;
  const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
  const pos = selectors.find((s) => s.type === 'TextPositionSelector');
  assert.equal(quote.exact, PASSAGE);
  assert.equal([...text].slice(pos.start, pos.end).join(''), PASSAGE, 'code points');
  assert.ok(text.indexOf(PASSAGE) > pos.start, 'astral characters before it: UTF-16 offsets would differ');
  const findings = JSON.parse(py.records[5].text);
  assert.ok(findings.length >= 1 && findings.every((f) => f.rule && f.category && f.severity && 'description' in f), JSON.stringify(findings[0]));
  assert.ok(findings.some((f) => f.text.includes('4111')), 'the card number finding');
  const info = JSON.parse(py.records[8].text);
  const seen = JSON.parse(py.records[7].text);
  assert.ok(seen && typeof seen === 'object', 'what the sightings store knows of the page');
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'dist', 'chrome', 'manifest.json'), 'utf8'));
  assert.equal(info.url, URL_);
  assert.equal(info.title, 'Community wall: Volunteers of the Steppe');
  assert.equal(info.capturedAt, record.created);
  assert.equal(info.extension.version, manifest.version);
  assert.match(info.browser.userAgent, /Chrome\/\d+/);
  assert.ok(info.packs.length >= 1 && info.packs.every((p) => p.id && p.version), JSON.stringify(info.packs));
  assert.ok('model' in info);
  assert.equal(info.screenshot.scrollRestored, true);
  // The images came from Chrome's MHTML: nothing was asked of the site again.
  assert.ok(info.pageCopy.fromMhtml >= 2 && info.pageCopy.fetched === 0, JSON.stringify(info.pageCopy));
  assert.equal(workerImageRequests.length, 0);

  // The full-page screenshot: the page's whole height, in several tiles.
  const full = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: window.innerWidth, dpr: devicePixelRatio }));
  assert.equal(info.screenshot.height, Math.round(full.h * full.dpr));
  assert.ok(info.screenshot.tiles >= 2, `${info.screenshot.tiles} tiles`);
  // Stitched from the top: the sticky header once, at the top, not again where the second view starts.
  const shot = decodePng(await recordBytes(got.file, 'urn:view:'));
  assert.equal(shot.height, info.screenshot.height);
  const view = await page.evaluate(() => window.innerHeight * devicePixelRatio);
  const header = [0x24, 0x47, 0x6b];
  assert.deepEqual(shot.pixel(5, 5), header, 'the header at the top');
  assert.notDeepEqual(shot.pixel(5, view + 5), header, 'not repeated below the first view');
  assert.notDeepEqual(shot.pixel(5, shot.height - 5), [0, 0, 0], 'the last view drawn');

  // The signature verifies with the public key the options page shows.
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options/options.html#preserve`);
  await waitFor(async () => (await options.locator('#public-key').inputValue()).length > 80, { message: 'the public key shown' });
  publicKey = await options.locator('#public-key').inputValue();
  assert.match(await options.locator('#key-fingerprint').textContent(), /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  await options.close();
  assert.equal(py.publicKey, publicKey, 'the package carries the same public key');
  assert.equal(signatureHolds(got.bytes, publicKey), true, 'node:crypto verifies the signature');
  const ours = await verifyWacz(got.bytes, { expectKey: publicKey });
  assert.deepEqual(ours.problems, []);
  await panel.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(panelErrors, []);
});

test('frames: the same-origin frame inlined, the cross-origin one filled with its own copy and kept at its URL; every frame\'s text', async () => {
  const framed = await browser.context.newPage();
  await framed.goto('https://vk.com/frames.html');
  const id = await tabIdFor(browser.sw, 'https://vk.com/frames.html');
  await settle(browser.sw, id, { min: 3 });
  const r = await (await browser.worker()).evaluate((t) => globalThis.flaglight.captures.preserve(t, 'button'), id);
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(r.record.notes.filter((n) => !n.startsWith('No MHTML')), [], 'nothing else left out');
  assert.equal(r.record.counts.frames, 2);
  const bytes = await (await browser.worker()).evaluate(async (cid) => {
    const got = await globalThis.flaglight.captures.readPackage(cid);
    return Array.from(new Uint8Array(await got.blob.arrayBuffer()));
  }, r.id);
  const file = path.join(tmp, 'frames.wacz');
  await writeFile(file, new Uint8Array(bytes));
  assert.equal((await waczValidate(file)).code, 0);
  const py = await pyCheck(file);
  assert.deepEqual(py.problems, []);
  const byUri = Object.fromEntries(py.records.map((x) => [`${x.type} ${x.uri ?? ''}`, x]));
  const top = byUri['resource https://vk.com/frames.html'].text;
  assert.ok(top.includes('Top frame: Analysts say ISIS lost.'));
  // Frames are inlined as srcdoc (escaped HTML): their text is in the attribute.
  assert.ok(top.includes('Same-origin frame: боевики ИГИЛ.'), 'the same-origin frame inside the copy');
  assert.ok(top.includes('Cross-origin frame: Daesh recruiters.'), 'the cross-origin frame filled with its own copy');
  assert.doesNotMatch(top, /flres[a-z0-9]+-/, 'no token left unfilled');
  assert.ok(byUri['resource https://x.com/frame-x.html'].text.includes('Cross-origin frame: Daesh recruiters.'), 'the frame\'s copy at its own URL');
  assert.ok(byUri['resource urn:text:https://x.com/frame-x.html'].text.includes('Daesh recruiters'), 'the frame\'s text');
  assert.ok(byUri['resource urn:text:https://vk.com/frames.html'].text.includes('Top frame'));
  // Opened with scripts off, the frames show their text.
  const viewer = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(viewer);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  const htmlFile = path.join(tmp, 'frames.html');
  await writeFile(htmlFile, top);
  await viewer.goto(pathToFileURL(htmlFile).href);
  const texts = [];
  for (const f of viewer.frames()) texts.push(await f.locator('body').innerText().catch(() => ''));
  assert.ok(texts.some((x) => x.includes('Cross-origin frame: Daesh recruiters.')), JSON.stringify(texts));
  assert.ok(texts.some((x) => x.includes('Same-origin frame: боевики ИГИЛ.')), JSON.stringify(texts));
  await viewer.close();
  await framed.close();
  await page.bringToFront();
});

test('one changed byte: the archive no longer matches datapackage.json, or the signature no longer verifies', async () => {
  assert.ok(first, 'the first test made a package');
  // A byte inside the WARC (the zip rewritten around it, so only the content differs).
  const warcChanged = tampered(first.bytes, 'archive/data.warc.gz', (d) => {
    d[Math.floor(d.length / 2)] ^= 0x01;
    return d;
  });
  const file = path.join(tmp, 'warc-changed.wacz');
  await writeFile(file, warcChanged);
  const v = await waczValidate(file);
  assert.notEqual(v.code, 0, 'wacz validate refuses it');
  const py = await pyCheck(file);
  assert.ok(py.problems.some((p) => p.startsWith('archive/data.warc.gz: SHA-256')), JSON.stringify(py.problems));
  const ours = await verifyWacz(warcChanged, { expectKey: publicKey });
  assert.equal(ours.ok, false);
  assert.ok(ours.problems.some((p) => p.startsWith('archive/data.warc.gz')), JSON.stringify(ours.problems));

  // datapackage.json changed to list the new WARC, and its digest recomputed: the signature fails.
  const forged = tampered(warcChanged, 'datapackage.json', (d) => {
    const dp = JSON.parse(Buffer.from(d).toString('utf8'));
    const warc = unzipSync(warcChanged)['archive/data.warc.gz'];
    dp.resources.find((r) => r.path === 'archive/data.warc.gz').hash = `sha256:${createHashHex(warc)}`;
    return new TextEncoder().encode(JSON.stringify(dp, null, 2) + '\n');
  });
  const forgedDigest = tampered(forged, 'datapackage-digest.json', (d) => {
    const dg = JSON.parse(Buffer.from(d).toString('utf8'));
    const hash = `sha256:${createHashHex(unzipSync(forged)['datapackage.json'])}`;
    dg.hash = hash;
    dg.signedData.hash = hash;
    return new TextEncoder().encode(JSON.stringify(dg, null, 2) + '\n');
  });
  assert.equal(signatureHolds(forgedDigest, publicKey), false, 'node:crypto: the signature does not verify');
  const r = await verifyWacz(forgedDigest, { expectKey: publicKey });
  assert.equal(r.signature, false);
  assert.ok(r.problems.some((p) => p.startsWith('signature')), JSON.stringify(r.problems));
  // One byte of the signed text itself.
  const oneByte = tampered(first.bytes, 'datapackage.json', (d) => {
    const i = Buffer.from(d).indexOf('"title"');
    d[i + 12] ^= 0x20;
    return d;
  });
  assert.equal(signatureHolds(oneByte, publicKey), false);
  assert.equal((await verifyWacz(oneByte)).ok, false);
});

test('the copy and the MHTML, opened in Chromium with scripts disabled, show the flagged passage and the photo', async () => {
  assert.ok(first, 'the first test made a package');
  const py = await pyCheck(first.file);
  const htmlFile = path.join(tmp, 'copy.html');
  await writeFile(htmlFile, py.records[1].text);
  const mhtml = await mhtmlFromPackage(first.file);
  const mhtmlFile = path.join(tmp, 'page.mhtml');
  await writeFile(mhtmlFile, mhtml);
  for (const [label, file] of [['copy', htmlFile], ['mhtml', mhtmlFile]]) {
    const viewer = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(viewer);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await viewer.goto(pathToFileURL(file).href);
    const passage = viewer.getByText(PASSAGE, { exact: false });
    assert.equal(await passage.isVisible(), true, `${label}: the passage is shown`);
    const box = await viewer.locator('#photo').boundingBox();
    assert.ok(box && box.width === 120 && box.height === 80, `${label}: the photo's box ${JSON.stringify(box)}`);
    const shot = decodePng(await viewer.screenshot({ clip: { x: box.x + 10, y: box.y + 10, width: 20, height: 20 } }));
    assert.deepEqual(shot.pixel(5, 5), [200, 60, 40], `${label}: the photo is painted (from the package, not the network)`);
    if (label === 'copy') assert.equal(await viewer.getByText('the caravan leaves at dawn').isVisible(), true, 'the closed shadow root\'s text is shown');
    await viewer.close();
  }
});

/** A record's text, read with Python warcio, by the start of its URI. @param {Uint8Array} bytes @param {string} prefix */
async function recordText(bytes, prefix) {
  const file = path.join(tmp, `read-${Date.now()}.wacz`);
  await writeFile(file, bytes);
  const py = await pyCheck(file);
  return new TextEncoder().encode(py.records.find((r) => (r.uri ?? '').startsWith(prefix)).text);
}

/** A record's bytes, read with Python warcio, by the start of its URI. @param {string} file @param {string} prefix @returns {Promise<Buffer>} */
function recordBytes(file, prefix) {
  const script = [
    'import io, sys, zipfile',
    'from warcio.archiveiterator import ArchiveIterator',
    'z = zipfile.ZipFile(sys.argv[1])',
    "for r in ArchiveIterator(io.BytesIO(z.read('archive/data.warc.gz'))):",
    "    if (r.rec_headers.get_header('WARC-Target-URI') or '').startswith(sys.argv[2]):",
    '        sys.stdout.buffer.write(r.content_stream().read())',
    '        break',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(path.join(PYENV, 'python'), ['-c', script, file, prefix], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/** The MHTML record's bytes. @param {string} file */
async function mhtmlFromPackage(file) {
  const out = await recordBytes(file, 'urn:mhtml:');
  assert.ok(out.length > 1000 && out.toString('latin1').startsWith('From:'), 'an MHTML document');
  return out;
}

test('the popup preserves the page, with a trusted timestamp from the authority set in the options page (only the digest is sent)', async () => {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options/options.html#preserve`);
  await waitFor(async () => (await options.locator('#public-key').inputValue()).length > 80, { message: 'the section loaded' });
  assert.equal(await options.locator('#tsa-url').inputValue(), '', 'off by default');
  await options.locator('#tsa-url').fill('https://tsa.example/tsr');
  await options.locator('#capture-save').click();
  await waitFor(async () => /timestamped by https:\/\/tsa\.example\/tsr/.test((await options.locator('#capture-status').textContent()) ?? ''), { message: 'saved with the authority' });
  await options.close();
  await page.bringToFront();

  const count = (await stored()).length;
  const opened = browser.context.waitForEvent('page');
  await browser.sw.evaluate((u) => chrome.windows.create({ url: u, type: 'popup', width: 360, height: 600 }), `chrome-extension://${browser.extensionId}/popup/popup.html?tab=${tabId}`);
  const popup = await opened;
  await popup.locator('#preserve').waitFor();
  await popup.locator('#preserve').click();
  await waitFor(async () => /^Preserved: /.test((await popup.locator('#note').textContent()) ?? ''), { timeout: 60_000, message: 'preserved from the popup' });
  await popup.close();
  const list = await stored();
  assert.equal(list.length, count + 1);
  const rec = list[0];
  assert.ok(rec.timestamp, `timestamped: ${JSON.stringify(rec.notes)}`);
  assert.ok(rec.holds.includes('page-mhtml'), 'the popup made the MHTML');
  const bytes = new Uint8Array(
    await (await browser.worker()).evaluate(async (id) => {
      const got = await globalThis.flaglight.captures.readPackage(id);
      return Array.from(new Uint8Array(await got.blob.arrayBuffer()));
    }, rec.id),
  );
  const v = await verifyWacz(bytes, { expectKey: publicKey });
  assert.deepEqual(v.problems, []);
  assert.equal(v.timestamp, rec.timestamp);
  // The authority got one request: a TimeStampReq for the digest of datapackage.json, nothing more.
  assert.equal(tsaRequests.length, 1);
  const sent = tsaRequests[0];
  const entries = unzipSync(bytes);
  const digest = createHash('sha256').update(entries['datapackage.json']).digest();
  assert.ok(sent.body.includes(digest), 'the digest is in the request');
  assert.ok(sent.body.length < 80, `${sent.body.length} bytes: the digest, a nonce and the fixed fields`);
  assert.ok(!sent.headers.cookie && !sent.headers.referer, JSON.stringify(sent.headers));
  // OpenSSL verifies the stored token against datapackage.json with the authority's certificate.
  const dg = JSON.parse(Buffer.from(entries['datapackage-digest.json']).toString('utf8'));
  await writeFile(path.join(tsa, 'token.der'), Buffer.from(dg.timestamp.token, 'base64'));
  await writeFile(path.join(tsa, 'datapackage.json'), entries['datapackage.json']);
  const out = execFileSync('openssl', ['ts', '-verify', '-in', 'token.der', '-token_in', '-data', 'datapackage.json', '-CAfile', 'tsa.pem', '-untrusted', 'tsa.pem'], { cwd: tsa, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /Verification: OK/);
  await (await browser.worker()).evaluate(() => chrome.storage.local.set({ captureSettings: { tsaUrl: '', auto: false, mhtml: true } }));
});

test('with the option on, saving a flag preserves the page', async () => {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options/options.html#preserve`);
  await waitFor(async () => (await options.locator('#public-key').inputValue()).length > 80, { message: 'the section loaded' });
  await options.locator('#capture-auto').check();
  await options.locator('#capture-save').click();
  await waitFor(async () => (await options.locator('#capture-status').textContent()) === 'Saved.', { message: 'saved' });
  await options.close();
  await page.bringToFront();
  assert.equal(await select(page, 'Selling a used', 'new tyres'), SECOND);
  await flag('other');
  const auto = await waitFor(async () => (await stored()).find((c) => c.reason === 'flag'), { timeout: 60_000, message: 'a package made after the flag' });
  assert.equal(auto.counts.flags, 2);
  // The MHTML is made only when an extension page asks (a service worker cannot read it): said in the notes.
  assert.ok(!auto.holds.includes('page-mhtml'));
  assert.ok(auto.notes.some((n) => n.startsWith('No MHTML copy')), JSON.stringify(auto.notes));
  const bytes = await (await browser.worker()).evaluate(async (id) => {
    const got = await globalThis.flaglight.captures.readPackage(id);
    return Array.from(new Uint8Array(await got.blob.arrayBuffer()));
  }, auto.id);
  const v = await verifyWacz(new Uint8Array(bytes), { expectKey: publicKey });
  assert.deepEqual(v.problems, []);
  // Without the MHTML the background asked the site for the images, without the moderator's cookie.
  const info = JSON.parse(new TextDecoder().decode(await recordText(new Uint8Array(bytes), 'urn:flaglight:capture:')));
  assert.ok(info.pageCopy.fetched >= 2 && info.pageCopy.missing.length === 0, JSON.stringify(info.pageCopy));
  assert.ok(workerImageRequests.length >= 2, 'the background fetched the images');
  for (const h of workerImageRequests) assert.ok(!h.cookie && !h.referer, `no cookie, no referrer on the copy's image requests: ${JSON.stringify(h)}`);
  await (await browser.worker()).evaluate(() => chrome.storage.local.set({ captureSettings: { tsaUrl: '', auto: false, mhtml: true } }));
});

test('delete with undo; a package that does not fit is refused whole and reported', async () => {
  const panel = await openPanel();
  await listed(panel).first().waitFor();
  const before_ = await listed(panel).count();
  assert.ok(before_ >= 2);
  const all = (await stored()).length;
  // "All pages" lists the frames page's package too.
  await panel.locator('.capture-bar select').selectOption('all');
  await waitFor(async () => (await listed(panel).count()) === all, { message: 'all pages listed' });
  await panel.locator('.capture-bar select').selectOption('page');
  await waitFor(async () => (await listed(panel).count()) === before_, { message: 'this page again' });
  await listed(panel).first().locator('.actions button').nth(1).click();
  await waitFor(async () => (await listed(panel).count()) === before_ - 1, { message: 'deleted from the list' });
  assert.equal(await panel.locator('.captures .undo-bar').isVisible(), true);
  await panel.locator('.captures .undo-bar button').click();
  await waitFor(async () => (await listed(panel).count()) === before_, { message: 'back after Undo' });

  // The browser says little space is left: nothing is written, the panel says why.
  const sw = await browser.worker();
  await sw.evaluate(() => {
    const real = navigator.storage.estimate.bind(navigator.storage);
    globalThis.__realEstimate = real;
    navigator.storage.estimate = async () => {
      const e = await real();
      return { usage: e.usage, quota: e.usage + 10_000 };
    };
  });
  const ids = await packageIds();
  await page.bringToFront();
  await panel.locator('.capture-bar button').click();
  await waitFor(async () => /does not fit/.test((await panel.locator('.capture-status').textContent()) ?? ''), { timeout: 60_000, message: 'reported' });
  assert.match(await panel.locator('.capture-status').textContent(), /nothing was written/);
  assert.deepEqual(await packageIds(), ids, 'no bytes written');
  assert.equal((await stored()).length, all);
  assert.deepEqual(await sw.evaluate(() => globalThis.flaglight.captures.pending()), [], 'no marker left');
  await sw.evaluate(() => {
    navigator.storage.estimate = globalThis.__realEstimate;
  });
  await panel.close();
  await page.bringToFront();
});

test('a capture cut short by a service-worker restart leaves no package, only a notice', async () => {
  const count = (await stored()).length;
  const ids = await packageIds();
  await page.bringToFront();
  const sw = await browser.worker();
  await sw.evaluate((id) => {
    globalThis.flaglight.captures.preserve(id, 'button');
  }, tabId);
  await waitFor(() => sw.evaluate(() => [...globalThis.flaglight.captures.running.values()].some((r) => r.phase === 'screenshot')), { message: 'the screenshot under way' });
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));
  // The panel, as a tab: it wakes the service worker (nothing is captured any more).
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  await waitFor(() => browser.worker().then((w) => w.evaluate(() => !!globalThis.flaglight).catch(() => false)), { message: 'the service worker back' });
  const notice = panel.locator('.capture-notices p');
  await notice.waitFor({ timeout: 15_000 });
  assert.match(await notice.textContent(), /A capture of https:\/\/vk\.com\/preserve\.html started .* was interrupted/);
  assert.equal((await stored()).length, count, 'no record');
  assert.deepEqual(await packageIds(), ids, 'no bytes without a record');
  // The screenshot stopped mid-way: the page puts itself back where the moderator left it.
  await waitFor(async () => (await page.evaluate(() => window.scrollY)) === SCROLLED_TO, { timeout: 20_000, message: 'the page scrolled back' });
  await notice.locator('button').click();
  await waitFor(async () => (await panel.locator('.capture-notices p').count()) === 0, { message: 'dismissed' });
  await panel.close();
  await page.bringToFront();
});
