// Small helpers shared by the extension's own pages (popup, panel).

import { api } from './api.js';

/**
 * Sends a request to the background and returns its answer (null if none).
 * @param {object} msg
 * @returns {Promise<any>}
 */
export async function request(msg) {
  try {
    return await api.runtime.sendMessage(msg);
  } catch {
    return null;
  }
}

/**
 * Builds an element with a class and text (never HTML).
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Wraps an async task so that calls made while it runs are not lost and do not
 * pile up: they coalesce into one more run once the current one ends.
 * @param {() => Promise<void>} task
 * @param {() => void} [rerun] how the extra run starts (default: the task at once)
 * @returns {() => Promise<void>}
 */
export function coalesced(task, rerun) {
  let busy = false;
  let again = false;
  const run = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      await task();
    } finally {
      busy = false;
      if (again) {
        again = false;
        (rerun ?? run)();
      }
    }
  };
  return run;
}

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];
