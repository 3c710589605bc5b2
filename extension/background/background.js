// The background: engine host, pack owner, and the hub every other part talks to.

import { api } from '../common/api.js';
import { PORT_CONTENT, validate } from '../common/protocol.js';
import { EngineHost, builtinPacks } from './engine-host.js';
import { decodeFindings, highestSeverity, tabFindings, tabState, tabs } from './tabs.js';
import { stylesFor } from './styles.js';

const BADGE_COLORS = { low: '#5b7bd5', medium: '#c99a00', high: '#e06800', critical: '#c40000' };

let generation = 0;
/** @type {Promise<EngineHost>|null} */
let enginePromise = null;
/** @type {string|null} */
let engineError = null;

function engine() {
  if (!enginePromise) {
    generation += 1;
    const gen = generation;
    enginePromise = builtinPacks()
      .then((packs) => EngineHost.compile(packs, gen))
      .catch((err) => {
        engineError = Array.isArray(err) ? err.map((e) => e.message).join('\n') : String(err);
        console.error('flaglight: packs could not be compiled', engineError);
        enginePromise = null;
        throw err;
      });
  }
  return enginePromise;
}

/** Ports of connected content scripts. @type {Set<chrome.runtime.Port>} */
const contentPorts = new Set();

api.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  // Only our own content scripts, running in a tab, may connect on this port.
  if (port.name !== PORT_CONTENT || sender?.id !== api.runtime.id || !sender.tab || sender.tab.id === undefined) {
    port.disconnect();
    return;
  }
  const tabId = sender.tab.id;
  const frameId = sender.frameId ?? 0;
  contentPorts.add(port);
  const frame = { url: sender.url ?? '', chunks: new Map(), highlighted: new Map() };
  const frameChunks = frame.chunks;
  const tab = tabState(tabId);
  tab.frames.set(frameId, frame);
  if (frameId === 0) tab.url = sender.url ?? sender.tab.url ?? '';

  port.onDisconnect.addListener(() => {
    contentPorts.delete(port);
    const t = tabs.get(tabId);
    if (t && t.frames.get(frameId) === frame) {
      t.frames.delete(frameId);
      updateBadge(tabId);
    }
  });

  port.onMessage.addListener(async (msg) => {
    const problem = validate('fromContent', msg);
    if (problem) {
      console.warn('flaglight: refused a message from a content script:', problem);
      return;
    }
    switch (msg.type) {
      case 'hello': {
        if (msg.top) {
          tab.url = msg.url;
          tab.title = msg.title;
        }
        port.postMessage({ type: 'config', enabled: true, highlights: true });
        const host = await engine();
        port.postMessage({ type: 'rules', rules: host.rules, kinds: host.kinds, fields: host.fields, generation: host.generation });
        break;
      }
      case 'styles': {
        const css = stylesFor(msg.names);
        await api.scripting.insertCSS({ target: { tabId, frameIds: [frameId] }, css }).catch((e) => {
          console.warn('flaglight: styles could not be inserted', String(e));
        });
        break;
      }
      case 'scan': {
        const host = await engine();
        const data = host.scan(msg.text, msg.blocks);
        frameChunks.set(msg.chunk, decodeFindings(data, host.fields, msg.text, msg.chunk, host.rules, host.kinds));
        port.postMessage({ type: 'findings', chunk: msg.chunk, data: Array.from(data), generation: host.generation });
        updateBadge(tabId);
        break;
      }
      case 'drop': {
        for (const c of msg.chunks) {
          frameChunks.delete(c);
          frame.highlighted.delete(c);
        }
        updateBadge(tabId);
        break;
      }
      case 'reset': {
        frameChunks.clear();
        frame.highlighted.clear();
        updateBadge(tabId);
        break;
      }
      case 'highlighted':
        frame.highlighted.set(msg.chunk, msg.count);
        break;
      case 'navigated': {
        if (frameId === 0) {
          tab.url = msg.url;
          tab.title = msg.title;
        }
        break;
      }
    }
  });
});

/** @param {number} tabId */
function updateBadge(tabId) {
  const list = tabFindings(tabId);
  const sev = highestSeverity(list);
  const text = list.length ? String(list.length > 999 ? '999+' : list.length) : '';
  api.action.setBadgeText({ tabId, text }).catch(() => {});
  if (sev) api.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLORS[sev] }).catch(() => {});
}

/** Whether a message comes from one of the extension's own pages. */
function fromOwnPage(sender) {
  return sender?.id === api.runtime.id && !sender.tab && typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!fromOwnPage(sender)) return false;
  const problem = validate('fromUi', msg);
  if (problem) {
    sendResponse({ error: problem });
    return false;
  }
  switch (msg.type) {
    case 'summary': {
      const list = tabFindings(msg.tabId);
      const counts = {};
      for (const f of list) {
        const key = `${f.category} · ${f.severity}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      sendResponse({ total: list.length, counts, highest: highestSeverity(list) });
      return false;
    }
  }
  return false;
});

api.tabs.onRemoved.addListener((tabId) => tabs.delete(tabId));

// Read-only view of the state for the extension's own pages and for tests
// driving the extension (the service worker's global is not visible to pages).
globalThis.flaglight = {
  tabs,
  tabFindings,
  engine,
  get engineError() {
    return engineError;
  },
};

engine().catch(() => {});
