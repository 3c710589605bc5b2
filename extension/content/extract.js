// Collects the page's visible text into one string with a map back to the
// text nodes, and the offsets where blocks (posts, comments, paragraphs) start.
//
// Inline boundaries (<b>, <a>, <span>) are soft: a phrase may run across them.
// Block boundaries are hard: the engine never matches across two blocks.

/** Elements whose text is never scanned (code, styles, form fields). */
const SKIP = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION',
  'SVG', 'MATH', 'CANVAS', 'IFRAME', 'OBJECT', 'EMBED', 'HEAD', 'TITLE',
]);

/** Elements that start a new block. */
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIALOG',
  'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3',
  'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION',
  'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL', 'HTML',
]);

/**
 * @typedef {object} Collected
 * @property {string} text      all text joined
 * @property {Text[]} nodes     text nodes in order
 * @property {number[]} starts  offset of each node in `text`
 * @property {number[]} blocks  offsets where blocks start
 */

/**
 * Whether an element (and so its subtree) is skipped.
 * @param {Element} el
 * @param {(el: Element) => boolean} [isOwnUi]
 */
export function skipped(el, isOwnUi) {
  if (SKIP.has(el.tagName.toUpperCase())) return true;
  if (isOwnUi && isOwnUi(el)) return true;
  // The moderator may be typing in an editable area: never touch it.
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  return false;
}

/**
 * Nearest block ancestor of a node, cached per element.
 * @param {Node} node
 * @param {WeakMap<Element, Element>} cache
 */
function blockOf(node, cache) {
  let el = node.parentElement;
  const path = [];
  let found = null;
  while (el) {
    const c = cache.get(el);
    if (c) {
      found = c;
      break;
    }
    path.push(el);
    if (BLOCK.has(el.tagName.toUpperCase())) {
      found = el;
      break;
    }
    el = el.parentElement;
  }
  for (const p of path) cache.set(p, found ?? p);
  return found;
}

/**
 * Collects text under `root`.
 * @param {Node} root
 * @param {{isOwnUi?: (el: Element) => boolean}} [opts]
 * @returns {Collected}
 */
export function collect(root, opts = {}) {
  const doc = root.ownerDocument ?? /** @type {Document} */ (root);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        return skipped(/** @type {Element} */ (n), opts.isOwnUi) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
      return /** @type {Text} */ (n).data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const parts = [];
  const nodes = [];
  const starts = [];
  const blocks = [0];
  const cache = new WeakMap();
  let length = 0;
  let lastBlock = undefined;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = /** @type {Text} */ (n);
    const b = blockOf(t, cache);
    if (lastBlock !== undefined && b !== lastBlock && length > 0) {
      // A separator keeps the words of two blocks apart in the joined text.
      parts.push('\n');
      length += 1;
      blocks.push(length);
    }
    lastBlock = b;
    nodes.push(t);
    starts.push(length);
    parts.push(t.data);
    length += t.data.length;
  }
  return { text: parts.join(''), nodes, starts, blocks };
}
