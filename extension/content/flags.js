// Reviewer flags in the page: turns a selection into a flag (the form), shows
// the page's flags in their own highlight, and keeps them anchored while the
// page changes. The background stores flags and runs the engine's
// approximate search; this side knows the DOM.
//
// Anchoring (common/anchoring.js says in what order, flag-text.js over which
// text): when the page's flags arrive, and again whenever the DOM changes and
// a flag's text nodes left the page or changed, or some flag is still an
// orphan (then with a growing pause, so a page that never stops changing
// does not pay for a walk every second). A page without flags pays nothing:
// the observer runs only while there are flags.

import { MAX_QUOTE, anchorExact, describe, engineAnchor } from '../common/anchoring.js';
import { newFlagId, normalizeCategory } from '../common/flag-record.js';
import { normalizeUrl } from '../common/url.js';
import { categoryFromName, t } from '../common/i18n.js';
import { FlagForm } from './flag-form.js';
import { offsetsOf, rangeOf, snapshot } from './flag-text.js';
import { comparePoints } from './state.js';

/** DOM changes are looked at this long after they happen (coalesced). */
const CHECK_DELAY_MS = 250;
/** Orphans are searched for again after this pause, doubled after each miss up to the maximum. */
const ORPHAN_RETRY_MS = 1000;
const ORPHAN_RETRY_MAX_MS = 16_000;
/** Answers from the background that take longer than this count as lost. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Flags paint above findings, below the "you jumped here" flash. */
const FLAG_PRIORITY = 5;
const OBSERVE = { childList: true, characterData: true, subtree: true };

/**
 * @typedef {import('../common/evidence.js').Flag} Flag
 * @typedef {import('../common/anchoring.js').Anchor} Anchor
 * @typedef {object} Placed  a flag on the page
 * @property {StaticRange} range
 * @property {Text[]} nodes     its text nodes
 * @property {(string|null)[]} datas  their text when placed (a change means: anchor again)
 * @property {Anchor} how
 *
 * @typedef {object} FlagsContext
 * @property {(msg: object) => void} send
 * @property {import('./highlight.js').Highlighter} highlighter  the findings' (one style sheet, one set of names); its "flag" group survives rescans
 * @property {() => Element[]} ownHosts   the tool's other UI in the page (the card)
 * @property {Set<ShadowRoot>} shadowRoots
 * @property {(fn: () => void, label?: string) => void} timed
 */

export class Flags {
  /** @param {FlagsContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** Normalised URL of the page the flags are for. */
    this.key = '';
    /** @type {Flag[]} */
    this.flags = [];
    /** @type {string[]} */
    this.categories = [];
    /** @type {{category: string, severity: string}|null} */
    this.defaults = null;
    /** @type {Map<string, Placed>} */
    this.placed = new Map();
    /** Flags looked for and not found. @type {Set<string>} */
    this.orphans = new Set();
    this.highlighter = ctx.highlighter;
    this.form = new FlagForm({
      save: (v) => this.save(v),
      close: () => this.endDraft(),
      remove: () => this.remove(),
      undo: () => this.undo(),
    });
    /** What the form is about. @type {{mode: 'new'|'edit', id: string, flag: Flag|null, sel: import('../common/anchoring.js').Selectors, placed: Placed|null}|null} */
    this.draft = null;
    /** The flag deleted from the form, for Undo. @type {Flag|null} */
    this.lastDeleted = null;
    /** @type {Map<number, (m: any) => void>} */
    this.pending = new Map();
    this.nextReq = 1;
    this.observer = new MutationObserver(() => this.domChanged());
    this.observing = false;
    this.checkTimer = 0;
    this.anchoring = false;
    this.again = false;
    this.orphanDelay = ORPHAN_RETRY_MS;
    this.nextOrphanTry = 0;
    this.loaded = false;
    this.stopped = false;
    /** Anchoring runs, and the flag last scrolled to (for the diagnostics). */
    this.runs = 0;
    this.revealed = '';
  }

  get host() {
    return this.form.host;
  }

  /** @param {Node} n */
  owns(n) {
    return this.form.owns(n);
  }

  /** @param {Node} n */
  contains(n) {
    return this.form.contains(n);
  }

  /** The DOM is ready: ask for this page's flags. */
  start() {
    this.key = normalizeUrl(location.href);
    this.ctx.send({ type: 'flagLoad', url: location.href });
  }

  /** The URL changed (a single-page app navigated): another page, other flags. */
  navigated() {
    if (this.stopped || normalizeUrl(location.href) === this.key) return;
    this.form.close();
    this.draft = null;
    this.setFlags([]);
    this.loaded = false;
    this.start();
  }

  /** A message for the flags (type "flag..." or "flags"). @param {any} m */
  receive(m) {
    switch (m.type) {
      case 'flags':
        if (normalizeUrl(m.url) !== this.key) return;
        this.categories = m.categories;
        this.defaults = m.defaults;
        this.loaded = true;
        this.setFlags(m.flags);
        break;
      case 'flagReply':
      case 'flagAnchored':
        this.pending.get(m.req)?.(m);
        this.pending.delete(m.req);
        break;
      case 'flagAsk': {
        const r = this.selectionRange();
        this.ctx.send({ type: 'flagSelectionInfo', req: m.req, has: !!r, focused: document.hasFocus() });
        break;
      }
      case 'flagOpen':
        this.openFromSelection().catch((e) => this.form.hint(t('hint_flag_failed', String(e?.message ?? e))));
        break;
      case 'flagReveal':
        this.reveal(m.id);
        break;
      case 'flagCapture':
        snapshot(() => this.ownHosts()).then((s) => this.ctx.send({ type: 'flagText', req: m.req, text: s.text }));
        break;
      case 'flagStatusAsk':
        this.sendStatus();
        break;
    }
  }

  /** @returns {Element[]} */
  ownHosts() {
    const out = this.ctx.ownHosts();
    if (this.form.host) out.push(this.form.host);
    return out;
  }

  /**
   * Adds or removes a flag's range. The "flag" group (its highlight name and
   * style) is made on first use: a page without flags has none.
   * @param {'add'|'remove'} op
   * @param {AbstractRange} range
   */
  mark(op, range) {
    if (op === 'remove') {
      this.highlighter.remove('flag', range);
      return;
    }
    if (!this.highlighter.groups.has('flag')) {
      this.highlighter.group('flag').highlight.priority = FLAG_PRIORITY;
      const names = this.highlighter.takeUnsent();
      if (names) this.ctx.send({ type: 'styles', names });
    }
    this.highlighter.add('flag', range);
  }

  // ---- the page's flags -------------------------------------------------------

  /** @param {Flag[]} flags */
  setFlags(flags) {
    const ids = new Set(flags.map((f) => f.id));
    for (const [id, p] of this.placed) {
      if (ids.has(id)) continue;
      this.mark('remove', p.range);
      this.placed.delete(id);
    }
    for (const id of this.orphans) if (!ids.has(id)) this.orphans.delete(id);
    this.flags = flags;
    if (flags.length && !this.observing) {
      this.observing = true;
      this.observeAll();
    } else if (!flags.length && this.observing) {
      this.observing = false;
      this.observer.disconnect();
    }
    this.sendStatus();
    if (flags.some((f) => !this.placed.has(f.id))) this.anchor();
  }

  observeAll() {
    this.observer.observe(document, OBSERVE);
    for (const r of this.ctx.shadowRoots) if (r.isConnected) this.observer.observe(r, OBSERVE);
  }

  domChanged() {
    if (!this.flags.length || this.checkTimer || this.stopped) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = 0;
      this.ctx.timed(() => this.check(), 'flags check');
    }, CHECK_DELAY_MS);
  }

  /** After DOM changes: anchor again what moved, and look for orphans now and then. */
  check() {
    // Shadow roots found since the last look are watched too.
    if (this.observing) this.observeAll();
    let broken = false;
    for (const [id, p] of this.placed) {
      if (isBroken(p)) {
        this.mark('remove', p.range);
        this.placed.delete(id);
        broken = true;
      }
    }
    const unplaced = this.flags.some((f) => !this.placed.has(f.id) && !this.orphans.has(f.id));
    if (broken || unplaced) {
      this.anchor();
      return;
    }
    if (!this.orphans.size) return;
    const wait = this.nextOrphanTry - performance.now();
    if (wait > 0) {
      // Not yet: look again when the pause is over (a change may have brought them back).
      if (!this.checkTimer) this.checkTimer = setTimeout(() => ((this.checkTimer = 0), this.check()), wait);
      return;
    }
    this.anchor(true);
  }

  /**
   * Anchors every flag that is not on the page.
   * @param {boolean} [orphanRetry]  a retry for orphans only: pause longer if none is found
   */
  async anchor(orphanRetry = false) {
    if (this.anchoring) {
      this.again = true;
      return;
    }
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', () => this.anchor(), { once: true });
      return;
    }
    this.anchoring = true;
    this.runs += 1;
    try {
      const todo = this.flags.filter((f) => !this.placed.has(f.id));
      if (!todo.length) return;
      const snap = await snapshot(() => this.ownHosts());
      // The page's list may have changed while the walk ran (a delete, an
      // import): only flags still on it are placed.
      const live = () => new Set(this.flags.map((f) => f.id));
      let ids = live();
      /** @type {Flag[]} */
      const hard = [];
      for (const f of todo) {
        if (!ids.has(f.id) || this.placed.has(f.id)) continue;
        const a = anchorExact(snap.text, f);
        if (!a || !this.place(f, snap, a)) hard.push(f);
      }
      let found = [...this.placed.keys()].filter((id) => todo.some((f) => f.id === id)).length;
      if (hard.length) {
        const reply = await this.request({
          type: 'flagAnchor',
          text: snap.text,
          quotes: hard.map((f) => ({ exact: f.quote.exact, prefix: f.quote.prefix, suffix: f.quote.suffix, start: f.position.start })),
        });
        ids = live();
        hard.forEach((f, i) => {
          // The flag may have been deleted or placed meanwhile.
          if (this.placed.has(f.id) || !ids.has(f.id)) return;
          const a = reply ? engineAnchor(reply.results[i], snap.text.length) : null;
          if (a && this.place(f, snap, a)) found += 1;
          else this.orphans.add(f.id);
        });
      }
      if (orphanRetry && !found) this.orphanDelay = Math.min(this.orphanDelay * 2, ORPHAN_RETRY_MAX_MS);
      else if (found) this.orphanDelay = ORPHAN_RETRY_MS;
      this.nextOrphanTry = performance.now() + this.orphanDelay;
      this.sendStatus();
    } finally {
      this.anchoring = false;
      if (this.again) {
        this.again = false;
        this.domChanged();
      }
    }
  }

  /**
   * Shows a flag at an anchor of the snapshot's text.
   * @param {Flag} f
   * @param {import('./flag-text.js').Snapshot} snap
   * @param {Anchor} how
   */
  place(f, snap, how) {
    const r = rangeOf(snap, how.start, how.end);
    if (!r) return false;
    const old = this.placed.get(f.id);
    if (old) this.mark('remove', old.range);
    this.placed.set(f.id, { range: r.range, nodes: r.nodes, datas: r.datas, how });
    this.orphans.delete(f.id);
    this.mark('add', r.range);
    if (!this.highlighter.committed) this.highlighter.commit();
    return true;
  }

  sendStatus() {
    if (!this.loaded) return;
    this.ctx.send({
      type: 'flagStatus',
      url: location.href,
      status: this.flags.map((f) => {
        const p = this.placed.get(f.id);
        if (p) return { id: f.id, state: 'anchored', method: p.how.method, distance: Math.round(p.how.distance), score: Math.min(1, Math.max(0, p.how.score)) };
        return { id: f.id, state: this.orphans.has(f.id) ? 'orphan' : 'pending', method: '', distance: 0, score: 0 };
      }),
    });
  }

  /** Scrolls to a flag and flashes it. @param {string} id */
  reveal(id) {
    const p = this.placed.get(id);
    if (!p || isBroken(p)) return;
    p.range.startContainer.parentElement?.scrollIntoView({ behavior: 'smooth', block: 'center', inline: 'nearest' });
    this.highlighter.flash(p.range);
    this.revealed = id;
  }

  // ---- flagging a selection -----------------------------------------------------

  /** The page's selection as a range (inside shadow roots too), or null when nothing is selected. */
  selectionRange() {
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const s = /** @type {any} */ (sel);
    if (typeof s.getComposedRanges === 'function') {
      const roots = [...this.ctx.shadowRoots].filter((r) => r.isConnected);
      try {
        const [r] = roots.length ? s.getComposedRanges({ shadowRoots: roots }) : s.getComposedRanges();
        if (r && !r.collapsed) return /** @type {AbstractRange} */ (r);
      } catch {
        // an older signature: fall back to the plain range
      }
    }
    return sel.getRangeAt(0);
  }

  async openFromSelection() {
    const sel = this.selectionRange();
    if (!sel) {
      this.form.hint(t('hint_select_first'));
      return;
    }
    const range = new StaticRange({ startContainer: sel.startContainer, startOffset: sel.startOffset, endContainer: sel.endContainer, endOffset: sel.endOffset });
    // A selection inside a flag edits that flag.
    for (const f of this.flags) {
      const p = this.placed.get(f.id);
      if (!p || isBroken(p)) continue;
      if (
        comparePoints(range.startContainer, range.startOffset, p.range.startContainer, p.range.startOffset) >= 0 &&
        comparePoints(range.endContainer, range.endOffset, p.range.endContainer, p.range.endOffset) <= 0
      ) {
        this.openEdit(f, p);
        return;
      }
    }
    const snap = await snapshot(() => this.ownHosts());
    const off = offsetsOf(snap, range);
    const sel2 = off && describe(snap.text, off.start, off.end);
    if (!sel2) {
      this.form.hint(t('hint_cannot_flag'));
      return;
    }
    if (sel2.quote.exact.length > MAX_QUOTE) {
      this.form.hint(t('hint_too_long', sel2.quote.exact.length, MAX_QUOTE));
      return;
    }
    const r = rangeOf(snap, sel2.position.start, sel2.position.end);
    const placed = r ? { range: r.range, nodes: r.nodes, datas: r.datas, how: /** @type {Anchor} */ ({ start: sel2.position.start, end: sel2.position.end, method: 'position', distance: 0, score: 1 }) } : null;
    this.endDraft();
    // The id is chosen here, not by the background: a save whose answer is
    // lost (the service worker stopped after writing it) saved again from
    // the form updates that flag instead of storing a second one.
    this.draft = { mode: 'new', id: newFlagId(), flag: null, sel: sel2, placed };
    if (placed) this.mark('add', placed.range);
    this.highlighter.commit();
    this.form.open({
      mode: 'new',
      quote: sel2.quote.exact,
      values: { category: this.defaults?.category ?? this.categories[0] ?? 'extremism', severity: this.defaults?.severity ?? 'medium', note: '' },
      categories: this.categories,
      rect: placed ? rectOf(placed.range) : null,
    });
  }

  /** @param {Flag} f @param {Placed} p */
  openEdit(f, p) {
    this.endDraft();
    this.draft = { mode: 'edit', id: f.id, flag: f, sel: { quote: f.quote, position: f.position }, placed: null };
    this.form.open({
      mode: 'edit',
      quote: f.quote.exact,
      values: { category: f.category, severity: f.severity, note: f.note },
      categories: this.categories,
      rect: rectOf(p.range),
    });
  }

  /** The form closed without saving: the draft's highlight goes. */
  endDraft() {
    const d = this.draft;
    this.draft = null;
    if (d?.mode === 'new' && d.placed && ![...this.placed.values()].some((p) => p.range === d.placed?.range)) {
      this.mark('remove', d.placed.range);
    }
  }

  /** @param {import('./flag-form.js').FormValues} v */
  async save(v) {
    const d = this.draft;
    if (!d) return;
    const category = normalizeCategory(categoryFromName(v.category, this.categories));
    if (!category) {
      this.form.setMessage(t('form_need_category'), 'error');
      return;
    }
    const flag = d.flag;
    const draft = {
      id: d.id,
      url: flag?.url ?? location.href,
      title: flag?.title ?? document.title.slice(0, 4096),
      category,
      severity: v.severity,
      note: v.note.slice(0, 10_000),
      quote: d.sel.quote,
      position: d.sel.position,
    };
    this.form.busy(true);
    this.form.setMessage(t('common_saving'), 'info');
    const reply = await this.request({ type: 'flagSave', flag: draft });
    if (this.draft !== d) return;
    this.form.busy(false);
    if (!reply?.ok) {
      // Nothing is dropped: the flag stays in the form (and in the panel's
      // "not saved" list, kept by the background) to retry or export.
      // No answer (the service worker stopped mid-save): whether it was
      // written is unknown; Save again stores it under the same id, once.
      if (reply?.id) d.id = reply.id;
      this.form.setMessage(reply ? t('form_not_saved', reply.error || t('common_no_answer')) : t('form_no_answer'), 'error');
      return;
    }
    if (d.mode === 'new' && d.placed) {
      // Shown at once where it was selected, unless the page's new list (the
      // background sends it before this reply) was anchored already.
      if (this.placed.has(reply.id)) this.mark('remove', d.placed.range);
      else this.placed.set(reply.id, d.placed);
    }
    this.draft = null;
    this.form.close();
  }

  async remove() {
    const d = this.draft;
    if (!d || d.mode !== 'edit' || !d.flag) return;
    this.form.busy(true);
    const reply = await this.request({ type: 'flagDelete', url: d.flag.url, id: d.flag.id });
    if (this.draft !== d) return;
    this.form.busy(false);
    if (!reply?.ok) {
      this.form.setMessage(t('flags_not_deleted', reply?.error || t('common_no_answer')), 'error');
      return;
    }
    this.lastDeleted = d.flag;
    this.draft = null;
    this.form.deleted();
  }

  async undo() {
    const f = this.lastDeleted;
    if (!f) return;
    this.form.busy(true);
    const reply = await this.request({ type: 'flagRestore', id: f.id });
    this.form.busy(false);
    if (!reply?.ok) {
      this.form.setMessage(t('flags_undo_failed', reply?.error || t('common_no_answer')), 'error');
      return;
    }
    this.lastDeleted = null;
    this.form.close();
  }

  /**
   * The port to the background closed (its service worker stopped): the
   * answers awaited on it can no longer come. Each is null at once, so the
   * form says "not saved" now and keeps the flag, rather than after the
   * time-out.
   */
  portClosed() {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const answer of waiting) answer(null);
  }

  /**
   * Sends a request and waits for its answer (null on time-out or when the
   * port closes).
   * @param {object} msg
   * @returns {Promise<any>}
   */
  request(msg) {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(req);
        resolve(null);
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(req, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.ctx.send({ ...msg, req });
    });
  }

  // ---- diagnostics and shutdown ----------------------------------------------------

  /** For the probe (tests): counts, the form's state, the flagged texts. */
  report() {
    const texts = [];
    for (const p of this.placed.values()) {
      if (isBroken(p)) continue;
      const r = document.createRange();
      r.setStart(p.range.startContainer, p.range.startOffset);
      r.setEnd(p.range.endContainer, p.range.endOffset);
      texts.push(r.toString().slice(0, 400));
    }
    return {
      flags: this.flags.length,
      flagsPlaced: this.placed.size,
      flagsOrphaned: this.orphans.size,
      flagRuns: this.runs,
      flagRevealed: this.revealed,
      flagTexts: texts.sort(),
      flagForm: this.form.shown ? this.form.mode : 'none',
      flagFormMessage: this.form.shown ? this.form.message.slice(0, 4096) : '',
      flagFormValues: this.form.shown && this.form.host ? JSON.stringify(this.form.values()).slice(0, 4096) : '',
      flagFormText: this.form.shown ? this.form.shownText() : '',
      flagFormDir: this.form.shown ? this.form.el.box.dir : '',
    };
  }

  dispose() {
    this.stopped = true;
    this.observer.disconnect();
    clearTimeout(this.checkTimer);
    this.form.close();
  }
}

/** Whether a placed flag's text changed or left the page. @param {Placed} p */
function isBroken(p) {
  for (let i = 0; i < p.nodes.length; i++) {
    const n = p.nodes[i];
    if (!n.isConnected || n.data !== p.datas[i]) return true;
  }
  return false;
}

/** @param {AbstractRange} r */
function rectOf(r) {
  const live = document.createRange();
  try {
    live.setStart(r.startContainer, r.startOffset);
    live.setEnd(r.endContainer, r.endOffset);
    return live.getBoundingClientRect();
  } catch {
    return null;
  }
}

