// What the background knows about each tab: findings per frame and per chunk
// of scanned text, for the badge, the popup and the panel.

/**
 * @typedef {object} StoredFinding
 * @property {number} chunk
 * @property {number} start
 * @property {number} end
 * @property {string} text     matched text
 * @property {string} before   context before
 * @property {string} after    context after
 * @property {number} rule
 * @property {string} ruleId
 * @property {string} pack
 * @property {string} category
 * @property {string} kind
 * @property {string} severity
 * @property {number} score
 * @property {string|null} checksum
 */

const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const CONTEXT_CHARS = 60;

/**
 * @typedef {object} FrameState
 * @property {string} url
 * @property {Map<number, StoredFinding[]>} chunks       findings per chunk of scanned text
 * @property {Map<number, number>} highlighted           ranges the content script highlighted, per chunk
 */

/** tabId -> { url, title, frames: Map<frameId, FrameState> } */
export const tabs = new Map();

/** @param {number} tabId */
export function tabState(tabId) {
  let t = tabs.get(tabId);
  if (!t) {
    t = { url: '', title: '', frames: new Map() };
    tabs.set(tabId, t);
  }
  return t;
}

/**
 * Decodes flat findings into stored findings with their text and context.
 * @param {Uint32Array|number[]} data
 * @param {number} fields
 * @param {string} text
 * @param {number} chunk
 * @param {any[]} rules
 * @param {string[]} kinds
 * @returns {StoredFinding[]}
 */
export function decodeFindings(data, fields, text, chunk, rules, kinds) {
  const out = [];
  for (let i = 0; i + fields <= data.length; i += fields) {
    const [start, end, rule, , kind, severity, score, checksum] = data.slice(i, i + fields);
    const meta = rules[rule];
    if (!meta) continue;
    out.push({
      chunk,
      start,
      end,
      text: text.slice(start, end),
      before: text.slice(Math.max(0, start - CONTEXT_CHARS), start),
      after: text.slice(end, end + CONTEXT_CHARS),
      rule,
      ruleId: meta.id,
      pack: meta.pack,
      category: meta.category,
      kind: kinds[kind] ?? 'keyword',
      severity: SEVERITIES[severity] ?? 'low',
      score,
      checksum: checksum === 1 ? 'valid' : checksum === 2 ? 'unchecked' : null,
    });
  }
  return out;
}

/** Every finding of a tab, all frames. @param {number} tabId @returns {StoredFinding[]} */
export function tabFindings(tabId) {
  const t = tabs.get(tabId);
  if (!t) return [];
  const all = [];
  for (const frame of t.frames.values()) for (const list of frame.chunks.values()) all.push(...list);
  return all;
}

/** Highest severity among findings, or null. @param {StoredFinding[]} list */
export function highestSeverity(list) {
  let best = -1;
  for (const f of list) best = Math.max(best, SEVERITIES.indexOf(f.severity));
  return best < 0 ? null : SEVERITIES[best];
}
