// ./build.sh bench: the sightings store at scale (figures, not pass/fail).
//
// In headless Chromium with the extension (dist/chrome), the background's
// own store (background/sightings.js, common/sightings-db.js) is filled
// with N sightings of N/5 identifiers (default 100k of 20k: five pages each,
// over 30k pages on five networks) and measured, each figure next to the
// same measurement on an empty store in the same run:
//   record     one scan's sightings written (12 identifiers, half of them
//              already stored): the store's transaction, and the whole
//              background path (identifiers checked by the engine, cards
//              hashed, the journal entry, the write)
//   card       the card's lookup of a finding's identifier (cardInfo)
//   view       the panel's Sightings view: navigation to the list rendered,
//              and the view's own load-and-render time
//   storage    IndexedDB bytes per sighting; compaction to a bound of half
//              the sightings (old pages folded into day counts), the counts
//              kept, the bytes after
//
// Usage: node tools/bench-sightings.mjs [--sightings=100000] [--runs=40]

import { launch, openExtensionPage } from '../tests/e2e/harness.mjs';

const arg = (/** @type {string} */ name, /** @type {number} */ dflt) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const SIGHTINGS = arg('sightings', 100_000);
const ITEMS = Math.round(SIGHTINGS / 5);
const RUNS = arg('runs', 40);

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/** @param {number[]} xs */
function p95(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}
const ms = (/** @type {number} */ x) => `${x.toFixed(2)} ms`;

/**
 * Fills the store in the service worker: `items` identifiers, `per` pages each.
 * @param {import('playwright-core').Worker} sw
 * @param {number} items
 * @param {number} per
 */
async function fill(sw, items, per) {
  return sw.evaluate(
    async ([nItems, nPer]) => {
      const db = globalThis.flaglight.sightings.db;
      let s = 12345;
      const rand = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
      };
      const HOSTS = [
        ['vk.com', 'vk', (/** @type {number} */ i) => `https://vk.com/wall-${1000 + (i % 700)}_${i}`],
        ['t.me', 'telegram', (/** @type {number} */ i) => `https://t.me/s/channel_${i % 900}/${i}`],
        ['facebook.com', 'facebook', (/** @type {number} */ i) => `https://www.facebook.com/groups/g${i % 500}/posts/${i}`],
        ['x.com', 'x', (/** @type {number} */ i) => `https://x.com/user${i % 800}/status/${i}`],
        ['reddit.com', 'reddit', (/** @type {number} */ i) => `https://www.reddit.com/r/sub${i % 300}/comments/${i}`],
      ];
      const KINDS = ['btc', 'eth', 'trx', 'telegram', 'card', 'yoomoney', 'phone'];
      const now = Date.now();
      const t0 = performance.now();
      let written = 0;
      for (let start = 0; start < nItems; start += 1000) {
        const items = [];
        const sightings = [];
        for (let k = start; k < Math.min(nItems, start + 1000); k++) {
          const kind = KINDS[k % KINDS.length];
          const key = kind === 'card' ? `card:h:${k.toString(16).padStart(32, '0')}` : `${kind}:bench${k.toString(36)}x${Math.floor(rand() * 1e9).toString(36)}`;
          const item = { v: 1, key, type: 'id', kind, label: kind === 'card' ? `•••• ${String(k % 10000).padStart(4, '0')}` : key.slice(kind.length + 1), detail: '', network: '', url: '', name: '', first: now, last: 0, count: 0, pages: 0, hosts: /** @type {string[]} */ ([]), recent: /** @type {any[]} */ ([]) };
          for (let j = 0; j < nPer; j++) {
            const [host, network, url] = HOSTS[Math.floor(rand() * HOSTS.length)];
            const page = /** @type {(i: number) => string} */ (url)(Math.floor(rand() * 30_000));
            const time = now - Math.floor(rand() * 80 * 86_400_000);
            sightings.push({ item: key, page, title: `Post ${j} of the group`, host, network, first: time, last: time, count: 1, visit: `v${k}-${j}`, finding: { rule: 'ids', pack: 'donation', category: 'donation', severity: 'low', kind, checksum: 'valid', detail: '' } });
            item.first = Math.min(item.first, time);
            item.last = Math.max(item.last, time);
            item.count += 1;
            item.pages += 1;
            if (!item.hosts.includes(/** @type {string} */ (host))) item.hosts.push(/** @type {string} */ (host));
            item.recent = [{ url: page, title: `Post ${j} of the group`, host, time }, ...item.recent].slice(0, 5);
          }
          items.push(item);
        }
        await db.putRaw(items, sightings);
        written += sightings.length;
      }
      return { ms: performance.now() - t0, written, counts: await db.counts(), usage: (await navigator.storage.estimate()).usageDetails?.indexedDB ?? 0 };
    },
    [items, per],
  );
}

/**
 * Times the background's work for scans and card lookups, in the service worker.
 * @param {import('playwright-core').Worker} sw
 * @param {number} runs
 * @param {string} tag  keeps pages and visits apart between measurements
 */
async function timeScans(sw, runs, tag) {
  return sw.evaluate(
    async ([n, label]) => {
      const fl = globalThis.flaglight;
      const db = fl.sightings.db;
      const rules = (await fl.engine()).rules;
      // The worker thread's own time in a piece of work: a spinner takes
      // the thread in 0.5 ms slices whenever it is free (yielding through a
      // MessageChannel between slices), so what the spinner did not get of
      // the work's wall time, at the share it gets of an idle thread, is the
      // time the work held the thread. IndexedDB commits in the browser
      // process: waiting for it costs the worker nothing.
      const ch = new MessageChannel();
      let spinning = false;
      let spun = 0;
      ch.port1.onmessage = () => {
        const t0 = performance.now();
        while (performance.now() - t0 < 0.5) {
          // spin
        }
        spun += performance.now() - t0;
        if (spinning) ch.port2.postMessage(0);
      };
      const spinFor = async (/** @type {() => Promise<unknown>} */ fn) => {
        spun = 0;
        spinning = true;
        ch.port2.postMessage(0);
        const t0 = performance.now();
        await fn();
        const wall = performance.now() - t0;
        const got = spun;
        spinning = false;
        await new Promise((r) => setTimeout(r, 2));
        return { wall, spun: got };
      };
      const idle = await spinFor(() => new Promise((r) => setTimeout(r, 300)));
      const share = idle.spun / idle.wall;
      const busyOf = (/** @type {{wall: number, spun: number}} */ m) => Math.max(0, m.wall - m.spun / share);
      const tickFor = spinFor;
      const tickCost = share;
      const recordBusy = [];
      const pathBusy = [];
      const known = (await db.allItems()).slice(0, 5000);
      const record = [];
      const path = [];
      const card = [];
      // Real identifiers, so the engine's check and the card hash run as in a page.
      const WALLETS = ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', '4111 1111 1111 1111', 'Z123456789012'];
      for (let r = 0; r < n; r++) {
        const url = `https://vk.com/wall-77_${label}${r}`;
        const page = { page: url, url, title: 'Bench post', host: 'vk.com', network: 'vk', visit: `${label}-${r}`, time: Date.now() };
        // Twelve identifiers: six already stored (from the fill), six new.
        const observations = [];
        for (let i = 0; i < 6; i++) {
          const k = known.length ? known[(r * 6 + i) % known.length] : null;
          const key = k ? k.key : `btc:new${label}${r}x${i}`;
          observations.push({ item: { key, type: 'id', kind: k?.kind ?? 'btc', label: k?.label ?? key, detail: '' }, finding: { rule: 'ids', pack: 'donation', category: 'donation', severity: 'low', kind: 'btc', checksum: 'valid', detail: '' } });
          observations.push({ item: { key: `eth:fresh${label}${r}x${i}`, type: 'id', kind: 'eth', label: 'x', detail: '' }, finding: null });
        }
        const t0 = performance.now();
        await db.record(page, observations);
        record.push(performance.now() - t0);
        const m0 = await tickFor(() => db.record({ ...page, visit: `${page.visit}b`, time: page.time + 1 }, observations));
        recordBusy.push(busyOf(m0));

        // The whole background path for a scan's findings (decoded as tabs.js stores them).
        const found = WALLETS.map((text, i) => ({ n: i, text, kind: ['btc', 'eth', 'trx', 'card', 'webmoney'][i], pack: 'donation', ruleId: 'ids', rule: 0, category: 'donation', severity: 'low', checksum: 'valid' }));
        const frame = { url: `https://t.me/s/bench_${label}${r}`, visit: `p${label}-${r}`, chunks: new Map([[0, found]]) };
        await fl.sightings.settled();
        const t1 = performance.now();
        await fl.sightings.fromScan(-1, frame, found, rules);
        await fl.sightings.settled();
        path.push(performance.now() - t1);
        const m1 = await tickFor(async () => {
          await fl.sightings.fromScan(-1, { ...frame, visit: `${frame.visit}b` }, found, rules);
          await fl.sightings.settled();
        });
        pathBusy.push(busyOf(m1));

        const t2 = performance.now();
        const info = await fl.sightings.cardInfo(-1, frame, 0, r % found.length, rules);
        card.push(performance.now() - t2);
        if (!info.length) throw new Error(`the card found nothing for ${found[r % found.length].text}`);
      }
      // A feed's first load: 40 scans arrive at once; queued while a write commits, they share transactions.
      const burst = [];
      for (let k = 0; k < 5; k++) {
        const m = await tickFor(async () => {
          const all = [];
          for (let r = 0; r < 40; r++) {
            const found = WALLETS.map((text, i) => ({ n: i, text, kind: ['btc', 'eth', 'trx', 'card', 'webmoney'][i], pack: 'donation', ruleId: 'ids', rule: 0, category: 'donation', severity: 'low', checksum: 'valid' }));
            all.push(fl.sightings.fromScan(-1, { url: `https://vk.com/wall-9_${label}${k}x${r}`, visit: `burst${label}${k}`, chunks: new Map([[0, found]]) }, found, rules));
          }
          await Promise.all(all);
          await fl.sightings.settled();
        });
        burst.push(busyOf(m) / 40, m.wall / 40);
      }
      return { record, path, card, recordBusy, pathBusy, tickCost, burstBusy: burst.filter((_, i) => i % 2 === 0), burstWall: burst.filter((_, i) => i % 2 === 1) };
    },
    [runs, tag],
  );
}

/**
 * Opens the panel, then its Sightings view (the moderator's click), and
 * times the view from the click: the first screen (watched and most recent
 * items) and every item read (counts, filters, search).
 * @param {any} browser
 */
async function timeView(browser) {
  const out = [];
  for (let i = 0; i < 3; i++) {
    const panel = await openExtensionPage(browser, 'panel/panel.html');
    await panel.locator('#view-sightings').waitFor();
    await panel.click('#view-sightings');
    await panel.locator('html[data-sightings-ms]').waitFor({ state: 'attached', timeout: 120_000 });
    const [first, all] = await panel.evaluate(() => [Number(document.documentElement.dataset.sightingsFirstMs), Number(document.documentElement.dataset.sightingsMs)]);
    const rows = await panel.locator('#sightings-view ul.all > li').count();
    out.push({ first, all, rows });
    await panel.close();
  }
  return out;
}

async function main() {
  const browser = await launch();
  const sw = browser.sw;
  try {
    await sw.evaluate(() => globalThis.flaglight.sightings.ready);
    // Empty store: the baseline of the same run.
    const empty = await timeScans(sw, RUNS, 'e');
    const emptyView = await timeView(browser);
    const baseItems = (await sw.evaluate(() => globalThis.flaglight.sightings.db.counts())).items;
    await sw.evaluate(() => globalThis.flaglight.sightings.db.clearAll());

    const filled = await fill(sw, ITEMS, 5);
    console.log(`fill: ${filled.written} sightings of ${ITEMS} identifiers in ${(filled.ms / 1000).toFixed(1)} s; IndexedDB ${(filled.usage / 1e6).toFixed(1)} MB (${Math.round(filled.usage / filled.written)} bytes per sighting with its share of the item)`);
    const full = await timeScans(sw, RUNS, 'f');
    const fullView = await timeView(browser);

    const row = (/** @type {string} */ name, /** @type {number[]} */ a, /** @type {number[]} */ b) =>
      console.log(`${name.padEnd(52)} empty ${ms(median(a)).padStart(9)}   ${SIGHTINGS / 1000}k: median ${ms(median(b)).padStart(9)}, p95 ${ms(p95(b)).padStart(9)}   ratio ${(median(b) / Math.max(median(a), 0.05)).toFixed(2)}`);
    console.log(`\nper scan (${RUNS} scans each; medians; the spinner gets ${(full.tickCost * 100).toFixed(0)}% of an idle thread):`);
    row('record, worker time: the store write (12 ids)', empty.recordBusy, full.recordBusy);
    row('record, worker time: the background path (5 ids)', empty.pathBusy, full.pathBusy);
    row('record, latency to committed: the store write', empty.record, full.record);
    row('record, latency to committed: the background path', empty.path, full.path);
    row('burst of 40 scans (a feed loading), worker time per scan', empty.burstBusy, full.burstBusy);
    row('burst of 40 scans, wall time to committed per scan', empty.burstWall, full.burstWall);
    row('card lookup (cardInfo), latency', empty.card, full.card);
    const v = (/** @type {any[]} */ l) => `first screen ${median(l.map((x) => x.first)).toFixed(0)} ms, every item ${median(l.map((x) => x.all)).toFixed(0)} ms, ${l[0].rows} rows`;
    console.log(`Sightings view, from the click: baseline (${baseItems} items of the baseline scans): ${v(emptyView)}; ${SIGHTINGS / 1000}k: ${v(fullView)}`);

    // Bounded storage: compaction to half the sightings keeps every count.
    const before = await sw.evaluate(async () => {
      const db = globalThis.flaglight.sightings.db;
      const items = await db.allItems();
      return { counts: await db.counts(), total: items.reduce((n, i) => n + i.count, 0), usage: (await navigator.storage.estimate()).usageDetails?.indexedDB ?? 0 };
    });
    const bound = Math.round(before.counts.sightings / 2);
    const after = await sw.evaluate(async (max) => {
      const db = globalThis.flaglight.sightings.db;
      const t0 = performance.now();
      const folded = await db.compact({ maxSightings: max });
      const took = performance.now() - t0;
      const items = await db.allItems();
      return { folded, took, counts: await db.counts(), total: items.reduce((n, i) => n + i.count, 0), usage: (await navigator.storage.estimate()).usageDetails?.indexedDB ?? 0 };
    }, bound);
    console.log(
      `compaction to ${bound} page records: ${after.folded} folded into day counts in ${(after.took / 1000).toFixed(1)} s; ` +
        `records ${before.counts.sightings} -> ${after.counts.sightings}, items ${before.counts.items} -> ${after.counts.items}, ` +
        `total count ${before.total} -> ${after.total} (kept), IndexedDB ${(before.usage / 1e6).toFixed(1)} MB -> ${(after.usage / 1e6).toFixed(1)} MB (before the browser's own compaction)`,
    );
  } finally {
    await browser.close();
  }
}

await main();
