// The findings panel (Chrome side panel, Firefox sidebar; the same page):
// the current tab's findings grouped by category and severity, with context,
// a filter, and a click that scrolls the page to a finding and flashes it.
// It follows the active tab unless opened with ?tab=ID, and updates live.

import { api } from '../common/api.js';
import { PORT_UI, validate } from '../common/protocol.js';
import { SEVERITY_ORDER, el, request } from '../common/ui.js';
import { FlagsView } from './flags.js';
import { initSightingsPanel } from './sightings.js';
import { categoryName, formatNumber, kindName, localizePage, plural, pluralParts, severityName, t } from '../common/i18n.js';

localizePage();

/** Most findings listed per group; the filter narrows the rest. */
const GROUP_LIMIT = 300;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const fixedTab = Number(new URLSearchParams(location.search).get('tab'));
/** @type {number|null} */
let tabId = Number.isInteger(fixedTab) && fixedTab > 0 ? fixedTab : null;
/** @type {any[]} */
let findings = [];
let filter = '';
let refreshTimer = 0;
let refreshing = false;
let again = false;
/** The reviewer's flags on the page, above the findings (panel/flags.js). */
const flagsView = new FlagsView($('flags'));
/** Sightings: the page's identifiers and accounts above, and the Sightings view (panel/sightings.js). */
const sightingsPanel = initSightingsPanel({ getTabId: () => tabId });

const port = api.runtime.connect({ name: PORT_UI });
port.onMessage.addListener((msg) => {
  if (validate('toUi', msg)) return;
  if (msg.type === 'changed' && msg.tabId === tabId) scheduleRefresh();
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

async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    if (tabId === null) findings = [];
    else {
      const res = await request({ type: 'findings', tabId });
      findings = res?.findings ?? [];
      $('page').textContent = res?.title || res?.url || '';
    }
    render();
    flagsView.refresh(tabId);
    sightingsPanel.refresh(tabId);
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      scheduleRefresh();
    }
  }
}

/** @param {any} f */
function matchesFilter(f) {
  if (!filter) return true;
  // Ids and the names the panel shows ("экстремизм", "عالية") both filter.
  const hay = `${f.text}\n${f.before}\n${f.after}\n${f.pack}/${f.ruleId}\n${f.packName}\n${f.category}\n${f.kind}\n${f.severity}\n${categoryName(f.category)}\n${kindName(f.kind)}\n${severityName(f.severity)}`;
  return hay.toLowerCase().includes(filter);
}

function render() {
  const shown = findings.filter(matchesFilter);
  // The count and its noun are one message ("3 findings", "3 находки",
  // "3 نتائج"): word order and plural form belong to the language; the
  // number keeps its own element.
  const parts = pluralParts('panel_findings', findings.length);
  $('total-before').textContent = parts ? parts[0] : plural('panel_findings', findings.length);
  $('total').textContent = formatNumber(findings.length);
  $('total').hidden = !parts;
  $('total-label').textContent = parts ? parts[1] : '';
  const empty = $('empty');
  empty.hidden = shown.length > 0;
  empty.textContent = findings.length ? t('panel_no_match') : t('panel_no_findings');

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
  b.title = f.description || '';
  b.addEventListener('click', () => {
    if (tabId !== null) request({ type: 'reveal', tabId, frameId: f.frameId, chunk: f.chunk, n: f.n });
  });
  li.append(b);
  return li;
}

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
