// The panel's "Posts by risk" view: the tab's posts (blocks) with findings,
// riskiest first (common/risk.js scores them), each with its reasons — the
// post-level model's line and the packs' rules — and a click that scrolls to
// the post. Posts whose only findings are low-severity mentions wait,
// collapsed, at the end.
//
// A feed of thousands of posts changes a little at a time (a few posts
// scroll in, a post re-renders), and the panel hears of every change: so
// each post's element is kept by the post's key and rebuilt only when what it
// shows changed (its signature); a refresh otherwise only moves elements
// into the new order. Reading a post's snippet never goes through HTML.

import { el } from '../common/ui.js';
import { postsByRisk } from '../common/risk.js';
import { modelLineNodes, modelLineText, modelWords } from '../common/model-text.js';
import { kindName, plural, severityName, t } from '../common/i18n.js';

/** Most posts listed in each part; the filter narrows the rest. */
const LIST_LIMIT = 300;
/** Most rules named in a post's reasons (low mentions are summed apart). */
const REASONS_MAX = 6;

/**
 * @typedef {import('../common/risk.js').Post} Post
 * @typedef {{el: HTMLElement, signature: string}} Item
 */

export class PostsView {
  /**
   * @param {HTMLElement} root
   * @param {(f: import('../common/risk.js').PanelFinding) => void} reveal  scrolls the page to a finding
   */
  constructor(root, reveal) {
    this.root = root;
    this.reveal = reveal;
    /** @type {Map<string, Item>} */
    this.items = new Map();
    /** Posts scored at the last render, by key (common/risk.js). @type {Map<string, {fp: string, post: Post}>} */
    this.scored = new Map();
    this.summary = el('p', 'posts-summary');
    this.list = el('ol', 'posts');
    this.more = el('p', 'more');
    this.mentions = /** @type {HTMLDetailsElement} */ (el('details', 'mentions'));
    this.mentionsTitle = el('summary');
    this.mentionsList = el('ol', 'posts');
    this.mentionsMore = el('p', 'more');
    this.mentions.append(this.mentionsTitle, this.mentionsList, this.mentionsMore);
    /** The last posts, for the collapsed part (built when it is opened). @type {Post[]} */
    this.quiet = [];
    this.mentions.addEventListener('toggle', () => this.fillMentions());
  }

  /** Empties the view (another view is shown): nothing is kept. */
  clear() {
    this.root.replaceChildren();
    this.list.replaceChildren();
    this.mentionsList.replaceChildren();
    this.mentions.open = false;
    this.items.clear();
    this.scored.clear();
    this.quiet = [];
  }

  /**
   * Shows the posts of a list of findings.
   * @param {any[]} findings  the background's list, in page order
   * @param {(f: any) => boolean} matches  the filter
   */
  render(findings, matches) {
    const posts = postsByRisk(findings, this.scored).filter((p) => p.findings.some(matches));
    const loud = posts.filter((p) => !p.mentionsOnly);
    this.quiet = posts.filter((p) => p.mentionsOnly);
    if (!this.root.firstChild) this.root.append(this.summary, this.list, this.more, this.mentions);
    this.summary.textContent = plural('panel_posts', posts.length);
    this.summary.hidden = posts.length === 0;
    /** @type {Set<string>} */
    const keep = new Set();
    this.place(this.list, loud.slice(0, LIST_LIMIT), keep);
    this.more.hidden = loud.length <= LIST_LIMIT;
    this.more.textContent = this.more.hidden ? '' : t('panel_posts_more', loud.length - LIST_LIMIT);
    this.mentions.hidden = this.quiet.length === 0;
    this.mentionsTitle.textContent = plural('panel_mentions', this.quiet.length);
    if (this.mentions.open) this.fillMentions(keep);
    else {
      for (const p of this.quiet.slice(0, LIST_LIMIT)) if (this.items.has(p.key)) keep.add(p.key);
    }
    for (const key of [...this.items.keys()]) {
      if (keep.has(key)) continue;
      this.items.get(key)?.el.remove();
      this.items.delete(key);
    }
  }

  /** Fills the collapsed part once it is open. @param {Set<string>} [keep] */
  fillMentions(keep = new Set()) {
    if (!this.mentions.open) return;
    this.place(this.mentionsList, this.quiet.slice(0, LIST_LIMIT), keep);
    this.mentionsMore.hidden = this.quiet.length <= LIST_LIMIT;
    this.mentionsMore.textContent = this.mentionsMore.hidden ? '' : t('panel_posts_more', this.quiet.length - LIST_LIMIT);
  }

  /**
   * Puts posts' elements into a list in order, building only those that are
   * new or changed, and moving only those out of place.
   * @param {HTMLElement} list
   * @param {Post[]} posts
   * @param {Set<string>} keep  receives the keys shown
   */
  place(list, posts, keep) {
    const here = new Set(posts.map((p) => p.key));
    let cursor = list.firstChild;
    for (const p of posts) {
      keep.add(p.key);
      let item = this.items.get(p.key);
      if (!item || item.signature !== p.signature) {
        const fresh = this.build(p);
        if (item) item.el.replaceWith(fresh);
        if (item && cursor === item.el) cursor = fresh;
        item = { el: fresh, signature: p.signature };
        this.items.set(p.key, item);
      }
      if (item.el === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(item.el, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      const key = /** @type {HTMLElement} */ (cursor).dataset?.post;
      if (key && !here.has(key)) {
        cursor.remove();
        this.items.delete(key);
      }
      cursor = next;
    }
  }

  /** One post's element. @param {Post} p */
  build(p) {
    const sev = p.severity;
    const li = el('li', `post sev-${sev}${p.model ? ' has-model' : ''}`);
    li.dataset.post = p.key;
    const b = el('button');
    b.type = 'button';
    const head = el('div', 'post-head');
    head.append(
      el('span', 'risk', t('panel_risk', riskNumber(p.risk))),
      el('span', `sev ${sev}`, severityName(sev)),
    );
    const snippet = el('div', 'snippet', p.post.replace(/\s+/g, ' ').trim() + (p.post.length >= 140 ? '…' : ''));
    snippet.dir = 'auto';
    b.append(head, snippet);
    if (p.model) {
      const words = modelWords(p.model.words);
      const line = el('div', 'reason model-line');
      line.append(...modelLineNodes(p.model.probability, words));
      line.title = modelLineText(p.model.probability, words);
      b.append(line);
    }
    const strong = p.reasons.filter((r) => r.severity !== 'low');
    for (const r of strong.slice(0, REASONS_MAX)) b.append(reasonLine(r));
    const low = p.reasons.filter((r) => r.severity === 'low');
    if (low.length) {
      // Mentions are collapsed into one line: the rules, no quotes.
      const line = el('div', 'reason low-line');
      const [before, after = ''] = t('panel_low_line', '\u0001').split('\u0001');
      line.append(before);
      low.forEach((r, i) => {
        // Each rule id in its own left-to-right span: ids inside an Arabic line.
        if (i) line.append(`${t('model_word_sep')} `);
        const rule = el('span', '', r.rule);
        rule.dir = 'ltr';
        rule.translate = false;
        line.append(rule);
        if (r.count > 1) line.append(` ${t('common_count_paren', r.count)}`);
      });
      line.append(after);
      b.append(line);
    }
    b.addEventListener('click', () => this.reveal(p.top));
    li.append(b);
    return li;
  }
}

/** One rule's line: severity · pack/rule · kind · “text” (×count). @param {import('../common/risk.js').Reason} r */
function reasonLine(r) {
  const line = el('div', `reason reason-${r.severity}`);
  const rule = el('span', 'rule', r.rule);
  rule.dir = 'ltr';
  rule.translate = false;
  const quote = el('bdi', 'quote', `“${r.text.replace(/\s+/g, ' ').slice(0, 80)}”`);
  quote.translate = false;
  line.append(`${severityName(r.severity)} · `, rule, ` · ${kindName(r.kind)} · `, quote);
  if (r.count > 1) line.append(` ${t('common_count_paren', r.count)}`);
  return line;
}

/**
 * The risk as the list shows it: 1-99, a ranking score and not a
 * probability (the model's own probability is in its line), never 100: no
 * combination of signals is a certainty.
 * @param {number} risk
 */
function riskNumber(risk) {
  return Math.min(99, Math.max(1, Math.round(risk * 100)));
}
