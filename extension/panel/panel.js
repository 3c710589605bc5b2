// The findings panel (Chrome side panel, Firefox sidebar; the same page):
// the current tab's findings grouped by category and severity, with context,
// a filter, and a click that scrolls the page to a finding and flashes it.
// It follows the active tab unless opened with ?tab=ID, and updates live.

import { api } from '../common/api.js';
import { PORT_UI, validate } from '../common/protocol.js';
import { SEVERITY_ORDER, coalesced, el, request } from '../common/ui.js';
import { FlagsView } from './flags.js';
import { CapturesView } from './captures.js';
import { initSightingsPanel } from './sightings.js';
import { PostsView } from './posts.js';
import { collapseModel } from '../common/risk.js';
import { modelLineNodes, modelWords } from '../common/model-text.js';
import { categoryName, formatNumber, kindName, localizePage, plural, pluralParts, severityName, t } from '../common/i18n.js';

localizePage();

/** Most findings listed per group; the filter narrows the rest. */
const GROUP_LIMIT = 300;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const fixedTab = Number(new URLSearchParams(location.search).get('tab'));
/** @type {number|null} */
let tabId = Number.isInteger(fixedTab) && fixedTab > 0 ? fixedTab : null;
/** The background's list (a model word each). @type {any[]} */
let findings = [];
/** The same with each post's model words as one finding: what the panel counts and groups. @type {any[]} */
let entries = [];
let filter = '';
let refreshTimer = 0;
/** The reviewer's flags on the page, above the findings (panel/flags.js). */
const flagsView = new FlagsView($('flags'));
/** Preserved pages (panel/captures.js). */
const capturesView = new CapturesView($('captures'));
/** Sightings: the page's identifiers and accounts above, and the Sightings view (panel/sightings.js). */
const sightingsPanel = initSightingsPanel({ getTabId: () => tabId });
/** The findings by post, riskiest first (panel/posts.js). */
const postsView = new PostsView($('posts'), (f) => {
  if (tabId !== null) request({ type: 'reveal', tabId, frameId: f.frameId, chunk: f.chunk, n: f.n });
});
/** Where the moderator's choice of view is kept (this panel page's own storage: a preference, not data). */
const VIEW_KEY = 'panel-view';
/** @type {'groups'|'posts'} */
let view = readView();

const port = api.runtime.connect({ name: PORT_UI });
port.onMessage.addListener((msg) => {
  if (validate('toUi', msg)) return;
  if (msg.type === 'changed' && msg.tabId === tabId) scheduleRefresh();
  if (msg.type === 'captures') capturesView.refresh(tabId);
});

function watch() {
  if (tabId !== null) port.postMessage({ type: 'watch', tabId });
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = 0;
    refresh();
  }, 80);
}

/** Loads and shows the tab's findings; a change that arrives meanwhile schedules one more. */
const refresh = coalesced(async () => {
  if (tabId === null) findings = entries = [];
  else {
    const res = await request({ type: 'findings', tabId });
    findings = res?.findings ?? [];
    entries = collapseModel(findings);
    $('page').textContent = res?.title || res?.url || '';
  }
  render();
  flagsView.refresh(tabId);
  capturesView.refresh(tabId);
  sightingsPanel.refresh(tabId);
}, scheduleRefresh);

/** @param {any} f */
function matchesFilter(f) {
  if (!filter) return true;
  // Ids and the names the panel shows ("экстремизм", "عالية") both filter.
  const words = f.words ? f.words.map((/** @type {{text: string}} */ w) => w.text).join('\n') : '';
  const hay = `${f.text}\n${f.before}\n${f.after}\n${f.pack}/${f.ruleId}\n${f.packName}\n${f.category}\n${f.kind}\n${f.severity}\n${categoryName(f.category)}\n${kindName(f.kind)}\n${severityName(f.severity)}\n${words}`;
  return hay.toLowerCase().includes(filter);
}

function render() {
  // The time each render takes, for tools/bench-panel.mjs (a measure in
  // this page's own timeline; nothing leaves it).
  const t0 = performance.now();
  try {
    renderNow();
  } finally {
    performance.measure(`render ${view}`, { start: t0, end: performance.now() });
  }
}

function renderNow() {
  const shown = entries.filter(matchesFilter);
  // The count and its noun are one message ("3 findings", "3 находки",
  // "3 نتائج"): word order and plural form belong to the language; the
  // number keeps its own element.
  const parts = pluralParts('panel_findings', entries.length);
  $('total-before').textContent = parts ? parts[0] : plural('panel_findings', entries.length);
  $('total').textContent = formatNumber(entries.length);
  $('total').hidden = !parts;
  $('total-label').textContent = parts ? parts[1] : '';
  const empty = $('empty');
  empty.hidden = shown.length > 0;
  empty.textContent = entries.length ? t('panel_no_match') : t('panel_no_findings');
  // Only the view on screen is built (a 3,500-post feed has no DOM to spare).
  if (view === 'posts') {
    postsView.render(findings, matchesFilter);
    return;
  }

  /** @type {Map<string, Map<string, any[]>>} */
  const byCategory = new Map();
  for (const f of shown) {
    let bySev = byCategory.get(f.category);
    if (!bySev) byCategory.set(f.category, (bySev = new Map()));
    let list = bySev.get(f.severity);
    if (!list) bySev.set(f.severity, (list = []));
    list.push(f);
  }
  const frag = document.createDocumentFragment();
  const categories = [...byCategory.keys()].sort();
  for (const category of categories) {
    const bySev = /** @type {Map<string, any[]>} */ (byCategory.get(category));
    let total = 0;
    for (const list of bySev.values()) total += list.length;
    const section = el('section');
    const h2 = el('h2', '', categoryName(category));
    h2.dataset.category = category;
    h2.append(el('span', 'count', t('common_count_paren', total)));
    section.append(h2);
    for (const sev of SEVERITY_ORDER) {
      const list = bySev.get(sev);
      if (!list) continue;
      const h3 = el('h3', '', severityName(sev));
      h3.dataset.severity = sev;
      h3.append(el('span', 'count', t('common_count_paren', list.length)));
      const ul = el('ul', `sev-${sev}`);
      for (const f of list.slice(0, GROUP_LIMIT)) ul.append(item(f));
      section.append(h3, ul);
      if (list.length > GROUP_LIMIT) section.append(el('p', 'more', plural('panel_more', list.length - GROUP_LIMIT)));
    }
    frag.append(section);
  }
  $('groups').replaceChildren(frag);
}

/** @param {any} f */
function item(f) {
  const li = el('li');
  const b = el('button');
  b.type = 'button';
  const snippet = el('div', 'snippet');
  // Arabic and Latin text side by side: let each snippet find its direction.
  snippet.dir = 'auto';
  snippet.append(
    document.createTextNode(f.before ? `…${f.before.replace(/\s+/g, ' ').trimStart()}` : ''),
    el('mark', '', f.text),
    document.createTextNode(f.after ? `${f.after.replace(/\s+/g, ' ').trimEnd()}…` : ''),
  );
  const meta = el('div', 'meta');
  const rule = el('span', '', `${f.pack}/${f.ruleId}`);
  rule.translate = false;
  rule.dir = 'ltr';
  meta.append(rule, ` · ${kindName(f.kind)}`);
  if (f.checksum === 'valid') meta.append(` · ${t('card_checksum_valid')}`);
  else if (f.checksum === 'unchecked') meta.append(` · ${t('card_checksum_none')}`);
  b.append(snippet, meta);
  if (f.words) {
    // The model's finding: its estimate and the words that weighed most.
    const words = modelWords(f.words);
    const line = el('div', 'reason model-line');
    line.append(...modelLineNodes(f.score / 100, words));
    b.append(line);
  }
  b.title = f.description || '';
  b.addEventListener('click', () => {
    if (tabId !== null) request({ type: 'reveal', tabId, frameId: f.frameId, chunk: f.chunk, n: f.n });
  });
  li.append(b);
  return li;
}

/** @returns {'groups'|'posts'} */
function readView() {
  try {
    return localStorage.getItem(VIEW_KEY) === 'posts' ? 'posts' : 'groups';
  } catch {
    return 'groups';
  }
}

/** Shows one of the two views. @param {'groups'|'posts'} next @param {boolean} [focus] */
function showView(next, focus = false) {
  view = next;
  try {
    localStorage.setItem(VIEW_KEY, next);
  } catch {
    // a preference only
  }
  for (const [id, name] of [['view-groups', 'groups'], ['view-posts', 'posts']]) {
    const tab = $(id);
    tab.setAttribute('aria-selected', String(name === next));
    tab.tabIndex = name === next ? 0 : -1;
    if (focus && name === next) tab.focus();
  }
  $('groups').hidden = next !== 'groups';
  $('posts').hidden = next !== 'posts';
  if (next === 'posts') $('groups').replaceChildren();
  else postsView.clear();
  render();
}

$('view-groups').addEventListener('click', () => showView('groups'));
$('view-posts').addEventListener('click', () => showView('posts'));
for (const id of ['view-groups', 'view-posts']) {
  $(id).addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    showView(view === 'groups' ? 'posts' : 'groups', true);
  });
}
showView(view);

$('filter').addEventListener('input', (e) => {
  filter = /** @type {HTMLInputElement} */ (e.target).value.trim().toLowerCase();
  render();
});

/** Follows the active tab of the panel's window (when not fixed by ?tab=). */
async function follow() {
  const win = await api.windows.getCurrent().catch(() => null);
  const pick = async () => {
    const [tab] = await api.tabs.query(win ? { active: true, windowId: win.id } : { active: true, currentWindow: true });
    if (tab?.id !== undefined && tab.id !== tabId) {
      tabId = tab.id;
      watch();
      refresh();
    }
  };
  api.tabs.onActivated.addListener((info) => {
    if (!win || info.windowId === win.id) pick();
  });
  api.tabs.onUpdated.addListener((id, info) => {
    if (id === tabId && info.status === 'complete') scheduleRefresh();
  });
  await pick();
}

if (tabId !== null) {
  watch();
  refresh();
} else follow();
