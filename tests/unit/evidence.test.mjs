import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJsonLd, fromJsonLd, toCsv, toHtmlReport, sha256Hex, CSV_COLUMNS } from '../../extension/common/evidence.js';
import { parse as parseCsvRecords } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { useMessages } from '../../extension/common/i18n.js';

// The HTML report is written in the UI language: English here, as the browser would give it.
useMessages(JSON.parse(await readFile(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8')));

/** CSV read back with a standard RFC 4180 parser (csv-parse), strict about quotes. @param {string} text */
const parseCsv = (text) => parseCsvRecords(text, { relax_quotes: false, relax_column_count: false });

const flags = [
  {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    url: 'https://vk.com/wall-1_2',
    title: 'Стена <группы>',
    created: '2026-11-29T10:00:00.000Z',
    modified: '2026-11-29T10:05:00.000Z',
    category: 'donation',
    severity: 'high',
    note: 'Card number next to "help the brothers", see =SUM(A1)',
    quote: { exact: 'переведите на карту 4012 8888 8888 1881', prefix: 'Братья, ', suffix: ' до пятницы' },
    position: { start: 120, end: 159 },
  },
  {
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    url: 'https://x.com/a/status/1',
    title: '',
    created: '2026-11-28T09:00:00.000Z',
    modified: '2026-11-28T09:00:00.000Z',
    category: 'extremism',
    severity: 'critical',
    note: 'line one\nline two, with comma',
    quote: { exact: '<script>alert(1)</script> join the caliphate', prefix: '', suffix: '' },
    position: { start: 0, end: 44 },
  },
];

test('JSON-LD export -> import -> export is identical', async () => {
  const a = await toJsonLd(flags);
  assert.equal(a.type, 'AnnotationCollection');
  assert.equal(a.total, 2);
  assert.equal(a.first.items[0].target.selector[0].type, 'TextQuoteSelector');
  const back = fromJsonLd(JSON.parse(JSON.stringify(a)));
  assert.deepEqual(back.errors, []);
  const b = await toJsonLd(back.flags);
  assert.equal(JSON.stringify(b), JSON.stringify(a));
});

test('JSON-LD import reports invalid annotations by index and keeps the good ones', () => {
  const r = fromJsonLd({
    type: 'AnnotationPage',
    items: [
      { type: 'Annotation', id: 'urn:uuid:nope' },
      { type: 'Annotation', id: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e', created: '2026-01-01T00:00:00Z',
        body: [{ purpose: 'classifying', value: 'extremism' }, { purpose: 'tagging', value: 'severity:low' }],
        target: { source: 'https://vk.com/x', selector: [{ type: 'TextQuoteSelector', exact: 'abc' }, { type: 'TextPositionSelector', start: 1, end: 4 }] } },
    ],
  });
  assert.equal(r.flags.length, 1);
  assert.deepEqual(r.errors, ['items[0]: id is not a urn:uuid']);
  assert.ok(fromJsonLd({ hello: 1 }).errors[0].includes('not a W3C Web Annotation'));
});


test('CSV parses back with a standard parser and neutralises formulas', async () => {
  const csv = await toCsv(flags, { [flags[0].id]: 'anchored' });
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], CSV_COLUMNS);
  assert.equal(rows.length, 3);
  const r1 = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1][i]]));
  assert.equal(r1.quote, flags[0].quote.exact);
  assert.equal(r1.note, flags[0].note);
  assert.equal(r1.status, 'anchored');
  assert.equal(r1.quote_sha256, await sha256Hex(flags[0].quote.exact));
  const r2 = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[2][i]]));
  assert.equal(r2.note, 'line one\nline two, with comma');
  const evil = await toCsv([{ ...flags[0], note: '=HYPERLINK("http://x")' }]);
  assert.ok(parseCsv(evil)[1][7].startsWith("'="));
});

test('HTML report escapes page text and carries no script', async () => {
  const html = await toHtmlReport({
    url: 'https://x.com/a/status/1?q=<b>',
    title: '<img src=x onerror=alert(1)>',
    capturedAt: '2026-11-29T10:00:00.000Z',
    pageText: 'page text <script>alert(1)</script>',
    flags,
    findings: [{ text: '<script>x</script>', category: 'extremism', severity: 'high', kind: 'keyword', ruleId: 'r', pack: 'p', checksum: null }],
    screenshot: 'data:image/png;base64,iVBORw0KGgo=',
  });
  assert.ok(!/<script/i.test(html), 'no script element');
  assert.ok(!/onerror=/i.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), 'no live handler');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; join the caliphate'));
  assert.ok(html.includes(await sha256Hex('page text <script>alert(1)</script>')));
  assert.ok(html.includes("default-src 'none'"));
  assert.ok(html.includes('<img alt="Screenshot'));
  const noShot = await toHtmlReport({ url: 'https://a.b/', title: '', capturedAt: '', pageText: '', flags: [], findings: [], screenshot: 'javascript:alert(1)' });
  assert.ok(!noShot.includes('javascript:'));
});
