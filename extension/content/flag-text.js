// The frame's text for reviewer flags: one string, read with the scanner's
// own walk (collect.js's Pass: same elements skipped, same order, open and
// closed shadow roots after the document, inline boundaries joined, one "\n"
// between blocks), the scanner's chunks joined by "\n". Flags are described
// (TextQuoteSelector, TextPositionSelector) and re-anchored over this string
// only, so a flag saved today re-anchors against the same kind of text
// tomorrow. The walk is sliced like the scanner's, so no task runs long.
//
// A snapshot also maps offsets in the string back to DOM ranges, and a
// selection's boundary points to offsets.

import { Pass } from './collect.js';
import { lastAtOrBefore } from '../common/search.js';

/** Longest slice of the walk per task, ms. */
const SLICE_MS = 5;

/**
 * @typedef {object} Snapshot
 * @property {string} text
 * @property {Text[]} nodes     text nodes, in the order their text is in `text`
 * @property {number[]} starts  offset of each node's text in `text`
 * @property {(string|null)[]} datas  each node's text as read (null: it changed while the walk ran)
 */

/**
 * Reads the frame's text, in slices.
 * @param {() => Element[]} ownHosts  the tool's own UI in the page (never read)
 * @returns {Promise<Snapshot>}
 */
export async function snapshot(ownHosts) {
  /** @type {import('./collect.js').Chunk[]} */
  const chunks = [];
  /** @type {Map<Node, unknown>} block -> the chunk that read it (a restarted walk skips it) */
  const owned = new Map();
  let nextId = 1;
  /** @type {import('./collect.js').Owner} */
  const owner = {
    hasOwners: () => false,
    ownedElsewhere: () => false,
    ownedBy: (key, _pass, current) => {
      const c = owned.get(key);
      return !!c && c !== current;
    },
    own: (key, chunk) => {
      if (!owned.has(key)) owned.set(key, chunk);
    },
    ownHosts,
    foundShadow: () => {},
    maybeHost: () => {},
    nextChunkId: () => nextId++,
  };
  const pass = new Pass(owner, 0, [document.documentElement], [], (chunk) => chunks.push(chunk));
  while (!pass.step(performance.now() + SLICE_MS)) await nextTask();
  return join(chunks);
}

/** @param {import('./collect.js').Chunk[]} chunks @returns {Snapshot} */
function join(chunks) {
  const parts = [];
  /** @type {Text[]} */
  const nodes = [];
  /** @type {number[]} */
  const starts = [];
  /** @type {(string|null)[]} */
  const datas = [];
  let offset = 0;
  for (const c of chunks) {
    if (parts.length) {
      parts.push('\n');
      offset += 1;
    }
    parts.push(c.text);
    for (let i = 0; i < c.nodes.length; i++) {
      const n = c.nodes[i];
      nodes.push(n);
      starts.push(offset + c.starts[i]);
      // A node that changed between two slices of the walk no longer holds
      // the text read from it: a flag placed on it is anchored again.
      datas.push(c.text.startsWith(n.data, c.starts[i]) ? n.data : null);
    }
    offset += c.text.length;
  }
  return { text: parts.join(''), nodes, starts, datas };
}

/** Yields to the page's own tasks (not clamped like nested timeouts). */
function nextTask() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(undefined);
    ch.port2.postMessage(0);
  });
}

/**
 * The DOM range of text[start, end), or null when its nodes left the page.
 * Ends that fall in a separator the snapshot added (a space, a newline) are
 * moved onto the text beside them.
 * @param {Snapshot} s
 * @param {number} start
 * @param {number} end
 * @returns {{range: StaticRange, nodes: Text[], datas: (string|null)[]}|null}
 */
export function rangeOf(s, start, end) {
  if (!s.nodes.length || end <= start) return null;
  let a = lastAtOrBefore(s.starts, start);
  let so = start - (a < 0 ? 0 : s.starts[a]);
  if (a < 0 || so >= s.nodes[a].data.length) {
    a += 1;
    so = 0;
  }
  const b = lastAtOrBefore(s.starts, end - 1);
  if (a >= s.nodes.length || b < a) return null;
  const sNode = s.nodes[a];
  const eNode = s.nodes[b];
  const eo = Math.min(end - s.starts[b], eNode.data.length);
  if (!sNode.isConnected || !eNode.isConnected) return null;
  return {
    range: new StaticRange({ startContainer: sNode, startOffset: so, endContainer: eNode, endOffset: eo }),
    nodes: s.nodes.slice(a, b + 1),
    datas: s.datas.slice(a, b + 1),
  };
}

/**
 * Offsets in the snapshot's text of a DOM range (a selection). A boundary
 * between text nodes, or in text the walk does not read, moves to the
 * nearest text it does read: forwards for the start, backwards for the end.
 * @param {Snapshot} s
 * @param {AbstractRange} r
 * @returns {{start: number, end: number}|null}
 */
export function offsetsOf(s, r) {
  const index = new Map();
  s.nodes.forEach((n, i) => index.set(n, i));
  const start = boundary(s, index, r.startContainer, r.startOffset, true);
  const end = boundary(s, index, r.endContainer, r.endOffset, false);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

/** Most nodes stepped over looking for text the walk read. */
const MAX_STEPS = 20_000;

/**
 * @param {Snapshot} s
 * @param {Map<Node, number>} index
 * @param {Node} container
 * @param {number} offset
 * @param {boolean} forward
 * @returns {number|null}
 */
function boundary(s, index, container, offset, forward) {
  const i = index.get(container);
  if (i !== undefined) return s.starts[i] + Math.min(offset, /** @type {Text} */ (container).data.length);
  // The node the boundary sits before (forward) or after (backward).
  /** @type {Node|null} */
  let n;
  if (container.nodeType === Node.TEXT_NODE) n = container;
  else if (forward) n = container.childNodes[offset] ?? following(container);
  else n = offset > 0 ? lastDescendant(container.childNodes[offset - 1]) : preceding(container);
  for (let steps = 0; n && steps < MAX_STEPS; steps++) {
    const k = index.get(n);
    if (k !== undefined) return forward ? s.starts[k] : s.starts[k] + /** @type {Text} */ (n).data.length;
    n = forward ? nextInOrder(n) : preceding(n);
  }
  return null;
}

/** @param {Node} n */
function nextInOrder(n) {
  return n.firstChild ?? following(n);
}
/** The node after n's subtree. @param {Node} n */
function following(n) {
  for (let p = /** @type {Node|null} */ (n); p; p = p.parentNode) if (p.nextSibling) return p.nextSibling;
  return null;
}
/** @param {Node} n */
function lastDescendant(n) {
  while (n.lastChild) n = n.lastChild;
  return n;
}
/** The node before n in document order. @param {Node} n */
function preceding(n) {
  if (n.previousSibling) return lastDescendant(n.previousSibling);
  return n.parentNode;
}

