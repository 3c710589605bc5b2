// Content script entry: reads the page's text in slices, sends it to the
// background engine over a port, highlights the findings it gets back, keeps
// them right as the page changes, and explains a highlight on hover or focus.
//
// It adds nothing the page can see except the highlights (random names) and,
// while shown, the card's attribute-less host with a closed shadow root.

import { api } from '../common/api.js';
import { PORT_CONTENT, validate } from '../common/protocol.js';
import { Pass, SLICE_NODES } from './collect.js';
import { blockKeyOf, inSkipped, isBlock, shadowOf, skippedTag } from './dom.js';
import { Explainer } from './explain.js';
import { Flags } from './flags.js';
import { Highlighter } from './highlight.js';
import { readPageMeta } from './page-meta.js';
import { State, WHOLE, comparePoints, domRange, groupKeys } from './state.js';

// Guard against double injection (manifest plus on-demand injection). The
// flag lives in the content script's isolated world, which pages cannot see.
const GUARD = Symbol.for('content-scan-guard');

/** Longest slice of work per task, in ms: well under the 50 ms of a long task. */
const SLICE_MS = 5;
/** A scroll asks for the newly visible blocks at most this often, in ms. */
const SCROLL_PULL_MS = 100;
/** Blocks taken as the viewport's: the outermost block ancestor of a point up to this many viewport heights tall. */
const VISIBLE_BLOCK_MAX_SCREENS = 1.5;
/** Blocks after the last visible one read with it ("just below the viewport"). */
const BELOW_BLOCKS = 4;
/** Mutation records wait this long to be coalesced with the ones after them. */
const FLUSH_DELAY_MS = 8;
const NON_SPACE = /\S/;
/** Above this many findings, detached ones wait for the flush (the sweep is linear). */
const DETACH_SWEEP_MAX = 20_000;
const OBSERVE = { childList: true, characterData: true, subtree: true };
/**
 * Categories of the built-in packs and model: their highlight styles go into
 * the page at document_start, before the rules arrive (a cold service worker
 * sends them only once its engine is compiled, and a stylesheet inserted into
 * a page that is already built restyles all of it: ~150 ms on a 1 MB page).
 */
const BUILTIN_CATEGORIES = ['extremism', 'donation'];

if (!(/** @type {any} */ (globalThis)[GUARD])) {
  /** @type {any} */ (globalThis)[GUARD] = true;
  run();
}

function run() {
  const scriptStart = performance.now();
  const highlighter = new Highlighter();
  const state = new State(highlighter);

  /** @type {chrome.runtime.Port|null} */
  let port = null;
  let stopped = false;
  // Reading starts at once, before the background's config arrives (one
  // round trip sooner to the first highlight); a site switched off gets a
  // config that stops it, and the background ignores its scans meanwhile.
  let enabled = true;
  let started = false;
  let generation = -1;
  let nextChunkId = 1;
  let nextPassId = 1;
  /** Scan messages not answered yet: resent if the service worker restarts. @type {Map<number, object>} */
  const unanswered = new Map();
  /** @type {Map<number, number[]>} chunk -> spans to drop when its findings arrive */
  const dropOnAnswer = new Map();
  /** Findings that arrived before the rules (they are sent first; kept for safety). @type {[number, number[]][]} */
  let early = [];

  /** @type {Pass|null} */
  let pass = null;
  /** A full pass waiting while a priority pass reads the visible blocks. @type {Pass|null} */
  let paused = null;
  /** Set when a pass reads the whole page (a scroll may then pull the visible blocks forward). */
  let fullPass = /** @type {Pass|null} */ (null);
  let passScheduled = false;
  let scrollPull = false;
  /** The full pass read its last node: the findings of its last chunk commit at once. */
  let fullEnded = false;
  let lastPull = 0;
  /** The page has been laid out once since reading started (geometry is cheap to ask for). */
  let laidOut = false;
  /** @type {MutationRecord[]} */
  let records = [];
  let flushTimer = 0;
  let lastUrl = location.href;
  /** @type {Set<ShadowRoot>} */
  const shadowRoots = new Set();
  const explainer = new Explainer({
    state,
    highlighter,
    shadowRoots,
    enabled: () => enabled,
    send: (m) => send(m),
    timed: (f, l) => timed(f, l),
  });
  // Reviewer flags: the form, their highlights, re-anchoring (content/flags.js).
  const flags = new Flags({
    send: (m) => send(m),
    highlighter,
    ownHosts: () => (explainer.host ? [explainer.host] : []),
    shadowRoots,
    timed: (f, l) => timed(f, l),
  });
  const isOwnUi = (/** @type {Node} */ n) => explainer.owns(n) || flags.owns(n);
  // The page-preserving script (content/snapshot.js, injected when the
  // moderator preserves) leaves the tool's own UI out of the copy; it shares
  // this isolated world, which the page cannot see.
  /** @type {any} */ (globalThis)[Symbol.for('content-own-ui')] = () => flags.ownHosts();
  /** Custom elements seen without a shadow root: it may be attached later (no mutation says so). */
  let maybeHosts = new Set();
  const observer = new MutationObserver((recs) => {
    timed(() => {
      let removed = false;
      for (const r of recs) {
        records.push(r);
        if (r.removedNodes.length) removed = true;
      }
      // Findings in text that just left the page go at once (this callback
      // runs before any other task can look), not when the records are
      // flushed; the rest waits for the coalesced flush.
      if (removed && state.hitCount && state.hitCount < DETACH_SWEEP_MAX) {
        state.dropDetached();
        reportCounts();
      }
      if (!flushTimer) flushTimer = setTimeout(() => timed(flush, 'flush'), FLUSH_DELAY_MS);
    }, 'observer');
  });

  /** Work timing, for the benchmark and the tests (reported through the background only). */
  const perf = {
    tasks: 0,
    total: 0,
    max: 0,
    /** tasks over 16 ms, labelled @type {string[]} */
    long: [],
    /** ms since the script started: DOM ready, first and last highlight, last full rescan */
    ready: -1,
    firstHighlight: -1,
    lastHighlight: -1,
    fullStart: -1,
    firstAfterFull: -1,
    passes: 0,
    priorityPasses: 0,
    nodesRead: 0,
    maxSliceNodes: 0,
    /** a short timeline of the first messages @type {string[]} */
    marks: [],
  };
  /** @param {string} what */
  const mark = (what) => {
    if (perf.marks.length < 50) perf.marks.push(`${what} ${(performance.now() - scriptStart).toFixed(1)}`);
  };
  /**
   * Runs one of the script's tasks and keeps its timing.
   * @param {() => void} fn
   * @param {string} [label]  what it was, for the longest tasks' list
   */
  function timed(fn, label = 'task') {
    const t0 = performance.now();
    try {
      fn();
    } finally {
      const dt = performance.now() - t0;
      perf.tasks += 1;
      perf.total += dt;
      if (dt > perf.max) perf.max = dt;
      if (dt > 16 && perf.long.length < 20) perf.long.push(`${label} ${dt.toFixed(1)}`);
    }
  }

  /** @type {import('./collect.js').Owner} */
  const owner = {
    hasOwners: () => state.chunks.size > 0,
    ownedElsewhere: (key, passId) => state.ownedElsewhere(key, passId),
    ownedBy: (key, passId, current) => state.ownedBy(key, passId, current),
    own: (key, chunk) => state.own(key, chunk),
    ownHosts: () => flags.ownHosts(),
    foundShadow: (root) => adoptShadow(root),
    maybeHost: (el) => maybeHosts.add(el),
    nextChunkId: () => nextChunkId++,
  };

  // ---- the port -----------------------------------------------------------

  function connect() {
    if (stopped) return null;
    try {
      port = api.runtime.connect({ name: PORT_CONTENT });
    } catch {
      // The extension was reloaded or removed: this copy of the script is orphaned.
      stop();
      return null;
    }
    port.onMessage.addListener((msg) => timed(() => receive(msg), `message ${/** @type {any} */ (msg)?.type}`));
    port.onDisconnect.addListener(() => {
      port = null;
      flags.portClosed();
      // A service worker that was stopped disconnects its ports; reconnect
      // lazily (next message, or when the background asks) rather than
      // waking it again at once.
      if (!api.runtime?.id) stop();
    });
    mark('hello');
    port.postMessage({
      type: 'hello',
      url: location.href,
      title: document.title.slice(0, 4096),
      top: window === window.top,
      resume: started ? [...state.chunks.keys()] : [],
    });
    for (const m of unanswered.values()) port.postMessage(m);
    return port;
  }

  /** @param {object} msg */
  function send(msg) {
    const p = port ?? connect();
    if (!p) return;
    try {
      p.postMessage(msg);
    } catch {
      port = null;
      connect()?.postMessage(msg);
    }
  }

  /** @param {unknown} msg */
  function receive(msg) {
    const problem = validate('toContent', msg);
    if (problem) return;
    const m = /** @type {any} */ (msg);
    switch (m.type) {
      case 'config':
        mark('config');
        highlighter.setVisible(m.highlights);
        if (m.highlights === false) explainer.hide();
        if (m.enabled !== enabled) {
          enabled = m.enabled;
          if (!enabled) pause();
          else if (document.readyState !== 'loading') begin();
        }
        break;
      case 'rules':
        state.rules = m.rules;
        state.fields = m.fields;
        state.kinds = m.kinds;
        pregroup(m.rules);
        if (generation !== -1 && generation !== m.generation && started) fullRescan();
        generation = m.generation;
        for (const [chunk, data] of early) onFindings(chunk, data);
        early = [];
        break;
      case 'findings':
        if (!state.rules) early.push([m.chunk, m.data]);
        else onFindings(m.chunk, m.data);
        break;
      case 'rescan':
        if (enabled) fullRescan();
        break;
      case 'step':
        step(m.dir, m.from);
        break;
      case 'reveal':
        reveal(m.chunk, m.n);
        break;
      case 'folded':
        explainer.folded(m.id, m.folded);
        break;
      case 'sightingInfo':
        explainer.sightings(m.id, m.items);
        break;
      case 'probe':
        send({ type: 'probed', id: m.id, report: report(m.reset, m.detail) });
        break;
      case 'styleFallback':
        adoptInto(document);
        break;
      default:
        if (m.type.startsWith('flag')) flags.receive(m);
    }
  }

  // ---- scanning -----------------------------------------------------------

  function begin() {
    started = true;
    observer.observe(document, OBSERVE);
    for (const r of shadowRoots) if (r.isConnected) observer.observe(r, OBSERVE);
    // The first slice runs now, inside DOMContentLoaded, ahead of the page's
    // first layout: the first chunk is on its way to the engine while the
    // browser lays the page out. At load the viewport is the top of the
    // page, so document order is nearest first; asking where the viewport
    // is would force that layout into this task.
    startFullPass(true);
    requestAnimationFrame(() => setTimeout(() => (laidOut = true), 0));
  }

  /**
   * Reads the whole page. When the page has been laid out (a rescan, or a
   * scroll during a long pass), a priority pass reads the blocks on screen
   * and just below first.
   * @param {boolean} [now]  run the first slice in the current task
   */
  function startFullPass(now = false) {
    startPass([document.documentElement], [], now && !laidOut, true);
    fullPass = pass;
    fullEnded = false;
    if (laidOut) pullVisible();
  }

  /**
   * The blocks on screen and a few below, outermost first (posts rather than
   * their paragraphs), that no chunk holds yet and the pass in progress is
   * not inside. Asks the layout for a handful of points and rectangles:
   * cheap once the page is laid out, which the caller makes sure of.
   * @returns {Element[]}
   */
  function visibleBlocks() {
    const h = innerHeight;
    const w = innerWidth;
    if (!h || !w) return [];
    const maxHeight = h * VISIBLE_BLOCK_MAX_SCREENS;
    /** @type {Element[]} */
    const out = [];
    const seen = new Set();
    const take = (/** @type {Element|null} */ el) => {
      if (!el || seen.has(el)) return;
      seen.add(el);
      if (state.owners.has(el) || (pass && pass.inside(el)) || inSkipped(el, isOwnUi)) return;
      out.push(el);
    };
    let last = null;
    for (const fy of [0.02, 0.25, 0.5, 0.75, 0.98]) {
      for (const fx of [0.5, 0.25]) {
        let el = document.elementFromPoint(w * fx, h * fy);
        if (!el || el === document.documentElement || el === document.body) continue;
        el = /** @type {Element} */ (blockKeyOf(el));
        if (el.nodeType !== Node.ELEMENT_NODE) continue;
        // Climb to the outermost block that is still about a post's size.
        for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
          if (!isBlock(p)) continue;
          if (p.getBoundingClientRect().height > maxHeight) break;
          el = p;
        }
        take(el);
        last = el;
      }
    }
    for (let i = 0, n = last?.nextElementSibling; n && i < BELOW_BLOCKS; i++, n = n.nextElementSibling) take(n);
    return out;
  }

  /** Reads the visible blocks ahead of the full pass in progress (which then skips them). */
  function pullVisible() {
    scrollPull = false;
    lastPull = performance.now();
    if (!fullPass || pass !== fullPass || paused) return;
    const roots = visibleBlocks();
    if (!roots.length) return;
    perf.priorityPasses += 1;
    paused = fullPass;
    const p = new Pass(owner, nextPassId++, roots, [], (chunk, last) => emit(p, chunk, last));
    p.near = true;
    pass = p;
    schedulePass();
  }

  function pause() {
    observer.disconnect();
    records = [];
    pass = null;
    paused = null;
    fullPass = null;
    state.reset();
    unanswered.clear();
    dropOnAnswer.clear();
    explainer.hide();
  }

  /** Forgets everything shown and reads the whole page again (navigation, new packs, the moderator asked). */
  function fullRescan() {
    perf.fullStart = performance.now() - scriptStart;
    perf.firstAfterFull = -1;
    mark('full rescan');
    const spans = [];
    for (const id of state.chunks.keys()) spans.push(id, 0, WHOLE);
    if (spans.length) send({ type: 'drop', spans });
    state.reset(true);
    unanswered.clear();
    dropOnAnswer.clear();
    records = [];
    pass = null;
    paused = null;
    cursor = null;
    explainer.hide();
    startFullPass(true);
  }

  /**
   * @param {Node[]} roots
   * @param {number[]} drops  spans the pass replaces
   * @param {boolean} [now]    run the first slice in the current task
   * @param {boolean} [full]   a pass over the whole page
   */
  function startPass(roots, drops, now = false, full = false) {
    perf.passes += 1;
    const p = new Pass(owner, nextPassId++, roots, drops, (chunk, last) => emit(p, chunk, last));
    p.full = full;
    pass = p;
    if (now) runSlice();
    else schedulePass();
  }

  // Slices run as separate tasks. Near the viewport they are posted through
  // a MessageChannel: unlike nested setTimeout(0) they are not clamped to
  // 4 ms, and the page's own tasks run between them. Off screen they go at
  // background priority where the browser has a task scheduler, so the
  // page's own work (input, rendering, its scripts) goes first.
  const channel = new MessageChannel();
  const onSlice = () => {
    passScheduled = false;
    timed(runSlice, 'slice');
  };
  channel.port1.onmessage = onSlice;
  const postTask = /** @type {any} */ (globalThis).scheduler?.postTask?.bind(/** @type {any} */ (globalThis).scheduler);
  function schedulePass() {
    if (passScheduled || !pass) return;
    passScheduled = true;
    if (postTask && pass.full && !pass.isNear()) {
      postTask(onSlice, { priority: 'background' }).catch(() => {
        passScheduled = false;
      });
    } else channel.port2.postMessage(0);
  }

  // A scroll during a long pass pulls the newly visible blocks forward.
  addEventListener(
    'scroll',
    () => {
      if (fullPass && pass === fullPass && !paused) scrollPull = true;
    },
    { capture: true, passive: true },
  );

  function runSlice() {
    if (scrollPull && performance.now() - lastPull > SCROLL_PULL_MS) pullVisible();
    const p = pass;
    if (!p || stopped) return;
    const done = p.step(performance.now() + SLICE_MS);
    if (p.maxSliceNodes > perf.maxSliceNodes) perf.maxSliceNodes = p.maxSliceNodes;
    if (p !== pass) return;
    if (!done) {
      schedulePass();
      return;
    }
    perf.nodesRead += p.nodesRead;
    if (paused) {
      // The visible blocks are read: the full pass goes on, skipping them.
      pass = paused;
      paused = null;
      pass.checkOwners = true;
      schedulePass();
      return;
    }
    if (p === fullPass) {
      fullPass = null;
      fullEnded = true;
    }
    pass = null;
    if (p.chunks === 0) highlighter.dropRetired();
    // Nothing left to read where text changed: the old findings just go.
    if (p.chunks === 0) dropNow(p.drops);
    if (records.length) flush();
  }

  /**
   * @param {Pass} p
   * @param {import('./collect.js').Chunk} chunk
   * @param {boolean} last
   */
  function emit(p, chunk, last) {
    const drops = p.drops;
    state.addChunk(chunk);
    const msg = { type: 'scan', chunk: chunk.id, text: chunk.text, blocks: chunk.blocks, drop: last ? drops : [] };
    mark(`scan ${chunk.id} ${chunk.text.length}`);
    if (last && drops.length) dropOnAnswer.set(chunk.id, drops);
    unanswered.set(chunk.id, msg);
    send(msg);
  }

  /** @param {number[]} spans */
  function dropNow(spans) {
    if (!spans.length) return;
    state.drop(spans);
    send({ type: 'drop', spans });
    reportCounts();
  }

  /** @param {number} id @param {number[]} data */
  function onFindings(id, data) {
    mark(`findings ${id}`);
    unanswered.delete(id);
    const c = state.chunks.get(id);
    const drops = dropOnAnswer.get(id);
    dropOnAnswer.delete(id);
    if (drops) state.drop(drops);
    if (!c) {
      reportCounts();
      return;
    }
    highlighter.dropRetired();
    const n = state.apply(c, data);
    // Findings near the viewport go on screen at once, and so do the last
    // ones of a pass; the rest in the highlighter's batches (every commit
    // costs the page a restyle: see highlight.js).
    const last = fullEnded && unanswered.size === 0;
    if (last) fullEnded = false;
    if ((n > 0 && (!highlighter.committed || c.near)) || last) highlighter.commit();
    if (c.live === 0 && c.hits.size === 0) state.chunks.delete(id);
    if (n > 0) {
      const now = performance.now() - scriptStart;
      if (perf.firstHighlight < 0) perf.firstHighlight = now;
      if (perf.firstAfterFull < 0 && perf.fullStart >= 0) perf.firstAfterFull = now;
      perf.lastHighlight = now;
    }
    const names = highlighter.takeUnsent();
    if (names) send({ type: 'styles', names });
    reportCounts();
  }

  /**
   * Creates every highlight group the rules can need, at once: their styles
   * then go into the document in one insertCSS (each insertion restyles the
   * whole page) before the first finding is shown.
   * @param {any[]} rules
   */
  function pregroup(rules) {
    // The built-in categories' styles even before their rules arrive.
    for (const key of groupKeys([...BUILTIN_CATEGORIES.map((category) => ({ category })), ...rules])) highlighter.group(key);
    const names = highlighter.takeUnsent();
    if (names) send({ type: 'styles', names });
  }

  // Highlighted counts go to the background coalesced: they only steer
  // next/previous across frames (and tell tests the page caught up), and every
  // message costs the page's main thread a little.
  let countsTimer = 0;
  function reportCounts() {
    if (countsTimer || !state.countsChanged.size) return;
    countsTimer = setTimeout(() => {
      countsTimer = 0;
      const counts = state.takeCounts();
      if (counts.length) send({ type: 'highlighted', counts });
    }, pass ? 200 : 30);
  }

  // ---- following the page -------------------------------------------------

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = 0;
    if (!enabled || stopped) {
      records = [];
      return;
    }
    if (location.href !== lastUrl) {
      navigated();
      return;
    }
    // A pass still reading: let it finish first (it sees the current DOM);
    // its end calls flush again.
    if (pass) return;
    const recs = records;
    records = [];
    /** @type {Set<Node>} */
    const changed = new Set();
    /** @type {Set<Node>} nodes whose block's own text changed */
    const dirty = new Set();
    /** @type {Set<Node>} new block elements */
    const added = new Set();
    let removed = false;
    for (const r of recs) {
      const t = r.target;
      if (r.type === 'characterData') {
        const p = t.parentNode;
        if (!p || (p.nodeType === Node.ELEMENT_NODE && skippedTag(/** @type {Element} */ (p)))) continue;
        changed.add(t);
        dirty.add(t);
        continue;
      }
      if (r.type !== 'childList') continue;
      if (explainer.contains(t) || flags.contains(t) || (t.nodeType === Node.ELEMENT_NODE && skippedTag(/** @type {Element} */ (t)))) continue;
      let inline = false;
      for (const n of r.addedNodes) {
        if (n.nodeType === Node.TEXT_NODE) {
          if (NON_SPACE.test(/** @type {Text} */ (n).data)) inline = true;
        } else if (n.nodeType === Node.ELEMENT_NODE && !isOwnUi(n)) {
          const el = /** @type {Element} */ (n);
          if (skippedTag(el)) continue;
          if (isBlock(el)) added.add(el);
          else inline = true;
        }
      }
      for (const n of r.removedNodes) {
        if (n.nodeType === Node.TEXT_NODE) {
          inline = true;
          changed.add(n);
        } else if (n.nodeType === Node.ELEMENT_NODE && !isOwnUi(n)) {
          removed = true;
          if (!isBlock(/** @type {Element} */ (n))) inline = true;
        }
      }
      if (inline) dirty.add(t);
    }
    const spans = [];
    if (removed) state.sweep(spans);
    /** @type {Set<Node>} */
    const roots = new Set();
    for (const d of dirty) {
      if (!d.isConnected || inSkipped(d, isOwnUi)) continue;
      const key = blockKeyOf(d);
      if (roots.has(key)) continue;
      state.invalidate(key, changed, spans);
      roots.add(key);
    }
    for (const el of added) if (el.isConnected && !inSkipped(el, isOwnUi)) roots.add(el);
    checkHosts(roots);
    if (spans.length) reportCounts();
    if (roots.size) startPass([...roots], spans);
    else dropNow(spans);
    for (const r of shadowRoots) {
      if (!r.isConnected) shadowRoots.delete(r);
      else adoptInto(r);
    }
  }

  /**
   * Custom elements that had no shadow root when read may have one now.
   * @param {Set<Node>} roots
   */
  function checkHosts(roots) {
    if (!maybeHosts.size) return;
    const still = new Set();
    for (const el of maybeHosts) {
      if (!el.isConnected) continue;
      const shadow = shadowOf(el);
      if (shadow) {
        adoptShadow(shadow);
        roots.add(shadow);
      } else still.add(el);
    }
    maybeHosts = still;
  }

  /** @param {ShadowRoot} root */
  function adoptShadow(root) {
    if (shadowRoots.has(root)) return;
    shadowRoots.add(root);
    if (started && enabled) observer.observe(root, OBSERVE);
    adoptInto(root);
  }

  /**
   * Appends the highlight styles to a shadow root's (or the document's)
   * adopted sheets; never replaces the page's own.
   * @param {DocumentOrShadowRoot} root
   */
  function adoptInto(root) {
    const sheets = root.adoptedStyleSheets;
    if (sheets.includes(highlighter.sheet)) return;
    try {
      sheets.push(highlighter.sheet);
    } catch {
      root.adoptedStyleSheets = [...sheets, highlighter.sheet];
    }
  }

  /** The top page's own account, for the sightings (content/page-meta.js). */
  function sendMeta() {
    if (window === window.top && enabled) send({ type: 'sightingMeta', meta: readPageMeta() });
  }

  function navigated() {
    lastUrl = location.href;
    flags.navigated();
    send({ type: 'navigated', url: location.href, title: document.title.slice(0, 4096) });
    sendMeta();
    fullRescan();
  }

  // The page's history.pushState cannot be wrapped from the isolated world;
  // a URL change shows up as a mutation (checked in flush), a popstate or a
  // hashchange, or a `rescan` from the background.
  const onHistory = () => {
    if (enabled && location.href !== lastUrl) timed(navigated);
  };
  addEventListener('popstate', onHistory);
  addEventListener('hashchange', onHistory);

  // A custom element may attach its shadow root after we read it, with no
  // mutation to tell; look again now and then while some are pending.
  setInterval(() => {
    if (!enabled || !maybeHosts.size || pass) return;
    timed(() => {
      const roots = new Set();
      checkHosts(roots);
      if (roots.size) startPass([...roots], []);
    });
  }, 1500);

  // ---- moving between findings --------------------------------------------

  /** @type {{node: Node, offset: number, chunk: number, n: number}|null} */
  let cursor = null;

  /**
   * @param {1|-1} dir
   * @param {'cursor'|'edge'} from
   */
  function step(dir, from) {
    const hits = state.allHits().filter((h) => h.range.startContainer.isConnected);
    let best = null;
    const at = from === 'cursor' && cursor && cursor.node.isConnected ? cursor : null;
    for (const h of hits) {
      const hs = h.range.startContainer;
      const ho = h.range.startOffset;
      if (at) {
        const c = comparePoints(hs, ho, at.node, at.offset);
        // Same start as the cursor: order by chunk and index so equal starts still advance.
        const rel = c !== 0 ? c : h.chunk.id - at.chunk || h.n - at.n;
        if (dir === 1 ? rel <= 0 : rel >= 0) continue;
      }
      if (!best) best = h;
      else {
        const c = comparePoints(hs, ho, best.range.startContainer, best.range.startOffset);
        const rel = c !== 0 ? c : h.chunk.id - best.chunk.id || h.n - best.n;
        if (dir === 1 ? rel < 0 : rel > 0) best = h;
      }
    }
    if (!best) {
      send({ type: 'stepEnd', dir });
      return;
    }
    focusHit(best, true);
  }

  /** @param {number} chunk @param {number} n */
  function reveal(chunk, n) {
    const h = state.chunks.get(chunk)?.hits.get(n);
    if (h) focusHit(h, false);
  }

  /**
   * Scrolls to a finding (smooth, centred), flashes it, and with the keyboard shows its card.
   * @param {import('./state.js').Hit} h
   * @param {boolean} withCard
   */
  function focusHit(h, withCard) {
    cursor = { node: h.range.startContainer, offset: h.range.startOffset, chunk: h.chunk.id, n: h.n };
    const el = h.range.startContainer.parentElement;
    el?.scrollIntoView({ behavior: 'smooth', block: 'center', inline: 'nearest' });
    highlighter.flash(h.range);
    const text = domRange(h).toString().slice(0, 4096);
    send({ type: 'focused', chunk: h.chunk.id, n: h.n, text });
    if (withCard) explainer.show(h, 'keyboard');
  }

  // ---- diagnostics (to the background only, for tests and the benchmark) ----

  /**
   * @param {boolean} reset   start the timing counters again
   * @param {boolean} detail  include the highlighted texts (costs a Range per highlight)
   */
  function report(reset, detail) {
    const ranges = highlighter.ranges();
    let detached = 0;
    const texts = [];
    for (const r of ranges) {
      if (!r.startContainer.isConnected || !r.endContainer.isConnected) detached += 1;
      else if (detail && texts.length < 5000) {
        const rr = document.createRange();
        try {
          rr.setStart(r.startContainer, r.startOffset);
          rr.setEnd(r.endContainer, r.endOffset);
          texts.push(rr.toString().slice(0, 200));
        } catch {
          detached += 1;
        }
      }
    }
    let styled = 0;
    for (const r of shadowRoots) if (r.adoptedStyleSheets.includes(highlighter.sheet)) styled += 1;
    const out = {
      url: location.href.slice(0, 4096),
      enabled,
      visible: highlighter.visible,
      hits: state.hitCount,
      ranges: ranges.length,
      detached,
      texts: texts.sort(),
      chunks: state.chunks.size,
      shadowRoots: shadowRoots.size,
      shadowStyled: styled,
      cardShown: explainer.shown,
      scanning: !!pass,
      pendingRecords: records.length,
      unanswered: unanswered.size,
      scriptStartMs: scriptStart,
      readyMs: perf.ready,
      rescanStartMs: perf.fullStart,
      rescanFirstMs: perf.firstAfterFull,
      tasks: perf.tasks,
      workMs: perf.total,
      maxTaskMs: perf.max,
      firstHighlightMs: perf.firstHighlight,
      lastHighlightMs: perf.lastHighlight,
      passes: perf.passes,
      priorityPasses: perf.priorityPasses,
      nodesRead: perf.nodesRead,
      maxSliceNodes: perf.maxSliceNodes,
      sliceNodesLimit: SLICE_NODES,
      commits: highlighter.commits,
      highlightNames: Object.keys(highlighter.names()).length,
      marks: perf.marks,
      longTasks: perf.long,
      ...flags.report(),
    };
    if (reset) {
      perf.tasks = 0;
      perf.total = 0;
      perf.max = 0;
      perf.lastHighlight = -1;
      perf.long = [];
    }
    return out;
  }

  // The background asks a content script it has no port to (it was stopped
  // and restarted) to reconnect.
  api.runtime.onMessage.addListener((msg, sender) => {
    if (sender.id !== api.runtime.id || sender.tab || validate('toContent', msg)) return;
    if (/** @type {any} */ (msg).type === 'reconnect' && !port) connect();
  });

  function stop() {
    stopped = true;
    observer.disconnect();
    pass = null;
    highlighter.dispose();
    explainer.dispose();
    flags.dispose();
  }

  // The script runs at document_start so that the highlight styles (their
  // names come from the background's rules) are inserted while the page is
  // still being parsed: inserting a stylesheet restyles every element, about
  // 150 ms on a 1 MB page once it is built, next to nothing before. Reading
  // starts when the DOM is complete.
  connect();
  pregroup([]);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();

  function ready() {
    if (stopped) return;
    perf.ready = performance.now() - scriptStart;
    mark('ready');
    if (window === window.top && document.title) send({ type: 'navigated', url: location.href, title: document.title.slice(0, 4096) });
    sendMeta();
    lastUrl = location.href;
    flags.start();
    if (enabled) begin();
  }
}
