// ./build.sh bench: the findings panel on a big feed (figures, not pass/fail).
//
// A generated feed of 3,500 posts, like a long VKontakte or X timeline: one
// post in three names a group the way news does (a low-severity mention),
// one in fifteen is propaganda (the post-level model and the packs), the
// rest is everyday chatter. With the panel open on it, in each view (the
// grouped list, Posts by risk), it measures:
//   first   the panel's render of the whole page's findings
//   update  the render after 20 posts are appended to the feed (what a
//           moderator scrolling an endless feed triggers over and over)
//   built   how many list items the update created (Posts by risk keeps
//           each post's element and builds only new or changed ones)
// Render times are the panel's own performance measures ("render posts",
// "render groups"), the median of the updates.
//
// Usage: node tools/bench-panel.mjs [--posts=3500]

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, openExtensionPage, routeHost, serve, settle, tabIdFor, waitFor } from '../tests/e2e/harness.mjs';

const POSTS = Number(process.argv.find((a) => a.startsWith('--posts='))?.slice(8) ?? 3500);
const UPDATES = 5;

const CHATTER = [
  'Lovely evening at the river, the bridge lights were on and the market stayed open late.',
  'Does anyone know if the library is open on Sunday? I need to return three books.',
  'The school football team won again, two goals in the second half, well played everyone.',
  'Recipe of the week: bread soup with garden herbs, my grandmother made it every winter.',
];
const NEWS = [
  'Officials said the suspects had been in contact with Islamic State supporters, police told reporters.',
  'The court heard that the defendant had shared ISIS videos before his arrest last spring.',
  'Analysts say Daesh affiliates remain active in the region despite the offensive.',
];
const PROPAGANDA = [
  'Brothers, the kuffar will taste what our brothers tasted. By Allah, the blood of the martyrs is not spilled in vain.',
  'The lions of the caliphate will never retreat. Our brothers gave their blood so the banner rises again.',
  'Our brothers stood firm against the crusaders. O Allah, accept the martyrs and grant victory to the mujahideen.',
];

/** @param {number} i */
function text(i) {
  return `${i % 15 === 7 ? PROPAGANDA[i % 3] : i % 3 === 1 ? NEWS[i % 3] : CHATTER[i % 4]} (#${i})`;
}

/** @param {number} i */
function post(i) {
  return `<article><header><a href="#u${i}">user${i}</a> · <time>${i % 59} min</time></header><p>${text(i)}</p></article>\n`;
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(path.join(os.tmpdir(), 'flaglight-bench-panel-'));
await writeFile(
  path.join(dir, 'feed.html'),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Feed</title></head><body><main id="feed">\n${Array.from({ length: POSTS }, (_, i) => post(i)).join('')}</main></body></html>\n`,
);
const server = await serve(dir, { csp: null });
const browser = await launch({ model: true });
try {
  await routeHost(browser.context, 'https://vk.com', server.base);
  const feed = await browser.context.newPage();
  await feed.goto('https://vk.com/feed.html');
  const tabId = await tabIdFor(browser.sw, 'https://vk.com/feed.html');
  const v = await settle(browser.sw, tabId, { min: 100, quiet: 1500, timeout: 120_000 });
  const models = v.findings.filter((f) => f.kind === 'model').length;
  console.log(`feed: ${POSTS} posts, ${v.findings.length} findings (${models} of them model words)`);
  let added = POSTS;
  for (const view of ['groups', 'posts']) {
    const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
    await panel.setViewportSize({ width: 420, height: 900 });
    if (view === 'posts') await panel.click('#view-posts');
    else await panel.click('#view-groups');
    const measures = () => panel.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), `render ${view}`);
    await waitFor(async () => (await measures()).length > 0 && (await panel.locator("li").count()) > 50, { timeout: 30_000, message: 'the panel filled' });
    await new Promise((r) => setTimeout(r, 1000));
    const first = Math.max(...(await measures()));
    const items = await panel.locator('li').count();
    const times = [];
    const built = [];
    for (let u = 0; u < UPDATES; u++) {
      await panel.evaluate(() => {
        for (const li of document.querySelectorAll('li')) /** @type {any} */ (li).seen = true;
        performance.clearMeasures();
      });
      const from = added;
      await feed.evaluate(
        (texts) => {
          for (const t of texts) {
            const a = document.createElement('article');
            const p = document.createElement('p');
            p.textContent = t;
            a.append(p);
            document.getElementById('feed')?.append(a);
          }
        },
        Array.from({ length: 20 }, (_, i) => text(from + i)),
      );
      added += 20;
      await settle(browser.sw, tabId, { min: 1, quiet: 600, timeout: 30_000 });
      await waitFor(async () => (await measures()).length > 0, { message: 'a render after the update' });
      await new Promise((r) => setTimeout(r, 400));
      times.push(Math.max(...(await measures())));
      built.push(await panel.evaluate(() => [...document.querySelectorAll('li')].filter((li) => !(/** @type {any} */ (li).seen)).length));
    }
    console.log(
      `${view === 'posts' ? 'Posts by risk' : 'grouped list '}: ${items} list items; first render ${first.toFixed(1)} ms; ` +
        `update (+20 posts) median ${median(times).toFixed(1)} ms, ${median(built)} items built (of ${items})`,
    );
    await panel.close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
