// The background: engine host, pack owner, and the hub every other part talks
// to. Content scripts connect on the "content" port, the panel on the "ui"
// port, the popup and panel send one-off requests; every message is checked
// against the protocol (common/protocol.js) before anything reads it.

import { api } from '../common/api.js';
import { PORT_CONTENT, PORT_UI, validate } from '../common/protocol.js';
import { highlightCss } from '../common/styles.js';
import { EngineHost, foldText } from './engine-host.js';
import { connectEngine, ready as packsReady, startEngine } from './packs.js';
import { OPTION_REQUESTS, answerOptions } from './options-api.js';
import { STORAGE_REQUESTS, answerStorage, records } from './storage.js';
import { connectModel } from './model.js';
import { collapseModel } from '../common/risk.js';
import {
  decodeFindings,
  dropSpans,
  forget,
  frameOrder,
  highestSeverity,
  newFrame,
  persist,
  restore,
  tabBadge,
  tabCount,
  tabFindings,
  tabState,
  tabs,
} from './tabs.js';
import { FLAG_COMMAND, answerUi as answerFlags, flagSelection, flagsForTests, fromContent as flagsFromContent, initFlags } from './flags.js';
import { enableAuto, hostOf, isAuto, isBuiltin, loadSites, permissionsRemoved, reconcileAuto, setSiteEnabled, siteEnabled } from './sites.js';
import { CAPTURE_REQUESTS, answerCaptures, capturesForTests, flagSaved, initCaptures, setSightingsSource } from './captures.js';
import * as sightings from './sightings.js';

const BADGE_COLORS = { low: '#3d5fc0', medium: '#8f6b00', high: '#c25400', critical: '#c40000' };
/** A watched item is on the page (sightings): no severity uses it. */
const ALERT_COLOR = '#d6008f';

// ---- the engine -------------------------------------------------------------

/** @type {Promise<EngineHost>|null} */
let enginePromise = null;
/** @type {string|null} */
let engineError = null;
/** Extra packs added by the benchmark (evaluated in the service worker, never from a page). */
let extraPacks = [];

function engine() {
  if (!enginePromise) {
    // The enabled packs (packs.js: built-in, the moderator's, subscribed).
    enginePromise = startEngine()
      .catch((err) => {
        engineError = Array.isArray(err) ? err.map((e) => e.message).join('\n') : String(err);
        console.error('flaglight: packs could not be compiled', engineError);
        enginePromise = null;
        throw err;
      });
  }
  return enginePromise;
}

/**
 * Replaces the extra packs and recompiles; connected content scripts get the
 * new rules and rescan.
 * @param {{source: string, json: string}[]} packs
 */
async function setExtraPacks(packs) {
  extraPacks = packs;
  return rebuildEngine();
}

/** Compiles the packs again and hands the rules to every frame (the benchmark's packs or the watch-list changed). */
async function rebuildEngine() {
  enginePromise = null;
  const host = await engine();
  for (const { frame } of allFrames()) {
    frame.port?.postMessage({ type: 'rules', rules: host.rules, kinds: host.kinds, fields: host.fields, generation: host.generation });
  }
  return { rules: host.rules.length, generation: host.generation };
}

/**
 * Makes a compiled engine the one in use (packs.js compiled it after a change
 * to the packs): every frame on an enabled site gets the new rules and
 * rescans, without a reload; a frame whose port went with a stopped service
 * worker is asked to reconnect, and its hello brings the new rules.
 * @param {EngineHost} host
 */
function installEngine(host) {
  enginePromise = Promise.resolve(host);
  engineError = null;
  const rules = { type: 'rules', rules: host.rules, kinds: host.kinds, fields: host.fields, generation: host.generation };
  for (const { tabId, tab, frameId, frame } of allFrames()) {
    if (!siteEnabled(hostOf(tab.url || frame.url))) continue;
    if (frame.port) frame.port.postMessage(rules);
    else api.tabs.sendMessage(tabId, { type: 'reconnect' }, { frameId }).catch(() => {});
  }
}

/**
 * Compiles the packs with the watched phrases (sightings.js) and the
 * benchmark's extra packs; when the watched phrases do not compile with the
 * packs, the packs are used without them and the options page says why.
 * @param {{source: string, json: string}[]} packs
 */
async function compileAll(packs) {
  const watch = sightings.watchPack();
  if (!watch) return EngineHost.compile([...packs, ...extraPacks]);
  try {
    const host = await EngineHost.compile([...packs, watch, ...extraPacks]);
    sightings.setWatchProblem(null);
    return host;
  } catch (err) {
    sightings.setWatchProblem(Array.isArray(err) ? err.map((e) => e.message).join('\n') : String(err));
    return EngineHost.compile([...packs, ...extraPacks]);
  }
}

connectEngine({
  compile: compileAll,
  install: installEngine,
  settled: () => (enginePromise ?? Promise.resolve()).catch(() => {}),
});
connectModel(() => engine());

// Compile at once: a worker is usually started by a page that is about to
// ask for a scan (its content script connects at document_start and reads
// the page while this runs).
engine().catch(() => {});

// ---- start-up: restore what a stopped service worker knew --------------------

// Every stored record is checked (storage.js), alongside the first scans; the
// pack store checks its texts through the engine as soon as it can, so the
// options page lists what was found even before the first scan.
records.ready().catch(() => {});
const ready = Promise.all([restore(), loadSites(), sightings.ready.catch(() => {})]).then(() => reconcileAuto().catch(() => {}));
packsReady().catch((e) => console.error('flaglight: the pack store did not load', String(e?.message ?? e)));

const stats = { refused: 0, lastRefusal: '' };

/** @param {string} why */
function refuse(why) {
  stats.refused += 1;
  stats.lastRefusal = why;
  console.warn('flaglight: refused a message:', why);
}

// ---- content scripts ---------------------------------------------------------

/**
 * Every connected frame: the port says which tab and frame it is, once, when
 * it connects; nothing a message says can change that.
 */
function* allFrames() {
  for (const [tabId, tab] of tabs) for (const [frameId, frame] of tab.frames) yield { tabId, tab, frameId, frame };
}

api.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_UI) {
    connectUi(port);
    return;
  }
  const sender = port.sender;
  const pageUrl = sender?.url ?? '';
  // Only our own content scripts, running in a tab's frame, may connect on
  // this port; an extension page (which may also sit in a tab) may not.
  if (
    port.name !== PORT_CONTENT ||
    sender?.id !== api.runtime.id ||
    !sender.tab ||
    typeof sender.tab.id !== 'number' ||
    sender.tab.id < 0 ||
    typeof sender.frameId !== 'number' ||
    pageUrl.startsWith(api.runtime.getURL(''))
  ) {
    refuse(`connection on port ${String(port.name).slice(0, 20)} from ${pageUrl.slice(0, 80)}`);
    port.disconnect();
    return;
  }
  const tabId = sender.tab.id;
  const frameId = sender.frameId;
  const topUrl = sender.tab.url ?? '';
  /** @type {import('./tabs.js').FrameState|null} */
  let frame = null;
  // One message at a time, in order: a drop must not overtake the scan before it.
  let queue = ready;
  let helloSeen = false;

  port.onDisconnect.addListener(() => {
    const t = tabs.get(tabId);
    if (t && frame && t.frames.get(frameId) === frame) {
      t.frames.delete(frameId);
      if (t.cursor?.frameId === frameId) t.cursor = null;
      changed(tabId);
    }
  });

  port.onMessage.addListener((msg) => {
    const problem = validate('fromContent', msg);
    if (problem) {
      refuse(problem);
      return;
    }
    if (msg.type === 'hello') {
      if (helloSeen) {
        refuse('a second hello');
        return;
      }
      helloSeen = true;
    } else if (!helloSeen) {
      refuse(`${msg.type} before hello`);
      return;
    }
    queue = queue.then(() => handle(msg)).catch((e) => console.warn('flaglight:', msg.type, String(e?.message ?? e)));
  });

  function siteHost() {
    return hostOf(topUrl || tabs.get(tabId)?.url || frame?.url || '');
  }

  /** @param {any} msg */
  async function handle(msg) {
    const tab = tabState(tabId);
    switch (msg.type) {
      case 'hello': {
        const existing = tab.frames.get(frameId);
        if (existing && msg.resume.length) {
          // The service worker was stopped and restarted: keep what the
          // content script still shows.
          frame = existing;
          const keep = new Set(msg.resume);
          for (const id of [...frame.chunks.keys()]) if (!keep.has(id)) frame.chunks.delete(id);
          for (const id of [...frame.highlighted.keys()]) if (!keep.has(id)) frame.highlighted.delete(id);
        } else {
          frame = newFrame(msg.url);
          tab.frames.set(frameId, frame);
          if (frameId === 0) sightings.newVisit(tabId);
        }
        frame.port = port;
        frame.url = msg.url;
        if (msg.top && frameId === 0) {
          tab.url = msg.url;
          tab.title = msg.title;
        }
        const enabled = siteEnabled(siteHost());
        port.postMessage({ type: 'config', enabled, highlights: tab.highlights });
        changed(tabId);
        if (!enabled) break;
        // The rules follow once the engine is there, without holding up the
        // messages behind this one (the page's styles go in meanwhile; scans
        // wait for the same engine, so the rules still arrive first).
        engine()
          .then((host) => port.postMessage({ type: 'rules', rules: host.rules, kinds: host.kinds, fields: host.fields, generation: host.generation }))
          .catch(() => {});
        break;
      }
      case 'scan': {
        if (!frame || !siteEnabled(siteHost())) break;
        const host = await engine();
        const data = host.scan(msg.text, msg.blocks);
        // The spans this chunk replaces go in the same step as its findings,
        // so the count never dips while a page re-renders.
        dropSpans(frame, msg.drop);
        const found = decodeFindings(data, host.fields, msg.text, msg.blocks, msg.chunk, host.rules, host.kinds);
        if (found.length) frame.chunks.set(msg.chunk, found);
        port.postMessage({ type: 'findings', chunk: msg.chunk, data: Array.from(data), generation: host.generation });
        changed(tabId);
        // Sightings are written after the answer: the page never waits for them.
        if (found.length) sightings.fromScan(tabId, frame, found, host.rules).catch((e) => console.warn('flaglight: sightings', String(e?.message ?? e)));
        break;
      }
      case 'drop':
        if (!frame) break;
        dropSpans(frame, msg.spans);
        changed(tabId);
        break;
      case 'highlighted':
        if (!frame) break;
        for (let i = 0; i + 1 < msg.counts.length; i += 2) {
          if (msg.counts[i + 1] > 0 || frame.chunks.has(msg.counts[i])) frame.highlighted.set(msg.counts[i], msg.counts[i + 1]);
          else frame.highlighted.delete(msg.counts[i]);
        }
        persist(tabId);
        break;
      case 'styles': {
        const css = highlightCss(msg.names);
        try {
          await api.scripting.insertCSS({ target: { tabId, frameIds: [frameId] }, css });
        } catch {
          // No permission to insert into this frame (e.g. scanned on demand
          // through activeTab): the content script adopts the styles itself.
          port.postMessage({ type: 'styleFallback' });
        }
        break;
      }
      case 'navigated':
        if (frameId === 0) {
          tab.url = msg.url;
          tab.title = msg.title;
        }
        if (tab.cursor?.frameId === frameId) tab.cursor = null;
        changed(tabId);
        break;
      case 'focused':
        tab.cursor = { frameId, chunk: msg.chunk, n: msg.n, text: msg.text };
        break;
      case 'stepEnd':
        stepFrom(tabId, frameId, msg.dir);
        break;
      case 'card':
        tab.card = { frameId, fields: msg.fields };
        break;
      case 'fold':
        port.postMessage({ type: 'folded', id: msg.id, folded: await foldText(msg.text) });
        break;
      case 'probed':
        probes.get(msg.id)?.(msg.report);
        probes.delete(msg.id);
        break;
      default:
        // Reviewer flags (background/flags.js).
        if (msg.type.startsWith('flag')) await flagsFromContent(msg, { tabId, frameId, port });
        // Sightings: the page's accounts, the card's line and watch button (background/sightings.js).
        else if (msg.type.startsWith('sighting') && frame && siteEnabled(siteHost())) {
          await sightings.fromContent(msg, { tabId, frameId, frame, port, rules: (await engine()).rules });
        }
    }
  }
});

/**
 * A port to a frame's content script. After a service worker restart the
 * content script reconnects lazily; ask it to.
 * @param {number} tabId
 * @param {number} frameId
 * @returns {Promise<chrome.runtime.Port|null>}
 */
async function portOf(tabId, frameId) {
  const frame = tabs.get(tabId)?.frames.get(frameId);
  if (frame?.port) return frame.port;
  await api.tabs.sendMessage(tabId, { type: 'reconnect' }, { frameId }).catch(() => {});
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const f = tabs.get(tabId)?.frames.get(frameId);
    if (f?.port) return f.port;
  }
  return null;
}

// ---- badge, change notices ----------------------------------------------------

/** @type {Map<number, ReturnType<typeof setTimeout>>} */
const changeTimers = new Map();

/** Something about a tab's findings changed: badge now, panel and storage soon. @param {number} tabId */
function changed(tabId) {
  updateBadge(tabId);
  persist(tabId);
  if (changeTimers.has(tabId)) return;
  changeTimers.set(
    tabId,
    setTimeout(() => {
      changeTimers.delete(tabId);
      for (const [port, watched] of uiPorts) if (watched === tabId) port.postMessage({ type: 'changed', tabId });
    }, 60),
  );
}

/** @param {number} tabId */
function updateBadge(tabId) {
  const { count, highest: sev } = tabBadge(tabId);
  // A watched item on the page (sightings) turns the badge to the alert colour.
  const alert = sightings.alertOf(tabId);
  const text = count ? String(count > 999 ? '999+' : count) : alert ? '!' : '';
  api.action.setBadgeText({ tabId, text }).catch(() => {});
  if (alert) api.action.setBadgeBackgroundColor({ tabId, color: ALERT_COLOR }).catch(() => {});
  else if (sev) api.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLORS[sev] }).catch(() => {});
  api.action.setBadgeTextColor?.({ tabId, color: '#ffffff' })?.catch?.(() => {});
}

// ---- extension pages ------------------------------------------------------------

/** Whether a sender is one of the extension's own pages (popup, panel; possibly in a tab). */
function fromOwnPage(sender) {
  return sender?.id === api.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

/** Panel ports -> the tab each one watches. @type {Map<chrome.runtime.Port, number>} */
const uiPorts = new Map();

/** @param {chrome.runtime.Port} port */
function connectUi(port) {
  if (!fromOwnPage(port.sender)) {
    refuse(`ui connection from ${String(port.sender?.url).slice(0, 80)}`);
    port.disconnect();
    return;
  }
  uiPorts.set(port, -1);
  port.onDisconnect.addListener(() => uiPorts.delete(port));
  port.onMessage.addListener((msg) => {
    const problem = validate('fromUi', msg);
    if (problem || msg.type !== 'watch') {
      refuse(problem ?? `${msg.type} on the ui port`);
      return;
    }
    uiPorts.set(port, msg.tabId);
  });
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!fromOwnPage(sender)) return false;
  const problem = validate('fromUi', msg);
  if (problem) {
    refuse(problem);
    sendResponse({ error: problem });
    return false;
  }
  ready
    .then(() => answerUi(msg))
    .then(
      (res) => sendResponse(res ?? {}),
      (e) => sendResponse({ error: String(e?.message ?? e) }),
    );
  return true;
});

/** @param {any} msg */
async function answerUi(msg) {
  // The options page: packs and site lists (options-api.js).
  if (OPTION_REQUESTS.has(msg.type)) return answerOptions(msg);
  // Preserved pages (captures.js).
  if (CAPTURE_REQUESTS.has(msg.type)) return answerCaptures(msg);
  // The options page's Storage section (storage.js).
  if (STORAGE_REQUESTS.has(msg.type)) return answerStorage(msg);
  switch (msg.type) {
    case 'summary': {
      // A post's model words are one finding (common/risk.js).
      const list = collapseModel(tabFindings(msg.tabId));
      const counts = {};
      for (const f of list) {
        const key = `${f.category} · ${f.severity}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return { total: list.length, counts, highest: highestSeverity(list) };
    }
    case 'findings': {
      const t = tabs.get(msg.tabId);
      // Pack names and descriptions come from the compiled rules (compiled
      // again if the service worker was restarted).
      const host = await engine().catch(() => null);
      const rules = host?.rules ?? [];
      // A post's text goes once, with its first finding (a feed's answer
      // would otherwise carry it with every word the model names).
      let lastPost = '';
      const findings = tabFindings(msg.tabId).map((f) => {
        const key = `${f.frameId}:${f.chunk}:${f.block}`;
        const post = key === lastPost ? '' : (f.post ?? '');
        lastPost = key;
        return {
          frameId: f.frameId,
          chunk: f.chunk,
          n: f.n,
          text: f.text,
          before: f.before,
          after: f.after,
          ruleId: f.ruleId,
          pack: f.pack,
          packName: rules[f.rule]?.pack_name ?? f.pack,
          description: rules[f.rule]?.description ?? '',
          category: f.category,
          severity: f.severity,
          kind: f.kind,
          checksum: f.checksum,
          score: f.score,
          block: f.block ?? 0,
          weight: f.weight ?? 0,
          post,
        };
      });
      return { tabId: msg.tabId, url: t?.url ?? '', title: t?.title ?? '', total: findings.length, findings };
    }
    case 'reveal': {
      const port = await portOf(msg.tabId, msg.frameId);
      port?.postMessage({ type: 'reveal', chunk: msg.chunk, n: msg.n });
      return { ok: !!port };
    }
    case 'site': {
      const tab = await api.tabs.get(msg.tabId).catch(() => null);
      const t = tabs.get(msg.tabId);
      const host = hostOf(tab?.url || t?.url || '');
      return {
        host,
        enabled: siteEnabled(host),
        builtin: isBuiltin(host),
        auto: isAuto(host),
        scanning: !!t && t.frames.size > 0,
        highlights: t?.highlights ?? true,
      };
    }
    case 'setSite': {
      await setSiteEnabled(msg.host, msg.enabled);
      applySite(msg.host);
      return { ok: true };
    }
    case 'rescan':
      await rescanTab(msg.tabId);
      return { ok: true };
    case 'scanPage':
      return scanPage(msg.tabId);
    case 'enableAuto': {
      const ok = await enableAuto(msg.host);
      if (ok) await scanPage(msg.tabId);
      return { ok };
    }
    case 'command':
      await runCommand(msg.name, msg.tabId);
      return { ok: true };
    default:
      if (msg.type.startsWith('flag')) return answerFlags(msg);
      if (msg.type.startsWith('sighting')) return sightings.answerUi(msg);
      return { error: `${msg.type} is not a request` };
  }
}

/** Tells every frame on a site whether it is on (a moderator switched it). @param {string} host */
function applySite(host) {
  const enabled = siteEnabled(host);
  for (const [tabId, tab] of tabs) {
    if (hostOf(tab.url) !== host) continue;
    for (const frame of tab.frames.values()) {
      if (!enabled) {
        frame.chunks.clear();
        frame.highlighted.clear();
      }
      frame.port?.postMessage({ type: 'config', enabled, highlights: tab.highlights });
      if (enabled && frame.port) {
        const port = frame.port;
        engine().then((h) => port.postMessage({ type: 'rules', rules: h.rules, kinds: h.kinds, fields: h.fields, generation: h.generation }));
      }
    }
    tab.cursor = null;
    changed(tabId);
  }
}

/** @param {number} tabId */
async function rescanTab(tabId) {
  const t = tabs.get(tabId);
  if (!t) return;
  for (const frameId of [...t.frames.keys()]) (await portOf(tabId, frameId))?.postMessage({ type: 'rescan' });
}

/**
 * Scans a page the extension has no host permission for: the popup's click
 * granted activeTab, which lets us inject the content script into it now.
 * @param {number} tabId
 */
async function scanPage(tabId) {
  const files = ['content/content.js'];
  try {
    await api.scripting.executeScript({ target: { tabId, allFrames: true }, files });
  } catch {
    try {
      await api.scripting.executeScript({ target: { tabId }, files });
    } catch (e) {
      return { ok: false, error: String(e?.message ?? e) };
    }
  }
  // Already injected before (the script guards against a second copy): rescan.
  if (tabs.get(tabId)?.frames.size) await rescanTab(tabId);
  return { ok: true };
}

// ---- commands: next / previous finding, toggle highlights -------------------------

/**
 * @param {string} name
 * @param {number} tabId
 */
async function runCommand(name, tabId) {
  if (name === FLAG_COMMAND) {
    await flagSelection(tabId);
    return;
  }
  const t = tabs.get(tabId);
  if (!t) return;
  if (name === 'toggle-highlights') {
    t.highlights = !t.highlights;
    const enabled = siteEnabled(hostOf(t.url));
    for (const frame of t.frames.values()) frame.port?.postMessage({ type: 'config', enabled, highlights: t.highlights });
    persist(tabId);
    return;
  }
  const dir = name === 'next-finding' ? 1 : -1;
  const cur = t.cursor;
  if (cur && t.frames.has(cur.frameId)) {
    (await portOf(tabId, cur.frameId))?.postMessage({ type: 'step', dir, from: 'cursor' });
    return;
  }
  const order = framesWithFindings(t);
  if (!order.length) return;
  const first = dir === 1 ? order[0] : order[order.length - 1];
  (await portOf(tabId, first))?.postMessage({ type: 'step', dir, from: 'edge' });
}

/** @param {import('./tabs.js').TabState} t */
function framesWithFindings(t) {
  return frameOrder(t).filter((id) => {
    const f = /** @type {import('./tabs.js').FrameState} */ (t.frames.get(id));
    for (const n of f.highlighted.values()) if (n > 0) return true;
    return false;
  });
}

/**
 * A frame ran out of findings in the direction of travel: continue in the
 * next frame that has some, wrapping around.
 * @param {number} tabId
 * @param {number} frameId
 * @param {1|-1} dir
 */
async function stepFrom(tabId, frameId, dir) {
  const t = tabs.get(tabId);
  if (!t) return;
  const order = framesWithFindings(t);
  if (!order.length) return;
  let i = order.indexOf(frameId);
  if (i < 0) i = dir === 1 ? -1 : order.length;
  const next = order[(i + dir + order.length) % order.length];
  (await portOf(tabId, next))?.postMessage({ type: 'step', dir, from: 'edge' });
}

api.commands?.onCommand.addListener(async (name, tab) => {
  await ready;
  const tabId = tab?.id ?? (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (typeof tabId === 'number') await runCommand(name, tabId);
});

// ---- tabs and permissions -------------------------------------------------------

api.tabs.onRemoved.addListener((tabId) => {
  forget(tabId);
  for (const [port, watched] of uiPorts) if (watched === tabId) port.postMessage({ type: 'changed', tabId });
});

api.tabs.onUpdated.addListener((tabId, info) => {
  // A document is loading in the tab: frames whose content script is gone
  // (they went while the service worker was stopped) are stale.
  if (info.status !== 'loading') return;
  const t = tabs.get(tabId);
  if (!t) return;
  let any = false;
  for (const [frameId, frame] of [...t.frames]) {
    if (!frame.port) {
      t.frames.delete(frameId);
      any = true;
    }
  }
  if (any) changed(tabId);
});

// The popup asks for a site's permission in the click's gesture; if it closes
// before it can say so (the prompt may close it), the grant still registers
// the site here.
api.permissions?.onAdded?.addListener(async (p) => {
  await ready;
  for (const origin of p.origins ?? []) {
    const host = /^\*:\/\/([^/*]+)\/\*$/.exec(origin)?.[1];
    if (host && !isAuto(host)) await enableAuto(host).catch((e) => console.warn('flaglight: could not enable', host, String(e)));
  }
});

api.permissions?.onRemoved?.addListener((p) => {
  if (p.origins?.length) permissionsRemoved(p.origins).catch(() => {});
});

// ---- for tests and the benchmark ----------------------------------------------------
// The service worker's global is not visible to pages; tests reach it through
// the browser's automation protocol only.

/** @type {Map<number, (r: object) => void>} */
const probes = new Map();
let nextProbe = 1;

/**
 * Asks every frame of a tab for its diagnostics (highlight count, detached
 * ranges, timing); resolves with the reports by frame id.
 * @param {number} tabId
 * @param {{reset?: boolean, detail?: boolean}} [opts]  detail: include highlighted texts
 */
async function probe(tabId, opts = {}) {
  const t = tabs.get(tabId);
  if (!t) return {};
  const out = {};
  await Promise.all(
    [...t.frames.keys()].map(async (frameId) => {
      const port = await portOf(tabId, frameId);
      if (!port) return;
      const id = nextProbe++;
      out[frameId] = await new Promise((resolve) => {
        probes.set(id, resolve);
        port.postMessage({ type: 'probe', id, reset: !!opts.reset, detail: !!opts.detail });
        setTimeout(() => {
          if (probes.delete(id)) resolve(null);
        }, 3000);
      });
    }),
  );
  return out;
}

initFlags({ portOf, notify: (tabId) => changed(tabId), engine, saved: (tabId) => void flagSaved(tabId) });
sightings.initSightings({ changed: (tabId) => changed(tabId), rebuildEngine });
initCaptures({
  engine,
  changed: () => {
    for (const port of uiPorts.keys()) port.postMessage({ type: 'captures' });
  },
});
// A preserved page holds what the sightings store knows of it (the panel's view of the page).
setSightingsSource((tabId) => sightings.answerUi({ type: 'sightingsPage', tabId }));

globalThis.flaglight = {
  flags: flagsForTests,
  sightings: sightings.sightingsForTests,
  captures: capturesForTests,
  records,
  tabs,
  tabFindings,
  tabCount,
  engine,
  ready,
  stats,
  probe,
  setExtraPacks,
  rescan: (/** @type {number} */ tabId) => ready.then(() => rescanTab(tabId)),
  command: (/** @type {string} */ name, /** @type {number} */ tabId) => ready.then(() => runCommand(name, tabId)),
  get engineError() {
    return engineError;
  },
};
