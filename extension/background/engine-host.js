// Loads the Wasm engine and the packs, compiles them, and scans.
//
// The engine runs here and not in content scripts: a page whose CSP lacks
// 'wasm-unsafe-eval' (most large social networks) cannot compile WebAssembly
// in a content script, while the extension's own context can (see DESIGN.md).
// It is compiled lazily, on the first scan after the service worker starts.

import init, { WasmEngine, fold } from '../pkg/flaglight.js';
import { api } from '../common/api.js';
import { localizeRules } from '../common/pack-text.js';

/** @typedef {{source: string, json: string}} PackSource */

/** @type {Promise<unknown>|null} */
let initialized = null;

export async function loadWasm() {
  if (!initialized) {
    initialized = init({ module_or_path: api.runtime.getURL('pkg/flaglight_bg.wasm') });
  }
  return initialized;
}

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

/** A compiled engine with its rule metadata. */
export class EngineHost {
  /** @param {WasmEngine} engine @param {number} generation @param {PackSource[]} [packs]  for the rules' texts in the UI language */
  constructor(engine, generation, packs = []) {
    this.engine = engine;
    this.generation = generation;
    this.rules = localizeRules(engine.rules(), packs);
    this.kinds = engine.kinds();
    this.fields = engine.fields;
  }

  /**
   * Compiles packs. Throws the engine's located errors (an array) on failure.
   * @param {PackSource[]} packs
   */
  static async compile(packs) {
    await loadWasm();
    const engine = new WasmEngine(
      packs.map((p) => p.source),
      packs.map((p) => p.json),
    );
    return new EngineHost(engine, fingerprint(packs), packs);
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
