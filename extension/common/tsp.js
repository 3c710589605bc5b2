// RFC 3161 trusted timestamps: the request for a SHA-256 digest, and the
// checks on the authority's answer (granted, a token for our digest and our
// nonce, its time). Pure, so Node tests run it too.
//
// Our own DER code, on purpose: a TimeStampReq is five fixed fields, and the
// answer needs reading only as far as the TSTInfo (status, message imprint,
// nonce, genTime). An ASN.1/CMS library (asn1js + pkijs, ~250 KB) would add
// more code to the background than all the rest of the package writer. The
// token's CMS signature is the authority's: it is kept byte for byte and
// checked with the authority's certificate by `openssl ts -verify` (README).

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;
const BOOLEAN = 0x01;
const GENERALIZED_TIME = 0x18;
const CONTEXT_0 = 0xa0;

/** id-sha256, 2.16.840.1.101.3.4.2.1 */
const SHA256_OID = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/** id-signedData, 1.2.840.113549.1.7.2 */
const SIGNED_DATA_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/** id-ct-TSTInfo, 1.2.840.113549.1.9.16.1.4 */
const TSTINFO_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04];

/** Largest answer read from an authority. */
export const MAX_TSA_RESPONSE = 256 * 1024;

/** @param {number} len */
function derLength(len) {
  if (len < 0x80) return [len];
  const bytes = [];
  for (let n = len; n > 0; n >>>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** @param {number} tag @param {ArrayLike<number>} body */
export function der(tag, body) {
  return Uint8Array.from([tag, ...derLength(body.length), ...Array.from(body)]);
}

/** @param {...Uint8Array} parts */
function cat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A positive INTEGER from big-endian bytes. @param {Uint8Array} bytes */
function derUint(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return der(INTEGER, b[0] & 0x80 ? [0, ...b] : b);
}

/**
 * A TimeStampReq (RFC 3161 2.4.1) for a SHA-256 digest: version 1, the
 * message imprint, a nonce, and certReq so the token carries the
 * authority's certificate. Nothing else about the package is in it.
 * @param {Uint8Array} digest  32 bytes
 * @param {Uint8Array} nonce   8 random bytes
 */
export function timestampRequest(digest, nonce) {
  if (digest.length !== 32) throw new Error('timestampRequest: a SHA-256 digest is 32 bytes');
  const algorithm = der(SEQUENCE, cat(der(OID, SHA256_OID), der(NULL, [])));
  const imprint = der(SEQUENCE, cat(algorithm, der(OCTET_STRING, digest)));
  return der(SEQUENCE, cat(der(INTEGER, [1]), imprint, derUint(nonce), der(BOOLEAN, [0xff])));
}

/**
 * @typedef {object} Tlv
 * @property {number} tag
 * @property {number} start   offset of the tag byte
 * @property {number} body    offset of the content
 * @property {number} end     offset after the content
 */

/**
 * Reads one DER element at `pos`, inside `limit`.
 * @param {Uint8Array} buf
 * @param {number} pos
 * @param {number} limit
 * @returns {Tlv}
 */
function read(buf, pos, limit) {
  if (pos + 2 > limit) throw new Error(`DER: element at byte ${pos} runs past its container`);
  const tag = buf[pos];
  let len = buf[pos + 1];
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) throw new Error(`DER: bad length at byte ${pos + 1}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[body + i];
    body += n;
  }
  if (body + len > limit) throw new Error(`DER: element at byte ${pos} runs past its container`);
  return { tag, start: pos, body, end: body + len };
}

/** The elements inside a constructed one. @param {Uint8Array} buf @param {Tlv} t */
function children(buf, t) {
  const out = [];
  for (let p = t.body; p < t.end; ) {
    const c = read(buf, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** @param {Uint8Array} buf @param {Tlv} t @param {number} tag @param {string} what */
function expect(buf, t, tag, what) {
  if (!t || t.tag !== tag) throw new Error(`timestamp: ${what} expected at byte ${t?.start ?? buf.length}`);
  return t;
}

/** @param {Uint8Array} buf @param {Tlv} t */
function bytesOf(buf, t) {
  return buf.subarray(t.body, t.end);
}

/** @param {Uint8Array} a @param {ArrayLike<number>} b */
function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Big-endian INTEGER content without leading zeros. @param {Uint8Array} b */
function trimZeros(b) {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** RFC 3161 PKIStatus values that carry a token. */
const GRANTED = [0, 1];

/**
 * Checks a TimeStampResp against the request: the status is granted, the
 * token is CMS SignedData over a TSTInfo whose message imprint is our
 * SHA-256 digest and whose nonce is ours. Returns the token (the DER
 * ContentInfo, to store) and its time; throws with the reason otherwise.
 * @param {Uint8Array} resp
 * @param {Uint8Array} digest
 * @param {Uint8Array} nonce
 * @returns {{token: Uint8Array, genTime: string}}
 */
export function readTimestampResponse(resp, digest, nonce) {
  const top = expect(resp, read(resp, 0, resp.length), SEQUENCE, 'TimeStampResp');
  const [statusInfo, tokenTlv] = children(resp, top);
  const status = children(resp, expect(resp, statusInfo, SEQUENCE, 'PKIStatusInfo'));
  const code = bytesOf(resp, expect(resp, status[0], INTEGER, 'PKIStatus'));
  if (code.length !== 1 || !GRANTED.includes(code[0])) throw new Error(`the timestamp authority refused the request (PKIStatus ${code[0] ?? '?'})`);
  if (!tokenTlv) throw new Error('timestamp answer: granted, but no token');
  const token = resp.slice(tokenTlv.start, tokenTlv.end);
  const info = readTimestampToken(token, digest);
  if (!info.nonce || !same(trimZeros(info.nonce), trimZeros(nonce))) throw new Error('timestamp answer: the nonce is not ours');
  return { token, genTime: info.genTime };
}

/**
 * Reads a timestamp token (a CMS ContentInfo holding SignedData over a
 * TSTInfo) and checks that its message imprint is the SHA-256 `digest`.
 * The authority's signature over it is not checked here (see the top).
 * @param {Uint8Array} token
 * @param {Uint8Array} digest
 * @returns {{genTime: string, nonce: Uint8Array|null}}
 */
export function readTimestampToken(token, digest) {
  const info = children(token, expect(token, read(token, 0, token.length), SEQUENCE, 'timeStampToken'));
  if (!same(bytesOf(token, expect(token, info[0], OID, 'contentType')), SIGNED_DATA_OID)) throw new Error('timestamp token: not CMS SignedData');
  const signedData = expect(token, children(token, expect(token, info[1], CONTEXT_0, 'content'))[0], SEQUENCE, 'SignedData');
  // version, digestAlgorithms, encapContentInfo, ...
  const encap = children(token, expect(token, children(token, signedData)[2], SEQUENCE, 'encapContentInfo'));
  if (!same(bytesOf(token, expect(token, encap[0], OID, 'eContentType')), TSTINFO_OID)) throw new Error('timestamp token: it does not hold a TSTInfo');
  const octets = expect(token, children(token, expect(token, encap[1], CONTEXT_0, 'eContent'))[0], OCTET_STRING, 'eContent');
  const tst = bytesOf(token, octets);
  const fields = children(tst, expect(tst, read(tst, 0, tst.length), SEQUENCE, 'TSTInfo'));
  // version, policy, messageImprint, serialNumber, genTime, [accuracy], [ordering], [nonce], ...
  const imprint = children(tst, expect(tst, fields[2], SEQUENCE, 'messageImprint'));
  const alg = children(tst, expect(tst, imprint[0], SEQUENCE, 'hashAlgorithm'));
  if (!same(bytesOf(tst, expect(tst, alg[0], OID, 'hash OID')), SHA256_OID)) throw new Error('timestamp token: the imprint is not SHA-256');
  if (!same(bytesOf(tst, expect(tst, imprint[1], OCTET_STRING, 'hashedMessage')), digest)) throw new Error('timestamp token: it is for another digest');
  const genTime = new TextDecoder().decode(bytesOf(tst, expect(tst, fields[4], GENERALIZED_TIME, 'genTime')));
  const nonceTlv = fields.slice(5).find((f) => f.tag === INTEGER);
  return { genTime: generalizedToIso(genTime), nonce: nonceTlv ? bytesOf(tst, nonceTlv) : null };
}

/** "20261130101500Z" or "20261130101500.123Z" -> ISO 8601. @param {string} g */
function generalizedToIso(g) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(g);
  if (!m) throw new Error(`timestamp answer: genTime ${g.slice(0, 40)} is not a UTC GeneralizedTime`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}
