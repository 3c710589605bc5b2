// The content pipeline on pages that change: a React app that re-renders,
// infinite scroll, shadow DOM (open and closed), frames (same- and
// cross-origin), editable areas, and single-page navigation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILD,
  FIXTURES,
  STRICT_CSP,
  bundleFixture,
  launch,
  probe,
  rectOfText,
  routeHost,
  serve,
  settle,
  tabIdFor,
  tabView,
  tinted,
  trackErrors,
  waitFor,
} from './harness.mjs';

let browser;
let server;

before(async () => {
  await bundleFixture('react-app.jsx');
  server = await serve([FIXTURES, BUILD], {
    csp: STRICT_CSP,
    // The frames page may frame the other routed host.
    cspFor: (p) => (p === '/frames.html' ? `${STRICT_CSP}; frame-src 'self' https://x.com` : undefined),
  });
  browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
  await routeHost(browser.context, 'https://x.com', server.base);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Sorted texts of a tab's findings. */
const texts = (v) => v.findings.map((f) => f.text).sort();

/** The top frame's report once its content script is idle (no pass, nothing in flight). */
async function idleReport(tabId) {
  return waitFor(
    async () => {
      const r = (await probe(browser.sw, tabId))[0];
      return r && !r.scanning && r.pendingRecords === 0 && r.unanswered === 0 ? r : null;
    },
    { timeout: 5000, interval: 20, message: 'content script idle' },
  );
}

test('React app re-rendering every second: highlights stay right, no console errors', async () => {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto('https://vk.com/react-app.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/react-app.html');
  const first = await settle(browser.sw, tabId, { min: 5 });
  const expected = texts(first);
  assert.deepEqual(expected, ['Daesh', 'ISIS', 'join the caliphate', 'ИГИЛ', 'джихад'].sort());

  // Sample through several re-renders (each second; a remount every other second).
  const start = Date.now();
  let samples = 0;
  while (Date.now() - start < 4500) {
    const v = await tabView(browser.sw, tabId);
    assert.deepEqual(texts(v), expected, 'the background keeps the same findings through re-renders');
    const r = (await probe(browser.sw, tabId, { detail: true }))[0];
    assert.equal(r.detached, 0, 'no highlight points at a detached node');
    if (!r.scanning && r.pendingRecords === 0 && r.unanswered === 0) {
      assert.deepEqual(r.texts, expected, 'the page highlights the same texts');
      samples += 1;
    }
    await new Promise((res) => setTimeout(res, 150));
  }
  assert.ok(samples >= 5, `enough settled samples (${samples})`);
  const r = await idleReport(tabId);
  assert.ok(r.passes > 3, 'the re-renders were rescanned');
  // Work per slice is bounded by a count, not the clock (a busy machine makes
  // slices slower, never larger); the figures are printed for the record.
  assert.ok(r.maxSliceNodes <= r.sliceNodesLimit, `a slice read at most ${r.sliceNodesLimit} nodes (${r.maxSliceNodes})`);
  console.log(`# React app: ${r.tasks} tasks, longest ${r.maxTaskMs.toFixed(1)} ms, most nodes in a slice ${r.maxSliceNodes}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('infinite scroll: 20 posts every 200 ms are highlighted as they arrive', async () => {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto('https://vk.com/infinite.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/infinite.html');
  await page.waitForFunction(() => document.title === 'Infinite feed: done', null, { timeout: 10_000 });
  // 1 initial post + 200 added: 160 "ISIS" and 40 "join the caliphate" (across <b>).
  const v = await settle(browser.sw, tabId, { min: 201 });
  assert.equal(v.findings.length, 201);
  assert.equal(v.findings.filter((f) => f.text === 'join the caliphate').length, 40);
  assert.equal(v.findings.filter((f) => f.text === 'ISIS').length, 161);
  const r = await idleReport(tabId);
  assert.equal(r.hits, 201);
  assert.equal(r.ranges, 201);
  assert.ok(r.maxSliceNodes <= r.sliceNodesLimit, `a slice read at most ${r.sliceNodesLimit} nodes (${r.maxSliceNodes})`);
  console.log(`# infinite feed: ${r.tasks} tasks, longest ${r.maxTaskMs.toFixed(1)} ms, most nodes in a slice ${r.maxSliceNodes}`);
  // Appends were scanned incrementally: far fewer nodes read than posts x rounds.
  assert.ok(r.nodesRead < 201 * 4, `only new text was read (${r.nodesRead} nodes)`);
  const last = await rectOfText(page, 'Post 200:');
  assert.ok(last, 'the last post is in the page');

  // Posts removed from the page take their findings with them: badge, panel
  // and highlights follow.
  await page.evaluate(() => {
    const posts = document.querySelectorAll('#feed article');
    for (let i = 1; i <= 30; i++) posts[i].remove();
  });
  await waitFor(async () => {
    const x = await tabView(browser.sw, tabId);
    return x.findings.length === 171 && x.highlighted === 171 ? x : null;
  }, { message: '30 findings dropped, in the background and on the page' });
  const r2 = await idleReport(tabId);
  assert.equal(r2.hits, 171);
  assert.equal(r2.ranges, 171);
  assert.equal(r2.detached, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('open and closed shadow roots are scanned and styled', async () => {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto('https://vk.com/shadow.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/shadow.html');
  const v = await settle(browser.sw, tabId, { min: 3 });
  assert.deepEqual(texts(v), ['Daesh', 'ISIS', 'ИГИЛ'].sort());
  const r = await idleReport(tabId);
  assert.equal(r.shadowRoots, 3, 'open, closed and nested closed roots found');
  assert.equal(r.shadowStyled, 3, 'highlight styles adopted into each shadow root');
  // The highlight paints inside the open root (its own sheet gives the text a
  // white background, so any tint comes from our ::highlight rule).
  const inOpen = await page.evaluate(() => {
    const root = document.getElementById('open-host').shadowRoot;
    const t = root.querySelector('p').firstChild;
    const i = t.data.indexOf('ISIS');
    const range = document.createRange();
    range.setStart(t, i);
    range.setEnd(t, i + 4);
    const b = range.getBoundingClientRect();
    return { x: b.left, y: b.top, width: b.width, height: b.height };
  });
  assert.ok((await tinted(page, inOpen)) > 10, 'the finding in the open shadow root is painted');
  // Page's adopted sheets were appended to, not replaced.
  const sheets = await page.evaluate(() => document.getElementById('open-host').shadowRoot.adoptedStyleSheets.length);
  assert.equal(sheets, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('same-origin and cross-origin iframes are scanned', async () => {
  const page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto('https://vk.com/frames.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/frames.html');
  const v = await settle(browser.sw, tabId, { min: 3 });
  assert.deepEqual(texts(v), ['Daesh', 'ISIS', 'ИГИЛ'].sort());
  assert.equal(v.frames, 3);
  const frameOf = Object.fromEntries(v.findings.map((f) => [f.text, f.frameId]));
  assert.equal(frameOf.ISIS, 0);
  assert.notEqual(frameOf['ИГИЛ'], 0);
  assert.notEqual(frameOf.Daesh, 0);
  const reports = await probe(browser.sw, tabId);
  const urls = Object.values(reports).map((r) => r.url).sort();
  assert.deepEqual(urls, ['https://vk.com/frame-inner.html', 'https://vk.com/frames.html', 'https://x.com/frame-x.html']);
  for (const r of Object.values(reports)) assert.equal(r.hits, 1);
  // The cross-origin frame's highlight is painted (styles inserted into that frame).
  const xFrame = page.frames().find((f) => f.url().startsWith('https://x.com/'));
  const rect = await rectOfText(xFrame, 'Daesh');
  const box = await (await xFrame.frameElement()).boundingBox();
  assert.ok((await tinted(page, { x: box.x + rect.x, y: box.y + rect.y, width: rect.width, height: rect.height })) > 10);
  assert.deepEqual(errors, []);
  await page.close();
});

test('form fields, editable areas, scripts and noscript are skipped', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://vk.com/editable.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/editable.html');
  const v = await settle(browser.sw, tabId, { min: 1 });
  assert.deepEqual(texts(v), ['ISIS']);
  // Typing in the editor is never scanned.
  await page.click('#editor');
  await page.keyboard.type(' join the caliphate ');
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(texts(await tabView(browser.sw, tabId)), ['ISIS']);
  await page.close();
});

test('single-page navigation (pushState) rescans the new view', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://vk.com/spa.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/spa.html');
  assert.deepEqual(texts(await settle(browser.sw, tabId, { min: 1 })), ['ISIS']);
  await page.click('#to-b');
  const v = await waitFor(
    async () => {
      const x = await tabView(browser.sw, tabId);
      return x.url === 'https://vk.com/spa/b' && x.findings.length === 2 && x.highlighted === 2 ? x : null;
    },
    { message: 'the new view scanned' },
  );
  assert.deepEqual(texts(v), ['ИГИЛ', 'джихад'].sort());
  await page.close();
});
