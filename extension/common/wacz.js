// The evidence package: a WACZ 1.1.1 file (Webrecorder's web-archive zip,
// https://specs.webrecorder.net/wacz/1.1.1/) holding one WARC 1.1 file with a
// `warcinfo` record and one `resource` or `metadata` record per part of a
// capture, the CDXJ index ReplayWeb.page reads, the pages list, and
// datapackage.json with the SHA-256 and size of every file. The
// datapackage.json digest is signed (WACZ Signing and Verification 0.1.0,
// anonymous signature: ECDSA over the "sha256:..." string, the public key in
// the package) and, when the moderator asked for it, timestamped by an
// RFC 3161 authority (the token is kept in datapackage-digest.json).
//
// Pure: the background builds packages here, and Node (tests, the
// tools/verify-wacz.mjs command) reads and verifies them with the same code.
// WARC records are written by warcio and the zip by fflate (archive-libs.js).

import { WARCParser, WARCRecord, WARCSerializer, getSurt, unzipSync, zipSync } from './archive-libs.js';
import { readTimestampToken } from './tsp.js';

export const WACZ_VERSION = '1.1.1';
export const WARC_PATH = 'archive/data.warc.gz';
export const INDEX_PATH = 'indexes/index.cdx';
export const PAGES_PATH = 'pages/pages.jsonl';
export const DATAPACKAGE = 'datapackage.json';
export const DIGEST_FILE = 'datapackage-digest.json';
const WARC_VERSION = 'WARC/1.1';

/**
 * One part of a capture: one WARC record.
 * @typedef {object} Part
 * @property {'resource'|'metadata'} type
 * @property {string} uri      WARC-Target-URI: the page's URL for the page itself, a urn: for the rest
 * @property {string} mime
 * @property {Uint8Array} body
 * @property {string} [about]  uri of the part this one describes (WARC-Concurrent-To)
 */

/**
 * @typedef {object} PackageInput
 * @property {string} created      ISO 8601 UTC: the capture time (every record's WARC-Date)
 * @property {string} software     "flaglight 0.1.0"
 * @property {string} title
 * @property {{url: string, title: string, text?: string}} page   the preserved page (pages.jsonl)
 * @property {Record<string, string>} info   warcinfo fields
 * @property {Part[]} parts
 * @property {(message: Uint8Array) => Promise<{signature: Uint8Array, publicKey: Uint8Array}>} sign
 *   ECDSA P-256 / SHA-256 over the message, raw r||s (WebCrypto's form), and the SPKI public key
 * @property {((digest: Uint8Array) => Promise<{token: Uint8Array, genTime: string, authority: string}|null>)} [timestamp]
 *   an RFC 3161 token for the SHA-256 of datapackage.json (only that digest leaves the machine)
 */

/**
 * @typedef {object} Built
 * @property {Uint8Array} bytes     the .wacz file
 * @property {string} hash          "sha256:..." of datapackage.json (what is signed)
 * @property {{path: string, hash: string, bytes: number}[]} files
 * @property {string|null} timestamped   the authority's time, when a token was stored
 */

/** @param {Uint8Array} data */
export async function sha256(data) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** @param {Uint8Array} bytes */
export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** @param {string} b64 */
export function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const encoder = new TextEncoder();

/** @param {unknown} v */
function json(v) {
  return encoder.encode(JSON.stringify(v, null, 2) + '\n');
}

/** "2026-11-30T10:15:00.123Z" -> "20261130101500" (CDXJ timestamps). @param {string} iso */
function cdxTimestamp(iso) {
  return iso.replace(/\D/g, '').slice(0, 14);
}

/**
 * Writes the WARC file: warcinfo first, then one gzip member per record
 * (so a reader can seek to any record from the index).
 * @param {PackageInput} input
 * @returns {Promise<{warc: Uint8Array, index: string[]}>}
 */
async function writeWarc(input) {
  const chunks = [];
  const index = [];
  let offset = 0;
  const add = async (/** @type {WARCRecord} */ record, /** @type {Part|null} */ part) => {
    const bytes = await WARCSerializer.serialize(record, { gzip: true });
    if (part) {
      const cdx = {
        url: part.uri,
        mime: part.mime.split(';')[0],
        status: '200',
        digest: record.warcHeaders.headers.get('WARC-Payload-Digest'),
        length: bytes.length,
        offset,
        filename: WARC_PATH.split('/').pop(),
      };
      index.push(`${getSurt(part.uri)} ${cdxTimestamp(input.created)} ${JSON.stringify(cdx)}`);
    }
    chunks.push(bytes);
    offset += bytes.length;
  };
  await add(
    WARCRecord.createWARCInfo({ filename: WARC_PATH.split('/').pop(), warcVersion: WARC_VERSION, date: input.created }, input.info),
    null,
  );
  /** @type {Map<string, string>} uri -> record id */
  const ids = new Map();
  for (const part of input.parts) {
    const warcHeaders = { 'Content-Type': part.mime };
    const about = part.about ? ids.get(part.about) : undefined;
    if (about) warcHeaders['WARC-Concurrent-To'] = about;
    const record = WARCRecord.create({ url: part.uri, date: input.created, type: part.type, warcVersion: WARC_VERSION, warcHeaders }, [part.body]);
    ids.set(part.uri, /** @type {string} */ (record.warcHeaders.headers.get('WARC-Record-ID')));
    await add(record, part);
  }
  const warc = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    warc.set(c, o);
    o += c.length;
  }
  return { warc, index: index.sort() };
}

/**
 * Builds and signs the package.
 * @param {PackageInput} input
 * @returns {Promise<Built>}
 */
export async function buildWacz(input) {
  const { warc, index } = await writeWarc(input);
  const pages = [
    JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }),
    JSON.stringify({ id: crypto.randomUUID(), url: input.page.url, title: input.page.title, ts: input.created, ...(input.page.text ? { text: input.page.text } : {}) }),
  ].join('\n') + '\n';
  /** @type {Record<string, Uint8Array>} */
  const files = {
    [WARC_PATH]: warc,
    [INDEX_PATH]: encoder.encode(index.join('\n') + '\n'),
    [PAGES_PATH]: encoder.encode(pages),
  };
  const resources = [];
  for (const [path, data] of Object.entries(files)) {
    resources.push({ name: path.split('/').pop(), path, hash: `sha256:${hex(await sha256(data))}`, bytes: data.length });
  }
  const datapackage = json({
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: input.title,
    created: input.created,
    modified: input.created,
    software: input.software,
    mainPageUrl: input.page.url,
    mainPageDate: input.created,
    resources,
  });
  const digest = await sha256(datapackage);
  const hash = `sha256:${hex(digest)}`;
  const { signature, publicKey } = await input.sign(encoder.encode(hash));
  const stamp = input.timestamp ? await input.timestamp(digest) : null;
  const digestFile = json({
    path: DATAPACKAGE,
    hash,
    signedData: {
      hash,
      created: input.created,
      software: input.software,
      signature: toBase64(signature),
      publicKey: toBase64(publicKey),
    },
    // RFC 3161 token (DER, base64) whose message imprint is the SHA-256 of
    // datapackage.json (the digest above), from the authority the moderator set.
    ...(stamp ? { timestamp: { authority: stamp.authority, genTime: stamp.genTime, token: toBase64(stamp.token) } } : {}),
  });
  // WARC and index stored, not deflated (WACZ: readers seek into them).
  const zipped = zipSync(
    {
      [DATAPACKAGE]: [datapackage, { level: 0 }],
      [DIGEST_FILE]: [digestFile, { level: 0 }],
      ...Object.fromEntries(Object.entries(files).map(([p, d]) => [p, [d, { level: 0 }]])),
    },
    { mtime: new Date(input.created) },
  );
  return { bytes: zipped, hash, files: resources.map(({ path, hash: h, bytes }) => ({ path, hash: h, bytes })), timestamped: stamp?.genTime ?? null };
}

/**
 * @typedef {object} Verification
 * @property {boolean} ok              every check passed
 * @property {string[]} problems       what failed, each naming the file or field
 * @property {string} hash             "sha256:..." of datapackage.json
 * @property {string} publicKey        base64 SPKI of the key that signed it
 * @property {boolean} signature       the signature verifies with that key
 * @property {string|null} timestamp   the authority's time, when a token for this digest is stored
 * @property {any} datapackage
 * @property {{type: string, uri: string, mime: string, bytes: number}[]} records
 */

/**
 * Verifies a package: every file's size and SHA-256 against
 * datapackage.json, no file missing from it, datapackage.json against the
 * digest file, the signature with the package's public key (and with
 * `expectKey`, the key a team published, when given), every WARC record's
 * block digest, and the timestamp token's imprint when there is one.
 * @param {Uint8Array} bytes
 * @param {{expectKey?: string}} [opts]
 * @returns {Promise<Verification>}
 */
export async function verifyWacz(bytes, opts = {}) {
  /** @type {string[]} */
  const problems = [];
  /** @type {Record<string, Uint8Array>} */
  let entries;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return { ok: false, problems: [`not a zip file: ${String(/** @type {any} */ (e)?.message ?? e)}`], hash: '', publicKey: '', signature: false, timestamp: null, datapackage: null, records: [] };
  }
  const read = (/** @type {string} */ p) => entries[p] ?? null;
  const dp = read(DATAPACKAGE);
  const dg = read(DIGEST_FILE);
  let datapackage = null;
  let digestFile = null;
  try {
    datapackage = dp ? JSON.parse(new TextDecoder().decode(dp)) : null;
    digestFile = dg ? JSON.parse(new TextDecoder().decode(dg)) : null;
  } catch (e) {
    problems.push(`${DATAPACKAGE} or ${DIGEST_FILE} is not JSON: ${String(/** @type {any} */ (e)?.message ?? e)}`);
  }
  if (!datapackage) problems.push(`${DATAPACKAGE} is missing`);
  if (!digestFile) problems.push(`${DIGEST_FILE} is missing`);
  const listed = new Set();
  for (const r of datapackage?.resources ?? []) {
    listed.add(r.path);
    const data = read(r.path);
    if (!data) {
      problems.push(`${r.path}: listed in ${DATAPACKAGE} but not in the package`);
      continue;
    }
    if (data.length !== r.bytes) problems.push(`${r.path}: ${data.length} bytes, ${DATAPACKAGE} says ${r.bytes}`);
    const h = `sha256:${hex(await sha256(data))}`;
    if (h !== r.hash) problems.push(`${r.path}: SHA-256 is ${h}, ${DATAPACKAGE} says ${r.hash}`);
  }
  for (const p of Object.keys(entries)) {
    if (p !== DATAPACKAGE && p !== DIGEST_FILE && !listed.has(p)) problems.push(`${p}: in the package but not listed in ${DATAPACKAGE}`);
  }
  const hash = dp ? `sha256:${hex(await sha256(dp))}` : '';
  const signed = digestFile?.signedData ?? {};
  if (digestFile && digestFile.hash !== hash) problems.push(`${DIGEST_FILE}: hash ${digestFile.hash} is not the SHA-256 of ${DATAPACKAGE} (${hash})`);
  if (signed.hash !== hash) problems.push(`${DIGEST_FILE}: signedData.hash is not the SHA-256 of ${DATAPACKAGE}`);
  if (datapackage && signed.created !== datapackage.created) problems.push(`${DIGEST_FILE}: signedData.created differs from ${DATAPACKAGE} created`);
  let signature = false;
  try {
    const key = await crypto.subtle.importKey('spki', fromBase64(signed.publicKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    signature = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromBase64(signed.signature), encoder.encode(String(signed.hash)));
  } catch (e) {
    problems.push(`signature: ${String(/** @type {any} */ (e)?.message ?? e)}`);
  }
  if (!signature) problems.push('signature: does not verify with the public key in the package');
  if (opts.expectKey && opts.expectKey.replace(/\s+/g, '') !== signed.publicKey) problems.push('signature: made with another key than the one expected');
  let timestamp = null;
  if (digestFile?.timestamp) {
    try {
      timestamp = readTimestampToken(fromBase64(digestFile.timestamp.token), dp ? await sha256(dp) : new Uint8Array(32)).genTime;
    } catch (e) {
      problems.push(`timestamp: ${String(/** @type {any} */ (e)?.message ?? e)}`);
    }
  }
  const records = [];
  const warc = read(WARC_PATH);
  if (warc) {
    try {
      for await (const record of WARCParser.iterRecords([warc])) {
        const block = await record.readFully(false);
        const type = record.warcType ?? '';
        const uri = record.warcTargetURI ?? '';
        const want = record.warcHeaders.headers.get('WARC-Block-Digest');
        if (type !== 'warcinfo' && want !== `sha256:${hex(await sha256(block))}`) problems.push(`${WARC_PATH}: record ${uri}: WARC-Block-Digest does not match its block`);
        records.push({ type, uri, mime: record.warcContentType ?? '', bytes: block.length });
      }
    } catch (e) {
      problems.push(`${WARC_PATH}: ${String(/** @type {any} */ (e)?.message ?? e)}`);
    }
  }
  return { ok: problems.length === 0, problems, hash, publicKey: String(signed.publicKey ?? ''), signature, timestamp, datapackage, records };
}
