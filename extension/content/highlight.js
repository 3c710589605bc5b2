// Highlights with the CSS Custom Highlight API: no DOM mutation, so pages
// (React and friends) never notice, and clearing is nearly free. One Highlight
// per category x severity, plus one for the finding the moderator jumped to.
//
// Names are random per page and look like nothing in particular: a page can
// read CSS.highlights (names included), so a name must not identify the tool.

import { highlightCss } from '../common/styles.js';

const SEVERITY_PRIORITY = { low: 0, medium: 1, high: 2, critical: 3 };
/**
 * Longest wait before ranges found while a page is read are shown. Chromium
 * revalidates every range of every highlight on the frame after any change
 * (measured: about 10 us per range, 30 ms with 3,000 ranges), so changes are
 * batched.
 */
const BATCH_MS = 250;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = LETTERS + '0123456789';

/** A random name: a letter, then 7-11 letters and digits. */
export function randomName() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const len = 8 + (bytes[0] % 5);
  let s = LETTERS[bytes[1] % 26];
  for (let i = 1; i < len; i++) s += ALNUM[bytes[i + 1] % 36];
  return s;
}

export class Highlighter {
  constructor() {
    /** @type {Map<string, {name: string, highlight: Highlight}>} */
    this.groups = new Map();
    this.visible = true;
    /** Names not yet reported to the background (which inserts their CSS). */
    this.unsent = new Map();
    /** One constructed sheet shared by every shadow root we highlight in. */
    this.sheet = new CSSStyleSheet();
    this.flashTimer = 0;
    /** Ranges waiting to be added, by group. @type {Map<{highlight: Highlight}, Set<AbstractRange>>} */
    this.pending = new Map();
    this.batchTimer = 0;
    this.everAdded = false;
    /** @type {[Highlight, AbstractRange][]} */
    this.retired = [];
    this.flashGroup = this.group('flash');
    this.flashGroup.highlight.priority = 10;
  }

  /**
   * The group for a key ("category:severity" or "flash").
   * @param {string} key
   */
  group(key) {
    let g = this.groups.get(key);
    if (!g) {
      g = { name: randomName(), highlight: new Highlight() };
      // Higher severities paint over lower ones.
      g.highlight.priority = SEVERITY_PRIORITY[key.split(':')[1]] ?? 0;
      this.groups.set(key, g);
      if (this.visible) CSS.highlights.set(g.name, g.highlight);
      this.unsent.set(key, g.name);
      this.sheet.replaceSync(highlightCss(this.names()));
    }
    return g;
  }

  /** Every highlight name by key. @returns {Record<string,string>} */
  names() {
    return Object.fromEntries([...this.groups].map(([k, g]) => [k, g.name]));
  }

  /** Names created since the last call. @returns {Record<string,string>|null} */
  takeUnsent() {
    if (!this.unsent.size) return null;
    const out = Object.fromEntries(this.unsent);
    this.unsent.clear();
    return out;
  }

  /**
   * Adds a range. Ranges are added to the registered highlights in batches:
   * every change to a registered highlight costs the next rendering update
   * work in proportion to all the ranges shown (see BATCH_MS), so while a
   * big page is being read they go in at most every BATCH_MS; the very first
   * ones go in at once (the first highlight soon).
   * @param {string} key
   * @param {AbstractRange} range
   */
  add(key, range) {
    const g = this.group(key);
    if (!this.everAdded) {
      g.highlight.add(range);
      return;
    }
    let set = this.pending.get(g);
    if (!set) this.pending.set(g, (set = new Set()));
    set.add(range);
    if (!this.batchTimer) this.batchTimer = setTimeout(() => this.commit(), BATCH_MS);
  }

  /** Puts the pending ranges into their highlights. */
  commit() {
    clearTimeout(this.batchTimer);
    this.batchTimer = 0;
    for (const [g, set] of this.pending) for (const r of set) g.highlight.add(r);
    this.pending.clear();
  }

  /** Marks the end of a burst of adds (the first burst goes in at once). */
  settle() {
    if (!this.everAdded) this.everAdded = this.size() > 0;
    else if (!this.batchTimer) this.commit();
  }

  /** @param {string} key @param {AbstractRange} range */
  remove(key, range) {
    const g = this.groups.get(key);
    if (!g) return;
    if (!this.pending.get(g)?.delete(range)) g.highlight.delete(range);
  }

  /**
   * Shows a range in the flash style for a moment.
   * @param {AbstractRange} range
   */
  flash(range) {
    const h = this.flashGroup.highlight;
    h.clear();
    h.add(range);
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => h.clear(), 1600);
  }

  /** @param {boolean} on */
  setVisible(on) {
    if (this.visible === on) return;
    this.visible = on;
    for (const g of this.groups.values()) {
      if (on) CSS.highlights.set(g.name, g.highlight);
      else CSS.highlights.delete(g.name);
    }
  }

  /** Number of ranges highlighted or about to be (flash excluded). */
  size() {
    let n = 0;
    for (const [k, g] of this.groups) if (k !== 'flash') n += g.highlight.size + (this.pending.get(g)?.size ?? 0);
    return n;
  }

  /** Every highlighted range (flash excluded; pending ones committed first). @returns {AbstractRange[]} */
  ranges() {
    this.commit();
    const out = [];
    for (const [k, g] of this.groups) if (k !== 'flash') for (const r of g.highlight) out.push(r);
    return out;
  }

  /**
   * Keeps what is shown now on screen until `dropRetired()`, so a full rescan
   * repaints once, when its first findings arrive, rather than clearing the
   * page first (a repaint of a big page blocks the thread for tens of ms).
   * Ranges into text that left the page go at once.
   */
  retire() {
    this.commit();
    for (const [k, g] of this.groups) {
      if (k === 'flash') continue;
      for (const r of [...g.highlight]) {
        if (r.startContainer.isConnected && r.endContainer.isConnected) this.retired.push([g.highlight, r]);
        else g.highlight.delete(r);
      }
    }
  }

  dropRetired() {
    for (const [h, r] of this.retired) h.delete(r);
    this.retired = [];
  }

  clear() {
    this.retired = [];
    this.pending.clear();
    for (const g of this.groups.values()) g.highlight.clear();
  }

  /** Removes every highlight this page registered (the content script is stopping). */
  dispose() {
    for (const g of this.groups.values()) CSS.highlights.delete(g.name);
    this.groups.clear();
  }
}
