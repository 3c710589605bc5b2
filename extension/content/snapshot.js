// Preserving a page, the frame's side (bundled alone as content/snapshot.js
// and injected only when the moderator preserves a page, so no page pays for
// it otherwise): a single-file HTML copy of the live DOM, and the scrolling
// a full-page screenshot needs.
//
// The copy is written from the DOM as it is now, not from the network:
// - scripts, event-handler attributes and javascript: URLs are left out (the
//   copy opens with nothing to run, and its CSP forbids scripts and network);
// - open and closed shadow roots are flattened into their hosts (slots get
//   the nodes assigned to them); since shadow styles would leak once
//   flattened, the look of every element from a shadow tree is written
//   inline from its computed style instead;
// - the document's style sheets (links, <style>, rules added by script,
//   adopted sheets) become <style> elements from the CSSOM; sheets the frame
//   may not read (cross-origin) and every url() in them, images (their
//   current source), posters and icons become tokens the background fills
//   with data: URLs it fetches or takes from the browser's MHTML copy;
// - form fields keep what is typed in them; canvases become images when
//   they can be read; same-origin frames are copied inline (srcdoc), other
//   frames become a token the background fills with that frame's own copy;
// - the tool's own UI (the card, the flag form) is never copied.
// Page text goes into the copy escaped, through our own serializer: nothing
// here parses or assigns HTML.

import { shadowOf as hostShadowOf } from './dom.js';
import { rewriteCssUrls } from '../common/css-urls.js';

const API = Symbol.for('flaglight-capture');
const OWN_UI = Symbol.for('content-own-ui');

/** Elements never copied. */
const DROP = new Set(['script', 'noscript', 'template', 'base', 'object', 'embed', 'applet', 'portal']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Attributes never copied (beside on* handlers). */
const DROP_ATTR = new Set(['srcset', 'sizes', 'integrity', 'nonce', 'ping', 'srcdoc', 'loading', 'decoding', 'fetchpriority']);
/** Attributes holding a URL kept as a link (absolute), never loaded. */
const LINK_ATTR = new Set(['href', 'action', 'formaction', 'cite', 'longdesc', 'xlink:href']);
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Longest slice of work per task, ms (the page stays responsive while it is copied). */
const SLICE_MS = 8;
/** Frames copied inline inside frames, at most this deep. */
const MAX_FRAME_DEPTH = 5;

/**
 * Computed properties written inline for elements from shadow trees.
 * Inherited ones are written when they differ from the parent's; the others
 * when they differ from the property's initial value.
 */
const INHERITED = [
  'color', 'font-family', 'font-size', 'font-style', 'font-weight', 'line-height', 'letter-spacing', 'word-spacing',
  'text-align', 'text-indent', 'text-transform', 'white-space', 'visibility', 'direction', 'list-style-type', 'cursor',
];
/** @type {[string, string][]} */
const OWN = [
  ['display', ''], ['position', 'static'], ['top', 'auto'], ['right', 'auto'], ['bottom', 'auto'], ['left', 'auto'],
  ['float', 'none'], ['clear', 'none'], ['box-sizing', 'content-box'], ['width', ''], ['height', ''],
  ['min-width', '0px'], ['max-width', 'none'], ['min-height', '0px'], ['max-height', 'none'],
  ['margin-top', '0px'], ['margin-right', '0px'], ['margin-bottom', '0px'], ['margin-left', '0px'],
  ['padding-top', '0px'], ['padding-right', '0px'], ['padding-bottom', '0px'], ['padding-left', '0px'],
  ['border-top-width', '0px'], ['border-right-width', '0px'], ['border-bottom-width', '0px'], ['border-left-width', '0px'],
  ['border-top-style', 'none'], ['border-right-style', 'none'], ['border-bottom-style', 'none'], ['border-left-style', 'none'],
  ['border-top-color', ''], ['border-right-color', ''], ['border-bottom-color', ''], ['border-left-color', ''],
  ['border-top-left-radius', '0px'], ['border-top-right-radius', '0px'], ['border-bottom-left-radius', '0px'], ['border-bottom-right-radius', '0px'],
  ['background-color', 'rgba(0, 0, 0, 0)'], ['background-image', 'none'], ['background-size', 'auto'], ['background-position', '0% 0%'],
  ['background-repeat', 'repeat'], ['text-decoration-line', 'none'], ['vertical-align', 'baseline'], ['opacity', '1'],
  ['overflow-x', 'visible'], ['overflow-y', 'visible'], ['flex-direction', 'row'], ['flex-wrap', 'nowrap'],
  ['justify-content', 'normal'], ['align-items', 'normal'], ['align-self', 'auto'], ['flex-grow', '0'], ['flex-shrink', '1'],
  ['flex-basis', 'auto'], ['row-gap', 'normal'], ['column-gap', 'normal'], ['grid-template-columns', 'none'],
  ['grid-template-rows', 'none'], ['grid-column-start', 'auto'], ['grid-column-end', 'auto'], ['grid-row-start', 'auto'],
  ['grid-row-end', 'auto'], ['z-index', 'auto'], ['transform', 'none'], ['box-shadow', 'none'], ['object-fit', 'fill'],
];

/** @param {string} s */
function escapeText(s) {
  return s.replace(/[&<>\u00a0]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&nbsp;'));
}
/** @param {string} s */
function escapeAttr(s) {
  return s.replace(/[&"\u00a0]/g, (c) => (c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&nbsp;'));
}

/** Yields to the page's own tasks. */
function nextTask() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(undefined);
    ch.port2.postMessage(0);
  });
}

/**
 * The element's shadow root, open or closed, where the scanner looks for one
 * (content/dom.js). Only HTML elements can host one: the browser's closed-root
 * lookup throws for SVG and MathML elements.
 * @param {Element} el
 */
function shadowOf(el) {
  if (el.shadowRoot) return el.shadowRoot;
  if (!(el instanceof HTMLElement)) return null;
  try {
    return hostShadowOf(el);
  } catch {
    return null;
  }
}

/**
 * One frame's copy.
 * @typedef {object} FrameCopy
 * @property {string} url
 * @property {string} title
 * @property {string} html       with resource and frame tokens
 * @property {string} nonce      the tokens' prefix
 * @property {{token: string, url: string, kind: 'asset'|'css'}[]} resources
 * @property {{token: string, url: string}[]} frames   cross-origin frames, by URL
 * @property {{shadowRoots: number, styledInline: number, sheets: number, unreadableSheets: number, canvases: number, elements: number}} counts
 */

class Writer {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.nonce = `flres${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
    /** @type {Map<string, string>} url -> token */
    this.tokens = new Map();
    /** @type {FrameCopy['resources']} */
    this.resources = [];
    /** @type {FrameCopy['frames']} */
    this.frames = [];
    this.counts = { shadowRoots: 0, styledInline: 0, sheets: 0, unreadableSheets: 0, canvases: 0, elements: 0 };
    const own = /** @type {any} */ (globalThis)[OWN_UI];
    /** @type {Set<Element>} */
    this.own = new Set(typeof own === 'function' ? own() : []);
    this.deadline = performance.now() + SLICE_MS;
  }

  /** A token for a resource the background fetches. @param {string} url @param {'asset'|'css'} kind */
  token(url, kind = 'asset') {
    const key = `${kind} ${url}`;
    let tok = this.tokens.get(key);
    if (!tok) {
      tok = `${this.nonce}-${this.tokens.size}`;
      this.tokens.set(key, tok);
      this.resources.push({ token: tok, url, kind });
    }
    return tok;
  }

  /** @param {string} value @param {string} base */
  absolute(value, base) {
    try {
      return new URL(value, base).href;
    } catch {
      return '';
    }
  }

  /** An image or other loaded URL as a token (data: URLs stay as they are). @param {string} value @param {string} base */
  asset(value, base) {
    const abs = this.absolute(value.trim(), base);
    if (!abs || abs.startsWith('data:')) return abs;
    if (!/^https?:/.test(abs)) return '';
    return this.token(abs);
  }

  /** CSS text with every url() made a token. @param {string} css @param {string} base */
  css(css, base) {
    return rewriteCssUrls(css, (u) => this.asset(u, base)).replace(/<\/(style)/gi, '<\\/$1');
  }

  /** Gives the page a turn when this slice is used up. */
  async breathe() {
    if (performance.now() < this.deadline) return;
    await nextTask();
    this.deadline = performance.now() + SLICE_MS;
  }

  /** The document's style sheets, as <style> elements. @param {Document|ShadowRoot} root */
  async sheets(root) {
    const out = [];
    const all = [...root.styleSheets, ...(root.adoptedStyleSheets ?? [])];
    for (const sheet of all) {
      if (sheet.disabled) continue;
      out.push(await this.sheet(sheet, 0));
    }
    return out.join('\n');
  }

  /** @param {CSSStyleSheet} sheet @param {number} depth */
  async sheet(sheet, depth) {
    const base = sheet.href || this.doc.baseURI;
    const media = sheet.media?.mediaText;
    let rules;
    try {
      rules = sheet.cssRules;
    } catch {
      rules = null;
    }
    this.counts.sheets += 1;
    let body;
    if (!rules) {
      // Cross-origin: the frame may not read it; the background fetches it.
      this.counts.unreadableSheets += 1;
      body = sheet.href ? `/*${this.token(sheet.href, 'css')}*/` : '';
    } else {
      const parts = [];
      for (const rule of rules) {
        if (rule instanceof CSSImportRule && rule.styleSheet && depth < 4) parts.push(await this.sheet(rule.styleSheet, depth + 1));
        else parts.push(this.css(rule.cssText, base));
        await this.breathe();
      }
      body = parts.join('\n');
    }
    return media && media !== 'all' ? `<style media="${escapeAttr(media)}">${body}</style>` : `<style>${body}</style>`;
  }

  /** A document, as a complete HTML file. @param {number} depth */
  async document(depth = 0) {
    const doc = this.doc;
    const root = doc.documentElement;
    if (!root) return '<!DOCTYPE html><html></html>';
    const head = doc.head;
    const csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:; media-src data:; frame-src data: about:";
    const lead = [
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
      '<meta name="referrer" content="no-referrer">',
    ].join('');
    const styles = await this.sheets(doc);
    const headInner = head ? await this.children(head, depth) : '';
    const bodyPart = [];
    for (const child of root.childNodes) {
      if (child === head) continue;
      bodyPart.push(await this.node(child, depth));
    }
    return `<!DOCTYPE html>\n<html${this.attrs(root)}><head>${lead}${headInner}${styles}</head>${bodyPart.join('')}</html>\n`;
  }

  /** @param {Node} parent @param {number} depth */
  async children(parent, depth) {
    const out = [];
    for (const child of parent.childNodes) out.push(await this.node(child, depth));
    return out.join('');
  }

  /** @param {Node} n @param {number} depth @returns {Promise<string>} */
  async node(n, depth) {
    if (n.nodeType === Node.TEXT_NODE) {
      const parent = n.parentNode;
      const raw = parent && parent.nodeType === Node.ELEMENT_NODE && /** @type {Element} */ (parent).localName === 'style';
      return raw ? this.css(/** @type {Text} */ (n).data, this.doc.baseURI) : escapeText(/** @type {Text} */ (n).data);
    }
    if (n.nodeType !== Node.ELEMENT_NODE) return '';
    return this.element(/** @type {Element} */ (n), depth);
  }

  /** @param {Element} el @param {number} depth */
  async element(el, depth) {
    const tag = el.localName;
    if (DROP.has(tag) || this.own.has(el)) return '';
    if (tag === 'link' || (tag === 'meta' && el.hasAttribute('http-equiv')) || (tag === 'meta' && el.hasAttribute('charset'))) return '';
    // Style elements are written from the CSSOM with the other sheets (in the
    // head, in document order); a shadow root's go: its elements carry their
    // computed style inline.
    if (tag === 'style') return '';
    if (tag === 'slot' && el.getRootNode() instanceof ShadowRoot) return this.slot(/** @type {HTMLSlotElement} */ (el), depth);
    this.counts.elements += 1;
    await this.breathe();
    if (tag === 'canvas') return this.canvas(/** @type {HTMLCanvasElement} */ (el));
    if (tag === 'iframe' || tag === 'frame') return this.frame(/** @type {HTMLIFrameElement} */ (el), depth);
    const name = el.namespaceURI === SVG_NS || el.namespaceURI === 'http://www.w3.org/1998/Math/MathML' ? el.tagName : tag;
    let attrs = this.attrs(el);
    const style = this.inlineStyle(el);
    if (style) attrs = mergeStyle(attrs, style);
    if (VOID.has(tag)) return `<${name}${attrs}>`;
    let inner;
    if (tag === 'textarea') inner = escapeText(/** @type {HTMLTextAreaElement} */ (el).value);
    else {
      const shadow = shadowOf(el);
      if (shadow) {
        this.counts.shadowRoots += 1;
        inner = await this.children(shadow, depth);
      } else inner = await this.children(el, depth);
    }
    return `<${name}${attrs}>${inner}</${name}>`;
  }

  /** A slot in a flattened shadow tree: the nodes assigned to it, else its fallback. @param {HTMLSlotElement} slot @param {number} depth */
  async slot(slot, depth) {
    const assigned = slot.assignedNodes({ flatten: true });
    if (!assigned.length) return this.children(slot, depth);
    const out = [];
    for (const n of assigned) out.push(await this.node(n, depth));
    return out.join('');
  }

  /** @param {HTMLCanvasElement} c */
  canvas(c) {
    try {
      const url = c.toDataURL('image/png');
      this.counts.canvases += 1;
      return `<img src="${escapeAttr(url)}" width="${c.width}" height="${c.height}" alt="">`;
    } catch {
      return `<span style="display:inline-block;width:${c.width}px;height:${c.height}px"></span>`;
    }
  }

  /**
   * A frame: copied inline when the frame may read it (same origin), else a
   * token for the background, which has every frame's own copy.
   * @param {HTMLIFrameElement} f
   * @param {number} depth
   */
  async frame(f, depth) {
    let attrs = this.attrs(f).replace(/ src="[^"]*"/, '');
    const style = this.inlineStyle(f);
    if (style) attrs = mergeStyle(attrs, style);
    let doc;
    try {
      doc = f.contentDocument;
    } catch {
      doc = null;
    }
    if (doc && doc.documentElement && depth < MAX_FRAME_DEPTH) {
      const w = new Writer(doc);
      w.nonce = this.nonce;
      w.tokens = this.tokens;
      w.resources = this.resources;
      w.frames = this.frames;
      w.counts = this.counts;
      w.own = this.own;
      const inner = await w.document(depth + 1);
      return `<iframe${attrs} srcdoc="${escapeAttr(inner)}"></iframe>`;
    }
    const src = f.src ? this.absolute(f.src, this.doc.baseURI) : '';
    if (!src || !/^https?:/.test(src)) return `<iframe${attrs}></iframe>`;
    const tok = `${this.nonce}-frame-${this.frames.length}`;
    this.frames.push({ token: tok, url: src });
    return `<iframe${attrs} srcdoc="${tok}"></iframe>`;
  }

  /** An element's attributes, made safe and self-contained. @param {Element} el */
  attrs(el) {
    const tag = el.localName;
    const base = this.doc.baseURI;
    const out = [];
    for (const a of el.attributes) {
      const name = a.name;
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || DROP_ATTR.has(lower)) continue;
      let v = a.value;
      if (/^\s*(javascript|vbscript):/i.test(v)) continue;
      if (lower === 'style') v = this.css(v, base);
      else if (lower === 'src' || lower === 'poster' || (lower === 'data' && tag === 'object')) {
        if (tag === 'iframe' || tag === 'frame') continue;
        const current = tag === 'img' ? /** @type {HTMLImageElement} */ (el).currentSrc || v : v;
        v = ['video', 'audio', 'source', 'track'].includes(tag) && lower === 'src' ? '' : this.asset(current, base);
        if (!v) continue;
      } else if ((lower === 'href' && tag === 'image') || (lower === 'xlink:href' && tag === 'image')) v = this.asset(v, base);
      else if (LINK_ATTR.has(lower)) {
        if (v.startsWith('#')) {
          out.push(` ${name}="${escapeAttr(v)}"`);
          continue;
        }
        v = this.absolute(v, base);
        if (!v) continue;
      } else if (lower === 'value' && (tag === 'input' || tag === 'option')) continue;
      else if (lower === 'checked' || lower === 'selected') continue;
      out.push(` ${name}="${escapeAttr(v)}"`);
    }
    if (tag === 'input') {
      const input = /** @type {HTMLInputElement} */ (el);
      if (input.type === 'checkbox' || input.type === 'radio') {
        if (input.checked) out.push(' checked');
      } else if (input.type !== 'password' && input.type !== 'file') out.push(` value="${escapeAttr(input.value)}"`);
    }
    if (tag === 'option') {
      const o = /** @type {HTMLOptionElement} */ (el);
      out.push(` value="${escapeAttr(o.value)}"`);
      if (o.selected) out.push(' selected');
    }
    return out.join('');
  }

  /**
   * The look of an element from a shadow tree (or a shadow host, which
   * :host rules style), written inline; '' for the rest of the document.
   * @param {Element} el
   */
  inlineStyle(el) {
    const inShadow = el.getRootNode() instanceof ShadowRoot;
    if (!inShadow && !shadowOf(el)) return '';
    const view = this.doc.defaultView;
    if (!view) return '';
    const cs = view.getComputedStyle(el);
    const parent = el.parentElement ? view.getComputedStyle(el.parentElement) : null;
    const decl = [];
    for (const p of INHERITED) {
      const v = cs.getPropertyValue(p);
      if (v && (!parent || parent.getPropertyValue(p) !== v)) decl.push(`${p}:${v}`);
    }
    for (const [p, initial] of OWN) {
      const v = cs.getPropertyValue(p);
      if (!v || v === initial) continue;
      // Sizes only where the box has fixed ones (images, media, blocks with a set size).
      if ((p === 'width' || p === 'height') && !/^(img|video|canvas|svg|iframe|input|button)$/.test(el.localName)) continue;
      decl.push(`${p}:${v}`);
    }
    this.counts.styledInline += 1;
    return this.css(decl.join(';'), this.doc.baseURI);
  }
}

/** Adds (or prepends to) the style attribute. @param {string} attrs @param {string} style */
function mergeStyle(attrs, style) {
  const m = / style="([^"]*)"/.exec(attrs);
  if (!m) return `${attrs} style="${escapeAttr(style)}"`;
  return attrs.replace(m[0], ` style="${escapeAttr(style)};${m[1]}"`);
}

/**
 * The frame's copy.
 * @returns {Promise<FrameCopy>}
 */
async function snapshot() {
  const w = new Writer(document);
  const html = await w.document(0);
  return { url: location.href, title: document.title, html, nonce: w.nonce, resources: w.resources, frames: w.frames, counts: w.counts };
}

// ---- the full-page screenshot: scrolling, and what must not repeat ----------------

/** @type {{x: number, y: number, hidden: {el: HTMLElement, value: string, priority: string}[]}|null} */
let shot = null;
/**
 * The page is put back by itself when the background goes quiet (its
 * service worker stopped in the middle): a screenshot never leaves the page
 * scrolled away or its header hidden.
 */
const ABANDONED_MS = 8000;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let watchdog;
function keepAlive() {
  clearTimeout(watchdog);
  watchdog = setTimeout(shotEnd, ABANDONED_MS);
}

/** Starts a screenshot: where the moderator was, the page's size. */
function shotBegin() {
  if (shot) shotEnd();
  keepAlive();
  shot = { x: window.scrollX, y: window.scrollY, hidden: [] };
  const se = document.scrollingElement ?? document.documentElement;
  return {
    width: window.innerWidth,
    height: window.innerHeight,
    fullHeight: Math.max(se.scrollHeight, document.body?.scrollHeight ?? 0),
    dpr: window.devicePixelRatio || 1,
    x: shot.x,
    y: shot.y,
  };
}

/**
 * Scrolls to y; after the first tile, fixed and sticky elements are hidden
 * so headers do not repeat down the picture (restored by shotEnd).
 * @param {number} y
 * @param {boolean} hideFixed
 */
async function shotStep(y, hideFixed) {
  // Put back already (the background was quiet too long): the picture would be wrong.
  if (!shot) return { y: window.scrollY, lost: true };
  keepAlive();
  if (hideFixed && shot && !shot.hidden.length) {
    for (const el of document.querySelectorAll('body *')) {
      const pos = getComputedStyle(el).position;
      if (pos !== 'fixed' && pos !== 'sticky') continue;
      const h = /** @type {HTMLElement} */ (el);
      shot.hidden.push({ el: h, value: h.style.getPropertyValue('visibility'), priority: h.style.getPropertyPriority('visibility') });
      h.style.setProperty('visibility', 'hidden', 'important');
    }
  }
  window.scrollTo({ left: 0, top: y, behavior: 'instant' });
  // Two frames: the scroll is painted before the background captures.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return { y: window.scrollY };
}

/** Puts everything back: the hidden elements, the moderator's scroll position. */
function shotEnd() {
  clearTimeout(watchdog);
  if (!shot) return { restored: false };
  for (const { el, value, priority } of shot.hidden) {
    if (value) el.style.setProperty('visibility', value, priority);
    else el.style.removeProperty('visibility');
  }
  window.scrollTo({ left: shot.x, top: shot.y, behavior: 'instant' });
  const back = { restored: window.scrollX === shot.x && window.scrollY === shot.y, x: window.scrollX, y: window.scrollY };
  shot = null;
  return back;
}

/** @type {any} */ (globalThis)[API] = { snapshot, shotBegin, shotStep, shotEnd };
