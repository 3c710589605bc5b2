// The UI strings: every locale has exactly the English keys (plural
// messages: exactly the forms its language needs), the same placeholders,
// and every key the extension's code and pages use; the helper substitutes,
// picks plural forms and localized pack texts as the browser would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoryFromName, formatNumber, pickText, plural, pluralParts, t, uiDir, useMessages } from '../../extension/common/i18n.js';
import { localizeRules } from '../../extension/common/pack-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOCALES = path.join(ROOT, 'extension', '_locales');

/** @param {string} lang */
async function messages(lang) {
  return JSON.parse(await readFile(path.join(LOCALES, lang, 'messages.json'), 'utf8'));
}

const PLURAL_FORMS = /_(zero|one|two|few|many|other)$/;

/** Base keys of plural messages, and plain keys, of one locale. @param {Record<string, any>} m */
function shape(m) {
  const plain = new Set();
  /** @type {Map<string, Set<string>>} */
  const plurals = new Map();
  for (const k of Object.keys(m)) {
    const f = PLURAL_FORMS.exec(k);
    if (f && Object.keys(m).some((o) => o !== k && o.replace(PLURAL_FORMS, '') === k.replace(PLURAL_FORMS, '') && PLURAL_FORMS.test(o))) {
      const base = k.replace(PLURAL_FORMS, '');
      if (!plurals.has(base)) plurals.set(base, new Set());
      plurals.get(base)?.add(f[1]);
    } else plain.add(k);
  }
  return { plain, plurals };
}

/** Placeholder names a message uses. @param {{message: string}} e */
const used = (e) => [...e.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((x) => x[1].toLowerCase()).sort();

test('every locale has the English keys, the plural forms of its language and the same placeholders', async () => {
  const langs = (await readdir(LOCALES)).sort();
  assert.deepEqual(langs, ['ar', 'en', 'ru']);
  const en = await messages('en');
  const base = shape(en);
  for (const lang of langs) {
    const m = await messages(lang);
    const s = shape(m);
    assert.equal(m.locale?.message, lang, `${lang}: the "locale" message names the language`);
    assert.deepEqual([...s.plain].sort(), [...base.plain].sort(), `${lang}: plain keys`);
    assert.deepEqual([...s.plurals.keys()].sort(), [...base.plurals.keys()].sort(), `${lang}: plural keys`);
    const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
    for (const [key, have] of s.plurals) assert.deepEqual([...have].sort(), forms, `${lang}: ${key} has the forms ${forms.join(', ')}`);
    for (const [key, e] of Object.entries(m)) {
      assert.equal(typeof e.message, 'string', `${lang}: ${key}`);
      assert.ok(e.message.trim(), `${lang}: ${key} is empty`);
      const english = en[key] ?? en[`${key.replace(PLURAL_FORMS, '')}_other`];
      // A form may leave the count out ("نتيجتان", two), never add one English lacks.
      for (const p of used(e)) assert.ok(used(english).includes(p) || p === 'n', `${lang}: ${key} uses $${p}$, which English does not`);
      for (const p of used(e)) assert.ok(e.placeholders?.[p]?.content, `${lang}: ${key} defines $${p}$`);
      if (!PLURAL_FORMS.test(key)) assert.deepEqual(used(e), used(english), `${lang}: ${key} has the placeholders English has`);
    }
  }
});

test('every key the extension uses exists, and the manifest names only existing messages', async () => {
  const en = await messages('en');
  const keys = new Set(Object.keys(en).map((k) => k.replace(PLURAL_FORMS, '')));
  /** @type {string[]} */
  const files = [];
  const walk = async (/** @type {string} */ dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !['pkg', '_locales', 'packs'].includes(e.name)) await walk(p);
      // The helper itself only names keys in its documentation.
      else if (/\.(js|html|json)$/.test(e.name) && e.name !== 'i18n.js') files.push(p);
    }
  };
  await walk(path.join(ROOT, 'extension'));
  const missing = [];
  let seen = 0;
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    const found = [
      ...[...text.matchAll(/(?<![.\w])(?:t|tr|plural|pluralParts|has)\('([a-z0-9_]+)'/g)].map((x) => x[1]),
      ...[...text.matchAll(/data-i18n="([a-z0-9_]+)"/g)].map((x) => x[1]),
      ...[...text.matchAll(/data-i18n-attr="([^"]+)"/g)].flatMap((x) => x[1].split(/\s+/).map((p) => p.split(':')[1])),
      ...[...text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((x) => x[1]),
    ];
    seen += found.length;
    for (const k of found) if (!keys.has(k)) missing.push(`${path.relative(ROOT, f)}: ${k}`);
  }
  assert.ok(seen > 250, `found ${seen} uses`);
  assert.deepEqual(missing, []);
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'extension', 'manifest.json'), 'utf8'));
  assert.equal(manifest.default_locale, 'en');
  assert.match(manifest.name, /^__MSG_/);
  for (const c of Object.values(manifest.commands)) assert.match(/** @type {any} */ (c).description, /^__MSG_/);
});

test('placeholders, numbers and plural forms in Russian and Arabic', async () => {
  useMessages(await messages('ru'));
  try {
    assert.equal(t('popup_scan_failed', 'нет доступа'), 'Не удалось проверить страницу: нет доступа');
    assert.deepEqual([1, 2, 5, 11, 21, 22, 25, 101].map((n) => plural('panel_findings', n)), [
      '1 находка', '2 находки', '5 находок', '11 находок', '21 находка', '22 находки', '25 находок', '101 находка',
    ]);
    assert.equal(plural('flags_exported', 3, 'a.csv'), 'Экспортировано 3 отметки в a.csv.');
    assert.equal(formatNumber(12345), '12\u00a0345');
    assert.equal(uiDir(), 'ltr');
    assert.equal(categoryFromName('Экстремизм', []), 'extremism');
    assert.equal(categoryFromName('my-category', []), 'my-category');
  } finally {
    useMessages(null);
  }
  useMessages(await messages('ar'));
  try {
    assert.deepEqual([0, 1, 2, 3, 10, 11, 99, 100, 102].map((n) => plural('panel_findings', n)), [
      'لا نتائج', 'نتيجة واحدة', 'نتيجتان', '3 نتائج', '10 نتائج', '11 نتيجة', '99 نتيجة', '100 نتيجة', '102 نتيجة',
    ]);
    assert.equal(pluralParts('panel_findings', 2), null, 'the dual says the number in its word');
    assert.deepEqual(pluralParts('panel_findings', 5), ['', ' نتائج']);
    assert.equal(uiDir(), 'rtl');
    assert.equal(t('sites_auto_added', 'vk.com'), 'أصبح vk.com يُفحص تلقائيًا.');
  } finally {
    useMessages(null);
  }
});

test('a missing key shows as its name; $$ is a dollar sign', () => {
  useMessages({ locale: { message: 'en' }, price: { message: 'costs $$$N$', placeholders: { n: { content: '$1' } } } });
  try {
    assert.equal(t('price', '5'), 'costs $5');
    assert.equal(t('no_such_key'), 'no_such_key');
  } finally {
    useMessages(null);
  }
});

test('pack texts: a string, or per language with English as the fallback', () => {
  const text = { en: 'Calls to join', ru: 'Призывы вступить', ar: 'دعوات للانضمام' };
  assert.equal(pickText(text, 'ru'), 'Призывы вступить');
  assert.equal(pickText(text, 'ar'), 'دعوات للانضمام');
  assert.equal(pickText(text, 'de'), 'Calls to join');
  assert.equal(pickText({ en: 'English', 'pt-BR': 'Português' }, 'pt-BR'), 'Português');
  assert.equal(pickText('plain', 'ru'), 'plain');
  const pack = JSON.stringify({
    id: 'p',
    name: { en: 'Pack', ru: 'Набор', ar: 'حزمة' },
    rules: [
      { id: 'a', description: { en: 'A', ru: 'А' } },
      { id: 'b', description: 'plain B' },
    ],
  });
  const rules = [
    { id: 'a', pack: 'p', pack_name: 'Pack', description: 'A' },
    { id: 'b', pack: 'p', pack_name: 'Pack', description: 'plain B' },
    { id: 'c', pack: 'other', pack_name: 'Other', description: 'C' },
  ];
  const ru = localizeRules(rules, [{ json: pack }], 'ru');
  assert.deepEqual(ru.map((r) => [r.pack_name, r.description]), [['Набор', 'А'], ['Набор', 'plain B'], ['Other', 'C']]);
  const ar = localizeRules(rules, [{ json: pack }], 'ar');
  assert.deepEqual(ar.map((r) => [r.pack_name, r.description]), [['حزمة', 'A'], ['حزمة', 'plain B'], ['Other', 'C']]);
  assert.equal(localizeRules(rules, [{ json: pack }], 'en'), rules, 'English needs no reading');
});

test('exports: the HTML report speaks the UI language; CSV and JSON-LD stay machine formats', async () => {
  const { toCsv, toHtmlReport, toJsonLd, CSV_COLUMNS } = await import('../../extension/common/evidence.js');
  const flag = {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    url: 'https://vk.com/wall-1_2',
    title: 'Стена',
    created: '2026-11-29T10:00:00.000Z',
    modified: '2026-11-29T10:00:00.000Z',
    category: 'donation',
    severity: 'high',
    note: 'карта рядом с призывом',
    quote: { exact: 'переведите на карту', prefix: '', suffix: '' },
    position: { start: 1, end: 20 },
  };
  const page = { url: flag.url, title: flag.title, capturedAt: '2026-11-29T10:05:00.000Z', pageText: 'x'.repeat(12345), flags: [flag], findings: [] };
  const english = { csv: await toCsv([flag]), jsonld: JSON.stringify(await toJsonLd([flag])) };
  for (const lang of ['ru', 'ar']) {
    const m = await messages(lang);
    useMessages(m);
    try {
      const html = await toHtmlReport(page);
      assert.match(html, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`));
      assert.ok(html.includes(`<h1>${m.report_heading.message}</h1>`));
      assert.ok(html.includes(`<th>${m.report_col_severity.message}</th>`));
      assert.ok(html.includes(m.severity_high.message) && html.includes(m.category_donation.message));
      // Times ISO 8601, counts plain numbers, whatever the language.
      assert.ok(html.includes('2026-11-29T10:05:00.000Z') && html.includes('12345'), 'machine formats in the report');
      assert.equal(await toCsv([flag]), english.csv, 'CSV: English columns and ids');
      assert.equal((await toCsv([flag])).split('\r\n')[0], CSV_COLUMNS.join(','));
      assert.equal(JSON.stringify(await toJsonLd([flag])), english.jsonld, 'JSON-LD: the same in every language');
    } finally {
      useMessages(null);
    }
  }
});
