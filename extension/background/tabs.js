// What the background knows about each tab: findings per frame and per chunk
// of scanned text, for the badge, the popup and the panel. The state is kept
// in storage.session as well: the browser may stop the service worker at any
// time (MV3), and the badge, popup and panel must survive it.

import { api } from '../common/api.js';
import { SEVERITIES } from '../common/styles.js';
import { lastAtOrBefore } from '../common/search.js';
import { countFindings } from '../common/risk.js';

/**
 * @typedef {object} StoredFinding
 * @property {number} chunk
 * @property {number} n        index in the engine's answer for the chunk
 * @property {number} start
 * @property {number} end
 * @property {string} text     matched text
 * @property {string} before   context before (same block only)
 * @property {string} after    context after (same block only)
 * @property {number} rule
 * @property {string} ruleId
 * @property {string} pack
 * @property {string} category
 * @property {string} kind
 * @property {string} severity
 * @property {number} score
 * @property {string|null} checksum  'valid', 'unchecked' or null
 * @property {number} block    index of the block (post) in the chunk
 * @property {number} weight   model words: the word's contribution in thousandths (0 otherwise)
 * @property {string} post     the start of the finding's block (post), for the panel's posts view
 *
 * @typedef {object} FrameState
 * @property {string} url
 * @property {Map<number, StoredFinding[]>} chunks   findings per chunk of scanned text
 * @property {Map<number, number>} highlighted      findings the content script highlights, per chunk
 * @property {chrome.runtime.Port|null} port        not persisted
 * @property {string} visit   this document's visit: sightings count a page once per visit
 *
 * @typedef {object} TabState
 * @property {string} url
 * @property {string} title
 * @property {Map<number, FrameState>} frames
 * @property {boolean} highlights   highlights shown (the toggle command)
 * @property {{frameId: number, chunk: number, n: number, text: string}|null} cursor
 * @property {{frameId: number, fields: Record<string,string>}|null} card  what the hover card shows now
 */

const CONTEXT_CHARS = 60;
/** How much of a post's text the panel's posts view shows. */
const POST_CHARS = 140;

/** @type {Map<number, TabState>} */
export const tabs = new Map();

/** @param {number} tabId @returns {TabState} */
export function tabState(tabId) {
  let t = tabs.get(tabId);
  if (!t) {
    t = { url: '', title: '', frames: new Map(), highlights: true, cursor: null, card: null };
    tabs.set(tabId, t);
  }
  return t;
}

/** @param {string} url @returns {FrameState} */
export function newFrame(url) {
  return { url, chunks: new Map(), highlighted: new Map(), port: null, visit: crypto.randomUUID() };
}

/**
 * Decodes flat findings into stored findings with their text and context.
 * @param {Uint32Array|number[]} data
 * @param {number} fields
 * @param {string} text
 * @param {number[]} blocks  block starts of the scanned text
 * @param {number} chunk
 * @param {any[]} rules
 * @param {string[]} kinds
 * @returns {StoredFinding[]}
 */
export function decodeFindings(data, fields, text, blocks, chunk, rules, kinds) {
  const out = [];
  for (let i = 0, n = 0; i + fields <= data.length; i += fields, n++) {
    const start = data[i];
    const end = data[i + 1];
    const rule = data[i + 2];
    const meta = rules[rule];
    if (!meta) continue;
    // Context stays inside the finding's block: the text of the next post
    // would be misleading.
    const b = lastAtOrBefore(blocks, start);
    const blockStart = b >= 0 ? blocks[b] : 0;
    const blockEnd = b + 1 < blocks.length ? blocks[b + 1] - 1 : text.length;
    const checksum = data[i + 7];
    out.push({
      chunk,
      n,
      start,
      end,
      text: text.slice(start, end),
      before: text.slice(Math.max(blockStart, start - CONTEXT_CHARS), start),
      after: text.slice(end, Math.min(blockEnd, end + CONTEXT_CHARS)),
      rule,
      ruleId: meta.id,
      pack: meta.pack,
      category: meta.category,
      kind: kinds[data[i + 4]] ?? 'keyword',
      severity: SEVERITIES[data[i + 5]] ?? 'low',
      score: data[i + 6],
      checksum: checksum === 1 ? 'valid' : checksum === 2 ? 'unchecked' : null,
      block: fields > 8 ? data[i + 8] : Math.max(0, b),
      weight: fields > 9 ? data[i + 9] : 0,
      post: text.slice(blockStart, Math.min(blockEnd, blockStart + POST_CHARS)),
    });
  }
  return out;
}

/**
 * Drops findings in spans (chunk, start, end triples) of a frame.
 * @param {FrameState} frame
 * @param {number[]} spans
 */
export function dropSpans(frame, spans) {
  for (let i = 0; i + 2 < spans.length; i += 3) {
    const list = frame.chunks.get(spans[i]);
    if (!list) continue;
    const s = spans[i + 1];
    const e = spans[i + 2];
    const kept = list.filter((f) => f.start < s || f.start >= e);
    if (kept.length) frame.chunks.set(spans[i], kept);
    else {
      frame.chunks.delete(spans[i]);
      frame.highlighted.delete(spans[i]);
    }
  }
}

/** Every finding of a tab, all frames, top frame first. @param {number} tabId */
export function tabFindings(tabId) {
  const t = tabs.get(tabId);
  if (!t) return [];
  const all = [];
  for (const frameId of frameOrder(t)) {
    const frame = /** @type {FrameState} */ (t.frames.get(frameId));
    for (const list of frame.chunks.values()) for (const f of list) all.push({ frameId, ...f });
  }
  return all;
}

/** Number of findings of a tab (a post's model words count once). @param {number} tabId */
export function tabCount(tabId) {
  const t = tabs.get(tabId);
  let n = 0;
  if (t) for (const frame of t.frames.values()) for (const list of frame.chunks.values()) n += countFindings(list);
  return n;
}

/** Number of findings and the highest severity of a tab, without copying them (the badge). @param {number} tabId */
export function tabBadge(tabId) {
  const t = tabs.get(tabId);
  let n = 0;
  let best = -1;
  if (t) {
    for (const frame of t.frames.values()) {
      for (const list of frame.chunks.values()) {
        n += countFindings(list);
        for (const f of list) {
          const s = SEVERITIES.indexOf(f.severity);
          if (s > best) best = s;
        }
      }
    }
  }
  return { count: n, highest: best < 0 ? null : SEVERITIES[best] };
}

/** Frame ids in the order next/previous visits them: the top frame, then subframes as they were created. @param {TabState} t */
export function frameOrder(t) {
  return [...t.frames.keys()].sort((a, b) => a - b);
}

/** Highest severity among findings, or null. @param {{severity: string}[]} list */
export function highestSeverity(list) {
  let best = -1;
  for (const f of list) best = Math.max(best, SEVERITIES.indexOf(f.severity));
  return best < 0 ? null : SEVERITIES[best];
}


// ---- storage.session -------------------------------------------------------

const KEY_PREFIX = 'tab:';
const PERSIST_DELAY_MS = 400;
/** @type {Map<number, ReturnType<typeof setTimeout>>} */
const persistTimers = new Map();

/** Saves a tab's state soon (coalesced). @param {number} tabId */
export function persist(tabId) {
  if (persistTimers.has(tabId)) return;
  persistTimers.set(
    tabId,
    setTimeout(() => {
      persistTimers.delete(tabId);
      const t = tabs.get(tabId);
      const key = KEY_PREFIX + tabId;
      const p = t ? api.storage.session.set({ [key]: serialize(t) }) : api.storage.session.remove(key);
      p.catch((e) => console.warn('flaglight: could not save tab state', String(e)));
    }, PERSIST_DELAY_MS),
  );
}

/** @param {number} tabId */
export function forget(tabId) {
  tabs.delete(tabId);
  clearTimeout(persistTimers.get(tabId));
  persistTimers.delete(tabId);
  api.storage.session.remove(KEY_PREFIX + tabId).catch(() => {});
}

/** @param {TabState} t */
function serialize(t) {
  return {
    url: t.url,
    title: t.title,
    highlights: t.highlights,
    frames: [...t.frames].map(([id, f]) => [id, { url: f.url, chunks: [...f.chunks], highlighted: [...f.highlighted], visit: f.visit }]),
  };
}

/** Restores every tab's state saved before the service worker was stopped. */
export async function restore() {
  const all = await api.storage.session.get(null).catch(() => ({}));
  for (const [key, v] of Object.entries(all)) {
    if (!key.startsWith(KEY_PREFIX) || !v || typeof v !== 'object') continue;
    const tabId = Number(key.slice(KEY_PREFIX.length));
    if (!Number.isInteger(tabId) || tabs.has(tabId)) continue;
    const t = tabState(tabId);
    t.url = String(v.url ?? '');
    t.title = String(v.title ?? '');
    t.highlights = v.highlights !== false;
    for (const [frameId, f] of v.frames ?? []) {
      const frame = newFrame(String(f.url ?? ''));
      if (typeof f.visit === 'string') frame.visit = f.visit;
      for (const [id, list] of f.chunks ?? []) frame.chunks.set(id, list);
      for (const [id, n] of f.highlighted ?? []) frame.highlighted.set(id, n);
      t.frames.set(frameId, frame);
    }
  }
}
