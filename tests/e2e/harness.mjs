// End-to-end harness: Debian's Chromium driven by playwright-core with the
// unpacked extension from dist/chrome, fixture pages served by a local HTTP
// server on 127.0.0.1 and shown to the browser under real hostnames through
// request routing (so the extension's real host permissions apply and no
// request leaves the machine).
//
// Extension state is read only through the extension itself: its service
// worker (`globalThis.flaglight`, which pages cannot see) or its own pages.

import { chromium } from 'playwright-core';
import { build } from 'esbuild';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(ROOT, 'tests', 'e2e', 'fixtures');
/** Bundled fixture scripts (git-ignored), served next to the fixtures. */
export const BUILD = path.join(ROOT, 'tests', 'e2e', '.build');
export const STRICT_CSP = "default-src 'self'; script-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};

/**
 * Serves files from one or more directories (first match wins) on 127.0.0.1.
 * A request may choose its CSP with ?csp=none|strict (default: opts.csp, or
 * opts.cspFor(pathname) when it gives one).
 * @param {string|string[]} dirs
 * @param {{csp?: string|null, cspFor?: (path: string) => string|undefined, headers?: Record<string,string>}} [opts]
 */
export async function serve(dirs, opts = {}) {
  const roots = Array.isArray(dirs) ? dirs : [dirs];
  const csp = opts.csp === undefined ? STRICT_CSP : opts.csp;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    for (const dir of roots) {
      const file = path.join(dir, path.normalize(rel));
      if (!file.startsWith(dir)) break;
      try {
        const body = await readFile(file);
        const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...opts.headers };
        const want = url.searchParams.get('csp');
        const policy = want === 'none' ? null : want === 'strict' ? STRICT_CSP : (opts.cspFor?.(rel) ?? csp);
        if (policy) headers['content-security-policy'] = policy;
        res.writeHead(200, headers).end(body);
        return;
      } catch {
        // try the next directory
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Launches Chromium with the extension.
 * @param {{extension?: string, userDataDir?: string, lang?: string, model?: boolean}} [opts]  userDataDir: a
 *   profile to reuse (a browser restart); the caller removes it. lang: the
 *   browser's UI language (--lang=ru), which picks the extension's messages.
 *   model: keep the post-level model on (the default for users). Otherwise
 *   it is switched off through the options protocol before any page is
 *   opened: tests of the packs' exact findings must not change whenever
 *   the model is retrained.
 */
export async function launch(opts = {}) {
  const ext = opts.extension ?? path.join(ROOT, 'dist', 'chrome');
  const userDataDir = opts.userDataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'flaglight-e2e-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: false,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      ...(opts.lang ? [`--lang=${opts.lang}`] : []),
    ],
  });
  // Nothing reaches the network: every request not answered by a routed
  // fixture is aborted (routes added later take precedence).
  await context.route(/^https?:\/\//, (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1') return route.continue();
    return route.abort('internetdisconnected');
  });
  let sw = context.serviceWorkers()[0];
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(sw.url()).host;
  const browser = {
    context,
    sw,
    extensionId,
    /** The current service worker (after a restart, a new one). */
    async worker() {
      const live = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
      if (live) browser.sw = live;
      return browser.sw;
    },
    async close() {
      await context.close();
      if (!opts.userDataDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
  if (!opts.model) await setModel(browser, { enabled: false, thresholds: {} });
  return browser;
}

/**
 * Sets the post-level model's settings the way the options page does: a
 * `modelSet` request from an extension page to the background (the one
 * writer), which recompiles the engine; resolves with its answer.
 * @param {{context: import('playwright-core').BrowserContext, extensionId: string}} browser
 * @param {{enabled: boolean, thresholds: Record<string, number>}} settings
 */
export async function setModel(browser, settings) {
  const page = await openExtensionPage(browser, 'popup/popup.html');
  try {
    const res = await page.evaluate((m) => chrome.runtime.sendMessage({ type: 'modelSet', ...m }), settings);
    if (!res?.ok) throw new Error(`modelSet refused: ${JSON.stringify(res)}`);
    return res;
  } finally {
    await page.close();
  }
}

/**
 * Answers requests for `origin` (e.g. "https://vk.com") from the local server.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} origin
 * @param {string} base  local server base URL
 */
export async function routeHost(context, origin, base) {
  await context.route(`${origin}/**`, async (route) => {
    const u = new URL(route.request().url());
    const response = await route.fetch({ url: base + u.pathname + u.search });
    await route.fulfill({ response });
  });
}

/** Bundles a fixture app (e.g. the React feed) into tests/e2e/.build/. @param {string} entry  file in fixtures/ */
export async function bundleFixture(entry) {
  await build({
    entryPoints: [path.join(FIXTURES, entry)],
    bundle: true,
    format: 'iife',
    minify: true,
    outdir: BUILD,
    define: { 'process.env.NODE_ENV': '"production"' },
    jsx: 'automatic',
    logLevel: 'warning',
  });
}

/**
 * Polls `fn` until it returns a truthy value.
 * @template T
 * @param {() => Promise<T>|T} fn
 * @param {{timeout?: number, interval?: number, message?: string}} [opts]
 * @returns {Promise<T>}
 */
export async function waitFor(fn, opts = {}) {
  const deadline = Date.now() + (opts.timeout ?? 15_000);
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, opts.interval ?? 100));
  }
  throw new Error(`${opts.message ?? 'condition'} not met in time; last: ${JSON.stringify(last)?.slice(0, 400)}`);
}

/**
 * The id of the tab showing a URL (prefix match), from the service worker.
 * @param {import('playwright-core').Worker} sw
 * @param {string} url
 */
export async function tabIdFor(sw, url) {
  return waitFor(
    () =>
      sw.evaluate(async (u) => {
        const tabs = await chrome.tabs.query({});
        const t = tabs.find((x) => x.url?.startsWith(u));
        return t?.id ?? null;
      }, url),
    { message: `a tab for ${url}` },
  );
}

/**
 * The service worker's view of a tab: findings and highlighted counts.
 * @param {import('playwright-core').Worker} sw
 * @param {number} tabId
 */
export function tabView(sw, tabId) {
  return sw.evaluate((id) => {
    const fl = /** @type {any} */ (globalThis).flaglight;
    const t = fl.tabs.get(id);
    if (!t) return null;
    let highlighted = 0;
    for (const f of t.frames.values()) for (const n of f.highlighted.values()) highlighted += n;
    const findings = fl.tabFindings(id).map((f) => ({
      frameId: f.frameId,
      text: f.text,
      rule: f.ruleId,
      pack: f.pack,
      category: f.category,
      kind: f.kind,
      severity: f.severity,
      checksum: f.checksum,
    }));
    return { url: t.url, frames: t.frames.size, highlighted, findings, cursor: t.cursor, card: t.card };
  }, tabId);
}

/**
 * Waits until a tab's findings are all highlighted and their number has not
 * changed for `quiet` ms.
 * @param {import('playwright-core').Worker} sw
 * @param {number} tabId
 * @param {{min?: number, quiet?: number, timeout?: number}} [opts]
 */
export async function settle(sw, tabId, opts = {}) {
  let last = -1;
  let since = Date.now();
  return waitFor(
    async () => {
      const v = await tabView(sw, tabId);
      if (!v) return null;
      const n = v.findings.length;
      if (n !== last || v.highlighted !== n) {
        last = n;
        since = Date.now();
        return null;
      }
      return n >= (opts.min ?? 1) && Date.now() - since >= (opts.quiet ?? 400) ? v : null;
    },
    { timeout: opts.timeout ?? 20_000, message: 'findings to settle' },
  );
}

/**
 * Diagnostics from every frame's content script, by frame id (asked through the service worker).
 * @param {import('playwright-core').Worker} sw
 * @param {number} tabId
 * @param {{reset?: boolean, detail?: boolean}} [opts]  detail: include the highlighted texts
 */
export function probe(sw, tabId, opts = {}) {
  return sw.evaluate(([id, o]) => /** @type {any} */ (globalThis).flaglight.probe(id, o), [tabId, opts]);
}

/**
 * The skeleton's helper: a tab's state by URL, waiting until `minHighlighted`
 * findings are highlighted.
 * @param {import('playwright-core').Worker} sw
 * @param {string} url
 * @param {{minHighlighted?: number, timeout?: number}} [opts]
 */
export async function waitForFindings(sw, url, opts = {}) {
  const deadline = Date.now() + (opts.timeout ?? 15_000);
  let last = null;
  while (Date.now() < deadline) {
    last = await readTab(sw, url);
    if (last && last.highlighted >= (opts.minHighlighted ?? 1)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no findings for ${url} in time; last state: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/**
 * Reads a tab's state from the service worker, by URL.
 * @param {import('playwright-core').Worker} sw
 * @param {string} url
 */
export async function readTab(sw, url) {
  const tabId = await sw.evaluate((u) => {
    const fl = /** @type {any} */ (globalThis).flaglight;
    for (const [tabId, t] of fl.tabs) {
      const top = t.frames.get(0);
      if (t.url.startsWith(u) || (top && top.url.startsWith(u))) return tabId;
    }
    return null;
  }, url);
  if (tabId === null) return null;
  const v = await tabView(sw, tabId);
  return v && { tabId, ...v };
}

/** The toolbar badge text of a tab, from the service worker. @param {import('playwright-core').Worker} sw @param {number} tabId */
export function badgeText(sw, tabId) {
  return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/**
 * Opens one of the extension's pages in a tab.
 * @param {{context: import('playwright-core').BrowserContext, extensionId: string}} browser
 * @param {string} rel  e.g. "panel/panel.html?tab=3"
 */
export async function openExtensionPage(browser, rel) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${rel}`);
  return page;
}

/**
 * Collects a page's console errors and uncaught exceptions.
 * @param {import('playwright-core').Page} page
 */
export function trackErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/**
 * Viewport rectangle of the first occurrence of `text` in the page (the test
 * measures the page; it does not read anything the extension added).
 * @param {import('playwright-core').Page|import('playwright-core').Frame} page
 * @param {string} text
 */
export function rectOfText(page, text) {
  return page.evaluate((t) => {
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const i = n.data.indexOf(t);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + t.length);
      const b = r.getBoundingClientRect();
      return { x: b.left, y: b.top, width: b.width, height: b.height };
    }
    return null;
  }, text);
}

/**
 * Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced) into pixels.
 * @param {Buffer} png
 * @returns {{width: number, height: number, pixel: (x: number, y: number) => number[]}}
 */
export function decodePng(png) {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('ascii', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = data[9] === 2 ? 3 : 4;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let p = v;
      if (filter === 1) p = v + a;
      else if (filter === 2) p = v + b;
      else if (filter === 3) p = v + ((a + b) >> 1);
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      out[y * stride + x] = p & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [...out.subarray(y * stride + x * channels, y * stride + x * channels + 3)] };
}

/**
 * Whether a region of the page has any pixel that is not plain white (a
 * highlight's background painted there).
 * @param {import('playwright-core').Page} page
 * @param {{x: number, y: number, width: number, height: number}} rect
 */
export async function tinted(page, rect) {
  const png = await page.screenshot({ clip: rect });
  const img = decodePng(png);
  let count = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const [r, g, b] = img.pixel(x, y);
      // A tinted background: not white, and not the black/grey of text.
      if (r + g + b < 760 && r + g + b > 300 && Math.max(r, g, b) - Math.min(r, g, b) > 12) count += 1;
    }
  }
  return count;
}
