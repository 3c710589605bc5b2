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

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];
