// Firefox in Russian and Arabic: dist/firefox with Firefox ESR's own UI
// language set (intl.locale.requested, with Debian's firefox-esr-l10n-ru/-ar
// language packs) shows the popup, the panel (the sidebar page) and the
// options page in that language, Arabic right to left. The same _locales
// serve Chrome and Firefox; this checks Firefox picks them.
//
//   node --experimental-websocket tests/e2e/firefox-i18n.mjs

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { Bidi, freePort, waitFor } from './firefox-bidi.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const EXT = path.join(ROOT, 'dist', 'firefox');
const ADDON_ID = 'flaglight@flaglight.dev';
const UUID = '0c8e6a52-3d1f-4e9b-8a77-5f2d1c4b9e60';

/** @param {string} lang */
async function messages(lang) {
  return JSON.parse(await readFile(path.join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
}

/** @param {string} lang */
async function run(lang) {
  const m = await messages(lang);
  const profile = await mkdtemp(path.join(os.tmpdir(), `flaglight-ff-${lang}-`));
  const prefs = {
    'intl.locale.requested': lang,
    'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
    // The language packs Debian installs next to Firefox are in the app scope.
    'extensions.autoDisableScopes': 0,
    'extensions.enabledScopes': 15,
    // Every request goes to a proxy that is not there (port 9): nothing leaves the machine.
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': 9,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': 9,
    'browser.shell.checkDefaultBrowser': false,
    'app.update.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'browser.startup.homepage_override.mstone': 'ignore',
  };
  await writeFile(path.join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n');
  const port = await freePort();
  const ff = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', String(port), '--remote-allow-system-access', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let bidi;
  try {
    bidi = await waitFor(() => Bidi.connect(`ws://127.0.0.1:${port}/session`), 'Firefox remote agent', 30_000);
    await bidi.send('session.new', { capabilities: {} });
    await bidi.send('webExtension.install', { extensionData: { type: 'path', path: EXT } });
    const open = async (/** @type {string} */ rel) => {
      const chrome = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
      const url = `moz-extension://${UUID}/${rel}`;
      await bidi.send('script.evaluate', {
        expression: `gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); true`,
        target: { context: chrome.contexts[0].context },
        awaitPromise: false,
      });
      return waitFor(async () => (await bidi.send('browsingContext.getTree', {})).contexts.find((c) => c.url === url)?.context ?? null, rel);
    };
    const rtl = lang === 'ar' ? 'rtl' : 'ltr';
    const results = [];

    const popup = await open('popup/popup.html');
    const p = await waitFor(
      () => bidi.eval(popup, `return document.getElementById('open-panel').textContent !== 'Open the panel' && { lang: document.documentElement.lang, dir: document.documentElement.dir, open: document.getElementById('open-panel').textContent, summary: document.getElementById('summary').textContent, ui: browser.i18n.getUILanguage() };`),
      'popup localized',
    );
    assert.equal(p.lang, lang, JSON.stringify(p));
    assert.equal(p.dir, rtl);
    assert.equal(p.open, m.popup_open_panel.message);
    assert.equal(p.summary, m.popup_no_findings.message);
    results.push(`ok   ${lang}: popup (${p.open}; Firefox UI ${p.ui})`);

    const panel = await open('panel/panel.html');
    const q = await waitFor(
      () => bidi.eval(panel, `const h = document.querySelector('.flags > h2'); return h && { dir: document.documentElement.dir, flags: h.firstChild.textContent, empty: document.getElementById('empty').textContent, filter: document.getElementById('filter').placeholder };`),
      'panel',
    );
    assert.equal(q.dir, rtl);
    assert.equal(q.flags, m.flags_heading.message);
    assert.equal(q.empty, m.panel_no_findings.message);
    assert.equal(q.filter, m.panel_filter_placeholder.message);
    results.push(`ok   ${lang}: panel (${q.flags}, ${q.empty})`);

    const options = await open('options/options.html');
    const o = await waitFor(
      () => bidi.eval(options, `if (document.documentElement.dataset.ready !== '1') return null; const cells = [...document.querySelectorAll('#pack-rows tr:first-child td')]; return { dir: document.documentElement.dir, title: document.querySelector('h1').textContent, names: [...document.querySelectorAll('#pack-rows .pack-name .name')].map((e) => e.textContent), side: cells[0].getBoundingClientRect().left > cells[cells.length - 1].getBoundingClientRect().left ? 'right' : 'left', summary: document.getElementById('check-summary').textContent };`),
      'options page',
      30_000,
    );
    assert.equal(o.dir, rtl);
    assert.equal(o.title, m.options_title.message);
    assert.equal(o.side, lang === 'ar' ? 'right' : 'left');
    const en = JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', 'extremism-en.json'), 'utf8')).name;
    assert.ok(o.names.includes(en[lang]), JSON.stringify(o.names));
    results.push(`ok   ${lang}: options page (${o.names.join('; ')})`);
    return results;
  } finally {
    await bidi?.send('session.end', {}).catch(() => {});
    ff.kill();
    await new Promise((r) => setTimeout(r, 300));
    await rm(profile, { recursive: true, force: true });
  }
}

/** Whether Debian's language pack for a language is installed. @param {string} lang */
async function hasLangpack(lang) {
  try {
    await access(`/usr/lib/firefox-esr/browser/extensions/langpack-${lang}@firefox-esr.mozilla.org.xpi`);
    return true;
  } catch {
    return false;
  }
}

let passed = 0;
let failed = 0;
for (const lang of ['ru', 'ar']) {
  if (!(await hasLangpack(lang)) && FIREFOX === '/usr/bin/firefox-esr') {
    console.log(`FAIL ${lang}: the firefox-esr-l10n-${lang} package is missing (./build.sh test installs it)`);
    failed += 1;
    continue;
  }
  try {
    for (const line of await run(lang)) console.log(line);
    passed += 1;
  } catch (e) {
    console.log(`FAIL ${lang}: ${/** @type {Error} */ (e).message}`);
    failed += 1;
  }
}
console.log(`firefox i18n: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
