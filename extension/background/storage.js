// The background's stored records (common/stored.js) over storage.local:
// every store reads and writes through `records`, whose start-up check
// background.js starts with the service worker. It runs alongside the first
// scans (in slices), holding only writes: the packs and the site lists,
// needed for the first highlight, read their own keys checked as they are
// read; the flag store waits for the check. The options page's Storage
// section asks here for the problems found, a damaged value as a file, and
// discarding one.

import { api } from '../common/api.js';
import { Records } from '../common/stored.js';
import { KINDS } from '../common/records.js';

/** Request types this module answers. */
export const STORAGE_REQUESTS = new Set(['storageProblems', 'storageExport', 'storageDiscard']);

export const records = new Records(/** @type {any} */ (api.storage.local), KINDS);

/** Stores that check more when they load (packs: through the engine), awaited before problems are listed. @type {(() => Promise<unknown>)[]} */
const deeper = [];

/** @param {() => Promise<unknown>} ready */
export function checkedBy(ready) {
  deeper.push(ready);
}

/**
 * @param {any} msg  a validated request
 * @returns {Promise<object>}
 */
export async function answerStorage(msg) {
  try {
    await records.ready();
    await Promise.all(deeper.map((f) => f().catch(() => {})));
    switch (msg.type) {
      case 'storageProblems':
        return { problems: await records.problems() };
      case 'storageExport': {
        const file = await records.exportProblem(msg.id);
        return file ? { ok: true, ...file } : { ok: false, reason: 'gone' };
      }
      case 'storageDiscard':
        return { ok: await records.discard(msg.id) };
      default:
        return { error: `${msg.type} is not a storage request` };
    }
  } catch (e) {
    return { ok: false, reason: String(/** @type {any} */ (e)?.message ?? e) };
  }
}
