// Reviewer flags (issue 6): flagging a selection through the command and the
// form (typed with the keyboard), re-anchoring after reloads, edits and
// re-renders, orphans, the panel's Flags group (edit, delete, undo), export
// and import (JSON-LD round trip, CSV, the HTML evidence report opened in
// Chromium) and a full storage quota.
//
// The page is a fixture served as https://vk.com/flagged.html in variants
// the test switches between (same URL, so the same flags). Extension state is
// read through the service worker (globalThis.flaglight) and the extension's
// own pages; the page is only used to select text and to change its DOM.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, STRICT_CSP, launch, openExtensionPage, probe, rectOfText, routeHost, serve, settle, tabIdFor, tinted, trackErrors, waitFor } from './harness.mjs';
import { parse as parseCsvRecords } from 'csv-parse/sync';
import { verifyWacz } from '../../extension/common/wacz.js';

/** CSV read back with a standard RFC 4180 parser (csv-parse), strict about quotes. @param {string} text */
const parseCsv = (text) => parseCsvRecords(text, { relax_quotes: false, relax_column_count: false });

const URL_ = 'https://vk.com/flagged.html';
const PASSAGE = 'send your zakat to the card 4111 1111 1111 1111 before Friday, the fighters need new boots';
const EDITED = 'send your zakat to the card 4111 1111 1111 1111 before Friday, the fighters need warm boots';
const NOTE = 'Card number next to "send your zakat", see =SUM(A1), <b>not bold</b>';
const CSV_COLUMNS = ['id', 'url', 'title', 'created', 'modified', 'category', 'severity', 'note', 'quote', 'prefix', 'suffix', 'start', 'end', 'quote_sha256', 'status'];

let browser;
let server;
/** @type {Record<string, string>} */
const variants = {};
let variant = 'base';
/** What re-anchoring did, for the report at the end. @type {string[]} */
const findingsLog = [];

before(async () => {
  const base = await readFile(path.join(FIXTURES, 'flags.html'), 'utf8');
  const inserted = base.replace(
    '<!-- the flags test inserts a post here -->',
    '<article id="p0"><p>Breaking: a new post appeared at the top of the feed and pushed everything down.</p></article>',
  );
  variants.base = base;
  variants.inserted = inserted;
  variants.edited = inserted.replace('the fighters need new boots', 'the fighters need warm boots');
  variants.removed = base.replace(/<article id="p2">[\s\S]*?<\/article>/, '');
  assert.notEqual(variants.removed, base);
  server = await serve(FIXTURES, {
    csp: STRICT_CSP,
    cspFor: (p) => (p === '/frames.html' ? `${STRICT_CSP}; frame-src 'self' https://x.com` : undefined),
  });
  browser = await launch();
  await routeHost(browser.context, 'https://vk.com', server.base);
  await routeHost(browser.context, 'https://x.com', server.base);
  await browser.context.route(URL_, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' }, body: variants[variant] }),
  );
});

after(async () => {
  if (findingsLog.length) console.log(`re-anchoring:\n  ${findingsLog.join('\n  ')}`);
  await browser?.close();
  await server?.close();
});

const sw = () => browser.sw;
/** @param {number} tabId */
const list = (tabId) => sw().evaluate((id) => globalThis.flaglight.flags.list(id), tabId);
const stored = () => sw().evaluate(() => globalThis.flaglight.flags.store.all());
/** @param {number} tabId */
const top = async (tabId) => (await probe(sw(), tabId))[0];

/**
 * Selects text in the page (the page's own DOM API), from the start of one
 * string to the end of another.
 * @param {import('playwright-core').Page} page
 * @param {string} from
 * @param {string} to
 */
function select(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const find = (t) => {
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          const i = n.data.indexOf(t);
          if (i >= 0) return [n, i];
        }
        throw new Error(`no text ${t}`);
      };
      const [sn, si] = find(a);
      const [en, ei] = find(b);
      const r = document.createRange();
      r.setStart(sn, si);
      r.setEnd(en, ei + b.length);
      const s = getSelection();
      s.removeAllRanges();
      s.addRange(r);
      return s.toString();
    },
    [from, to],
  );
}

/**
 * "Flag selection" as the command and the context menu run it, then waits for the form.
 * @param {number} tabId
 * @param {'new'|'edit'} mode
 */
async function openForm(tabId, mode) {
  const r = await sw().evaluate((id) => globalThis.flaglight.flags.flagSelection(id), tabId);
  assert.equal(r.ok, true);
  return waitFor(async () => ((await top(tabId)).flagForm === mode ? top(tabId) : null), { message: `the ${mode} form` });
}

/**
 * Waits until a flag's anchoring is known (not pending).
 * @param {number} tabId
 * @param {(f: any) => boolean} [want]
 */
async function status(tabId, want = () => true) {
  return waitFor(
    async () => {
      const l = await list(tabId);
      const f = l.flags[0];
      return f && f.status.state !== 'pending' && want(f) ? f : null;
    },
    { message: 'the flag anchored or orphaned' },
  );
}

/** @param {import('playwright-core').Page} page @param {number} tabId */
async function reload(page, tabId, v) {
  variant = v;
  await page.reload();
  await settle(sw(), tabId, { min: 1 });
}

let page;
let tabId;

test('flag a selection (command, form typed with the keyboard); reload: anchored at the same text', async () => {
  page = await browser.context.newPage();
  const errors = trackErrors(page);
  await page.goto(URL_);
  tabId = await tabIdFor(sw(), URL_);
  await settle(sw(), tabId, { min: 1 });

  // The selection runs across the <b> around the card number.
  assert.equal(await select(page, 'send your zakat', 'new boots'), PASSAGE);
  const opened = await openForm(tabId, 'new');
  assert.equal(JSON.parse(opened.flagFormValues).category, 'donation', 'the first of the packs\' categories by default');
  // The category is focused and selected: typing replaces it (and is made a
  // category name); Tab to the severity (typeahead), Tab to the note,
  // Ctrl+Enter saves.
  await page.keyboard.type('Donation ');
  await page.keyboard.press('Tab');
  await page.keyboard.press('h');
  await page.keyboard.press('Tab');
  await page.keyboard.type(NOTE);
  assert.deepEqual(JSON.parse((await top(tabId)).flagFormValues), { category: 'Donation ', severity: 'high', note: NOTE });
  await page.keyboard.press('Control+Enter');
  await waitFor(async () => (await top(tabId)).flagForm === 'none', { message: 'the form closes' });

  const [f] = await stored();
  assert.equal(f.url, URL_);
  assert.equal(f.title, 'Wall: Brothers of the Desert');
  assert.equal(f.category, 'donation');
  assert.equal(f.severity, 'high');
  assert.equal(f.note, NOTE);
  assert.equal(f.quote.exact, PASSAGE);
  // ~32 units of context on each side, across the block boundary before it.
  assert.ok(f.quote.prefix.endsWith('for the spring.\nBrothers, ') && f.quote.prefix.length === 32, JSON.stringify(f.quote.prefix));
  assert.equal(f.quote.suffix, ' and radios.\nModerators asked wh');
  assert.equal(f.position.end - f.position.start, PASSAGE.length);
  assert.match(f.id, /^[0-9a-f-]{36}$/);
  assert.equal(f.created, f.modified);
  const shown = await top(tabId);
  assert.deepEqual(shown.flagTexts, [PASSAGE], 'highlighted in the page');

  // The context menu item is there (update() fails for an unknown id).
  assert.equal(await sw().evaluate(() => chrome.contextMenus.update('flag-selection', {}).then(() => 'exists', (e) => String(e))), 'exists');

  // The reviewer's category is remembered for the next form.
  const local = await sw().evaluate(() => chrome.storage.local.get(['flagDefaults']));
  assert.deepEqual(local.flagDefaults, { category: 'donation', severity: 'high' });

  await reload(page, tabId, 'base');
  const s = await status(tabId);
  assert.deepEqual([s.status.state, s.status.method], ['anchored', 'position']);
  assert.deepEqual((await top(tabId)).flagTexts, [PASSAGE]);
  findingsLog.push(`reload, same page: ${s.status.method}`);
  assert.deepEqual(errors, []);
});

test('text inserted before it, then a word changed inside it: still anchored (exact quote, then approximate)', async () => {
  await reload(page, tabId, 'inserted');
  const moved = await status(tabId);
  assert.deepEqual([moved.status.state, moved.status.method], ['anchored', 'quote']);
  assert.deepEqual((await top(tabId)).flagTexts, [PASSAGE]);
  findingsLog.push(`post inserted above: ${moved.status.method}`);

  await reload(page, tabId, 'edited');
  const edited = await status(tabId, (f) => f.status.method !== 'quote');
  assert.equal(edited.status.state, 'anchored');
  assert.equal(edited.status.method, 'approximate');
  assert.ok(edited.status.distance > 0 && edited.status.distance <= 4, `distance ${edited.status.distance}`);
  assert.ok(edited.status.score > 0.9, `score ${edited.status.score}`);
  assert.deepEqual((await top(tabId)).flagTexts, [EDITED]);
  findingsLog.push(`post inserted above and "new" -> "warm" inside: approximate, distance ${edited.status.distance}, score ${edited.status.score.toFixed(3)}`);
  // The stored selectors describe what the reviewer flagged; they are not rewritten.
  assert.equal((await stored())[0].quote.exact, PASSAGE);
});

test('the approximate step in the extension: an edited original beats an exact repost with other context; an edited first word', async () => {
  const q = 'send your zakat to the card below before Friday';
  const text = 'Post by Abu: Brothers, send all your zakat to the card below before Friday! Thanks\nRepost by Bob, look at this: send your zakat to the card below before Friday lol';
  const [r] = await sw().evaluate(([t, quote]) => globalThis.flaglight.flags.anchorQuotes(t, [quote]), [
    text,
    { exact: q, prefix: 'Post by Abu: Brothers, ', suffix: '! Thanks\nRepost by Bob, look at', start: 23 },
  ]);
  assert.equal(text.slice(r[0], r[1]), 'send all your zakat to the card below before Friday');
  assert.equal(r[2], 4);
  findingsLog.push(`edited original vs exact repost: the original, distance ${r[2]}, score ${r[3].toFixed(3)}`);
  // Still exact when the copy's context is right.
  const [e] = await sw().evaluate(([t, quote]) => globalThis.flaglight.flags.anchorQuotes(t, [quote]), [
    text.replace('send all your', 'send your'),
    { exact: q, prefix: 'Post by Abu: Brothers, ', suffix: '! Thanks\nRepost by Bob, look at', start: 0 },
  ]);
  assert.deepEqual([e[0], e[2]], [23, 0]);
  // The first word edited: the match starts where the remembered prefix ends, not inside the word.
  const q2 = 'send your zakat to the card 4111 1111 1111 1111 before Friday';
  const t2 = 'Brothers, wire your zakat to the card 4111 1111 1111 1111 before Friday, the fighters';
  const [w] = await sw().evaluate(([t, quote]) => globalThis.flaglight.flags.anchorQuotes(t, [quote]), [
    t2,
    { exact: q2, prefix: 'Brothers, ', suffix: ', the fighters', start: 10 },
  ]);
  assert.equal(t2.slice(w[0], w[1]), 'wire your zakat to the card 4111 1111 1111 1111 before Friday');
  assert.equal(w[2], 4);
  findingsLog.push(`first word edited ("send" -> "wire"): whole word, distance ${w[2]}, score ${w[3].toFixed(3)}`);
});

test('a feed re-render re-anchors; the passage removed from the page or the page is an orphan, listed with its quote and note', async () => {
  await reload(page, tabId, 'base');
  await status(tabId, (f) => f.status.method === 'position');
  const runs = (await top(tabId)).flagRuns;
  // The feed renders the post again: new nodes, same text.
  await page.evaluate(() => {
    const p = document.getElementById('p2');
    p.replaceWith(p.cloneNode(true));
  });
  await waitFor(async () => (await top(tabId)).flagRuns > runs, { message: 're-anchored after the re-render' });
  const again = await status(tabId);
  assert.equal(again.status.state, 'anchored');
  assert.deepEqual((await top(tabId)).flagTexts, [PASSAGE]);

  // The post goes away while the page is open.
  await page.evaluate(() => document.getElementById('p2').remove());
  const gone = await status(tabId, (f) => f.status.state === 'orphan');
  assert.equal(gone.quote.exact, PASSAGE);
  assert.deepEqual((await top(tabId)).flagTexts, []);
  findingsLog.push('post removed in the page: orphan');

  // And on the next visit.
  await reload(page, tabId, 'removed');
  await status(tabId, (f) => f.status.state === 'orphan');
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  const orphan = panel.locator('.orphans li.flag');
  await orphan.waitFor();
  const text = await orphan.textContent();
  assert.ok(text.includes(PASSAGE), text);
  assert.ok(text.includes(NOTE), text);
  assert.ok(text.includes('not found on the page'), text);
  assert.equal((await stored()).length, 1, 'never lost');
  findingsLog.push('page without the post (reload): orphan, listed in the panel');
  await panel.close();
});

test('panel: the Flags group with note and time; click scrolls to it; edit, delete and undo; delete and undo in the form', async () => {
  await reload(page, tabId, 'base');
  await status(tabId, (f) => f.status.state === 'anchored');
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  const item = panel.locator('.on-page li.flag');
  await item.waitFor();
  const text = await item.textContent();
  assert.ok(text.includes(PASSAGE) && text.includes(NOTE) && text.includes('donation') && text.includes('high') && text.includes('on the page'), text);
  assert.ok(text.includes(String(new Date().getFullYear())), 'the time is shown');

  await item.locator('button.go').click();
  await waitFor(async () => (await top(tabId)).flagRevealed === (await stored())[0].id, { message: 'revealed in the page' });

  // Edit in place.
  await item.getByRole('button', { name: 'Edit' }).click();
  const editor = panel.locator('.flag-edit');
  await editor.locator('input').fill('Recruitment Network');
  await editor.locator('select').selectOption('critical');
  await editor.locator('textarea').fill('edited from the panel');
  await editor.getByRole('button', { name: 'Save' }).click();
  await waitFor(async () => (await stored())[0]?.note === 'edited from the panel', { message: 'edit saved' });
  const edited = (await stored())[0];
  assert.equal(edited.category, 'recruitment-network');
  assert.equal(edited.severity, 'critical');
  assert.ok(edited.modified > edited.created);
  const cats = await sw().evaluate(() => chrome.storage.local.get('flagCategories'));
  assert.deepEqual(cats.flagCategories, ['recruitment-network'], "the reviewer's own category is remembered");
  // The page got the change too (its form offers the new category).
  await panel.locator('.on-page li.flag', { hasText: 'edited from the panel' }).waitFor();

  // Delete, then Undo.
  await panel.locator('.on-page li.flag').getByRole('button', { name: 'Delete' }).click();
  await panel.locator('.undo-bar:not([hidden])').waitFor();
  await waitFor(async () => (await stored()).length === 0, { message: 'deleted' });
  await waitFor(async () => (await top(tabId)).flagTexts.length === 0, { message: 'highlight gone' });
  await panel.locator('.undo-bar').getByRole('button', { name: 'Undo' }).click();
  await waitFor(async () => (await stored()).length === 1, { message: 'restored' });
  assert.deepEqual((await stored())[0], edited, 'restored as it was');
  await waitFor(async () => (await top(tabId)).flagTexts.length === 1, { message: 'highlighted again' });

  // In the page: a selection inside a flag opens it for editing; Delete, then Undo.
  await select(page, 'zakat', 'card');
  await openForm(tabId, 'edit');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await top(tabId)).flagForm === 'deleted', { message: '"Flag deleted" with Undo' });
  assert.equal((await stored()).length, 0);
  await page.keyboard.press('Enter');
  await waitFor(async () => (await stored()).length === 1, { message: 'undone from the form' });
  assert.deepEqual((await stored())[0], edited);
  await panel.close();
});

/**
 * Clicks an export button in the panel and reads the downloaded file.
 * @param {import('playwright-core').Page} panel
 * @param {'page'|'all'} scope
 * @param {'jsonld'|'csv'|'html'} format
 */
async function exportFromPanel(panel, scope, format) {
  const details = panel.locator('details.flag-tools');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  const [download] = await Promise.all([
    panel.waitForEvent('download'),
    panel.locator(`button[data-scope="${scope}"][data-format="${format}"]`).click(),
  ]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

test('export -> import -> export: the JSON-LD is identical; invalid items are reported', async () => {
  // A second flag on another page, so "all pages" has two.
  const other = await browser.context.newPage();
  await other.goto('https://vk.com/strict-csp.html');
  const otherTab = await tabIdFor(sw(), 'https://vk.com/strict-csp.html');
  await settle(sw(), otherTab, { min: 1 });
  await select(other, 'Analysts say', 'territory');
  await openForm(otherTab, 'new');
  await other.keyboard.press('Tab');
  await other.keyboard.press('Tab');
  await other.keyboard.type('second flag, another page');
  await other.keyboard.press('Control+Enter');
  await waitFor(async () => (await stored()).length === 2, { message: 'second flag' });
  await other.close();

  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  const a = await exportFromPanel(panel, 'all', 'jsonld');
  assert.match(a.name, /^flaglight-all-pages-.*\.jsonld$/);
  const doc = JSON.parse(a.text);
  assert.equal(doc['@context'], 'http://www.w3.org/ns/anno.jsonld');
  assert.equal(doc.type, 'AnnotationCollection');
  assert.equal(doc.total, 2);
  const ann = doc.first.items.find((x) => x.target.source === URL_);
  assert.deepEqual(
    ann.target.selector.map((s) => s.type),
    ['TextQuoteSelector', 'TextPositionSelector'],
  );
  assert.equal(ann.target.selector[0].exact, PASSAGE);
  const pageOnly = JSON.parse((await exportFromPanel(panel, 'page', 'jsonld')).text);
  assert.equal(pageOnly.total, 1, 'this page only');

  // Everything goes; the export comes back.
  await sw().evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    await chrome.storage.local.remove(Object.keys(all).filter((k) => k.startsWith('flags:')));
  });
  assert.equal((await stored()).length, 0);
  const broken = structuredClone(doc);
  broken.first.items.push({ type: 'Annotation', id: 'urn:uuid:not-a-uuid' });
  await panel.locator('input[type=file]').setInputFiles({ name: 'flags.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(JSON.stringify(broken)) });
  const result = await waitFor(async () => {
    const t = await panel.locator('.tool-status').textContent();
    return t.startsWith('Imported') ? t : null;
  });
  assert.ok(result.includes('Imported 2 flags (2 new') && result.includes('1 invalid: items[2]: id is not a urn:uuid'), result);
  const b = await exportFromPanel(panel, 'all', 'jsonld');
  assert.equal(b.text, a.text, 'identical after the round trip');
  // Importing it again changes nothing.
  await panel.locator('input[type=file]').setInputFiles({ name: 'flags.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(a.text) });
  await waitFor(async () => (await panel.locator('.tool-status').textContent()).includes('2 already there'));
  assert.equal((await exportFromPanel(panel, 'all', 'jsonld')).text, a.text);
  // The page picked the imported flag up again.
  await waitFor(async () => (await top(tabId)).flagTexts.length === 1, { message: 'imported flag anchored in the open page' });
  await panel.close();
});


test('CSV parses back with an RFC 4180 parser, field for field', async () => {
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  const { name, text } = await exportFromPanel(panel, 'all', 'csv');
  assert.match(name, /\.csv$/);
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], CSV_COLUMNS);
  assert.equal(rows.length, 3);
  const flags = await stored();
  for (const f of flags) {
    const row = rows.find((r) => r[0] === f.id);
    const r = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]]));
    assert.equal(r.url, f.url);
    assert.equal(r.title, f.title);
    assert.equal(r.created, f.created);
    assert.equal(r.category, f.category);
    assert.equal(r.severity, f.severity);
    assert.equal(r.note, f.note);
    assert.equal(r.quote, f.quote.exact);
    assert.equal(r.prefix, f.quote.prefix);
    assert.equal(r.suffix, f.quote.suffix);
    assert.equal(Number(r.start), f.position.start);
    assert.equal(Number(r.end), f.position.end);
    assert.equal(r.quote_sha256, createHash('sha256').update(f.quote.exact, 'utf8').digest('hex'));
  }
  const mine = rows.find((r) => r[8] === PASSAGE);
  assert.match(mine[14], /^anchored \(/, 'status: how it is anchored now');
  await panel.close();
});

test('the HTML evidence report opened in Chromium runs no script and shows page text with <script> literally', async () => {
  // The flag quotes the text that looks like markup.
  await select(page, '<script>window.pwned', 'onerror=alert(2)>');
  await openForm(tabId, 'new');
  await page.keyboard.type('extremism');
  await page.keyboard.press('Control+Enter');
  await waitFor(async () => (await stored()).length === 3, { message: 'the markup-looking flag saved' });

  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  await panel.locator('details.flag-tools summary').click();
  await panel.locator('.shot input').check();
  const { name, text } = await exportFromPanel(panel, 'page', 'html');
  assert.match(name, /^flaglight-vk\.com-.*\.html$/);
  const status = await panel.locator('.tool-status').textContent();
  // No activeTab grant in a test (no toolbar click): the report says there is no screenshot.
  assert.ok(status.includes('no screenshot'), status);
  await panel.close();

  await browser.context.route('https://report.example/report.html', (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text }),
  );
  const report = await browser.context.newPage();
  const events = [];
  report.on('dialog', (d) => {
    events.push(`dialog ${d.message()}`);
    d.dismiss();
  });
  report.on('console', (m) => events.push(`console ${m.type()} ${m.text()}`));
  report.on('pageerror', (e) => events.push(`error ${e}`));
  await report.goto('https://report.example/report.html');
  await report.waitForLoadState('load');
  const seen = await report.evaluate(() => ({
    scripts: document.scripts.length,
    images: document.images.length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
    body: document.body.innerText,
    hashes: [...document.querySelectorAll('code')].map((c) => c.textContent),
  }));
  assert.equal(seen.scripts, 0);
  assert.equal(seen.images, 0);
  assert.equal(seen.handlers, 0);
  assert.match(seen.csp, /default-src 'none'/);
  assert.ok(seen.body.includes('<script>window.pwned=1;alert(document.domain)</script> <img src=x onerror=alert(2)>'), 'page text shown literally');
  assert.equal(await report.evaluate(() => 'pwned' in window), false, 'no global set');
  assert.ok(seen.body.includes('edited from the panel'), 'the note');
  assert.ok(seen.body.includes('https://vk.com/flagged.html'));
  assert.ok(seen.body.includes('Automatic findings'));
  assert.ok(seen.body.includes('join the caliphate'), 'the automatic findings of the page');
  assert.ok(seen.body.includes('anchored (position)'));
  const flags = await stored();
  for (const f of flags.filter((x) => x.url === URL_)) {
    assert.ok(seen.hashes.includes(createHash('sha256').update(f.quote.exact, 'utf8').digest('hex')), 'SHA-256 of each quote');
  }
  assert.ok(seen.hashes.some((h) => /^[0-9a-f]{64}$/.test(h)), 'SHA-256 of the page text');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(events, [], 'no dialog, no console message, no error');
  await report.close();
});

test('"Preserve this page" in the side panel, with the extension\'s own permissions: a valid package with the page\'s flags; no screenshot, and its notes say how to get one', async () => {
  // The panel in a window of its own, as the side panel is (the page's tab stays active).
  await page.bringToFront();
  const opened = browser.context.waitForEvent('page');
  await sw().evaluate((u) => chrome.windows.create({ url: u, type: 'popup', width: 420, height: 900 }), `chrome-extension://${browser.extensionId}/panel/panel.html?tab=${tabId}`);
  const panel = await opened;
  await panel.locator('.capture-bar button').click();
  await waitFor(async () => /Preserved: /.test((await panel.locator('.capture-status').textContent()) ?? ''), { timeout: 60_000, message: 'preserved' });
  const [rec] = (await sw().evaluate(() => globalThis.flaglight.captures.readCaptures())).captures;
  assert.deepEqual(rec.holds, ['page-html', 'page-mhtml', 'text', 'findings', 'flags', 'sightings']);
  assert.equal(rec.counts.flags, (await stored()).filter((f) => f.url === URL_).length);
  // No toolbar click in a test: no activeTab grant, so no screenshot, and the notes say what gives one.
  assert.ok(rec.notes.some((n) => /^No screenshot: .*toolbar button/.test(n)), JSON.stringify(rec.notes));
  const bytes = await sw().evaluate(async (id) => {
    const got = await globalThis.flaglight.captures.readPackage(id);
    return Array.from(new Uint8Array(await got.blob.arrayBuffer()));
  }, rec.id);
  const v = await verifyWacz(new Uint8Array(bytes));
  assert.deepEqual(v.problems, []);
  assert.ok(v.records.some((r) => r.uri === URL_ && r.type === 'resource'), 'the page copy at its URL');
  await panel.close();
});

test('a full storage quota is reported in the form and the panel; the flag is kept, exported, and saved on retry', async () => {
  // Fill storage.local (10 MB in Chrome) to the brim.
  const filled = await sw().evaluate(async () => {
    const room = chrome.storage.local.QUOTA_BYTES - (await chrome.storage.local.getBytesInUse(null));
    let size = room - 'filler'.length - 2;
    for (;;) {
      try {
        await chrome.storage.local.set({ filler: 'x'.repeat(size) });
        return size;
      } catch {
        size -= 16;
      }
    }
  });
  assert.ok(filled > 1_000_000, `filler ${filled}`);

  await select(page, 'a recipe for borscht', 'sour cream');
  await openForm(tabId, 'new');
  await page.keyboard.type('spam');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kept when the disk is full');
  await page.keyboard.press('Control+Enter');
  const shown = await waitFor(async () => {
    const r = await top(tabId);
    return r.flagFormMessage.startsWith('Not saved') ? r : null;
  }, { message: 'the quota error in the form' });
  assert.match(shown.flagFormMessage, /storage is full/i);
  assert.equal(shown.flagForm, 'new', 'the form stays open with the flag');
  assert.equal(JSON.parse(shown.flagFormValues).note, 'kept when the disk is full');
  assert.equal((await stored()).length, 3, 'not stored');

  const l = await list(tabId);
  assert.equal(l.unsaved.length, 1);
  assert.equal(l.unsaved[0].quote.exact, 'a recipe for borscht with beets, dill and sour cream');
  assert.match(l.error, /not saved/);
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
  await panel.locator('.flags > .flag-error:not([hidden])').waitFor();
  assert.match(await panel.locator('.flags > .flag-error').textContent(), /storage is full/i);
  assert.ok((await panel.locator('.unsaved li.flag').textContent()).includes('kept when the disk is full'));
  const exported = JSON.parse((await exportFromPanel(panel, 'page', 'jsonld')).text);
  assert.ok(exported.first.items.some((x) => x.body.some((b) => b.value === 'kept when the disk is full')), 'exportable while not saved');

  // Space again: Save in the form stores it.
  await sw().evaluate(() => chrome.storage.local.remove('filler'));
  await page.keyboard.press('Control+Enter');
  await waitFor(async () => (await top(tabId)).flagForm === 'none', { message: 'saved on retry' });
  assert.equal((await stored()).length, 4);
  assert.equal((await list(tabId)).unsaved.length, 0);
  await panel.locator('.flags > .flag-error[hidden]').waitFor({ state: 'attached' });
  // The flag style is painted where no finding is (the borscht post has none).
  const rect = await rectOfText(page, 'a recipe for borscht');
  await waitFor(async () => (await tinted(page, rect)) > 10, { message: 'the flag highlight painted' });
  await panel.close();
});

test('a selection in a cross-origin frame is flagged in that frame; the panel lists it, also after a service-worker restart', async () => {
  const framed = await browser.context.newPage();
  await framed.goto('https://vk.com/frames.html');
  const id = await tabIdFor(sw(), 'https://vk.com/frames.html');
  await settle(sw(), id, { min: 3 });
  const x = framed.frames().find((f) => f.url().startsWith('https://x.com/'));
  await select(x, 'Cross-origin frame', 'recruiters');
  const r = await sw().evaluate((t) => globalThis.flaglight.flags.flagSelection(t), id);
  assert.notEqual(r.frameId, 0, 'the frame holding the selection');
  const report = await waitFor(async () => (await probe(sw(), id))[r.frameId]?.flagForm === 'new' || null, { message: 'the form in the frame' });
  assert.ok(report);
  await framed.keyboard.type('extremism');
  await framed.keyboard.press('Control+Enter');
  const f = await waitFor(async () => (await stored()).find((x) => x.url === 'https://x.com/frame-x.html'), { message: 'stored under the frame\'s page' });
  assert.equal(f.quote.exact, 'Cross-origin frame: Daesh recruiters');
  await waitFor(async () => (await list(id)).flags.some((x) => x.id === f.id && x.status.state === 'anchored'), { message: 'listed as anchored' });

  // The service worker stops (as MV3 allows at any time) and comes back for the panel.
  const cdp = await browser.context.newCDPSession(framed);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((res) => setTimeout(res, 500));
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${id}`);
  const item = panel.locator('.on-page li.flag', { hasText: 'Cross-origin frame: Daesh recruiters' });
  await item.waitFor({ timeout: 10_000 });
  await waitFor(async () => (await item.textContent()).includes('on the page'), { message: 'anchoring known again after the restart' });
  await waitFor(() => browser.worker());
  await panel.close();
  await framed.close();
});

test('flags survive a browser restart (storage.local in the same profile) and anchor again', async () => {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'flaglight-restart-'));
  const open = async () => {
    const b = await launch({ userDataDir: profile });
    await routeHost(b.context, 'https://vk.com', server.base);
    await b.context.route(URL_, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP }, body: variants.base }),
    );
    const p = await b.context.newPage();
    await p.goto(URL_);
    const id = await tabIdFor(b.sw, URL_);
    await settle(b.sw, id, { min: 1 });
    return { b, p, id };
  };
  try {
    const first = await open();
    await select(first.p, 'Analysts say', '2019');
    await first.b.sw.evaluate((id) => globalThis.flaglight.flags.flagSelection(id), first.id);
    await waitFor(async () => (await probe(first.b.sw, first.id))[0].flagForm === 'new', { message: 'form' });
    await first.p.keyboard.press('Control+Enter');
    await waitFor(async () => (await first.b.sw.evaluate(() => globalThis.flaglight.flags.store.all())).length === 1, { message: 'saved' });
    await first.b.close();

    const second = await open();
    const [f] = await second.b.sw.evaluate(() => globalThis.flaglight.flags.store.all());
    assert.equal(f.quote.exact, 'Analysts say ISIS lost most of its territory by 2019');
    const l = await waitFor(async () => {
      const x = await second.b.sw.evaluate((id) => globalThis.flaglight.flags.list(id), second.id);
      return x.flags[0]?.status.state === 'anchored' ? x : null;
    }, { message: 'anchored after the restart' });
    assert.equal(l.flags[0].status.method, 'position');
    await second.b.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});
