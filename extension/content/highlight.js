// Highlights spans of the collected text with the CSS Custom Highlight API:
// no DOM mutation, so pages (React and friends) never notice. One Highlight per
// category x severity; names are random per page so a page reading
// CSS.highlights cannot tell which tool registered them.

const SEVERITIES = ['low', 'medium', 'high', 'critical'];

function randomName() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return 'h' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Highlighter {
  constructor() {
    /** @type {Map<string, {name: string, highlight: Highlight}>} */
    this.groups = new Map();
    this.visible = true;
  }

  /** Highlight names by "category:severity". @returns {Record<string,string>} */
  names() {
    return Object.fromEntries([...this.groups].map(([k, g]) => [k, g.name]));
  }

  /**
   * The group for a category and severity; returns whether it was new.
   * @param {string} category
   * @param {string} severity
   */
  group(category, severity) {
    const key = `${category}:${severity}`;
    let g = this.groups.get(key);
    let created = false;
    if (!g) {
      g = { name: randomName(), highlight: new Highlight() };
      // Higher severities paint over lower ones.
      g.highlight.priority = SEVERITIES.indexOf(severity);
      this.groups.set(key, g);
      if (this.visible) CSS.highlights.set(g.name, g.highlight);
      created = true;
    }
    return { highlight: g.highlight, created };
  }

  /** @param {string} category @param {string} severity @param {AbstractRange} range */
  add(category, severity, range) {
    const { highlight, created } = this.group(category, severity);
    highlight.add(range);
    return created;
  }

  /** @param {AbstractRange} range */
  remove(range) {
    for (const g of this.groups.values()) g.highlight.delete(range);
  }

  /** @param {boolean} on */
  setVisible(on) {
    this.visible = on;
    for (const g of this.groups.values()) {
      if (on) CSS.highlights.set(g.name, g.highlight);
      else CSS.highlights.delete(g.name);
    }
  }

  clear() {
    for (const g of this.groups.values()) g.highlight.clear();
  }
}

/**
 * Maps a span of the collected text to a DOM Range (binary search on node starts).
 * @param {{nodes: Text[], starts: number[]}} c
 * @param {number} start
 * @param {number} end
 * @returns {Range|null}
 */
export function rangeFor(c, start, end) {
  const i = lastAtOrBefore(c.starts, start);
  const j = lastAtOrBefore(c.starts, Math.max(start, end - 1));
  if (i < 0 || j < 0) return null;
  const a = c.nodes[i];
  const b = c.nodes[j];
  const so = start - c.starts[i];
  const eo = end - c.starts[j];
  if (so > a.data.length || eo > b.data.length || !a.isConnected || !b.isConnected) return null;
  const r = new Range();
  r.setStart(a, so);
  r.setEnd(b, eo);
  return r;
}

function lastAtOrBefore(arr, x) {
  let lo = 0;
  let hi = arr.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
