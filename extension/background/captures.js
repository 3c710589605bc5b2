// "Preserve this page": a signed WACZ package of the open tab with what the
// moderator sees and what flaglight knows about it (common/wacz.js says what
// the package is). The parts, one WARC record each:
//   the page        single-file HTML copy of the live DOM (content/snapshot.js,
//                   put together by page-copy.js), at the page's URL, and a
//                   copy per frame at the frame's URL; in Chrome also the
//                   browser's own MHTML (pageCapture), urn:mhtml:<url>
//   screenshot      the whole page, scrolled and stitched (screenshot.js), urn:view:<url>
//   text            each frame's text as the engine read it, urn:text:<url>
//   findings        the engine's findings with their explanations (metadata)
//   flags           the page's reviewer flags as W3C Web Annotations (metadata)
//   sightings       what the sightings store knows of the page, once it exists (metadata)
//   capture         URL, title, time, browser, extension, packs, model, notes (metadata)
// Nothing is sent anywhere: the package is stored here (capture-store.js)
// and leaves only when the moderator downloads it, except the digest sent
// to a timestamp authority the moderator set (timestamp.js).

import { api } from '../common/api.js';
import { CAPTURE_SETTINGS_KEY as SETTINGS_KEY, checkCaptureSettings } from '../common/records.js';
import { toJsonLd } from '../common/evidence.js';
import { mhtmlParts } from '../common/mhtml.js';
import { normalizeUrl } from '../common/url.js';
import { t as tr } from '../common/i18n.js';
import { buildWacz, fromBase64, hex, sha256 } from '../common/wacz.js';
import { readCaptures, readPackage } from '../common/capture-db.js';
import { DoesNotFit, dismissPending, dropPending, estimate, pending, purgeDeleted, savePackage, setDeleted, sign, signingKey, startPending } from './capture-store.js';
import { assemblePage } from './page-copy.js';
import { fullPageScreenshot } from './screenshot.js';
import { requestTimestamp } from './timestamp.js';
import { tabFindings, tabs } from './tabs.js';
import { frameText, tabFlags } from './flags.js';

/** A deleted package can be restored this long. */
const UNDO_MS = 60_000;
const INJECT_WAIT_MS = 2000;

/** @typedef {import('../common/records.js').CaptureSettings} CaptureSettings */

async function settings() {
  const got = await api.storage.local.get(SETTINGS_KEY).catch(() => ({}));
  return checkCaptureSettings(/** @type {any} */ (got)[SETTINGS_KEY]);
}

/**
 * What background.js lends this module.
 * @typedef {object} Host
 * @property {() => Promise<{rules: any[], model: any}>} engine
 * @property {() => void} changed   the captures list changed: panels refresh
 */
/** @type {Host} */
let host = { engine: () => Promise.reject(new Error('no engine')), changed: () => {} };

/** @param {Host} h */
export function initCaptures(h) {
  host = h;
  // Packages deleted before a restart are gone for good; the key is made now if it is missing.
  purgeDeleted(Date.now() - UNDO_MS).catch(() => {});
}

api.runtime.onInstalled.addListener(() => {
  signingKey().catch((e) => console.error('flaglight: the signing key could not be made', String(e)));
});

/** A sightings source, once the sightings store exists: what it knows of these pages. */
/** @type {((tabId: number, urls: string[]) => Promise<unknown>)|null} */
let sightingsSource = null;
/** @param {(tabId: number, urls: string[]) => Promise<unknown>} fn */
export function setSightingsSource(fn) {
  sightingsSource = fn;
}

/**
 * Captures under way, by tab; `took` is how long each finished phase took (ms).
 * @type {Map<number, {id: string, url: string, phase: string, started: number, since: number, took: Record<string, number>}>}
 */
const running = new Map();

/** @param {number} tabId @param {string} phase */
function phase(tabId, phase) {
  const r = running.get(tabId);
  if (r) {
    const now = Date.now();
    r.took[r.phase] = (r.took[r.phase] ?? 0) + now - r.since;
    r.phase = phase;
    r.since = now;
  }
  host.changed();
}

/** Runs a snapshot.js function in a frame. @param {number} tabId @param {number} frameId */
function caller(tabId, frameId) {
  return async (/** @type {string} */ name, /** @type {any[]} */ ...args) => {
    const [r] = await api.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      func: (n, a) => /** @type {any} */ (globalThis)[Symbol.for('flaglight-capture')][n](...a),
      args: [name, args],
    });
    if (!r) throw new Error(`the frame did not answer ${name}`);
    return r.result;
  };
}

/**
 * The content script (for the text and flags) and the copying script in
 * every frame flaglight may read. The click, key or menu that asked for the
 * capture granted activeTab, which allows it on any site.
 * @param {number} tabId
 */
async function inject(tabId) {
  if (!tabs.get(tabId)?.frames.size) {
    await api.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['content/content.js'] }).catch(() => {});
    for (let i = 0; i < INJECT_WAIT_MS / 50 && !tabs.get(tabId)?.frames.size; i++) await new Promise((r) => setTimeout(r, 50));
  }
  try {
    await api.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['content/snapshot.js'] });
  } catch {
    await api.scripting.executeScript({ target: { tabId }, files: ['content/snapshot.js'] });
  }
}

/** Every frame's copy (frames flaglight may not read are left out). @param {number} tabId */
async function frameCopies(tabId) {
  const func = () => /** @type {any} */ (globalThis)[Symbol.for('flaglight-capture')]?.snapshot() ?? null;
  try {
    return await api.scripting.executeScript({ target: { tabId, allFrames: true }, func });
  } catch {
    return api.scripting.executeScript({ target: { tabId }, func });
  }
}


/** The browser, as precisely as it says. */
async function browserInfo() {
  const info = await /** @type {any} */ (api).runtime.getBrowserInfo?.().catch(() => null);
  const ua = /** @type {any} */ (navigator).userAgentData;
  const brands = ua?.brands?.map((/** @type {any} */ b) => `${b.brand} ${b.version}`).join(', ');
  return { userAgent: navigator.userAgent, ...(info ? { name: info.name, version: info.version, vendor: info.vendor } : {}), ...(brands ? { brands } : {}) };
}

/** @param {unknown} v */
const jsonBytes = (v) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

/** The full-page screenshot, or null with the reason in the notes. @param {number} tabId @param {string[]} notes */
async function takeScreenshot(tabId, notes) {
  try {
    const shot = await fullPageScreenshot(tabId, caller(tabId, 0));
    if (shot.truncated) notes.push(tr('capture_note_shot_cut', shot.height));
    return shot;
  } catch (e) {
    const why = String(/** @type {any} */ (e)?.message ?? e);
    // tabs.captureVisibleTab needs the activeTab grant of the toolbar button,
    // the shortcut or the context menu: a click in the side panel gives none.
    notes.push(tr('capture_note_no_shot', /activeTab|all_urls|permission/i.test(why) ? tr('capture_shot_needs_grant') : why));
    return null;
  }
}

/**
 * The page's copy (and Chrome's MHTML, which comes from the page that asked:
 * a service worker cannot read the Blob pageCapture gives, so a capture that
 * followed a flag has none).
 * @param {number} tabId
 * @param {CaptureSettings} opts
 * @param {'button'|'flag'} reason
 * @param {string|undefined} mhtmlB64
 * @param {string[]} notes
 */
async function copyPage(tabId, opts, reason, mhtmlB64, notes) {
  let mhtml = null;
  if (opts.mhtml && /** @type {any} */ (api).pageCapture) {
    if (mhtmlB64) mhtml = fromBase64(mhtmlB64);
    else notes.push(tr('capture_note_no_mhtml', tr(reason === 'flag' ? 'capture_mhtml_after_flag' : 'capture_mhtml_refused')));
  }
  const results = (await frameCopies(tabId)).map((r) => ({ frameId: r.frameId, copy: r.result }));
  const copy = await assemblePage(results, mhtml ? mhtmlParts(mhtml) : null);
  if (copy.stats.missing.length) notes.push(tr('capture_note_missing', copy.stats.missing.length, copy.stats.missing.slice(0, 5).join(' ')));
  if (copy.framesMissing.length) notes.push(tr('capture_note_frames', copy.framesMissing.length));
  const title = String(results.find((r) => r.frameId === 0)?.copy?.title ?? '');
  return { mhtml, copy, title };
}

/** Each frame's text as the engine read it. @param {number} tabId @param {string} url */
async function frameTexts(tabId, url) {
  const frameIds = [...(tabs.get(tabId)?.frames.keys() ?? [])].sort((a, b) => a - b);
  const texts = [];
  for (const frameId of frameIds) {
    const text = await frameText(tabId, frameId);
    const frameUrl = frameId === 0 ? url : (tabs.get(tabId)?.frames.get(frameId)?.url ?? '');
    if (text !== null && frameUrl) texts.push({ frameId, url: frameUrl, text });
  }
  return texts;
}

/** The tab's findings with their rules' explanations. @param {number} tabId @param {any[]} rules */
function explainedFindings(tabId, rules) {
  return tabFindings(tabId).map((f) => {
    const meta = rules[f.rule] ?? {};
    return {
      frame: tabs.get(tabId)?.frames.get(f.frameId)?.url ?? '',
      text: f.text,
      before: f.before,
      after: f.after,
      category: f.category,
      severity: f.severity,
      kind: f.kind,
      rule: f.ruleId,
      pack: f.pack,
      packName: meta.pack_name ?? f.pack,
      packVersion: meta.pack_version ?? '',
      description: meta.description ?? '',
      checksum: f.checksum,
      score: f.score,
    };
  });
}

/** What the page's sightings source knows, or null. @param {number} tabId @param {string[]} keys @param {string[]} notes */
async function pageSightings(tabId, keys, notes) {
  if (!sightingsSource) return null;
  try {
    return await sightingsSource(tabId, keys);
  } catch (e) {
    notes.push(tr('capture_note_no_sightings', String(/** @type {any} */ (e)?.message ?? e)));
    return null;
  }
}

/**
 * The capture's own description (the `urn:flaglight:capture:` record).
 * @param {{url: string, title: string, created: string, reason: string, engine: any, copy: any, shot: any, notes: string[]}} c
 */
async function captureInfo({ url, title, created, reason, engine, copy, shot, notes }) {
  const rules = engine?.rules ?? [];
  const packs = [...new Map(rules.filter((/** @type {any} */ r) => r.kind !== 'model').map((/** @type {any} */ r) => [r.pack, { id: r.pack, version: r.pack_version, name: r.pack_name }])).values()];
  return {
    url,
    title,
    capturedAt: created,
    reason,
    browser: await browserInfo(),
    extension: { name: 'flaglight', version: api.runtime.getManifest().version },
    packs,
    model: engine?.model ? { name: engine.model.name, version: engine.model.version } : null,
    frames: [{ url, copied: true }, ...copy.frames.map((/** @type {any} */ f) => ({ url: f.url, copied: true })), ...copy.framesMissing.map((/** @type {string} */ u) => ({ url: u, copied: false }))],
    pageCopy: { images: copy.stats.embedded, fromMhtml: copy.stats.fromMhtml, fetched: copy.stats.fetched, missing: copy.stats.missing },
    screenshot: shot ? { width: shot.width, height: shot.height, tiles: shot.tiles, truncated: shot.truncated, scrollRestored: shot.restored } : null,
    notes,
  };
}

/**
 * One WARC record per part: the copies at their URLs first, then what
 * describes them.
 * @param {{url: string, copy: any, mhtml: Uint8Array|null, shot: any, texts: {url: string, text: string}[], findings: unknown, annotations: unknown, sightings: unknown, info: unknown}} p
 * @returns {import('../common/wacz.js').Part[]}
 */
function packageParts({ url, copy, mhtml, shot, texts, findings, annotations, sightings, info }) {
  const enc = new TextEncoder();
  /** @type {import('../common/wacz.js').Part[]} */
  const parts = [{ type: 'resource', uri: url, mime: 'text/html; charset=utf-8', body: enc.encode(copy.html) }];
  const seen = new Set([url]);
  for (const f of copy.frames) {
    if (seen.has(f.url) || !/^https?:/.test(f.url)) continue;
    seen.add(f.url);
    parts.push({ type: 'resource', uri: f.url, mime: 'text/html; charset=utf-8', body: enc.encode(f.html) });
  }
  if (mhtml) parts.push({ type: 'resource', uri: `urn:mhtml:${url}`, mime: 'multipart/related', body: mhtml, about: url });
  if (shot) parts.push({ type: 'resource', uri: `urn:view:${url}`, mime: 'image/png', body: shot.png, about: url });
  for (const x of texts) {
    if (!seen.has(`urn:text:${x.url}`)) parts.push({ type: 'resource', uri: `urn:text:${x.url}`, mime: 'text/plain; charset=utf-8', body: enc.encode(x.text), about: url });
    seen.add(`urn:text:${x.url}`);
  }
  parts.push({ type: 'metadata', uri: `urn:flaglight:findings:${url}`, mime: 'application/json', body: jsonBytes(findings), about: url });
  parts.push({ type: 'metadata', uri: `urn:flaglight:annotations:${url}`, mime: 'application/ld+json', body: jsonBytes(annotations), about: url });
  if (sightings !== null) parts.push({ type: 'metadata', uri: `urn:flaglight:sightings:${url}`, mime: 'application/json', body: jsonBytes(sightings), about: url });
  parts.push({ type: 'metadata', uri: `urn:flaglight:capture:${url}`, mime: 'application/json', body: jsonBytes(info), about: url });
  return parts;
}

/**
 * The timestamp step for buildWacz when the moderator set an authority and
 * granted access to it; a failure goes in the notes (the package is kept).
 * @param {number} tabId @param {CaptureSettings} opts @param {string[]} notes
 */
async function timestamper(tabId, opts, notes) {
  if (!opts.tsaUrl) return undefined;
  const allowed = await api.permissions.contains({ origins: [originPattern(opts.tsaUrl)] }).catch(() => false);
  if (!allowed) {
    notes.push(tr('capture_note_no_tsa_permission'));
    return undefined;
  }
  return async (/** @type {Uint8Array} */ digest) => {
    phase(tabId, 'timestamp');
    try {
      return await requestTimestamp(opts.tsaUrl, digest);
    } catch (e) {
      notes.push(tr('capture_note_tsa_failed', String(/** @type {any} */ (e)?.message ?? e)));
      return null;
    }
  };
}

/**
 * Preserves the tab's page. Resolves with the stored record, or with the
 * reason nothing was stored (never half a package).
 * @param {number} tabId
 * @param {'button'|'flag'} reason
 * @param {string} [mhtmlB64]  Chrome's MHTML of the tab, made by the page that asked (common/page-mhtml.js)
 * @returns {Promise<{ok: boolean, id?: string, error?: string, record?: import('../common/capture-db.js').CaptureRecord}>}
 */
export async function preserve(tabId, reason = 'button', mhtmlB64 = undefined) {
  if (running.has(tabId)) return { ok: false, error: tr('capture_busy') };
  const tab = await api.tabs.get(tabId).catch(() => null);
  const url = tab?.url || tabs.get(tabId)?.url || '';
  if (!/^https?:/.test(url)) return { ok: false, error: tr('capture_not_web') };
  const id = crypto.randomUUID();
  const started = Date.now();
  running.set(tabId, { id, url, phase: 'start', started, since: started, took: {} });
  /** @type {string[]} what could not be included, and why */
  const notes = [];
  try {
    await startPending(id, url);
    host.changed();
    const opts = await settings();
    await inject(tabId);
    const created = new Date().toISOString();
    // The screenshot first: scrolling loads lazy images the copy then has.
    phase(tabId, 'screenshot');
    const shot = await takeScreenshot(tabId, notes);
    phase(tabId, 'page');
    const { mhtml, copy, title: copyTitle } = await copyPage(tabId, opts, reason, mhtmlB64, notes);
    phase(tabId, 'text');
    const texts = await frameTexts(tabId, url);
    const engine = await host.engine().catch(() => null);
    const findings = explainedFindings(tabId, engine?.rules ?? []);
    const { keys, flags } = await tabFlags(tabId);
    const annotations = await toJsonLd(flags, `flaglight flags: ${keys[0] ?? normalizeUrl(url)}`);
    const sightings = await pageSightings(tabId, keys, notes);
    const title = String(copyTitle || tab?.title || tabs.get(tabId)?.title || '').slice(0, 4096);
    const now = await api.tabs.get(tabId).catch(() => null);
    if (now && now.url && now.url !== url) throw new Error(tr('capture_navigated'));
    const info = await captureInfo({ url, title, created, reason, engine, copy, shot, notes });

    phase(tabId, 'package');
    const software = `flaglight ${api.runtime.getManifest().version}`;
    const built = await buildWacz({
      created,
      software,
      title: `flaglight: ${title || url}`,
      page: { url, title, text: texts.find((x) => x.frameId === 0)?.text ?? '' },
      info: { software, format: 'WARC File Format 1.1', conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/', description: `Preserved by the moderator (${reason}): ${url}` },
      parts: packageParts({ url, copy, mhtml, shot, texts, findings, annotations, sightings, info }),
      sign,
      timestamp: await timestamper(tabId, opts, notes),
    });
    const holds = ['page-html', ...(mhtml ? ['page-mhtml'] : []), ...(shot ? ['screenshot'] : []), 'text', 'findings', 'flags', ...(sightings !== null ? ['sightings'] : [])];
    /** @type {import('../common/capture-db.js').CaptureRecord} */
    const record = {
      id,
      page: keys[0] ?? normalizeUrl(url),
      url,
      title,
      created,
      bytes: built.bytes.length,
      hash: built.hash,
      fileHash: `sha256:${hex(await sha256(built.bytes))}`,
      ms: Date.now() - started,
      holds,
      counts: {
        findings: findings.length,
        flags: flags.length,
        frames: copy.frames.length,
        images: copy.stats.embedded,
        imagesMissing: copy.stats.missing.length,
        textChars: texts.reduce((n, x) => n + x.text.length, 0),
      },
      timestamp: built.timestamped,
      phases: running.get(tabId)?.took ?? {},
      reason,
      notes,
      deleted: 0,
    };
    phase(tabId, 'store');
    await savePackage(record, built.bytes);
    phase(tabId, 'done');
    return { ok: true, id, record };
  } catch (e) {
    await dropPending(id).catch(() => {});
    if (e instanceof DoesNotFit) return { ok: false, error: tr('capture_does_not_fit', mb(e.needed), mb(e.free)) };
    return { ok: false, error: tr('capture_failed', String(/** @type {any} */ (e)?.message ?? e)) };
  } finally {
    running.delete(tabId);
    host.changed();
  }
}

/** Megabytes, one decimal. @param {number} n */
function mb(n) {
  return (n / 1048576).toFixed(1);
}

/** The host-permission pattern of a URL's origin. @param {string} url */
export function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/** A new flag was saved: preserve the page if the moderator asked for that. @param {number} tabId */
export async function flagSaved(tabId) {
  if (!(await settings()).auto) return;
  const r = await preserve(tabId, 'flag');
  if (!r.ok) console.warn('flaglight: the page was not preserved after the flag:', r.error);
}

/** Timers purging deleted packages. @type {Map<string, ReturnType<typeof setTimeout>>} */
const purgeTimers = new Map();

/** The public key, its fingerprint and when it was made. */
async function keyInfo() {
  const k = await signingKey();
  const spki = Uint8Array.from(atob(k.publicKey), (c) => c.charCodeAt(0));
  return { publicKey: k.publicKey, fingerprint: hex(await sha256(spki)), created: k.created };
}

/**
 * A capture request from an extension page (already validated).
 * @param {any} msg
 */
export async function answerCaptures(msg) {
  switch (msg.type) {
    case 'capturePreserve':
      return preserve(msg.tabId, 'button', msg.mhtml);
    case 'captureList': {
      const [{ captures, damaged }, marks, space, key] = await Promise.all([readCaptures(), pending(), estimate(), keyInfo().catch(() => null)]);
      const keys = new Set((await tabFlags(msg.tabId).catch(() => ({ keys: [] }))).keys);
      const tab = await api.tabs.get(msg.tabId).catch(() => null);
      if (tab?.url) keys.add(normalizeUrl(tab.url));
      return {
        captures: captures.filter((c) => !c.deleted),
        pageKeys: [...keys],
        running: [...running.entries()].map(([tabId, r]) => ({ tabId, url: r.url, phase: r.phase, started: r.started })),
        interrupted: marks.filter((p) => p.interrupted),
        damaged,
        usage: space.usage,
        quota: space.quota,
        fingerprint: key?.fingerprint ?? '',
      };
    }
    case 'captureDelete': {
      await setDeleted(msg.id, Date.now());
      clearTimeout(purgeTimers.get(msg.id));
      purgeTimers.set(
        msg.id,
        setTimeout(() => {
          purgeTimers.delete(msg.id);
          purgeDeleted(Date.now() - UNDO_MS + 1000).then(() => host.changed(), () => {});
        }, UNDO_MS),
      );
      host.changed();
      return { ok: true };
    }
    case 'captureRestore': {
      const { captures } = await readCaptures();
      if (!captures.some((c) => c.id === msg.id && c.deleted)) return { ok: false, error: tr('error_too_late') };
      clearTimeout(purgeTimers.get(msg.id));
      purgeTimers.delete(msg.id);
      await setDeleted(msg.id, 0);
      host.changed();
      return { ok: true };
    }
    case 'captureDismiss':
      await dismissPending(msg.id);
      host.changed();
      return { ok: true };
    case 'captureSettings':
      return { settings: await settings(), key: await keyInfo(), pageCapture: !!(/** @type {any} */ (api).pageCapture) };
    case 'captureSettingsSet': {
      const next = { tsaUrl: msg.tsaUrl, auto: msg.auto, mhtml: msg.mhtml };
      await api.storage.local.set({ [SETTINGS_KEY]: next });
      return { ok: true, settings: next };
    }
    default:
      return { error: `${msg.type} is not a request` };
  }
}

/** Requests answered here. */
export const CAPTURE_REQUESTS = new Set(['capturePreserve', 'captureList', 'captureDelete', 'captureRestore', 'captureDismiss', 'captureSettings', 'captureSettingsSet']);

/** For tests (through the service worker's global, never from a page). */
export const capturesForTests = { preserve, running, pending, readCaptures, readPackage, keyInfo };
