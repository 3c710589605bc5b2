// The watch-list as text and CSV: what the moderator pastes or imports, and
// what an export writes (which the import reads back). A list is data: every
// line is read as an identifier, an account or a phrase, never run.
//
// One entry per line; "#" starts a comment (at the start of a line, or after
// two spaces). A line may name its kind ("btc:bc1q…", "telegram:@name",
// "vk:club123", "x:@name", "phrase:send to the brothers"); without one it is
// an account when it is an account's URL (vk.com/club123, t.me/name,
// https://x.com/name), an identifier when the engine finds exactly one
// identifier making up the whole line (a card number, a wallet, @name is a
// Telegram handle), and otherwise a phrase. Cards and IBANs are keyed by a
// hash of their value (sighting-items.js); an exported hash key
// ("card:h:…") imports back into the same profile.
//
// CSV: a header row with at least "value" (and optionally "kind", "label",
// "note"); every other row is an entry, read as a line "kind:value".

import { NETWORKS, accountOfUrl } from './accounts.js';
import { csvRows, parseCsv } from './csv.js';
import { ID_KINDS, SENSITIVE, accountItem, idItem, masked, phraseItem } from './sighting-items.js';

/** Most entries one import takes. */
export const MAX_ENTRIES = 50_000;

/** The page of an account key, to read it back through accounts.js. */
const ACCOUNT_URL = {
  vk: 'https://vk.com/',
  telegram: 'https://t.me/',
  x: 'https://x.com/',
  facebook: 'https://www.facebook.com/',
  reddit: 'https://www.reddit.com/',
  instagram: 'https://www.instagram.com/',
  youtube: 'https://www.youtube.com/',
  tiktok: 'https://www.tiktok.com/',
  ok: 'https://ok.ru/',
};

/**
 * @typedef {{key: string, type: string, kind: string, label: string, note: string, clear?: string}} Entry
 * @typedef {{idsIn: (text: string) => any[], hash: (s: string) => Promise<string>, checkPhrase: (p: string) => string|null}} Tools
 */

/**
 * An identifier making up the whole of `text`, of `kind` when given.
 * @param {string} text
 * @param {string|null} kind
 * @param {Tools} tools
 */
function wholeId(text, kind, tools) {
  const found = tools.idsIn(text);
  const m = found.find((x) => x.start === 0 && x.end === text.length && (!kind || x.kind === kind));
  return m ?? null;
}

/**
 * One line of a list as an entry, or why it is refused.
 * @param {string} line
 * @param {Tools} tools
 * @returns {Promise<Entry|{refused: string}|null>}  null: a blank or comment line
 */
export async function readLine(line, tools) {
  let text = line.replace(/\s{2,}#.*$/, '').trim();
  const comment = /\s{2,}#\s*(.+)$/.exec(line)?.[1]?.trim() ?? '';
  if (!text || text.startsWith('#')) return null;
  // A spreadsheet's formula guard, written by our own CSV export.
  if (/^'[=+\-@]/.test(text)) text = text.slice(1);
  const m = /^([a-z_]{1,20}):(.+)$/.exec(text);
  const kind = m && (ID_KINDS.includes(m[1]) || NETWORKS.includes(m[1]) || m[1] === 'phrase') ? m[1] : null;
  const value = kind ? /** @type {RegExpExecArray} */ (m)[2].trim() : text;
  if (kind === 'phrase') return phrase(value, tools);
  if (kind && SENSITIVE.has(kind) && /^h:[0-9a-f]{32}$/.test(value)) {
    // A hash key from an export of this profile; its comment is the masked label.
    return { key: `${kind}:${value}`, type: 'id', kind, label: /^•+ ?\S{1,4}$/.test(comment) ? comment : masked('????'), note: '' };
  }
  if (kind && ID_KINDS.includes(kind)) {
    // telegram:@name, telegram:name, telegram:t.me/name
    const v = kind === 'telegram' && /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(value) ? `@${value}` : value;
    const id = wholeId(v, kind, tools);
    if (!id) return { refused: 'not a valid identifier of that kind' };
    return fromId(id, tools);
  }
  if (kind) {
    const a = accountOfUrl(/^https?:\/\//.test(value) ? value : ACCOUNT_URL[kind] + value.replace(/^@(?=\w)/, kind === 'youtube' || kind === 'tiktok' ? '@' : ''));
    if (!a || a.network !== kind) return { refused: 'not an account of that network' };
    return { ...accountItem(a), note: '' };
  }
  // No kind given: an account's URL, then an identifier, then a phrase.
  const url = /^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}\/\S*$/i.test(text) ? (/^https?:\/\//i.test(text) ? text : `https://${text}`) : null;
  const a = url ? accountOfUrl(url) : null;
  if (a) return { ...accountItem(a), note: '' };
  const id = wholeId(text, null, tools);
  if (id) return fromId(id, tools);
  return phrase(text, tools);
}

/** @param {any} id @param {Tools} tools @returns {Promise<Entry>} */
async function fromId(id, tools) {
  const item = await idItem(id, tools.hash);
  return { key: item.key, type: item.type, kind: item.kind, label: item.label, note: '', ...(item.clear ? { clear: item.clear } : {}) };
}

/** @param {string} text @param {Tools} tools */
function phrase(text, tools) {
  const item = phraseItem(text);
  if (!item.label) return { refused: 'empty phrase' };
  const why = tools.checkPhrase(item.label);
  if (why) return { refused: why };
  return { key: item.key, type: 'phrase', kind: 'phrase', label: item.label, note: '' };
}

/**
 * Reads a pasted list or an imported file.
 * @param {string} text
 * @param {'text'|'csv'} format
 * @param {Tools} tools
 * @returns {Promise<{entries: Entry[], refused: {line: number, text: string, reason: string}[]}>}
 */
export async function parseWatchList(text, format, tools) {
  /** @type {{line: number, text: string}[]} */
  let lines;
  if (format === 'csv') {
    const rows = parseCsv(text);
    const head = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
    const vi = head.indexOf('value');
    const ki = head.indexOf('kind');
    const ni = head.indexOf('note');
    const li = head.indexOf('label');
    if (vi < 0) return { entries: [], refused: [{ line: 1, text: (rows[0] ?? []).join(',').slice(0, 200), reason: 'no "value" column' }] };
    lines = rows.slice(1).map((r, i) => {
      const v = (r[vi] ?? '').trim();
      const k = ki >= 0 ? (r[ki] ?? '').trim() : '';
      const label = li >= 0 ? (r[li] ?? '').trim() : '';
      const line = k && !v.startsWith(`${k}:`) ? `${k}:${v}` : v;
      // The label stands as the line's comment (a hash key's masked value).
      return { line: i + 2, text: label ? `${line}  # ${label}` : line, note: ni >= 0 ? (r[ni] ?? '') : '' };
    });
  } else {
    lines = text.split(/\r\n|\r|\n/).map((t, i) => ({ line: i + 1, text: t }));
  }
  /** @type {Map<string, Entry>} */
  const entries = new Map();
  const refused = [];
  for (const l of lines) {
    if (entries.size >= MAX_ENTRIES) {
      refused.push({ line: l.line, text: l.text.slice(0, 200), reason: `more than ${MAX_ENTRIES} entries` });
      break;
    }
    const e = await readLine(l.text, tools);
    if (!e) continue;
    if ('refused' in e) refused.push({ line: l.line, text: l.text.slice(0, 200), reason: e.refused });
    else if (!entries.has(e.key)) entries.set(e.key, { ...e, note: String(/** @type {any} */ (l).note ?? '').slice(0, 1000) });
  }
  return { entries: [...entries.values()], refused };
}

/**
 * One entry as a line the import reads back: a card or IBAN in clear only
 * when asked and known (this session), else its hash key and masked label.
 * @param {any} w
 * @param {Map<string, string>} clear
 */
function lineOf(w, clear) {
  if (w.type === 'phrase') return `phrase:${w.label}`;
  if (SENSITIVE.has(w.kind)) return clear.has(w.key) ? `${w.kind}:${clear.get(w.key)}` : `${w.key}  # ${w.label}`;
  return w.key;
}

/**
 * The watch-list as text.
 * @param {any[]} list
 * @param {Map<string, string>} clear
 */
export function watchListText(list, clear) {
  const sorted = [...list].sort((a, b) => (a.key < b.key ? -1 : 1));
  return ['# flaglight watch-list', ...sorted.map((w) => lineOf(w, clear))].join('\n') + '\n';
}

/**
 * The watch-list as CSV: type, kind, value (what the import reads), label, note, added (ISO 8601).
 * @param {any[]} list
 * @param {Map<string, string>} clear
 */
export function watchListCsv(list, clear) {
  const sorted = [...list].sort((a, b) => (a.key < b.key ? -1 : 1));
  const rows = [['type', 'kind', 'value', 'label', 'note', 'added']];
  for (const w of sorted) {
    const line = lineOf(w, clear).replace(/\s{2,}#.*$/, '');
    rows.push([w.type, w.kind, line, w.label, w.note ?? '', new Date(w.added).toISOString()]);
  }
  return csvRows(rows);
}
