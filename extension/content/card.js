// The explanation card: what was found and why. It lives in a closed shadow
// root on a host element that is in the page only while the card is shown,
// carries no attributes, and is styled from inside the shadow root, so the
// page can neither read the card nor tell which tool put it there.

import { categoryName, kindName, severityName, t, uiDir, uiLanguage } from '../common/i18n.js';
import { sightingsLine } from './card-sightings.js';
import { modelLineNodes, modelLineText } from '../common/model-text.js';

const CSS = `
:host { all: initial !important; position: fixed !important; inset: 0 auto auto 0 !important;
  width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important;
  display: block !important; }
.card { position: fixed; box-sizing: border-box; max-width: min(380px, calc(100vw - 16px)); min-width: 220px;
  padding: 10px 12px; border-radius: 8px; border: 1px solid #8a8f98;
  background: #fffffe; color: #1d1d1f; box-shadow: 0 4px 18px rgba(0,0,0,.28);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start;
  white-space: normal; pointer-events: auto; }
@media (prefers-color-scheme: dark) { .card { background: #26272b; color: #f1f1f3; border-color: #5d6068; } }
.head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; margin-bottom: 6px; }
.cat { font-weight: 700; text-transform: capitalize; }
.sev { font-size: 11px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  padding: 1px 6px; border-radius: 9px; border: 1px solid currentColor; }
.sev.low { color: #3d5fc0; } .sev.medium { color: #8f6b00; } .sev.high { color: #c25400; } .sev.critical { color: #c40000; }
@media (prefers-color-scheme: dark) {
  .sev.low { color: #9db2f0; } .sev.medium { color: #f0cc55; } .sev.high { color: #ffa45c; } .sev.critical { color: #ff7b7b; } }
dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; }
dt { opacity: .7; } dd { margin: 0; overflow-wrap: anywhere; text-align: match-parent; }
.desc { margin: 0 0 6px; }
.card:lang(ar) .sev { letter-spacing: 0; }
.seen a { color: inherit; } .seen .new { font-style: italic; }
.seen button { font: inherit; font-size: 12px; margin-inline-start: 6px; padding: 0 6px; border-radius: 4px;
  border: 1px solid currentColor; background: none; color: inherit; cursor: pointer; }
.seen.watched { color: #b8007a; font-weight: 600; }
@media (prefers-color-scheme: dark) { .seen.watched { color: #ff7fd0; } }
q, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.model { margin: 0 0 6px; font-weight: 600; }
.model bdi { font-weight: 700; }
.also { margin: 8px 0 0; padding-block-start: 6px; border-block-start: 1px solid #8a8f98; }
.also-h { margin: 0 0 2px; opacity: .7; }
.also ul { margin: 0; padding-inline-start: 16px; }
.also li { overflow-wrap: anywhere; }
`;

const SEVERITY_WORD = ['low', 'medium', 'high', 'critical'];

/**
 * @typedef {object} CardInfo
 * @property {string} category
 * @property {number} severity
 * @property {string} rule
 * @property {string} pack
 * @property {string} description
 * @property {string} text
 * @property {string} kind        "keyword", "regex", an identifier kind or a context kind
 * @property {boolean} identifier
 * @property {number} checksum    0 none, 1 valid, 2 no checksum for the format
 * @property {PostModel|null} [model]  the post-level model's verdict on the finding's post
 * @property {boolean} [isModel]       the finding is one of the model's words
 * @property {AlsoLine[]} [also]       the post's pack findings (on a model word's card)
 *
 * @typedef {{probability: number, words: import('../common/model-text.js').ModelWord[]}} PostModel
 * @typedef {{severity: string, rule: string, text: string}} AlsoLine  a pack finding of the same post
 * @property {Explained|null} [cue]      what made it a request (context findings)
 * @property {Explained|null} [against]  what lowered it, or what kept an identifier from being a request
 *
 * @typedef {object} Explained  another finding that explains this one
 * @property {string} rule   pack/id
 * @property {string} text   its words in the page
 * @property {string} reach  cues: "near", "block" or "list"
 */

/** How a cue reached the identifier: the message of each reach. */
const REACH_KEYS = { near: 'card_reach_near', block: 'card_reach_block', list: 'card_reach_list' };

/** @param {Explained} e */
function said(e) {
  return `“${e.text}” (${e.rule})`;
}

export class Card {
  /** @param {(fields: Record<string,string>) => void} report  tells the background what is shown */
  constructor(report) {
    this.report = report;
    /** @type {HTMLElement|null} */
    this.host = null;
    /** @type {HTMLElement|null} */
    this.box = null;
    /** @type {HTMLElement|null} */
    this.foldedEl = null;
    /** @type {Record<string,string>} */
    this.fields = {};
    /** @type {HTMLElement|null} */
    this.dl = null;
    /** What the card is shown for (any value; compared by identity). */
    this.subject = null;
    this.sheet = null;
  }

  /** Whether a node is the card's host (the tool's own UI). @param {Node} n */
  owns(n) {
    return n === this.host;
  }

  get shown() {
    return !!this.host?.isConnected;
  }

  /**
   * Shows the card for a finding, next to a rectangle (viewport coordinates).
   * @param {unknown} subject
   * @param {CardInfo} info
   * @param {DOMRect} rect
   */
  show(subject, info, rect) {
    if (this.subject === subject && this.shown) {
      this.place(rect);
      return;
    }
    this.subject = subject;
    const box = this.ensure();
    box.replaceChildren();
    const sev = SEVERITY_WORD[info.severity] ?? 'low';

    const head = el('div', 'head');
    head.append(el('span', 'cat', categoryName(info.category)), el('span', `sev ${sev}`, severityName(sev)));
    box.append(head);
    const model = info.model ?? null;
    const modelLine = model ? modelLineText(model.probability, model.words) : '';
    if (model && info.isModel) {
      // A model word: the post's verdict and its words come first.
      const line = el('p', 'model');
      line.append(...modelLineNodes(model.probability, model.words));
      box.append(line);
    }
    if (info.description) {
      // A pack's description may be in another script than the UI.
      const desc = el('p', 'desc', info.description);
      desc.dir = 'auto';
      box.append(desc);
    }

    const dl = document.createElement('dl');
    const row = (label, value, cls) => {
      const dd = el('dd', cls, value);
      dl.append(el('dt', '', label), dd);
      return dd;
    };
    row(t('card_rule'), info.rule, 'rule').dir = 'ltr';
    row(t('card_pack'), info.pack, 'pack').dir = 'auto';
    row(t('card_matched'), `“${info.text}”`, 'text').dir = 'auto';
    this.foldedEl = row(t('card_folded'), '…', 'folded');
    this.foldedEl.dir = 'auto';
    let checksum = '';
    if (info.identifier) {
      checksum = info.checksum === 1 ? t('card_checksum_valid') : t('card_checksum_none');
      row(t('card_identifier'), kindName(info.kind), 'kind');
      row(t('card_checksum'), checksum, 'checksum');
    } else {
      row(t('card_kind'), kindName(info.kind), 'kind');
    }
    // Why a context finding is one, or why an identifier is not one.
    let because = '';
    let against = '';
    if (info.identifier && info.against) {
      against = info.cue ? t('card_outweighs', said(info.against), said(info.cue)) : said(info.against);
      row(t('card_not_request'), against, 'against').dir = 'auto';
    } else {
      if (info.cue) {
        const reach = REACH_KEYS[/** @type {keyof typeof REACH_KEYS} */ (info.cue.reach)];
        because = `${said(info.cue)}, ${reach ? t(reach) : info.cue.reach}`;
        row(t('card_because'), because, 'because').dir = 'auto';
      }
      if (info.against) {
        against = t('card_lowered_by', said(info.against));
        row(t('card_but'), against, 'against').dir = 'auto';
      }
    }
    box.append(dl);
    // Packs and model are independent signals: the card of either names the
    // other's findings in the same post.
    const also = [];
    if (model && !info.isModel) also.push(modelLine);
    for (const a of info.also ?? []) also.push(`${severityName(a.severity)} · ${a.rule} · “${a.text}”`);
    if (also.length) {
      const sec = el('div', 'also');
      sec.append(el('p', 'also-h', t('card_also')));
      const ul = document.createElement('ul');
      if (model && !info.isModel) {
        const li = el('li', 'model-also');
        li.append(...modelLineNodes(model.probability, model.words));
        ul.append(li);
      }
      for (const a of info.also ?? []) {
        const li = el('li');
        const rule = el('span', '', a.rule);
        rule.dir = 'ltr';
        li.append(`${severityName(a.severity)} · `, rule, ' · ', el('bdi', '', `“${a.text}”`));
        ul.append(li);
      }
      sec.append(ul);
      box.append(sec);
    }
    this.fields = {
      category: info.category,
      severity: sev,
      rule: info.rule,
      pack: info.pack,
      description: info.description,
      text: info.text,
      folded: '',
      kind: info.kind,
      checksum,
      because,
      against,
      shown: '',
      dir: box.dir,
      model: modelLine.slice(0, 4096),
      also: also.join('\n').slice(0, 4096),
    };
    this.fields.shown = shownText(box);
    this.dl = dl;
    // At the end of <html>: after the page's own content, outside <body>.
    if (!this.host?.isConnected) document.documentElement.append(/** @type {HTMLElement} */ (this.host));
    this.place(rect);
    this.report(this.fields);
  }

  /** Fills in the folded form once the background answers. @param {unknown} subject @param {string} folded */
  setFolded(subject, folded) {
    if (subject !== this.subject || !this.foldedEl) return;
    this.foldedEl.textContent = folded;
    this.fields.folded = folded;
    if (this.box) this.fields.shown = shownText(this.box);
    this.report(this.fields);
  }

  /**
   * Adds the sightings line once the background answers: how often and
   * where else the finding's identifier was seen, with links, and a button
   * to watch it.
   * @param {unknown} subject
   * @param {any[]} items
   * @param {(on: boolean) => void} onWatch
   */
  setSightings(subject, items, onWatch) {
    if (subject !== this.subject || !this.dl || !this.box) return;
    for (const old of this.dl.querySelectorAll('.seen-row')) old.remove();
    const urls = [];
    for (const item of items) {
      const { dd, links } = sightingsLine(item, onWatch);
      const dt = el('dt', 'seen-row', t('card_seen'));
      dd.classList.add('seen-row');
      this.dl.append(dt, dd);
      urls.push(...links);
    }
    this.fields.seen = urls.join(' ').slice(0, 4096);
    this.fields.shown = shownText(this.box);
    this.report(this.fields);
  }

  /** Positions the card below (or above) a rectangle, inside the viewport. @param {DOMRect} rect */
  place(rect) {
    const box = this.box;
    if (!box) return;
    const vw = document.documentElement.clientWidth || innerWidth;
    const vh = document.documentElement.clientHeight || innerHeight;
    const w = box.offsetWidth || 300;
    const h = box.offsetHeight || 160;
    let top = rect.bottom + 6;
    if (top + h > vh - 4 && rect.top - h - 6 > 4) top = rect.top - h - 6;
    // Right to left, the card's start (its right edge) lines up with the finding's end.
    const want = box.dir === 'rtl' ? rect.right - w : rect.left;
    const left = Math.max(4, Math.min(want, vw - w - 8));
    // CSSOM writes are allowed under any page CSP (style attributes parsed
    // from markup are not); this element is inside the closed root.
    box.style.top = `${Math.round(Math.max(4, top))}px`;
    box.style.left = `${Math.round(left)}px`;
  }

  hide() {
    this.subject = null;
    this.foldedEl = null;
    this.dl = null;
    if (this.host?.isConnected) this.host.remove();
  }

  /** @param {Node} n */
  contains(n) {
    return !!this.host && (n === this.host || this.host.contains(n));
  }

  ensure() {
    if (this.box) return this.box;
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    // A constructed sheet: page CSP does not apply to it, unlike a <style>.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const box = el('div', 'card');
    box.setAttribute('role', 'tooltip');
    // The UI's language and direction; the page's own are left alone.
    box.lang = uiLanguage();
    box.dir = uiDir();
    root.append(box);
    this.host = host;
    this.box = box;
    return box;
  }
}

/** The card's text as read: one line per heading, paragraph and row. @param {HTMLElement} box */
function shownText(box) {
  const lines = [];
  for (const e of box.querySelectorAll('.head, .model, .desc, dt, .also-h, .also li')) {
    lines.push(e.tagName === 'DT' ? `${e.textContent}: ${e.nextElementSibling?.textContent ?? ''}` : (e.textContent ?? ''));
  }
  return lines.join('\n').slice(0, 4096);
}

/**
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
