// The one message protocol between the extension's parts.
//
// Every message is a plain object with a `type`. Receivers validate each
// message with `validate(direction, msg)` before acting on it: content scripts
// run next to hostile pages, and a forged or malformed message must be refused
// whole, never half-handled.

/** Port name content scripts use to reach the background engine host. */
export const PORT_CONTENT = 'content';
/** Port name the extension's own pages (popup, panel, options) use. */
export const PORT_UI = 'ui';

/** Largest text one scan message may carry, in UTF-16 code units. */
export const MAX_SCAN_CHARS = 32 * 1024 * 1024;
/** Most block starts one scan message may carry. */
export const MAX_BLOCKS = 2_000_000;

/**
 * Message shapes, by direction. Each entry maps a field name to a checker.
 * @type {Record<string, Record<string, Record<string, (v: unknown) => boolean>>>}
 */
const SHAPES = {
  // content script -> background
  fromContent: {
    hello: { url: isUrl, title: isShortString, top: isBool },
    scan: { chunk: isUint, text: isScanText, blocks: isBlocks },
    drop: { chunks: isUintArray },
    reset: {},
    styles: { names: isStyleNames },
    highlighted: { chunk: isUint, count: isUint },
    navigated: { url: isUrl, title: isShortString },
  },
  // extension pages (popup, panel, options) -> background
  fromUi: {
    summary: { tabId: isUint },
  },
  // background -> content script
  toContent: {
    config: { enabled: isBool, highlights: isBool },
    rules: { rules: Array.isArray, kinds: Array.isArray, fields: isUint, generation: isUint },
    findings: { chunk: isUint, data: isUintArray, generation: isUint },
    rescan: {},
    clear: {},
  },
};

function isBool(v) {
  return typeof v === 'boolean';
}
function isUint(v) {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
function isShortString(v) {
  return typeof v === 'string' && v.length <= 4096;
}
function isUrl(v) {
  if (typeof v !== 'string' || v.length > 8192) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}
function isScanText(v) {
  return typeof v === 'string' && v.length <= MAX_SCAN_CHARS;
}
function isUintArray(v) {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!isUint(x)) return false;
  return true;
}
function isBlocks(v) {
  if (!Array.isArray(v) || v.length > MAX_BLOCKS) return false;
  let prev = -1;
  for (const x of v) {
    if (!isUint(x) || x < prev) return false;
    prev = x;
  }
  return true;
}
function isStyleNames(v) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const entries = Object.entries(v);
  if (entries.length > 64) return false;
  return entries.every(([k, n]) => /^[a-z0-9_-]{1,64}:[a-z]{1,10}$/.test(k) && /^[a-z][a-z0-9]{5,31}$/.test(n));
}

/**
 * Checks a received message against the protocol.
 * @param {'fromContent'|'fromUi'|'toContent'} direction
 * @param {unknown} msg
 * @returns {string|null} null when valid, else why it was refused
 */
export function validate(direction, msg) {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return 'not an object';
  const type = /** @type {any} */ (msg).type;
  const shapes = SHAPES[direction];
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return `unknown message type ${String(type).slice(0, 40)}`;
  const shape = shapes[type];
  for (const key of Object.keys(msg)) {
    if (key !== 'type' && !Object.hasOwn(shape, key)) return `${type}: unexpected field ${key.slice(0, 40)}`;
  }
  for (const [key, check] of Object.entries(shape)) {
    if (!check(/** @type {any} */ (msg)[key])) return `${type}: invalid ${key}`;
  }
  return null;
}
