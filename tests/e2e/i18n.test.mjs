// The moderator's own language (issue 16): Chromium started with --lang=ru
// and --lang=ar (and en, the reference) shows the popup, the panel, the
// options page, the hover card and the flag form in that language; Arabic
// lays them out right to left while page text and snippets keep their own
// direction; counts take the plural form of the language; no English word is
// left in the UI (every Latin word on the extension's pages must be data,
// marked translate="no", or a word the locale's own messages use). Screenshots
// of the panel, the options page, the card and the form are kept in
// test-output/i18n/ (git-ignored) for a look.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, ROOT, STRICT_CSP, launch, openExtensionPage, probe, rectOfText, routeHost, serve, settle, tabIdFor, tabView, waitFor } from './harness.mjs';

const URL_ = 'https://vk.com/i18n.html';
const SHOTS = path.join(ROOT, 'test-output', 'i18n');

let server;

before(async () => {
  server = await serve(FIXTURES, { csp: STRICT_CSP });
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** @param {string} lang */
async function messages(lang) {
  return JSON.parse(await readFile(path.join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
}

/**
 * A message as the browser gives it: placeholders filled in order.
 * @param {Record<string, any>} m
 * @param {string} key
 * @param {...string} subs
 */
function msg(m, key, ...subs) {
  const e = m[key];
  assert.ok(e, `message ${key}`);
  return e.message.replace(/\$([A-Z0-9_]+)\$/gi, (/** @type {string} */ _, /** @type {string} */ name) => {
    const c = e.placeholders?.[name.toLowerCase()]?.content ?? '';
    return c.replace(/\$(\d)/g, (/** @type {string} */ __, /** @type {string} */ d) => subs[Number(d) - 1] ?? '');
  });
}

/** The plural form of a count, chosen here with Node's Intl (not the extension's code). */
function pluralMsg(m, lang, key, n, ...more) {
  return msg(m, `${key}_${new Intl.PluralRules(lang).select(n)}`, String(n), ...more);
}

/**
 * Latin words the locale's own texts use: its messages (product names,
 * formats) and the built-in packs' names and descriptions in that language
 * (group names such as ISIS): allowed on its pages.
 * @param {Record<string, any>} m
 * @param {string} lang
 */
async function latinWords(m, lang) {
  const words = new Set();
  const add = (/** @type {unknown} */ text) => {
    for (const w of String(text ?? '').match(/[A-Za-z]{2,}/g) ?? []) words.add(w.toLowerCase());
  };
  for (const e of Object.values(m)) add(e.message);
  const pick = (/** @type {any} */ t) => (typeof t === 'string' ? t : t?.[lang]);
  const index = JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', 'index.json'), 'utf8'));
  for (const f of index.packs) {
    const p = JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', f), 'utf8'));
    add(pick(p.name));
    add(pick(p.description));
    for (const r of p.rules) add(pick(r.description));
  }
  return words;
}

/**
 * Latin words on an extension page that are neither data (inside
 * translate="no", code, a snippet, a text area) nor words of the locale's
 * messages: text that was not localized. Attributes people read (placeholder,
 * title, aria-label) and the document title count too.
 * @param {import('playwright-core').Page} page
 * @param {Set<string>} allowed
 */
async function untranslated(page, allowed) {
  if (allowed.has('english-reference')) return [];
  const found = await page.evaluate(() => {
    const DATA = 'script, style, code, textarea, [translate="no"], .snippet';
    const out = [];
    const w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest(DATA) || !n.data.trim()) continue;
      out.push(n.data);
    }
    for (const e of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (e.closest(DATA) || e.matches('input[dir="ltr"]')) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) if (e.getAttribute(a)) out.push(e.getAttribute(a));
    }
    out.push(document.title);
    return out;
  });
  const bad = [];
  for (const text of found) {
    for (const word of text.match(/[A-Za-z]{2,}/g) ?? []) if (!allowed.has(word.toLowerCase())) bad.push(`${word} (in "${text.trim().slice(0, 80)}")`);
  }
  return bad;
}

for (const lang of ['en', 'ru', 'ar']) {
  test(`${lang}: popup, panel, options page, card and flag form in the UI language`, async () => {
    const m = await messages(lang);
    const rtl = lang === 'ar';
    // English is the reference the others are compared with: its pages are not walked.
    const allowed = lang === 'en' ? new Set(['english-reference']) : await latinWords(m, lang);
    const browser = await launch({ lang });
    try {
      await routeHost(browser.context, 'https://vk.com', server.base);
      const page = await browser.context.newPage();
      await page.goto(URL_);
      const tabId = await tabIdFor(browser.sw, URL_);
      const v = await settle(browser.sw, tabId, { min: 4 });
      // The count the extension shows: a post's model words are one finding.
      const total = await browser.sw.evaluate((id) => globalThis.flaglight.tabCount(id), tabId);
      assert.ok(total > 0 && total <= v.findings.length);

      // The manifest's strings come from the same messages (the store listing, the shortcuts page).
      const info = await browser.sw.evaluate(() => ({
        name: chrome.runtime.getManifest().name,
        commands: chrome.commands.getAll(),
      }));
      assert.equal(info.name, msg(m, 'ext_name'));
      const commands = await browser.sw.evaluate(() => chrome.commands.getAll());
      assert.equal(commands.find((c) => c.name === 'next-finding')?.description, msg(m, 'cmd_next_finding'));

      // ---- popup: the count in the plural form of the language
      const popup = await openExtensionPage(browser, `popup/popup.html?tab=${tabId}`);
      await popup.waitForFunction((t) => document.getElementById('summary')?.textContent === t, pluralMsg(m, lang, 'popup_findings', total));
      assert.equal(await popup.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join()), `${lang},${rtl ? 'rtl' : 'ltr'}`);
      assert.equal(await popup.locator('#open-panel').textContent(), msg(m, 'popup_open_panel'));
      const counts = await popup.locator('#counts li').allTextContents();
      assert.ok(counts.some((c) => c.startsWith(msg(m, 'category_extremism'))), JSON.stringify(counts));
      assert.deepEqual(await untranslated(popup, allowed), [], 'popup: every word localized');
      await popup.close();

      // ---- the card, in the page: localized, in the UI's direction
      const rect = await rectOfText(page, 'ISIS');
      await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
      const card = await waitFor(async () => {
        const x = await tabView(browser.sw, tabId);
        return x.card?.fields.folded && x.card.fields.text === 'ISIS' ? x.card.fields : null;
      }, { message: 'the card' });
      await page.screenshot({ path: path.join(SHOTS, `card-${lang}.png`) });
      assert.equal(card.dir, rtl ? 'rtl' : 'ltr');
      const lines = card.shown.split('\n');
      assert.equal(lines[0], `${msg(m, 'category_extremism')}${msg(m, `severity_${card.severity}`)}`, 'heading: category and severity names');
      for (const k of ['card_rule', 'card_pack', 'card_matched', 'card_folded', 'card_kind']) {
        assert.ok(lines.some((l) => l.startsWith(`${msg(m, k)}: `)), `${k} in ${JSON.stringify(lines)}`);
      }
      assert.ok(lines.includes(`${msg(m, 'card_kind')}: ${msg(m, 'kind_keyword')}`), JSON.stringify(lines));
      // The rule's description from the built-in pack, in the UI language.
      const pack = JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', `${card.pack.startsWith('extremism-') ? '' : ''}${card.rule.split('/')[0]}.json`), 'utf8'));
      const rule = pack.rules.find((r) => r.id === card.rule.split('/')[1]);
      const want = typeof rule.description === 'string' ? rule.description : rule.description[lang] ?? rule.description.en;
      assert.equal(lines[1], want, 'the rule description in the UI language');
      // Away from the card (which, right to left, may sit at the left edge).
      await page.mouse.move(1200, 850);
      await waitFor(async () => (await probe(browser.sw, tabId))[0].cardShown === false, { message: 'the card hidden' });

      // ---- the flag form: select a passage, open the form by the command
      await page.evaluate(() => {
        const p = [...document.querySelectorAll('p')].find((x) => x.textContent?.includes('quiet post'));
        const r = document.createRange();
        r.selectNodeContents(/** @type {Node} */ (p));
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(r);
      });
      await browser.sw.evaluate((id) => globalThis.flaglight.flags.flagSelection(id), tabId);
      const form = await waitFor(async () => {
        const r = (await probe(browser.sw, tabId))[0];
        return r.flagForm === 'new' ? r : null;
      }, { message: 'the flag form' });
      await page.screenshot({ path: path.join(SHOTS, `form-${lang}.png`) });
      assert.equal(form.flagFormDir, rtl ? 'rtl' : 'ltr');
      const formText = form.flagFormText.split('\n');
      for (const k of ['form_title_new', 'form_category', 'form_severity', 'form_note', 'common_save', 'common_cancel', 'severity_critical']) {
        assert.ok(formText.includes(msg(m, k)), `${k} in ${JSON.stringify(formText)}`);
      }
      // The category field shows the built-in category by its name; saving stores its id.
      const shownCategory = JSON.parse(form.flagFormValues).category;
      assert.ok([msg(m, 'category_extremism'), msg(m, 'category_donation')].includes(shownCategory), shownCategory);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type('проверить / يُراجع / check');
      await page.keyboard.press('Control+Enter');
      await waitFor(async () => (await probe(browser.sw, tabId))[0].flagForm === 'none', { message: 'the flag saved' });
      const [flag] = await waitFor(() => browser.sw.evaluate(() => globalThis.flaglight.flags.store.all()).then((l) => (l.length ? l : null)), { message: 'the flag stored' });
      assert.ok(['extremism', 'donation'].includes(flag?.category), JSON.stringify(flag));

      // ---- the panel: headings, counts, direction, snippets in their own direction
      const panel = await openExtensionPage(browser, `panel/panel.html?tab=${tabId}`);
      await panel.setViewportSize({ width: 420, height: 900 });
      await panel.waitForFunction((n) => document.getElementById('total')?.textContent === n, String(total));
      await panel.waitForSelector('li.flag');
      const heading = await panel.locator('h1').textContent();
      assert.equal(heading, pluralMsg(m, lang, 'panel_findings', total), 'the count and its noun in the plural form');
      const h2 = await panel.locator('section h2').evaluateAll((hs) => hs.map((h) => h.firstChild?.textContent));
      assert.deepEqual(h2.sort(), [msg(m, 'category_donation'), msg(m, 'category_extremism')].sort());
      const h3 = await panel.locator('section h3').evaluateAll((hs) => hs.map((h) => h.firstChild?.textContent));
      for (const s of h3) assert.ok(['low', 'medium', 'high', 'critical'].some((k) => msg(m, `severity_${k}`) === s), s);
      assert.equal(await panel.locator('.flags > h2').evaluate((h) => h.firstChild?.textContent), msg(m, 'flags_heading'));
      const layout = await panel.evaluate(() => {
        const ul = /** @type {HTMLElement} */ (document.querySelector('section ul'));
        const cs = getComputedStyle(ul);
        const li = /** @type {HTMLElement} */ (document.querySelector('li.flag'));
        const [go, actions] = [/** @type {HTMLElement} */ (li.querySelector('.go')), /** @type {HTMLElement} */ (li.querySelector('.actions'))];
        const snippets = [...document.querySelectorAll('section .snippet')].map((s) => [s.textContent?.slice(0, 20), getComputedStyle(s).direction]);
        const h1 = /** @type {HTMLElement} */ (document.querySelector('h1')).getBoundingClientRect();
        const text = document.createRange();
        text.selectNodeContents(/** @type {Node} */ (document.querySelector('h1')));
        const t = text.getBoundingClientRect();
        return {
          dir: document.documentElement.dir,
          lang: document.documentElement.lang,
          stripe: [cs.borderLeftWidth, cs.borderRightWidth],
          firstColumn: go.getBoundingClientRect().left > actions.getBoundingClientRect().left ? 'right' : 'left',
          headingSide: t.right > h1.left + h1.width / 2 && t.left > h1.left + 20 ? 'right' : 'left',
          snippets,
        };
      });
      assert.equal(layout.lang, lang);
      assert.equal(layout.dir, rtl ? 'rtl' : 'ltr');
      assert.deepEqual(layout.stripe, rtl ? ['0px', '4px'] : ['4px', '0px'], 'the severity stripe on the start side');
      assert.equal(layout.firstColumn, rtl ? 'right' : 'left', "a flag's first column (the quote) on the start side");
      assert.equal(layout.headingSide, rtl ? 'right' : 'left', 'the heading starts on the start side');
      // Page text keeps its own direction whatever the UI's.
      const dirOf = (/** @type {string} */ start) => layout.snippets.find(([s]) => s?.includes(start))?.[1];
      assert.equal(dirOf('Morning digest'), 'ltr', JSON.stringify(layout.snippets));
      assert.equal(dirOf('Сводка'), 'ltr', JSON.stringify(layout.snippets));
      assert.equal(dirOf('تعليق'), 'rtl', JSON.stringify(layout.snippets));
      await panel.screenshot({ path: path.join(SHOTS, `panel-${lang}.png`), fullPage: true });
      assert.deepEqual(await untranslated(panel, allowed), [], 'panel: every word localized');
      await panel.close();

      // ---- counts of one and two: Arabic says them in words (no number element), Russian and English do not
      const one = await browser.context.newPage();
      await one.goto('https://vk.com/i18n-one.html');
      const oneTab = await tabIdFor(browser.sw, 'https://vk.com/i18n-one.html');
      await settle(browser.sw, oneTab, { min: 1 });
      const small = await openExtensionPage(browser, `panel/panel.html?tab=${oneTab}`);
      const headingFor = async (/** @type {number} */ n) => {
        await small.waitForFunction((k) => document.getElementById('total')?.textContent === k, String(n));
        return small.evaluate(() => ({ text: /** @type {HTMLElement} */ (document.querySelector('h1')).innerText, numberShown: !document.getElementById('total')?.hidden }));
      };
      const h1 = await headingFor(1);
      assert.equal(h1.text, pluralMsg(m, lang, 'panel_findings', 1));
      assert.equal(h1.numberShown, lang !== 'ar', 'Arabic: "نتيجة واحدة", the number in the word');
      await one.evaluate(() => {
        const p = document.createElement('p');
        p.textContent = 'Later: ISIS claimed it.';
        document.body.append(p);
      });
      const h2n = await headingFor(2);
      assert.equal(h2n.text, pluralMsg(m, lang, 'panel_findings', 2));
      if (lang === 'ar') assert.equal(h2n.text, 'نتيجتان', 'the dual');
      if (lang === 'ru') assert.equal(h2n.text, '2 находки');
      await small.close();
      await one.close();

      // A page's flags damaged by hand while the worker runs (found when read):
      // one value of the wrong type, one whose only flag a validator refuses (its reason is English data).
      await browser.sw.evaluate(async () => {
        await chrome.storage.local.set({ 'flags:https://vk.com/damaged-1': '[{"id": "a0b1', 'flags:https://vk.com/damaged-2': [{ id: 'not-an-id' }] });
        await globalThis.flaglight.flags.store.page('https://vk.com/damaged-1');
        await globalThis.flaglight.flags.store.page('https://vk.com/damaged-2');
      });

      // ---- the options page: every part localized; the table's first column on the start side
      const options = await openExtensionPage(browser, 'options/options.html');
      await options.waitForFunction(() => document.documentElement.dataset.ready === '1');
      await options.waitForSelector('#pack-rows tr');
      // ---- its Storage section: the damaged values in the UI language, data isolated
      await options.waitForSelector('#storage-problems tr[data-key="flags:https://vk.com/damaged-2"]');
      assert.equal(await options.locator('#storage-alert').isVisible(), true);
      const storageRows = await options.locator('#storage-problems tr').evaluateAll((rows) =>
        Object.fromEntries(rows.map((r) => [/** @type {HTMLElement} */ (r).dataset.key, { label: r.querySelector('.name')?.textContent, why: r.querySelector('.why')?.textContent, kept: r.querySelector('.kept')?.textContent, data: [...r.querySelectorAll('.why bdi[translate="no"]')].map((b) => b.textContent), dir: getComputedStyle(r).direction }])),
      );
      const wrongType = storageRows['flags:https://vk.com/damaged-1'];
      assert.equal(wrongType.label, msg(m, 'storage_kind_flags'));
      assert.equal(wrongType.why, msg(m, 'storage_why_type', msg(m, 'storage_type_list'), msg(m, 'storage_type_text')));
      assert.equal(wrongType.kept, msg(m, 'storage_kept_flags_none'));
      assert.equal(wrongType.dir, rtl ? 'rtl' : 'ltr');
      const refused = storageRows['flags:https://vk.com/damaged-2'];
      assert.equal(refused.data.length, 1, JSON.stringify(refused));
      assert.match(refused.data[0], /^invalid id/);
      // The sentence around the counts (written as the language writes numbers) and the data.
      const around = msg(m, 'storage_why_entries', '\u0000', '\u0000', refused.data[0]).split('\u0000');
      assert.ok(refused.why.startsWith(around[0]) && refused.why.endsWith(around[2]), `${refused.why} / ${around}`);
      await options.locator('#storage').screenshot({ path: path.join(SHOTS, `options-storage-${lang}.png`) });
      assert.equal(await options.locator('h1').textContent(), msg(m, 'options_title'));
      assert.equal(await options.locator('#packs-title').textContent(), msg(m, 'options_packs'));
      const names = await options.locator('#pack-rows .pack-name .name').allTextContents();
      const builtins = await Promise.all(
        JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', 'index.json'), 'utf8')).packs.map(async (/** @type {string} */ f) =>
          JSON.parse(await readFile(path.join(ROOT, 'extension', 'packs', f), 'utf8')).name,
        ),
      );
      for (const n of builtins) assert.ok(names.includes(typeof n === 'string' ? n : n[lang] ?? n.en), `${JSON.stringify(n)} in ${JSON.stringify(names)}`);
      const side = await options.evaluate(() => {
        const cells = [...document.querySelectorAll('#pack-rows tr:first-child td')];
        return cells[0].getBoundingClientRect().left > cells[cells.length - 1].getBoundingClientRect().left ? 'right' : 'left';
      });
      assert.equal(side, rtl ? 'right' : 'left', "the table's first column on the start side");
      await options.waitForFunction(() => document.getElementById('check-summary')?.textContent);
      await options.screenshot({ path: path.join(SHOTS, `options-${lang}.png`), fullPage: true });
      assert.deepEqual(await untranslated(options, allowed), [], 'options page: every word localized');
      await options.close();
      await page.close();
    } finally {
      await browser.close();
    }
  });
}
