// The post-level model's explanation, in the UI language: "model 0.87 —
// words that weighed most: caliphate (+0.42), lions (+0.31)". The card (in
// the page) and the panel both say it; each word keeps its own direction
// (an Arabic word in an English line, an English word in an Arabic one).
//
// The engine gives each of a post's model findings the post's calibrated
// probability (score = p x 100) and the word's contribution to the linear
// score (weight, in thousandths); src/engine/posts.rs.

import { intlLocale, t } from './i18n.js';

/** @typedef {{text: string, weight: number}} ModelWord  weight: the word's contribution */

/** Most words a line names (the model file gives at most its top_words). */
const MAX_WORDS = 8;
const WORD = '\u0001';

/**
 * A post's words from its model findings: the same word twice (two
 * occurrences, or "Brothers" and "brothers") is one word with the sum of
 * their contributions; heaviest first.
 * @param {{text: string, weight: number}[]} found  weight in thousandths, as the engine gives it
 * @returns {ModelWord[]}
 */
export function modelWords(found) {
  /** @type {Map<string, ModelWord>} */
  const by = new Map();
  // Heaviest first, so a word twice is spelled as its heavier occurrence.
  for (const f of [...found].sort((a, b) => b.weight - a.weight)) {
    const text = f.text.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const key = text.toLocaleLowerCase();
    const w = by.get(key);
    if (w) w.weight += f.weight / 1000;
    else by.set(key, { text, weight: f.weight / 1000 });
  }
  return [...by.values()].sort((a, b) => b.weight - a.weight).slice(0, MAX_WORDS);
}

/** @type {Map<string, Intl.NumberFormat>} made once per language: a panel writes thousands of numbers */
const formats = new Map();

/** @param {'p'|'w'} kind @param {number} x */
function format(kind, x) {
  const key = `${kind}:${intlLocale()}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2, ...(kind === 'w' ? { signDisplay: 'always' } : {}) });
    formats.set(key, f);
  }
  return f.format(x);
}

/** A probability as the line says it: 0.87. @param {number} p */
export function formatProbability(p) {
  return format('p', p);
}

/** A word's contribution: +0.42. @param {number} w */
function formatWeight(w) {
  return format('w', w);
}

/**
 * The line as pieces: strings, and {word} where a word of the post goes (to
 * be isolated in its own direction).
 * @param {number} probability
 * @param {ModelWord[]} words
 * @returns {(string|{word: string})[]}
 */
export function modelLineParts(probability, words) {
  const p = formatProbability(probability);
  if (!words.length) return [t('model_line_alone', p)];
  const [before, after] = split(t('model_line', p, WORD));
  /** @type {(string|{word: string})[]} */
  const out = [before];
  // A list of equals, not "a, b and c" (Intl.ListFormat has no such style
  // in every language): the language's comma, then a space.
  const sep = `${t('model_word_sep')} `;
  words.forEach((w, i) => {
    if (i) out.push(sep);
    const [wb, wa] = split(t('model_word', WORD, formatWeight(w.weight)));
    out.push(wb, { word: w.text }, wa);
  });
  out.push(after);
  return out.filter((x) => x !== '');
}

/** The line as one string (reported to the background, shown in titles). @param {number} probability @param {ModelWord[]} words */
export function modelLineText(probability, words) {
  return modelLineParts(probability, words)
    .map((x) => (typeof x === 'string' ? x : x.word))
    .join('');
}

/**
 * The line as nodes for an element: each word in a <bdi>, so its script
 * keeps its direction inside the UI's.
 * @param {number} probability
 * @param {ModelWord[]} words
 * @returns {Node[]}
 */
export function modelLineNodes(probability, words) {
  return modelLineParts(probability, words).map((x) => {
    if (typeof x === 'string') return document.createTextNode(x);
    const b = document.createElement('bdi');
    b.textContent = x.word;
    // The page's own word: data, not the UI's text.
    b.translate = false;
    return b;
  });
}

/** @param {string} s @returns {[string, string]} */
function split(s) {
  const i = s.indexOf(WORD);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + WORD.length)];
}
