// Chrome's own MHTML copy of a tab (chrome.pageCapture), made by the page
// that asks for the capture (popup, panel): Chrome hands the MHTML over as a
// file-backed Blob that a service worker cannot read (reading it there fails
// with NotFoundError), while an extension page can. The bytes travel to the
// background as base64 in the capturePreserve request (protocol.js caps it).

import { api } from './api.js';
import { toBase64 } from './wacz.js';

/** Largest MHTML sent along (base64 grows it by a third; messages stop at 64 MiB). */
export const MAX_MHTML_BYTES = 32 * 1024 * 1024;

/**
 * The tab's MHTML as base64, or undefined when there is none to send:
 * no pageCapture (Firefox), the moderator turned it off, or Chrome refused.
 * @param {number} tabId
 * @param {boolean} wanted   the moderator's setting (captureSettings.mhtml)
 * @returns {Promise<string|undefined>}
 */
export async function pageMhtml(tabId, wanted) {
  const pc = /** @type {any} */ (api).pageCapture;
  if (!wanted || !pc?.saveAsMHTML) return undefined;
  try {
    /** @type {Blob} */
    const blob = await pc.saveAsMHTML({ tabId });
    if (!blob || blob.size > MAX_MHTML_BYTES) return undefined;
    return toBase64(new Uint8Array(await blob.arrayBuffer()));
  } catch {
    return undefined;
  }
}
