// What the content script shows: chunks of scanned text, which blocks each
// chunk holds, and the findings highlighted in them. Mirrors the
// background's per-chunk findings; both apply the same span drops, so badge,
// panel and page agree.

import { SEVERITIES } from '../common/styles.js';
import { lastAtOrBefore } from '../common/search.js';

/** A span end meaning "to the end of the chunk". */
export const WHOLE = 0xffffffff;

/**
 * @typedef {import('./collect.js').Chunk} Chunk
 * @typedef {import('./collect.js').Seg} Seg
 *
 * @typedef {object} Hit  one highlighted finding
 * @property {Chunk} chunk
 * @property {number} n        index in the engine's answer for the chunk
 * @property {number} start    offsets in the chunk's text
 * @property {number} end
 * @property {number} rule
 * @property {number} kind
 * @property {number} severity 0-3
 * @property {number} checksum 0 none, 1 valid, 2 unchecked
 * @property {number} score    1-100 (model words: the post's calibrated probability x 100)
 * @property {number} block    index of the block (post) in the chunk
 * @property {number} weight   model words: the word's contribution, in thousandths (0 otherwise)
 * @property {boolean} model   one of the words the post-level model weighed most
 * @property {string} group    highlight key, "category:severity" ("category:severity:model" for model words)
 * @property {StaticRange} range
 * @property {Text[]} nodes    the text nodes it spans
 * @property {Why|null} cue      the cue that made a context finding (or that a cancelled reading had)
 * @property {Why|null} against  negative context that lowered this finding or cancelled a reading of it
 *
 * @typedef {object} Why  another finding that explains this one
 * @property {number} rule
 * @property {string} text     its text (at most WHY_CHARS characters)
 * @property {string} reach    for cues: "near", "block" (same post) or "list" (same list); else ""
 */

/** The longest quote of an explaining finding kept with a hit. */
const WHY_CHARS = 120;
const REACH = ['', 'near', 'block', 'list'];
const NONE = 0xffffffff;

/**
 * The explaining finding at `data[i]` (rule, start, end[, reach]), quoted from the chunk's text.
 * @param {ArrayLike<number>} data @param {number} i @param {string} text @param {number} reach
 * @returns {Why|null}
 */
function why(data, i, text, reach) {
  if (data.length <= i + 2 || data[i] === NONE) return null;
  const quoted = text.slice(data[i + 1], data[i + 2]);
  return {
    rule: data[i],
    text: quoted.length > WHY_CHARS ? `${quoted.slice(0, WHY_CHARS - 1)}…` : quoted,
    reach: REACH[reach] ?? '',
  };
}

export class State {
  /** @param {import('./highlight.js').Highlighter} highlighter */
  constructor(highlighter) {
    this.highlighter = highlighter;
    /** @type {Map<number, Chunk>} */
    this.chunks = new Map();
    /** Block -> chunks holding its text. @type {WeakMap<Node, Chunk[]>} */
    this.owners = new WeakMap();
    /** Text node -> findings touching it (hit-testing). @type {WeakMap<Text, Hit[]>} */
    this.nodeHits = new WeakMap();
    /** @type {any[]|null} rule metadata from the background */
    this.rules = null;
    this.fields = 8;
    /** @type {string[]|null} finding kind names */
    this.kinds = null;
    /** Chunks whose highlighted count changed since the last report. @type {Set<number>} */
    this.countsChanged = new Set();
    this.hitCount = 0;
  }

  /**
   * Whether a live chunk of another pass holds this block.
   * @param {Node} key
   * @param {number} pass
   */
  ownedElsewhere(key, pass) {
    const list = this.owners.get(key);
    if (!list) return false;
    for (const c of list) if (c.pass !== pass) return true;
    return false;
  }

  /**
   * Whether a live chunk other than `current` holds this block (a restarted
   * walk skips what its own pass already read).
   * @param {Node} key
   * @param {number} _pass
   * @param {Chunk} current
   */
  ownedBy(key, _pass, current) {
    const list = this.owners.get(key);
    if (!list) return false;
    for (const c of list) if (c !== current) return true;
    return false;
  }

  /** @param {Node} key @param {Chunk} chunk */
  own(key, chunk) {
    const list = this.owners.get(key);
    if (!list) this.owners.set(key, [chunk]);
    else if (!list.includes(chunk)) list.push(chunk);
  }

  /** @param {Chunk} chunk */
  addChunk(chunk) {
    this.chunks.set(chunk.id, chunk);
  }

  /**
   * Marks a block's text as changed: its segments die and their spans are
   * returned, to be dropped when the rescan's findings arrive. Findings that
   * touch text which left the page or changed are removed at once, so no
   * highlight ever points at a detached or rewritten node.
   * @param {Node} key
   * @param {Set<Node>} changed  text nodes whose data changed
   * @param {number[]} spans     receives chunk, start, end triples
   */
  invalidate(key, changed, spans) {
    const list = this.owners.get(key);
    if (!list) return;
    this.owners.delete(key);
    for (const c of list) {
      for (const seg of c.segs) if (seg.key === key && !seg.dead) this.killSeg(c, seg, changed, spans);
    }
  }

  /**
   * Kills segments whose block left the page (a removed post).
   * @param {number[]} spans
   */
  sweep(spans) {
    const none = new Set();
    for (const c of this.chunks.values()) {
      if (!c.live) continue;
      for (const seg of c.segs) {
        if (!seg.dead && !seg.key.isConnected) {
          this.owners.delete(seg.key);
          this.killSeg(c, seg, none, spans);
        }
      }
    }
  }

  /**
   * @param {Chunk} c
   * @param {Seg} seg
   * @param {Set<Node>} changed
   * @param {number[]} spans
   */
  killSeg(c, seg, changed, spans) {
    seg.dead = true;
    c.live -= 1;
    spans.push(c.id, seg.start, seg.end);
    for (const hit of c.hits.values()) {
      if (hit.start < seg.start || hit.start >= seg.end) continue;
      const s = hit.range.startContainer;
      const e = hit.range.endContainer;
      if (!s.isConnected || !e.isConnected || changed.has(s) || changed.has(e)) this.removeHit(hit);
    }
  }

  /** Removes every finding whose text left the page. */
  dropDetached() {
    for (const c of this.chunks.values()) {
      for (const hit of [...c.hits.values()]) {
        if (!hit.range.startContainer.isConnected || !hit.range.endContainer.isConnected) this.removeHit(hit);
      }
    }
  }

  /**
   * Drops spans (chunk, start, end triples): their findings are no longer highlighted.
   * @param {number[]} spans
   */
  drop(spans) {
    for (let i = 0; i + 2 < spans.length; i += 3) {
      const c = this.chunks.get(spans[i]);
      if (!c) continue;
      const s = spans[i + 1];
      const e = spans[i + 2];
      for (const hit of [...c.hits.values()]) if (hit.start >= s && hit.start < e) this.removeHit(hit);
      if (s === 0 && e === WHOLE) {
        for (const seg of c.segs) if (!seg.dead) this.owners.delete(seg.key);
        c.live = 0;
      }
      if (c.live === 0 && c.hits.size === 0 && c.answered) this.chunks.delete(c.id);
    }
  }

  /** @param {Hit} hit */
  removeHit(hit) {
    const c = hit.chunk;
    if (c.hits.get(hit.n) !== hit) return;
    c.hits.delete(hit.n);
    this.hitCount -= 1;
    this.countsChanged.add(c.id);
    this.highlighter.remove(hit.group, hit.range);
    for (const node of hit.nodes) {
      const list = this.nodeHits.get(node);
      if (!list) continue;
      const k = list.indexOf(hit);
      if (k >= 0) list.splice(k, 1);
      if (!list.length) this.nodeHits.delete(node);
    }
  }

  /**
   * Highlights a chunk's findings (flat numbers from the engine).
   * @param {Chunk} c
   * @param {number[]} data
   * @returns {number} findings highlighted
   */
  apply(c, data) {
    c.answered = true;
    const rules = this.rules;
    if (!rules) return 0;
    const f = this.fields;
    const modelKind = this.kinds ? this.kinds.indexOf('model') : -1;
    let count = 0;
    for (let i = 0, n = 0; i + f <= data.length; i += f, n++) {
      const start = data[i];
      const end = data[i + 1];
      const meta = rules[data[i + 2]];
      if (!meta || end <= start || end > c.length) continue;
      const seg = segAt(c.segs, start);
      if (!seg || seg.dead) continue;
      const a = lastAtOrBefore(c.starts, start);
      const b = lastAtOrBefore(c.starts, end - 1);
      if (a < 0 || b < a) continue;
      const sNode = c.nodes[a];
      const eNode = c.nodes[b];
      const so = start - c.starts[a];
      // The end may fall in a separator space we added between nodes: clamp.
      const eo = Math.min(end - c.starts[b], eNode.data.length);
      if (so > sNode.data.length || !sNode.isConnected || !eNode.isConnected) continue;
      const severity = Math.min(data[i + 5], 3);
      const model = data[i + 4] === modelKind;
      const hit = {
        chunk: c,
        n,
        start,
        end,
        rule: data[i + 2],
        kind: data[i + 4],
        severity,
        checksum: data[i + 7],
        score: data[i + 6],
        block: f > 8 ? data[i + 8] : 0,
        weight: f > 9 ? data[i + 9] : 0,
        model,
        group: `${categoryKey(meta.category)}:${SEVERITIES[severity]}${model ? ':model' : ''}`,
        range: new StaticRange({ startContainer: sNode, startOffset: so, endContainer: eNode, endOffset: eo }),
        nodes: c.nodes.slice(a, b + 1),
        cue: f > 13 ? why(data, i + 10, c.text, data[i + 13]) : null,
        against: f > 16 ? why(data, i + 14, c.text, 0) : null,
      };
      c.hits.set(n, hit);
      this.hitCount += 1;
      this.highlighter.add(hit.group, hit.range);
      for (const node of hit.nodes) {
        const list = this.nodeHits.get(node);
        if (list) list.push(hit);
        else this.nodeHits.set(node, [hit]);
      }
      count += 1;
    }
    this.countsChanged.add(c.id);
    // The text and the node map were only needed to place these findings:
    // let them go (a 5 MB page would otherwise keep every text node's
    // wrapper alive, and the garbage collector would mark them all again).
    c.text = '';
    c.nodes = [];
    c.starts = [];
    c.blocks = [];
    return count;
  }

  /** Chunk, count pairs for the chunks whose count changed. */
  takeCounts() {
    const out = [];
    for (const id of this.countsChanged) out.push(id, this.chunks.get(id)?.hits.size ?? 0);
    this.countsChanged.clear();
    return out;
  }

  /**
   * The other findings of a hit's post (same chunk, same block), in the
   * engine's order.
   * @param {Hit} h
   * @returns {Hit[]}
   */
  postHits(h) {
    const out = [];
    for (const x of h.chunk.hits.values()) if (x.block === h.block) out.push(x);
    return out;
  }

  /** Every live hit. @returns {Hit[]} */
  allHits() {
    const out = [];
    for (const c of this.chunks.values()) for (const h of c.hits.values()) out.push(h);
    return out;
  }

  /**
   * Forgets everything (a full rescan, or the site was switched off).
   * @param {boolean} [keepPainted]  leave the highlights on screen until the
   *   highlighter's dropRetired() (a full rescan replaces them)
   */
  reset(keepPainted = false) {
    if (keepPainted) this.highlighter.retire();
    else this.highlighter.clear();
    this.chunks.clear();
    this.owners = new WeakMap();
    this.nodeHits = new WeakMap();
    this.countsChanged.clear();
    this.hitCount = 0;
  }
}

/** A live DOM Range over a finding (StaticRanges have no geometry). @param {Hit} h */
export function domRange(h) {
  const r = document.createRange();
  r.setStart(h.range.startContainer, h.range.startOffset);
  r.setEnd(h.range.endContainer, h.range.endOffset);
  return r;
}

/**
 * Every highlight key the rules can need: each category at each severity,
 * and for the post-level model's category its own (model) style too.
 * @param {any[]} rules
 */
export function groupKeys(rules) {
  const keys = new Set();
  for (const r of rules) {
    const c = categoryKey(r.category);
    for (const sev of SEVERITIES) {
      keys.add(`${c}:${sev}`);
      if (r.kind === 'model') keys.add(`${c}:${sev}:model`);
    }
  }
  return [...keys];
}

/** A category as a highlight key part (keys are validated by the background). @param {unknown} c */
export function categoryKey(c) {
  return typeof c === 'string' && /^[a-z0-9_-]{1,64}$/.test(c) ? c : 'other';
}

/** @param {Seg[]} segs @param {number} x */
function segAt(segs, x) {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segs[mid];
    if (x < s.start) hi = mid - 1;
    else if (x >= s.end) lo = mid + 1;
    else return s;
  }
  return null;
}


/**
 * Compares two DOM positions in composed document order (shadow trees sit at
 * their host's place).
 * @param {Node} a @param {number} ao @param {Node} b @param {number} bo
 */
export function comparePoints(a, ao, b, bo) {
  if (a === b) return ao - bo;
  const ra = a.getRootNode();
  const rb = b.getRootNode();
  if (ra === rb) return order(a, b);
  // Lift both nodes to ancestors in one tree: hosts of the shadow roots.
  const chainA = hostChain(a);
  const chainB = hostChain(b);
  for (const [na, rootA] of chainA) {
    for (const [nb, rootB] of chainB) {
      if (rootA === rootB) {
        if (na === nb) return chainA.length - chainB.length;
        return order(na, nb);
      }
    }
  }
  return 0;
}

/** @param {Node} a @param {Node} b */
function order(a, b) {
  const pos = a.compareDocumentPosition(b);
  if (pos & Node.DOCUMENT_POSITION_FOLLOWING) return -1;
  if (pos & Node.DOCUMENT_POSITION_PRECEDING) return 1;
  return 0;
}

/** [node, its root], then [host, host's root], ... up to the document. @param {Node} n */
function hostChain(n) {
  const out = [];
  let cur = n;
  while (cur) {
    const root = cur.getRootNode();
    out.push([cur, root]);
    cur = root.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? /** @type {ShadowRoot} */ (root).host : null;
  }
  return out;
}
