// The post-level model in the page (issue 11): on a feed of posts written
// for this test, propaganda gets the model's highlights and a card that
// lists the words that weighed most, while news quoting the same group does
// not; the panel's "Posts by risk" view ranks a post with both signals above
// one with a mention, keeping each post's element across updates; the
// options page switches the model off and on and changes its sensitivity in
// an open tab without a reload; a corrupted model file leaves the packs
// working and the options page says why.
//
// The shipped model is retrained from time to time, so its verdicts are not
// written down here: the CLI (target/release/flaglight, the same engine,
// natively) is the oracle. Each test first checks that the CLI agrees with
// the fixture's premise (the propaganda posts fire, the news post does not),
// then that the extension agrees with the CLI post by post — probability,
// words and their weights. For other sensitivities the CLI gets a copy of
// the model file with the threshold the options page chose (same weights,
// header rewritten, checksum recomputed).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES, ROOT, STRICT_CSP, launch, openExtensionPage, probe, routeHost, serve, settle, tabIdFor, tabView, trackErrors, waitFor } from './harness.mjs';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'target', 'release', 'flaglight');
const MODEL = path.join(ROOT, 'extension', 'models', 'extremism.flm');
const FIXTURE = path.join(FIXTURES, 'model.html');
const URL_ = 'https://vk.com/model.html';

// The fixture's posts, by how they start.
const PROPAGANDA = 'Brothers, the kuffar will taste';
const BOTH = 'The lions of the caliphate will never retreat';
const NEWS = 'Iraqi forces said on Tuesday';
const NEWS_RU = 'Иракские военные заявили';
const NEWS_AR = 'قالت القوات العراقية';

let server;
let browser;
let tmp;
/** @type {import('playwright-core').Page} */
let feed;
let feedTab = 0;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'flaglight-model-'));
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  browser = await launch({ model: true });
  await routeHost(browser.context, 'https://vk.com', server.base);
  feed = await browser.context.newPage();
  await feed.goto(URL_);
  feedTab = await tabIdFor(browser.sw, URL_);
  await settle(browser.sw, feedTab, { min: 5 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const norm = (/** @type {string} */ s) => s.replace(/\s+/g, ' ').trim();

/**
 * The CLI's model verdicts on the fixture: post text -> probability x 100
 * and words with their weights in thousandths (as the extension gets them).
 * @param {string} [model]  a model file (default: the shipped one)
 * @returns {Promise<Map<string, {score: number, words: [string, number][]}>>}
 */
async function cliModel(model = MODEL) {
  const { stdout } = await run(CLI, ['scan', '--format', 'jsonl', '--model', model, FIXTURE], { maxBuffer: 1 << 24 });
  const out = new Map();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const f = JSON.parse(line);
    if (f.kind !== 'model') continue;
    out.set(norm(f.text), { score: Math.round(f.probability * 100), words: f.words.map((/** @type {any} */ w) => [w.text, Math.round(w.weight * 1000)]) });
  }
  return out;
}

/**
 * The extension's model verdicts in the open tab, from the service worker:
 * post (the start of its text) -> probability x 100 and words.
 * @returns {Promise<Map<string, {score: number, words: [string, number][]}>>}
 */
async function extensionModel() {
  const list = await browser.sw.evaluate((id) => {
    const by = {};
    for (const f of globalThis.flaglight.tabFindings(id)) {
      if (f.kind !== 'model') continue;
      const key = `${f.frameId}:${f.chunk}:${f.block}`;
      (by[key] ??= { post: f.post, score: f.score, words: [] }).words.push([f.text, f.weight]);
    }
    return Object.values(by);
  }, feedTab);
  return new Map(list.map((p) => [norm(p.post), { score: p.score, words: p.words }]));
}

/** A post's words, heaviest first. @param {[string, number][]} words */
const byWeight = (words) => [...words].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

/** Whether the extension's verdicts are the CLI's, post by post (posts shown by their first 140 characters). */
function same(ext, cli) {
  const want = new Map([...cli].map(([text, v]) => [text.slice(0, 140).trim(), v]));
  if (ext.size !== want.size) return false;
  for (const [post, v] of ext) {
    const c = want.get(post);
    if (!c || c.score !== v.score || JSON.stringify(byWeight(c.words)) !== JSON.stringify(byWeight(v.words))) return false;
  }
  return true;
}

/**
 * Waits until the tab's model verdicts are the CLI's (and `word`, if given,
 * is highlighted); says what differed if they never are.
 * @param {Map<string, any>} cli
 * @param {string} what
 * @param {string} [word]
 */
async function agrees(cli, what, word) {
  let last = {};
  try {
    return await waitFor(async () => {
      const e = await extensionModel();
      const shown = word === undefined || (await highlighted()).includes(word);
      last = { extension: [...e], cli: [...cli], shown };
      return same(e, cli) && shown ? e : null;
    }, { message: what });
  } catch {
    throw new Error(`${what}: ${JSON.stringify(last).slice(0, 3000)}`);
  }
}

/** The CLI verdict of the post that starts with `start`. @param {Map<string, any>} cli @param {string} start */
const verdict = (cli, start) => [...cli].find(([text]) => text.startsWith(start))?.[1];

/**
 * The line the card and the panel must show, written here from the CLI's
 * words: the same word twice summed, heaviest first, two decimals.
 * @param {{score: number, words: [string, number][]}} v
 */
function expectedLine(v) {
  /** @type {Map<string, [string, number]>} */
  const by = new Map();
  for (const [text, w] of byWeight(v.words)) {
    const k = text.toLowerCase();
    const had = by.get(k);
    if (had) had[1] += w;
    else by.set(k, [text, w]);
  }
  const two = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const words = [...by.values()].sort((a, b) => b[1] - a[1]).map(([text, w]) => `${text} (+${two.format(w / 1000)})`);
  return `model ${(v.score / 100).toFixed(2)} — words that weighed most: ${words.join(', ')}`;
}

/**
 * The viewport centre of the whole word (or phrase) `part` in the first text
 * node holding `context`, from there on. @param {import('playwright-core').Page} page
 */
function centreOf(page, context, part) {
  return page.evaluate(
    ([c, p]) => {
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const word = new RegExp(`(?<![\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'u');
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const i = n.data.indexOf(c);
        if (i < 0) continue;
        const m = word.exec(n.data.slice(i));
        if (!m) return null;
        const r = document.createRange();
        const j = i + m.index;
        r.setStart(n, j);
        r.setEnd(n, j + p.length);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
      return null;
    },
    [context, part],
  );
}

/** Hovers a point and returns the card's fields once the card shows `text`. */
async function cardAt(point, text) {
  // Away first: a card already shown may cover the point.
  await feed.mouse.move(2, 2);
  await waitFor(async () => (await probe(browser.sw, feedTab))[0]?.cardShown === false, { message: 'no card' });
  await feed.mouse.move(point.x, point.y);
  return waitFor(
    async () => {
      const c = (await tabView(browser.sw, feedTab)).card?.fields;
      return c?.text === text ? c : null;
    },
    { message: `the card of “${text}”` },
  );
}

/** The texts the tab highlights, from its content script (through the service worker). */
async function highlighted() {
  return (await probe(browser.sw, feedTab, { detail: true }))[0]?.texts ?? [];
}

/** Writes a copy of the model file with other thresholds (same weights; header and checksum rewritten). @param {Record<string, number>} thresholds */
async function modelWithThresholds(thresholds) {
  const bytes = await readFile(MODEL);
  const hlen = bytes.readUInt32LE(10);
  const header = JSON.parse(bytes.subarray(14, 14 + hlen).toString('utf8'));
  for (const [script, t] of Object.entries(thresholds)) header.calibration[script].threshold = t;
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const body = Buffer.concat([bytes.subarray(0, 10), len, json, bytes.subarray(14 + hlen, bytes.length - 32)]);
  const file = path.join(tmp, `model-${Object.values(thresholds).join('-') || 'default'}.flm`);
  await writeFile(file, Buffer.concat([body, createHash('sha256').update(body).digest()]));
  return file;
}

test('propaganda gets model highlights and a card listing its words; news quoting the same group does not; the extension agrees with the CLI', async () => {
  const cli = await cliModel();
  // The fixture's premise, checked against the model as it is today.
  for (const start of [PROPAGANDA, BOTH]) assert.ok(verdict(cli, start), `the CLI's model fires on “${start}…” (rewrite the fixture if a retrained model does not)`);
  for (const start of [NEWS, NEWS_RU, NEWS_AR]) assert.equal(verdict(cli, start), undefined, `the CLI's model does not fire on the news post “${start}…”`);
  const ext = await agrees(cli, 'the extension scores every post as the CLI does');
  assert.ok(ext.size >= 2);

  // The words are highlighted in the page (and the news post's are not there to be).
  const texts = await highlighted();
  const p = /** @type {any} */ (verdict(cli, PROPAGANDA));
  for (const [word] of p.words) assert.ok(texts.includes(word), `“${word}” highlighted: ${JSON.stringify(texts)}`);
  const kinds = (await tabView(browser.sw, feedTab)).findings.filter((f) => f.kind === 'model');
  assert.ok(kinds.every((f) => f.category === 'extremism' && f.rule === 'model'));

  // A model word's card: the model's line with every word and its weight,
  // and the post's pack findings.
  const [word] = p.words.find(([w]) => !/kuffar/i.test(w)) ?? p.words[0];
  const card = await cardAt(await centreOf(feed, PROPAGANDA, word) ?? { x: 0, y: 0 }, word);
  assert.equal(card.kind, 'model');
  assert.equal(card.model, expectedLine(p));
  assert.ok(card.shown.includes(card.model), card.shown);
  assert.match(card.pack, /^post-level model \S+ \S+$/);
  const packs = (await tabView(browser.sw, feedTab)).findings.filter((f) => f.kind !== 'model' && f.text === 'kuffar');
  if (packs.length) assert.match(card.also, new RegExp(`· ${packs[0].pack}/${packs[0].rule} · “kuffar”`), 'the pack finding of the same post');

  // A pack finding's card on a post the model also scored: its own lines, then the model's.
  const b = /** @type {any} */ (verdict(cli, BOTH));
  const pc = await cardAt(await centreOf(feed, 'lions of the caliphate', 'of') ?? { x: 0, y: 0 }, 'lions of the caliphate');
  assert.equal(pc.kind, 'keyword');
  assert.equal(pc.model, expectedLine(b));
  assert.ok(pc.also.split('\n').includes(expectedLine(b)), pc.also);
  await feed.mouse.move(2, 2);
});

test('Posts by risk: a post with both signals ranks above one with a low mention; mentions are collapsed; a click scrolls; updates keep the posts\' elements', async () => {
  const panel = await openExtensionPage(browser, `panel/panel.html?tab=${feedTab}`);
  const errors = trackErrors(panel);
  await panel.locator('#view-posts').click();
  await panel.waitForSelector('#posts li.post');
  const posts = () =>
    panel.evaluate(() =>
      [...document.querySelectorAll('#posts li.post')].map((li) => ({
        text: li.querySelector('.snippet')?.textContent ?? '',
        lines: [...li.querySelectorAll('.reason')].map((r) => r.textContent),
        collapsed: !!li.closest('details.mentions'),
      })),
    );
  const shown = await waitFor(async () => {
    const l = await posts();
    return l.some((x) => x.text.startsWith(BOTH)) ? l : null;
  });
  // Mentions wait, collapsed, under their count; opened, they follow the rest.
  const mentions = panel.locator('details.mentions');
  assert.equal(await mentions.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false, 'collapsed by default');
  assert.ok(!shown.some((x) => x.text.startsWith(NEWS)), 'the news post is not in the open list');
  assert.match((await mentions.locator('summary').textContent()) ?? '', /^\d+ posts? with low-severity mentions only$/);
  await mentions.locator('summary').click();
  const list = await waitFor(async () => {
    const l = await posts();
    return l.some((x) => x.text.startsWith(NEWS)) ? l : null;
  });
  const at = (/** @type {string} */ start) => list.findIndex((x) => x.text.startsWith(start));
  assert.ok(at(BOTH) >= 0 && at(NEWS) >= 0, JSON.stringify(list.map((x) => x.text.slice(0, 30))));
  assert.ok(at(BOTH) < at(NEWS), 'both signals above a low mention');
  assert.equal(list[at(NEWS)].collapsed, true, 'the mention is in the collapsed part');
  assert.equal(list[at(BOTH)].collapsed, false);
  const both = list[at(BOTH)];
  const cli = await cliModel();
  assert.ok(both.lines.includes(expectedLine(/** @type {any} */ (verdict(cli, BOTH)))), JSON.stringify(both.lines));
  assert.ok(both.lines.some((l) => l.includes('extremism-en/glorify-attacks')), JSON.stringify(both.lines));
  assert.ok(list.filter((x) => !x.collapsed).every((x, i, a) => i === 0 || x.text !== a[i - 1].text), 'one entry per post');

  // A click scrolls the page to the post's strongest reason.
  await panel.locator('#posts li.post', { hasText: BOTH }).locator('button').click();
  const cursor = await waitFor(async () => (await tabView(browser.sw, feedTab)).cursor);
  const mine = (await tabView(browser.sw, feedTab)).findings.filter((f) => ['lions', 'caliphate', 'kuffar', 'brothers', 'Allah', 'lions of the caliphate'].includes(f.text));
  assert.ok(mine.some((f) => f.text === cursor.text), `moved to ${cursor.text}`);

  // A new post scrolls in: it is added, and every other post keeps its element.
  await panel.evaluate(() => {
    for (const li of document.querySelectorAll('#posts li.post')) /** @type {any} */ (li).keptAcrossUpdates = true;
  });
  await feed.evaluate(() => {
    const a = document.createElement('article');
    const p = document.createElement('p');
    p.textContent = 'Later that day the ministry named the Islamic State suspects in a statement to the press.';
    a.append(p);
    document.querySelector('main')?.append(a);
  });
  const after = await waitFor(async () => {
    const n = await panel.evaluate(() => [...document.querySelectorAll('#posts li.post')].map((li) => [li.querySelector('.snippet')?.textContent ?? '', !!(/** @type {any} */ (li).keptAcrossUpdates)]));
    return n.some(([t]) => t.startsWith('Later that day')) ? n : null;
  }, { message: 'the new post listed' });
  const fresh = after.filter(([, kept]) => !kept).map(([t]) => t);
  assert.deepEqual(fresh.map((t) => t.slice(0, 14)), ['Later that day'], 'only the new post was built');
  assert.equal(after.length, list.length + 1);
  // Away and back: the view is built again, each post once.
  await panel.locator('#view-groups').click();
  await panel.locator('#view-posts').click();
  await panel.locator('details.mentions summary').click();
  const again = await waitFor(async () => {
    const keys = await panel.evaluate(() => [...document.querySelectorAll('#posts li.post')].map((li) => /** @type {HTMLElement} */ (li).dataset.post));
    return keys.length === after.length ? keys : null;
  }, { message: 'the posts view shown again' });
  assert.equal(new Set(again).size, again.length, 'no post twice');
  // The feed as the fixture has it again, for the tests after this one.
  await feed.evaluate(() => document.querySelector('main')?.lastElementChild?.remove());
  await waitFor(async () => (await panel.locator('#posts li.post', { hasText: 'Later that day' }).count()) === 0, { message: 'the new post gone' });
  assert.deepEqual(errors, []);
  await panel.close();
});

test('options page: the model off takes its highlights out of the open tab without a reload, on brings them back, and sensitivity applies', async () => {
  const options = await openExtensionPage(browser, 'options/options.html');
  const errors = trackErrors(options);
  await options.waitForSelector('html[data-ready="1"]');
  const file = await options.locator('#model-file').textContent();
  const info = await browser.sw.evaluate(async () => (await globalThis.flaglight.engine()).modelFile);
  assert.ok(file?.includes(info.name) && file.includes(info.version), file ?? '');
  assert.equal(await options.locator('#model-error').isHidden(), true);
  await feed.evaluate(() => {
    /** @type {any} */ (window).stillTheSamePage = true;
  });
  const cli = await cliModel();
  const word = /** @type {any} */ (verdict(cli, PROPAGANDA)).words.find(([w]) => !/kuffar/i.test(w))[0];

  await options.locator('#model-enabled').uncheck();
  await waitFor(async () => (await extensionModel()).size === 0 && !(await highlighted()).includes(word), { message: 'model highlights gone' });
  assert.ok((await highlighted()).includes('lions of the caliphate'), 'the packs still highlight');
  assert.equal(await options.locator('#model-sensitivity').evaluate((f) => /** @type {HTMLFieldSetElement} */ (f).disabled), true);
  assert.equal(await feed.evaluate(() => /** @type {any} */ (window).stillTheSamePage), true, 'no reload');

  await options.locator('#model-enabled').check();
  await agrees(cli, 'model highlights back', word);

  // Sensitivity: each end of the English slider against the CLI at the
  // threshold the options page chose; at least one must change what is found.
  let changed = 0;
  for (const level of ['4', '0']) {
    await options.locator('#sens-latin').fill(level);
    await options.waitForFunction(() => /Applied/.test(document.getElementById('model-status')?.textContent ?? ''));
    const state = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'modelState' }));
    const t = state.settings.thresholds.latin;
    assert.ok(typeof t === 'number' && t !== state.model.thresholds.latin[1], JSON.stringify(state));
    assert.equal(state.model.thresholds.latin[0], t, 'the engine uses it');
    const want = await cliModel(await modelWithThresholds({ latin: t }));
    await agrees(want, `the tab agrees with the CLI at threshold ${t}`);
    if (want.size !== cli.size) changed += 1;
    assert.match(await options.locator('#sens-latin-value').textContent() ?? '', level === '4' ? /^Fewest false alarms/ : /^Most findings/);
  }
  assert.ok(changed > 0, 'the fixture has a post between the steps (rewrite it if a retrained model moved them all)');
  await options.locator('#model-reset').click();
  await options.waitForFunction(() => /Applied/.test(document.getElementById('model-status')?.textContent ?? '') && /** @type {HTMLInputElement} */ (document.getElementById('sens-latin')).value === '2');
  await agrees(cli, "back to the model's own thresholds");
  assert.deepEqual((await options.evaluate(() => chrome.storage.local.get('modelSettings'))).modelSettings, { enabled: true, thresholds: {} });
  assert.equal(await feed.evaluate(() => /** @type {any} */ (window).stillTheSamePage), true, 'no reload');

  // A forged request is refused by the protocol; nothing changes.
  const forged = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'modelSet', enabled: true, thresholds: { latin: 7 } }));
  assert.match(forged.error, /invalid thresholds/);
  assert.deepEqual(errors, []);
  await options.close();
});

test('a corrupted model file: the packs still highlight, and the options page says why the model is not in use', async () => {
  const ext = path.join(tmp, 'chrome');
  await cp(path.join(ROOT, 'dist', 'chrome'), ext, { recursive: true });
  const file = path.join(ext, 'models', 'extremism.flm');
  const bytes = await readFile(file);
  bytes[bytes.length >> 1] ^= 0x5a;
  await writeFile(file, bytes);
  const b = await launch({ extension: ext, model: true });
  try {
    await routeHost(b.context, 'https://vk.com', server.base);
    const page = await b.context.newPage();
    await page.goto(URL_);
    const tabId = await tabIdFor(b.sw, URL_);
    const v = await settle(b.sw, tabId, { min: 5 });
    assert.ok(v.findings.some((f) => f.text === 'lions of the caliphate'), 'pack findings');
    assert.equal(v.findings.filter((f) => f.kind === 'model').length, 0, 'no model findings');
    const options = await openExtensionPage(b, 'options/options.html');
    await options.waitForSelector('html[data-ready="1"]');
    const alert = options.locator('#model-error');
    await alert.waitFor({ state: 'visible' });
    assert.match((await alert.textContent()) ?? '', /^The model file was refused, so only the rule packs are in use: model file: the SHA-256 .* does not match/);
    assert.equal(await options.locator('#model-sensitivity').evaluate((f) => /** @type {HTMLFieldSetElement} */ (f).disabled), true);
  } finally {
    await b.close();
  }
});
