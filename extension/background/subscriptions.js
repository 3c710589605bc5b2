// Downloading a subscribed pack: the request, its limits and its checks.
//
// A subscription is data only: the body is read as text, checked (size, pin,
// UTF-8) and handed to the engine's validator; nothing fetched is ever run as
// code. The request says nothing about the moderator: no cookies or other
// credentials, no referrer, only the conditional headers from the last answer
// of the same URL. What becomes of the text (validation, compiling, keeping the
// last good version) is packs.js's job.

import { t } from '../common/i18n.js';

/** Shortest update interval a pack may ask for, in hours: a pack host is not polled. */
export const MIN_INTERVAL_HOURS = 1;
/** Longest: a week, so a fix still arrives. */
export const MAX_INTERVAL_HOURS = 7 * 24;
/** When the pack does not say (`update_interval_hours`). */
export const DEFAULT_INTERVAL_HOURS = 24;
/** Largest body read, in bytes; reading stops as soon as it is passed. */
export const MAX_DOWNLOAD_BYTES = 5 * 1024 * 1024;
/** A download that takes longer has failed. */
export const FETCH_TIMEOUT_MS = 30_000;

/**
 * The interval a pack asks for, within the floor and ceiling.
 * @param {unknown} hours  the pack's `update_interval_hours`
 * @returns {number}
 */
export function clampInterval(hours) {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) return DEFAULT_INTERVAL_HOURS;
  return Math.min(MAX_INTERVAL_HOURS, Math.max(MIN_INTERVAL_HOURS, hours));
}

/**
 * Whether a host is this machine: a pack author may test a pack served from
 * their own machine over plain HTTP; every other URL must be HTTPS.
 * @param {string} hostname  as URL.hostname gives it
 */
function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a subscription URL.
 * @param {string} text
 * @returns {{url: string, origin: string}|{error: string}}  origin: the host permission pattern to ask for
 */
export function checkUrl(text) {
  let u;
  try {
    u = new URL(text.trim());
  } catch {
    return { error: t('sub_not_url') };
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    return { error: t('sub_not_https') };
  }
  if (u.username || u.password) return { error: t('sub_credentials') };
  u.hash = '';
  return { url: u.href, origin: originPattern(u.href) };
}

/**
 * The host permission pattern that covers a URL (ports are not part of match patterns).
 * @param {string} url
 */
export function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/**
 * Reads a SHA-256 pin: 64 hex digits, or "sha256-" and base64 (as in
 * Subresource Integrity). Empty means no pin.
 * @param {string} text
 * @returns {string|null}  lower-case hex, '' for none, null when malformed
 */
export function parsePin(text) {
  const s = text.trim();
  if (!s) return '';
  if (/^[0-9a-fA-F]{64}$/.test(s)) return s.toLowerCase();
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(s);
  if (!m) return null;
  const bin = atob(m[1]);
  let hex = '';
  for (let i = 0; i < bin.length; i++) hex += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

/** @param {Uint8Array} bytes @returns {Promise<string>} lower-case hex */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Reads a response body, giving up as soon as it passes `cap` bytes (a
 * Content-Length over the cap fails before anything is read).
 * @param {Response} res
 * @param {number} cap
 * @returns {Promise<Uint8Array>}
 */
export async function readCapped(res, cap) {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`the pack is larger than ${formatBytes(cap)} (${formatBytes(declared)})`);
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw new Error(`the pack is larger than ${formatBytes(cap)}`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** @param {number} n */
function formatBytes(n) {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * @typedef {object} Conditional
 * @property {string} etag          from the last 200 answer ('' if none)
 * @property {string} lastModified  from the last 200 answer ('' if none)
 *
 * @typedef {{status: 'not-modified'} | {status: 'ok', text: string, sha256: string, etag: string, lastModified: string}} Download
 */

/**
 * Downloads a pack. Throws an Error whose message says why for every failure
 * (network, HTTP status, size, pin, encoding); validation is the caller's.
 * @param {string} url
 * @param {Conditional & {pin: string}} sub
 * @param {{fetch?: typeof fetch, cap?: number, timeoutMs?: number}} [opts]
 * @returns {Promise<Download>}
 */
export async function download(url, sub, opts = {}) {
  const doFetch = opts.fetch ?? fetch;
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (sub.etag) headers['if-none-match'] = sub.etag;
  if (sub.lastModified) headers['if-modified-since'] = sub.lastModified;
  let res;
  try {
    res = await doFetch(url, {
      method: 'GET',
      headers,
      credentials: 'omit',
      // The conditional headers are ours: the HTTP cache must not answer for
      // them or add its own.
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs ?? FETCH_TIMEOUT_MS),
    });
  } catch (e) {
    const name = /** @type {any} */ (e)?.name;
    const why = name === 'TimeoutError' ? `no answer within ${Math.round((opts.timeoutMs ?? FETCH_TIMEOUT_MS) / 1000)} s` : `network error (${String(/** @type {any} */ (e)?.message ?? e)})`;
    throw new Error(why, { cause: e });
  }
  if (res.status === 304) return { status: 'not-modified' };
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  // A redirect may not take the pack to plain HTTP.
  if (res.url && 'error' in checkUrl(res.url)) throw new Error(`redirected to ${res.url}, which is not https://`);
  const bytes = await readCapped(res, opts.cap ?? MAX_DOWNLOAD_BYTES);
  const sha256 = await sha256Hex(bytes);
  if (sub.pin && sha256 !== sub.pin) throw new Error(`the SHA-256 of the download (${sha256}) is not the pinned one (${sub.pin})`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (e) {
    throw new Error('the pack is not UTF-8 text', { cause: e });
  }
  return { status: 'ok', text, sha256, etag: res.headers.get('etag') ?? '', lastModified: res.headers.get('last-modified') ?? '' };
}
