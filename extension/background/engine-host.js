// Loads the Wasm engine and the packs, compiles them, and scans.
//
// The engine runs here and not in content scripts: a page whose CSP lacks
// 'wasm-unsafe-eval' (most large social networks) cannot compile WebAssembly
// in a content script, while the extension's own context can (see DESIGN.md).
//
// Start-up: an MV3 service worker is stopped after ~30 s idle, so a cold
// start is the common case. The Wasm module starts instantiating when this
// module is evaluated (the worker's first task), and background.js compiles
// the packs right away, not on the first scan: the content script that woke
// the worker reads its page meanwhile.

import init, { WasmEngine, fold } from '../pkg/flaglight.js';
import { api } from '../common/api.js';
import { localizeRules } from '../common/pack-text.js';
import { t } from '../common/i18n.js';
import { MODEL_SCRIPTS, MODEL_SETTINGS_KEY, checkModelSettings } from '../common/records.js';
import { records } from './storage.js';

/** @typedef {{source: string, json: string}} PackSource @typedef {import('../common/records.js').ModelSettings} ModelSettings */

/** @type {Promise<unknown>|null} */
let initialized = null;

export async function loadWasm() {
  if (!initialized) {
    initialized = init({ module_or_path: api.runtime.getURL('pkg/flaglight_bg.wasm') }).catch((e) => {
      initialized = null;
      throw e;
    });
  }
  return initialized;
}

// Instantiate now: the worker was most likely woken by a page that wants a scan.
loadWasm().catch((e) => console.error('flaglight: the engine could not be loaded', String(e)));

/** Reads the built-in packs listed in packs/index.json. @returns {Promise<PackSource[]>} */
export async function builtinPacks() {
  const index = await (await fetch(api.runtime.getURL('packs/index.json'))).json();
  const out = [];
  for (const file of index.packs) {
    const json = await (await fetch(api.runtime.getURL(`packs/${file}`))).text();
    out.push({ source: `builtin:${file}`, json });
  }
  return out;
}

/**
 * A fingerprint of a set of packs: content scripts rescan when it changes,
 * and not when the service worker merely restarted with the same packs.
 * @param {PackSource[]} packs
 */
export function fingerprint(packs) {
  let h = 0x811c9dc5;
  for (const p of packs) {
    for (const s of [p.source, '\u0000', p.json, '\u0001']) {
      for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
      }
    }
  }
  return h >>> 0;
}

/** Folds text the way the engine does, for the card's explanation. @param {string} text */
export async function foldText(text) {
  await loadWasm();
  return fold(text);
}

// The model settings' key, format and check live with the other stored
// records (common/records.js); the start-up check and these reads use the
// same normaliser.
export { MODEL_SCRIPTS, MODEL_SETTINGS_KEY, checkModelSettings };

/**
 * The model settings in use: read through the stored records, so a damaged
 * value is moved aside (its good fields kept) and one from a newer version
 * of flaglight is not used (the defaults are).
 * @returns {Promise<ModelSettings>}
 */
export async function modelSettings() {
  return checkModelSettings(await records.read(MODEL_SETTINGS_KEY));
}

/** @type {Promise<Uint8Array>|null} */
let shipped = null;

/** The model file shipped in the extension (read once per service-worker start). */
function shippedModel() {
  if (!shipped) {
    shipped = fetch(api.runtime.getURL('models/extremism.flm'))
      .then((r) => r.arrayBuffer())
      .then((b) => new Uint8Array(b))
      .catch((e) => {
        shipped = null;
        throw e;
      });
  }
  return shipped;
}

/**
 * The post-level model's rule in the UI language: the engine names it in
 * English ("post-level model NAME"); the card and the panel show these.
 * @param {any} r
 */
function localizeModelRule(r) {
  if (r?.kind !== 'model') return r;
  return { ...r, pack_name: t('model_pack_name', r.pack), description: t('model_description') };
}

/** A compiled engine with its rule metadata. */
export class EngineHost {
  /**
   * @param {WasmEngine} engine
   * @param {number} generation
   * @param {PackSource[]} [packs]  for the rules' texts in the UI language
   * @param {string|null} [modelError]  why the model file was refused (the packs work without it)
   * @param {any} [modelFile]  the model file's header (model_info) when it loaded, in use or not
   */
  constructor(engine, generation, packs = [], modelError = null, modelFile = null) {
    this.engine = engine;
    this.generation = generation;
    this.modelError = modelError;
    this.rules = localizeRules(engine.rules(), packs).map(localizeModelRule);
    this.kinds = engine.kinds();
    this.fields = engine.fields;
    this.model = engine.model_info();
    this.modelFile = modelFile ?? this.model;
  }

  /**
   * Compiles packs, then adds the post-level model unless the moderator
   * switched it off. Throws the engine's located errors (an array) when
   * the packs fail; a model file that is refused leaves the packs working
   * and says why in `modelError`.
   * @param {PackSource[]} packs
   */
  static async compile(packs) {
    await loadWasm();
    const engine = new WasmEngine(
      packs.map((p) => p.source),
      packs.map((p) => p.json),
    );
    const settings = await modelSettings();
    let modelError = null;
    let modelFile = null;
    // The file is checked even when the moderator switched the model off,
    // so the options page can name it (and say why it was refused).
    try {
      engine.set_model(await shippedModel());
      modelFile = engine.model_info();
      if (!settings.enabled) engine.clear_model();
      else for (const [script, th] of Object.entries(settings.thresholds)) engine.set_model_threshold(script, th);
    } catch (e) {
      modelError = String(/** @type {any} */ (e)?.message ?? e);
      console.error('flaglight: the post-level model was not loaded:', modelError);
    }
    const model = { source: 'model', json: JSON.stringify(settings) };
    return new EngineHost(engine, fingerprint([...packs, model]), packs, modelError, modelFile);
  }

  /**
   * Scans text; returns the flat findings array.
   * @param {string} text
   * @param {number[]} blocks
   * @returns {Uint32Array}
   */
  scan(text, blocks) {
    return this.engine.scan(text, Uint32Array.from(blocks));
  }
}
