// Highlights with the CSS Custom Highlight API: no DOM mutation, so pages
// (React and friends) never notice, and clearing is nearly free. One Highlight
// per category x severity, plus one for the finding the moderator jumped to.
//
// Names are random per page and look like nothing in particular: a page can
// read CSS.highlights (names included), so a name must not identify the tool.

import { highlightCss } from '../common/styles.js';

const SEVERITY_PRIORITY = { low: 0, medium: 1, high: 2, critical: 3 };

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

  /** @param {string} key @param {AbstractRange} range */
  add(key, range) {
    this.group(key).highlight.add(range);
  }

  /** @param {string} key @param {AbstractRange} range */
  remove(key, range) {
    this.groups.get(key)?.highlight.delete(range);
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

  /** Number of ranges highlighted (flash excluded). */
  size() {
    let n = 0;
    for (const [k, g] of this.groups) if (k !== 'flash') n += g.highlight.size;
    return n;
  }

  /** Every highlighted range (flash excluded). @returns {AbstractRange[]} */
  ranges() {
    const out = [];
    for (const [k, g] of this.groups) if (k !== 'flash') for (const r of g.highlight) out.push(r);
    return out;
  }

  clear() {
    for (const g of this.groups.values()) g.highlight.clear();
  }

  /** Removes every highlight this page registered (the content script is stopping). */
  dispose() {
    for (const g of this.groups.values()) CSS.highlights.delete(g.name);
    this.groups.clear();
  }
}
