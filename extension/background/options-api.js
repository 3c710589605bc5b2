// Answers the options page: packs (packs.js), the site lists (sites.js) and
// the post-level model's settings (model.js).
// background.js routes the requests named in OPTION_REQUESTS here after the
// protocol has checked them (common/protocol.js, the options block).

import { api } from '../common/api.js';
import { PackFailure, exportPack, list, remove, save, setEnabled, source, subscribe, update } from './packs.js';
import { enableAuto, listSites, permissionsRemoved } from './sites.js';
import { modelState, setModel } from './model.js';

/** Request types this module answers. */
export const OPTION_REQUESTS = new Set([
  'packs',
  'packSource',
  'packSetEnabled',
  'packSave',
  'packRemove',
  'packExport',
  'packSubscribe',
  'packUpdate',
  'sites',
  'siteAdd',
  'siteRemove',
  'modelState',
  'modelSet',
]);

/**
 * @param {any} msg  a validated request
 * @returns {Promise<object>}
 */
export async function answerOptions(msg) {
  try {
    switch (msg.type) {
      case 'packs':
        return await list();
      case 'packSource':
        return await source(msg.id);
      case 'packSetEnabled':
        return await setEnabled(msg.id, msg.enabled);
      case 'packSave':
        return await save(msg);
      case 'packRemove':
        return await remove(msg.id);
      case 'packExport':
        return await exportPack(msg.id);
      case 'packSubscribe':
        return await subscribe(msg.url, msg.pin);
      case 'packUpdate':
        return await update(msg.id);
      case 'sites':
        return listSites();
      case 'siteAdd':
        // The options page asked for the permission in the click's gesture.
        return { ok: await enableAuto(msg.host) };
      case 'siteRemove':
        await api.permissions.remove({ origins: [`*://${msg.host}/*`] }).catch(() => false);
        await permissionsRemoved([`*://${msg.host}/*`]);
        return { ok: true };
      case 'modelState':
        return await modelState();
      case 'modelSet':
        return await setModel(msg);
      default:
        return { error: `${msg.type} is not an options request` };
    }
  } catch (e) {
    if (e instanceof PackFailure) return { ok: false, reason: e.message, errors: e.errors };
    return { ok: false, reason: String(/** @type {any} */ (e)?.message ?? e), errors: [] };
  }
}
