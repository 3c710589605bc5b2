// Writes docs/sightings.png, the README's picture of sightings: a t.me page
// with the card of a wallet first seen on a vk.com post, next to the panel's
// "Sightings on this page" (a watched handle first, the wallet seen before).
// Headless Chromium with dist/chrome; the pages are tests/e2e/fixtures/
// sightings-*.html served under routed URLs, nothing reaches the network.
//
// Usage: node tools/shot-sightings.mjs [out.png]

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, ROOT, STRICT_CSP, launch, openExtensionPage, rectOfText, settle, tabIdFor, waitFor } from '../tests/e2e/harness.mjs';

const OUT = process.argv[2] ?? path.join(ROOT, 'docs', 'sightings.png');
const WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const PAGES = { 'https://vk.com/wall-4455_12': 'sightings-a.html', 'https://t.me/s/steppe_news': 'sightings-b.html' };

const browser = await launch();
try {
  for (const [url, file] of Object.entries(PAGES)) {
    const body = await readFile(path.join(FIXTURES, file), 'utf8');
    await browser.context.route(url, (r) => r.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP }, body }));
    await browser.context.route(url.replace(/[^/]+$/, 'feed.css'), async (r) => r.fulfill({ status: 200, headers: { 'content-type': 'text/css' }, body: await readFile(path.join(FIXTURES, 'feed.css'), 'utf8') }));
  }
  const options = await openExtensionPage(browser, 'options/options.html#sightings');
  await options.locator('html[data-sightings-ready="1"]').waitFor({ state: 'attached' });
  await options.fill('#watch-paste', '@fund_brothers');
  await options.click('#watch-add');
  await waitFor(async () => /Added/.test((await options.locator('#watch-status').textContent()) ?? ''));
  await options.close();

  const written = () => browser.sw.evaluate(() => globalThis.flaglight.sightings.settled());
  const shots = [];
  let page;
  let tabId = 0;
  for (const url of Object.keys(PAGES)) {
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 760, height: 600 });
    await page.goto(url);
    tabId = await tabIdFor(browser.sw, url);
    await settle(browser.sw, tabId, { min: 1 });
    await written();
    await new Promise((r) => setTimeout(r, 300));
  }
  const r = await rectOfText(page, WALLET);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await waitFor(async () => {
    const v = await browser.sw.evaluate((id) => globalThis.flaglight.tabs.get(id)?.card?.fields?.seen ?? '', tabId);
    return v.includes('vk.com');
  });
  await new Promise((res) => setTimeout(res, 300));
  shots.push(await page.screenshot());
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  await panel.setViewportSize({ width: 400, height: 600 });
  await panel.locator(`#sightings-here li[data-key="btc:${WALLET}"]`).waitFor();
  await new Promise((res) => setTimeout(res, 300));
  shots.push(await panel.screenshot());

  // The two side by side, on one page of data: URLs.
  const sheet = await browser.context.newPage();
  await sheet.setViewportSize({ width: 1180, height: 620 });
  await sheet.setContent(
    `<body style="margin:0;padding:10px;background:#d9dde3;display:flex;gap:10px">${shots.map((b) => `<img style="box-shadow:0 1px 4px #0004" src="data:image/png;base64,${b.toString('base64')}">`).join('')}</body>`,
  );
  await mkdir(path.dirname(OUT), { recursive: true });
  await writeFile(OUT, await sheet.screenshot());
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
} finally {
  await browser.close();
}
