// CSV (RFC 4180) for the sightings exports and the watch-list import: CRLF
// line ends, fields quoted when they hold a comma, quote or line break, and
// a field a spreadsheet would run as a formula (= + - @, tab, CR) prefixed
// with an apostrophe, as the flags' CSV does (common/evidence.js). The
// reader is small and strict enough for lists people paste or export from a
// spreadsheet; it has no dependencies, so every context can load it.

/** @param {unknown} v */
export function csvField(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** @param {unknown[][]} rows */
export function csvRows(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Reads CSV into rows of fields. Quoted fields may hold commas, quotes ("")
 * and line breaks; a line with an unclosed quote runs to the end.
 * @param {string} text
 * @returns {string[][]}
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}
