// The one writer of the captures database (common/capture-db.js) and the
// keeper of the signing key.
//
// A package is written whole or not at all: it is built in memory first,
// then its bytes, its record and the removal of its "pending" marker go in
// one IndexedDB transaction, which commits or rolls back as one. Before that
// the space is checked against the browser's estimate; a package that does
// not fit is refused with the figures, and a transaction the browser still
// refuses (QuotaExceededError) leaves nothing. A capture cut short by a
// service-worker restart leaves only its pending marker, which the next run
// reports as interrupted.

import { openDb, readCaptures, result, transact } from '../common/capture-db.js';
import { toBase64 } from '../common/wacz.js';

/** This service-worker run: pending markers of other runs were interrupted. */
export const RUN = crypto.randomUUID();
/** Room left beside a package (the browser's own bookkeeping, the record). */
const HEADROOM = 1.1;

/** @typedef {import('../common/capture-db.js').CaptureRecord} CaptureRecord */

/** The browser's storage estimate for the extension. */
export async function estimate() {
  try {
    const e = await navigator.storage.estimate();
    return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
  } catch {
    return { usage: 0, quota: 0 };
  }
}

/** A capture starts: its marker. @param {string} id @param {string} url */
export function startPending(id, url) {
  return transact(['pending'], 'readwrite', (tx) => {
    tx.objectStore('pending').put({ id, url, started: new Date().toISOString(), run: RUN });
  });
}

/** A capture failed before anything was written: its marker goes. @param {string} id */
export function dropPending(id) {
  return transact(['pending'], 'readwrite', (tx) => {
    tx.objectStore('pending').delete(id);
  });
}

/** Captures under way and interrupted ones. @returns {Promise<{id: string, url: string, started: string, interrupted: boolean}[]>} */
export async function pending() {
  const list = await (await transact(['pending'], 'readonly', (tx) => result(tx.objectStore('pending').getAll())));
  return list
    .filter((p) => p && typeof p.id === 'string' && typeof p.url === 'string' && typeof p.started === 'string')
    .map((p) => ({ id: p.id, url: p.url, started: p.started, interrupted: p.run !== RUN }));
}

/** Error thrown when a package does not fit; `needed` and `free` in bytes. */
export class DoesNotFit extends Error {
  /** @param {number} needed @param {number} free @param {string} [why] */
  constructor(needed, free, why = '') {
    super(`the package (${needed} bytes) does not fit: ${free} bytes free${why ? ` (${why})` : ''}`);
    this.needed = needed;
    this.free = free;
  }
}

/**
 * Stores a finished package: bytes, record and the end of its pending
 * marker, in one transaction.
 * @param {CaptureRecord} record
 * @param {Uint8Array} bytes
 */
export async function savePackage(record, bytes) {
  const { usage, quota } = await estimate();
  if (quota && usage + bytes.length * HEADROOM > quota) throw new DoesNotFit(bytes.length, Math.max(0, quota - usage));
  try {
    await transact(['captures', 'packages', 'pending'], 'readwrite', (tx) => {
      tx.objectStore('packages').put({ id: record.id, blob: new Blob([bytes], { type: 'application/wacz' }) });
      tx.objectStore('captures').put(record);
      tx.objectStore('pending').delete(record.id);
    });
  } catch (e) {
    const name = /** @type {any} */ (e)?.name ?? '';
    if (name === 'QuotaExceededError' || /quota/i.test(String(/** @type {any} */ (e)?.message ?? e))) {
      const after = await estimate();
      throw new DoesNotFit(bytes.length, Math.max(0, after.quota - after.usage), String(/** @type {any} */ (e)?.message ?? e));
    }
    throw e;
  }
}

/** Marks a package deleted (restorable) or restores it. @param {string} id @param {number} when  0 restores */
export async function setDeleted(id, when) {
  return transact(['captures'], 'readwrite', (tx) => {
    const store = tx.objectStore('captures');
    const req = store.get(id);
    req.onsuccess = () => {
      if (req.result) store.put({ ...req.result, deleted: when });
    };
  });
}

/** Removes packages deleted before `before` (ms since the epoch), and their bytes. @param {number} before */
export async function purgeDeleted(before) {
  const { captures } = await readCaptures();
  const gone = captures.filter((c) => c.deleted && c.deleted < before).map((c) => c.id);
  if (!gone.length) return 0;
  await transact(['captures', 'packages'], 'readwrite', (tx) => {
    for (const id of gone) {
      tx.objectStore('captures').delete(id);
      tx.objectStore('packages').delete(id);
    }
  });
  return gone.length;
}

/** Forgets interrupted markers (the moderator has read the notice). @param {string} id */
export function dismissPending(id) {
  return dropPending(id);
}

// ---- the signing key ----------------------------------------------------------------

const KEY_ID = 'signing';

/** @type {Promise<{keyPair: CryptoKeyPair, publicKey: string, created: string}>|null} */
let keyPromise = null;

/**
 * The package-signing key: ECDSA P-256, made once (at install, or on first
 * use when it is missing), kept in IndexedDB as a CryptoKey whose private
 * half cannot be exported. The public key (SPKI, base64) is in every package
 * and shown in the options page.
 */
export function signingKey() {
  if (!keyPromise) {
    keyPromise = loadOrMakeKey().catch((e) => {
      keyPromise = null;
      throw e;
    });
  }
  return keyPromise;
}

async function loadOrMakeKey() {
  const db = await openDb();
  const existing = await result(db.transaction('keys', 'readonly').objectStore('keys').get(KEY_ID));
  if (existing?.keyPair?.privateKey && typeof existing.publicKey === 'string') return existing;
  const keyPair = /** @type {CryptoKeyPair} */ (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));
  const publicKey = toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey)));
  const entry = { id: KEY_ID, keyPair, publicKey, created: new Date().toISOString() };
  // Two starts racing: the first key stored wins, and both use it.
  await transact(['keys'], 'readwrite', (tx) => {
    const store = tx.objectStore('keys');
    const req = store.get(KEY_ID);
    req.onsuccess = () => {
      if (!req.result) store.put(entry);
    };
  });
  const stored = await result(db.transaction('keys', 'readonly').objectStore('keys').get(KEY_ID));
  return stored ?? entry;
}

/**
 * Signs a message with the package key: ECDSA P-256 over SHA-256, the
 * signature raw r||s (64 bytes, WebCrypto's form, as ArchiveWeb.page writes it).
 * @param {Uint8Array} message
 */
export async function sign(message) {
  const key = await signingKey();
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.keyPair.privateKey, message));
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('spki', key.keyPair.publicKey));
  return { signature, publicKey };
}
