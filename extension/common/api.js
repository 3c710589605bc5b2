// The browser's extension API under one name: Firefox's promise-based
// `browser` where it exists, else Chrome's `chrome` (promise-based in MV3).

/** @type {typeof chrome} */
export const api = /** @type {any} */ (globalThis).browser ?? globalThis.chrome;
