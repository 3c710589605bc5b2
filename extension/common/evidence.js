// Reviewer flags as evidence: the flag record, W3C Web Annotation JSON-LD
// (export and import), CSV, and the self-contained HTML evidence report.
//
// Everything here is pure (no extension APIs), so it runs in the background,
// in extension pages and in Node tests alike. The HTML report is written for
// people, in the UI language (common/i18n.js; Node tests install a messages
// table); its times stay ISO 8601 and its numbers plain, as in the machine
// exports, whose field names (CSV columns, JSON-LD) are English always.

import { categoryName, kindName, plural, severityName, t, uiDir, uiLanguage } from './i18n.js';

/**
 * A reviewer's flag on a passage of a page.
 * @typedef {object} Flag
 * @property {string} id          random UUID
 * @property {string} url         page URL, normalised (see url.js)
 * @property {string} title       page title when flagged
 * @property {string} created     ISO 8601
 * @property {string} modified    ISO 8601
 * @property {string} category
 * @property {string} severity    low | medium | high | critical
 * @property {string} note
 * @property {{exact: string, prefix: string, suffix: string}} quote   TextQuoteSelector
 * @property {import('./anchoring.js').Position} position   UTF-16 offsets; in code points (codePoints) for the TextPositionSelector
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const GENERATOR = { id: 'https://github.com/flaglight/flaglight', type: 'Software', name: 'flaglight' };
const SEVERITY_TAG = 'severity:';

/** Hex SHA-256 of a string's UTF-8 bytes. @param {string} text */
export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One flag as a W3C Web Annotation. The TextPositionSelector counts Unicode
 * code points (Web Annotation Data Model 4.2.1), while flags count UTF-16
 * units inside the extension as the DOM does: it carries the code-point
 * offsets recorded with the flag. A flag made before they were recorded has
 * only its TextQuoteSelector (its UTF-16 offsets would be off by one per
 * astral character before the passage, and there is no text left to count).
 * @param {Flag} f
 */
export function toAnnotation(f) {
  const cp = f.position.codePoints;
  return {
    id: `urn:uuid:${f.id}`,
    type: 'Annotation',
    motivation: 'assessing',
    created: f.created,
    modified: f.modified,
    body: [
      { type: 'TextualBody', purpose: 'classifying', value: f.category },
      { type: 'TextualBody', purpose: 'tagging', value: SEVERITY_TAG + f.severity },
      { type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: f.note },
    ],
    target: {
      source: f.url,
      ...(f.title ? { title: f.title } : {}),
      selector: [
        { type: 'TextQuoteSelector', exact: f.quote.exact, prefix: f.quote.prefix, suffix: f.quote.suffix },
        ...(cp ? [{ type: 'TextPositionSelector', start: cp.start, end: cp.end }] : []),
      ],
    },
  };
}

/**
 * Flags as a W3C Web Annotation AnnotationCollection (JSON-LD). The output
 * depends only on the flags (the collection's time is the latest change and
 * its id is derived from the items), so export -> import -> export is
 * identical. The one page of annotations is embedded with its own IRI
 * (Data Model 5.2: an AnnotationPage MUST have one); with no flags the
 * collection has no page at all (a page MUST have items, and `total` says 0).
 * @param {Flag[]} flags
 * @param {string} label
 */
export async function toJsonLd(flags, label = 'flaglight flags') {
  const sorted = [...flags].sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
  const items = sorted.map(toAnnotation);
  const generated = sorted.reduce((m, f) => (f.modified > m ? f.modified : m), '1970-01-01T00:00:00.000Z');
  const id = `urn:sha256:${await sha256Hex(JSON.stringify([label, items]))}`;
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id,
    type: 'AnnotationCollection',
    label,
    generator: GENERATOR,
    generated,
    total: items.length,
    ...(items.length ? { first: { id: `${id}#page-1`, type: 'AnnotationPage', partOf: id, startIndex: 0, items } } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Reads flags back from JSON-LD (an AnnotationCollection, an AnnotationPage,
 * one Annotation or an array of them). Invalid annotations are reported with
 * their index, never half-imported.
 * @param {unknown} doc
 * @returns {{flags: Flag[], errors: string[]}}
 */
export function fromJsonLd(doc) {
  const errors = [];
  /** @type {any[]} */
  let items;
  const d = /** @type {any} */ (doc);
  if (Array.isArray(d)) items = d;
  else if (d && d.type === 'AnnotationCollection') items = d.first === undefined ? [] : d.first?.items;
  else if (d && d.type === 'AnnotationPage') items = d.items ?? [];
  else if (d && d.type === 'Annotation') items = [d];
  else return { flags: [], errors: ['not a W3C Web Annotation document (AnnotationCollection, AnnotationPage or Annotation)'] };
  if (!Array.isArray(items)) return { flags: [], errors: ['items is not an array'] };
  const flags = [];
  items.forEach((a, i) => {
    const where = `items[${i}]`;
    const fail = (why) => errors.push(`${where}: ${why}`);
    if (!a || a.type !== 'Annotation') return fail('not an Annotation');
    const id = typeof a.id === 'string' ? a.id.replace(/^urn:uuid:/, '') : '';
    if (!UUID.test(id)) return fail('id is not a urn:uuid');
    if (!ISO.test(a.created ?? '') || !ISO.test(a.modified ?? a.created ?? '')) return fail('created/modified are not ISO 8601 UTC times');
    const bodies = Array.isArray(a.body) ? a.body : a.body ? [a.body] : [];
    const text = (purpose) => bodies.find((b) => b && b.purpose === purpose && typeof b.value === 'string')?.value;
    const category = text('classifying');
    const tag = bodies.find((b) => b?.purpose === 'tagging' && typeof b.value === 'string' && b.value.startsWith(SEVERITY_TAG))?.value;
    const severity = tag ? tag.slice(SEVERITY_TAG.length) : undefined;
    const note = text('commenting') ?? '';
    if (!category || !/^[a-z0-9._-]{1,64}$/.test(category)) return fail('missing or invalid category (a classifying body)');
    if (!SEVERITIES.includes(severity ?? '')) return fail('missing or invalid severity (a tagging body "severity:...")');
    const target = a.target;
    if (!target || typeof target.source !== 'string') return fail('target.source is missing');
    try {
      new URL(target.source);
    } catch {
      return fail('target.source is not a URL');
    }
    const selectors = Array.isArray(target.selector) ? target.selector : target.selector ? [target.selector] : [];
    const q = selectors.find((s) => s?.type === 'TextQuoteSelector');
    const p = selectors.find((s) => s?.type === 'TextPositionSelector');
    if (!q || typeof q.exact !== 'string' || !q.exact) return fail('no TextQuoteSelector with an exact quote');
    if (p && !(Number.isInteger(p.start) && Number.isInteger(p.end) && p.start >= 0 && p.end >= p.start)) {
      return fail('invalid TextPositionSelector (start and end: code points, start <= end)');
    }
    flags.push({
      id: id.toLowerCase(),
      url: target.source,
      title: typeof target.title === 'string' ? target.title : '',
      created: a.created,
      modified: a.modified ?? a.created,
      category,
      severity,
      note: String(note),
      quote: { exact: q.exact, prefix: typeof q.prefix === 'string' ? q.prefix : '', suffix: typeof q.suffix === 'string' ? q.suffix : '' },
      position: importedPosition(q.exact, p),
    });
  });
  return { flags, errors };
}

/**
 * An imported passage's position. The annotation counts code points; the
 * UTF-16 offsets inside the extension are a guess until the page's text is
 * at hand (anchoring.js converts the code points then): the same number,
 * which is exact when no astral character precedes the passage. Without a
 * TextPositionSelector the quote alone anchors the flag.
 * @param {string} exact
 * @param {{start: number, end: number}|undefined} p
 * @returns {import('./anchoring.js').Position}
 */
function importedPosition(exact, p) {
  if (!p) return { start: 0, end: exact.length };
  return { start: p.start, end: p.start + exact.length, codePoints: { start: p.start, end: p.end } };
}

/** CSV column order. */
export const CSV_COLUMNS = [
  'id', 'url', 'title', 'created', 'modified', 'category', 'severity', 'note',
  'quote', 'prefix', 'suffix', 'start', 'end', 'quote_sha256', 'status',
];

/**
 * One CSV field (RFC 4180). A value that a spreadsheet would run as a
 * formula (= + - @ at the start) gets a leading apostrophe.
 * @param {unknown} v
 */
function csvField(v) {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Flags as CSV (header row first, CRLF line ends).
 * @param {Flag[]} flags
 * @param {Record<string, string>} [status]  flag id -> anchored | orphan
 */
export async function toCsv(flags, status = {}) {
  const rows = [CSV_COLUMNS.join(',')];
  for (const f of flags) {
    rows.push(
      [
        f.id, f.url, f.title, f.created, f.modified, f.category, f.severity, f.note,
        f.quote.exact, f.quote.prefix, f.quote.suffix, f.position.start, f.position.end,
        await sha256Hex(f.quote.exact), status[f.id] ?? '',
      ].map(csvField).join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** HTML-escapes text for the report. @param {unknown} v */
export function escapeHtml(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * @typedef {object} ReportFinding
 * @property {string} text
 * @property {string} category
 * @property {string} severity
 * @property {string} kind
 * @property {string} ruleId
 * @property {string} pack
 * @property {string|null} [checksum]
 */

/**
 * @typedef {object} ReportPage
 * @property {string} url
 * @property {string} title
 * @property {string} capturedAt          ISO 8601, or '' when the page was not captured
 * @property {string|null} pageText       the captured page text; null when not captured (the page was not open)
 * @property {Flag[]} flags
 * @property {ReportFinding[]} findings
 * @property {string|null} [screenshot]   data:image/png or jpeg URL
 * @property {Record<string,string>} [status]  flag id -> anchored | orphan | ...
 */

/**
 * One page's part of a report: what was captured, the flags, the findings.
 * Every piece of page text goes through escapeHtml.
 * @param {ReportPage} page
 * @param {number} level  heading level of the page's sections (2 or 3)
 */
async function pageSection(page, level) {
  const e = escapeHtml;
  const h = `h${level}`;
  const flagRows = [];
  for (const f of page.flags) {
    flagRows.push(`<tr>
<td class="sev sev-${e(f.severity)}">${e(severityName(f.severity))}</td><td>${e(categoryName(f.category))}</td>
<td><blockquote dir="auto"><span class="ctx">${e(f.quote.prefix)}</span><mark>${e(f.quote.exact)}</mark><span class="ctx">${e(f.quote.suffix)}</span></blockquote></td>
<td dir="auto">${e(f.note)}</td><td>${e(f.created)}</td><td>${e(page.status?.[f.id] ?? '')}</td><td><code>${e(await sha256Hex(f.quote.exact))}</code></td></tr>`);
  }
  const findingRows = page.findings.map(
    (f) => `<tr><td class="sev sev-${e(f.severity)}">${e(severityName(f.severity))}</td><td>${e(categoryName(f.category))}</td><td>${e(kindName(f.kind))}</td><td dir="auto"><mark>${e(f.text)}</mark></td><td>${e(f.pack)} / ${e(f.ruleId)}</td><td>${e(f.checksum ?? '')}</td></tr>`,
  );
  const shot =
    typeof page.screenshot === 'string' && /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(page.screenshot)
      ? `<${h}>${e(t('report_screenshot'))}</${h}><p><img alt="${e(t('report_screenshot_alt'))}" src="${page.screenshot}"></p>`
      : '';
  const captured =
    typeof page.pageText === 'string'
      ? `<dt>${e(t('report_captured'))}</dt><dd>${e(page.capturedAt)}</dd>
<dt>${e(t('report_text_hash', String(page.pageText.length)))}</dt><dd><code>${e(await sha256Hex(page.pageText))}</code></dd>`
      : `<dt>${e(t('report_captured'))}</dt><dd>${e(t('report_not_captured'))}</dd>`;
  const findings =
    typeof page.pageText === 'string'
      ? `<${h}>${e(t('report_findings', String(page.findings.length)))}</${h}>
<table><thead><tr>${th('report_col_severity', 'report_col_category', 'report_col_kind', 'report_col_text', 'report_col_rule', 'report_col_checksum')}</tr></thead>
<tbody>
${findingRows.join('\n')}
</tbody></table>`
      : '';
  return `<dl>
<dt>${e(t('report_page'))}</dt><dd dir="auto">${e(page.title)}</dd>
<dt>${e(t('report_url'))}</dt><dd dir="ltr">${e(page.url)}</dd>
${captured}
</dl>
<${h}>${e(t('report_flags', String(page.flags.length)))}</${h}>
<table><thead><tr>${th('report_col_severity', 'report_col_category', 'report_col_quote', 'report_col_note', 'report_col_flagged', 'report_col_status', 'report_col_quote_hash')}</tr></thead>
<tbody>
${flagRows.join('\n')}
</tbody></table>
${findings}
${shot}`;
}

/** Table header cells from message keys. @param {...string} keys */
function th(...keys) {
  return keys.map((k) => `<th>${escapeHtml(t(k))}</th>`).join('');
}

/**
 * A whole report document around its body. No script: the CSP forbids any,
 * and nothing in it is one.
 * @param {string} title  already escaped
 * @param {string} body
 */
function reportDocument(title, body) {
  return `<!doctype html>
<html lang="${escapeHtml(uiLanguage())}" dir="${uiDir()}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: start; }
th { background: #f2f2f2; }
blockquote { margin: 0; white-space: pre-wrap; }
.ctx { color: #777; }
mark { background: #ffe08a; }
code { font-size: 11px; word-break: break-all; }
.sev-critical { color: #b00000; font-weight: bold; } .sev-high { color: #c05000; } .sev-medium { color: #8a6d00; }
img { max-width: 100%; border: 1px solid #ccc; }
dt { font-weight: bold; } dd { margin: 0 0 .5em 0; word-break: break-all; }
blockquote, td { unicode-bidi: plaintext; }
section { border-top: 2px solid #999; margin-top: 2em; }
</style>
</head>
<body>
${body}
<p>${escapeHtml(t('report_footer'))}</p>
</body>
</html>
`;
}

/**
 * The self-contained HTML evidence report for one page. It contains no
 * script (its CSP forbids any), and every piece of page text is escaped.
 * @param {ReportPage} page
 */
export async function toHtmlReport(page) {
  const body = `<h1>${escapeHtml(t('report_heading'))}</h1>\n${await pageSection({ ...page, pageText: page.pageText ?? '' }, 2)}`;
  return reportDocument(escapeHtml(t('report_title_page', page.title || page.url)), body);
}

/**
 * One report for several pages (the reviewer's flags everywhere): a section
 * per page. Pages that were not open carry their flags only.
 * @param {{capturedAt: string, pages: ReportPage[]}} report
 */
export async function toHtmlReportAll(report) {
  const sections = [];
  for (const page of report.pages) {
    sections.push(`<section>\n<h2>${escapeHtml(page.title || page.url)}</h2>\n${await pageSection(page, 3)}\n</section>`);
  }
  const flags = report.pages.reduce((n, p) => n + p.flags.length, 0);
  const body = `<h1>${escapeHtml(t('report_heading_all', plural('report_pages', report.pages.length), plural('report_flag_count', flags)))}</h1>
<dl><dt>${escapeHtml(t('report_made'))}</dt><dd>${escapeHtml(report.capturedAt)}</dd></dl>
${sections.join('\n')}`;
  return reportDocument(escapeHtml(t('report_title_all')), body);
}
