// ./build.sh bench: the in-page benchmark (figures, not pass/fail).
//
// In one headless-Chromium session with the extension (dist/chrome), on
// generated feed pages of about 100 KB, 1 MB and 5 MB, with the built-in packs
// and with 1k, 5k and 20k extra generated keywords, it measures:
//   floor      a TreeWalker that only reads every text node
//   flaglight  content script start -> first highlight, -> all highlights;
//              the longest main-thread task (own slice timing, and the page's
//              PerformanceObserver 'longtask' entries after the script started)
//   baseline   what keyword highlighters do: one alternation RegExp over the
//              text nodes and <mark> wrapping (one synchronous task)
//   appended   main-thread work and latency to highlight 20 appended posts
// Pages are served from 127.0.0.1 and shown as https://vk.com/... (scanned by
// the extension) or https://bench.example/... (not scanned: baseline, floor).
//
// Usage: node tools/bench-page.mjs [--quick] [--sizes=100KB,1MB,5MB] [--keywords=0,1000,5000,20000]

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, probe, routeHost, serve, tabIdFor, waitFor } from '../tests/e2e/harness.mjs';

const QUICK = process.argv.includes('--quick');
const ALL_SIZES = [['100 KB', 100e3], ['1 MB', 1e6], ['5 MB', 5e6]];
const only = process.argv.find((a) => a.startsWith('--sizes='))?.slice(8).split(',');
const SIZES = only ? ALL_SIZES.filter(([l]) => only.includes(l.replace(' ', ''))) : QUICK ? ALL_SIZES.slice(0, 2) : ALL_SIZES;
const onlyExtra = process.argv.find((a) => a.startsWith('--keywords='))?.slice(11).split(',').map(Number);
const EXTRA = onlyExtra ?? [0, 1000, 5000, 20000];

// ---- generated pages ------------------------------------------------------------

const WORDS = (
  'the a city council park budget weather traffic report market prices school music festival river bridge ' +
  'photo video friends family weekend holiday recipe soup bread garden train station museum library football ' +
  'match team goal season summer winter morning evening news local story people work office meeting project ' +
  'город новости погода дорога рынок школа музыка праздник семья друзья выходные рецепт суп хлеб сад поезд ' +
  'مدينة أخبار طقس سوق مدرسة موسيقى عائلة أصدقاء'
).split(' ');
const FLAGGED = ['ISIS', 'join the caliphate', 'ИГИЛ', 'джихад', 'داعش', 'Daesh'];

/** A deterministic pseudo-random generator (so runs compare). @param {number} seed */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** @param {() => number} rand @param {number} n */
function sentence(rand, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  return out.join(' ');
}

/**
 * One post: about 6 text nodes, one in ten with a flagged phrase.
 * @param {() => number} rand
 * @param {number} i
 * @param {string[]} planted  extra keywords to plant now and then
 */
function post(rand, i, planted) {
  let body = `${sentence(rand, 14)} <b>${sentence(rand, 2)}</b> ${sentence(rand, 12)}`;
  if (i % 10 === 3) body += ` ${FLAGGED[i % FLAGGED.length]} ${sentence(rand, 4)}`;
  if (planted.length && i % 50 === 7) body += ` ${planted[i % planted.length]}`;
  return (
    `<article><header><a href="#u${i}">user${i}</a> · <time>${i % 59} min</time></header>` +
    `<p>${body}.</p><footer><a href="#l${i}">Like</a> <a href="#r${i}">Reply</a></footer></article>\n`
  );
}

/** @param {number} bytes @param {string[]} planted */
function feedPage(bytes, planted) {
  const rand = rng(bytes);
  const parts = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const p = post(rand, i++, planted);
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  return {
    html:
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Feed</title>' +
      '<script src="/observer.js"></script></head><body><main id="feed">\n' +
      parts.join('') +
      '</main></body></html>\n',
    posts: i,
  };
}

// The page's own long-task observer (a page script, as a site's RUM would be).
const OBSERVER_JS = `window.longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.longTasks.push([e.startTime, e.duration]);
}).observe({ type: 'longtask', buffered: true });
`;

/** Generated keywords: pronounceable, never in the page vocabulary. @param {number} n */
function keywords(n) {
  const syl = ['zor', 'vek', 'tal', 'mir', 'qua', 'nex', 'bro', 'sil', 'dun', 'kaz', 'pol', 'rix', 'fen', 'gar', 'hul', 'jin'];
  const out = [];
  for (let i = 0; out.length < n; i++) {
    let x = i;
    let w = '';
    do {
      w += syl[x % syl.length];
      x = Math.floor(x / syl.length);
    } while (x > 0);
    out.push(`${w}ix`);
  }
  return out;
}

/** @param {string[]} words */
function extraPack(words) {
  const rules = [];
  for (let i = 0; i < words.length; i += 5000) {
    rules.push({
      id: `bench-${i / 5000}`,
      category: 'bench',
      severity: 'low',
      kind: 'keyword',
      patterns: words.slice(i, i + 5000),
      description: 'Generated keywords for the benchmark.',
    });
  }
  return { source: 'bench', json: JSON.stringify({ id: 'bench', name: 'Benchmark keywords', version: '0.0.0', rules }) };
}

// ---- measurements ---------------------------------------------------------------------

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Floor: read every text node, nothing else. */
function floorInPage() {
  const t0 = performance.now();
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n = 0;
  let chars = 0;
  for (let t = w.nextNode(); t; t = w.nextNode()) {
    n += 1;
    chars += t.data.length;
  }
  return { ms: performance.now() - t0, nodes: n, chars };
}

/** Baseline: one alternation RegExp over the text nodes, <mark> wrapping. @param {string[]} words */
function baselineInPage(words) {
  const t0 = performance.now();
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (/^(SCRIPT|STYLE|TEXTAREA|MARK)$/.test(n.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  for (let t = w.nextNode(); t; t = w.nextNode()) nodes.push(t);
  let marks = 0;
  for (const node of nodes) {
    const text = node.data;
    re.lastIndex = 0;
    const found = [];
    for (let m = re.exec(text); m; m = re.exec(text)) found.push([m.index, m[0].length]);
    // Wrap from the end so earlier offsets stay valid.
    for (let i = found.length - 1; i >= 0; i--) {
      const [at, len] = found[i];
      const hit = node.splitText(at);
      hit.splitText(len);
      const mark = document.createElement('mark');
      hit.parentNode.replaceChild(mark, hit);
      mark.appendChild(hit);
      marks += 1;
    }
  }
  return { ms: performance.now() - t0, marks };
}

/** @param {number} ms */
const fmt = (ms) => (ms < 0 ? '-' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flaglight-bench-'));
  const server = await serve(dir, { csp: null });
  const browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
  await routeHost(browser.context, 'https://bench.example', server.base);
  await writeFile(path.join(dir, 'observer.js'), OBSERVER_JS);

  const builtinKeywords = await browser.sw.evaluate(async () => {
    const host = await globalThis.flaglight.engine();
    const out = [];
    for (const r of host.rules) if (r.kind === 'keyword') for (const p of r.patterns ?? []) out.push(String(p).replace(/\*$/, ''));
    return out;
  });

  const rows = [];
  try {
    for (const extra of EXTRA) {
      const words = keywords(extra);
      const planted = words.filter((_, i) => i % Math.max(1, Math.floor(extra / 8)) === 0).slice(0, 8);
      const compile = await browser.sw.evaluate(async (packs) => {
        const t0 = performance.now();
        const r = await globalThis.flaglight.setExtraPacks(packs);
        return { ms: performance.now() - t0, rules: r.rules };
      }, extra ? [extraPack(words)] : []);
      const allWords = [...builtinKeywords, ...words];
      for (const [label, bytes] of SIZES) {
        const name = `feed-${bytes}-${extra}.html`;
        const { html, posts } = feedPage(bytes, planted);
        await writeFile(path.join(dir, name), html);
        const runs = bytes <= 1e6 ? 3 : 1;
        const row = { label, bytes: Buffer.byteLength(html), extra, keywords: allWords.length, posts, compileMs: compile.ms };

        // Floor and baseline, on a host the extension does not scan.
        const floors = [];
        for (let i = 0; i < runs; i++) {
          const page = await browser.context.newPage();
          await page.goto(`https://bench.example/${name}`);
          const f = await page.evaluate(floorInPage);
          floors.push(f.ms);
          row.nodes = f.nodes;
          await page.close();
        }
        row.floor = median(floors);
        {
          const page = await browser.context.newPage();
          await page.goto(`https://bench.example/${name}`);
          const b = await page.evaluate(baselineInPage, allWords);
          row.baseline = b.ms;
          row.baselineMarks = b.marks;
          await page.close();
        }

        // flaglight, under a scanned host: the scan while the page loads
        // (from DOMContentLoaded, when reading can start), then a full
        // rescan of the rendered page (comparable with the floor and the
        // baseline, which also run on a rendered page).
        const load = { first: [], all: [], work: [], longTask: [] };
        const re = { first: [], all: [], work: [], maxTask: [] };
        for (let i = 0; i < runs; i++) {
          const page = await browser.context.newPage();
          const url = `https://vk.com/${name}?run=${extra}-${i}`;
          await page.goto(url);
          const tabId = await tabIdFor(browser.sw, url);
          const idle = (pred) =>
            waitFor(
              async () => {
                const r = (await probe(browser.sw, tabId))[0];
                return r && !r.scanning && r.unanswered === 0 && r.pendingRecords === 0 && pred(r) ? r : null;
              },
              { timeout: 120_000, interval: 20, message: 'page scanned' },
            );
          const report = await idle((r) => r.firstHighlightMs >= 0);
          load.first.push(report.firstHighlightMs - report.readyMs);
          load.all.push(report.lastHighlightMs - report.readyMs);
          load.work.push(report.workMs);
          const lt = await page.evaluate(() => window.longTasks);
          const after = lt.filter(([start]) => start >= report.scriptStartMs + report.readyMs).map(([, d]) => d);
          load.longTask.push(after.length ? Math.max(...after) : 0);
          row.hits = report.hits;

          await new Promise((r) => setTimeout(r, 300));
          await probe(browser.sw, tabId, { reset: true });
          await browser.sw.evaluate((id) => globalThis.flaglight.rescan(id), tabId);
          const r2 = await idle((r) => r.rescanFirstMs >= 0 && r.hits === report.hits);
          re.first.push(r2.rescanFirstMs - r2.rescanStartMs);
          re.all.push(r2.lastHighlightMs - r2.rescanStartMs);
          re.work.push(r2.workMs);
          re.maxTask.push(r2.maxTaskMs);

          if (i === 0) {
            // 20 appended posts: main-thread work and time to highlight.
            await probe(browser.sw, tabId, { reset: true });
            const hitsBefore = r2.hits;
            const appendedAt = await page.evaluate((postsHtml) => {
              // The page's own code parses its posts (the extension never parses markup).
              const doc = new DOMParser().parseFromString(`<main>${postsHtml}</main>`, 'text/html');
              const posts = [...doc.querySelector('main').children];
              const t = performance.now();
              document.getElementById('feed').append(...posts);
              return t;
            }, Array.from({ length: 20 }, (_, k) => post(rng(k + 7), k * 10 + 3, [])).join(''));
            const r3 = await idle((r) => r.hits >= hitsBefore + 20);
            row.appendWork = r3.workMs;
            row.appendMaxTask = r3.maxTaskMs;
            row.appendLatency = r3.scriptStartMs + r3.lastHighlightMs - appendedAt;
          }
          await page.close();
        }
        row.first = median(re.first);
        row.all = median(re.all);
        row.work = median(re.work);
        row.maxTask = Math.max(...re.maxTask, row.appendMaxTask ?? 0);
        row.loadFirst = median(load.first);
        row.loadAll = median(load.all);
        row.loadWork = median(load.work);
        row.longTask = Math.max(...load.longTask);
        rows.push(row);
        process.stdout.write(
          `  ${label.padEnd(6)} +${String(extra).padEnd(5)} floor ${fmt(row.floor)} ms, first ${fmt(row.first)} ms, all ${fmt(row.all)} ms, ` +
            `work ${fmt(row.work)} ms, baseline ${fmt(row.baseline)} ms\n`,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

/** @param {any[]} rows */
function printTable(rows) {
  const head = [
    'page',
    'text nodes',
    'keywords',
    'floor',
    'first',
    'first/floor',
    'all',
    'work',
    'max slice',
    'load: first',
    'load: all',
    'load: long task',
    'baseline',
    'baseline/all',
    '+20 posts: work',
    '+20 posts: latency',
  ];
  const body = rows.map((r) => [
    `${r.label} (${(r.bytes / 1e6).toFixed(2)} MB)`,
    String(r.nodes),
    `${r.keywords}`,
    fmt(r.floor),
    fmt(r.first),
    (r.first / r.floor).toFixed(2),
    fmt(r.all),
    fmt(r.work),
    fmt(r.maxTask),
    fmt(r.loadFirst),
    fmt(r.loadAll),
    r.longTask ? fmt(r.longTask) : 'none',
    fmt(r.baseline),
    (r.baseline / r.all).toFixed(1),
    fmt(r.appendWork),
    fmt(r.appendLatency),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nIn-page benchmark, ms (Chromium ${process.env.CHROMIUM_VERSION ?? ''}headless; medians of 3 runs up to 1 MB, 1 run at 5 MB)\n`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log(`
floor       TreeWalker reading every text node (page script, rendered page)
first, all  flaglight, full rescan of the rendered page: to the first / the last highlight (wall clock)
work        flaglight's own main-thread time for that rescan (sum of its tasks)
max slice   longest flaglight task (rescan and +20 posts)
load: ...   the scan while the page loads, from DOMContentLoaded; includes waiting for the page's own
            first layout; long task: PerformanceObserver 'longtask' after DOMContentLoaded
baseline    one alternation RegExp over text nodes + <mark> wrapping (one synchronous task)
+20 posts   20 posts appended to the feed: flaglight's main-thread work, and time to their highlights`);

  console.log('\nGrowth with keywords (rescan, all highlights, built-in+1k -> built-in+20k):');
  for (const label of new Set(rows.map((r) => r.label))) {
    const k1 = rows.find((r) => r.label === label && r.extra === 1000);
    const k20 = rows.find((r) => r.label === label && r.extra === 20000);
    if (!k1 || !k20) continue;
    console.log(
      `  ${label.padEnd(6)} flaglight ${fmt(k1.all)} -> ${fmt(k20.all)} ms (${pct(k20.all / k1.all)}), ` +
        `baseline ${fmt(k1.baseline)} -> ${fmt(k20.baseline)} ms (${pct(k20.baseline / k1.baseline)}); ` +
        `at 20k the baseline takes ${(k20.baseline / k20.all).toFixed(1)}x flaglight's time`,
    );
  }
  console.log('\nEngine compile time (service worker): ' + [...new Set(rows.map((r) => `+${r.extra}: ${fmt(r.compileMs)} ms`))].join(', '));
  console.log(
    '\nTargets: first highlight <= 2x floor; flaglight grows < 20% from 1k to 20k keywords; baseline >= 8x slower at 20k;' +
      ' no task > 50 ms; 20 appended posts < 16 ms of main-thread work.',
  );
}

/** @param {number} r */
function pct(r) {
  const p = (r - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(0)}%`;
}

await main();
