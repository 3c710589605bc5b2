// Popup: the current tab's counts, per-site on/off, rescan, scanning a site
// that is not scanned automatically, and opening the findings panel.

import { api } from '../common/api.js';
import { download } from '../common/download.js';
import { SEVERITY_ORDER, el, request } from '../common/ui.js';
import { categoryName, formatList, formatNumber, localizePage, plural, severityName, t } from '../common/i18n.js';
import { sizeText } from '../common/size.js';
import { pageMhtml } from '../common/page-mhtml.js';

localizePage();

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {number|null} */
let tabId = null;
/** @type {number|null} */
let windowId = null;
/** @type {any} */
let site = null;

/** The tab the popup is about: the active tab, or ?tab=ID when opened as a page (tests). */
async function currentTab() {
  const fixed = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(fixed) && fixed > 0) return api.tabs.get(fixed).catch(() => null);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function load() {
  const tab = await currentTab();
  if (tab?.id === undefined) return;
  tabId = tab.id;
  windowId = tab.windowId ?? null;
  site = await request({ type: 'site', tabId });
  const web = /^https?:/.test(tab.url ?? '');
  // Usable once the tab is known (a click before would be about no tab).
  /** @type {HTMLButtonElement} */ ($('preserve')).disabled = !web;
  $('host').textContent = site?.host ?? '';
  if (site?.host && web) {
    $('site-row').hidden = false;
    /** @type {HTMLInputElement} */ ($('enabled')).checked = !!site.enabled;
    const automatic = site.builtin || site.auto;
    $('scan-page').hidden = automatic || site.scanning;
    $('auto').hidden = automatic;
    $('rescan').hidden = !site.scanning || !site.enabled;
  }
  await refresh();
}

async function refresh() {
  if (tabId === null) return;
  const res = await request({ type: 'summary', tabId });
  const total = res?.total ?? 0;
  $('summary').textContent = total === 0 ? t('popup_no_findings') : plural('popup_findings', total);
  const ul = $('counts');
  ul.replaceChildren();
  const rank = (/** @type {string} */ key) => {
    const [category, severity] = key.split(' · ');
    return `${category}\u0000${SEVERITY_ORDER.indexOf(severity)}`;
  };
  const entries = Object.entries(res?.counts ?? {}).sort(([a], [b]) => (rank(a) < rank(b) ? -1 : 1));
  for (const [key, n] of entries) {
    const [category, severity] = key.split(' · ');
    ul.append(el('li', '', t('popup_count_line', categoryName(category), severityName(severity ?? ''), n)));
  }
}

/** @param {string} text */
function note(text) {
  $('note').textContent = text;
}

$('enabled').addEventListener('change', async (e) => {
  if (!site?.host) return;
  const on = /** @type {HTMLInputElement} */ (e.target).checked;
  await request({ type: 'setSite', host: site.host, enabled: on });
  site.enabled = on;
  note(on ? t('popup_site_on') : t('popup_site_off'));
  $('rescan').hidden = !on || !site.scanning;
  setTimeout(refresh, 300);
});

$('rescan').addEventListener('click', async () => {
  if (tabId === null) return;
  await request({ type: 'rescan', tabId });
  note(t('popup_rescanning'));
  setTimeout(refresh, 600);
});

$('scan-page').addEventListener('click', async () => {
  if (tabId === null) return;
  const res = await request({ type: 'scanPage', tabId });
  note(res?.ok ? t('popup_scanning_page') : t('popup_scan_failed', res?.error ?? t('popup_not_allowed')));
  setTimeout(refresh, 800);
});

$('auto').addEventListener('click', () => {
  if (tabId === null || !site?.host) return;
  const host = site.host;
  const id = tabId;
  // permissions.request must run in the click's user gesture: no await before it.
  api.permissions.request({ origins: [`*://${host}/*`] }).then(
    async (granted) => {
      if (!granted) {
        note(t('popup_permission_refused'));
        return;
      }
      const res = await request({ type: 'enableAuto', tabId: id, host });
      note(res?.ok ? t('sites_auto_added', host) : t('popup_auto_failed'));
      setTimeout(load, 500);
    },
    (e) => note(String(e?.message ?? e)),
  );
});

$('open-panel').addEventListener('click', () => {
  // Both calls must run in the click's user gesture.
  const a = /** @type {any} */ (api);
  if (a.sidePanel?.open) {
    const target = tabId !== null ? { tabId } : { windowId };
    a.sidePanel.open(target).then(() => window.close(), (e) => note(String(e?.message ?? e)));
  } else if (a.sidebarAction?.open) {
    a.sidebarAction.open().then(() => window.close(), (e) => note(String(e?.message ?? e)));
  }
});

// The evidence report with a screenshot: the popup's click granted
// activeTab, which tabs.captureVisibleTab needs (background/flags.js).
$('report').addEventListener('click', async () => {
  if (tabId === null) return;
  note(t('popup_making_report'));
  const r = await request({ type: 'flagExport', tabId, scope: 'page', format: 'html', screenshot: true });
  if (!r || typeof r.text !== 'string') {
    note(t('popup_no_report', r?.error ?? t('common_no_answer')));
    return;
  }
  download(r.filename, r.mime, r.text);
  note(r.notes?.length ? t('popup_saved_notes', r.filename, formatList(r.notes)) : t('popup_saved', r.filename));
});

// "Preserve this page": the click granted activeTab, which the screenshot
// and a site outside the built-in list need (background/captures.js).
$('preserve').addEventListener('click', async () => {
  if (tabId === null) return;
  const button = /** @type {HTMLButtonElement} */ ($('preserve'));
  button.disabled = true;
  note(t('popup_preserving'));
  const settings = await request({ type: 'captureSettings' });
  const mhtml = await pageMhtml(tabId, !!settings?.settings?.mhtml);
  const r = await request({ type: 'capturePreserve', tabId: tabId, ...(mhtml ? { mhtml } : {}) });
  button.disabled = false;
  if (r?.ok) note(t('popup_preserved', sizeText(r.record.bytes), formatNumber(r.record.ms / 1000, { maximumFractionDigits: 1 })));
  else note(r?.error ?? t('common_no_answer'));
});

load();
