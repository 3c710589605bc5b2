// The panel's sightings (issue 14):
// - "On this page": the page's identifiers and accounts, watched ones first
//   (in the alert colour), each marked "new on this page" or "seen before"
//   with how often and where else, and a button to watch it;
// - the Sightings view: every identifier and account the store holds, by
//   identifier or by account, with search and filters; a row opens its
//   pages, a page opens in a tab; exports as CSV, STIX 2.1 and MISP.
// The store is read here directly (read-only, common/sightings-db.js);
// every change goes to the background, its one writer.

import { api } from '../common/api.js';
import { el, request } from '../common/ui.js';
import { download } from '../common/download.js';
import { SightingsDb } from '../common/sightings-db.js';
import { SENSITIVE } from '../common/sighting-items.js';
import { shortUrl } from '../common/accounts.js';
import { exportFile } from '../common/sightings-export.js';
import { formatDate, kindName, plural, t } from '../common/i18n.js';

/** Rows rendered at first; "Show more" adds as many again. */
const PAGE_ROWS = 200;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const db = new SightingsDb({ onBad: () => void request({ type: 'sightingsCheck' }) });

/** The name of an item's kind: an identifier kind, a network, or "phrase". @param {string} kind */
export function itemKindName(kind) {
  return kindName(kind) !== kind ? kindName(kind) : t(`network_${kind}`) !== `network_${kind}` ? t(`network_${kind}`) : kind;
}

/** "5 times on 3 sites since 2 Nov 2024" @param {{count: number, sites: number, first: number}} s */
function summaryText(s) {
  return t('sightings_summary', plural('sightings_times', s.count), plural('sightings_sites', Math.max(1, s.sites)), formatDate(s.first, 'date'));
}

/** A link that opens a page in a new tab. @param {string} url */
function pageLink(url) {
  const a = /** @type {HTMLAnchorElement} */ (el('a', 'page-link', shortUrl(url)));
  a.href = url;
  a.dir = 'ltr';
  a.translate = false;
  a.title = url;
  a.addEventListener('click', (e) => {
    e.preventDefault();
    api.tabs.create({ url }).catch(() => request({ type: 'sightingsOpen', url }));
  });
  return a;
}

/**
 * The watch toggle of an item.
 * @param {{key: string, type: string, kind: string, label: string, watched: boolean}} item
 * @param {number} tabId  -1: none
 * @param {() => void} after
 */
function watchButton(item, tabId, after) {
  const b = el('button', 'link watch', item.watched ? t('sightings_unwatch') : t('sightings_watch'));
  b.setAttribute('aria-pressed', String(item.watched));
  b.addEventListener('click', async (e) => {
    e.stopPropagation();
    b.disabled = true;
    const res = item.watched
      ? await request({ type: 'sightingsWatchRemove', keys: [item.key] })
      : await request({ type: 'sightingsWatchAdd', entries: [{ key: item.key, type: item.type, kind: item.kind, label: item.label }], tabId });
    if (res?.ok) item.watched = !item.watched;
    b.disabled = false;
    after();
  });
  return b;
}

// ---- on this page ----------------------------------------------------------------

export class HereView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {number|null} */
    this.tabId = null;
  }

  /** @param {number|null} tabId */
  async refresh(tabId) {
    this.tabId = tabId;
    if (tabId === null) {
      this.root.hidden = true;
      return;
    }
    const res = await request({ type: 'sightingsPage', tabId });
    if (tabId !== this.tabId) return;
    const items = res?.items ?? [];
    this.root.replaceChildren();
    this.root.hidden = !items.length && !res?.problem;
    if (res?.problem) this.root.append(el('p', 'sightings-error', res.problem.reason));
    if (!items.length) return;
    const watchedCount = items.filter((/** @type {any} */ i) => i.watched).length;
    const h2 = el('h2', '', t('sightings_here_title'));
    h2.append(el('span', 'count', t('common_count_paren', items.length)));
    this.root.append(h2);
    if (watchedCount) this.root.append(el('p', 'alert-line', plural('sightings_here_watched', watchedCount)));
    const ul = el('ul', 'sightings-list');
    for (const i of items) ul.append(this.row(i));
    this.root.append(ul);
  }

  /** @param {any} i */
  row(i) {
    const li = el('li', i.watched ? 'sighting watched' : 'sighting');
    li.dataset.key = i.key;
    const head = el('div', 'sighting-head');
    const label = el('span', 'label', i.name ? `${i.label} · ${i.name}` : i.label);
    label.dir = 'auto';
    label.translate = false;
    const mark = el('span', `mark ${i.watched ? 'm-watched' : i.seenBefore ? 'm-before' : 'm-new'}`, i.watched ? t('sightings_mark_watched') : i.seenBefore ? t('sightings_mark_before') : t('sightings_mark_new'));
    head.append(mark, label, el('span', 'kind', itemKindName(i.kind)));
    li.append(head);
    if (i.seenBefore) {
      const line = el('div', 'meta', summaryText(i));
      i.others.forEach((/** @type {any} */ p, /** @type {number} */ n) => {
        line.append(n === 0 ? ' — ' : ', ', pageLink(p.url));
      });
      li.append(line);
    }
    li.append(watchButton(i, this.tabId ?? -1, () => this.refresh(this.tabId)));
    return li;
  }
}

// ---- the Sightings view ----------------------------------------------------------

export class SightingsView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {any[]} */
    this.items = [];
    /** @type {Map<string, any>} */
    this.watch = new Map();
    this.side = /** @type {'id'|'account'} */ ('id');
    this.search = '';
    this.kind = '';
    this.watchedOnly = false;
    this.multiSite = false;
    this.shown = PAGE_ROWS;
    this.build();
  }

  build() {
    const tabs = el('div', 'side-tabs');
    tabs.setAttribute('role', 'tablist');
    for (const [side, key] of /** @type {const} */ ([
      ['id', 'sightings_by_identifier'],
      ['account', 'sightings_by_account'],
    ])) {
      const b = el('button', 'side-tab', t(key));
      b.type = 'button';
      b.id = `side-${side}`;
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(side === this.side));
      b.addEventListener('click', () => {
        this.side = side;
        this.kind = '';
        this.shown = PAGE_ROWS;
        for (const x of tabs.children) x.setAttribute('aria-selected', String(x === b));
        this.render();
      });
      tabs.append(b);
    }
    const search = /** @type {HTMLInputElement} */ (el('input'));
    search.type = 'search';
    search.id = 'sightings-search';
    search.placeholder = t('sightings_search');
    search.setAttribute('aria-label', t('sightings_search'));
    search.addEventListener('input', () => {
      this.search = search.value.trim().toLowerCase();
      this.shown = PAGE_ROWS;
      this.render();
    });
    const kind = /** @type {HTMLSelectElement} */ (el('select'));
    kind.id = 'sightings-kind';
    kind.setAttribute('aria-label', t('sightings_kind_filter'));
    kind.addEventListener('change', () => {
      this.kind = kind.value;
      this.shown = PAGE_ROWS;
      this.render();
    });
    this.kindSelect = kind;
    const check = (/** @type {string} */ id, /** @type {string} */ key, /** @type {(v: boolean) => void} */ set) => {
      const label = el('label', 'check');
      const box = /** @type {HTMLInputElement} */ (el('input'));
      box.type = 'checkbox';
      box.id = id;
      box.addEventListener('change', () => {
        set(box.checked);
        this.shown = PAGE_ROWS;
        this.render();
      });
      label.append(box, ` ${t(key)}`);
      return label;
    };
    const filters = el('div', 'sightings-filters');
    filters.append(
      search,
      kind,
      check('sightings-watched', 'sightings_watched_only', (v) => (this.watchedOnly = v)),
      check('sightings-multi', 'sightings_multi_site', (v) => (this.multiSite = v)),
    );
    this.status = el('p', 'sightings-status');
    this.status.setAttribute('role', 'status');
    this.list = el('ul', 'sightings-list all');
    this.more = el('button', 'link more-button', '');
    this.more.addEventListener('click', () => {
      this.shown += PAGE_ROWS;
      this.render();
    });
    this.root.append(tabs, filters, this.status, this.list, this.more, this.exports());
  }

  exports() {
    const box = el('details', 'sightings-export');
    box.append(el('summary', '', t('sightings_export_title')));
    const row = el('div', 'export-row');
    const clearLabel = el('label', 'check');
    const clear = /** @type {HTMLInputElement} */ (el('input'));
    clear.type = 'checkbox';
    clear.id = 'sightings-export-clear';
    clearLabel.append(clear, ` ${t('sightings_export_clear')}`);
    const warning = el('p', 'sightings-error', t('sightings_export_clear_warning'));
    warning.hidden = true;
    clear.addEventListener('change', () => (warning.hidden = !clear.checked));
    const status = el('p', 'sightings-export-status');
    status.setAttribute('role', 'status');
    for (const [format, key] of /** @type {const} */ ([
      ['csv', 'sightings_export_csv'],
      ['stix', 'sightings_export_stix'],
      ['misp', 'sightings_export_misp'],
    ])) {
      const b = el('button', '', t(key));
      b.type = 'button';
      b.id = `sightings-export-${format}`;
      b.addEventListener('click', async () => {
        status.textContent = t('sightings_exporting');
        try {
          const file = await this.exportNow(format, clear.checked);
          download(file.name, file.mime, file.text);
          status.textContent = t('sightings_exported', file.name);
          this.lastExport = file;
        } catch (e) {
          status.textContent = t('sightings_export_failed', String(/** @type {any} */ (e)?.message ?? e));
        }
      });
      row.append(b);
    }
    box.append(el('p', 'note', t('sightings_export_note')), row, clearLabel, warning, status);
    return box;
  }

  /**
   * The listed items and their sightings as a file.
   * @param {'csv'|'stix'|'misp'} format
   * @param {boolean} clear
   */
  async exportNow(format, clear) {
    const items = this.filtered();
    const keys = new Set(items.map((i) => i.key));
    const sightings = (await db.allSightings()).filter((s) => keys.has(s.item));
    const sensitive = items.filter((i) => SENSITIVE.has(i.kind)).map((i) => i.key);
    const values = clear && sensitive.length ? ((await request({ type: 'sightingsClearValues', keys: sensitive }))?.values ?? {}) : {};
    const exporter = { id: await db.exporterId(), name: t('sightings_exporter_name') };
    return exportFile(format, { items, sightings, watch: this.watch, clear: new Map(Object.entries(values)), exporter, now: Date.now() });
  }

  /**
   * Loads the store and renders: first the watched items and the most
   * recent ones (one screen, read through the "last" index), then every
   * item for the counts, the filters and the search. `started`: when the
   * moderator asked for the view (performance.now()).
   * @param {number} [started]
   */
  async load(started = performance.now()) {
    const seq = (this.seq = (this.seq ?? 0) + 1);
    const watch = await db.watchList();
    this.watch = new Map(watch.map((w) => [w.key, w]));
    const [watchedItems, recent] = await Promise.all([db.itemsByKey([...this.watch.keys()].slice(0, PAGE_ROWS)), db.recentItems(PAGE_ROWS)]);
    if (seq !== this.seq) return;
    const first = new Map([...watchedItems, ...recent].map((i) => [i.key, i]));
    this.partial = true;
    this.setItems([...first.values()]);
    document.documentElement.dataset.sightingsFirstMs = (performance.now() - started).toFixed(1);
    const items = await db.allItems();
    if (seq !== this.seq) return;
    this.partial = false;
    this.setItems(items);
    this.loadedMs = performance.now() - started;
    document.documentElement.dataset.sightingsMs = this.loadedMs.toFixed(1);
  }

  /** @param {any[]} items */
  setItems(items) {
    for (const i of items) i.watched = this.watch.has(i.key);
    // Watched first, then the most recent.
    items.sort((a, b) => Number(b.watched) - Number(a.watched) || b.last - a.last);
    this.items = items;
    this.render();
  }

  /** @param {any} i */
  onSide(i) {
    // A Telegram handle is both: mentioned in posts, and the channel a page belongs to.
    if (this.side === 'id') return i.type === 'id' || i.type === 'phrase' || i.kind === 'telegram';
    return i.type === 'account' || i.kind === 'telegram';
  }

  filtered() {
    return this.items.filter((i) => {
      if (!this.onSide(i)) return false;
      if (this.kind && i.kind !== this.kind) return false;
      if (this.watchedOnly && !i.watched) return false;
      if (this.multiSite && i.hosts.length + (i.moreHosts ?? 0) < 2) return false;
      if (this.search) {
        const hay = `${i.label}\n${i.name ?? ''}\n${i.kind}\n${itemKindName(i.kind)}\n${i.hosts.join(' ')}\n${i.recent.map((/** @type {any} */ r) => `${r.url} ${r.title}`).join('\n')}`.toLowerCase();
        if (!hay.includes(this.search)) return false;
      }
      return true;
    });
  }

  render() {
    const kinds = [...new Set(this.items.filter((i) => this.onSide(i)).map((i) => i.kind))].sort();
    const sel = /** @type {HTMLSelectElement} */ (this.kindSelect);
    sel.replaceChildren(el('option', '', t('sightings_all_kinds')), ...kinds.map((k) => Object.assign(el('option', '', itemKindName(k)), { value: k })));
    /** @type {HTMLOptionElement} */ (sel.firstChild).value = '';
    sel.value = this.kind;
    const list = this.filtered();
    const sightings = list.reduce((n, i) => n + i.count, 0);
    /** @type {HTMLElement} */ (this.status).textContent = this.partial ? t('sightings_view_loading') : t('sightings_view_status', plural('sightings_items', list.length), plural('sightings_times', sightings));
    const frag = document.createDocumentFragment();
    for (const i of list.slice(0, this.shown)) frag.append(this.row(i));
    /** @type {HTMLElement} */ (this.list).replaceChildren(frag);
    const more = /** @type {HTMLElement} */ (this.more);
    more.hidden = list.length <= this.shown;
    more.textContent = plural('panel_more', list.length - this.shown);
    if (!list.length) /** @type {HTMLElement} */ (this.list).append(el('li', 'empty', this.items.length ? t('panel_no_match') : t('sightings_none')));
  }

  /** @param {any} i */
  row(i) {
    const li = el('li', i.watched ? 'sighting watched' : 'sighting');
    li.dataset.key = i.key;
    const b = el('button', 'sighting-open');
    b.type = 'button';
    b.setAttribute('aria-expanded', 'false');
    const head = el('div', 'sighting-head');
    const label = el('span', 'label', i.name ? `${i.label} · ${i.name}` : i.label);
    label.dir = 'auto';
    label.translate = false;
    if (i.watched) head.append(el('span', 'mark m-watched', t('sightings_mark_watched')));
    head.append(label, el('span', 'kind', itemKindName(i.kind)));
    const meta = el('div', 'meta', `${summaryText({ count: i.count, sites: i.hosts.length + (i.moreHosts ?? 0), first: i.first })} · ${t('sightings_last', formatDate(i.last))}`);
    b.append(head, meta);
    const pages = el('ul', 'pages');
    pages.hidden = true;
    b.addEventListener('click', async () => {
      const open = pages.hidden;
      pages.hidden = !open;
      b.setAttribute('aria-expanded', String(open));
      if (open && !pages.childElementCount) {
        const list = await db.sightingsOf(i.key);
        for (const s of list) {
          const p = el('li');
          const title = el('span', 'page-title', s.title ? ` ${s.title}` : '');
          title.dir = 'auto';
          p.append(pageLink(s.page), title, el('div', 'meta', `${plural('sightings_times', s.count)} · ${formatDate(s.first)} – ${formatDate(s.last)}`));
          pages.append(p);
        }
        const days = Object.entries(i.days ?? {});
        if (days.length) pages.append(el('li', 'meta', plural('sightings_compacted', days.reduce((n, [, x]) => n + x.n, 0))));
      }
    });
    li.append(b, watchButton(i, -1, () => this.render()), pages);
    return li;
  }
}

/**
 * Wires the panel's two views ("This page", "Sightings") and the page block.
 * @param {{getTabId: () => number|null}} o
 */
export function initSightingsPanel(o) {
  const here = new HereView($('sightings-here'));
  const view = new SightingsView($('sightings-view'));
  let active = 'findings';
  const show = async (/** @type {string} */ which) => {
    const started = performance.now();
    if (which === active) return;
    active = which;
    $('view-findings').setAttribute('aria-selected', String(which === 'findings'));
    $('view-sightings').setAttribute('aria-selected', String(which === 'sightings'));
    $('sightings-view').hidden = which !== 'sightings';
    // The page's parts stay as the findings view keeps them, out of sight (panel.css).
    document.body.classList.toggle('view-sightings', which === 'sightings');
    if (which === 'sightings') await view.load(started);
    else here.refresh(o.getTabId());
  };
  $('view-findings').addEventListener('click', () => show('findings'));
  $('view-sightings').addEventListener('click', () => show('sightings'));
  if (new URLSearchParams(location.search).get('view') === 'sightings') show('sightings');
  return {
    /** @param {number|null} tabId */
    refresh(tabId) {
      if (active === 'findings') here.refresh(tabId);
    },
    view,
    here,
    get active() {
      return active;
    },
  };
}

