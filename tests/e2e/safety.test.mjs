// What a hostile page must not get: markup in page text never becomes
// elements (in the page or in the panel), the page sees no trace of the tool
// beyond the highlights' random names and the card's bare host while shown,
// forged or malformed messages are refused whole, and nothing leaves the
// machine.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIXTURES,
  STRICT_CSP,
  launch,
  openExtensionPage,
  probe,
  rectOfText,
  routeHost,
  serve,
  settle,
  tabIdFor,
  tabView,
  trackErrors,
  waitFor,
} from './harness.mjs';

let browser;
let server;
/** Every http(s) request the browser made, by URL. */
const requests = [];

before(async () => {
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  browser = await launch();
  browser.context.on('request', (r) => {
    if (/^https?:/.test(r.url())) requests.push(r.url());
  });
  await routeHost(browser.context, 'https://vk.com', server.base);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('page text that looks like markup creates no elements, in the page or the panel', async () => {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto('https://vk.com/html-strings.html');
  const countBefore = await page.evaluate(() => document.getElementsByTagName('*').length);
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/html-strings.html');
  const v = await settle(browser.sw, tabId, { min: 3 });
  assert.deepEqual(v.findings.map((f) => f.text).sort(), ['Daesh', 'ISIS', 'join the caliphate']);

  // Hover a finding whose context is full of markup: the card shows it as text.
  const rect = await rectOfText(page, 'ISIS');
  await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
  await waitFor(async () => (await tabView(browser.sw, tabId)).card?.fields.folded, { message: 'card shown' });
  const during = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.equal(during, countBefore + 1, 'only the card host while the card is shown');
  await page.mouse.move(2, 2);
  await waitFor(async () => (await probe(browser.sw, tabId))[0].cardShown === false, { message: 'card hidden' });

  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  await panel.waitForFunction(() => document.getElementById('total').textContent === '3');
  const snippets = await panel.locator('.snippet').allTextContents();
  assert.ok(snippets.some((s) => s.includes('<img src=x onerror=alert(1)> ISIS <script>alert(2)</script>')), JSON.stringify(snippets));
  assert.ok(snippets.some((s) => s.includes('<b>Daesh</b>')), JSON.stringify(snippets));
  const injected = await panel.evaluate(() => document.querySelectorAll('img, script:not([src]), svg, iframe, b').length);
  assert.equal(injected, 0, 'no element built from page text in the panel');
  await panel.close();

  const countAfter = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.equal(countAfter, countBefore, 'no element left in the page');
  const seen = await page.evaluate(() => ({ added: window.addedElements, removed: window.removedElements }));
  // The page's own observer saw exactly one element come and go: the card's
  // host, a bare <div> at the end of <html>, with no attributes.
  assert.deepEqual(seen.added, [{ tag: 'div', attrs: [], parent: 'html' }]);
  assert.deepEqual(seen.removed, ['div']);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page sees nothing that names the tool', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://vk.com/strict-csp.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/strict-csp.html');
  await settle(browser.sw, tabId, { min: 4 });
  const look = () =>
    page.evaluate(() => {
      const attrs = new Set();
      for (const el of document.getElementsByTagName('*')) for (const a of el.getAttributeNames()) attrs.add(a);
      return {
        names: [...CSS.highlights.keys()],
        attrs: [...attrs].sort(),
        globals: Object.keys(window).filter((k) => /flag|light|highlight/i.test(k)),
        sheets: document.adoptedStyleSheets.length,
        chromeRuntime: typeof globalThis.chrome?.runtime?.connect,
      };
    });
  const first = await look();
  assert.ok(first.names.length >= 2, 'highlights registered');
  for (const n of first.names) assert.match(n, /^[a-z][a-z0-9]{7,11}$/);
  assert.ok(!first.names.some((n) => /flag|light/i.test(n)));
  assert.deepEqual(first.attrs, ['charset', 'href', 'lang', 'rel', 'src'], 'no attributes added');
  assert.deepEqual(first.globals, []);
  assert.equal(first.sheets, 0, 'document styles go in through insertCSS, not adoptedStyleSheets');
  assert.equal(first.chromeRuntime, 'undefined', 'the page cannot message the extension');
  // Names are drawn again on every page load.
  await page.reload();
  await waitFor(async () => (await look()).names.length >= 2);
  const second = await look();
  assert.equal(
    second.names.filter((n) => first.names.includes(n)).length,
    0,
    'fresh names after a reload',
  );
  await page.close();
});

test('forged and malformed messages are refused whole', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://vk.com/strict-csp.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/strict-csp.html');
  const before = await settle(browser.sw, tabId, { min: 4 });
  const refused = () => browser.sw.evaluate(() => globalThis.flaglight.stats.refused);
  const r0 = await refused();

  // 1. An extension page (here in a tab, so it has a tab id) pretending to be
  //    a content script is disconnected at connect time.
  const ext = await openExtensionPage(browser, 'panel/panel.html?tab=1');
  const cut = await ext.evaluate(
    () =>
      new Promise((resolve) => {
        const port = chrome.runtime.connect({ name: 'content' });
        port.onDisconnect.addListener(() => resolve(true));
        port.postMessage({ type: 'hello', url: 'https://vk.com/', title: '', top: true, resume: [] });
        setTimeout(() => resolve(false), 2000);
      }),
  );
  assert.equal(cut, true, 'the forged content port was disconnected');
  // 2. Malformed requests from an extension page are refused.
  const bad = await ext.evaluate(async () => [
    await chrome.runtime.sendMessage({ type: 'reveal', tabId: 1, frameId: 0, chunk: -1, n: 0 }),
    await chrome.runtime.sendMessage({ type: 'setSite', host: 'vk.com', enabled: 'no' }),
    await chrome.runtime.sendMessage({ type: 'command', tabId: 1, name: 'rm -rf' }),
    await chrome.runtime.sendMessage({ type: 'summary', tabId: 1, extra: 1 }),
  ]);
  assert.ok(bad.every((b) => typeof b?.error === 'string'), JSON.stringify(bad));
  await ext.close();

  // 3. Malformed messages on a real content port, sent from the content
  //    script's own isolated world (reached through the DevTools protocol).
  const cdp = await browser.context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const world = await waitFor(() => contexts.find((c) => c.origin === `chrome-extension://${browser.extensionId}` || c.name === 'flaglight'));
  const sent = await cdp.send('Runtime.evaluate', {
    contextId: world.id,
    awaitPromise: true,
    returnByValue: true,
    expression: `new Promise((resolve) => {
      const port = chrome.runtime.connect({ name: 'content' });
      const msgs = [
        { type: 'scan', chunk: 1, text: 'ISIS', blocks: [0], drop: [] },            // before hello
        { type: 'hello', url: 'not a url', title: '', top: true, resume: [] },
        { type: 'hello', url: 'https://vk.com/', title: '', top: true, resume: [], admin: true },
        { type: 'findings', chunk: 1, data: [0, 4, 0, 0, 0, 3, 99, 0], generation: 1 },
        { type: 'scan', chunk: -1, text: 'ISIS', blocks: [0], drop: [] },
        { type: 'scan', chunk: 2, text: 'ISIS', blocks: [3, 1], drop: [] },
        { type: 'drop', spans: [1, 2] },
        { type: 'styles', names: { 'extremism:high': 'x} body{display:none' } },
        { type: 'card', fields: { innerHTML: '<img src=x onerror=alert(1)>' } },
        'scan',
        [1, 2, 3],
      ];
      for (const m of msgs) port.postMessage(m);
      setTimeout(() => resolve(msgs.length), 500);
    })`,
  });
  assert.equal(sent.result.value, 11);
  await waitFor(async () => (await refused()) >= r0 + 1 + 4 + 11, { message: 'every forged message refused' });
  const after = await tabView(browser.sw, tabId);
  assert.deepEqual(after.findings, before.findings, 'nothing changed');
  assert.equal(after.card, null);
  await page.close();
});

test('nothing leaves the machine: only the pages the test opened were requested', () => {
  const hosts = new Set(requests.map((u) => new URL(u).host));
  assert.deepEqual([...hosts].sort(), ['vk.com']);
});
