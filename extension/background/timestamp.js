// An RFC 3161 timestamp for a package, from the authority (TSA) URL the
// moderator set in the options page. Off by default. Only the SHA-256 of
// the package's datapackage.json leaves the machine (in a TimeStampReq with
// a random nonce); no cookies, no referrer.

import { MAX_TSA_RESPONSE, readTimestampResponse, timestampRequest } from '../common/tsp.js';

const TIMEOUT_MS = 30_000;

/**
 * @param {string} url
 * @param {Uint8Array} digest  SHA-256 of datapackage.json
 * @returns {Promise<{token: Uint8Array, genTime: string, authority: string}>}
 */
export async function requestTimestamp(url, digest) {
  const nonce = crypto.getRandomValues(new Uint8Array(8));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
    body: timestampRequest(digest, nonce),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`the timestamp authority answered HTTP ${res.status}`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > MAX_TSA_RESPONSE) throw new Error(`the timestamp authority's answer is over ${MAX_TSA_RESPONSE} bytes`);
  const { token, genTime } = readTimestampResponse(body, digest, nonce);
  return { token, genTime, authority: url };
}
