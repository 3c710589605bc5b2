// The sightings exports (CSV, STIX 2.1, MISP), made in the extension page
// that asks for them (panel) from the store read directly, never sent
// anywhere: the file is saved through the browser's download.

import { csvRows } from './csv.js';
import { mispEvent } from './misp.js';
import { SENSITIVE } from './sighting-items.js';
import { stixBundle } from './stix.js';

export const CSV_COLUMNS = [
  'type', 'kind', 'value', 'masked', 'detail', 'watched', 'item_first_seen', 'item_last_seen', 'item_count', 'item_sites',
  'page', 'page_title', 'host', 'network', 'first_seen', 'last_seen', 'count', 'rule', 'category', 'severity', 'checksum',
];

/**
 * Sightings as CSV: one row per item and page (and one per item for its
 * compacted day counts, with no page). Times ISO 8601; cards and IBANs
 * masked unless their clear values are given.
 * @param {import('./stix.js').ExportData} d
 */
export function sightingsCsv(d) {
  /** @type {Map<string, any[]>} */
  const byItem = new Map();
  for (const s of d.sightings) {
    const l = byItem.get(s.item) ?? [];
    l.push(s);
    byItem.set(s.item, l);
  }
  const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();
  const rows = [CSV_COLUMNS];
  for (const item of d.items) {
    const clear = SENSITIVE.has(item.kind) ? d.clear.get(item.key) : undefined;
    const head = [
      item.type,
      item.kind,
      clear ?? item.label,
      SENSITIVE.has(item.kind) && !clear ? 'yes' : 'no',
      item.detail ?? '',
      d.watch.has(item.key) ? 'yes' : 'no',
      iso(item.first),
      iso(item.last),
      item.count,
      item.hosts.length + (item.moreHosts ?? 0),
    ];
    for (const s of (byItem.get(item.key) ?? []).sort((a, b) => a.first - b.first)) {
      const f = s.finding;
      rows.push([...head, s.page, s.title, s.host, s.network, iso(s.first), iso(s.last), s.count, f ? `${f.pack}/${f.rule}` : '', f?.category ?? '', f?.severity ?? '', f?.checksum ?? '']);
    }
    for (const [day, x] of Object.entries(item.days ?? {}).sort()) {
      rows.push([...head, '', 'compacted', x.h.join(' '), '', `${day}T00:00:00.000Z`, `${day}T23:59:59.999Z`, x.n, '', '', '', '']);
    }
  }
  return csvRows(rows);
}

/**
 * @param {'csv'|'stix'|'misp'} format
 * @param {import('./stix.js').ExportData} d
 * @returns {Promise<{name: string, mime: string, text: string}>}
 */
export async function exportFile(format, d) {
  const stamp = new Date(d.now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (format === 'csv') return { name: `flaglight-sightings-${stamp}.csv`, mime: 'text/csv', text: sightingsCsv(d) };
  if (format === 'stix') return { name: `flaglight-sightings-${stamp}.stix.json`, mime: 'application/json', text: JSON.stringify(await stixBundle(d)) };
  return { name: `flaglight-sightings-${stamp}.misp.json`, mime: 'application/json', text: JSON.stringify(await mispEvent(d), null, 1) };
}
