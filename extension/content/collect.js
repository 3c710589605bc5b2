// Collects the page's text into chunks: one string per chunk with a map back
// to the text nodes, the offsets where blocks start, and the blocks (posts,
// comments, paragraphs) each run of text came from.
//
// Inline boundaries (<b>, <a>, <span>) are soft: a phrase may run across them.
// Block boundaries are hard: each block starts a new engine block, so nothing
// matches across two posts. A walk is done in slices (`step(deadline)`) so no
// task runs long, and is cut into chunks at block boundaries so the first
// findings come back while the rest of a big page is still being read.

import { BLOCK, SHADOW_HOSTS, SKIP, SOFT_BREAK, blockKeyOf, closedShadowOf, editable, editableAreas, isBlock } from './dom.js';

/**
 * @typedef {object} Seg  a run of one block's text inside a chunk
 * @property {Node} key     the block (an element, or a shadow root)
 * @property {number} start
 * @property {number} end
 * @property {boolean} dead  the block changed or left the page since it was read
 *
 * @typedef {object} Chunk
 * @property {number} id
 * @property {number} pass
 * @property {string} text     dropped once the findings are placed
 * @property {number} length   length of the text
 * @property {Text[]} nodes      text nodes in order
 * @property {number[]} starts   offset of each node in `text`
 * @property {number[]} blocks   offsets where engine blocks start
 * @property {Seg[]} segs
 * @property {number} live       segments not dead
 * @property {Map<number, any>} hits  highlighted findings by their index in the engine's answer
 * @property {boolean} answered  findings arrived
 * @property {boolean} near      read near the viewport: its findings are shown at once
 *
 * @typedef {object} Owner  what a pass asks of the content script's state
 * @property {() => boolean} hasOwners  whether any chunk holds blocks yet
 * @property {(key: Node, pass: number) => boolean} ownedElsewhere  a live chunk of another pass holds this block
 * @property {(key: Node, pass: number, current: Chunk) => boolean} ownedBy  a live chunk other than `current` holds this block
 * @property {(key: Node, chunk: Chunk) => void} own
 * @property {() => Element[]} ownHosts  the tool's own UI elements in the page (card, flag form)
 * @property {(root: ShadowRoot) => void} foundShadow
 * @property {(el: Element) => void} maybeHost  a custom element that has no shadow root yet
 * @property {() => number} nextChunkId
 */

const NON_SPACE = /\S/;
const ENDS_SPACE = /\s$/;
const STARTS_SPACE = /^\s/;

/**
 * Chunk sizes: the first chunk small (about a screenful: first highlight
 * soon), the second a few screens (what the moderator scrolls to next),
 * later ones larger (fewer messages).
 */
const FIRST_CHUNK = 4 * 1024;
const NEAR_CHUNK = 32 * 1024;
const CHUNK = 128 * 1024;
/** The first chunks of a pass that count as near the viewport (committed at once). */
export const NEAR_CHUNKS = 2;
/**
 * Most nodes one slice visits, whatever the clock says: a slice's work is
 * bounded by a count (on a slow or busy machine slices take longer, they
 * never grow), and the deadline cuts it earlier on a fast one.
 */
export const SLICE_NODES = 2048;
/** A single block longer than this is cut anyway. */
const HARD_CAP = 512 * 1024;

export class Pass {
  /**
   * @param {Owner} owner
   * @param {number} id
   * @param {Node[]} roots  elements, shadow roots or documents to walk
   * @param {number[]} drops  spans of earlier chunks this pass replaces: the
   *   last chunk carries them, so it is held back until the walk ends
   * @param {(chunk: Chunk, last: boolean) => void} emit
   */
  constructor(owner, id, roots, drops, emit) {
    this.owner = owner;
    this.id = id;
    this.emit = emit;
    this.drops = drops;
    this.holdLast = drops.length > 0;
    /** @type {Chunk|null} */
    this.held = null;
    this.roots = dedupe(roots);
    /** Roots queued or walked in this pass: a shadow root is walked once. */
    this.rootSet = new Set(this.roots);
    this.rootIndex = 0;
    /** Whether any block may already be owned (not on a first or full pass). */
    this.checkOwners = !!owner.hasOwners?.();
    /** @type {Set<Element>} editable areas under the current root */
    this.editables = new Set();
    /** The tool's own UI (the card's and the flag form's hosts), never read. @type {Element[]} */
    this.ownHosts = [];
    /** @type {Element|null} an element to check for a closed shadow root if it has no children */
    this.hostCandidate = null;
    /** @type {TreeWalker|null} */
    this.walker = null;
    /** @type {Node|null} */
    this.root = null;
    /** @type {Node|null} */
    this.node = null;
    /** Block elements entered and not yet left, innermost last. @type {Node[]} */
    this.stack = [];
    /** @type {Node|null} */
    this.baseKey = null;
    /**
     * Set when a walk had to start its root again (the node it stood on left
     * the page between slices): from then on, blocks this pass already read
     * are skipped like blocks other chunks hold.
     */
    this.restarted = false;
    this.limit = FIRST_CHUNK;
    this.chunks = 0;
    this.nodesRead = 0;
    /** Most nodes one step() visited (tests bound it by SLICE_NODES). */
    this.maxSliceNodes = 0;
    /** Every chunk counts as near the viewport (a priority pass). */
    this.near = false;
    /** A pass over the whole page: its first chunks count as near the viewport. */
    this.full = false;
    this.begin();
  }

  begin() {
    /** @type {Chunk} */
    this.chunk = {
      id: this.owner.nextChunkId(),
      pass: this.id,
      text: '',
      length: 0,
      nodes: [],
      starts: [],
      blocks: [0],
      segs: [],
      live: 0,
      hits: new Map(),
      answered: false,
      near: this.isNear(),
    };
    /** @type {string[]} */
    this.parts = [];
    this.length = 0;
    /** @type {Seg|null} */
    this.seg = null;
    this.needBreak = false;
    this.pendingSpace = false;
  }

  /**
   * Walks until done or past the deadline.
   * @param {number} deadline  performance.now() value
   * @returns {boolean} done
   */
  step(deadline) {
    let count = 0;
    this.ownHosts = this.owner.ownHosts();
    const done = (/** @type {boolean} */ d) => {
      if (count > this.maxSliceNodes) this.maxSliceNodes = count;
      return d;
    };
    for (;;) {
      if (!this.walker && !this.startRoot()) {
        this.finish();
        return done(true);
      }
      // The DOM may have changed since the last slice: a walker standing on a
      // node that left the page would end early, so start this root again
      // (the seen set keeps text from being read twice).
      if (this.node && !this.node.isConnected && this.root?.isConnected) {
        // What was read so far goes out as a chunk: its blocks are then
        // owned, and the walk from the top of the root skips them.
        if (this.seg) {
          this.seg.end = this.length;
          this.seg = null;
          this.cut();
        }
        this.restarted = true;
        this.checkOwners = true;
        this.restartRoot();
      }
      let n = this.node;
      while (n) {
        if (++count >= SLICE_NODES || ((count & 63) === 0 && performance.now() > deadline)) {
          this.node = n;
          return done(false);
        }
        n = this.advance(this.visit(n));
      }
      this.walker = null;
      this.node = null;
    }
  }

  /** Starts the next root; false when there is none. */
  startRoot() {
    while (this.rootIndex < this.roots.length) {
      const root = this.roots[this.rootIndex++];
      if (!root.isConnected) continue;
      this.root = root;
      this.restartRoot();
      return true;
    }
    return false;
  }

  restartRoot() {
    const root = /** @type {Node} */ (this.root);
    const doc = root.ownerDocument ?? /** @type {Document} */ (root);
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    this.node = root;
    this.editables = editableAreas(root);
    if (root.nodeType === Node.ELEMENT_NODE && editable(/** @type {Element} */ (root))) this.editables.add(/** @type {Element} */ (root));
    this.hostCandidate = null;
    this.stack = [];
    this.baseKey = root.nodeType === Node.ELEMENT_NODE && isBlock(/** @type {Element} */ (root)) ? null : blockKeyOf(root);
    if (root.nodeType === Node.DOCUMENT_NODE) this.baseKey = /** @type {Document} */ (root).documentElement;
    this.needBreak = true;
  }

  /**
   * Reads one node; returns whether to descend into it. This runs for every
   * node of the page: each DOM property read is a binding call from the
   * isolated world, so each is read once (localName) or not at all when it
   * can be avoided (the closed-root check waits until the walker has found
   * no children).
   * @param {Node} n
   */
  visit(n) {
    const type = n.nodeType;
    if (type === 3) {
      const t = /** @type {Text} */ (n);
      const data = t.data;
      if (!NON_SPACE.test(data)) {
        this.pendingSpace = true;
        return false;
      }
      if (this.restarted && this.ownedKey(this.currentKey())) return false;
      this.addText(t, data);
      return false;
    }
    if (type !== 1) return true;
    const el = /** @type {Element} */ (n);
    const name = el.localName;
    if (SKIP.has(name) || (this.ownHosts.length && this.ownHosts.includes(el)) || (this.editables.size && this.editables.has(el))) return false;
    if (SOFT_BREAK.has(name)) {
      this.pendingSpace = true;
      return false;
    }
    if (BLOCK.has(name)) {
      // A block another chunk already holds is unchanged: anything new inside
      // it was queued as a root of its own by the mutation tracker.
      if (this.checkOwners && el !== this.root && this.ownedKey(el)) {
        this.needBreak = true;
        return false;
      }
      this.stack.push(el);
      this.needBreak = true;
    }
    const open = el.shadowRoot;
    if (open) this.addShadow(open);
    else if (name.includes('-')) {
      const closed = closedShadowOf(el);
      if (closed) this.addShadow(closed);
      else this.owner.maybeHost(el);
    } else if (SHADOW_HOSTS.has(name)) this.hostCandidate = el;
    return true;
  }

  /**
   * Whether another chunk holds a block (after a restart, chunks of this
   * pass count too).
   * @param {Node} key
   */
  ownedKey(key) {
    return this.restarted ? this.owner.ownedBy(key, this.id, this.chunk) : this.owner.ownedElsewhere(key, this.id);
  }

  currentKey() {
    return this.stack.length ? this.stack[this.stack.length - 1] : /** @type {Node} */ (this.baseKey);
  }

  /** @param {ShadowRoot} shadow */
  addShadow(shadow) {
    this.owner.foundShadow(shadow);
    if (!this.rootSet.has(shadow)) {
      this.rootSet.add(shadow);
      this.roots.push(shadow);
    }
  }

  /**
   * Moves the walker to the next node in document order.
   * @param {boolean} descend
   * @returns {Node|null}
   */
  advance(descend) {
    const w = /** @type {TreeWalker} */ (this.walker);
    if (descend) {
      const c = w.firstChild();
      if (c) {
        this.hostCandidate = null;
        return c;
      }
      // No light children: a built-in element may still host a closed root.
      const host = this.hostCandidate;
      if (host && host === w.currentNode) {
        const closed = closedShadowOf(host);
        if (closed) this.addShadow(closed);
      }
    }
    this.hostCandidate = null;
    for (;;) {
      this.leave(w.currentNode);
      const s = w.nextSibling();
      if (s) return s;
      if (!w.parentNode()) return null;
    }
  }

  /** Whether the walk is inside `el` now (a priority pass must not read a block this pass is halfway through). @param {Node} el */
  inside(el) {
    return !!this.node && this.node !== el && el.contains(this.node);
  }

  /** Whether the chunk being read is near the viewport (the next ones may not be). */
  isNear() {
    return this.near || (this.full && this.chunks < NEAR_CHUNKS);
  }

  /** @param {Node} n */
  leave(n) {
    if (this.stack.length && this.stack[this.stack.length - 1] === n) {
      this.stack.pop();
      this.needBreak = true;
    }
  }

  /**
   * @param {Text} t
   * @param {string} data
   */
  addText(t, data) {
    const key = this.currentKey();
    if (this.seg && (this.needBreak || key !== this.seg.key || this.length >= HARD_CAP)) {
      this.seg.end = this.length;
      this.seg = null;
      if (this.length >= this.limit) this.cut();
      else {
        this.parts.push('\n');
        this.length += 1;
        this.chunk.blocks.push(this.length);
      }
    }
    if (!this.seg) {
      this.seg = { key, start: this.length, end: this.length, dead: false };
      this.chunk.segs.push(this.seg);
      this.chunk.live += 1;
      this.owner.own(key, this.chunk);
    } else if (this.pendingSpace && !ENDS_SPACE.test(this.parts[this.parts.length - 1]) && !STARTS_SPACE.test(data)) {
      // Whitespace-only nodes and <br> between inline elements separate words.
      this.parts.push(' ');
      this.length += 1;
    }
    this.needBreak = false;
    this.pendingSpace = false;
    this.chunk.nodes.push(t);
    this.chunk.starts.push(this.length);
    this.parts.push(data);
    this.length += data.length;
    this.nodesRead += 1;
  }

  /** Ends the current chunk and sends it (or holds it back: see holdLast). */
  cut() {
    const c = this.chunk;
    c.text = this.parts.join('');
    c.length = c.text.length;
    this.chunks += 1;
    this.limit = this.chunks < NEAR_CHUNKS ? NEAR_CHUNK : CHUNK;
    if (this.held) this.emit(this.held, false);
    this.held = null;
    if (this.holdLast) this.held = c;
    else this.emit(c, false);
    this.begin();
  }

  finish() {
    if (this.seg) this.seg.end = this.length;
    const c = this.chunk;
    c.text = this.parts.join('');
    c.length = c.text.length;
    const empty = c.nodes.length === 0;
    if (this.held) {
      this.emit(this.held, empty);
      this.held = null;
    }
    if (!empty) {
      this.chunks += 1;
      this.emit(c, true);
    }
  }
}

/**
 * Drops roots inside other roots of the same list (their walk covers them).
 * @param {Node[]} roots
 */
function dedupe(roots) {
  if (roots.length < 2) return roots.slice();
  const set = new Set(roots);
  return roots.filter((r) => {
    for (let p = r.parentNode; p; p = p.parentNode) if (set.has(p)) return false;
    return true;
  });
}
