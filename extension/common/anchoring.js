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
//   3. approximate: the engine's anchor_quote (src/anchor.rs), which weighs
//      exact copies whose context changed against edited copies of the quote
//      and places an edited match's ends where the remembered context says.
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
 * @typedef {{start: number, end: number, codePoints?: {start: number, end: number}}} Position
 *   start, end: UTF-16 code units (what the DOM and the extension count);
 *   codePoints: the same passage in Unicode code points, for the W3C
 *   TextPositionSelector (Web Annotation Data Model 4.2.1), recorded when the
 *   flag is made (the only time the text before it is known) or read from an
 *   imported annotation
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
  const exact = text.slice(start, end);
  const cp = codePointCount(text, 0, start);
  return {
    quote: { exact, prefix: text.slice(from, start), suffix: text.slice(end, to) },
    position: { start, end, codePoints: { start: cp, end: cp + codePointCount(exact, 0, exact.length) } },
  };
}

/**
 * Code points in text[from, to) (UTF-16 units): a surrogate pair counts once.
 * @param {string} text
 * @param {number} from
 * @param {number} to
 */
export function codePointCount(text, from, to) {
  let n = to - from;
  for (let i = from; i < to - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      n -= 1;
      i += 1;
    }
  }
  return n;
}

/**
 * The UTF-16 offset of the code point numbered \`cp\` in text (the end of the
 * text when it has fewer).
 * @param {string} text
 * @param {number} cp
 */
export function utf16Offset(text, cp) {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    i += isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
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
  // An imported annotation knows its passage in code points only: the
  // remembered UTF-16 start is a guess wherever astral characters precede it.
  const cp = sel.position.codePoints;
  if (cp) {
    const s = utf16Offset(text, cp.start);
    if (s !== start && text.startsWith(exact, s)) return { start: s, end: s + exact.length, method: 'position', distance: 0, score: 1 };
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

/** @param {number} c */
function isHigh(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
/** @param {number} c */
function isLow(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}
