// End-to-end harness: Debian's Chromium driven by playwright-core with the
// unpacked extension from dist/chrome, fixture pages served by a local HTTP
// server on 127.0.0.1 and shown to the browser under real hostnames through
// request routing (so the extension's real host permissions apply and no
// request leaves the machine).

import { chromium } from 'playwright-core';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(ROOT, 'tests', 'e2e', 'fixtures');
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
 * Serves files from `dir` on 127.0.0.1 on a free port.
 * @param {string} dir
 * @param {{csp?: string|null, headers?: Record<string,string>}} [opts]
 */
export async function serve(dir, opts = {}) {
  const csp = opts.csp === undefined ? STRICT_CSP : opts.csp;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...opts.headers };
      if (csp) headers['content-security-policy'] = csp;
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
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
 * @param {{extension?: string}} [opts]
 */
export async function launch(opts = {}) {
  const ext = opts.extension ?? path.join(ROOT, 'dist', 'chrome');
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'flaglight-e2e-'));
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
  return {
    context,
    sw,
    extensionId,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
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

/**
 * The service worker's view of a tab's findings, waiting until the tab's
 * content script has reported `minHighlighted` highlighted ranges.
 * @param {import('playwright-core').Worker} sw
 * @param {string} url  page URL (prefix match)
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
 * Reads a tab's state from the service worker.
 * @param {import('playwright-core').Worker} sw
 * @param {string} url
 */
export function readTab(sw, url) {
  return sw.evaluate((u) => {
    const fl = /** @type {any} */ (globalThis).flaglight;
    for (const [tabId, t] of fl.tabs) {
      const top = t.frames.get(0);
      if (!t.url.startsWith(u) && !(top && top.url.startsWith(u))) continue;
      let highlighted = 0;
      for (const f of t.frames.values()) for (const n of f.highlighted.values()) highlighted += n;
      const findings = fl.tabFindings(tabId).map((f) => ({
        text: f.text,
        rule: f.ruleId,
        pack: f.pack,
        category: f.category,
        kind: f.kind,
        severity: f.severity,
      }));
      return { tabId, url: t.url, highlighted, findings };
    }
    return null;
  }, url);
}
