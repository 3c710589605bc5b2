// Where preserved pages live: IndexedDB (megabytes per package; the
// extension's storage.local is for small records), database
// "flaglight-captures":
//   captures  one record per package: what it holds, its size and digest
//   packages  the .wacz bytes, under the same id
//   pending   a capture under way (started, by which service-worker run)
//   keys      the signing key pair (the private key is not extractable)
// The background is the one writer (background/capture-store.js); the panel
// reads a package from here to download it, so megabytes never travel
// through extension messages. Records are checked as they are read: one
// that fails is counted as damaged and left in place, never used.

export const DB_NAME = 'flaglight-captures';
const DB_VERSION = 1;
export const STORES = ['captures', 'packages', 'pending', 'keys'];

/** @type {Promise<IDBDatabase>|null} */
let opening = null;

/** @returns {Promise<IDBDatabase>} */
export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const name of STORES) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: 'id' });
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another context upgrading the database: let it, and open again next time.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = () => {
        opening = null;
        reject(req.error ?? new Error('IndexedDB could not be opened'));
      };
      req.onblocked = () => reject(new Error('IndexedDB is held open by an older version of the extension'));
    });
  }
  return opening;
}

/**
 * Runs `fn` in one transaction; resolves when it commits (so a write is on
 * disk, or not at all), rejects with the transaction's error.
 * @template T
 * @param {string[]} stores
 * @param {IDBTransactionMode} mode
 * @param {(tx: IDBTransaction) => T} fn
 * @returns {Promise<T>}
 */
export async function transact(stores, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode, { durability: 'strict' });
    let out;
    tx.oncomplete = () => resolve(out);
    tx.onabort = () => reject(tx.error ?? new Error('the storage transaction was aborted'));
    tx.onerror = () => {};
    try {
      out = fn(tx);
    } catch (e) {
      tx.abort();
      reject(e);
    }
  });
}

/** @template T @param {IDBRequest<T>} req @returns {Promise<T>} */
export function result(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * A preserved page's record.
 * @typedef {object} CaptureRecord
 * @property {string} id           random UUID
 * @property {string} page         the page's key (normalised URL, as flags use)
 * @property {string} url          the URL as it was
 * @property {string} title
 * @property {string} created      ISO 8601: the capture time
 * @property {number} bytes        size of the .wacz
 * @property {string} hash         "sha256:..." of its datapackage.json (what is signed)
 * @property {string} fileHash     "sha256:..." of the .wacz file itself
 * @property {number} ms           how long the capture took
 * @property {string[]} holds      what is inside: page-html, page-mhtml, screenshot, text, findings, flags, sightings
 * @property {{findings: number, flags: number, frames: number, images: number, imagesMissing: number, textChars: number}} counts
 * @property {string|null} timestamp   the authority's time when a token is inside
 * @property {Record<string, number>} [phases]   ms spent in each phase before storing (start, screenshot, page, text, package, timestamp)
 * @property {string} reason       'button' | 'flag'
 * @property {string[]} notes      what could not be included, and why
 * @property {number} deleted      0, or when it was deleted (restorable for a while)
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOLDS = ['page-html', 'page-mhtml', 'screenshot', 'text', 'findings', 'flags', 'sightings'];

/** Why a stored record is not a capture record; null when it is. @param {any} r */
export function captureProblem(r) {
  if (!r || typeof r !== 'object') return 'not an object';
  if (typeof r.id !== 'string' || !UUID.test(r.id)) return 'invalid id';
  for (const k of ['page', 'url', 'title', 'created', 'hash', 'fileHash', 'reason']) if (typeof r[k] !== 'string') return `invalid ${k}`;
  for (const k of ['bytes', 'ms', 'deleted']) if (typeof r[k] !== 'number' || !(r[k] >= 0)) return `invalid ${k}`;
  if (!Array.isArray(r.holds) || !r.holds.every((h) => HOLDS.includes(h))) return 'invalid holds';
  if (!Array.isArray(r.notes) || !r.notes.every((n) => typeof n === 'string')) return 'invalid notes';
  if (r.timestamp !== null && typeof r.timestamp !== 'string') return 'invalid timestamp';
  if (!r.counts || typeof r.counts !== 'object' || !Object.values(r.counts).every((n) => typeof n === 'number')) return 'invalid counts';
  return null;
}

/**
 * Every capture record, newest first; damaged ones counted, not returned.
 * @returns {Promise<{captures: CaptureRecord[], damaged: number}>}
 */
export async function readCaptures() {
  const all = await transact(['captures'], 'readonly', (tx) => result(tx.objectStore('captures').getAll()));
  const list = await all;
  const captures = list.filter((r) => captureProblem(r) === null);
  captures.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  return { captures, damaged: list.length - captures.length };
}

/**
 * A package's bytes (for the download), with its record; null when it is
 * gone. The bytes are checked against the record's SHA-256 by the caller.
 * @param {string} id
 * @returns {Promise<{record: CaptureRecord, blob: Blob}|null>}
 */
export async function readPackage(id) {
  const got = await transact(['captures', 'packages'], 'readonly', (tx) =>
    Promise.all([result(tx.objectStore('captures').get(id)), result(tx.objectStore('packages').get(id))]),
  );
  const [record, pkg] = await got;
  if (!record || captureProblem(record) !== null || !pkg || !(pkg.blob instanceof Blob)) return null;
  return { record, blob: pkg.blob };
}
