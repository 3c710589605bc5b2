// Reviewer flags in a frame's text: describing a passage with W3C Web
// Annotation selectors, and the two cheap ways of finding it again. Pure (no
// DOM, no extension APIs): the content script runs it on the frame's text,
// Node runs it in the unit tests.
//
// "The frame's text" is always the same string, built by content/flag-text.js
// with the scanner's own walk (collect.js): the text nodes of the frame's
// document, then of its shadow roots, in the order the scanner reads them;
// inline boundaries join, a block boundary (and a cut between the scanner's
// chunks) is one "\n". Positions count UTF-16 code units of that string.
//
// Re-anchoring goes in order of precision (after the Hypothesis client):
//   1. position: the text at the remembered offsets is the quote;
//   2. quote: the exact quote with its exact prefix and suffix (the nearest
//      such copy to the remembered offset);
//   3. approximate: the engine's anchor_quote (src/anchor.rs), which scores
//      exact copies with changed context and edited copies of the quote (its
//      ends then moved onto the remembered context: snapToContext).
// What none of them finds is an orphan: listed, never dropped.

/** UTF-16 units of context kept on each side of a quote (TextQuoteSelector prefix/suffix). */
export const CONTEXT_CHARS = 32;
/** Longest passage a flag may quote, in UTF-16 units. */
export const MAX_QUOTE = 65536;
/** Engine matches scoring below this are not trusted (a quarter of the quote edited and no context agreeing scores about 0.43). */
export const MIN_SCORE = 0.5;
/** Most exact copies of a quote looked at before giving the choice to the engine. */
const MAX_COPIES = 10_000;

const SPACE = /\s/;

/**
 * @typedef {{exact: string, prefix: string, suffix: string}} Quote
 * @typedef {{start: number, end: number}} Position
 * @typedef {{quote: Quote, position: Position}} Selectors
 * @typedef {{start: number, end: number, method: 'position'|'quote'|'approximate', distance: number, score: number}} Anchor
 */

/**
 * Selectors for text[start, end): the quote without the white space a
 * selection drags along, with up to CONTEXT_CHARS of context on each side.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {Selectors|null}  null when nothing but white space is selected
 */
export function describe(text, start, end) {
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  if (start >= end) return null;
  let from = Math.max(0, start - CONTEXT_CHARS);
  // Never cut a surrogate pair in two: the context would not be valid text.
  if (from > 0 && isLow(text.charCodeAt(from))) from += 1;
  let to = Math.min(text.length, end + CONTEXT_CHARS);
  if (to < text.length && isHigh(text.charCodeAt(to - 1))) to -= 1;
  return {
    quote: { exact: text.slice(start, end), prefix: text.slice(from, start), suffix: text.slice(end, to) },
    position: { start, end },
  };
}

/**
 * The cheap anchors: the remembered position, then the exact quote with its
 * exact context. Null when the engine must judge.
 * @param {string} text
 * @param {Selectors} sel
 * @returns {Anchor|null}
 */
export function anchorExact(text, sel) {
  const { exact, prefix, suffix } = sel.quote;
  const { start, end } = sel.position;
  if (!exact) return null;
  if (end - start === exact.length && end <= text.length && text.startsWith(exact, start)) {
    return { start, end, method: 'position', distance: 0, score: 1 };
  }
  /** @type {Anchor|null} */
  let best = null;
  let n = 0;
  for (let i = text.indexOf(exact); i >= 0 && n < MAX_COPIES; i = text.indexOf(exact, i + 1), n++) {
    const e = i + exact.length;
    if (i < prefix.length || !text.startsWith(prefix, i - prefix.length) || !text.startsWith(suffix, e)) continue;
    if (!best || Math.abs(i - start) < Math.abs(best.start - start)) best = { start: i, end: e, method: 'quote', distance: 0, score: 1 };
  }
  return best;
}

/**
 * The engine's answer ([start, end, distance, score] or null) as an anchor,
 * or null when it is missing, out of range or not trusted.
 * @param {unknown} r
 * @param {number} length  length of the text it was found in
 * @returns {Anchor|null}
 */
export function engineAnchor(r, length) {
  if (!Array.isArray(r) || r.length !== 4) return null;
  const [start, end, distance, score] = r;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) return null;
  if (typeof score !== 'number' || !(score >= MIN_SCORE)) return null;
  return { start, end, method: 'approximate', distance: Number(distance) || 0, score };
}

/** Context matched when moving an approximate match's ends (its end for the prefix, its start for the suffix). */
const SNAP_CONTEXT = 16;
/** Largest quote x text product the edit distance is recomputed for. */
const MAX_DP_CELLS = 4_000_000;

/**
 * Moves the ends of an approximate match onto the remembered context where
 * it sits right beside them. The engine aligns with the fewest edits, and
 * when the edit is in the first or last word that can start or stop inside
 * it ("wire your zakat" found as "re your zakat": as few edits as from
 * "wire"). The context says where the passage really starts: the prefix's
 * end (or the suffix's start) within a quarter of the quote's length of the
 * match's end. Exact matches are left alone.
 * @param {string} text
 * @param {[number, number, number, number]} r  the engine's [start, end, distance, score]
 * @param {Quote} quote
 * @returns {[number, number, number, number]}
 */
export function snapToContext(text, r, quote) {
  const [s0, e0, distance, score] = r;
  if (distance === 0) return r;
  const k = Math.max(1, Math.floor(quote.exact.length / 4));
  let start = s0;
  let end = e0;
  const pre = quote.prefix.slice(-SNAP_CONTEXT);
  if (pre) {
    let best = -1;
    for (let i = text.indexOf(pre, Math.max(0, s0 - k - pre.length)); i >= 0 && i + pre.length <= s0 + k; i = text.indexOf(pre, i + 1)) {
      const e = i + pre.length;
      if (e < e0 && (best < 0 || Math.abs(e - s0) < Math.abs(best - s0))) best = e;
    }
    if (best >= 0) start = best;
  }
  const suf = quote.suffix.slice(0, SNAP_CONTEXT);
  if (suf) {
    let best = -1;
    for (let i = text.indexOf(suf, Math.max(start + 1, e0 - k)); i >= 0 && i <= e0 + k; i = text.indexOf(suf, i + 1)) {
      if (best < 0 || Math.abs(i - e0) < Math.abs(best - e0)) best = i;
    }
    if (best >= 0) end = best;
  }
  if (start === s0 && end === e0) return r;
  return [start, end, editDistance(quote.exact, text.slice(start, end)) ?? distance, score];
}

/**
 * Levenshtein distance in UTF-16 units; null when the strings are too long
 * to compare here.
 * @param {string} a
 * @param {string} b
 */
export function editDistance(a, b) {
  if (a.length * b.length > MAX_DP_CELLS) return null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j - 1] + (c === b.charCodeAt(j - 1) ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** @param {number} c */
function isHigh(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
/** @param {number} c */
function isLow(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}
