// The full-page screenshot: the page is scrolled one viewport at a time
// (content/snapshot.js), each view captured with tabs.captureVisibleTab,
// and the tiles drawn into one image. Chrome allows two captures a second
// (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND): the tiles are paced. Fixed
// and sticky elements are hidden after the first tile so a header does not
// repeat, and the moderator's scroll position is restored in every case.

import { api } from '../common/api.js';

/** Time between two captures: Chrome's limit is 2 a second. */
const PACE_MS = 550;
/** Tallest picture, in device pixels (a canvas side must stay under 32,767). */
const MAX_HEIGHT_PX = 30_000;
/** Most tiles, whatever the page's length. */
const MAX_TILES = 40;

/**
 * @typedef {object} Shot
 * @property {Uint8Array} png
 * @property {number} width     device pixels
 * @property {number} height
 * @property {number} tiles
 * @property {boolean} truncated   the page was longer than the picture
 * @property {boolean} restored    the scroll position is back where it was
 */

/**
 * @param {number} tabId
 * @param {(fn: string, ...args: any[]) => Promise<any>} call  runs a snapshot.js function in the top frame
 * @returns {Promise<Shot>}
 */
export async function fullPageScreenshot(tabId, call) {
  const tab = await api.tabs.get(tabId);
  if (!tab.active) throw new Error('the tab is not the active tab of its window (a screenshot shows what is on screen)');
  const m = await call('shotBegin');
  let restored = false;
  try {
    const scale = m.dpr;
    const viewport = m.height;
    const total = Math.min(m.fullHeight, Math.floor(MAX_HEIGHT_PX / scale), viewport * MAX_TILES);
    const truncated = total < m.fullHeight;
    /** @type {OffscreenCanvas|null} */
    let canvas = null;
    /** @type {OffscreenCanvasRenderingContext2D|null} */
    let ctx = null;
    let tiles = 0;
    let last = 0;
    for (let y = 0; y < total; y += viewport) {
      const at = await call('shotStep', y, tiles > 0);
      if (at.lost) throw new Error('the page was put back while the screenshot was taken (it took too long)');
      const wait = last + PACE_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const now = await api.tabs.get(tabId);
      if (!now.active) throw new Error('the tab was left while the screenshot was taken');
      const url = await api.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
      last = Date.now();
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      if (!canvas) {
        canvas = new OffscreenCanvas(bitmap.width, Math.round(total * (bitmap.height / viewport)));
        ctx = canvas.getContext('2d');
      }
      const k = bitmap.height / viewport;
      // The last view may not have scrolled a whole viewport: draw it where the page is.
      ctx?.drawImage(bitmap, 0, Math.round(at.y * k));
      bitmap.close();
      tiles += 1;
      if (at.y + viewport >= total) break;
    }
    const back = await call('shotEnd');
    restored = true;
    if (!canvas) throw new Error('nothing was captured');
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return { png: new Uint8Array(await blob.arrayBuffer()), width: canvas.width, height: canvas.height, tiles, truncated, restored: !!back?.restored };
  } finally {
    if (!restored) await call('shotEnd').catch(() => {});
  }
}
