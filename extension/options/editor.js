// The editor for the moderator's own packs: a quick list (one keyword, phrase,
// stem* or /regex/ per line, see quick.js) and the full JSON for pack authors.
// Every keystroke is checked in the engine loaded into this page (validation,
// compiling, examples), and every error is shown at its line: the quick
// list's line, mapped back from the JSON path the engine names. Saving sends
// the JSON to the background, which checks it again and compiles it with the
// other enabled packs before keeping it; an invalid pack is never saved.

import { checkPack } from '../common/pack-check.js';
import { $, ask, showErrors, status, wasmReady, when } from './common.js';
import { categoryFromName, categoryName, plural, t } from '../common/i18n.js';
import { DEFAULT_CATEGORY, addToQuick, lineOfError, nextVersion, packToQuick, quickToPack } from './quick.js';

/** The id the moderator's first pack gets. */
const OWN_PACK_ID = 'my-pack';

/** A new pack's text: two comment lines in the UI language, and a group. */
const template = () => `# ${t('editor_template_1')}\n# ${t('editor_template_2')}\n[extremism high]\n`;

const state = {
  /** The user pack being edited ('' for one not saved yet). */
  id: '',
  /** The pack's fields other than its rules, while the quick list is shown. @type {Record<string, unknown>} */
  base: {},
  /** @type {'quick'|'json'} */
  view: 'quick',
  /** The JSON as last loaded or saved: what is in use. */
  saved: '',
  name: '',
};

/** @type {() => Promise<any[]>} */
let reload = async () => [];
/** @type {Set<string>} */
let knownIds = new Set();

/**
 * @param {any[]} packs  the list the page loaded
 * @param {() => Promise<any[]>} reloadPacks
 */
export async function initEditor(packs, reloadPacks) {
  reload = reloadPacks;
  $('add-category').value = categoryName(DEFAULT_CATEGORY);
  // The suggestions show the built-in categories by their names in the UI language.
  for (const o of $('categories').options) o.value = categoryName(o.value);
  knownIds = new Set(packs.map((p) => p.id));
  wire();
  const own = packs.find((p) => p.id === OWN_PACK_ID && p.origin === 'editor') ?? packs.find((p) => p.origin === 'editor');
  if (own) await editPack(own.id, false);
  else startNew(false);
}

/** The text area of the view in use. @returns {HTMLTextAreaElement} */
function area() {
  return state.view === 'quick' ? $('quick') : $('json');
}

/**
 * Opens a user pack in the editor.
 * @param {string} id
 * @param {boolean} [focus]
 */
export async function editPack(id, focus = true) {
  let res;
  try {
    res = await ask({ type: 'packSource', id });
  } catch (e) {
    status('save-status', t('editor_open_failed', id, e.message), 'error');
    return;
  }
  state.id = id;
  state.saved = res.json;
  const q = res.quick ? null : packToQuick(res.json);
  if (res.quick) {
    const base = JSON.parse(res.json);
    delete base.rules;
    showQuick(res.quick, base);
  } else if (q && res.origin === 'editor') {
    showQuick(q.text, q.base);
  } else {
    showJson(res.json);
  }
  state.name = String(JSON.parse(res.json).name ?? id);
  $('editing').textContent = t('editor_editing', state.name, id);
  status('save-status', '');
  await check();
  if (focus) {
    $('editor').scrollIntoView();
    area().focus();
  }
}

/** Starts a pack that is not saved yet. @param {boolean} [focus] */
function startNew(focus = true) {
  let id = OWN_PACK_ID;
  for (let n = 2; knownIds.has(id); n++) id = `${OWN_PACK_ID}-${n}`;
  state.id = '';
  state.saved = '';
  state.name = '';
  showQuick(template(), { id, name: id === OWN_PACK_ID ? t('editor_my_pack') : t('editor_my_pack_n', id.slice(OWN_PACK_ID.length + 1)), version: '1.0.0' });
  $('editing').textContent = t('editor_new');
  status('save-status', '');
  check();
  if (focus) area().focus();
}

/** @param {string} text @param {Record<string, unknown>} base */
function showQuick(text, base) {
  state.view = 'quick';
  state.base = base;
  $('quick').value = text;
  $('meta-id').value = String(base.id ?? '');
  $('meta-name').value = String(base.name ?? '');
  selectTab('quick');
}

/** @param {string} json */
function showJson(json) {
  state.view = 'json';
  $('json').value = json;
  selectTab('json');
}

/** @param {'quick'|'json'} view */
function selectTab(view) {
  for (const [v, tab, panel] of [
    ['quick', 'tab-quick', 'panel-quick'],
    ['json', 'tab-json', 'panel-json'],
  ]) {
    const on = v === view;
    $(tab).setAttribute('aria-selected', String(on));
    $(tab).tabIndex = on ? 0 : -1;
    $(panel).hidden = !on;
  }
}

/** The pack as the editor has it now. */
function current() {
  if (state.view === 'quick') {
    const base = { ...state.base, id: $('meta-id').value.trim(), name: $('meta-name').value.trim() };
    const q = quickToPack($('quick').value, base);
    return { json: q.json, quick: q };
  }
  return { json: /** @type {string} */ ($('json').value), quick: null };
}

/** Switches to the JSON view, with the JSON the quick list makes. */
function toJson() {
  if (state.view === 'json') return;
  const { json } = current();
  showJson(json);
  check();
}

/** Switches to the quick list, when it can say everything the JSON says. */
function toQuick() {
  if (state.view === 'quick') return true;
  const q = packToQuick($('json').value);
  if (!q) {
    status('save-status', t('editor_quick_cannot'), 'error');
    $('tab-json').focus();
    return false;
  }
  showQuick(q.text, q.base);
  check();
  return true;
}

/**
 * Checks the pack in this page's engine and shows every error at its line.
 * @returns {Promise<{ok: boolean, json: string, quickText: string}>}
 */
async function check() {
  await wasmReady();
  const doc = current();
  const r = checkPack(doc.json, state.view === 'quick' ? t('editor_source_quick') : t('editor_source_json'));
  /** @type {any[]} */
  let errors = r.errors;
  if (doc.quick) {
    const lines = doc.quick.lines;
    errors = [
      ...doc.quick.problems.map((p) => ({ line: p.line, column: 0, path: '', reason: p.message, quickLine: p.line })),
      ...r.errors.map((e) => ({ ...e, quickLine: lineOfError(e, lines) })),
    ].sort((a, b) => (a.quickLine || Infinity) - (b.quickLine || Infinity));
  }
  const ok = r.ok && errors.length === 0;
  const summary = $('check-summary');
  if (ok) {
    const n = r.summary?.rules ?? 0;
    summary.textContent = plural('editor_no_errors', n);
  } else {
    const examples = r.summary && !doc.quick?.problems.length;
    summary.textContent = plural(examples ? 'editor_failing_examples' : 'editor_errors', errors.length);
  }
  summary.classList.toggle('ok', ok);
  summary.classList.toggle('error', !ok);
  showErrors('check-errors', errors, {
    lineOf: doc.quick ? (e) => e.quickLine : undefined,
    onPick: pickLine,
  });
  area().setAttribute('aria-invalid', String(!ok));
  $('meta-id').setAttribute('aria-invalid', String(errors.some((e) => e.path === 'id')));
  $('meta-name').setAttribute('aria-invalid', String(errors.some((e) => e.path === 'name')));
  $('save').disabled = !ok;
  return { ok, json: doc.json, quickText: doc.quick ? $('quick').value : '' };
}

/** Selects a line of the text area in use (an error's line). @param {number} line */
function pickLine(line) {
  const ta = area();
  const lines = ta.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1]?.length ?? 0);
  ta.focus();
  ta.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  ta.scrollTop = Math.max(0, (line - 3) * lh);
}

/**
 * Saves the pack if it has no errors.
 * @returns {Promise<boolean>}
 */
async function save() {
  await wasmReady();
  // A changed quick list is a new version (the moderator does not keep version numbers).
  const bumpFrom = state.view === 'quick' ? state.base.version : undefined;
  if (state.view === 'quick' && state.saved && current().json !== state.saved) state.base.version = nextVersion(state.base.version);
  const c = await check();
  if (!c.ok) {
    if (bumpFrom !== undefined) state.base.version = bumpFrom;
    status('save-status', state.saved ? t('editor_fix_first_saved') : t('editor_fix_first'), 'error');
    return false;
  }
  status('save-status', t('common_saving'));
  $('save').disabled = true;
  try {
    const res = await ask({ type: 'packSave', json: c.json, replaces: state.id, origin: 'editor', fileName: '', quick: c.quickText });
    if (!res.ok) {
      if (bumpFrom !== undefined) state.base.version = bumpFrom;
      status('save-status', state.saved ? t('editor_refused_saved', res.reason) : res.reason, 'error');
      showErrors('check-errors', res.errors ?? [], { onPick: state.view === 'json' ? pickLine : undefined });
      return false;
    }
    state.id = res.id;
    state.saved = c.json;
    state.name = String(JSON.parse(c.json).name ?? res.id);
    $('editing').textContent = t('editor_editing', state.name, res.id);
    status('save-status', t('editor_saved', res.version, when(Date.now())), 'ok');
    knownIds = new Set((await reload()).map((p) => p.id));
    return true;
  } catch (e) {
    if (bumpFrom !== undefined) state.base.version = bumpFrom;
    status('save-status', t('editor_not_saved', e.message), 'error');
    return false;
  } finally {
    $('save').disabled = false;
    check();
  }
}

function wire() {
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      check();
      const unsaved = !!state.saved && current().json !== state.saved;
      if (unsaved) status('save-status', t('editor_unsaved'));
      else if ($('save-status').textContent === t('editor_unsaved')) status('save-status', '');
    }, 120);
  };
  for (const id of ['quick', 'json', 'meta-id', 'meta-name']) $(id).addEventListener('input', later);

  $('save').addEventListener('click', () => save());
  $('revert').addEventListener('click', () => (state.id ? editPack(state.id) : startNew()));
  $('new-pack').addEventListener('click', () => startNew());
  $('tab-quick').addEventListener('click', () => toQuick());
  $('tab-json').addEventListener('click', () => toJson());
  // Arrow keys move between the tabs (the ARIA tabs pattern).
  for (const id of ['tab-quick', 'tab-json']) {
    $(id).addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      if (state.view === 'quick') {
        toJson();
        $('tab-json').focus();
      } else if (toQuick()) $('tab-quick').focus();
    });
  }
  for (const id of ['quick', 'json']) {
    $(id).addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        save();
      }
    });
  }

  // The quick-add row: one keyword in a few seconds (type, Enter).
  $('add-form').addEventListener('submit', async (/** @type {Event} */ e) => {
    e.preventDefault();
    const text = $('add-text').value.trim();
    if (!text) {
      $('add-text').focus();
      return;
    }
    if (!toQuick()) {
      status('save-status', t('editor_add_in_json'), 'error');
      return;
    }
    // A built-in category may be typed by its name in the UI language ("экстремизм").
    const category = categoryFromName($('add-category').value, []).trim().toLowerCase() || DEFAULT_CATEGORY;
    $('quick').value = addToQuick($('quick').value, text, category, $('add-severity').value);
    if (await save()) {
      $('add-text').value = '';
      $('add-text').focus();
    }
  });
}
