// The single-file HTML copy of a page, put together from the frames' copies
// (content/snapshot.js): every resource token becomes a data: URL, every
// cross-origin frame's token the copy that frame made of itself.
//
// Resources come first from the browser's MHTML copy of the tab (Chrome),
// which holds what the page loaded, so nothing is asked again; the rest is
// fetched here, only now that the moderator preserves the page, from the
// servers that served the page: no cookies (credentials "omit"), no
// referrer, the browser's HTTP cache first. What cannot be had is listed,
// never waited for beyond a timeout.

import { cssUrls, rewriteCssUrls } from '../common/css-urls.js';
import { toBase64 } from '../common/wacz.js';

const FETCH_TIMEOUT_MS = 20_000;
/** Largest single resource, and all of them together, inlined into one copy. */
const MAX_RESOURCE = 16 * 1024 * 1024;
const MAX_TOTAL = 64 * 1024 * 1024;
const PARALLEL = 6;
/** Nesting of frames inside frames. */
const MAX_FRAME_DEPTH = 6;
const ASSET_TYPES = /^(image\/|font\/|application\/(font|x-font|vnd\.ms-fontobject|octet-stream))/;

/**
 * @typedef {import('../common/mhtml.js').MhtmlPart} MhtmlPart
 * @typedef {{frameId: number, copy: any}} FrameResult   copy: content/snapshot.js's FrameCopy
 * @typedef {{embedded: number, fromMhtml: number, fetched: number, missing: string[], bytes: number}} CopyStats
 */

/** @param {string} s */
function escapeAttr(s) {
  return s.replace(/[&"]/g, (c) => (c === '&' ? '&amp;' : '&quot;'));
}

/** @param {string} url */
function isWeb(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Fetches one resource the page used.
 * @param {string} url
 * @returns {Promise<{mime: string, bytes: Uint8Array}|null>}
 */
async function fetchResource(url) {
  if (!isWeb(url)) return null;
  try {
    const res = await fetch(url, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'force-cache',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!res.ok) return null;
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_RESOURCE) return null;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_RESOURCE) return null;
    return { mime: (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim().toLowerCase(), bytes };
  } catch {
    return null;
  }
}

class Resolver {
  /** @param {Map<string, MhtmlPart>|null} mhtml */
  constructor(mhtml) {
    this.mhtml = mhtml;
    /** @type {Map<string, Promise<string>>} key -> data URL or CSS text ('' when missing) */
    this.done = new Map();
    /** @type {CopyStats} */
    this.stats = { embedded: 0, fromMhtml: 0, fetched: 0, missing: [], bytes: 0 };
    this.running = 0;
    /** @type {(() => void)[]} */
    this.queue = [];
  }

  /** Runs `fn` with at most PARALLEL at once. @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
  async limit(fn) {
    if (this.running >= PARALLEL) await new Promise((r) => this.queue.push(() => r(undefined)));
    this.running += 1;
    try {
      return await fn();
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }

  /** @param {string} url @returns {Promise<{mime: string, bytes: Uint8Array, from: 'mhtml'|'fetch'}|null>} */
  async get(url) {
    const part = this.mhtml?.get(url);
    if (part && part.bytes.length) return { ...part, from: 'mhtml' };
    const got = await this.limit(() => fetchResource(url));
    return got ? { ...got, from: 'fetch' } : null;
  }

  /** An image, font or other asset as a data: URL ('' when it cannot be had). @param {string} url */
  asset(url) {
    const key = `asset ${url}`;
    let p = this.done.get(key);
    if (!p) {
      p = (async () => {
        const got = await this.get(url);
        const mime = got?.mime ?? '';
        if (!got || !(ASSET_TYPES.test(mime) || mime === 'image/svg+xml') || this.stats.bytes + got.bytes.length > MAX_TOTAL) {
          this.stats.missing.push(url);
          return '';
        }
        this.stats.bytes += got.bytes.length;
        this.stats.embedded += 1;
        if (got.from === 'mhtml') this.stats.fromMhtml += 1;
        else this.stats.fetched += 1;
        return `data:${mime};base64,${toBase64(got.bytes)}`;
      })();
      this.done.set(key, p);
    }
    return p;
  }

  /** A style sheet the frame could not read, its url()s and @imports inlined. @param {string} url @param {number} depth */
  sheet(url, depth = 0) {
    const key = `css ${url}`;
    let p = this.done.get(key);
    if (!p) {
      p = (async () => {
        const got = await this.get(url);
        if (!got || got.bytes.length > MAX_RESOURCE) {
          this.stats.missing.push(url);
          return '';
        }
        return this.inlineCss(new TextDecoder().decode(got.bytes), url, depth);
      })();
      this.done.set(key, p);
    }
    return p;
  }

  /** @param {string} css @param {string} base @param {number} depth */
  async inlineCss(css, base, depth) {
    const abs = (/** @type {string} */ u) => {
      try {
        return new URL(u.trim(), base).href;
      } catch {
        return '';
      }
    };
    // @import first: the imported sheet's text in its place.
    const imports = [...css.matchAll(/@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1\s*\)?[^;]*;/gi)];
    for (const m of imports) {
      const u = abs(m[2]);
      css = css.replace(m[0], depth < 4 && isWeb(u) ? await this.sheet(u, depth + 1) : '');
    }
    const urls = [...new Set(cssUrls(css))];
    const data = new Map();
    await Promise.all(
      urls.map(async (u) => {
        const a = abs(u);
        data.set(u, a.startsWith('data:') ? a : isWeb(a) ? await this.asset(a) : '');
      }),
    );
    return rewriteCssUrls(css, (u) => data.get(u) ?? '').replace(/<\/(style)/gi, '<\\/$1');
  }
}

/**
 * Resolves one frame's tokens.
 * @param {any} copy
 * @param {Resolver} r
 */
async function resolveCopy(copy, r) {
  /** @type {Map<string, string>} */
  const values = new Map();
  await Promise.all(
    copy.resources.map(async (/** @type {{token: string, url: string, kind: string}} */ res) => {
      if (res.kind === 'css') values.set(res.token, `*/${await r.sheet(res.url)}/*`);
      else values.set(res.token, await r.asset(res.url));
    }),
  );
  const re = new RegExp(`${copy.nonce}-\\d+(?![\\d-])`, 'g');
  // Data URLs need no escaping in an attribute; sheet texts go in <style> elements as they are.
  return String(copy.html).replace(re, (tok) => values.get(tok) ?? '');
}

/**
 * The page's single-file copy, and each frame's own.
 * @param {FrameResult[]} results   frame 0 is the top frame
 * @param {Map<string, MhtmlPart>|null} mhtml
 * @returns {Promise<{html: string, frames: {frameId: number, url: string, html: string}[], stats: CopyStats, framesMissing: string[]}>}
 */
export async function assemblePage(results, mhtml) {
  const r = new Resolver(mhtml);
  const copies = results.filter((x) => x.copy && typeof x.copy.html === 'string' && typeof x.copy.nonce === 'string' && Array.isArray(x.copy.resources));
  const top = copies.find((x) => x.frameId === 0);
  if (!top) throw new Error('the top frame could not be copied');
  /** @type {Map<number, string>} */
  const resolved = new Map();
  for (const c of copies) resolved.set(c.frameId, await resolveCopy(c.copy, r));
  const used = new Set([0]);
  /** @type {string[]} */
  const framesMissing = [];
  /** @param {{frameId: number, copy: any}} c @param {number} depth @returns {string} */
  const nest = (c, depth) => {
    let html = /** @type {string} */ (resolved.get(c.frameId));
    for (const f of c.copy.frames ?? []) {
      const child = depth < MAX_FRAME_DEPTH ? copies.find((x) => !used.has(x.frameId) && x.copy.url === f.url) : undefined;
      let inner;
      if (child) {
        used.add(child.frameId);
        inner = nest(child, depth + 1);
      } else {
        framesMissing.push(f.url);
        inner = `<!DOCTYPE html><meta charset="utf-8"><p>frame not captured: ${f.url.replace(/[&<>]/g, (x) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[x] ?? x)}</p>`;
      }
      html = html.replace(f.token, escapeAttr(inner));
    }
    return html;
  };
  const html = nest(top, 0);
  // Each frame's own copy too (replay tools load it at the frame's URL); frames inside it are empty there.
  const frames = copies
    .filter((c) => c.frameId !== 0)
    .map((c) => ({ frameId: c.frameId, url: c.copy.url, html: /** @type {string} */ (resolved.get(c.frameId)).replace(new RegExp(`${c.copy.nonce}-frame-\\d+`, 'g'), '') }));
  return { html, frames, stats: r.stats, framesMissing };
}
