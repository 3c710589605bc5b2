// Storage that cannot lose work (issue 10): values in storage.local that were
// hand-edited or corrupted — invalid JSON text, wrong types, missing fields,
// a truncated pack, a flag with a bad selector, a huge list — are found when
// the service worker starts, moved aside with their good parts kept, and
// listed in the options page's Storage section, where a damaged value can be
// exported or (after a confirmation) discarded; the good parts keep working
// (the other packs highlight, the other pages' flags are listed). And a
// service worker stopped in the middle of a pack save (its storage writes
// held from the worker after the first, second, ... write) loses nothing:
// after the restart the old version or the new one is in use, whole.
//
// Storage is edited through the service worker (chrome.storage.local, as a
// moderator with the developer tools could); what the extension made of it
// is read through its options page and its service worker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { FIXTURES, STRICT_CSP, launch, openExtensionPage, probe, routeHost, serve, settle, tabIdFor, trackErrors, waitFor } from './harness.mjs';

let browser;
let server;
/** @type {import('playwright-core').Page} */
let options;
/** @type {string[]} */
let optionsErrors = [];

before(async () => {
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
  // A pack host for the subscription test: the body served, the conditional headers each request sent.
  await browser.context.route('https://packs.example.org/**', async (route) => {
    const headers = await route.request().allHeaders();
    served.requests.push(headers);
    if (headers['if-none-match'] === served.etag) return route.fulfill({ status: 304, headers: { etag: served.etag } });
    return route.fulfill({ status: 200, headers: { 'content-type': 'application/json', etag: served.etag }, body: served.body });
  });
  options = await openExtensionPage(browser, 'options/options.html');
  optionsErrors = trackErrors(options);
  await options.waitForSelector('html[data-ready="1"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const sw = () => browser.sw;
/** What https://packs.example.org serves. @type {{body: string, etag: string, requests: Record<string, string>[]}} */
const served = { body: '', etag: '', requests: [] };

/** A pack of one keyword rule. */
function pack(id, version, patterns) {
  return JSON.stringify(
    { id, name: `Pack ${id}`, version, languages: ['en'], rules: [{ id: 'words', category: 'extremism', severity: 'high', kind: 'keyword', patterns, examples: { match: [patterns[0]] } }] },
    null,
    2,
  );
}

/** Saves a pack as an import from a file would. */
async function savePack(id, version, patterns) {
  const res = await options.evaluate(([json, fileName]) => chrome.runtime.sendMessage({ type: 'packSave', json, replaces: '', origin: 'file', fileName, quick: '' }), [pack(id, version, patterns), `${id}.json`]);
  assert.equal(res.ok, true, JSON.stringify(res));
}

let flagN = 0;
/** A stored flag on a page. @param {string} url @param {object} [over] */
function flag(url, over = {}) {
  flagN += 1;
  const n = String(flagN).padStart(12, '0');
  return {
    id: `a0b1c2d3-0000-4000-8000-${n}`,
    url,
    title: 'A wall',
    created: `2026-11-29T10:00:${String(flagN).padStart(2, '0')}.000Z`,
    modified: `2026-11-29T10:00:${String(flagN).padStart(2, '0')}.000Z`,
    category: 'extremism',
    severity: 'high',
    note: `note ${flagN}`,
    quote: { exact: `flagged passage ${flagN}`, prefix: 'before ', suffix: ' after' },
    position: { start: 10, end: 27 },
    ...over,
  };
}

/** Everything in storage.local (values of long keys abbreviated by the caller). */
const storedAll = () => sw().evaluate(() => chrome.storage.local.get(null));

/**
 * Stops the service worker (as the browser may at any time) and wakes a new
 * one through the options page, which reads its state from storage again.
 */
async function restartWorker() {
  await sw().evaluate(() => {
    globalThis.beforeRestart = true;
  });
  const cdp = await browser.context.newCDPSession(options);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  await new Promise((r) => setTimeout(r, 500));
  await options.reload();
  await options.waitForSelector('html[data-ready="1"]');
  const w = await waitFor(async () => {
    const live = await browser.worker();
    return (await live.evaluate(() => globalThis.beforeRestart).catch(() => true)) === undefined ? live : null;
  }, { message: 'a new service worker' });
  assert.ok(w);
}

/** The Storage section's rows: key, label, what was wrong, what was kept. */
function problemRows() {
  return options.locator('#storage-problems tr').evaluateAll((rows) =>
    rows.map((r) => ({
      key: /** @type {HTMLElement} */ (r).dataset.key,
      label: r.querySelector('.where .name')?.textContent ?? '',
      why: r.querySelector('.why')?.textContent ?? '',
      kept: r.querySelector('.kept')?.textContent ?? '',
      found: r.querySelector('.found time')?.getAttribute('datetime') ?? '',
    })),
  );
}

/** The compiled engine's rules as "pack/rule:patterns". */
function engineRules() {
  return sw().evaluate(async () => (await globalThis.flaglight.engine()).rules.map((r) => `${r.pack}/${r.id}:${r.patterns.join('|')}`));
}

/** The texts an open tab highlights, as its content script reports them. @param {number} tabId */
async function highlighted(tabId) {
  const top = (await probe(sw(), tabId, { detail: true }))[0];
  return top ? [...new Set(top.texts)].sort() : [];
}

const W1 = 'https://vk.com/wall-1_1';
const W2 = 'https://vk.com/wall-2_2';
const W3 = 'https://vk.com/wall-3_3';

test('corrupted values of every kind are moved aside and reported; the good parts keep working', async () => {
  await savePack('alpha', '1.0', ['zorblax network']);
  await savePack('beta', '1.0', ['quuxite brigade']);
  await savePack('gamma', '1.0', ['glorpish order']);
  const good1 = flag(W1);
  const bad1 = flag(W1, { position: { start: 40, end: 3 } });
  const good3 = flag(W3);
  await sw().evaluate(async (flags) => {
    for (const f of flags) await globalThis.flaglight.flags.store.save(f);
  }, [good1, flag(W2), good3]);
  await options.evaluate(() => chrome.runtime.sendMessage({ type: 'setSite', host: 'ok.ru', enabled: false }));

  // The hand edits, each a different kind of damage.
  const betaText = pack('beta', '1.0', ['quuxite brigade']);
  const truncated = betaText.slice(0, 60);
  const hugeCategories = Array.from({ length: 60_000 }, (_, i) => `team-category-${i}`);
  await sw().evaluate(
    async ({ W1, W2, good1, bad1, truncated, hugeCategories }) => {
      const s = chrome.storage.local;
      const { packIndex } = await s.get('packIndex');
      await s.set({ [packIndex.user.beta.key]: truncated }); // a truncated pack
      packIndex.user.gamma.rules = 'many'; // a wrong type in one entry of the list
      packIndex.disabled.push(42);
      await s.set({
        packIndex,
        [`flags:${W1}`]: [good1, bad1], // a flag with a bad selector next to a good one
        [`flags:${W2}`]: '[{"id": "a0b1c2d3-0000-4000-8000-0000000', // invalid JSON text instead of a list
        sites: { 'ok.ru': { enabled: false }, 'NOT A HOST!': true }, // one good entry, one bad
        autoSites: 'forum.example.org', // text instead of a list
        modelSettings: { enabled: false, thresholds: { latin: 'high' } }, // a field of the wrong type
        flagDefaults: { category: 'extremism' }, // a missing field
        flagCategories: hugeCategories, // huge
      });
    },
    { W1, W2, good1, bad1, truncated, hugeCategories },
  );

  await restartWorker();

  // The good parts work: the other packs highlight in a tab opened now.
  const feed = await browser.context.newPage();
  await feed.goto('https://vk.com/packs.html');
  const tabId = await tabIdFor(sw(), 'https://vk.com/packs.html');
  await settle(sw(), tabId, { min: 3 });
  await waitFor(async () => (await highlighted(tabId)).includes('glorpish order'), { message: 'the rebuilt pack highlights' });
  const texts = await highlighted(tabId);
  assert.ok(texts.includes('zorblax network'), `alpha: ${texts}`);
  assert.ok(texts.includes('ISIS'), 'the built-in packs');
  assert.ok(!texts.includes('quuxite brigade'), 'the truncated pack is not in use');
  const rules = await engineRules();
  assert.ok(rules.includes('alpha/words:zorblax network') && rules.includes('gamma/words:glorpish order'));
  assert.ok(!rules.some((r) => r.startsWith('beta/')));
  await feed.close();

  // The other pages' flags, and the good flag of the damaged page, are there.
  const flags = await sw().evaluate(() => globalThis.flaglight.flags.store.all());
  assert.deepEqual(flags.map((f) => f.id).sort(), [good1.id, good3.id].sort());

  // What was kept of each value is what is stored now.
  const now = await storedAll();
  assert.deepEqual(now[`flags:${W1}`], [good1]);
  assert.equal(now[`flags:${W2}`], undefined);
  assert.deepEqual(now.sites, { 'ok.ru': { enabled: false } });
  assert.equal(now.autoSites, undefined);
  assert.deepEqual(now.modelSettings, { enabled: false, thresholds: {} });
  assert.equal(now.flagDefaults, undefined);
  assert.deepEqual(now.flagCategories, hugeCategories.slice(-200));
  assert.deepEqual(Object.keys(now.packIndex.user).sort(), ['alpha', 'gamma']);
  assert.equal(now.packIndex.user.gamma.rules, 1, 'gamma rebuilt from its text');
  assert.deepEqual(now.packIndex.disabled, []);
  // Nothing was lost: each damaged value is whole under a quarantine key.
  const copies = Object.entries(now).filter(([k]) => k.startsWith('corrupt:'));
  const copyOf = (key) => copies.find(([, r]) => r.key === key)?.[1].value;
  assert.deepEqual(copyOf(`flags:${W1}`), [good1, bad1]);
  assert.equal(copyOf(`flags:${W2}`), '[{"id": "a0b1c2d3-0000-4000-8000-0000000');
  assert.equal(copies.find(([, r]) => r.key.startsWith('pack:beta'))?.[1].value, truncated);
  assert.equal(copyOf('flagCategories').length, 60_000);
  assert.equal(copyOf('packIndex').user.gamma.rules, 'many');

  // The options page says so: an alert on top, each problem in the Storage section.
  assert.equal(await options.locator('#storage-alert').isVisible(), true);
  const rows = await problemRows();
  const byKey = Object.fromEntries(rows.map((r) => [r.key.replace(/^pack:beta@.*/, 'pack:beta'), r]));
  assert.deepEqual(Object.keys(byKey).sort(), ['autoSites', `flags:${W1}`, `flags:${W2}`, 'flagCategories', 'flagDefaults', 'modelSettings', 'pack:beta', 'packIndex', 'sites'].sort());
  for (const r of rows) assert.ok(Math.abs(Date.parse(r.found) - Date.now()) < 120_000, `${r.key}: found now`);
  assert.match(byKey[`flags:${W1}`].why, /^damaged entries: 1 of 2 \(the first: invalid position \(flag a0b1c2d3-0000-4000-8000-0000000000\d\d\)\)\.$/);
  assert.equal(byKey[`flags:${W1}`].kept, "This page's good flags: 1 of 2. Other pages' flags are not affected.");
  assert.equal(byKey[`flags:${W1}`].label, "A page's flags");
  assert.equal(byKey[`flags:${W2}`].why, 'expected a list, found text.');
  assert.equal(byKey['pack:beta'].label, "A pack's text");
  assert.match(byKey['pack:beta'].why, /^not a valid pack: beta\.json:\d+:\d+: /);
  assert.equal(byKey['pack:beta'].kept, 'The pack is not in use. Export it, repair it and import the file again.');
  assert.match(byKey.packIndex.why, /^damaged entries: 2 of 4 \(the first: disabled: not a pack id: 42\)\.$/);
  assert.equal(byKey.sites.kept, 'The good entries: 1 of 2.');
  assert.equal(byKey.autoSites.kept, 'Nothing; instead: only the built-in sites are scanned automatically.');
  assert.equal(byKey.modelSettings.why, 'damaged fields: thresholds.');
  assert.equal(byKey.flagDefaults.why, 'damaged fields: category, severity.');
  assert.equal(byKey.flagCategories.why, 'too many entries: 60,000 (at most 200).');

  // The pack list and the site lists show the good parts.
  assert.deepEqual(await options.locator('#pack-rows tr').evaluateAll((r) => r.map((x) => x.dataset.pack)), ['extremism-en', 'extremism-ru', 'extremism-ar', 'donation', 'alpha', 'gamma']);
  await waitFor(async () => (await options.locator('#off-sites .host').allTextContents()).includes('ok.ru'), { message: 'ok.ru still off' });

  // Export gives the damaged value back: a pack's text as it was, anything else as JSON.
  const exported = async (key) => {
    const row = options.locator('#storage-problems tr').filter({ has: options.locator(`code.key:text-is("${key}")`) });
    const [download] = await Promise.all([options.waitForEvent('download'), row.getByRole('button', { name: /^Export/ }).click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  };
  const betaKey = rows.find((r) => r.key.startsWith('pack:beta@')).key;
  const beta = await exported(betaKey);
  assert.equal(beta.text, truncated);
  assert.match(beta.name, /^flaglight-damaged-pack_beta_.*\.json$/);
  assert.deepEqual(JSON.parse((await exported(`flags:${W1}`)).text), [good1, bad1]);
  assert.match(await options.locator('#storage-status').textContent(), /^Saved the damaged value of flags:https:\/\/vk\.com\/wall-1_1 as flaglight-damaged-/);

  // Discard asks first; only the second click discards.
  const row = options.locator('#storage-problems tr').filter({ has: options.locator(`code.key:text-is("flags:${W2}")`) });
  await row.getByRole('button', { name: /^Discard/ }).click();
  assert.equal(await row.locator('button.discard').textContent(), 'Really discard? This cannot be undone');
  assert.ok(Object.keys(await storedAll()).some((k) => k.startsWith(`corrupt:flags:${W2}:`)), 'not discarded yet');
  await row.locator('button.discard').click();
  await waitFor(async () => !(await problemRows()).some((r) => r.key === `flags:${W2}`), { message: 'the row goes' });
  assert.match(await options.locator('#storage-status').textContent(), /^Discarded the damaged value of flags:https:\/\/vk\.com\/wall-2_2\./);
  assert.ok(!Object.keys(await storedAll()).some((k) => k.startsWith(`corrupt:flags:${W2}:`)));

  // Another start finds nothing new and keeps what was reported.
  await restartWorker();
  assert.equal((await problemRows()).length, rows.length - 1);
  assert.deepEqual(Object.keys((await storedAll()).packIndex.user).sort(), ['alpha', 'gamma']);
});

test('a value written by a newer version (site list, model settings) is left in place, unused, and changes to it are refused', async () => {
  const later = { v: 2, hosts: { 'ok.ru': 'off' } };
  await sw().evaluate((v) => chrome.storage.local.set({ sites: v }), later);
  // Sites are read when the worker starts; a runtime read finds it too.
  await restartWorker();
  const rows = await problemRows();
  const row = rows.find((r) => r.key === 'sites' && /newer version/.test(r.why));
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.why, 'written by a newer version of flaglight (format 2; this version reads format 1).');
  assert.match(row.kept, /stays where it is, unused/);
  const res = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'setSite', host: 'x.com', enabled: false }));
  assert.match(res.error ?? '', /export or discard it/);
  assert.deepEqual((await storedAll()).sites, later, 'not overwritten');
  // Discarded on purpose: the default applies and the key is free again.
  const r = options.locator('#storage-problems tr[data-problem="held:sites"]');
  await r.locator('button.discard').click();
  await r.locator('button.discard').click();
  await waitFor(async () => (await options.locator('#storage-problems tr[data-problem="held:sites"]').count()) === 0, { message: 'held row gone' });
  const ok = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'setSite', host: 'x.com', enabled: false }));
  assert.equal(ok.ok, true);
  await options.evaluate(() => chrome.runtime.sendMessage({ type: 'setSite', host: 'x.com', enabled: true }));

  // The model settings' one writer (background/model.js) refuses too; the engine runs on the defaults meanwhile.
  const laterModel = { v: 2, enabled: false, perLanguage: { en: 0.4 } };
  await sw().evaluate((v) => chrome.storage.local.set({ modelSettings: v }), laterModel);
  await restartWorker();
  assert.ok((await problemRows()).some((r) => r.key === 'modelSettings' && /newer version/.test(r.why)));
  const state = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'modelState' }));
  assert.deepEqual(state.settings, { enabled: true, thresholds: {} }, 'the defaults, not the value it cannot read');
  const refused = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'modelSet', enabled: false, thresholds: {} }));
  assert.equal(refused.ok, false);
  assert.match(refused.reason, /export or discard it/);
  assert.deepEqual((await storedAll()).modelSettings, laterModel, 'not overwritten');
  const m = options.locator('#storage-problems tr[data-problem="held:modelSettings"]');
  await m.locator('button.discard').click();
  await m.locator('button.discard').click();
  await waitFor(async () => (await options.locator('#storage-problems tr[data-problem="held:modelSettings"]').count()) === 0, { message: 'held model row gone' });
  const off = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'modelSet', enabled: false, thresholds: {} }));
  assert.equal(off.ok, true, JSON.stringify(off).slice(0, 300));
  assert.deepEqual((await storedAll()).modelSettings, { enabled: false, thresholds: {} });
});

test('packs that no longer compile together: the ones that do stay in use, and the page says which was left out', async () => {
  // Each valid alone; together with the built-in packs more regexes than the
  // engine takes (src/limits.rs MAX_REGEXES). Only a hand edit can store that.
  const regexPack = (id, n, word) =>
    JSON.stringify({ id, name: `Pack ${id}`, version: '9.0', rules: [{ id: 'many', category: 'extremism', severity: 'low', kind: 'regex', patterns: [word, ...Array.from({ length: n - 1 }, (_, i) => `qx${id}${i}y\\d+`)] }] });
  await sw().evaluate(
    async ({ a, g }) => {
      const { packIndex } = await chrome.storage.local.get('packIndex');
      await chrome.storage.local.set({ [packIndex.user.alpha.key]: a, [packIndex.user.gamma.key]: g });
    },
    { a: regexPack('alpha', 100, 'zorblax network'), g: regexPack('gamma', 420, 'glorpish order') },
  );
  await restartWorker();
  const rules = await engineRules();
  assert.ok(rules.some((r) => r.startsWith('alpha/many:zorblax network|')), 'alpha in use');
  assert.ok(!rules.some((r) => r.startsWith('gamma/')), 'gamma left out');
  assert.ok(rules.some((r) => r.startsWith('extremism-en/')), 'the built-in packs in use');
  // The options page (opened after the engine started) says which pack was left out and why.
  await options.reload();
  await options.waitForSelector('html[data-ready="1"]');
  assert.match(await options.locator('#problem').textContent(), /gamma\.json left out, the others are in use\. gamma\.json:1:\d+: rules\[0\]\.patterns\[\d+\] \(rule "many"\): more than 500 regex patterns in all packs/);
  // Still listed and stored: nothing was thrown away; switched off, it no longer stands in the way.
  assert.deepEqual(Object.keys((await storedAll()).packIndex.user).sort(), ['alpha', 'gamma']);
  const off = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'packSetEnabled', id: 'gamma', enabled: false }));
  assert.equal(off.ok, true, JSON.stringify(off).slice(0, 300));
  await waitFor(async () => (await options.locator('#problem').isHidden()), { message: 'the problem goes once the packs compile' });
});

/**
 * Holds every storage.local write after the first `n` of the service worker
 * (the worker is about to be stopped there): the next call never returns.
 * With `land`, write n + 1 is made and then never returns (the worker
 * stopped just after it, before it could go on).
 * @param {number} n
 * @param {{land?: boolean}} [opts]
 */
function holdWritesAfter(n, opts = {}) {
  return sw().evaluate(([limit, land]) => {
    const area = chrome.storage.local;
    const set = area.set.bind(area);
    const remove = area.remove.bind(area);
    const g = /** @type {any} */ (globalThis);
    g.writesSeen = [];
    const gate = (what) => {
      g.writesSeen.push(what);
      return g.writesSeen.length > limit;
    };
    const hang = (write) => {
      if (land && g.writesSeen.length === limit + 1) write();
      return new Promise(() => {});
    };
    area.set = (items) => (gate(`set ${Object.keys(items).join(',')}`) ? hang(() => set(items)) : set(items));
    area.remove = (keys) => (gate(`remove ${[keys].flat().join(',')}`) ? hang(() => remove(keys)) : remove(keys));
  }, [n, !!opts.land]);
}

test('a service worker stopped between any two writes of a pack save loses nothing', async () => {
  await savePack('delta', '1.0', ['zorblax network']);
  const before = await storedAll();
  const oldKey = before.packIndex.user.delta.key;
  const problemsBefore = (await problemRows()).length;
  /** What each stop left, for the report. */
  const seen = [];
  let version = 1;
  // A save is five writes: the journal, the new text, the index, the old text removed, the journal removed.
  for (let n = 1; n <= 4; n++) {
    const from = `${version}.0`;
    const to = `${version + 1}.0`;
    const words = version % 2 ? ['quuxite brigade'] : ['zorblax network'];
    await holdWritesAfter(n);
    // The save the moderator started (its answer never comes: the worker stops).
    options.evaluate((json) => chrome.runtime.sendMessage({ type: 'packSave', json, replaces: 'delta', origin: 'file', fileName: 'x.json', quick: '' }), pack('delta', to, words)).catch(() => {});
    const writes = await waitFor(() => sw().evaluate((k) => (globalThis.writesSeen.length > k ? globalThis.writesSeen : null), n), { message: `write ${n + 1} of the save` });
    await restartWorker();
    const after = await storedAll();
    const entry = after.packIndex.user.delta;
    const text = after[entry.key];
    assert.equal(typeof text, 'string', `stopped after ${n}: the index names a text that is there`);
    assert.equal(after['tx:packs'], undefined, `stopped after ${n}: the change was finished or undone`);
    const deltaKeys = Object.keys(after).filter((k) => k.startsWith('pack:delta'));
    assert.deepEqual(deltaKeys, [entry.key], `stopped after ${n}: one text, no leftovers`);
    const got = JSON.parse(text).version;
    assert.ok(got === from || got === to, `stopped after ${n}: ${got}`);
    assert.equal(entry.version, got, 'the list and the text agree');
    const rules = await engineRules();
    assert.ok(rules.includes(`delta/words:${JSON.parse(text).rules[0].patterns[0]}`), `stopped after ${n}: the stored version is the one in use`);
    seen.push(`stopped after ${n} of 5 writes (${writes.slice(0, n).join('; ')}): the ${got === to ? 'new' : 'old'} version in use`);
    // The first write is the journal alone: undone. From the new text on, finished.
    assert.equal(got, n === 1 ? from : to, `stopped after ${n}`);
    if (got === to) version += 1;
  }
  assert.notEqual((await storedAll()).packIndex.user.delta.key, oldKey);
  // An interrupted save is not damage: nothing new in the Storage section.
  assert.equal((await problemRows()).length, problemsBefore);
  console.log(`# pack save stopped mid-way:\n#   ${seen.join('\n#   ')}`);
});

test('a pack list that is gone is rebuilt from the pack texts, and reported', async () => {
  await sw().evaluate(() => chrome.storage.local.remove('packIndex'));
  await restartWorker();
  const user = (await storedAll()).packIndex.user;
  assert.deepEqual(Object.keys(user).sort(), ['alpha', 'delta', 'gamma']);
  const rules = await engineRules();
  assert.ok(rules.some((r) => r.startsWith('alpha/')) && rules.some((r) => r.startsWith('delta/')), 'rebuilt and in use');
  // Its switch was in the list that is gone: on again, and left out again as it does not compile with the others.
  assert.ok(!rules.some((r) => r.startsWith('gamma/')));
  await options.reload();
  await options.waitForSelector('html[data-ready="1"]');
  const row = (await problemRows()).find((r) => r.key === 'packIndex' && /missing/.test(r.why));
  assert.ok(row);
  assert.equal(row.why, 'the pack list is missing while pack texts are stored.');
  assert.match(row.kept, /^Your packs are rebuilt from their stored texts/);
  assert.match(await options.locator('#problem').textContent(), /gamma\.json left out/);
  const off = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'packSetEnabled', id: 'gamma', enabled: false }));
  assert.equal(off.ok, true);
});

test('a subscription whose stored copy is damaged keeps its URL and is downloaded again, whole', async () => {
  // The host permission, granted as the moderator would in the browser's prompt (automation cannot click it).
  const ext = await browser.context.newPage();
  await ext.goto(`chrome://extensions/?id=${browser.extensionId}`);
  const granted = await ext.evaluate(
    ([id, p]) => new Promise((resolve) => chrome.developerPrivate.addHostPermission(id, p, () => resolve(chrome.runtime.lastError?.message ?? 'ok'))),
    [browser.extensionId, 'https://packs.example.org/*'],
  );
  await ext.close();
  assert.equal(granted, 'ok');
  served.body = pack('omega', '1.0', ['quuxite brigade']);
  served.etag = '"o1"';
  const sub = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'packSubscribe', url: 'https://packs.example.org/omega.json', pin: '' }));
  assert.equal(sub.ok, true, JSON.stringify(sub).slice(0, 300));
  assert.ok((await engineRules()).includes('omega/words:quuxite brigade'));

  await sw().evaluate(async () => {
    const { packIndex } = await chrome.storage.local.get('packIndex');
    await chrome.storage.local.set({ [packIndex.user.omega.key]: { not: 'a pack text' } });
  });
  await restartWorker();
  assert.ok(!(await engineRules()).some((r) => r.startsWith('omega/')), 'nothing to run');
  const row = options.locator('#pack-rows tr[data-pack="omega"]');
  assert.match(await row.locator('.sub-waiting').textContent(), /stored copy of this pack was damaged/);
  const omegaRows = (await problemRows()).filter((r) => r.key.startsWith('pack:omega@'));
  assert.equal(omegaRows.length, 1, 'one report for one damaged pack');
  const problem = omegaRows[0];
  assert.equal(problem.why, 'expected text, found a record.');
  assert.equal(problem.kept, 'The subscription: the pack is downloaded again from https://packs.example.org/omega.json.');
  // Its next check is soon; "Update now" does it at once, asking for the whole pack.
  const n = served.requests.length;
  await row.getByRole('button', { name: /^Update/ }).click();
  await waitFor(async () => (await engineRules()).includes('omega/words:quuxite brigade'), { message: 'downloaded again and in use' });
  assert.equal(served.requests[n]['if-none-match'], undefined, 'no conditional request: the whole pack');
  await waitFor(async () => (await options.locator('#pack-rows tr[data-pack="omega"] .sub-waiting').count()) === 0, { message: 'no longer waiting' });
  const after = await storedAll();
  assert.equal(after[after.packIndex.user.omega.key], served.body);
});

/**
 * Selects text in a page (its own DOM API), from the start of one string to the end of another.
 * @param {import('playwright-core').Page} page
 */
function select(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const find = (t) => {
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) if (n.data.includes(t)) return [n, n.data.indexOf(t)];
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

test('a service worker stopped in the middle of a flag save loses nothing: the form keeps the flag, Save again stores it once; Undo of a delete survives it', async () => {
  const FLAGGED = 'https://vk.com/flags.html';
  const page = await browser.context.newPage();
  await page.goto(FLAGGED);
  let tabId = await tabIdFor(sw(), FLAGGED);
  await settle(sw(), tabId, { min: 1 });
  // After a restart the new worker knows the tab once its content script reconnects; ask it to, as the background does.
  const top = async () => {
    await sw().evaluate((id) => chrome.tabs.sendMessage(id, { type: 'reconnect' }, { frameId: 0 }).catch(() => {}), tabId);
    return (await probe(sw(), tabId))[0] ?? {};
  };
  // Flags stored before, on this page and another.
  const old = [flag(FLAGGED), flag(FLAGGED)];
  const elsewhere = flag(W3);
  await sw().evaluate(async (flags) => {
    for (const f of flags) await globalThis.flaglight.flags.store.save(f);
  }, [...old, elsewhere]);
  const pageFlags = async () => (await storedAll())[`flags:${FLAGGED}`] ?? [];
  const seen = [];
  // A save is two writes: the page's flags, then the form's remembered category and severity.
  for (const [n, land, from, to, note] of [
    [0, false, 'the city council', 'for the spring', 'stopped before its first write'],
    [0, true, 'send your zakat', 'new boots', 'stopped just after its first write, before the answer'],
    [1, false, 'a recipe for borscht', 'sour cream', 'stopped before its second write'],
  ]) {
    const before = await storedAll();
    const already = (before[`flags:${FLAGGED}`] ?? []).length;
    await select(page, from, to);
    const opened = await sw().evaluate((id) => globalThis.flaglight.flags.flagSelection(id), tabId);
    assert.equal(opened.ok, true);
    await waitFor(async () => (await top()).flagForm === 'new', { message: 'the form' });
    await page.keyboard.type(`spam-${seen.length}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type(note);
    await holdWritesAfter(n, { land });
    await page.keyboard.press('Control+Enter');
    const writes = await waitFor(() => sw().evaluate((k) => (globalThis.writesSeen.length > k ? globalThis.writesSeen : null), n), { message: `write ${n + 1} of the flag save` });
    await restartWorker();
    tabId = await tabIdFor(sw(), FLAGGED);
    // The form says at once that it was not saved, and still holds the flag;
    // or, stopped after the flag's own write, the answer may have come first.
    const written = n + (land ? 1 : 0);
    const shown = await waitFor(async () => {
      const r = await top();
      return r.flagFormMessage?.startsWith('Not saved') || (n > 0 && r.flagForm === 'none') ? r : null;
    }, { message: 'the form says "not saved"' });
    const answered = shown.flagForm === 'none';
    if (!answered) {
      assert.match(shown.flagFormMessage, /no answer from the extension/);
      assert.equal(shown.flagForm, 'new');
      assert.equal(JSON.parse(shown.flagFormValues).note, note);
    }
    // Storage holds the old state or the new one, whole; nothing else was touched.
    const after = await storedAll();
    const stored = after[`flags:${FLAGGED}`];
    assert.equal(stored.length, already + (written ? 1 : 0), `${note}: ${written ? 'the flag is stored' : 'nothing stored yet'}`);
    assert.deepEqual(stored.slice(0, already), before[`flags:${FLAGGED}`], `${note}: the flags before are intact`);
    if (written) assert.equal(stored.at(-1).note, note);
    assert.deepEqual(after[`flags:${W3}`], before[`flags:${W3}`], "another page's flags");
    assert.deepEqual(after.flagDefaults, before.flagDefaults, `${note}: the remembered category was not written`);
    const quarantined = (items) => Object.keys(items).filter((k) => k.startsWith('corrupt:')).sort();
    assert.deepEqual(quarantined(after), quarantined(before), 'an interrupted save is not damage');
    if (!answered) {
      // Save again (focus is still in the form): stored once, under one id.
      await page.keyboard.press('Control+Enter');
      await waitFor(async () => (await top()).flagForm === 'none', { message: 'saved on the second try' });
    }
    const now = await pageFlags();
    assert.equal(now.length, already + 1, `${note}: one new flag, not two`);
    const added = now.filter((f) => f.note === note);
    assert.equal(added.length, 1);
    if (written) assert.equal(added[0].id, stored.at(-1).id, 'the flag written before the stop was updated, not copied');
    assert.equal(added[0].category, `spam-${seen.length}`);
    if (!answered) assert.deepEqual((await storedAll()).flagDefaults, { category: `spam-${seen.length}`, severity: added[0].severity });
    seen.push(`flag save ${note} (${writes.slice(0, n + 1).join('; ')}${land ? ', made' : ', held'}): ${answered ? 'the flag stored and answered before the stop' : 'kept in the form, stored once on Save again'}`);
  }
  const last = await pageFlags();
  for (const f of old) assert.ok(last.some((x) => x.id === f.id && x.note === f.note), 'the flags before are all there');

  // An edit in the panel, stopped before its write: the old version stays stored, the edit stays in the panel.
  const target = old[0];
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  const item = panel.locator('li.flag', { hasText: target.note });
  await item.getByRole('button', { name: 'Edit' }).click();
  const editor = panel.locator('.flag-edit');
  await editor.locator('textarea').fill('edited while the worker stopped');
  await holdWritesAfter(0);
  await editor.getByRole('button', { name: 'Save' }).click();
  await waitFor(() => sw().evaluate(() => (globalThis.writesSeen.length > 0 ? true : null)), { message: 'the edit write' });
  await restartWorker();
  await panel.locator('.flag-edit .flag-error:not([hidden])').waitFor();
  assert.match(await panel.locator('.flag-edit .flag-error').textContent(), /no answer|not saved/i);
  assert.equal(await editor.locator('textarea').inputValue(), 'edited while the worker stopped');
  assert.deepEqual((await pageFlags()).find((f) => f.id === target.id), target, 'the old version, whole');
  await editor.getByRole('button', { name: 'Save' }).click();
  await waitFor(async () => (await pageFlags()).find((f) => f.id === target.id)?.note === 'edited while the worker stopped', { message: 'the edit saved on the second try' });
  assert.equal((await pageFlags()).length, last.length);
  seen.push('flag edit in the panel stopped before its write: the old version stored, the edit kept in the panel, saved on Save');

  // A flag deleted, then the worker stops (as it does after 30 s idle): Undo still restores it.
  const doomed = old[1];
  await panel.locator('li.flag', { hasText: doomed.note }).getByRole('button', { name: 'Delete' }).click();
  await panel.locator('.undo-bar:not([hidden])').waitFor();
  await waitFor(async () => !(await pageFlags()).some((f) => f.id === doomed.id), { message: 'deleted' });
  await restartWorker();
  await panel.locator('.undo-bar').getByRole('button', { name: 'Undo' }).click();
  await waitFor(async () => (await pageFlags()).some((f) => f.id === doomed.id), { message: 'restored after the restart' });
  assert.deepEqual((await pageFlags()).find((f) => f.id === doomed.id), doomed, 'restored as it was');
  seen.push('a flag deleted, then the worker stopped: Undo restores it');
  await panel.close();
  await page.close();
  console.log(`# flag save stopped mid-way:\n#   ${seen.join('\n#   ')}`);
});

test('the options page logged no errors', () => {
  assert.deepEqual(optionsErrors, []);
});
