// ./build.sh bench: the cost of the start-up storage check (figures, not pass/fail).
//
// In headless Chromium with the extension (dist/chrome), storage.local is
// filled with N reviewer flags on N/5 pages (each flag as the form stores
// it, notes of about 100 characters), and in the service worker it measures:
//   read all  chrome.storage.local.get(null) alone, as one read of
//             everything (the browser's part), and the longest wait then
//   check     the whole start-up check (common/stored.js Records.check: one
//             read of everything, every value checked against its kind), on
//             a fresh Records as a new service worker has
//   per flag  check / N
//   longest   the longest the worker's event loop waited during the check
//             (a zero-delay timer chain running alongside: what a scan
//             request arriving then waits); the check yields every 8 ms
// and the same with 1 % of the pages damaged (one bad flag each: moved
// aside, the good flags put back). The growth from the smallest to the
// largest N is printed against the growth of N.
//
// 16,000 such flags are about 7.5 MB, near the 10 MB storage.local quota.
//
// Usage: node tools/bench-storage.mjs [--flags=1000,4000,16000]

import { launch } from '../tests/e2e/harness.mjs';

const SIZES = process.argv
  .find((a) => a.startsWith('--flags='))
  ?.slice(8)
  .split(',')
  .map(Number) ?? [1000, 4000, 16000];
const REPEAT = 3;

/**
 * In the worker: storage.local holds `n` flags on n/5 pages (`damaged` of
 * them with one bad flag), nothing else.
 */
async function fill(sw, n, damaged) {
  await sw.evaluate(
    async ([n, damaged]) => {
      await chrome.storage.local.clear();
      const pages = Math.max(1, Math.round(n / 5));
      const items = {};
      let k = 0;
      for (let p = 0; p < pages; p++) {
        const url = `https://vk.com/wall-${1000 + p}_${p * 7}`;
        const list = [];
        for (let i = 0; i < 5 && k < n; i++, k++) {
          const hex = k.toString(16).padStart(12, '0');
          const t = new Date(Date.UTC(2026, 10, 1) + k * 1000).toISOString();
          list.push({
            id: `5f0c2d4e-1a2b-4c3d-8e4f-${hex}`,
            url,
            title: `Wall ${p}`,
            created: t,
            modified: t,
            category: i % 2 ? 'donation' : 'extremism',
            severity: ['low', 'medium', 'high', 'critical'][i % 4],
            note: `Reviewed on the ${p}th wall: the card number next to the appeal, see the earlier report ${k}.`,
            quote: { exact: `send the money to the card for the brothers, post ${k}`, prefix: 'the text before the passage, ', suffix: ', and the text after it' },
            position: { start: 100 * i, end: 100 * i + 50 },
          });
        }
        if (p < damaged) list[0] = { ...list[0], position: { start: 9, end: 2 } };
        items[`flags:${url}`] = list;
      }
      await chrome.storage.local.set(items);
    },
    [n, damaged],
  );
}

/** In the worker: times a read of everything and a full check on a fresh Records. */
function measure(sw) {
  return sw.evaluate(async () => {
    const live = /** @type {any} */ (globalThis).flaglight.records;
    /** Runs `fn` with a zero-delay timer chain alongside: its time, and the longest the chain waited. */
    const timed = async (fn) => {
      let longest = 0;
      let running = true;
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (running) setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      const t0 = performance.now();
      const value = await fn();
      const time = performance.now() - t0;
      running = false;
      await new Promise((r) => setTimeout(r, 0));
      return { time, longest: Math.max(longest, performance.now() - last), value };
    };
    const read = await timed(() => chrome.storage.local.get(null));
    const fresh = new live.constructor(chrome.storage.local, live.kinds);
    const check = await timed(() => fresh.check());
    const moved = Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith('corrupt:')).length;
    return { keys: Object.keys(read.value).length, read: read.time, readLongest: read.longest, check: check.time, longest: check.longest, moved };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

const browser = await launch();
try {
  const sw = await browser.worker();
  /** @type {Record<string, Record<number, number>>} */
  const perN = { clean: {}, damaged: {} };
  console.log('start-up storage check in the service worker (median of 3)');
  console.log('flags   pages  damaged  read all (longest wait)   check (longest wait)      per flag   moved aside');
  for (const n of SIZES) {
    for (const [label, damaged] of [['clean', 0], ['damaged', Math.max(1, Math.round(n / 500))]]) {
      const runs = [];
      for (let r = 0; r < REPEAT; r++) {
        await fill(sw, n, /** @type {number} */ (damaged));
        runs.push(await measure(sw));
      }
      const check = median(runs.map((x) => x.check));
      perN[label][n] = check;
      const line = [
        String(n).padEnd(7),
        String(Math.round(n / 5)).padEnd(6),
        String(damaged).padEnd(8),
        `${ms(median(runs.map((x) => x.read)))} (${ms(median(runs.map((x) => x.readLongest)))})`.padEnd(25),
        `${ms(check)} (${ms(median(runs.map((x) => x.longest)))})`.padEnd(25),
        `${((check / n) * 1000).toFixed(1)} µs`.padEnd(10),
        String(runs[0].moved),
      ];
      console.log(line.join(' '));
    }
  }
  if (SIZES.length > 1) {
    const a = SIZES[0];
    const b = SIZES[SIZES.length - 1];
    for (const label of ['clean', 'damaged']) {
      console.log(`growth (${label}): ${b / a}x the flags cost ${(perN[label][b] / perN[label][a]).toFixed(1)}x the time`);
    }
  }
  await sw.evaluate(() => chrome.storage.local.clear());
} finally {
  await browser.close();
}
