// Highlights with the CSS Custom Highlight API: no DOM mutation, so pages
// (React and friends) never notice. One Highlight per category x severity,
// plus one for the finding the moderator jumped to.
//
// Names are random per page and look like nothing in particular: a page can
// read CSS.highlights (names included), so a name must not identify the tool.
//
// Changes are staged and committed in batches. Measured in Chromium 156: the
// frame after any change to a registered highlight costs work in proportion
// to the page when a ::highlight style has a text-decoration (ink overflow is
// recomputed for the whole document): about 20 ms per MB of page, 100 ms on a
// 5 MB page, whether one range changed or a thousand. The underlines are what
// makes the styles readable without colour, so instead of dropping them the
// highlighter commits at most once per interval, the interval set from the
// measured cost of the last commit (about 1/8 of the time spent repainting).

import { highlightCss } from '../common/styles.js';

const SEVERITY_PRIORITY = { low: 0, medium: 1, high: 2, critical: 3 };
/**
 * Groups the scan does not own: reviewer flags (content/flags.js). Rescans
 * and switching a site off leave them alone, and they are not findings.
 */
const PERSISTENT = new Set(['flag']);
/** Bounds of the interval between two commits, in ms. */
const MIN_INTERVAL = 60;
const MAX_INTERVAL = 2000;
/** Interval = this many times the measured cost of the last commit's frame. */
const COST_FACTOR = 8;
/** How often the registry is checked for a page that cleared or replaced our highlights, in ms. */
const REPAIR_INTERVAL = 1000;

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

/**
 * `shown` mirrors the ranges committed to `highlight`: Firefox cannot iterate
 * a page's Highlight from a content script ("Xray wrapping of iterators not
 * supported"), so what is shown is read from our own set.
 * @typedef {{name: string, highlight: Highlight, shown: Set<AbstractRange>, add: Set<AbstractRange>, remove: Set<AbstractRange>}} Group
 */

export class Highlighter {
  constructor() {
    /** @type {Map<string, Group>} */
    this.groups = new Map();
    this.visible = true;
    /** Names not yet reported to the background (which inserts their CSS). */
    this.unsent = new Map();
    /** One constructed sheet shared by every shadow root we highlight in. */
    this.sheet = new CSSStyleSheet();
    this.flashTimer = 0;
    this.commitTimer = 0;
    this.lastCommit = -Infinity;
    this.interval = MIN_INTERVAL;
    this.committed = false;
    /** Commits that changed what is shown (each costs the page a restyle). */
    this.commits = 0;
    /** Ranges kept on screen during a full rescan, dropped when its findings arrive. @type {[Group, AbstractRange][]} */
    this.retired = [];
    this.flashGroup = this.group('flash');
    this.flashGroup.highlight.priority = 10;
    /** Times the page had removed, replaced or emptied one of our highlights. */
    this.repairs = 0;
    this.repairTimer = setInterval(() => this.repair(), REPAIR_INTERVAL);
  }

  /**
   * Puts back what a page took away: a page may call CSS.highlights.clear(),
   * delete or overwrite our entries, or clear a Highlight it got from the
   * registry. Checked once a second and before every commit; the work is
   * one lookup per group, and re-adding the ranges only for a group the
   * page emptied, so a page doing it in a loop costs us at most that once a
   * second.
   */
  repair() {
    if (!this.visible) return;
    for (const g of this.groups.values()) {
      try {
        if (CSS.highlights.get(g.name) !== g.highlight) {
          CSS.highlights.set(g.name, g.highlight);
          this.repairs += 1;
        }
        if (g.highlight.size !== g.shown.size && g !== this.flashGroup) {
          g.highlight.clear();
          for (const r of g.shown) g.highlight.add(r);
          this.repairs += 1;
        }
      } catch {
        // The registry refused (a page cannot make it, but be safe): try again next time.
      }
    }
  }

  /**
   * The group for a key ("category:severity" or "flash").
   * @param {string} key
   * @returns {Group}
   */
  group(key) {
    let g = this.groups.get(key);
    if (!g) {
      g = { name: randomName(), highlight: new Highlight(), shown: new Set(), add: new Set(), remove: new Set() };
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
    const g = this.group(key);
    if (!g.remove.delete(range)) g.add.add(range);
    this.schedule();
  }

  /** @param {string} key @param {AbstractRange} range */
  remove(key, range) {
    const g = this.groups.get(key);
    if (!g) return;
    if (!g.add.delete(range)) g.remove.add(range);
    this.schedule();
  }

  /** Commits at the interval (the caller commits the very first batch at once). */
  schedule() {
    if (this.commitTimer) return;
    const wait = Math.max(0, this.lastCommit + this.interval - performance.now());
    this.commitTimer = setTimeout(() => this.commit(), wait);
  }

  /** Applies the staged changes to the registered highlights. */
  commit() {
    clearTimeout(this.commitTimer);
    this.commitTimer = 0;
    this.repair();
    let changed = false;
    for (const g of this.groups.values()) {
      for (const r of g.remove) {
        g.highlight.delete(r);
        g.shown.delete(r);
      }
      for (const r of g.add) {
        g.highlight.add(r);
        g.shown.add(r);
      }
      changed ||= g.add.size > 0 || g.remove.size > 0;
      g.add.clear();
      g.remove.clear();
    }
    if (!changed) return;
    this.committed = true;
    this.commits += 1;
    this.lastCommit = performance.now();
    if (this.visible) this.measure();
  }

  /** Times the rendering work of the next frame (the commit's cost) and sets the interval from it. */
  measure() {
    requestAnimationFrame(() => {
      const t0 = performance.now();
      setTimeout(() => {
        const cost = performance.now() - t0;
        this.interval = Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, cost * COST_FACTOR));
      }, 0);
    });
  }

  /**
   * Keeps what is on screen until `dropRetired()`, so a full rescan repaints
   * once, when its first findings arrive, instead of clearing the page first.
   * Ranges into text that left the page go at once.
   */
  retire() {
    for (const [k, g] of this.groups) {
      if (k === 'flash' || PERSISTENT.has(k)) continue;
      for (const r of g.add) {
        g.highlight.add(r);
        g.shown.add(r);
      }
      g.add.clear();
      for (const r of g.shown) {
        if (g.remove.has(r)) continue;
        if (r.startContainer.isConnected && r.endContainer.isConnected) this.retired.push([g, r]);
        else g.remove.add(r);
      }
    }
    this.schedule();
  }

  dropRetired() {
    if (!this.retired.length) return;
    for (const [g, r] of this.retired) g.remove.add(r);
    this.retired = [];
    this.schedule();
  }

  /**
   * Shows a range in the flash style for a moment (at once: the moderator asked).
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

  /** Number of findings' ranges shown once staged changes are committed (flash, flags and retired excluded). */
  size() {
    return this.ranges().length;
  }

  /**
   * Every finding's range highlighted, as it will be once staged changes are
   * committed (flash, flags and retired ranges excluded).
   * @returns {AbstractRange[]}
   */
  ranges() {
    const retired = new Set(this.retired.map(([, r]) => r));
    const out = [];
    for (const [k, g] of this.groups) {
      if (k === 'flash' || PERSISTENT.has(k)) continue;
      for (const r of g.shown) if (!retired.has(r) && !g.remove.has(r)) out.push(r);
      for (const r of g.add) out.push(r);
    }
    return out;
  }

  /** Clears the findings (flags stay). */
  clear() {
    this.retired = [];
    for (const [k, g] of this.groups) {
      if (PERSISTENT.has(k)) continue;
      g.add.clear();
      g.remove.clear();
      g.highlight.clear();
      g.shown.clear();
    }
  }

  /** Removes every highlight this page registered (the content script is stopping). */
  dispose() {
    clearTimeout(this.commitTimer);
    clearInterval(this.repairTimer);
    for (const g of this.groups.values()) CSS.highlights.delete(g.name);
    this.groups.clear();
  }
}
