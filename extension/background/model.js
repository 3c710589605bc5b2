// The post-level model's settings: on/off and a threshold per script, the
// one writer of storage key `modelSettings` (engine-host.js reads it when it
// compiles). A change is stored, then the engine is compiled again with the
// packs in use (packs.js, in turn with pack changes) and installed: every
// open tab gets the new rules and rescans, as after a pack change.
//
// The options page asks through the protocol (common/protocol.js,
// modelState / modelSet), which has already checked the request's shape;
// the values are checked again here against the engine's own bounds.

import { MODEL_SCRIPTS, MODEL_SETTINGS_KEY, checkModelSettings, modelSettings } from './engine-host.js';
import { recompile } from './packs.js';
import { records } from './storage.js';
import { t } from '../common/i18n.js';

/** @type {(() => Promise<any>)|null} the engine in use (set by background.js) */
let current = null;

/** @param {() => Promise<any>} engine */
export function connectModel(engine) {
  current = engine;
}

/**
 * What the options page shows: the settings, the model file's name,
 * version and thresholds (the file's and those in use), and why the file
 * was refused, if it was.
 */
export async function modelState() {
  const settings = await modelSettings();
  const host = current ? await current().catch(() => null) : null;
  const file = host?.modelFile ?? null;
  // Thresholds in use come from the engine's model (null when it is off).
  const inUse = host?.model?.thresholds ?? null;
  return {
    ok: true,
    settings,
    model: file && {
      name: String(file.name),
      version: String(file.version),
      category: String(file.category),
      // per script: [in use (the file's when the model is off), the file's]
      thresholds: Object.fromEntries(Object.entries(file.thresholds).map(([s, [, own]]) => [s, [inUse?.[s]?.[0] ?? own, own]])),
    },
    active: !!host?.model,
    // not `error`: that names a refused request (options/common.js ask)
    refused: host?.modelError ?? (host ? null : t('packs_no_engine')),
  };
}

/**
 * Stores new settings and rebuilds the engine with them.
 * @param {{enabled: boolean, thresholds: Record<string, number>}} req  checked by the protocol
 */
export async function setModel(req) {
  const next = checkModelSettings({ enabled: req.enabled, thresholds: req.thresholds });
  // checkModelSettings drops what it does not accept; a request it had to
  // change is refused whole rather than applied in part.
  for (const s of Object.keys(req.thresholds)) {
    if (!MODEL_SCRIPTS.includes(s) || next.thresholds[s] !== req.thresholds[s]) {
      return { ok: false, reason: `thresholds.${s.slice(0, 20)}: 0.01-0.99` };
    }
  }
  try {
    // Through the stored records: a damaged value that could not be moved
    // aside, or one a newer version wrote, is not written over.
    await records.set({ [MODEL_SETTINGS_KEY]: next });
  } catch (e) {
    return { ok: false, reason: t('packs_not_stored', String(/** @type {any} */ (e)?.message ?? e)) };
  }
  await recompile();
  return modelState();
}
