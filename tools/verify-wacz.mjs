// Verifies a flaglight evidence package with the extension's own reader
// (extension/common/wacz.js): every file against datapackage.json, the
// digest file, the ECDSA P-256 signature (with the team's published public
// key when given), every WARC record's block digest, and the RFC 3161 token's
// imprint when there is one.
//
//   node tools/verify-wacz.mjs FILE.wacz [--key PUBLIC-KEY.pem|BASE64]
//
// Exit status 0 when every check passed, 1 otherwise (each problem printed).

import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { verifyWacz } from '../extension/common/wacz.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const keyAt = args.indexOf('--key');
if (!file) {
  console.error('usage: node tools/verify-wacz.mjs FILE.wacz [--key PUBLIC-KEY.pem|BASE64]');
  process.exit(2);
}

let expectKey;
if (keyAt >= 0) {
  const v = args[keyAt + 1] ?? '';
  const text = /\.pem$/i.test(v) ? await readFile(v, 'utf8') : v;
  expectKey = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
}

const r = await verifyWacz(new Uint8Array(await readFile(file)), { expectKey });
const fingerprint = r.publicKey ? createHash('sha256').update(Buffer.from(r.publicKey, 'base64')).digest('hex').replace(/(.{4})(?=.)/g, '$1 ') : '';
console.log(`package:   ${file}`);
console.log(`page:      ${r.datapackage?.mainPageUrl ?? '?'} (${r.datapackage?.created ?? '?'})`);
console.log(`digest:    ${r.hash}`);
console.log(`signed by: ${fingerprint || '?'} (SHA-256 of the public key)${expectKey ? (expectKey === r.publicKey ? ', the key given' : ', NOT the key given') : ''}`);
console.log(`signature: ${r.signature ? 'valid' : 'INVALID'}`);
console.log(`timestamp: ${r.timestamp ?? 'none'}`);
console.log(`records:   ${r.records.map((x) => `${x.type} ${x.uri}`.trim()).join('\n           ')}`);
if (r.ok) console.log('OK: every check passed');
else {
  for (const p of r.problems) console.log(`FAIL ${p}`);
  process.exitCode = 1;
}
