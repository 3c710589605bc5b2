// The walking skeleton: the Wasm engine in the background highlights text on a
// page whose CSP forbids WebAssembly in the page and its content scripts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, routeHost, waitForFindings, FIXTURES, STRICT_CSP } from './harness.mjs';

let browser;
let server;

before(async () => {
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('highlights flagged words on a strict-CSP page', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto('https://vk.com/strict-csp.html');
  assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
  // The page's own CSP really blocks WebAssembly compilation in the page.
  const wasmBlocked = await page.evaluate(async () => {
    try {
      await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(wasmBlocked, true, 'the fixture CSP must block Wasm in the page');

  const state = await waitForFindings(browser.sw, 'https://vk.com/strict-csp.html', { minHighlighted: 4 });
  const texts = state.findings.map((f) => f.text).sort();
  // "join the caliphate" runs across <b>: inline boundaries are soft.
  assert.deepEqual(texts, ['ISIS', 'join the caliphate', 'ИГИЛ', 'джихад'].sort());
  assert.ok(!texts.some((t) => /crisis|igloo/i.test(t)), 'no matches inside longer words');
  assert.equal(state.highlighted, state.findings.length, 'every finding became a highlight');
  assert.deepEqual(errors, []);
  await page.close();
});
