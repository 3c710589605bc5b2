// The options page's "Post-level model" section: what the model is and is
// for, on/off, and a sensitivity per script in plain words (sensitivity.js
// maps the steps to thresholds). The background owns the settings
// (background/model.js): this page asks it to change them and shows what it
// answers, including why the model file was refused when it was.

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { formatNumber, t } from '../common/i18n.js';
import { $, ask, status } from './common.js';
import { DEFAULT_LEVEL, LEVELS, levelOf, levelThreshold } from './sensitivity.js';

const SCRIPTS = [
  ['latin', 'script_latin'],
  ['cyrillic', 'script_cyrillic'],
  ['arabic', 'script_arabic'],
];

/** The background's last answer. @type {any} */
let state = null;
let busy = false;

export async function loadModel() {
  try {
    state = await ask({ type: 'modelState' });
  } catch (e) {
    status('model-status', t('options_model_not_applied', e.message), 'error');
    return;
  }
  render();
}

function render() {
  if (!state) return;
  const { settings, model, refused: error } = state;
  const alert = $('model-error');
  alert.hidden = !error;
  alert.textContent = error ? t('options_model_refused', error) : '';
  const file = $('model-file');
  file.replaceChildren();
  if (model) {
    const name = el('code', '', model.name);
    name.translate = false;
    const version = el('code', '', model.version);
    version.translate = false;
    file.append(`${t('options_model_file')}: `, name, `${t('model_word_sep')} ${t('options_model_version')} `, version);
  }
  file.hidden = !model;
  const box = /** @type {HTMLInputElement} */ ($('model-enabled'));
  box.checked = settings.enabled;
  box.disabled = busy;
  $('model-onoff').textContent = settings.enabled ? t('options_model_on') : t('options_model_off');
  const sens = /** @type {HTMLFieldSetElement} */ ($('model-sensitivity'));
  sens.disabled = busy || !settings.enabled || !model;
  const rows = $('model-scripts');
  if (!rows.firstChild) rows.append(...SCRIPTS.map(([script, label]) => scriptRow(script, label)));
  for (const [script] of SCRIPTS) {
    const range = /** @type {HTMLInputElement} */ ($(`sens-${script}`));
    const base = model?.thresholds?.[script]?.[1];
    const level = base === undefined ? DEFAULT_LEVEL : levelOf(base, settings.thresholds[script]);
    range.value = String(level);
    describe(script, level);
  }
}

/** One script's row: its name, the steps between the two plain ends, what the step means. @param {string} script @param {string} label */
function scriptRow(script, label) {
  const row = el('div', 'sens-row');
  row.dataset.script = script;
  const id = `sens-${script}`;
  const name = el('label', '', t(label));
  name.htmlFor = id;
  const control = el('div', 'sens-control');
  const range = /** @type {HTMLInputElement} */ (el('input'));
  range.type = 'range';
  range.id = id;
  range.min = '0';
  range.max = String(LEVELS - 1);
  range.step = '1';
  range.setAttribute('aria-describedby', `${id}-value`);
  control.append(el('span', 'end', t('sens_more')), range, el('span', 'end', t('sens_fewer')));
  const value = el('p', 'sens-value');
  value.id = `${id}-value`;
  row.append(name, control, value);
  range.addEventListener('input', () => describe(script, Number(range.value)));
  range.addEventListener('change', () => apply());
  return row;
}

/** Says what a step means for a script: its name and the probability it asks for. @param {string} script @param {number} level */
function describe(script, level) {
  const base = state?.model?.thresholds?.[script]?.[1];
  const range = /** @type {HTMLInputElement} */ ($(`sens-${script}`));
  const name = t(`sens_level_${level}`);
  const text = base === undefined ? name : t('options_model_threshold', name, formatNumber(levelThreshold(base, level), { style: 'percent', maximumFractionDigits: 1 }));
  $(`sens-${script}-value`).textContent = text;
  range.setAttribute('aria-valuetext', name);
}

/** The settings the controls show now. */
function wanted() {
  /** @type {Record<string, number>} */
  const thresholds = {};
  for (const [script] of SCRIPTS) {
    const base = state?.model?.thresholds?.[script]?.[1];
    const level = Number(/** @type {HTMLInputElement} */ ($(`sens-${script}`)).value);
    // The model's own step is stored as no threshold: it follows the file.
    if (base !== undefined && level !== DEFAULT_LEVEL) thresholds[script] = levelThreshold(base, level);
  }
  return { enabled: /** @type {HTMLInputElement} */ ($('model-enabled')).checked, thresholds };
}

/** Sends the controls' settings to the background; shows its answer. @param {ReturnType<typeof wanted>} [next] */
async function apply(next = wanted()) {
  busy = true;
  // The controls keep what the moderator chose while it is applied.
  /** @type {HTMLInputElement} */ ($('model-enabled')).disabled = true;
  /** @type {HTMLFieldSetElement} */ ($('model-sensitivity')).disabled = true;
  status('model-status', t('options_model_applying'));
  try {
    const res = await ask({ type: 'modelSet', ...next });
    if (!res.ok) throw new Error(res.reason);
    state = res;
    status('model-status', t('options_model_applied'), 'ok');
  } catch (e) {
    status('model-status', t('options_model_not_applied', e.message), 'error');
    await loadModel();
  } finally {
    busy = false;
    render();
  }
}

export function initModel() {
  $('model-enabled').addEventListener('change', () => apply());
  $('model-reset').addEventListener('click', () => apply({ enabled: /** @type {HTMLInputElement} */ ($('model-enabled')).checked, thresholds: {} }));
  // Settings changed elsewhere (another options window) show at once.
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.modelSettings && !busy) loadModel();
  });
  return loadModel();
}
