// Sightings and watch-lists (issue 14), in Chromium with routed hostnames:
// the same wallet on a vk.com wall post and a t.me channel (the second
// page's card names the first), a watched Telegram handle on a Facebook page
// (alert badge, listed first in the panel), the panel's exports validated
// against the vendored STIX 2.1 schemas and misp-objects definitions, a
// service-worker restart, a full disk, retention and "clear all".
//
// Pages are written here and served under their real-looking URLs; the
// extension's state is read through its service worker (globalThis.flaglight)
// and its own pages (panel, options).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseCsvRecords } from 'csv-parse/sync';
import { STRICT_CSP, launch, openExtensionPage, probe, rectOfText, settle, tabIdFor, tabView, trackErrors, waitFor } from './harness.mjs';
import { checkMisp, checkStix } from '../lib/export-check.mjs';

const WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const CARD = '4111 1111 1111 1111';
const HANDLE = 'fund_brothers';
const VK = 'https://vk.com/wall-4455_12';
const TG = 'https://t.me/s/steppe_news';
const FB = 'https://www.facebook.com/steppe.help/posts/77';
const FULL = 'https://vk.com/wall-4455_40';
const AFTER = 'https://vk.com/wall-4455_41';
const ALERT_RGBA = [214, 0, 143, 255];

/**
 * A page in the layout of a feed: a head with its own metadata, posts as articles.
 * @param {string} title
 * @param {string} head  extra head markup
 * @param {string[]} posts
 */
function html(title, head, posts) {
  const body = posts.map((p, i) => `<article id="p${i + 1}"><p>${p}</p></article>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  ${head}
</head>
<body>
  <main>
    ${body}
  </main>
</body>
</html>`;
}

const PAGES = {
  [VK]: html('Steppe Brothers Aid — wall post', '<meta property="og:title" content="Steppe Brothers Aid">', [
    'Brothers, the winter is hard at the front and the boys need warm boots and radios.',
    `Send what you can: BTC ${WALLET} or the card ${CARD}. May your help be accepted.`,
    'Photos from the last delivery will be posted on Friday.',
  ]),
  [TG]: html('Steppe News – Telegram', '<link rel="canonical" href="https://t.me/s/steppe_news"><meta property="al:android:url" content="tg://resolve?domain=steppe_news">', [
    'The convoy reached the villages on Tuesday, thank you to everyone who helped.',
    `The collection continues. Donate to BTC ${WALLET}, every coin goes to the front.`,
  ]),
  [FB]: html('Steppe Help | Facebook', '<meta property="og:url" content="https://www.facebook.com/steppe.help">', [
    `Our old page was closed. Follow the new channel @${HANDLE} for news from the brothers.`,
    'Please donate for medicine: ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, God reward you.',
  ]),
  [FULL]: html('Steppe Brothers Aid — another post', '', ['A new collection has started. Donate via TRX TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL for the fighters.']),
  [AFTER]: html('Steppe Brothers Aid — report', '', ['Report for the week. Please donate to the brothers: WebMoney Z123456789012.']),
};

let browser;
const sw = () => browser.sw;

before(async () => {
  browser = await launch();
  for (const [url, body] of Object.entries(PAGES)) {
    await browser.context.route(url, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' }, body }),
    );
  }
});

after(async () => {
  await browser?.close();
});

/** Every write of the sightings store has landed. */
const written = () => sw().evaluate(() => globalThis.flaglight.sightings.settled());
/** What the store holds, through the background's own reader. */
const counts = () => sw().evaluate(() => globalThis.flaglight.sightings.db.counts());
/** @param {string} key */
const summary = (key) => sw().evaluate(async (k) => (await globalThis.flaglight.sightings.db.summaries([k])).get(k) ?? null, key);

/**
 * Opens a page and waits until its findings are highlighted and its sightings written.
 * @param {string} url
 * @param {number} [min]
 */
async function visit(url, min = 1) {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto(url);
  const tabId = await tabIdFor(sw(), url);
  await settle(sw(), tabId, { min });
  await waitFor(async () => {
    await written();
    const on = await sw().evaluate(async (u) => (await globalThis.flaglight.sightings.db.sightingsOn(u)).length, url);
    return on > 0;
  }, { message: `sightings of ${url}` });
  return { page, tabId, errors };
}

/**
 * Hovers a text and waits for the card's sightings line.
 * @param {import('playwright-core').Page} page
 * @param {number} tabId
 * @param {string} text
 */
async function cardOf(page, tabId, text) {
  // Away first, until the card is gone: a card shown again asks the background again.
  await page.mouse.move(2, 2);
  await waitFor(async () => (await probe(sw(), tabId))[0]?.cardShown === false, { message: 'no card' });
  await sw().evaluate((id) => {
    globalThis.flaglight.tabs.get(id).card = null;
  }, tabId);
  const r = await rectOfText(page, text);
  assert.ok(r, `${text} is on the page`);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  return waitFor(async () => {
    const c = (await tabView(sw(), tabId))?.card?.fields;
    return c && c.text === text && /Seen/.test(c.shown ?? '') ? c : null;
  }, { message: `the card of ${text} with its sightings` });
}

/** @param {number} tabId */
const badgeColor = (tabId) => sw().evaluate((id) => chrome.action.getBadgeBackgroundColor({ tabId: id }), tabId);

let vk;
let tg;
let fb;

test('the same wallet on a vk.com post and a t.me channel: the second page\'s card says it was seen on the first, with its URL', async () => {
  vk = await visit(VK, 3);
  const first = await cardOf(vk.page, vk.tabId, WALLET);
  assert.match(first.shown, /first seen on this page/, 'new on the first page');
  assert.equal(first.seen ?? '', '');

  tg = await visit(TG, 1);
  const card = await cardOf(tg.page, tg.tabId, WALLET);
  assert.match(card.shown, /2 times on 2 sites since /);
  assert.deepEqual(card.seen.split(' '), [VK], 'links to the first page, not to this one');

  const s = await summary(`btc:${WALLET}`);
  assert.equal(s.count, 2);
  assert.equal(s.sites, 2);
  assert.deepEqual(s.recent.map((/** @type {any} */ r) => r.url).sort(), [TG, VK].sort());
  // The pages' own accounts, from the URL and the page's metadata.
  assert.ok(await summary('vk:club4455'), 'the VK group of the wall post');
  assert.equal((await summary('vk:club4455')).name, 'Steppe Brothers Aid');
  assert.ok(await summary('telegram:steppe_news'), 'the Telegram channel');
  // The card number is kept as a keyed hash with its last four characters.
  const items = await sw().evaluate(() => globalThis.flaglight.sightings.db.allItems());
  const card4 = items.find((/** @type {any} */ i) => i.kind === 'card');
  assert.match(card4.key, /^card:h:[0-9a-f]{32}$/);
  assert.equal(card4.label, '•••• 1111');
  assert.ok(!JSON.stringify(items).includes('4111111111111111'), 'no clear card number in the store');

  // The panel: the page's items marked new or seen before.
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tg.tabId}`);
  const row = panel.locator(`#sightings-here li[data-key="btc:${WALLET}"]`);
  await row.waitFor();
  assert.equal(await row.locator('.mark').textContent(), 'seen before');
  assert.ok((await row.textContent()).includes('vk.com/wall-4455_12'));
  assert.equal(await panel.locator('#sightings-here li[data-key="telegram:steppe_news"] .mark').textContent(), 'new on this page');
  await panel.close();
  assert.deepEqual([...vk.errors, ...tg.errors], []);
});

test('a watched handle on a third page raises the alert; the panel lists it first', async () => {
  // Pasted into the options page's watch-list.
  const options = await openExtensionPage(browser, 'options/options.html#sightings');
  await options.locator('html[data-sightings-ready="1"]').waitFor({ state: 'attached' });
  await options.fill('#watch-paste', `@${HANDLE}\nnot a wallet: bc1qnotreallyanaddress\n# a comment`);
  await options.click('#watch-add');
  await waitFor(async () => /Added 2/.test((await options.locator('#watch-status').textContent()) ?? ''), { message: 'the watch-list import' });
  // "bc1qnot…" is no identifier: it is watched as a phrase, as the list says of a line that is neither.
  assert.ok(await options.locator(`#watch-entries li[data-key="telegram:${HANDLE}"]`).count());
  await options.close();
  assert.ok((await sw().evaluate(() => globalThis.flaglight.sightings.watched())).includes(`telegram:${HANDLE}`));

  fb = await visit(FB, 2);
  await waitFor(async () => (await sw().evaluate((id) => globalThis.flaglight.sightings.alerts()[id] ?? [], fb.tabId)).includes(`telegram:${HANDLE}`), {
    message: 'the alert of the tab',
  });
  assert.deepEqual(await badgeColor(fb.tabId), ALERT_RGBA, 'the badge in the alert colour');
  assert.notDeepEqual(await badgeColor(vk.tabId), ALERT_RGBA, 'not on a page without a watched item');

  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${fb.tabId}`);
  await panel.locator('#sightings-here li').first().waitFor();
  const keys = await panel.locator('#sightings-here li').evaluateAll((els) => els.map((e) => [e.dataset.key, e.className]));
  assert.ok(keys.length >= 3, JSON.stringify(keys));
  assert.deepEqual(keys[0], [`telegram:${HANDLE}`, 'sighting watched'], 'the watched handle first');
  assert.ok(keys.some(([k]) => k === 'facebook:steppe.help'), 'the page\'s own account');
  assert.match(await panel.locator('#sightings-here .alert-line').textContent(), /1 watched/);
  await panel.close();

  // Watching from the panel's page block: the wallet on the t.me page; its card then says so.
  const tgPanel = await openExtensionPage(browser, `panel/panel.html?tab=${tg.tabId}`);
  const row = tgPanel.locator(`#sightings-here li[data-key="btc:${WALLET}"]`);
  await row.locator('button.watch').click();
  await tgPanel.locator(`#sightings-here li[data-key="btc:${WALLET}"].watched`).waitFor();
  await tgPanel.close();
  assert.ok((await sw().evaluate(() => globalThis.flaglight.sightings.watched())).includes(`btc:${WALLET}`));
  await waitFor(async () => (await badgeColor(tg.tabId)).join() === ALERT_RGBA.join(), { message: 'the open tab of a newly watched item turns to the alert colour' });
  assert.match((await cardOf(tg.page, tg.tabId, WALLET)).shown, /on the watch-list/);
});

/**
 * Clicks an export button of the panel's Sightings view and reads the file.
 * @param {import('playwright-core').Page} panel
 * @param {'csv'|'stix'|'misp'} format
 */
async function exportFrom(panel, format) {
  const details = panel.locator('details.sightings-export');
  if (!(await details.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open))) await details.locator('summary').click();
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.click(`#sightings-export-${format}`)]);
  return { name: download.suggestedFilename(), text: await readFile(/** @type {string} */ (await download.path()), 'utf8') };
}

test('the Sightings view: by identifier and by account, search; exports validate (STIX 2.1 schemas, misp-objects); cards masked unless asked', async () => {
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${fb.tabId}&view=sightings`);
  await panel.locator('html[data-sightings-ms]').waitFor({ state: 'attached' });
  const rows = () => panel.locator('#sightings-view ul.all > li.sighting').evaluateAll((els) => els.map((e) => e.dataset.key));
  const ids = await rows();
  assert.equal(ids[0].startsWith('btc:') || ids[0] === `telegram:${HANDLE}`, true, `watched first: ${ids}`);
  assert.ok(ids.includes(`btc:${WALLET}`) && ids.some((k) => k.startsWith('card:h:')) && !ids.includes('vk:club4455'));
  await panel.click('#side-account');
  const accounts = await rows();
  assert.ok(accounts.includes('vk:club4455') && accounts.includes('facebook:steppe.help') && !accounts.includes(`btc:${WALLET}`), JSON.stringify(accounts));
  await panel.click('#side-id');
  await panel.fill('#sightings-search', 't.me/s/steppe');
  // Search by a page the items were seen on: the wallet, not the card (seen on vk.com only) or the Facebook page's ETH.
  await waitFor(async () => {
    const r = await rows();
    return r.includes(`btc:${WALLET}`) && !r.some((k) => k.startsWith('card:') || k.startsWith('eth:')) ? r : null;
  }, { message: 'search by a page the item was seen on' });
  // A row opens its pages; a page opens in a tab.
  await panel.locator(`li[data-key="btc:${WALLET}"] button.sighting-open`).click();
  const links = panel.locator(`li[data-key="btc:${WALLET}"] ul.pages a.page-link`);
  await links.first().waitFor();
  assert.deepEqual((await links.evaluateAll((els) => els.map((a) => /** @type {HTMLAnchorElement} */ (a).href))).sort(), [TG, VK].sort());
  const [asked] = await Promise.all([browser.context.waitForEvent('request', (r) => [TG, VK].includes(r.url())), links.first().click()]);
  assert.ok(asked.isNavigationRequest(), 'the page opens in a tab');
  await asked.frame().page()?.close();
  await panel.fill('#sightings-search', '');

  const stix = await exportFrom(panel, 'stix');
  assert.match(stix.name, /^flaglight-sightings-.*\.stix\.json$/);
  const bundle = JSON.parse(stix.text);
  const types = await checkStix(bundle);
  for (const t of ['identity', 'cryptocurrency-wallet', 'payment-card', 'user-account', 'observed-data', 'sighting', 'indicator']) assert.ok(types.get(t), `STIX has ${t}`);
  const wallet = bundle.objects.find((/** @type {any} */ o) => o.type === 'cryptocurrency-wallet' && o.value === WALLET);
  assert.ok(wallet, 'the wallet observable');
  const sighted = bundle.objects.filter((/** @type {any} */ o) => o.type === 'sighting' && !o.summary && o.sighting_of_ref.startsWith('indicator--'));
  assert.ok(sighted.length >= 2, 'the watched wallet is sighted through its indicator on both pages');
  assert.ok(!stix.text.includes('4111111111111111'), 'the card masked');

  const misp = await exportFrom(panel, 'misp');
  const names = await checkMisp(JSON.parse(misp.text));
  for (const n of ['btc-wallet', 'credit-card', 'telegram-account']) assert.ok(names.has(n), `MISP has ${n}`);
  assert.ok(!misp.text.includes('4111111111111111'));

  const csv = await exportFrom(panel, 'csv');
  const table = parseCsvRecords(csv.text, { relax_quotes: false, relax_column_count: false });
  assert.ok(table.some((r) => r[2] === WALLET && r[10] === VK) && table.some((r) => r[2] === WALLET && r[10] === TG));
  assert.ok(!csv.text.includes('4111111111111111'));

  // In clear, when asked, with the warning shown.
  await panel.check('#sightings-export-clear');
  assert.ok(await panel.locator('.sightings-export .sightings-error').isVisible());
  const clear = await exportFrom(panel, 'csv');
  assert.ok(clear.text.includes('4111111111111111'), 'the card in clear');
  const clearStix = await exportFrom(panel, 'stix');
  await checkStix(JSON.parse(clearStix.text));
  assert.ok(clearStix.text.includes('4111111111111111'));
  await panel.close();
});

test('a service-worker restart loses nothing: the store, the watch-list, the alert, and a scan written as the worker stops', async () => {
  const before = await counts();
  const alerts = await sw().evaluate(() => globalThis.flaglight.sightings.alerts());
  // A scan, and the worker stopped without waiting for its sightings: the
  // journal in storage.session replays what IndexedDB had not committed.
  const page = await browser.context.newPage();
  await page.goto(AFTER);
  const tabId = await tabIdFor(sw(), AFTER);
  await settle(sw(), tabId, { min: 1 });
  await sw().evaluate(() => {
    globalThis.beforeRestart = true;
  });
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));

  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${fb.tabId}`);
  await panel.locator(`#sightings-here li[data-key="telegram:${HANDLE}"].watched`).waitFor({ timeout: 15_000 });
  await waitFor(() => browser.worker());
  assert.equal(await sw().evaluate(() => globalThis.beforeRestart), undefined, 'a new service worker');
  await sw().evaluate(() => globalThis.flaglight.sightings.ready);
  await written();
  const now = await waitFor(async () => {
    const c = await counts();
    return c.sightings > before.sightings ? c : null;
  }, { message: 'the scan before the stop is stored' });
  assert.equal(now.watch, before.watch, 'the watch-list');
  assert.ok(now.items >= before.items + 1);
  assert.ok(await summary('webmoney:Z123456789012'), 'the identifier of the scan before the stop');
  assert.deepEqual((await sw().evaluate(() => globalThis.flaglight.sightings.alerts()))[fb.tabId], alerts[fb.tabId], 'the tab\'s alert');
  assert.deepEqual(await badgeColor(fb.tabId), ALERT_RGBA);
  // The card still finds the first page.
  const card = await cardOf(tg.page, tg.tabId, WALLET);
  assert.ok(card.seen.split(' ').includes(VK));
  await panel.close();
  await page.close();
});

test('a full disk is reported; nothing already stored is lost; the sightings are saved once there is room', async () => {
  const before = await counts();
  const stored = await sw().evaluate(() => globalThis.flaglight.sightings.db.allItems());
  // The browser refuses the writes as a full quota does: each write
  // transaction aborts with QuotaExceededError. (Chromium's DevTools quota
  // override, Storage.overrideQuotaForOrigin, does not reach an extension's
  // origin, and a real full disk cannot be made in a test; the refusal is
  // made at the IndexedDB transaction, below everything the extension does.)
  await sw().evaluate(() => {
    const db = globalThis.flaglight.sightings.db;
    const real = db.tx.bind(db);
    globalThis.realTx = real;
    db.tx = async (/** @type {string[]} */ stores, /** @type {IDBTransactionMode} */ mode) => {
      const t = await real(stores, mode);
      if (mode !== 'readwrite') return t;
      const open = t.objectStore.bind(t);
      t.objectStore = (/** @type {string} */ name) => {
        const store = open(name);
        const put = store.put.bind(store);
        store.put = (/** @type {any} */ v, /** @type {any} */ k) => {
          const r = put(v, k);
          Object.defineProperty(t, 'error', { value: new DOMException('The quota has been exceeded.', 'QuotaExceededError') });
          t.abort();
          return r;
        };
        return store;
      };
      return t;
    };
  });
  const page = await browser.context.newPage();
  try {
    await page.goto(FULL);
    const tabId = await tabIdFor(sw(), FULL);
    await settle(sw(), tabId, { min: 1 });
    const problem = await waitFor(() => sw().evaluate(async () => {
      await globalThis.flaglight.sightings.settled();
      return globalThis.flaglight.sightings.problem();
    }), { message: 'the storage-full problem' });
    assert.match(problem.reason, /storage is full/);
    const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
    await panel.locator('#sightings-here .sightings-error').waitFor();
    assert.match(await panel.locator('#sightings-here .sightings-error').textContent(), /storage is full.*Nothing stored was lost/);
    await panel.close();
    const options = await openExtensionPage(browser, 'options/options.html#sightings');
    await options.locator('#sightings-problem:not([hidden])').waitFor();
    assert.match(await options.locator('#sightings-problem').textContent(), /storage is full/);
    await options.close();
    assert.deepEqual(await counts(), before, 'nothing written, nothing lost');
    assert.deepEqual(await sw().evaluate(() => globalThis.flaglight.sightings.db.allItems()), stored, 'every stored item as it was');
  } finally {
    await sw().evaluate(() => {
      globalThis.flaglight.sightings.db.tx = globalThis.realTx;
    });
  }
  // Room again: the next write takes the held-back one with it.
  await tg.page.reload();
  await settle(sw(), tg.tabId, { min: 1 });
  await waitFor(async () => {
    await written();
    return summary('trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL');
  }, { message: 'the held-back sightings saved' });
  assert.equal(await sw().evaluate(() => globalThis.flaglight.sightings.problem()), null);
  await page.close();
});

test('retention removes what is older than the period, and "clear all" removes every sighting', async () => {
  assert.ok((await counts()).sightings > 0);
  // Three days later (the store's clock), a retention of one day.
  await sw().evaluate(() => {
    globalThis.flaglight.sightings.db.now = () => Date.now() + 3 * 86_400_000;
  });
  const options = await openExtensionPage(browser, 'options/options.html#sightings');
  await options.locator('html[data-sightings-ready="1"]').waitFor({ state: 'attached' });
  assert.equal(await options.inputValue('#sightings-days'), '90', 'the default retention');
  await options.fill('#sightings-days', '1');
  await options.click('#sightings-days-save');
  await waitFor(async () => /Stored: 0 items on 0 page records/.test((await options.locator('#sightings-counts').textContent()) ?? ''), { message: 'the store emptied by retention' });
  const c = await counts();
  assert.deepEqual([c.items, c.sightings], [0, 0]);
  assert.ok(c.watch > 0, 'the watch-list is kept');
  await sw().evaluate(() => {
    delete globalThis.flaglight.sightings.db.now;
  });
  // The card forgets what retention removed.
  await vk.page.reload();
  await settle(sw(), vk.tabId, { min: 3 });
  await written();
  assert.match((await cardOf(vk.page, vk.tabId, WALLET)).shown, /first seen on this page/);
  await tg.page.reload();
  await settle(sw(), tg.tabId, { min: 1 });
  await written();
  assert.ok((await counts()).sightings > 0);

  await options.reload();
  await options.locator('html[data-sightings-ready="1"]').waitFor({ state: 'attached' });
  await options.click('#sightings-clear');
  await options.click('#sightings-clear-confirm');
  await waitFor(async () => /Every sighting was deleted/.test((await options.locator('#sightings-clear-status').textContent()) ?? ''), { message: 'cleared' });
  const after = await counts();
  assert.deepEqual([after.items, after.sightings], [0, 0]);
  // The panel's view and exports hold nothing either.
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tg.tabId}&view=sightings`);
  await panel.locator('html[data-sightings-ms]').waitFor({ state: 'attached' });
  assert.equal(await panel.locator('#sightings-view ul.all > li.sighting').count(), 0);
  const csv = await exportFrom(panel, 'csv');
  assert.equal(parseCsvRecords(csv.text).length, 1, 'the header only');
  await panel.close();
  await options.close();
});
