// What the content script needs to know about the DOM: which elements are
// never scanned, which start a block, how to reach shadow roots (closed ones
// too), and which block a node belongs to.

/** Elements whose text is never scanned: code, styles, form fields, embedded documents. */
export const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'optgroup',
  'datalist', 'svg', 'math', 'canvas', 'iframe', 'frame', 'object', 'embed', 'head', 'title',
]);

/** Elements that start a new block: nothing matches across two of them. */
export const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'tfoot', 'td', 'th', 'thead', 'tr', 'ul', 'html', 'button', 'label',
]);

/** Elements that separate words without starting a block. */
export const SOFT_BREAK = new Set(['br', 'wbr', 'img']);

/** Whether an element (and its subtree) is never scanned, by tag. @param {Element} el */
export function skippedTag(el) {
  return SKIP.has(el.localName);
}

/**
 * Whether an element is an area the moderator may type in. The attribute is
 * read rather than `isContentEditable`, which makes Blink update style and
 * layout on every call; an editable area's subtree is skipped whole, so its
 * descendants never need the check.
 * @param {Element} el
 */
export function editable(el) {
  const v = el.getAttribute('contenteditable');
  return v !== null && v !== 'false';
}

/** @param {Element} el */
export function isBlock(el) {
  return BLOCK.has(el.localName);
}

/**
 * The block a node's text belongs to: its nearest block ancestor, else the
 * shadow root (or document element) it lives in. Used as the key that chunks
 * own, and as the unit rescanned when text changes.
 * @param {Node} node
 * @returns {Node}
 */
export function blockKeyOf(node) {
  let el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  while (el) {
    if (BLOCK.has(el.localName)) return el;
    const parent = el.parentElement;
    if (!parent) break;
    el = parent;
  }
  const root = (el ?? node).getRootNode();
  if (root.nodeType === Node.DOCUMENT_NODE) return /** @type {Document} */ (root).documentElement ?? root;
  return root;
}

/**
 * Whether a node sits inside something never scanned: a skipped element, an
 * editable area, or the tool's own UI.
 * @param {Node} node
 * @param {(n: Node) => boolean} isOwnUi
 */
export function inSkipped(node, isOwnUi) {
  for (let n = node; n; ) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      const el = /** @type {Element} */ (n);
      if (SKIP.has(el.localName) || editable(el) || isOwnUi(el)) return true;
    }
    const p = n.parentNode;
    // Climb out of shadow roots through their hosts.
    n = p && p.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? /** @type {ShadowRoot} */ (p).host ?? null : p;
  }
  return false;
}

// Firefox exposes `openOrClosedShadowRoot` to content scripts as an attribute
// (reading it on the prototype throws: test with `in`).
const firefoxShadow = 'openOrClosedShadowRoot' in Element.prototype;
const chromeDom = /** @type {any} */ (globalThis).chrome?.dom;

/**
 * The element's shadow root, open or closed. Content scripts may see closed
 * roots: Firefox through `Element.openOrClosedShadowRoot`, Chrome through
 * `chrome.dom.openOrClosedShadowRoot(el)`.
 *
 * Asking for a closed root costs an extension-API call (about 3 us in
 * Chromium, 90 ms over the 30k elements of a 1 MB page), so it is asked only
 * where a closed root can be: custom elements (the usual hosts), and the
 * built-in elements attachShadow() accepts when they have no light children
 * (a host with a closed root and no slotted content). Open roots are a
 * property read.
 * @param {Element} el
 * @returns {ShadowRoot|null}
 */
export function shadowOf(el) {
  const open = el.shadowRoot;
  if (open) return open;
  const name = el.localName;
  if (!name.includes('-') && !(SHADOW_HOSTS.has(name) && el.firstChild === null)) return null;
  return closedShadowOf(el);
}

/** @param {Element} el @returns {ShadowRoot|null} */
export function closedShadowOf(el) {
  if (firefoxShadow) return /** @type {any} */ (el).openOrClosedShadowRoot ?? null;
  if (chromeDom) return chromeDom.openOrClosedShadowRoot(el) ?? null;
  return el.shadowRoot;
}

/** Built-in elements attachShadow() accepts (custom elements are checked by name). */
export const SHADOW_HOSTS = new Set([
  'article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'main', 'nav', 'p', 'section', 'span',
]);

/**
 * Editable areas under a root, found by one native query instead of reading
 * an attribute on every element of the walk.
 * @param {Node} root
 * @returns {Set<Element>}
 */
export function editableAreas(root) {
  const out = new Set();
  if (!('querySelectorAll' in root)) return out;
  for (const el of /** @type {ParentNode} */ (root).querySelectorAll('[contenteditable]')) if (editable(el)) out.add(el);
  return out;
}
