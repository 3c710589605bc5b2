// Reviewer flags in the background: the one writer of the flag store
// (storage.local, common/flags-store.js), the engine's approximate quote
// search for re-anchoring, the "Flag selection" context menu and command,
// and the exports (W3C Web Annotation JSON-LD, CSV, HTML evidence report)
// and imports. background.js routes every message whose type starts with
// "flag" here.
//
// Nothing is silently dropped: a flag whose save fails (a full storage
// quota) is kept here, in memory and in storage.session, listed in the panel
// as "not saved" and included in every export, until a retry stores it or
// the reviewer discards it. A deleted flag can be restored for a while (Undo),
// also after the service worker was stopped (kept in storage.session too).

import { anchor_quote } from '../pkg/flaglight.js';
import { api } from '../common/api.js';
import { fromJsonLd, toCsv, toHtmlReport, toHtmlReportAll, toJsonLd } from '../common/evidence.js';
import { flagProblem, newFlagId } from '../common/flag-record.js';
import { FLAG_PREFIX, FlagStore, byCreation } from '../common/flags-store.js';
import { normalizeUrl } from '../common/url.js';
// `tr`, not `t`: functions here name a tab `t`.
import { plural, t as tr } from '../common/i18n.js';
import { loadWasm } from './engine-host.js';
import { records } from './storage.js';
import { frameOrder, tabFindings, tabs } from './tabs.js';

/** @typedef {import('../common/evidence.js').Flag} Flag */

const MENU_ID = 'flag-selection';
export const FLAG_COMMAND = 'flag-selection';
/** A deleted flag can be restored this long. */
const UNDO_MS = 60_000;
/** How long a frame has to say whether it holds a selection. */
const ASK_MS = 600;
const CAPTURE_MS = 8000;
const UNSAVED_KEY = 'flagsUnsaved';
/** Categories offered when the engine's are not known. */
const FALLBACK_CATEGORIES = ['extremism', 'donation'];

export const store = new FlagStore(/** @type {any} */ (api.storage.local), records);

/**
 * What background.js lends this module.
 * @typedef {object} Host
 * @property {(tabId: number, frameId: number) => Promise<chrome.runtime.Port|null>} portOf
 * @property {(tabId: number) => void} notify   the tab's flags changed: panels refresh
 * @property {() => Promise<{rules: any[]}>} engine
 * @property {(tabId: number, flagId: string) => void} [saved]   a new flag was stored (auto-preserve)
 */
/** @type {Host} */
let host = {
  portOf: async () => null,
  notify: () => {},
  engine: () => Promise.reject(new Error('no engine')),
};

/** Page key (normalised URL) per tab and frame, as each content script said. @type {Map<number, Map<number, string>>} */
const frameKeys = new Map();
/** Anchoring per tab, frame and flag, as each content script reported. @type {Map<number, Map<number, Map<string, any>>>} */
const statuses = new Map();
/** Flags whose save failed, by id. @type {Map<string, {flag: Flag, error: string}>} */
const unsaved = new Map();
/** Deleted flags, restorable until `until` (UNDO_MS after the delete). @type {Map<string, {flag: Flag, until: number, timer: ReturnType<typeof setTimeout>}>} */
const trash = new Map();
/** The deleted flags in storage.session too: the worker may stop (it does after 30 s idle) before Undo. */
const TRASH_KEY = 'flagsDeleted';
/** Replies awaited from content scripts, by request number. @type {Map<number, (m: any) => void>} */
const waiting = new Map();
let nextReq = 1;

const unsavedLoaded = api.storage.session
  .get([UNSAVED_KEY, TRASH_KEY])
  .then((v) => {
    for (const u of Array.isArray(v?.[UNSAVED_KEY]) ? v[UNSAVED_KEY] : []) if (!flagProblem(u.flag)) unsaved.set(u.flag.id, u);
    for (const d of Array.isArray(v?.[TRASH_KEY]) ? v[TRASH_KEY] : []) {
      if (typeof d?.until === 'number' && d.until > Date.now() && !flagProblem(d.flag)) keepDeleted(d.flag, d.until);
    }
  })
  .catch(() => {});

/** @param {Flag} flag @param {number} until */
function keepDeleted(flag, until) {
  clearTimeout(trash.get(flag.id)?.timer);
  trash.set(flag.id, {
    flag,
    until,
    timer: setTimeout(() => {
      trash.delete(flag.id);
      saveTrash();
    }, until - Date.now()),
  });
}

function saveTrash() {
  return api.storage.session.set({ [TRASH_KEY]: [...trash.values()].map(({ flag, until }) => ({ flag, until })) }).catch(() => {});
}

/** @param {Host} h */
export function initFlags(h) {
  host = h;
}

// ---- the context menu and the command ------------------------------------------------

/** The context-menu API (Firefox also calls it `menus`). */
const menus = /** @type {any} */ (api).contextMenus ?? /** @type {any} */ (api).menus;

async function createMenu() {
  if (!menus) return;
  await menus.removeAll();
  // The callback reads lastError so a duplicate id is not reported as uncaught.
  menus.create({ id: MENU_ID, title: tr('menu_flag_selection'), contexts: ['selection'] }, () => void api.runtime.lastError);
}
api.runtime.onInstalled.addListener(createMenu);
api.runtime.onStartup?.addListener(createMenu);

menus?.onClicked.addListener((/** @type {any} */ info, /** @type {any} */ tab) => {
  if (info.menuItemId !== MENU_ID || typeof tab?.id !== 'number') return;
  flagSelection(tab.id, typeof info.frameId === 'number' ? info.frameId : undefined).catch((e) => console.warn('flaglight: flag selection', String(e)));
});

/**
 * "Flag selection": opens the flag form in the frame that holds the
 * selection (the context menu says which; for the command, the frames are
 * asked, and the focused one wins). A page the content script is not in yet
 * gets it now: the menu click or the key granted activeTab.
 * @param {number} tabId
 * @param {number} [frameId]
 */
export async function flagSelection(tabId, frameId) {
  let t = tabs.get(tabId);
  if (!t?.frames.size) {
    await api.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['content/content.js'] }).catch(() => {});
    for (let i = 0; i < 40 && !tabs.get(tabId)?.frames.size; i++) await sleep(50);
    t = tabs.get(tabId);
    if (!t?.frames.size) return { ok: false, error: tr('error_cannot_read_page') };
  }
  if (typeof frameId === 'number' && t.frames.has(frameId)) {
    (await host.portOf(tabId, frameId))?.postMessage({ type: 'flagOpen' });
    return { ok: true, frameId };
  }
  const ids = frameOrder(t);
  const answers = await Promise.all(
    ids.map(async (id) => {
      const port = await host.portOf(tabId, id);
      if (!port) return null;
      const m = await ask(port, { type: 'flagAsk' }, ASK_MS);
      return m ? { id, has: m.has, focused: m.focused } : null;
    }),
  );
  const withSel = answers.filter((a) => a?.has);
  // The focused frame's selection is the one the reviewer sees; else the top-most.
  const pick = withSel.find((a) => a?.focused) ?? withSel[0] ?? { id: ids[0] };
  (await host.portOf(tabId, pick.id))?.postMessage({ type: 'flagOpen' });
  return { ok: true, frameId: pick.id };
}

// ---- content scripts ---------------------------------------------------------------

/**
 * Sends a request to a content script and waits for the message carrying its `req`.
 * @param {chrome.runtime.Port} port
 * @param {object} msg
 * @param {number} timeout
 * @returns {Promise<any>}
 */
function ask(port, msg, timeout) {
  const req = nextReq++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(req);
      resolve(null);
    }, timeout);
    waiting.set(req, (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    try {
      port.postMessage({ ...msg, req });
    } catch {
      waiting.delete(req);
      clearTimeout(timer);
      resolve(null);
    }
  });
}

/**
 * A flag message from a content script (already validated).
 * @param {any} msg
 * @param {{tabId: number, frameId: number, port: chrome.runtime.Port}} from
 */
export async function fromContent(msg, from) {
  const reply = (/** @type {{req: number, ok: boolean, id?: string, error?: string}} */ m) =>
    from.port.postMessage({ type: 'flagReply', req: m.req, ok: m.ok, id: m.id ?? '', error: String(m.error ?? '').slice(0, 4096) });
  switch (msg.type) {
    case 'flagLoad': {
      const key = normalizeUrl(msg.url);
      let keys = frameKeys.get(from.tabId);
      if (!keys) frameKeys.set(from.tabId, (keys = new Map()));
      keys.set(from.frameId, key);
      statuses.get(from.tabId)?.delete(from.frameId);
      from.port.postMessage(await flagsMessage(key));
      break;
    }
    case 'flagSave': {
      const { isNew, ...r } = await save(msg.flag);
      reply({ req: msg.req, ...r });
      // A new flag (the form chooses its id, so "new" is: not stored before).
      if (r.ok && isNew) host.saved?.(from.tabId, r.id);
      break;
    }
    case 'flagDelete': {
      const r = await remove(msg.url, msg.id);
      reply({ req: msg.req, ...r, id: r.ok ? msg.id : '' });
      break;
    }
    case 'flagRestore': {
      const r = await restore(msg.id);
      reply({ req: msg.req, ...r });
      break;
    }
    case 'flagStatus': {
      let byFrame = statuses.get(from.tabId);
      if (!byFrame) statuses.set(from.tabId, (byFrame = new Map()));
      byFrame.set(from.frameId, new Map(msg.status.map((s) => [s.id, s])));
      host.notify(from.tabId);
      break;
    }
    case 'flagAnchor': {
      from.port.postMessage({ type: 'flagAnchored', req: msg.req, results: await anchorQuotes(msg.text, msg.quotes) });
      break;
    }
    case 'flagSelectionInfo':
    case 'flagText':
      waiting.get(msg.req)?.(msg);
      waiting.delete(msg.req);
      break;
  }
}

/**
 * The engine's approximate search for each quote in a frame's text.
 * @param {string} text
 * @param {{exact: string, prefix: string, suffix: string, start: number}[]} quotes
 * @returns {Promise<(number[]|null)[]>}
 */
export async function anchorQuotes(text, quotes) {
  await loadWasm();
  // The engine weighs exact copies against edited ones by their context and
  // puts an edited match's ends where the context says (src/anchor.rs).
  return quotes.map((q) => {
    const r = anchor_quote(text, q.exact, q.prefix, q.suffix, q.start);
    return r ? Array.from(r) : null;
  });
}

/** The `flags` message for a page: its flags, the categories to offer, the form's defaults. @param {string} key */
async function flagsMessage(key) {
  const [flags, categories, defaults] = await Promise.all([pageFlags(key), allCategories(), store.defaults().catch(() => null)]);
  return { type: 'flags', url: key, flags, categories, defaults };
}

/** A page's stored flags (a storage failure reads as none). @param {string} key */
async function pageFlags(key) {
  return store.page(key).catch(() => []);
}

/** The packs' categories, then the reviewer's own. */
async function allCategories() {
  const packs = await packCategories();
  const own = await store.categories().catch(() => []);
  return [...new Set([...packs, ...own])];
}

async function packCategories() {
  try {
    const e = await host.engine();
    const set = new Set();
    for (const r of e.rules) if (typeof r.category === 'string') set.add(r.category);
    return [...set].sort();
  } catch {
    return FALLBACK_CATEGORIES;
  }
}

/** Tells every frame showing a page its new flags, and the panels of those tabs. @param {Set<string>} keys */
async function pushPages(keys) {
  for (const [tabId, t] of tabs) {
    let touched = false;
    for (const frameId of t.frames.keys()) {
      const key = frameKey(tabId, frameId);
      if (!keys.has(key)) continue;
      touched = true;
      const port = await host.portOf(tabId, frameId);
      if (port) port.postMessage(await flagsMessage(key));
    }
    if (touched) host.notify(tabId);
  }
}

/** The page key of a frame: what its content script said, else its URL when it connected. @param {number} tabId @param {number} frameId */
function frameKey(tabId, frameId) {
  const known = frameKeys.get(tabId)?.get(frameId);
  if (known) return known;
  const t = tabs.get(tabId);
  const url = frameId === 0 ? t?.url || t?.frames.get(0)?.url : t?.frames.get(frameId)?.url;
  return url ? normalizeUrl(url) : '';
}

/** The page keys of a tab's frames, top frame first. @param {number} tabId */
function tabKeys(tabId) {
  const t = tabs.get(tabId);
  if (!t) return [];
  const keys = [];
  for (const frameId of frameOrder(t)) {
    const k = frameKey(tabId, frameId);
    if (k && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

// ---- changes -------------------------------------------------------------------------

/** @param {unknown} e */
function storageError(e) {
  const m = String(/** @type {any} */ (e)?.message ?? e);
  return /quota/i.test(m) ? tr('error_storage_full', m) : m;
}

function saveUnsaved() {
  return api.storage.session.set({ [UNSAVED_KEY]: [...unsaved.values()] }).catch(() => {});
}

/**
 * Saves a draft from the form (a new flag, or new category, severity and note
 * for a stored one). On failure the flag is kept as "not saved".
 * @param {any} draft  checked by the protocol (flagProblem with draft)
 * @returns {Promise<{ok: boolean, id: string, error?: string}>}
 */
async function save(draft) {
  await unsavedLoaded;
  const now = new Date().toISOString();
  const id = draft.id || newFlagId();
  const url = normalizeUrl(draft.url);
  const stored = draft.id ? (await pageFlags(url)).find((f) => f.id === draft.id) : null;
  const before = stored ?? unsaved.get(id)?.flag ?? null;
  /** @type {Flag} */
  const flag = before
    ? { ...before, category: draft.category, severity: draft.severity, note: draft.note, modified: now }
    : {
        id,
        url,
        title: draft.title,
        created: now,
        modified: now,
        category: draft.category,
        severity: draft.severity,
        note: draft.note,
        quote: draft.quote,
        position: draft.position,
      };
  return { ...(await persistFlag(flag)), isNew: !before };
}

/** Stores a complete flag, or keeps it as not saved. @param {Flag} flag */
async function persistFlag(flag) {
  const problem = flagProblem(flag);
  if (problem) return { ok: false, id: '', error: problem };
  try {
    await store.save(flag);
  } catch (e) {
    const error = storageError(e);
    unsaved.set(flag.id, { flag, error });
    await saveUnsaved();
    await pushPages(new Set([normalizeUrl(flag.url)]));
    return { ok: false, id: flag.id, error };
  }
  if (unsaved.delete(flag.id)) await saveUnsaved();
  store.remember(flag.category, flag.severity, await packCategories()).catch(() => {});
  await pushPages(new Set([normalizeUrl(flag.url)]));
  return { ok: true, id: flag.id };
}

/** @param {string} url @param {string} id */
async function remove(url, id) {
  let gone;
  try {
    gone = await store.remove(url, id);
  } catch (e) {
    return { ok: false, error: storageError(e) };
  }
  if (!gone) return { ok: false, error: tr('error_no_flag') };
  keepDeleted(gone, Date.now() + UNDO_MS);
  await saveTrash();
  await pushPages(new Set([normalizeUrl(url)]));
  return { ok: true };
}

/** Undo of a delete. @param {string} id */
async function restore(id) {
  await unsavedLoaded;
  const t = trash.get(id);
  if (!t) return { ok: false, id: '', error: tr('error_too_late') };
  const r = await persistFlag(t.flag);
  if (r.ok) {
    clearTimeout(t.timer);
    trash.delete(id);
    await saveTrash();
  }
  return r;
}

// ---- the extension's pages (panel, popup) ------------------------------------------------

/**
 * A flag request from the panel or popup (already validated).
 * @param {any} msg
 */
export async function answerUi(msg) {
  await unsavedLoaded;
  switch (msg.type) {
    case 'flagList':
      return list(msg.tabId);
    case 'flagUpdate': {
      const stored = (await pageFlags(msg.url)).find((f) => f.id === msg.id) ?? unsaved.get(msg.id)?.flag;
      if (!stored) return { ok: false, error: tr('error_no_flag') };
      return persistFlag({ ...stored, category: msg.category, severity: msg.severity, note: msg.note, modified: new Date().toISOString() });
    }
    case 'flagDelete':
      return remove(msg.url, msg.id);
    case 'flagRestore':
      return restore(msg.id);
    case 'flagRetry': {
      const u = unsaved.get(msg.id);
      return u ? persistFlag(u.flag) : { ok: false, error: tr('error_no_unsaved_flag') };
    }
    case 'flagDiscard': {
      const u = unsaved.get(msg.id);
      if (!u) return { ok: false, error: tr('error_no_unsaved_flag') };
      unsaved.delete(msg.id);
      await saveUnsaved();
      await pushPages(new Set([normalizeUrl(u.flag.url)]));
      return { ok: true };
    }
    case 'flagReveal':
      return reveal(msg.tabId, msg.id);
    case 'flagExport':
      return exportFlags(msg);
    case 'flagImport':
      return importFlags(msg.json);
    default:
      return { error: `${msg.type} is not a request` };
  }
}

/**
 * A tab's flags with how each is anchored, and the flags not saved.
 * @param {number} tabId
 */
async function list(tabId) {
  const t = tabs.get(tabId);
  const keys = tabKeys(tabId);
  await askStatus(tabId);
  const byFrame = statuses.get(tabId);
  const flags = [];
  for (const key of keys) {
    for (const f of await pageFlags(key)) {
      let status = null;
      for (const m of byFrame?.values() ?? []) status ??= m.get(f.id) ?? null;
      flags.push({ ...f, status: status ?? { id: f.id, state: 'pending', method: '', distance: 0, score: 0 } });
    }
  }
  let error = '';
  const notSaved = [...unsaved.values()].map((u) => ({ ...u.flag, error: u.error, status: { id: u.flag.id, state: 'unsaved', method: '', distance: 0, score: 0 } }));
  if (notSaved.length) error = `${notSaved.length} flag${notSaved.length === 1 ? ' is' : 's are'} not saved: ${notSaved[0].error}. Export them or free some space, then Retry.`;
  return { tabId, url: keys[0] ?? t?.url ?? '', title: t?.title ?? '', pages: keys, flags, unsaved: notSaved, categories: await allCategories(), error };
}

/**
 * Frames that have not reported their anchoring since the service worker
 * started are asked (their answer arrives as a flagStatus).
 * @param {number} tabId
 */
async function askStatus(tabId) {
  const t = tabs.get(tabId);
  if (!t) return;
  const missing = [...t.frames.keys()].filter((id) => !statuses.get(tabId)?.has(id));
  if (!missing.length) return;
  for (const id of missing) (await host.portOf(tabId, id))?.postMessage({ type: 'flagStatusAsk' });
  // After a service-worker restart the answer queues behind the frame's
  // hello (which waits for the engine): allow for that.
  for (let i = 0; i < 50 && missing.some((id) => !statuses.get(tabId)?.has(id)); i++) await sleep(30);
}

/** @param {number} tabId @param {string} id */
async function reveal(tabId, id) {
  const t = tabs.get(tabId);
  if (!t) return { ok: false };
  for (const [frameId, m] of statuses.get(tabId) ?? []) {
    if (m.get(id)?.state !== 'anchored') continue;
    (await host.portOf(tabId, frameId))?.postMessage({ type: 'flagReveal', id });
    return { ok: true };
  }
  return { ok: false, error: tr('error_flag_not_on_page') };
}

// ---- export and import ---------------------------------------------------------------------

/**
 * @param {{tabId: number, scope: 'page'|'all', format: 'jsonld'|'csv'|'html', screenshot: boolean}} msg
 * @returns {Promise<{filename: string, mime: string, text: string, count: number, notes: string[]}>}
 */
export async function exportFlags(msg) {
  const notes = [];
  const keys = msg.scope === 'page' ? tabKeys(msg.tabId) : null;
  const stored = keys ? (await Promise.all(keys.map(pageFlags))).flat() : await store.all();
  const pending = [...unsaved.values()].map((u) => u.flag).filter((f) => !keys || keys.includes(normalizeUrl(f.url)));
  const flags = [...stored, ...pending].sort(byCreation);
  if (pending.length) notes.push(plural('note_unsaved_included', pending.length));
  const status = statusMap(flags);
  const stamp = new Date().toISOString();
  const base = `flaglight-${msg.scope === 'page' ? hostName(keys?.[0] ?? '') || 'page' : 'all-pages'}-${stamp.replace(/[:.]/g, '-').slice(0, 19)}`;
  if (msg.format === 'jsonld') {
    const label = msg.scope === 'page' ? `flaglight flags: ${keys?.[0] ?? ''}` : 'flaglight flags: all pages';
    const doc = await toJsonLd(flags, label);
    return { filename: `${base}.jsonld`, mime: 'application/ld+json', text: JSON.stringify(doc, null, 2) + '\n', count: flags.length, notes };
  }
  if (msg.format === 'csv') {
    return { filename: `${base}.csv`, mime: 'text/csv', text: await toCsv(flags, status), count: flags.length, notes };
  }
  // HTML: the open tab's pages are captured (text, findings, screenshot); others carry flags only.
  const pages = new Map();
  for (const f of flags) {
    const k = normalizeUrl(f.url);
    if (!pages.has(k)) pages.set(k, []);
    pages.get(k).push(f);
  }
  const tabPageKeys = tabKeys(msg.tabId);
  if (msg.scope === 'page' && !pages.size && tabPageKeys[0]) pages.set(tabPageKeys[0], []);
  const report = [];
  for (const [k, list] of pages) {
    const captured = tabPageKeys[0] === k ? await capture(msg.tabId, msg.screenshot, notes) : null;
    report.push({
      url: k,
      title: captured?.title || list.find((f) => f.title)?.title || '',
      capturedAt: captured ? stamp : '',
      pageText: captured ? captured.text : null,
      flags: list,
      findings: captured ? captured.findings : [],
      screenshot: captured?.screenshot ?? null,
      status,
    });
  }
  const text = msg.scope === 'page' && report.length === 1 ? await toHtmlReport(report[0]) : await toHtmlReportAll({ capturedAt: stamp, pages: report });
  return { filename: `${base}.html`, mime: 'text/html', text, count: flags.length, notes };
}

/** Status words for exports: anchored (how), orphan, not saved. @param {Flag[]} flags */
function statusMap(flags) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const f of flags) {
    if (unsaved.has(f.id)) {
      out[f.id] = 'not saved';
      continue;
    }
    for (const byFrame of statuses.values()) {
      for (const m of byFrame.values()) {
        const s = m.get(f.id);
        if (!s || out[f.id]) continue;
        out[f.id] = s.state === 'anchored' ? `anchored (${s.method}${s.method === 'approximate' ? `, ${s.distance} edits, score ${s.score.toFixed(2)}` : ''})` : s.state;
      }
    }
  }
  return out;
}

/**
 * The open tab as evidence: the top frame's text (the text flags anchor
 * in), its title, the automatic findings, and a screenshot of the visible
 * tab if asked. captureVisibleTab needs activeTab (granted by the toolbar
 * button, the context menu or the keyboard command) or <all_urls>, which
 * the extension does not ask for: without it the report says so.
 * @param {number} tabId
 * @param {boolean} screenshot
 * @param {string[]} notes
 */
async function capture(tabId, screenshot, notes) {
  const t = tabs.get(tabId);
  if (!t) return null;
  const port = await host.portOf(tabId, 0);
  const m = port ? await ask(port, { type: 'flagCapture' }, CAPTURE_MS) : null;
  if (!m) {
    notes.push(tr('note_no_capture'));
    return null;
  }
  const findings = tabFindings(tabId).map((f) => ({
    text: f.text,
    category: f.category,
    severity: f.severity,
    kind: f.kind,
    ruleId: f.ruleId,
    pack: f.pack,
    checksum: f.checksum,
  }));
  let shot = null;
  if (screenshot) {
    try {
      const tab = await api.tabs.get(tabId);
      // captureVisibleTab shows the window's active tab: only that one is this page.
      if (!tab.active) throw new Error(tr('error_tab_not_active'));
      shot = await api.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
    } catch (e) {
      notes.push(tr('note_no_screenshot', String(/** @type {any} */ (e)?.message ?? e)));
    }
  }
  return { text: m.text, title: t.title, findings, screenshot: shot };
}

/**
 * A tab's pages and their flags, stored and not saved (for a preserved page).
 * @param {number} tabId
 * @returns {Promise<{keys: string[], flags: Flag[]}>}
 */
export async function tabFlags(tabId) {
  await unsavedLoaded;
  const keys = tabKeys(tabId);
  const stored = (await Promise.all(keys.map(pageFlags))).flat();
  const pending = [...unsaved.values()].map((u) => u.flag).filter((f) => keys.includes(normalizeUrl(f.url)));
  return { keys, flags: [...stored, ...pending].sort(byCreation) };
}

/**
 * A frame's text as flags anchor in it (and as the engine read it), or null
 * when its content script does not answer.
 * @param {number} tabId
 * @param {number} frameId
 * @returns {Promise<string|null>}
 */
export async function frameText(tabId, frameId) {
  const port = await host.portOf(tabId, frameId);
  const m = port ? await ask(port, { type: 'flagCapture' }, CAPTURE_MS) : null;
  return m ? m.text : null;
}

/** @param {string} url */
function hostName(url) {
  try {
    return new URL(url).hostname.replace(/[^a-z0-9.-]/gi, '_');
  } catch {
    return '';
  }
}

/**
 * Imports W3C Web Annotation JSON-LD: invalid annotations are reported by
 * index, the rest merged (an annotation already stored with the same or a
 * newer `modified` is left as it is).
 * @param {string} json
 */
export async function importFlags(json) {
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    return { ok: false, imported: 0, added: 0, updated: 0, unchanged: 0, errors: [`not JSON: ${String(/** @type {any} */ (e)?.message ?? e)}`] };
  }
  const { flags, errors } = fromJsonLd(doc);
  const good = [];
  flags.forEach((f) => {
    const problem = flagProblem(f);
    if (problem) errors.push(`${f.id}: ${problem}`);
    else good.push({ ...f, url: normalizeUrl(f.url) });
  });
  let r;
  try {
    r = await store.merge(good);
  } catch (e) {
    return { ok: false, imported: 0, added: 0, updated: 0, unchanged: 0, errors: [...errors, storageError(e)] };
  }
  await pushPages(new Set(r.keys.map((k) => k.slice(FLAG_PREFIX.length))));
  return { ok: true, imported: good.length, added: r.added, updated: r.updated, unchanged: r.unchanged, errors: errors.slice(0, 200), invalid: errors.length };
}

/** A tab closed: forget its frames. @param {number} tabId */
export function forgetTab(tabId) {
  frameKeys.delete(tabId);
  statuses.delete(tabId);
}
api.tabs.onRemoved.addListener(forgetTab);

/** @param {number} ms */
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** For tests (through the service worker's global, never from a page). */
export const flagsForTests = {
  store,
  flagSelection,
  exportFlags,
  importFlags,
  anchorQuotes,
  list,
  unsaved,
  statuses,
};
