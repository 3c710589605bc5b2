// Rule packs in the moderator's hands (the options page): a keyword added
// there is highlighted in a tab that is already open, without a reload; an
// invalid pack is shown at its line and never saved; import and export give
// back the same bytes; subscriptions keep their last good version through
// every kind of bad update; switching a built-in pack off takes its
// highlights out of open tabs; a full storage is reported.
//
// Pack subscriptions are served through request routing under
// https://packs.example.org, with the status, ETag and body each test needs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, ROOT, STRICT_CSP, launch, openExtensionPage, probe, routeHost, serve, settle, tabIdFor, trackErrors, waitFor } from './harness.mjs';

let browser;
let server;
let tmp;
/** The open tab every change must reach. @type {import('playwright-core').Page} */
let feed;
let feedTab = 0;
/** @type {import('playwright-core').Page} */
let options;
/** @type {string[]} */
let optionsErrors = [];

/**
 * What https://packs.example.org serves, by path, and the headers of every
 * request it got.
 * @type {Record<string, {status: number, body: string, etag?: string, lastModified?: string, requests: Record<string, string>[]}>}
 */
const served = {};

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'flaglight-packs-'));
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
  await browser.context.route('https://packs.example.org/**', async (route) => {
    const req = route.request();
    const headers = await req.allHeaders();
    const s = served[new URL(req.url()).pathname];
    if (!s) return route.fulfill({ status: 404, body: 'not found' });
    s.requests.push(headers);
    const own = { 'content-type': 'application/json', 'cache-control': 'no-cache' };
    if (s.etag) own.etag = s.etag;
    if (s.lastModified) own['last-modified'] = s.lastModified;
    if (s.etag && headers['if-none-match'] === s.etag) return route.fulfill({ status: 304, headers: own });
    return route.fulfill({ status: s.status, headers: own, body: s.body });
  });
  // A cookie for the pack host: the extension must not send it.
  await browser.context.addCookies([{ name: 'session', value: 'moderator-secret', domain: 'packs.example.org', path: '/', secure: true }]);

  feed = await browser.context.newPage();
  await feed.goto('https://vk.com/packs.html');
  feedTab = await tabIdFor(browser.sw, 'https://vk.com/packs.html');
  await settle(browser.sw, feedTab, { min: 2 });

  options = await openExtensionPage(browser, 'options/options.html');
  optionsErrors = trackErrors(options);
  await options.waitForSelector('html[data-ready="1"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * The texts the open tab highlights, as its content script reports them to
 * the extension (asked through the service worker, not read from the page).
 * @param {import('playwright-core').Page} _page  the tab (the feed)
 */
async function highlighted(_page) {
  const top = (await probe(browser.sw, feedTab, { detail: true }))[0];
  return top ? [...top.texts].sort() : [];
}

/** @param {string} text */
async function waitHighlighted(text, want = true, timeout = 15_000) {
  return waitFor(async () => ((await highlighted(feed)).includes(text) === want ? true : null), { timeout, message: `${text} ${want ? '' : 'not '}highlighted` });
}

/** The text of the options page's element once it matches; says what it was when it never does. @param {string} sel @param {RegExp} re */
async function waitText(sel, re) {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = (await options.locator(sel).first().textContent().catch(() => '')) ?? '';
        return re.test(last) ? last : null;
      },
      { message: sel },
    );
  } catch {
    throw new Error(`${sel}: ${re} never matched; last text: ${JSON.stringify(last)}`);
  }
}

/** The compiled engine's rules, from the service worker. */
function engineRules() {
  return browser.sw.evaluate(async () => (await globalThis.flaglight.engine()).rules.map((r) => `${r.pack}/${r.id}:${r.patterns.join('|')}`));
}

/**
 * A pack's stored text, found through its entry in the pack list (each
 * version of a text has a key of its own).
 * @param {string} id
 */
function storedText(id) {
  return browser.sw.evaluate(async (packId) => {
    const { packIndex } = await chrome.storage.local.get('packIndex');
    const key = packIndex?.user?.[packId]?.key ?? `pack:${packId}`;
    return (await chrome.storage.local.get(key))[key] ?? null;
  }, id);
}

/** The row of a pack in the options page. @param {string} id */
const row = (id) => options.locator(`#pack-rows tr[data-pack="${id}"]`);

/**
 * Grants a host permission the way the moderator does in the browser's
 * prompt, which automation cannot click: through the browser's own
 * extensions page. The extension's request in the click then gets "granted"
 * without a prompt.
 * @param {string} pattern
 */
async function grantLikeTheModerator(pattern) {
  const page = await browser.context.newPage();
  await page.goto(`chrome://extensions/?id=${browser.extensionId}`);
  const r = await page.evaluate(
    ([id, p]) => new Promise((resolve) => chrome.developerPrivate.addHostPermission(id, p, () => resolve(chrome.runtime.lastError?.message ?? 'ok'))),
    [browser.extensionId, pattern],
  );
  await page.close();
  assert.equal(r, 'ok');
}

/** A pack with one keyword rule. */
function pack(id, version, patterns, extra = {}) {
  return JSON.stringify(
    {
      id,
      name: `Team pack ${id}`,
      version,
      languages: ['en'],
      update_interval_hours: 1000,
      rules: [{ id: 'team-words', category: 'extremism', severity: 'high', kind: 'keyword', patterns, examples: { match: [patterns[0]] } }],
      ...extra,
    },
    null,
    2,
  );
}

test('a keyword added in the options page is highlighted in an open tab without a reload', async () => {
  assert.deepEqual(await highlighted(feed), ['ISIS', 'ИГИЛ']);
  const loads = [];
  feed.on('load', () => loads.push(Date.now()));
  await options.fill('#add-text', 'zorblax');
  await options.selectOption('#add-severity', 'high');
  // Watch the tab's highlights through the extension from now on (polled
  // through the service worker; the clock is the same machine's).
  const seen = (async () => {
    for (;;) {
      if ((await highlighted(feed)).includes('zorblax')) return Date.now();
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  // When the background answered (the pack checked, compiled with the others, stored).
  const answered = options.evaluate(
    () =>
      new Promise((resolve) => {
        const s = document.getElementById('save-status');
        new MutationObserver(() => /Saved version/.test(s.textContent) && resolve(Date.now())).observe(s, { childList: true, characterData: true, subtree: true });
      }),
  );
  const t0 = Date.now();
  await options.click('#add-button');
  const t1 = await seen;
  const ta = await answered;
  console.log(`# save to highlight in the open tab: ${t1 - t0} ms (click on "Add and save" to the content script reporting the highlight; the background answered "saved" after ${ta - t0} ms)`);
  assert.deepEqual(loads, [], 'the tab was not reloaded');
  assert.deepEqual(await highlighted(feed), ['ISIS', 'zorblax', 'ИГИЛ']);
  assert.ok((await engineRules()).includes('my-pack/extremism-high:zorblax'));
  assert.equal(await row('my-pack').locator('td').nth(4).textContent(), '1');
  assert.equal(await row('my-pack').locator('.source').textContent(), 'Written here');
});

test('an invalid regex is shown at its line, not saved, and the saved pack stays in use', async () => {
  const storedBefore = await storedText('my-pack');
  assert.match(storedBefore, /zorblax/);
  await options.fill('#add-text', '/glorp(ish/');
  await options.click('#add-button');
  await waitText('#save-status', /Not saved/);
  const errors = await options.locator('#check-errors li').allTextContents();
  const quick = (await options.locator('#quick').inputValue()).split('\n');
  const line = quick.indexOf('/glorp(ish/') + 1;
  assert.ok(line > 0);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], new RegExp(`^Line ${line} rules\\[1\\]\\.patterns\\[0\\]: invalid regex .*unclosed group`));
  assert.equal(await options.locator('#quick').getAttribute('aria-invalid'), 'true');
  assert.equal(await options.locator('#save').isDisabled(), true);
  // Clicking the error selects the line.
  await options.locator('#check-errors li button').click();
  const selected = await options.locator('#quick').evaluate((ta) => ta.value.slice(ta.selectionStart, ta.selectionEnd));
  assert.equal(selected, '/glorp(ish/');

  assert.equal(await storedText('my-pack'), storedBefore, 'nothing stored');
  assert.ok((await engineRules()).includes('my-pack/extremism-high:zorblax'), 'the saved version is in use');
  assert.ok(!(await engineRules()).some((r) => r.includes('glorp')));
  assert.deepEqual(await highlighted(feed), ['ISIS', 'zorblax', 'ИГИЛ']);

  // The background refuses it too, whatever a page sends.
  const res = await options.evaluate((json) => chrome.runtime.sendMessage({ type: 'packSave', json, replaces: 'my-pack', origin: 'editor', fileName: '', quick: '' }), JSON.stringify({ id: 'my-pack', name: 'x', version: '2', rules: [{ id: 'r', category: 'extremism', severity: 'high', kind: 'regex', patterns: ['glorp(ish'] }] }));
  assert.equal(res.ok, false);
  assert.equal(res.errors[0].path, 'rules[0].patterns[0]');
  assert.equal(res.errors[0].line, 1);

  // Fixed: the line becomes valid and is saved.
  const fixed = quick.map((l) => (l === '/glorp(ish/' ? '/glorp(ish)?/' : l)).join('\n');
  await options.fill('#quick', fixed);
  await waitText('#check-summary', /^No errors/);
  await options.click('#save');
  await waitHighlighted('glorpish');
});

test('failing examples are checked as they are typed, in the JSON view too', async () => {
  const quick = await options.locator('#quick').inputValue();
  await options.fill('#quick', `${quick.trimEnd()}\n+ the zorb network\n`);
  await waitText('#check-summary', /cannot be saved/);
  const items = await options.locator('#check-errors li').allTextContents();
  const line = (await options.locator('#quick').inputValue()).split('\n').indexOf('+ the zorb network') + 1;
  assert.ok(items.some((t) => t.startsWith(`Line ${line} `) && t.includes('is not found by this rule')), JSON.stringify(items));

  await options.click('#tab-json');
  await waitFor(async () => (await options.locator('#check-errors li').count()) === 1, { message: 'JSON view errors' });
  const json = await options.locator('#json').inputValue();
  const jsonLine = json.split('\n').findIndex((l) => l.includes('"the zorb network"')) + 1;
  const text = await options.locator('#check-errors li').textContent();
  assert.match(text, new RegExp(`^Line ${jsonLine}, column \\d+ rules\\[\\d\\]\\.examples\\.match\\[0\\]`));
  // Back to the list, without the example.
  await options.click('#tab-quick');
  await options.fill('#quick', quick);
  await waitText('#check-summary', /^No errors/);
});

test('import, then export: the same bytes; a built-in pack exports as shipped; a built-in id is refused', async () => {
  // Unusual layout on purpose: an export that re-serialized would differ.
  const original = '{"id":"imported-team","name":"Imported team pack","version":"3.1",\n\t"rules":[{"id":"q","category":"extremism","severity":"medium","kind":"keyword","patterns":["quuxite brigade"],\n  "examples":{"match":["the quuxite brigade"]}}]}\n';
  const file = path.join(tmp, 'team-import.json');
  await writeFile(file, original);
  await options.setInputFiles('#import-file', file);
  await waitText('#import-status', /Imported/);
  await row('imported-team').waitFor();
  assert.equal(await row('imported-team').locator('.source').textContent(), 'Fileteam-import.json');
  await waitHighlighted('quuxite brigade');

  const exported = async (id) => {
    const [download] = await Promise.all([options.waitForEvent('download'), row(id).getByRole('button', { name: /^Export/ }).click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  };
  const out = await exported('imported-team');
  assert.equal(out.text, original);
  assert.equal(out.name, 'imported-team.json');
  const builtin = await exported('donation');
  assert.equal(builtin.text, await readFile(path.join(ROOT, 'extension', 'packs', 'donation.json'), 'utf8'));
  assert.equal(builtin.name, 'donation.json');

  // The exported file is what the CLI validates.
  const again = path.join(tmp, 'imported-team.json');
  await writeFile(again, out.text);
  const { execFileSync } = await import('node:child_process');
  const cli = path.join(ROOT, 'target', 'release', 'flaglight');
  const report = execFileSync(cli, ['check-pack', '--no-builtin', again], { encoding: 'utf8' });
  assert.match(report, /pack "imported-team" 3.1 \(1 rules\) is valid\nexamples: all pass/);

  // A pack may not take a built-in pack's id.
  const clash = path.join(tmp, 'clash.json');
  await writeFile(clash, pack('donation', '9.9', ['hijacked word']));
  await options.setInputFiles('#import-file', clash);
  await waitText('#import-status', /built-in pack/);
  const builtinName = JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', 'donation.json'), 'utf8')).name.en;
  assert.ok((await options.locator('#import-status').textContent()).includes(`"donation" is the id of the built-in pack "${builtinName}"`));
  assert.ok(!(await engineRules()).some((r) => r.includes('hijacked')));
});

test('subscription: first download applied, 304 keeps it, a change is applied, bad updates keep the last good version', async () => {
  served['/team.json'] = { status: 200, body: pack('team', '1.0.0', ['zorblax network']), etag: '"v1"', requests: [] };
  await grantLikeTheModerator('https://packs.example.org/*');
  await options.fill('#sub-url', 'https://packs.example.org/team.json');
  await options.click('#sub-button');
  await waitText('#sub-status', /Subscribed: team, version 1\.0\.0/);
  await row('team').waitFor();
  assert.equal(await row('team').locator('td').nth(2).textContent(), '1.0.0');
  assert.match(await row('team').locator('.source').textContent(), /^URLhttps:\/\/packs\.example\.org\/team\.json/);
  await waitHighlighted('zorblax network');
  const first = served['/team.json'].requests[0];
  assert.equal(first.cookie, undefined, 'no cookies');
  assert.equal(first.referer, undefined, 'no referrer');
  assert.equal(first['if-none-match'], undefined);
  // The pack asks for 1000 h: clamped to the 7-day ceiling.
  const alarm = await browser.sw.evaluate(() => chrome.alarms.get('pack-update:team'));
  assert.ok(alarm && Math.abs(alarm.scheduledTime - Date.now() - 7 * 24 * 3600_000) < 120_000, JSON.stringify(alarm));
  assert.match(await row('team').locator('.sub-state').textContent(), /Checks every 168 h/);

  const updateNow = async () => {
    const n = served['/team.json'].requests.length;
    await row('team').getByRole('button', { name: /^Update/ }).click();
    await waitFor(() => served['/team.json'].requests.length > n, { message: 'a request' });
    await waitFor(async () => !(await row('team').getByRole('button', { name: /^Update/ }).isDisabled()), { message: 'update done' });
    return served['/team.json'].requests.at(-1);
  };

  // Not modified: the request carried the ETag; nothing changes.
  const r304 = await updateNow();
  assert.equal(r304['if-none-match'], '"v1"');
  assert.match(await options.locator('#packs-status').textContent(), /not modified \(HTTP 304\)/);
  assert.equal(await row('team').locator('td').nth(2).textContent(), '1.0.0');

  // A new version is applied and reaches the open tab.
  served['/team.json'] = { ...served['/team.json'], body: pack('team', '1.1.0', ['zorblax network', 'quuxite']), etag: '"v2"' };
  await updateNow();
  await waitFor(async () => (await row('team').locator('td').nth(2).textContent()) === '1.1.0', { message: 'version 1.1.0' });
  assert.match(await options.locator('#packs-status').textContent(), /updated from version 1\.0\.0 to 1\.1\.0/);
  await waitFor(async () => (await engineRules()).includes('team/team-words:zorblax network|quuxite'), { message: 'new rules' });

  /** Serves a bad update; checks that 1.1.0 stays and the failure shows with its time. */
  const bad = async (what, change, reason) => {
    served['/team.json'] = { ...served['/team.json'], ...change };
    const before = Date.now();
    await updateNow();
    const err = row('team').locator('.sub-error');
    await waitFor(async () => reason.test((await err.textContent()) ?? ''), { message: `${what}: reason shown` });
    const t = Date.parse(await err.locator('time').getAttribute('datetime'));
    assert.ok(t >= before - 1000 && t <= Date.now() + 1000, `${what}: the time of the failure`);
    assert.match(await err.textContent(), /The last good version stays in use/);
    assert.equal(await row('team').locator('td').nth(2).textContent(), '1.1.0', `${what}: version kept`);
    assert.ok((await engineRules()).includes('team/team-words:zorblax network|quuxite'), `${what}: rules kept`);
    assert.ok((await highlighted(feed)).includes('zorblax network'), `${what}: highlights kept`);
    assert.match(await storedText('team'), /"version": "1\.1\.0"/, `${what}: stored text kept`);
  };
  await bad('invalid JSON', { body: '{"id": "team", "name": ', etag: '"v3"' }, /Update failed .*: The new version was refused: the pack has 1 error\./);
  await bad(
    'failing validation',
    { body: pack('team', '1.2.0', ['x'], { rules: [{ id: 'r', category: 'extremism', severity: 'extreme', kind: 'keyword', patterns: ['x'] }] }), etag: '"v4"' },
    /Update failed .*the pack has 1 error/,
  );
  assert.match(await row('team').locator('.sub-state .errors').textContent(), /rules\[0\]\.severity.*"extreme" is not a severity/);
  await bad('HTTP 500', { status: 500, body: 'oops', etag: '"v5"' }, /Update failed .*: HTTP 500/);
  await bad('another id', { status: 200, body: pack('other', '2.0.0', ['x']), etag: '"v6"' }, /its id changed from "team" to "other"/);

  // Good again: the failure is gone.
  served['/team.json'] = { ...served['/team.json'], status: 200, body: pack('team', '1.3.0', ['zorblax network']), etag: '"v7"' };
  await updateNow();
  await waitFor(async () => (await row('team').locator('td').nth(2).textContent()) === '1.3.0', { message: 'version 1.3.0' });
  assert.equal(await row('team').locator('.sub-error').count(), 0);
  assert.ok(served['/team.json'].requests.every((h) => h.cookie === undefined && h.referer === undefined));
});

test('a pinned subscription refuses a body with another SHA-256', async () => {
  const body = pack('pinned', '1.0.0', ['glorpish order']);
  served['/pinned.json'] = { status: 200, body, requests: [] };
  const pin = createHash('sha256').update(body).digest('hex');
  await options.fill('#sub-url', 'https://packs.example.org/pinned.json');
  await options.fill('#sub-pin', pin);
  await options.click('#sub-button');
  await waitText('#sub-status', /Subscribed: pinned/);
  assert.match(await row('pinned').locator('.source').textContent(), /pinned \(SHA-256\)/);

  served['/pinned.json'].body = pack('pinned', '1.0.1', ['glorpish order', 'something else']);
  await row('pinned').getByRole('button', { name: /^Update/ }).click();
  await waitFor(async () => /not the pinned one/.test((await row('pinned').locator('.sub-error').textContent().catch(() => '')) ?? ''), { message: 'pin refused' });
  assert.equal(await row('pinned').locator('td').nth(2).textContent(), '1.0.0');

  // A wrong pin at the start: not subscribed at all.
  served['/other.json'] = { status: 200, body: pack('other-team', '1.0.0', ['x words']), requests: [] };
  await options.fill('#sub-url', 'https://packs.example.org/other.json');
  await options.fill('#sub-pin', '0'.repeat(64));
  await options.click('#sub-button');
  await waitText('#sub-status', /Not subscribed: the SHA-256 of the download/);
  assert.equal(await row('other-team').count(), 0);
  await options.fill('#sub-pin', '');
});

test('switching a built-in pack off takes its highlights out of open tabs; on brings them back', async () => {
  assert.ok((await highlighted(feed)).includes('ISIS'));
  const box = row('extremism-en').locator('input.pack-enabled');
  await box.uncheck();
  await waitHighlighted('ISIS', false);
  assert.ok((await highlighted(feed)).includes('ИГИЛ'), 'other packs stay');
  assert.ok(!(await engineRules()).some((r) => r.startsWith('extremism-en/')));
  await waitText('#packs-status', /is off/);
  // Still listed, switched off; the choice is stored.
  assert.equal(await box.isChecked(), false);
  assert.deepEqual((await browser.sw.evaluate(() => chrome.storage.local.get('packIndex'))).packIndex.disabled, ['extremism-en']);
  await box.check();
  await waitHighlighted('ISIS');
});

test('a full storage is reported, and nothing changes', async () => {
  // Fill storage.local to just under its quota (10 MB without unlimitedStorage).
  const left = await browser.sw.evaluate(async () => {
    const used = await chrome.storage.local.getBytesInUse(null);
    // Chrome counts a key's length and its value's JSON length.
    const room = chrome.storage.local.QUOTA_BYTES - used - 'filler'.length - 2 - 16;
    await chrome.storage.local.set({ filler: 'x'.repeat(room) });
    return chrome.storage.local.QUOTA_BYTES - (await chrome.storage.local.getBytesInUse(null));
  });
  assert.ok(left < 64, `bytes left: ${left}`);
  try {
    await options.fill('#add-text', 'spacefiller phrase that does not fit');
    await options.click('#add-button');
    await waitText('#save-status', /storage .* is full/i);
    assert.match(await options.locator('#save-status').textContent(), /nothing was changed/);
    console.log('# ' + await options.locator('#save-status').textContent());
    assert.ok(!(await engineRules()).some((r) => r.includes('spacefiller')), 'not in use');
  } finally {
    await browser.sw.evaluate(() => chrome.storage.local.remove('filler'));
  }
});

test('sites: the lists show and change here', async () => {
  await options.fill('#off-host', 'https://OK.ru/feed');
  await options.click('#off-form button[type="submit"]');
  await waitFor(async () => (await options.locator('#off-sites .host').allTextContents()).includes('ok.ru'), { message: 'ok.ru off' });
  assert.deepEqual((await browser.sw.evaluate(() => chrome.storage.local.get('sites'))).sites, { 'ok.ru': { enabled: false } });
  assert.match(await options.locator('#builtin-sites').textContent(), /vk\.com, \*\.vk\.com/);
  await options.getByRole('button', { name: 'Switch ok.ru back on' }).click();
  await waitFor(async () => (await options.locator('#off-sites .host').count()) === 0, { message: 'ok.ru on' });
});

test('after a service-worker restart the packs are still in use, and a change still reaches the open tab', async () => {
  await browser.sw.evaluate(() => {
    globalThis.beforeRestart = true;
  });
  const cdp = await browser.context.newCDPSession(feed);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));
  // The options page wakes the worker, which reads the packs from storage.
  await options.reload();
  await options.waitForSelector('html[data-ready="1"]');
  const sw = await waitFor(() => browser.worker());
  assert.equal(await sw.evaluate(() => globalThis.beforeRestart), undefined, 'a new service worker');
  assert.deepEqual(
    await options.locator('#pack-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.pack)),
    ['extremism-en', 'extremism-ru', 'extremism-ar', 'donation', 'my-pack', 'imported-team', 'team', 'pinned'],
  );
  const rules = await engineRules();
  assert.deepEqual(
    rules.filter((r) => r.startsWith('my-pack/')),
    ['my-pack/extremism-high:zorblax', 'my-pack/extremism-high-regex:glorp(ish)?'],
  );
  assert.ok(rules.includes('team/team-words:zorblax network'));
  // The tab's content script lost its port with the old worker: switching
  // the moderator's pack off must still reach it.
  await row('my-pack').locator('input.pack-enabled').uncheck();
  await waitHighlighted('zorblax', false);
  assert.ok((await highlighted(feed)).includes('zorblax network'), 'the subscribed pack still highlights');
  await row('my-pack').locator('input.pack-enabled').check();
  await waitHighlighted('zorblax');
});

test('the options page logged no errors', () => {
  assert.deepEqual(optionsErrors, []);
});
