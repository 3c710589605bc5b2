// "Preserve this page" on a generated 1 MB page: how long a capture takes
// and how big the package is (figures, not pass/fail), in headless Chromium
// with dist/chrome. Two runs: from the panel (with Chrome's MHTML, whose
// parts give the copy its images) and after a flag is saved (no MHTML: the
// background fetches the images again), each timed by the extension itself.
//
//   CHROMIUM=/usr/bin/chromium node tools/bench-preserve.mjs
//
// As in tests/e2e/preserve.test.mjs, the extension copy's manifest adds
// <all_urls> in place of the toolbar click's activeTab grant, which the
// full-page screenshot needs.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { ROOT, launch, settle, tabIdFor, waitFor } from '../tests/e2e/harness.mjs';
import { verifyWacz } from '../extension/common/wacz.js';

const POSTS = 240;
const IMAGES = 40;

/** A PNG of noise, so it does not compress to nothing. @param {number} w @param {number} h @param {number} seed */
function png(w, h, seed) {
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
  let x = seed;
  const raw = Buffer.alloc(h * (w * 3 + 1));
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = i % (w * 3 + 1) === 0 ? 0 : (x >>> 24) & 0x3f;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const WORDS = 'the council market road village library meeting weather bicycle photos fair volunteers winter school bus station repairs tea members group'.split(' ');
const RU = 'совет рынок дорога деревня библиотека встреча погода велосипед фото ярмарка волонтёры зима школа автобус ремонт чай'.split(' ');

function page() {
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const posts = [];
  for (let i = 0; i < POSTS; i++) {
    // As a social feed is: far more markup (classes, data attributes, inline
    // icons, action bars) than text.
    const words = Array.from({ length: 60 }, () => (i % 3 === 0 ? RU : WORDS)[rand(16)]).join(' ');
    const extra = i % 20 === 7 ? ' Brothers, send your zakat to the card 4111 1111 1111 1111 before Friday.' : '';
    const img = i % Math.ceil(POSTS / IMAGES) === 0 ? `<img class="post-photo" src="/img/p${Math.floor(i / Math.ceil(POSTS / IMAGES))}.png" width="160" height="100" alt="">` : '';
    const icon = (d) => `<svg class="icon icon-24" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path fill="currentColor" d="${d}"></path></svg>`;
    const bar = ['like', 'comment', 'share', 'views']
      .map((a, k) => `<div class="PostBottomAction PostBottomAction--${a}" data-action="${a}" data-post-id="-1234567_${i}" role="button" tabindex="0">${icon(`M${k + 2} ${k + 4}h${10 + k}v${8 + k}H${k + 2}zM${k + 5} ${k + 9}l${3 + k} ${2 + k}l${4 + k}-${5 + k}`)}<span class="PostBottomAction__count vkuiFootnote vkuiTypography--normalize">${rand(900)}</span></div>`)
      .join('');
    posts.push(
      `<div class="post post--with-likes deep_active Post--redesign" id="post-1234567_${i}" data-post-id="-1234567_${i}" data-post-click-type="post_owner_img"><div class="post_header"><a class="post_image" href="/club1234567"><img class="AvatarRich__img" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40" alt=""></a><div class="post_header_info"><h5 class="post_author"><a class="author" href="/id${i}" data-from-id="${i}">User ${i}</a></h5><div class="post_date"><a class="post_link" href="/wall-1234567_${i}"><span class="rel_date">${i} min ago</span></a></div></div></div><div class="wall_text"><div class="wall_post_cont _wall_post_cont"><div class="wall_post_text zoom_text">${words}.${extra}</div>${img}</div></div><div class="like_wrap _like_wall-1234567_${i}"><div class="like_cont PostBottomActionLikeBtns PostBottomActionLikeBtns--withBgButtons"><div class="like_btns">${bar}</div></div></div></div>`,
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A 1 MB wall</title><link rel="stylesheet" href="/wall.css"></head><body><div id="page_layout"><main id="feed_rows">${posts.join('\n')}</main></div></body></html>`;
}

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'flaglight-bench-preserve-'));
  const ext = path.join(tmp, 'extension');
  await cp(path.join(ROOT, 'dist', 'chrome'), ext, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(ext, 'manifest.json'), 'utf8'));
  manifest.host_permissions.push('<all_urls>');
  await writeFile(path.join(ext, 'manifest.json'), JSON.stringify(manifest));
  const html = page();
  const images = Array.from({ length: IMAGES }, (_, i) => png(160, 100, i + 1));
  const css = 'body { font: 15px/1.5 sans-serif; margin: 0 2em; background: #f3f4f6; } .post { background: #fff; margin: 10px 0; padding: 8px 14px; } .post_header { display: flex; gap: 8px; } .like_btns { display: flex; gap: 16px; color: #777; } .icon { vertical-align: middle; }';
  const browser = await launch({ extension: ext });
  try {
    await browser.context.route('https://vk.com/**', (route) => {
      const p = new URL(route.request().url()).pathname;
      if (p === '/wall.html') return route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html });
      if (p === '/wall.css') return route.fulfill({ status: 200, headers: { 'content-type': 'text/css' }, body: css });
      const m = /^\/img\/p(\d+)\.png$/.exec(p);
      if (m) return route.fulfill({ status: 200, headers: { 'content-type': 'image/png' }, body: images[Number(m[1])] });
      return route.fulfill({ status: 404, body: '' });
    });
    const tab = await browser.context.newPage();
    await tab.goto('https://vk.com/wall.html');
    const tabId = await tabIdFor(browser.sw, 'https://vk.com/wall.html');
    await settle(browser.sw, tabId, { min: 1, timeout: 60_000 });
    const imageBytes = images.reduce((n, b) => n + b.length, 0);
    const pageHeight = await tab.evaluate(() => document.documentElement.scrollHeight);
    console.log(`page: ${(Buffer.byteLength(html) / 1048576).toFixed(2)} MB of HTML, ${POSTS} posts, ${IMAGES} images (${(imageBytes / 1024).toFixed(0)} KB), ${pageHeight} px tall`);

    // From the panel, in a window of its own (the page's tab stays active): with the MHTML.
    const opened = browser.context.waitForEvent('page');
    await browser.sw.evaluate((u) => chrome.windows.create({ url: u, type: 'popup', width: 420, height: 900 }), `chrome-extension://${browser.extensionId}/panel/panel.html?tab=${tabId}`);
    const panel = await opened;
    await panel.locator('.capture-bar button').waitFor();
    const t0 = Date.now();
    await panel.locator('.capture-bar button').click();
    await waitFor(async () => /Preserved: |not preserved/.test((await panel.locator('.capture-status').textContent()) ?? ''), { timeout: 180_000, message: 'preserved' });
    const clicked = Date.now() - t0;
    const withMhtml = (await browser.sw.evaluate(() => globalThis.flaglight.captures.readCaptures())).captures[0];
    if (!withMhtml) throw new Error(`not preserved from the panel: ${await panel.locator('.capture-status').textContent()}`);
    await panel.close();

    // As after a flag is saved: no MHTML, the images fetched again.
    const r = await browser.sw.evaluate((id) => globalThis.flaglight.captures.preserve(id, 'flag'), tabId);
    if (!r.ok) throw new Error(`not preserved: ${r.error}`);
    const without = r.record;
    for (const [label, rec, wall] of [['panel (snapshot + MHTML)', withMhtml, clicked], ['after a flag (snapshot, images fetched)', without, null]]) {
      const bytes = await browser.sw.evaluate(async (id) => {
        const got = await globalThis.flaglight.captures.readPackage(id);
        return Array.from(new Uint8Array(await got.blob.arrayBuffer()));
      }, rec.id);
      const entries = unzipSync(new Uint8Array(bytes));
      const warc = entries['archive/data.warc.gz'].length;
      const v = await verifyWacz(new Uint8Array(bytes));
      const parts = v.records.filter((x) => x.type !== 'warcinfo').map((x) => `${x.uri.replace(/:https:\/\/vk\.com\/wall\.html$/, '').replace(/^https:.*/, 'page copy')} ${(x.bytes / 1024).toFixed(0)} KB`).join(', ');
      const phases = Object.entries(rec.phases ?? {}).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
      console.log(
        `${label}: capture ${(rec.ms / 1000).toFixed(1)} s${wall ? ` (click to "Preserved": ${(wall / 1000).toFixed(1)} s)` : ''}, ` +
          `package ${(rec.bytes / 1048576).toFixed(2)} MB (WARC ${(warc / 1048576).toFixed(2)} MB), holds ${rec.holds.join(', ')}; ` +
          `${rec.counts.images} images inlined, ${rec.counts.imagesMissing} missing; phases: ${phases}; records (before gzip): ${parts}; verifies: ${v.ok}; notes: ${rec.notes.length ? rec.notes.join(' | ') : 'none'}`,
      );
    }
  } finally {
    await browser.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
