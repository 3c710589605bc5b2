// Explains a highlight: the card opens on hover (hit-testing the caret
// position under the pointer against the findings), on keyboard focus of an
// element that holds a finding, and when next/previous moves to a finding.
// The card's folded text comes from the background engine.

import { Card } from './card.js';
import { domRange } from './state.js';
import { SEVERITIES } from '../common/styles.js';
import { modelWords } from '../common/model-text.js';

/** Pointer moves are hit-tested at most this often (the test asks for layout). */
const MOVE_THROTTLE_MS = 40;
/** Finding kinds that are text: no identifier to look up. */
const TEXT_KINDS = new Set(['keyword', 'regex', 'model']);
/** Grace before the card closes when the pointer leaves a finding. */
const HIDE_DELAY_MS = 250;
/** Most pack findings a model word's card lists for its post. */
const ALSO_MAX = 6;

/**
 * @typedef {import('./state.js').Hit} Hit
 * @typedef {object} ExplainContext
 * @property {import('./state.js').State} state
 * @property {import('./highlight.js').Highlighter} highlighter
 * @property {Set<ShadowRoot>} shadowRoots   roots the caret hit test must see into
 * @property {() => boolean} enabled
 * @property {(msg: object) => void} send
 * @property {(fn: () => void, label?: string) => void} timed
 */

/**
 * What the card says of an explaining finding: its rule (pack/id) and text.
 * @param {any[]|null} rules
 * @param {import('./state.js').Why|null} w
 * @returns {import('./card.js').Explained|null}
 */
function explained(rules, w) {
  const meta = w && rules?.[w.rule];
  if (!w || !meta) return null;
  return { rule: `${meta.pack}/${meta.id}`, text: w.text, reach: w.reach };
}

export class Explainer {
  /** @param {ExplainContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.card = new Card((fields) => ctx.send({ type: 'card', fields }));
    /** @type {{id: number, subject: Hit}|null} */
    this.foldRequest = null;
    /** The card's sightings request (background/sightings.js). @type {{id: number, subject: Hit}|null} */
    this.sightingRequest = null;
    this.nextFoldId = 1;
    /** What opened the card: the keyboard's card stays until dismissed. @type {'hover'|'focus'|'keyboard'|null} */
    this.source = null;
    this.hideTimer = 0;
    this.moveTimer = 0;
    /** @type {MouseEvent|null} */
    this.lastMove = null;
    this.scrollQueued = false;
    /** @type {[string, (e: any) => void][]} */
    this.listeners = [
      ['mousemove', (e) => this.onMove(e)],
      ['focusin', (e) => this.onFocusIn(e)],
      ['focusout', () => this.source === 'focus' && this.hide()],
      ['keydown', (e) => e.key === 'Escape' && this.card.shown && this.hide()],
      ['mousedown', (e) => this.card.shown && e.target !== this.card.host && this.hide()],
      ['scroll', () => this.onScroll()],
    ];
    for (const [type, fn] of this.listeners) document.addEventListener(type, fn, { capture: true, passive: true });
  }

  /** Whether a node is the card's host. @param {Node} n */
  owns(n) {
    return this.card.owns(n);
  }

  /** Whether a node is the card's host or inside it. @param {Node} n */
  contains(n) {
    return this.card.contains(n);
  }

  get host() {
    return this.card.host;
  }

  get shown() {
    return this.card.shown;
  }

  /**
   * Shows the card for a finding.
   * @param {Hit} h
   * @param {'hover'|'focus'|'keyboard'} source
   */
  show(h, source) {
    clearTimeout(this.hideTimer);
    const { state } = this.ctx;
    const meta = state.rules?.[h.rule];
    if (!meta || !h.range.startContainer.isConnected) return;
    this.source = source;
    const range = domRange(h);
    const text = range.toString();
    const kind = state.kinds?.[h.kind] ?? 'keyword';
    const isNew = this.card.subject !== h;
    this.card.show(
      h,
      {
        category: String(meta.category ?? ''),
        severity: h.severity,
        rule: `${meta.pack}/${meta.id}`,
        pack: `${meta.pack_name ?? meta.pack} ${meta.pack_version ?? ''}`.trim(),
        description: String(meta.description ?? ''),
        text,
        kind,
        identifier: h.checksum !== 0,
        checksum: h.checksum,
        cue: explained(state.rules, h.cue),
        against: explained(state.rules, h.against),
        ...this.postSignals(h),
      },
      range.getBoundingClientRect(),
    );
    if (isNew) {
      this.foldRequest = { id: this.nextFoldId++, subject: h };
      this.ctx.send({ type: 'fold', id: this.foldRequest.id, text: text.slice(0, 4096) });
      // Identifiers, donation requests and watched phrases: where else they were seen.
      if (!TEXT_KINDS.has(kind) || meta.category === 'watched') this.askSightings(h);
    }
  }

  /** @param {Hit} h @param {boolean} [watch]  set the finding's items watched (true) or not (false) */
  askSightings(h, watch) {
    this.sightingRequest = { id: this.nextFoldId++, subject: h };
    const base = { id: this.sightingRequest.id, chunk: h.chunk.id, n: h.n };
    this.ctx.send(watch === undefined ? { type: 'sightingAsk', ...base } : { type: 'sightingWatch', ...base, on: watch });
  }

  /** The background's answer: the card's sightings line. @param {number} id @param {any[]} items */
  sightings(id, items) {
    const req = this.sightingRequest;
    if (req?.id !== id) return;
    this.card.setSightings(req.subject, items, (on) => this.askSightings(req.subject, on));
  }

  /**
   * What else is known about a finding's post (block): the post-level
   * model's verdict and words, and, on a model word's card, the post's pack
   * findings (one line per rule, at its highest severity).
   * @param {Hit} h
   * @returns {{model: import('./card.js').PostModel|null, isModel: boolean, also: import('./card.js').AlsoLine[]}}
   */
  postSignals(h) {
    const { state } = this.ctx;
    const post = state.postHits(h);
    const words = post.filter((x) => x.model);
    const model = words.length
      ? { probability: words[0].score / 100, words: modelWords(words.map((x) => ({ text: domRange(x).toString(), weight: x.weight }))) }
      : null;
    /** @type {Map<number, {severity: number, rule: string, text: string}>} */
    const byRule = new Map();
    if (h.model) {
      for (const x of post) {
        if (x.model) continue;
        const prev = byRule.get(x.rule);
        if (prev && prev.severity >= x.severity) continue;
        const meta = state.rules?.[x.rule];
        if (!meta) continue;
        byRule.set(x.rule, { severity: x.severity, rule: `${meta.pack}/${meta.id}`, text: domRange(x).toString().slice(0, 120) });
      }
    }
    const also = [...byRule.values()]
      .sort((a, b) => b.severity - a.severity)
      .slice(0, ALSO_MAX)
      .map((a) => ({ ...a, severity: SEVERITIES[a.severity] ?? 'low' }));
    return { model, isModel: h.model, also };
  }

  /** The background's answer to a fold request. @param {number} id @param {string} folded */
  folded(id, folded) {
    if (this.foldRequest?.id === id) this.card.setFolded(this.foldRequest.subject, folded);
  }

  hide() {
    clearTimeout(this.hideTimer);
    this.card.hide();
    this.source = null;
  }

  /** The innermost finding under a viewport point, if any. @param {number} x @param {number} y */
  hitAt(x, y) {
    let node = null;
    let offset = 0;
    const doc = /** @type {any} */ (document);
    if (doc.caretPositionFromPoint) {
      const roots = [...this.ctx.shadowRoots];
      const pos = roots.length ? doc.caretPositionFromPoint(x, y, { shadowRoots: roots }) : doc.caretPositionFromPoint(x, y);
      if (pos) {
        node = pos.offsetNode;
        offset = pos.offset;
      }
    } else if (doc.caretRangeFromPoint) {
      const r = doc.caretRangeFromPoint(x, y);
      if (r) {
        node = r.startContainer;
        offset = r.startOffset;
      }
    }
    if (!node || node.nodeType !== Node.TEXT_NODE) return null;
    const list = this.ctx.state.nodeHits.get(/** @type {Text} */ (node));
    if (!list) return null;
    // Findings may nest (a card number inside a donation request): the
    // innermost one under the pointer is the one to explain.
    let best = null;
    for (const h of list) {
      const lo = h.range.startContainer === node ? h.range.startOffset : 0;
      const hi = h.range.endContainer === node ? h.range.endOffset : /** @type {Text} */ (node).length;
      if (offset < lo || offset > hi) continue;
      if (best && h.end - h.start >= best.end - best.start) continue;
      // The caret position is the nearest insertion point; confirm the point
      // is really over the finding's text.
      for (const rect of domRange(h).getClientRects()) {
        if (x >= rect.left - 1 && x <= rect.right + 1 && y >= rect.top - 1 && y <= rect.bottom + 1) {
          best = h;
          break;
        }
      }
    }
    return best;
  }

  /** @param {MouseEvent} e */
  onMove(e) {
    this.lastMove = e;
    const { state, highlighter } = this.ctx;
    if (this.moveTimer || !this.ctx.enabled() || !state.hitCount || !highlighter.visible) return;
    this.moveTimer = setTimeout(() => {
      this.moveTimer = 0;
      this.ctx.timed(() => this.hover(/** @type {MouseEvent} */ (this.lastMove)), 'hover');
    }, MOVE_THROTTLE_MS);
  }

  /** @param {MouseEvent} e */
  hover(e) {
    if (this.card.shown && e.target === this.card.host) {
      clearTimeout(this.hideTimer);
      return;
    }
    const h = this.hitAt(e.clientX, e.clientY);
    if (h) this.show(h, 'hover');
    else if (this.card.shown && this.source !== 'keyboard') {
      clearTimeout(this.hideTimer);
      this.hideTimer = setTimeout(() => this.hide(), HIDE_DELAY_MS);
    }
  }

  /** Keyboard focus on an element (a link, a focusable post) that holds a finding. @param {FocusEvent} e */
  onFocusIn(e) {
    const { state } = this.ctx;
    if (!this.ctx.enabled() || !state.hitCount) return;
    const target = /** @type {Node} */ (e.composedPath?.()[0] ?? e.target);
    if (!target || target.nodeType !== Node.ELEMENT_NODE || this.card.contains(target)) return;
    this.ctx.timed(() => {
      const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(), i = 0; n && i < 200; n = walker.nextNode(), i++) {
        const list = state.nodeHits.get(/** @type {Text} */ (n));
        if (list?.length) {
          this.show(list[0], 'focus');
          return;
        }
      }
    }, 'focus');
  }

  /** The card follows its finding when the page scrolls. */
  onScroll() {
    if (!this.card.shown || this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      const h = /** @type {Hit|null} */ (this.card.subject);
      if (!h || !h.range.startContainer.isConnected || h.chunk.hits.get(h.n) !== h) {
        this.hide();
        return;
      }
      this.card.place(domRange(h).getBoundingClientRect());
    });
  }

  /** The content script is stopping. */
  dispose() {
    this.hide();
    for (const [type, fn] of this.listeners) document.removeEventListener(type, fn, { capture: true });
  }
}
