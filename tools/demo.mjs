// ./build.sh demo: serves examples/feed.html on 127.0.0.1 with a strict CSP,
// opens it in headless Chromium with the extension (dist/chrome) under a
// social-network hostname the extension scans out of the box (request routing:
// nothing leaves the machine), waits for the highlights, writes demo.png and
// prints the findings per category.

import path from 'node:path';
import { launch, serve, routeHost, readTab, ROOT, STRICT_CSP } from '../tests/e2e/harness.mjs';

const URL_SHOWN = 'https://vk.com/feed.html';

const server = await serve(path.join(ROOT, 'examples'), { csp: STRICT_CSP });
const browser = await launch({ model: true });
let exitCode = 0;
try {
  await routeHost(browser.context, 'https://vk.com', server.base);
  const page = await browser.context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const started = Date.now();
  await page.goto(URL_SHOWN);

  // Wait until the highlight count has been stable for a second.
  let state = null;
  let lastCount = -1;
  let stableSince = Date.now();
  while (Date.now() - started < 30_000) {
    state = await readTab(browser.sw, URL_SHOWN);
    const n = state?.highlighted ?? 0;
    if (n !== lastCount) {
      lastCount = n;
      stableSince = Date.now();
    } else if (n > 0 && Date.now() - stableSince > 1000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!state || state.highlighted === 0) throw new Error('no highlights appeared');
  const firstShot = path.join(ROOT, 'demo.png');
  await page.screenshot({ path: firstShot, fullPage: true });

  const byCategory = new Map();
  const bySeverity = new Map();
  for (const f of state.findings) {
    const key = `${f.category}`;
    byCategory.set(key, (byCategory.get(key) ?? 0) + 1);
    const sk = `${f.category} ${f.severity}`;
    bySeverity.set(sk, (bySeverity.get(sk) ?? 0) + 1);
  }
  const posts = await page.locator('article').count();
  console.log(`\npage: examples/feed.html shown as ${URL_SHOWN} (${posts} posts, strict CSP)`);
  console.log(`findings: ${state.findings.length}, highlighted ranges: ${state.highlighted}`);
  console.log('\nfindings per category:');
  for (const [k, n] of [...byCategory].sort()) console.log(`  ${k.padEnd(14)} ${n}`);
  console.log('\nper category and severity:');
  for (const [k, n] of [...bySeverity].sort()) console.log(`  ${k.padEnd(22)} ${n}`);
  const kinds = new Map();
  for (const f of state.findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  console.log('\nper kind:');
  for (const [k, n] of [...kinds].sort()) console.log(`  ${k.padEnd(18)} ${n}`);
  console.log(`\nscreenshot: demo.png`);
  if (consoleErrors.length) {
    console.log(`page console errors: ${consoleErrors.length}`);
    for (const e of consoleErrors) console.log(`  ${e}`);
    exitCode = 1;
  }
} catch (e) {
  console.error(`demo failed: ${e.message}`);
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(exitCode);
